-- Raw heartbeats: one row per (view, seq); a retried beat rewrites its own row. Purged by the rollup after
-- their TTL (expires_at), as Cassandra expires its copy.
CREATE TABLE heartbeats (
    view_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    video_id TEXT NOT NULL,
    day TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    received_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    event TEXT NOT NULL,
    position REAL NOT NULL,
    sections TEXT NOT NULL,
    played_ms INTEGER NOT NULL,
    stall_ms INTEGER NOT NULL,
    stall_count INTEGER NOT NULL,
    seeks INTEGER NOT NULL,
    startup_ms INTEGER,
    bitrate INTEGER NOT NULL,
    rendition_height INTEGER NOT NULL,
    player_height INTEGER NOT NULL,
    error TEXT NOT NULL,
    PRIMARY KEY (view_id, seq)
) WITHOUT ROWID;
CREATE INDEX heartbeats_by_video_day ON heartbeats (video_id, day);
CREATE INDEX heartbeats_by_expiry ON heartbeats (expires_at);

-- One row per view: the running totals of its latest heartbeat (a higher seq only ever replaces a lower one).
CREATE TABLE views (
    view_id TEXT PRIMARY KEY,
    video_id TEXT NOT NULL,
    day TEXT NOT NULL,
    user_id TEXT NOT NULL,
    viewer_id TEXT NOT NULL,
    started_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    seq INTEGER NOT NULL,
    last_event TEXT NOT NULL,
    position REAL NOT NULL,
    duration REAL NOT NULL,
    played_ms INTEGER NOT NULL,
    stall_ms INTEGER NOT NULL,
    stall_count INTEGER NOT NULL,
    seeks INTEGER NOT NULL,
    startup_ms INTEGER,
    bitrate_ms TEXT NOT NULL,
    upscale_ms INTEGER NOT NULL,
    bitrate INTEGER NOT NULL,
    rendition_height INTEGER NOT NULL,
    player_height INTEGER NOT NULL,
    error TEXT NOT NULL,
    ended INTEGER NOT NULL
);
CREATE INDEX views_by_video_day ON views (video_id, day);

-- Each member's latest view of each video: the resume position is that view's position. Written on a view's
-- first beat and on its end, never on every beat. A later view only replaces an earlier one.
CREATE TABLE member_videos (
    user_id TEXT NOT NULL,
    video_id TEXT NOT NULL,
    view_id TEXT NOT NULL,
    started_at REAL NOT NULL,
    completed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, video_id)
) WITHOUT ROWID;

CREATE TABLE view_days (
    day TEXT NOT NULL,
    video_id TEXT NOT NULL,
    PRIMARY KEY (day, video_id)
) WITHOUT ROWID;

CREATE TABLE video_daily_stats (
    video_id TEXT NOT NULL,
    day TEXT NOT NULL,
    views INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    unique_viewers INTEGER NOT NULL,
    playing_ms INTEGER NOT NULL,
    watch_ms INTEGER NOT NULL,
    completed_views INTEGER NOT NULL,
    viewed_points INTEGER NOT NULL,
    exits_before_start INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    stall_ms INTEGER NOT NULL,
    stall_count INTEGER NOT NULL,
    startup_hist TEXT NOT NULL,
    bitrate_weighted INTEGER NOT NULL,
    bitrate_ms INTEGER NOT NULL,
    upscale_ms INTEGER NOT NULL,
    rolled_up_at REAL NOT NULL,
    PRIMARY KEY (video_id, day)
) WITHOUT ROWID;

CREATE TABLE video_retention (
    video_id TEXT NOT NULL,
    day TEXT NOT NULL,
    views INTEGER NOT NULL,
    counts TEXT NOT NULL,
    PRIMARY KEY (video_id, day)
) WITHOUT ROWID;

CREATE TABLE video_member_days (
    video_id TEXT NOT NULL,
    viewer_id TEXT NOT NULL,
    day TEXT NOT NULL,
    user_id TEXT NOT NULL,
    views INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    played_ms INTEGER NOT NULL,
    points TEXT NOT NULL,
    completed INTEGER NOT NULL,
    last_seen REAL NOT NULL,
    PRIMARY KEY (video_id, viewer_id, day)
) WITHOUT ROWID;

-- One video's unique viewers over any period ending today, without reading a row per member (see the
-- Cassandra migration of the same name). The maps are JSON objects {day: count}.
CREATE TABLE video_viewer_summary (
    video_id TEXT PRIMARY KEY,
    last_days TEXT NOT NULL,
    member_days TEXT NOT NULL,
    rolled_up_at REAL NOT NULL
) WITHOUT ROWID;

-- catalog: video details, visibility, external hosts, full-text search, courses
ALTER TABLE videos ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE videos ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE videos ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE videos ADD COLUMN visibility TEXT NOT NULL DEFAULT 'members';
ALTER TABLE videos ADD COLUMN published_at REAL;
ALTER TABLE videos ADD COLUMN external_host TEXT NOT NULL DEFAULT '';
ALTER TABLE videos ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE videos ADD COLUMN external_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX videos_newest ON videos (published_at DESC, id DESC);

-- FTS5 rows are keyed by a stable integer (a TEXT-keyed table's rowid may change on VACUUM).
CREATE TABLE video_search_keys (key INTEGER PRIMARY KEY, video_id TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE video_search USING fts5(title, description, tags, tokenize="porter unicode61");

-- Triggers keep the index in step with every writer of `videos`; each body is on one line (migrations split on `;` at a line end).
CREATE TRIGGER video_search_insert AFTER INSERT ON videos BEGIN INSERT INTO video_search_keys (video_id) VALUES (new.id); INSERT INTO video_search (rowid, title, description, tags) VALUES ((SELECT key FROM video_search_keys WHERE video_id = new.id), new.title, new.description, new.tags); END;
CREATE TRIGGER video_search_update AFTER UPDATE OF title, description, tags ON videos BEGIN UPDATE video_search SET title = new.title, description = new.description, tags = new.tags WHERE rowid = (SELECT key FROM video_search_keys WHERE video_id = new.id); END;
CREATE TRIGGER video_search_delete AFTER DELETE ON videos BEGIN DELETE FROM video_search WHERE rowid = (SELECT key FROM video_search_keys WHERE video_id = old.id); DELETE FROM video_search_keys WHERE video_id = old.id; END;

INSERT INTO video_search_keys (video_id) SELECT id FROM videos;
INSERT INTO video_search (rowid, title, description, tags) SELECT k.key, v.title, v.description, v.tags FROM videos v JOIN video_search_keys k ON k.video_id = v.id;

CREATE TABLE courses (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    cover_video_id TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL DEFAULT 'members',
    video_ids TEXT NOT NULL DEFAULT '[]',
    version INTEGER NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX courses_by_owner ON courses (owner_id, created_at DESC);
CREATE INDEX courses_by_created ON courses (created_at DESC);

-- delivery: the admin's overrides of delivery settings, and every applied nginx config
CREATE TABLE delivery_overrides (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE delivery_configs (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    author TEXT NOT NULL,
    overrides TEXT NOT NULL,
    checksum TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_configs_by_time ON delivery_configs (created_at DESC);

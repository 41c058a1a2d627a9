CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    interval TEXT NOT NULL,
    video_ids TEXT NOT NULL DEFAULT '[]',
    active INTEGER NOT NULL,
    created_at REAL NOT NULL,
    stripe_price_id TEXT NOT NULL DEFAULT ''
);

-- every change is a compare-and-set on `version`
CREATE TABLE memberships (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    source TEXT NOT NULL,
    plan_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    version INTEGER NOT NULL,
    expires_at REAL,
    status_at REAL,
    past_due_since REAL,
    stripe_customer_id TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX memberships_by_user ON memberships (user_id);

-- `uses` only ever changes by compare-and-set
CREATE TABLE invites (
    code TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL,
    days INTEGER NOT NULL,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL
);

CREATE TABLE invite_redemptions (
    code TEXT NOT NULL,
    user_id TEXT NOT NULL,
    redeemed_at REAL NOT NULL,
    PRIMARY KEY (code, user_id)
);

CREATE TABLE stripe_events (
    event_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    received_at REAL NOT NULL
);

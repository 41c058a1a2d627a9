from __future__ import annotations

from datetime import timedelta

from streamer.storage.records import utcnow
from streamer.storage.sqlite.connection import Database, to_epoch


class SqliteThrottle:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def hit(self, key: str, ttl_seconds: int) -> None:
        now = utcnow()
        await self._db.execute("DELETE FROM throttle_events WHERE key = ? AND expires_at <= ?", (key, to_epoch(now)))
        expires = to_epoch(now + timedelta(seconds=ttl_seconds))
        await self._db.execute("INSERT INTO throttle_events (key, expires_at) VALUES (?, ?)", (key, expires))

    async def count(self, key: str, limit: int = 1000) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM throttle_events WHERE key = ? AND expires_at > ? LIMIT ?)",
            (key, to_epoch(utcnow()), limit),
        )
        return int(row["n"]) if row else 0

    async def clear(self, key: str) -> None:
        await self._db.execute("DELETE FROM throttle_events WHERE key = ?", (key,))

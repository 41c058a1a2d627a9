from __future__ import annotations

from streamer.storage.cassandra.session import CassandraSession


class CassandraThrottle:
    """One TTL'd row per event: the partition holds exactly the events that still count."""

    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def hit(self, key: str, ttl_seconds: int) -> None:
        await self._db.execute(
            "INSERT INTO throttle_events (key, at) VALUES (?, now()) USING TTL ?",
            (key, max(1, ttl_seconds)),
            write=True,
        )

    async def count(self, key: str, limit: int = 1000) -> int:
        rows = await self._db.execute("SELECT at FROM throttle_events WHERE key = ? LIMIT ?", (key, limit))
        return len(rows)

    async def clear(self, key: str) -> None:
        await self._db.execute("DELETE FROM throttle_events WHERE key = ?", (key,), write=True)

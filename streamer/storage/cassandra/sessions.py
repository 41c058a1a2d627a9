from __future__ import annotations

import asyncio
from dataclasses import astuple, fields

from streamer.storage.accounts import SessionRecord
from streamer.storage.cassandra.session import CassandraSession, Row, aware
from streamer.storage.cassandra.ttl import ttl_until
from streamer.storage.records import utcnow

_NAMES = [field.name for field in fields(SessionRecord)]
_COLUMNS = ", ".join(_NAMES)
_TIMES = ("created_at", "last_seen_at", "expires_at", "absolute_expires_at")


def _session(row: Row) -> SessionRecord | None:
    if row["user_id"] is None or row["expires_at"] is None or row["absolute_expires_at"] is None:
        return None  # deleted (then touched by a request in flight) or half-expired
    session = SessionRecord(**(row | {name: aware(row[name]) for name in _TIMES}))
    return session if session.expires_at > utcnow() else None


class CassandraSessions:
    """`sessions` by token hash, row TTL = absolute expiry; `sessions_by_user` lists a user's hashes."""

    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def create(self, session: SessionRecord) -> None:
        ttl = ttl_until(session.absolute_expires_at)
        marks = ",".join("?" * len(_NAMES))
        await self._db.execute(
            f"INSERT INTO sessions ({_COLUMNS}) VALUES ({marks}) USING TTL ?", (*astuple(session), ttl), write=True
        )
        await self._db.execute(
            "INSERT INTO sessions_by_user (user_id, token_hash) VALUES (?, ?) USING TTL ?",
            (session.user_id, session.token_hash, ttl),
            write=True,
        )

    async def get(self, token_hash: str) -> SessionRecord | None:
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM sessions WHERE token_hash = ?", (token_hash,))
        return _session(rows[0]) if rows else None

    async def touch(self, session: SessionRecord) -> None:
        # Writes only these two cells: after a delete the row stays without user_id, so it is no session.
        await self._db.execute(
            "UPDATE sessions USING TTL ? SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?",
            (ttl_until(session.absolute_expires_at), session.last_seen_at, session.expires_at, session.token_hash),
            write=True,
        )

    async def delete(self, token_hash: str) -> None:
        rows = await self._db.execute("SELECT user_id FROM sessions WHERE token_hash = ?", (token_hash,))
        await self._db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,), write=True)
        if rows and rows[0]["user_id"]:
            await self._unlist(rows[0]["user_id"], token_hash)

    async def list_for_user(self, user_id: str) -> list[SessionRecord]:
        sessions = await asyncio.gather(*(self.get(token_hash) for token_hash in await self._hashes(user_id)))
        return sorted((s for s in sessions if s is not None), key=lambda session: session.created_at)

    async def delete_for_user(self, user_id: str, keep: str | None = None) -> int:
        ended = 0
        for token_hash in await self._hashes(user_id):
            if token_hash == keep:
                continue
            ended += await self.get(token_hash) is not None
            await self._db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,), write=True)
            await self._unlist(user_id, token_hash)
        return ended

    async def _hashes(self, user_id: str) -> list[str]:
        rows = await self._db.execute("SELECT token_hash FROM sessions_by_user WHERE user_id = ?", (user_id,))
        return [row["token_hash"] for row in rows]

    async def _unlist(self, user_id: str, token_hash: str) -> None:
        await self._db.execute(
            "DELETE FROM sessions_by_user WHERE user_id = ? AND token_hash = ?", (user_id, token_hash), write=True
        )

from __future__ import annotations

from dataclasses import astuple, fields

from streamer.storage.accounts import SessionRecord
from streamer.storage.records import utcnow
from streamer.storage.sqlite.connection import Database, Row, from_epoch, to_epoch
from streamer.storage.sqlite.fields import sql_value

_NAMES = [field.name for field in fields(SessionRecord)]
_COLUMNS = ", ".join(_NAMES)
_TIMES = ("created_at", "last_seen_at", "expires_at", "absolute_expires_at")


def _session(row: Row) -> SessionRecord:
    converted = {name: from_epoch(row[name]) for name in _TIMES} | {"remember": bool(row["remember"])}
    return SessionRecord(**(row | converted))


class SqliteSessions:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, session: SessionRecord) -> None:
        await self._db.execute("DELETE FROM sessions WHERE expires_at < ?", (to_epoch(utcnow()),))
        marks = ",".join("?" * len(_NAMES))
        values = [sql_value(value) for value in astuple(session)]
        await self._db.execute(f"INSERT INTO sessions ({_COLUMNS}) VALUES ({marks})", values)

    async def get(self, token_hash: str) -> SessionRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM sessions WHERE token_hash = ? AND expires_at > ?",
            (token_hash, to_epoch(utcnow())),
        )
        return _session(row) if row else None

    async def touch(self, session: SessionRecord) -> None:
        await self._db.execute(
            "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?",
            (to_epoch(session.last_seen_at), to_epoch(session.expires_at), session.token_hash),
        )

    async def delete(self, token_hash: str) -> None:
        await self._db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    async def list_for_user(self, user_id: str) -> list[SessionRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at",
            (user_id, to_epoch(utcnow())),
        )
        return [_session(row) for row in rows]

    async def delete_for_user(self, user_id: str, keep: str | None = None) -> int:
        return await self._db.execute(
            "DELETE FROM sessions WHERE user_id = ? AND token_hash != ?", (user_id, keep or "")
        )

from __future__ import annotations

from dataclasses import astuple, fields

from streamer.storage.accounts import TokenRecord
from streamer.storage.records import utcnow
from streamer.storage.sqlite.connection import Database, Row, from_epoch, to_epoch
from streamer.storage.sqlite.fields import sql_value

_NAMES = [field.name for field in fields(TokenRecord)]
_COLUMNS = ", ".join(_NAMES)


def _token(row: Row) -> TokenRecord:
    converted = {
        "created_at": from_epoch(row["created_at"]),
        "expires_at": from_epoch(row["expires_at"]),
        "used": bool(row["used"]),
    }
    return TokenRecord(**(row | converted))


class SqliteTokens:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, token: TokenRecord) -> None:
        await self._db.execute("DELETE FROM one_time_tokens WHERE expires_at < ?", (to_epoch(utcnow()),))
        marks = ",".join("?" * len(_NAMES))
        values = [sql_value(value) for value in astuple(token)]
        await self._db.execute(f"INSERT INTO one_time_tokens ({_COLUMNS}) VALUES ({marks})", values)

    async def get(self, token_hash: str) -> TokenRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM one_time_tokens WHERE token_hash = ? AND expires_at > ?",
            (token_hash, to_epoch(utcnow())),
        )
        return _token(row) if row else None

    async def consume(self, token_hash: str, purpose: str) -> TokenRecord | None:
        changed = await self._db.execute(
            "UPDATE one_time_tokens SET used = 1 WHERE token_hash = ? AND purpose = ? AND used = 0 AND expires_at > ?",
            (token_hash, purpose, to_epoch(utcnow())),
        )
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM one_time_tokens WHERE token_hash = ?", (token_hash,))
        return _token(row) if changed == 1 and row else None

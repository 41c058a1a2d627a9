from __future__ import annotations

from dataclasses import astuple, fields

from streamer.storage.accounts import TokenRecord
from streamer.storage.cassandra.session import CassandraSession, aware
from streamer.storage.cassandra.ttl import ttl_until
from streamer.storage.records import utcnow

_NAMES = [field.name for field in fields(TokenRecord)]
_COLUMNS = ", ".join(_NAMES)


class CassandraTokens:
    """Every write is an LWT (created IF NOT EXISTS, used IF used = false), with the token's TTL."""

    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def create(self, token: TokenRecord) -> None:
        marks = ",".join("?" * len(_NAMES))
        await self._db.execute_lwt(
            f"INSERT INTO one_time_tokens ({_COLUMNS}) VALUES ({marks}) IF NOT EXISTS USING TTL ?",
            (*astuple(token), ttl_until(token.expires_at)),
        )

    async def get(self, token_hash: str) -> TokenRecord | None:
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM one_time_tokens WHERE token_hash = ?", (token_hash,))
        if not rows or rows[0]["purpose"] is None:
            return None
        row = rows[0]
        token = TokenRecord(**(row | {"created_at": aware(row["created_at"]), "expires_at": aware(row["expires_at"])}))
        return token if token.expires_at > utcnow() else None

    async def consume(self, token_hash: str, purpose: str) -> TokenRecord | None:
        token = await self.get(token_hash)
        if token is None or token.used or token.purpose != purpose:
            return None
        applied = await self._db.execute_lwt(
            "UPDATE one_time_tokens USING TTL ? SET used = true WHERE token_hash = ? IF used = false AND purpose = ?",
            (ttl_until(token.expires_at), token_hash, purpose),
        )
        return TokenRecord(**{**token.__dict__, "used": True}) if applied else None

from __future__ import annotations

import sqlite3

from streamer.storage.accounts import IdentityRecord
from streamer.storage.sqlite.connection import Database, from_epoch, to_epoch


class SqliteIdentities:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def link(self, identity: IdentityRecord) -> bool:
        try:
            await self._db.execute(
                "INSERT INTO oidc_identities (issuer, subject, user_id, created_at) VALUES (?, ?, ?, ?)",
                (identity.issuer, identity.subject, identity.user_id, to_epoch(identity.created_at)),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def find(self, issuer: str, subject: str) -> IdentityRecord | None:
        row = await self._db.fetch_one(
            "SELECT issuer, subject, user_id, created_at FROM oidc_identities WHERE issuer = ? AND subject = ?",
            (issuer, subject),
        )
        return IdentityRecord(**(row | {"created_at": from_epoch(row["created_at"])})) if row else None

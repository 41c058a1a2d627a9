from __future__ import annotations

from streamer.storage.accounts import IdentityRecord
from streamer.storage.cassandra.session import CassandraSession, aware


class CassandraIdentities:
    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def link(self, identity: IdentityRecord) -> bool:
        return await self._db.execute_lwt(
            "INSERT INTO oidc_identities (issuer, subject, user_id, created_at) VALUES (?, ?, ?, ?) IF NOT EXISTS",
            (identity.issuer, identity.subject, identity.user_id, identity.created_at),
        )

    async def find(self, issuer: str, subject: str) -> IdentityRecord | None:
        rows = await self._db.execute(
            "SELECT issuer, subject, user_id, created_at FROM oidc_identities WHERE issuer = ? AND subject = ?",
            (issuer, subject),
        )
        return IdentityRecord(**(rows[0] | {"created_at": aware(rows[0]["created_at"])})) if rows else None

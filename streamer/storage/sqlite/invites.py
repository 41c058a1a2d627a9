from __future__ import annotations

import sqlite3
from dataclasses import astuple, fields, replace
from datetime import datetime

from streamer.storage.memberships import InviteRecord
from streamer.storage.sqlite.connection import Database, Row, from_epoch, to_epoch
from streamer.storage.sqlite.fields import sql_value

_NAMES = [field.name for field in fields(InviteRecord)]
_COLUMNS = ", ".join(_NAMES)


def _invite(row: Row) -> InviteRecord:
    times = {"created_at": from_epoch(row["created_at"]), "expires_at": from_epoch(row["expires_at"])}
    return InviteRecord(**(row | times))


class SqliteInvites:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, invite: InviteRecord) -> bool:
        marks = ",".join("?" * len(_NAMES))
        try:
            await self._db.execute(
                f"INSERT INTO invites ({_COLUMNS}) VALUES ({marks})", [sql_value(v) for v in astuple(invite)]
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def get(self, code: str) -> InviteRecord | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM invites WHERE code = ?", (code,))
        return _invite(row) if row else None

    async def list_all(self, limit: int = 500) -> list[InviteRecord]:
        rows = await self._db.fetch_all(f"SELECT {_COLUMNS} FROM invites ORDER BY created_at DESC LIMIT ?", (limit,))
        return [_invite(row) for row in rows]

    async def take_use(self, invite: InviteRecord) -> InviteRecord | None:
        changed = await self._db.execute(
            "UPDATE invites SET uses = ? WHERE code = ? AND uses = ?", (invite.uses + 1, invite.code, invite.uses)
        )
        return replace(invite, uses=invite.uses + 1) if changed == 1 else None

    async def claim_redemption(self, code: str, user_id: str, at: datetime) -> bool:
        try:
            await self._db.execute(
                "INSERT INTO invite_redemptions (code, user_id, redeemed_at) VALUES (?, ?, ?)",
                (code, user_id, to_epoch(at)),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def release_redemption(self, code: str, user_id: str) -> None:
        await self._db.execute("DELETE FROM invite_redemptions WHERE code = ? AND user_id = ?", (code, user_id))


class SqliteStripeEvents:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(self, event_id: str, kind: str, at: datetime) -> bool:
        try:
            await self._db.execute(
                "INSERT INTO stripe_events (event_id, kind, received_at) VALUES (?, ?, ?)",
                (event_id, kind, to_epoch(at)),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def release(self, event_id: str) -> None:
        await self._db.execute("DELETE FROM stripe_events WHERE event_id = ?", (event_id,))

    async def seen(self, event_id: str) -> bool:
        return await self._db.fetch_one("SELECT 1 FROM stripe_events WHERE event_id = ?", (event_id,)) is not None

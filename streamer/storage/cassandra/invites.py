from __future__ import annotations

from dataclasses import astuple, fields, replace
from datetime import datetime

from streamer.storage.cassandra.session import CassandraSession, Row, aware
from streamer.storage.memberships import InviteRecord

_NAMES = [field.name for field in fields(InviteRecord)]
_COLUMNS = ", ".join(_NAMES)


def _invite(row: Row) -> InviteRecord:
    times = {"created_at": aware(row["created_at"]), "expires_at": aware(row["expires_at"])}
    return InviteRecord(**(row | times))


class CassandraInvites:
    """`invites` rows change only by LWT: `uses` is compare-and-set, never a counter (counters cannot be
    conditional, so they could not stop at `max_uses`)."""

    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def create(self, invite: InviteRecord) -> bool:
        marks = ",".join("?" * len(_NAMES))
        return await self._db.execute_lwt(
            f"INSERT INTO invites ({_COLUMNS}) VALUES ({marks}) IF NOT EXISTS", astuple(invite)
        )

    async def get(self, code: str) -> InviteRecord | None:
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM invites WHERE code = ?", (code,))
        return _invite(rows[0]) if rows else None

    async def list_all(self, limit: int = 500) -> list[InviteRecord]:
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM invites LIMIT ?", (limit,))
        return sorted((_invite(row) for row in rows), key=lambda invite: invite.created_at, reverse=True)

    async def take_use(self, invite: InviteRecord) -> InviteRecord | None:
        applied = await self._db.execute_lwt(
            "UPDATE invites SET uses = ? WHERE code = ? IF uses = ?", (invite.uses + 1, invite.code, invite.uses)
        )
        return replace(invite, uses=invite.uses + 1) if applied else None

    async def claim_redemption(self, code: str, user_id: str, at: datetime) -> bool:
        return await self._db.execute_lwt(
            "INSERT INTO invite_redemptions (code, user_id, redeemed_at) VALUES (?, ?, ?) IF NOT EXISTS",
            (code, user_id, at),
        )

    async def release_redemption(self, code: str, user_id: str) -> None:
        await self._db.execute_lwt(
            "DELETE FROM invite_redemptions WHERE code = ? AND user_id = ? IF EXISTS", (code, user_id)
        )


class CassandraStripeEvents:
    """Processed webhook events; a claim is `INSERT … IF NOT EXISTS`, so one delivery wins."""

    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def claim(self, event_id: str, kind: str, at: datetime) -> bool:
        return await self._db.execute_lwt(
            "INSERT INTO stripe_events (event_id, kind, received_at) VALUES (?, ?, ?) IF NOT EXISTS",
            (event_id, kind, at),
        )

    async def release(self, event_id: str) -> None:
        await self._db.execute_lwt("DELETE FROM stripe_events WHERE event_id = ? IF EXISTS", (event_id,))

    async def seen(self, event_id: str) -> bool:
        return bool(await self._db.execute("SELECT event_id FROM stripe_events WHERE event_id = ?", (event_id,)))

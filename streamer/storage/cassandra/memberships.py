from __future__ import annotations

from dataclasses import astuple, fields, replace

from streamer.storage.cassandra.session import CassandraSession, Row, aware
from streamer.storage.errors import NotFound
from streamer.storage.memberships import (
    MembershipRecord,
    MembershipSource,
    MembershipStatus,
    PlanRecord,
)
from streamer.storage.records import utcnow

_PLAN_NAMES = [field.name for field in fields(PlanRecord)]
_PLAN_COLUMNS = ", ".join(_PLAN_NAMES)
_NAMES = [field.name for field in fields(MembershipRecord)]
_COLUMNS = ", ".join(_NAMES)
_TIMES = ("created_at", "updated_at", "expires_at", "status_at", "past_due_since")


def _plan(row: Row) -> PlanRecord:
    converted = {
        "video_ids": tuple(row["video_ids"] or ()),
        "created_at": aware(row["created_at"]),
        "stripe_price_id": row["stripe_price_id"] or "",
    }
    return PlanRecord(**(row | converted))


def _membership(row: Row) -> MembershipRecord:
    converted = {name: aware(row[name]) for name in _TIMES} | {
        "source": MembershipSource(row["source"]),
        "status": MembershipStatus(row["status"]),
        "stripe_customer_id": row["stripe_customer_id"] or "",
        "note": row["note"] or "",
    }
    return MembershipRecord(**(row | converted))


class CassandraPlans:
    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def create(self, plan: PlanRecord) -> None:
        values = list(astuple(plan))
        values[_PLAN_NAMES.index("video_ids")] = list(plan.video_ids)
        marks = ",".join("?" * len(_PLAN_NAMES))
        await self._db.execute(f"INSERT INTO plans ({_PLAN_COLUMNS}) VALUES ({marks})", values, write=True)

    async def get(self, plan_id: str) -> PlanRecord | None:
        rows = await self._db.execute(f"SELECT {_PLAN_COLUMNS} FROM plans WHERE id = ?", (plan_id,))
        return _plan(rows[0]) if rows and rows[0]["name"] is not None else None

    async def list_all(self, limit: int = 200) -> list[PlanRecord]:
        rows = await self._db.execute(f"SELECT {_PLAN_COLUMNS} FROM plans LIMIT ?", (limit,))
        return sorted((_plan(row) for row in rows if row["name"] is not None), key=lambda plan: plan.created_at)

    async def set_active(self, plan_id: str, active: bool) -> PlanRecord:
        if await self.get(plan_id) is None:
            raise NotFound(f"plan {plan_id}")
        await self._db.execute("UPDATE plans SET active = ? WHERE id = ?", (active, plan_id), write=True)
        plan = await self.get(plan_id)
        if plan is None:
            raise NotFound(f"plan {plan_id}")
        return plan


class CassandraMemberships:
    """`memberships` by id, written only by LWTs; `memberships_by_user` finds a user's rows."""

    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def create(self, membership: MembershipRecord) -> bool:
        await self._index(membership.user_id, membership.id)
        marks = ",".join("?" * len(_NAMES))
        return await self._db.execute_lwt(
            f"INSERT INTO memberships ({_COLUMNS}) VALUES ({marks}) IF NOT EXISTS", astuple(membership)
        )

    async def get(self, membership_id: str) -> MembershipRecord | None:
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM memberships WHERE id = ?", (membership_id,))
        return _membership(rows[0]) if rows else None

    async def for_user(self, user_id: str) -> list[MembershipRecord]:
        rows = await self._db.execute("SELECT membership_id FROM memberships_by_user WHERE user_id = ?", (user_id,))
        ids = [row["membership_id"] for row in rows]
        found = await self._db.execute(f"SELECT {_COLUMNS} FROM memberships WHERE id IN ?", (ids,)) if ids else []
        mine = [membership for membership in map(_membership, found) if membership.user_id == user_id]
        return sorted(mine, key=lambda membership: membership.created_at)

    async def list_all(self, limit: int = 1000) -> list[MembershipRecord]:
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM memberships LIMIT ?", (limit,))
        return sorted((_membership(row) for row in rows), key=lambda m: m.created_at, reverse=True)

    async def swap(self, current: MembershipRecord, wanted: MembershipRecord) -> MembershipRecord | None:
        new = replace(wanted, id=current.id, version=current.version + 1, updated_at=utcnow())
        if new.user_id != current.user_id:
            await self._index(new.user_id, new.id)
        names = [name for name in _NAMES if name != "id"]
        sql = ", ".join(f"{name} = ?" for name in names)
        params = [getattr(new, name) for name in names]
        applied = await self._db.execute_lwt(
            f"UPDATE memberships SET {sql} WHERE id = ? IF version = ?", (*params, current.id, current.version)
        )
        return new if applied else None

    async def _index(self, user_id: str, membership_id: str) -> None:
        if user_id:
            await self._db.execute(
                "INSERT INTO memberships_by_user (user_id, membership_id) VALUES (?, ?)",
                (user_id, membership_id),
                write=True,
            )

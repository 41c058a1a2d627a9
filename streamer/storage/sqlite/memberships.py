from __future__ import annotations

import json
import sqlite3
from dataclasses import astuple, fields, replace

from streamer.storage.errors import NotFound
from streamer.storage.memberships import (
    MembershipRecord,
    MembershipSource,
    MembershipStatus,
    PlanRecord,
)
from streamer.storage.records import utcnow
from streamer.storage.sqlite.connection import Database, Row, from_epoch
from streamer.storage.sqlite.fields import sql_value

_PLAN_NAMES = [field.name for field in fields(PlanRecord)]
_PLAN_COLUMNS = ", ".join(_PLAN_NAMES)
_NAMES = [field.name for field in fields(MembershipRecord)]
_COLUMNS = ", ".join(_NAMES)
_TIMES = ("created_at", "updated_at", "expires_at", "status_at", "past_due_since")


def _plan(row: Row) -> PlanRecord:
    converted = {
        "video_ids": tuple(json.loads(row["video_ids"])),
        "active": bool(row["active"]),
        "created_at": from_epoch(row["created_at"]),
    }
    return PlanRecord(**(row | converted))


def _membership(row: Row) -> MembershipRecord:
    converted = {name: from_epoch(row[name]) for name in _TIMES} | {
        "source": MembershipSource(row["source"]),
        "status": MembershipStatus(row["status"]),
    }
    return MembershipRecord(**(row | converted))


class SqlitePlans:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, plan: PlanRecord) -> None:
        values = [sql_value(value) for value in astuple(plan)]
        values[_PLAN_NAMES.index("video_ids")] = json.dumps(list(plan.video_ids))
        marks = ",".join("?" * len(_PLAN_NAMES))
        await self._db.execute(f"INSERT INTO plans ({_PLAN_COLUMNS}) VALUES ({marks})", values)

    async def get(self, plan_id: str) -> PlanRecord | None:
        row = await self._db.fetch_one(f"SELECT {_PLAN_COLUMNS} FROM plans WHERE id = ?", (plan_id,))
        return _plan(row) if row else None

    async def list_all(self, limit: int = 200) -> list[PlanRecord]:
        rows = await self._db.fetch_all(f"SELECT {_PLAN_COLUMNS} FROM plans ORDER BY created_at LIMIT ?", (limit,))
        return [_plan(row) for row in rows]

    async def set_active(self, plan_id: str, active: bool) -> PlanRecord:
        await self._db.execute("UPDATE plans SET active = ? WHERE id = ?", (int(active), plan_id))
        plan = await self.get(plan_id)
        if plan is None:
            raise NotFound(f"plan {plan_id}")
        return plan


class SqliteMemberships:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, membership: MembershipRecord) -> bool:
        marks = ",".join("?" * len(_NAMES))
        values = [sql_value(value) for value in astuple(membership)]
        try:
            await self._db.execute(f"INSERT INTO memberships ({_COLUMNS}) VALUES ({marks})", values)
        except sqlite3.IntegrityError:
            return False
        return True

    async def get(self, membership_id: str) -> MembershipRecord | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM memberships WHERE id = ?", (membership_id,))
        return _membership(row) if row else None

    async def for_user(self, user_id: str) -> list[MembershipRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM memberships WHERE user_id = ? ORDER BY created_at", (user_id,)
        )
        return [_membership(row) for row in rows]

    async def list_all(self, limit: int = 1000) -> list[MembershipRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM memberships ORDER BY created_at DESC LIMIT ?", (limit,)
        )
        return [_membership(row) for row in rows]

    async def swap(self, current: MembershipRecord, wanted: MembershipRecord) -> MembershipRecord | None:
        new = replace(wanted, id=current.id, version=current.version + 1, updated_at=utcnow())
        names = [name for name in _NAMES if name != "id"]
        sql = ", ".join(f"{name} = ?" for name in names)
        params = [sql_value(getattr(new, name)) for name in names]
        changed = await self._db.execute(
            f"UPDATE memberships SET {sql} WHERE id = ? AND version = ?", (*params, current.id, current.version)
        )
        return new if changed == 1 else None

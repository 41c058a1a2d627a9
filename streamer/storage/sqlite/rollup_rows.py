"""Rollup rows <-> SQLite values (lists as JSON, times as epoch seconds, booleans as 0/1)."""

from __future__ import annotations

import json
from dataclasses import astuple, fields
from typing import Any

from streamer.storage.analytics import DailyStats, MemberDay
from streamer.storage.sqlite.connection import Row, from_epoch, to_epoch

DAILY_COLUMNS = ", ".join(field.name for field in fields(DailyStats))
MEMBER_COLUMNS = ", ".join(field.name for field in fields(MemberDay))


def daily_values(daily: DailyStats) -> tuple[Any, ...]:
    converted = {"startup_hist": json.dumps(daily.startup_hist), "rolled_up_at": to_epoch(daily.rolled_up_at)}
    return tuple(converted.get(field.name, getattr(daily, field.name)) for field in fields(DailyStats))


def daily_row(row: Row) -> DailyStats:
    converted = {
        "startup_hist": tuple(json.loads(row["startup_hist"])),
        "rolled_up_at": from_epoch(row["rolled_up_at"]),
    }
    return DailyStats(**(row | converted))


def member_values(member: MemberDay) -> tuple[Any, ...]:
    values = list(astuple(member))
    names = [field.name for field in fields(MemberDay)]
    values[names.index("completed")] = int(member.completed)
    values[names.index("last_seen")] = to_epoch(member.last_seen)
    return tuple(values)


def member_day(row: Row) -> MemberDay:
    return MemberDay(**(row | {"completed": bool(row["completed"]), "last_seen": from_epoch(row["last_seen"])}))

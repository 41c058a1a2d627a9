"""Analytics on Cassandra: query-first tables (migration 0400), grouped unlogged batches for ingest."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from streamer.storage.analytics import (
    MAX_BUCKET,
    BeatRecord,
    BeatSections,
    DailyStats,
    DayRollup,
    MemberDay,
    ResumeRecord,
    RetentionRow,
    ViewerSummary,
    ViewRecord,
)
from streamer.storage.cassandra import beat_writes
from streamer.storage.cassandra.session import CassandraSession, Row, aware
from streamer.storage.errors import StoreUnavailable

_PAGE = 5000
_MEMBER_SELECT = (
    "SELECT user_id, video_id, view_id, day, started_at, completed, position, duration, updated_at"
    " FROM member_videos WHERE user_id = ?"
)
_DAILY_COLUMNS = ", ".join(field.name for field in fields(DailyStats))
_MEMBER_COLUMNS = ", ".join(field.name for field in fields(MemberDay))


def _view(row: Row) -> ViewRecord:
    converted = {
        "started_at": aware(row["started_at"]),
        "updated_at": aware(row["updated_at"]),
        "bitrate_ms": dict(row["bitrate_ms"] or {}),
        "error": row["error"] or "",
    }
    return ViewRecord(**(row | converted))


def _daily(row: Row) -> DailyStats:
    converted = {"startup_hist": tuple(row["startup_hist"]), "rolled_up_at": aware(row["rolled_up_at"])}
    return DailyStats(**(row | converted))


def _member(row: Row) -> MemberDay:
    return MemberDay(**(row | {"last_seen": aware(row["last_seen"])}))


def _resume(row: Row) -> ResumeRecord:
    updated = aware(row["updated_at"] or row["started_at"])
    assert updated is not None
    return ResumeRecord(
        user_id=row["user_id"],
        video_id=row["video_id"],
        position=row["position"],
        duration=row["duration"],
        updated_at=updated,
        view_id=row["view_id"],
        completed=bool(row["completed"]),
    )


class CassandraAnalytics:
    def __init__(self, db: CassandraSession, max_in_flight: int = 128) -> None:
        self._db = db
        self._slots = asyncio.Semaphore(max_in_flight)

    async def write_beats(self, beats: Sequence[BeatRecord]) -> None:
        results = await asyncio.gather(
            *(self._write(group) for group in beat_writes.plan(beats)), return_exceptions=True
        )
        failed = [result for result in results if isinstance(result, BaseException)]
        if failed:
            reason = str(failed[0]) or type(failed[0]).__name__
            raise StoreUnavailable(f"Cassandra: {len(failed)} heartbeat write(s) failed: {reason}")

    async def _write(self, statements: list[beat_writes.Statement]) -> None:
        async with self._slots:
            if len(statements) == 1:
                await self._db.execute(*statements[0], write=True)
            else:
                await self._db.execute_unlogged_batch(statements)

    async def views_on(self, video_id: str, day: str) -> list[ViewRecord]:
        cql = f"SELECT {beat_writes.VIEW_COLUMNS} FROM views WHERE video_id = ? AND day = ?"
        return [_view(row) for row in await self._all(cql, (video_id, day))]

    async def beat_sections(self, video_id: str, day: str) -> AsyncIterator[list[BeatSections]]:
        cql = "SELECT view_id, sections FROM heartbeats WHERE video_id = ? AND day = ? AND bucket = ?"
        for bucket in range(MAX_BUCKET + 1):
            state: bytes | None = None
            while True:
                rows, state = await self._db.page(cql, (video_id, day, bucket), _PAGE, state)
                if rows:
                    yield [BeatSections(row["view_id"], tuple(row["sections"] or ())) for row in rows]
                if state is None:
                    break

    async def videos_active_on(self, day: str) -> list[str]:
        rows = await self._all("SELECT video_id FROM view_days WHERE day = ?", (day,))
        return [row["video_id"] for row in rows]

    async def resume(self, user_id: str, video_id: str) -> ResumeRecord | None:
        if not user_id:
            return None  # anonymous views keep no position (and Cassandra refuses empty keys)
        rows = await self._db.execute(f"{_MEMBER_SELECT} AND video_id = ?", (user_id, video_id))
        found = await self._resumes(rows)
        return found[0] if found else None

    async def resumes(self, user_id: str) -> list[ResumeRecord]:
        """One read of the member's partition: their rows carry the resume point (migration 0420)."""
        if not user_id:
            return []
        return await self._resumes(await self._all(_MEMBER_SELECT, (user_id,)))

    async def _resumes(self, rows: list[Row]) -> list[ResumeRecord]:
        # A row is an index entry once a view's first beat or end wrote its `started_at`; a plain beat alone
        # (its view's first beat went unrecorded) leaves a row without one, which is not.
        indexed = [row for row in rows if row["started_at"] is not None]
        # Rows last written before migration 0420 have no position yet: theirs is the view row's.
        legacy = [row for row in indexed if row["position"] is None]
        filled: dict[str, Row | None] = {}
        if legacy:
            positions = await asyncio.gather(*(self._view_position(row) for row in legacy))
            filled = {row["video_id"]: position for row, position in zip(legacy, positions, strict=True)}
        found = []
        for row in indexed:
            if row["position"] is None:
                position = filled[row["video_id"]]
                if position is None:
                    continue
                row = row | position
            found.append(_resume(row))
        return found

    async def _view_position(self, member: Row) -> Row | None:
        rows = await self._db.execute(
            "SELECT position, duration, updated_at FROM views WHERE video_id = ? AND day = ? AND view_id = ?",
            (member["video_id"], member["day"], member["view_id"]),
        )
        return rows[0] if rows else None

    async def put_rollup(self, rollup: DayRollup) -> None:
        daily, retention = rollup.daily, rollup.retention
        marks = ",".join("?" * len(fields(DailyStats)))
        daily_values = [getattr(daily, field.name) for field in fields(DailyStats)]
        daily_values[[f.name for f in fields(DailyStats)].index("startup_hist")] = list(daily.startup_hist)
        await self._db.execute(
            f"INSERT INTO video_daily_stats ({_DAILY_COLUMNS}) VALUES ({marks})", daily_values, write=True
        )
        await self._db.execute(
            "INSERT INTO video_retention (video_id, day, views, counts) VALUES (?, ?, ?, ?)",
            (retention.video_id, retention.day, retention.views, list(retention.counts)),
            write=True,
        )
        await self._put_members(rollup.members)

    async def _put_members(self, members: list[MemberDay]) -> None:
        marks = ",".join("?" * len(fields(MemberDay)))
        cql = f"INSERT INTO video_member_days ({_MEMBER_COLUMNS}) VALUES ({marks})"
        rows = [(cql, [getattr(member, field.name) for field in fields(MemberDay)]) for member in members]
        size = beat_writes.MAX_BATCH_ROWS
        await asyncio.gather(
            *(self._db.execute_unlogged_batch(rows[start : start + size]) for start in range(0, len(rows), size))
        )

    async def daily(self, video_id: str, first_day: str, last_day: str) -> list[DailyStats]:
        rows = await self._all(
            f"SELECT {_DAILY_COLUMNS} FROM video_daily_stats WHERE video_id = ? AND day >= ? AND day <= ?",
            (video_id, first_day, last_day),
        )
        return [_daily(row) for row in rows]

    async def retention(self, video_id: str, first_day: str, last_day: str) -> list[RetentionRow]:
        rows = await self._all(
            "SELECT video_id, day, views, counts FROM video_retention WHERE video_id = ? AND day >= ? AND day <= ?",
            (video_id, first_day, last_day),
        )
        return [RetentionRow(**(row | {"counts": tuple(row["counts"])})) for row in rows]

    async def member_days(self, video_id: str) -> list[MemberDay]:
        rows = await self._all(f"SELECT {_MEMBER_COLUMNS} FROM video_member_days WHERE video_id = ?", (video_id,))
        return [_member(row) for row in rows]

    async def put_viewer_summary(self, summary: ViewerSummary) -> None:
        await self._db.execute(
            "INSERT INTO video_viewer_summary (video_id, last_days, member_days, rolled_up_at) VALUES (?, ?, ?, ?)",
            (summary.video_id, dict(summary.last_days), dict(summary.member_days), summary.rolled_up_at),
            write=True,
        )

    async def viewer_summary(self, video_id: str) -> ViewerSummary | None:
        rows = await self._db.execute(
            "SELECT video_id, last_days, member_days, rolled_up_at FROM video_viewer_summary WHERE video_id = ?",
            (video_id,),
        )
        if not rows:
            return None
        row = rows[0]
        rolled_up_at = aware(row["rolled_up_at"])
        assert rolled_up_at is not None
        return ViewerSummary(
            row["video_id"], dict(row["last_days"] or {}), dict(row["member_days"] or {}), rolled_up_at
        )

    async def purge_beats(self, before: datetime) -> int:
        return 0  # every raw row was written USING TTL; TWCS drops expired SSTables whole

    async def _all(self, cql: str, params: Sequence[Any]) -> list[Row]:
        rows: list[Row] = []
        state: bytes | None = None
        while True:
            page, state = await self._db.page(cql, params, _PAGE, state)
            rows.extend(page)
            if state is None:
                return rows

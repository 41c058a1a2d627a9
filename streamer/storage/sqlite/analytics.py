"""Analytics on SQLite: one transaction per batch of beats (executemany), upserts ordered by seq."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

from streamer.storage.analytics import (
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
from streamer.storage.errors import StoreUnavailable
from streamer.storage.sqlite.connection import Database, Row, from_epoch, to_epoch
from streamer.storage.sqlite.rollup_rows import (
    DAILY_COLUMNS,
    MEMBER_COLUMNS,
    daily_row,
    daily_values,
    member_day,
    member_values,
)

_BEAT_PAGE = 5000


def marks_for(columns: str) -> str:
    return ",".join("?" * len(columns.split(",")))


_INSERT_BEAT = (
    "INSERT OR REPLACE INTO heartbeats (view_id, seq, video_id, day, bucket, received_at, expires_at, event, position,"
    " sections, played_ms, stall_ms, stall_count, seeks, startup_ms, bitrate, rendition_height, player_height, error)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
_VIEW_COLUMNS = (
    "view_id, video_id, day, user_id, viewer_id, started_at, updated_at, seq, last_event, position, duration,"
    " played_ms, stall_ms, stall_count, seeks, startup_ms, bitrate_ms, upscale_ms, bitrate, rendition_height,"
    " player_height, error, ended"
)
_VIEW_UPDATES = ", ".join(
    f"{name} = excluded.{name}" for name in _VIEW_COLUMNS.replace(" ", "").split(",") if name != "view_id"
)
_UPSERT_VIEW = (
    f"INSERT INTO views ({_VIEW_COLUMNS}) VALUES ({','.join('?' * 23)})"
    f" ON CONFLICT (view_id) DO UPDATE SET {_VIEW_UPDATES} WHERE excluded.seq > views.seq"
)
_UPSERT_MEMBER = (
    "INSERT INTO member_videos (user_id, video_id, view_id, started_at, completed) VALUES (?,?,?,?,?)"
    " ON CONFLICT (user_id, video_id) DO UPDATE SET"
    " completed = MAX(member_videos.completed, excluded.completed),"
    " view_id = CASE WHEN excluded.started_at >= member_videos.started_at THEN excluded.view_id ELSE view_id END,"
    " started_at = MAX(member_videos.started_at, excluded.started_at)"
)
# A plain beat of a member's later view moves their existing index row to it (it never makes one), as a plain
# beat's write to the Cassandra row does: the resume point is that of the latest view with a recorded beat.
_MOVE_MEMBER = (
    "UPDATE member_videos SET view_id = ?, started_at = ? WHERE user_id = ? AND video_id = ? AND started_at < ?"
)
_RESUME = (
    "SELECT m.user_id, m.video_id, v.position, v.duration, v.updated_at, m.view_id, m.completed"
    " FROM member_videos m JOIN views v ON v.view_id = m.view_id WHERE m.user_id = ?"
)


def _beat_values(beat: BeatRecord) -> tuple[Any, ...]:
    view = beat.view
    received = view.updated_at.timestamp()
    return (
        view.view_id,
        view.seq,
        view.video_id,
        view.day,
        beat.bucket,
        received,
        received + beat.ttl_seconds,
        view.last_event,
        view.position,
        json.dumps(beat.sections),
        view.played_ms,
        view.stall_ms,
        view.stall_count,
        view.seeks,
        view.startup_ms,
        view.bitrate,
        view.rendition_height,
        view.player_height,
        view.error,
    )


def _view_values(view: ViewRecord) -> tuple[Any, ...]:
    bitrates = json.dumps({str(rate): ms for rate, ms in sorted(view.bitrate_ms.items())})
    return (
        view.view_id,
        view.video_id,
        view.day,
        view.user_id,
        view.viewer_id,
        to_epoch(view.started_at),
        to_epoch(view.updated_at),
        view.seq,
        view.last_event,
        view.position,
        view.duration,
        view.played_ms,
        view.stall_ms,
        view.stall_count,
        view.seeks,
        view.startup_ms,
        bitrates,
        view.upscale_ms,
        view.bitrate,
        view.rendition_height,
        view.player_height,
        view.error,
        int(view.ended),
    )


def _member_values(beat: BeatRecord) -> tuple[Any, ...]:
    view = beat.view
    return (view.user_id, view.video_id, view.view_id, to_epoch(view.started_at), int(view.ended))


def _move_values(beat: BeatRecord) -> tuple[Any, ...]:
    view = beat.view
    started = to_epoch(view.started_at)
    return (view.view_id, started, view.user_id, view.video_id, started)


def _view(row: Row) -> ViewRecord:
    converted = {
        "started_at": from_epoch(row["started_at"]),
        "updated_at": from_epoch(row["updated_at"]),
        "bitrate_ms": {int(rate): ms for rate, ms in json.loads(row["bitrate_ms"]).items()},
        "ended": bool(row["ended"]),
    }
    return ViewRecord(**(row | converted))


def _resume(row: Row) -> ResumeRecord:
    converted = {"updated_at": from_epoch(row["updated_at"]), "completed": bool(row["completed"])}
    return ResumeRecord(**(row | converted))


class SqliteAnalytics:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def write_beats(self, beats: Sequence[BeatRecord]) -> None:
        days = sorted({(beat.view.day, beat.view.video_id) for beat in beats})
        groups: list[tuple[str, Sequence[Sequence[Any]]]] = [
            (_INSERT_BEAT, [_beat_values(beat) for beat in beats]),
            (_UPSERT_VIEW, [_view_values(beat.view) for beat in beats]),
            (_UPSERT_MEMBER, [_member_values(beat) for beat in beats if beat.index_member and beat.view.user_id]),
            (_MOVE_MEMBER, [_move_values(beat) for beat in beats if not beat.index_member and beat.view.user_id]),
            ("INSERT OR IGNORE INTO view_days (day, video_id) VALUES (?, ?)", days),
        ]
        try:
            await self._db.transaction_many(groups)
        except (sqlite3.Error, ValueError) as error:
            raise StoreUnavailable(f"SQLite: cannot write heartbeats: {error}") from error

    async def views_on(self, video_id: str, day: str) -> list[ViewRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_VIEW_COLUMNS} FROM views WHERE video_id = ? AND day = ? ORDER BY view_id", (video_id, day)
        )
        return [_view(row) for row in rows]

    async def beat_sections(self, video_id: str, day: str) -> AsyncIterator[list[BeatSections]]:
        after: tuple[str, int] = ("", -1)
        while True:
            rows = await self._db.fetch_all(
                "SELECT view_id, seq, sections FROM heartbeats WHERE video_id = ? AND day = ?"
                " AND (view_id, seq) > (?, ?) ORDER BY view_id, seq LIMIT ?",
                (video_id, day, *after, _BEAT_PAGE),
            )
            if not rows:
                return
            yield [BeatSections(row["view_id"], tuple(json.loads(row["sections"]))) for row in rows]
            after = (rows[-1]["view_id"], rows[-1]["seq"])

    async def videos_active_on(self, day: str) -> list[str]:
        rows = await self._db.fetch_all("SELECT video_id FROM view_days WHERE day = ? ORDER BY video_id", (day,))
        return [row["video_id"] for row in rows]

    async def resume(self, user_id: str, video_id: str) -> ResumeRecord | None:
        row = await self._db.fetch_one(f"{_RESUME} AND m.video_id = ?", (user_id, video_id))
        return _resume(row) if row else None

    async def resumes(self, user_id: str) -> list[ResumeRecord]:
        return [_resume(row) for row in await self._db.fetch_all(_RESUME, (user_id,))]

    async def put_rollup(self, rollup: DayRollup) -> None:
        daily, retention = rollup.daily, rollup.retention
        member_sql = f"INSERT OR REPLACE INTO video_member_days ({MEMBER_COLUMNS}) VALUES ({marks_for(MEMBER_COLUMNS)})"
        statements: list[tuple[str, Sequence[Any]]] = [
            (
                f"INSERT OR REPLACE INTO video_daily_stats ({DAILY_COLUMNS}) VALUES ({marks_for(DAILY_COLUMNS)})",
                daily_values(daily),
            ),
            (
                "INSERT OR REPLACE INTO video_retention (video_id, day, views, counts) VALUES (?, ?, ?, ?)",
                (retention.video_id, retention.day, retention.views, json.dumps(retention.counts)),
            ),
        ]
        statements += [(member_sql, member_values(member)) for member in rollup.members]
        await self._db.transaction(statements)

    async def daily(self, video_id: str, first_day: str, last_day: str) -> list[DailyStats]:
        rows = await self._db.fetch_all(
            f"SELECT {DAILY_COLUMNS} FROM video_daily_stats WHERE video_id = ? AND day BETWEEN ? AND ? ORDER BY day",
            (video_id, first_day, last_day),
        )
        return [daily_row(row) for row in rows]

    async def retention(self, video_id: str, first_day: str, last_day: str) -> list[RetentionRow]:
        rows = await self._db.fetch_all(
            "SELECT video_id, day, views, counts FROM video_retention WHERE video_id = ? AND day BETWEEN ? AND ?"
            " ORDER BY day",
            (video_id, first_day, last_day),
        )
        return [RetentionRow(**(row | {"counts": tuple(json.loads(row["counts"]))})) for row in rows]

    async def member_days(self, video_id: str) -> list[MemberDay]:
        rows = await self._db.fetch_all(
            f"SELECT {MEMBER_COLUMNS} FROM video_member_days WHERE video_id = ? ORDER BY viewer_id, day", (video_id,)
        )
        return [member_day(row) for row in rows]

    async def put_viewer_summary(self, summary: ViewerSummary) -> None:
        await self._db.execute(
            "INSERT OR REPLACE INTO video_viewer_summary (video_id, last_days, member_days, rolled_up_at)"
            " VALUES (?, ?, ?, ?)",
            (
                summary.video_id,
                json.dumps(dict(summary.last_days)),
                json.dumps(dict(summary.member_days)),
                summary.rolled_up_at.timestamp(),
            ),
        )

    async def viewer_summary(self, video_id: str) -> ViewerSummary | None:
        row = await self._db.fetch_one(
            "SELECT video_id, last_days, member_days, rolled_up_at FROM video_viewer_summary WHERE video_id = ?",
            (video_id,),
        )
        if row is None:
            return None
        rolled_up_at = from_epoch(row["rolled_up_at"])
        assert rolled_up_at is not None
        return ViewerSummary(
            row["video_id"], json.loads(row["last_days"]), json.loads(row["member_days"]), rolled_up_at
        )

    async def purge_beats(self, before: datetime) -> int:
        return await self._db.execute("DELETE FROM heartbeats WHERE expires_at < ?", (before.timestamp(),))

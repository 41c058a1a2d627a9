"""What the analytics pages and their JSON show: one video, every video of an instructor, member progress.

Reads only rollup tables, a handful of partitions per video, so a page costs the same for ten views or
ten million heartbeats.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from streamer.analytics.metrics import DayPoint, Summary, day_series, retention_curve, summarize
from streamer.analytics.points import from_hex
from streamer.storage.analytics import DailyStats, MemberDay
from streamer.storage.base import Store


@dataclass(frozen=True)
class Span:
    days: list[str]

    @property
    def first(self) -> str:
        return self.days[0]

    @property
    def last(self) -> str:
        return self.days[-1]


def last_days(today: date, count: int) -> Span:
    return Span([(today - timedelta(days=back)).isoformat() for back in range(count - 1, -1, -1)])


@dataclass(frozen=True)
class VideoReport:
    video_id: str
    span: Span
    summary: Summary
    daily: list[DayPoint]
    retention: list[float]
    rolled_up_at: datetime | None


@dataclass(frozen=True)
class MemberProgress:
    user_id: str
    views: int
    attempts: int
    played_ms: int
    percent_viewed: int
    completed: bool
    last_seen: datetime


def unique_viewers(days: Sequence[DailyStats], members: Sequence[MemberDay], span: Span) -> int:
    """Distinct members with a counted view in the span, plus each day's anonymous viewers (every anonymous
    counted view is its own viewer)."""
    inside = [m for m in members if span.first <= m.day <= span.last and m.views > 0]
    member_days: dict[str, int] = {}
    for member in inside:
        member_days[member.day] = member_days.get(member.day, 0) + 1
    anonymous = sum(max(0, d.unique_viewers - member_days.get(d.day, 0)) for d in days)
    return len({m.viewer_id for m in inside}) + anonymous


async def video_report(store: Store, video_id: str, span: Span) -> VideoReport:
    days, retention, members = await asyncio.gather(
        store.analytics.daily(video_id, span.first, span.last),
        store.analytics.retention(video_id, span.first, span.last),
        store.analytics.member_days(video_id),
    )
    return VideoReport(
        video_id=video_id,
        span=span,
        summary=summarize(days, unique_viewers(days, members, span)),
        daily=day_series(days, span.days),
        retention=retention_curve(retention),
        rolled_up_at=max((d.rolled_up_at for d in days), default=None),
    )


async def member_progress(store: Store, video_id: str) -> list[MemberProgress]:
    """Every member who played the video, all time, most recently seen first."""
    by_member: dict[str, list[MemberDay]] = {}
    for row in await store.analytics.member_days(video_id):
        by_member.setdefault(row.viewer_id, []).append(row)
    progress = [_progress(rows) for rows in by_member.values()]
    return sorted(progress, key=lambda p: p.last_seen, reverse=True)


def _progress(rows: list[MemberDay]) -> MemberProgress:
    mask = 0
    for row in rows:
        mask |= from_hex(row.points)
    return MemberProgress(
        user_id=rows[0].user_id,
        views=sum(row.views for row in rows),
        attempts=sum(row.attempts for row in rows),
        played_ms=sum(row.played_ms for row in rows),
        percent_viewed=mask.bit_count(),
        completed=any(row.completed for row in rows),
        last_seen=max(row.last_seen for row in rows),
    )


@dataclass(frozen=True)
class Overview:
    span: Span
    videos: list[VideoReport]
    daily: list[DayPoint]


async def overview(store: Store, video_ids: Sequence[str], span: Span) -> Overview:
    """Every video's report, and the views and watch time of all of them per day."""
    reports = list(await asyncio.gather(*(video_report(store, video_id, span) for video_id in video_ids)))
    daily = [
        DayPoint(day, sum(r.daily[i].views for r in reports), sum(r.daily[i].watch_time_ms for r in reports))
        for i, day in enumerate(span.days)
    ]
    return Overview(span, reports, daily)

"""What the analytics pages and their JSON show: one video, every video of an instructor, member progress.

A video's page reads only rollup tables, a handful of rows per day of the period and one viewer summary row,
so it costs the same for ten views or ten million heartbeats, and for ten members or a million. (The member
progress page lists every member, so it reads a row per member and day.)
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from streamer.analytics.metrics import DayPoint, Summary, day_series, retention_curve, summarize
from streamer.analytics.points import from_hex
from streamer.storage.analytics import DailyStats, MemberDay, ViewerSummary
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


# The longest period a page shows is 365 days: older days are dropped from the viewer summary.
SUMMARY_DAYS = 400


def viewer_summary(video_id: str, members: Sequence[MemberDay], now: datetime) -> ViewerSummary:
    """The video's members counted by the latest day they had a counted view, and per day (the rollup)."""
    oldest = (now - timedelta(days=SUMMARY_DAYS)).date().isoformat()
    latest: dict[str, str] = {}
    per_day: Counter[str] = Counter()
    for member in members:
        if member.views > 0:
            per_day[member.day] += 1
            latest[member.viewer_id] = max(latest.get(member.viewer_id, ""), member.day)
    last_days = Counter(day for day in latest.values() if day >= oldest)
    member_days = {day: count for day, count in per_day.items() if day >= oldest}
    return ViewerSummary(video_id, dict(last_days), member_days, now)


def unique_viewers(days: Sequence[DailyStats], summary: ViewerSummary, span: Span) -> int:
    """Distinct members with a counted view in the span (which ends today: those whose latest counted day is
    in it), plus each day's anonymous viewers (every anonymous counted view is its own viewer)."""
    members = sum(count for day, count in summary.last_days.items() if span.first <= day <= span.last)
    anonymous = sum(max(0, d.unique_viewers - summary.member_days.get(d.day, 0)) for d in days)
    return members + anonymous


async def refresh_viewer_summary(store: Store, video_id: str, now: datetime) -> ViewerSummary:
    """Recompute the video's viewer summary from all its member days and store it (the rollup's last step)."""
    summary = viewer_summary(video_id, await store.analytics.member_days(video_id), now)
    await store.analytics.put_viewer_summary(summary)
    return summary


async def _summary_of(store: Store, video_id: str, today: str) -> ViewerSummary:
    """The stored summary; computed from the member days when no rollup wrote one yet (videos not rolled up
    since the summary was introduced: the rollup of any of their days writes it)."""
    stored = await store.analytics.viewer_summary(video_id)
    if stored is not None:
        return stored
    now = datetime.fromisoformat(today + "T00:00:00+00:00")
    return viewer_summary(video_id, await store.analytics.member_days(video_id), now)


async def video_report(store: Store, video_id: str, span: Span) -> VideoReport:
    days, retention, summary = await asyncio.gather(
        store.analytics.daily(video_id, span.first, span.last),
        store.analytics.retention(video_id, span.first, span.last),
        _summary_of(store, video_id, span.last),
    )
    return VideoReport(
        video_id=video_id,
        span=span,
        summary=summarize(days, unique_viewers(days, summary, span)),
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

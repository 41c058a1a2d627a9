"""One video's day, summed from its views and the points each watched: what the rollup stores.

Pure functions; docs/analytics.md defines every figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from streamer.analytics.points import count_points, to_hex
from streamer.storage.analytics import DailyStats, DayRollup, MemberDay, RetentionRow, ViewRecord

COUNT_AFTER_MS = 10_000
SHORT_VIDEO_SECONDS = 20.0
# Upper edges (ms) of the startup-time histogram; a last bucket holds everything slower.
STARTUP_EDGES = (100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 8000, 12000, 20000)


def qualifies(view: ViewRecord) -> bool:
    """A view counts once it played 10 s, or half of a video shorter than 20 s."""
    if view.played_ms >= COUNT_AFTER_MS:
        return True
    return 0 < view.duration < SHORT_VIDEO_SECONDS and view.played_ms >= view.duration * 500


def counted_views(views: Iterable[ViewRecord]) -> list[ViewRecord]:
    """The views that count: qualifying, and at most one per viewer per clock hour (the earliest)."""
    seen: set[tuple[str, str]] = set()
    counted = []
    for view in sorted(views, key=lambda v: (v.started_at, v.view_id)):
        hour = (view.viewer_id, view.started_at.strftime("%Y-%m-%dT%H"))
        if qualifies(view) and hour not in seen:
            seen.add(hour)
            counted.append(view)
    return counted


def startup_histogram(startups: Iterable[int]) -> tuple[int, ...]:
    counts = [0] * (len(STARTUP_EDGES) + 1)
    for startup in startups:
        counts[next((i for i, edge in enumerate(STARTUP_EDGES) if startup < edge), len(STARTUP_EDGES))] += 1
    return tuple(counts)


def summarize_day(
    video_id: str, day: str, views: Sequence[ViewRecord], points: Mapping[str, int], now: datetime
) -> DayRollup:
    """The day's stats, retention and member rows, from its views and the points each view watched."""
    counted = counted_views(views)
    started = [view for view in views if view.startup_ms is not None]
    retention = RetentionRow(video_id, day, len(started), count_points(points.get(v.view_id, 0) for v in started))
    return DayRollup(
        daily=_daily(video_id, day, views, counted, points, now),
        retention=retention,
        members=_members(video_id, day, views, counted, points),
    )


def _daily(
    video_id: str,
    day: str,
    views: Sequence[ViewRecord],
    counted: Sequence[ViewRecord],
    points: Mapping[str, int],
    now: datetime,
) -> DailyStats:
    return DailyStats(
        video_id=video_id,
        day=day,
        views=len(counted),
        attempts=len(views),
        unique_viewers=len({view.viewer_id for view in counted}),
        playing_ms=sum(view.played_ms for view in views),
        watch_ms=sum(view.played_ms + view.stall_ms + (view.startup_ms or 0) for view in views),
        completed_views=sum(1 for view in counted if view.ended),
        viewed_points=sum(points.get(view.view_id, 0).bit_count() for view in counted),
        exits_before_start=sum(1 for view in views if view.startup_ms is None and not view.error),
        failures=sum(1 for view in views if view.error),
        stall_ms=sum(view.stall_ms for view in views),
        stall_count=sum(view.stall_count for view in views),
        startup_hist=startup_histogram(view.startup_ms for view in views if view.startup_ms is not None),
        bitrate_weighted=sum(rate * ms for view in views for rate, ms in view.bitrate_ms.items()),
        bitrate_ms=sum(ms for view in views for ms in view.bitrate_ms.values()),
        upscale_ms=sum(view.upscale_ms for view in views),
        rolled_up_at=now,
    )


def _members(
    video_id: str, day: str, views: Sequence[ViewRecord], counted: Sequence[ViewRecord], points: Mapping[str, int]
) -> list[MemberDay]:
    by_viewer: dict[str, list[ViewRecord]] = defaultdict(list)
    for view in views:
        if view.user_id:  # members only: anonymous views count in the figures, not in the progress table
            by_viewer[view.viewer_id].append(view)
    counted_ids = {view.view_id for view in counted}
    members = []
    for viewer_id, own in sorted(by_viewer.items()):
        mask = 0
        for view in own:
            mask |= points.get(view.view_id, 0)
        members.append(
            MemberDay(
                video_id=video_id,
                viewer_id=viewer_id,
                day=day,
                user_id=own[0].user_id,
                views=sum(1 for view in own if view.view_id in counted_ids),
                attempts=len(own),
                played_ms=sum(view.played_ms for view in own),
                points=to_hex(mask),
                completed=any(view.ended for view in own),
                last_seen=max(view.updated_at for view in own),
            )
        )
    return members

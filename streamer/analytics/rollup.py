"""The rollup: recompute each video's day from its view rows and raw heartbeats, and replace the stored day.

Rerunnable: a day is always recomputed whole, never incremented. Views may keep beating until their token
expires, so the rollup of a day settles once the next day is over; by default it redoes today and yesterday.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from streamer.analytics.daily import summarize_day
from streamer.analytics.points import section_points
from streamer.analytics.records import day_of
from streamer.analytics.reports import refresh_viewer_summary
from streamer.storage.analytics import DayRollup
from streamer.storage.base import Store
from streamer.storage.records import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RollupReport:
    days: list[str]
    video_days: int
    views: int
    heartbeats: int
    seconds: float
    skipped: list[str]

    def line(self) -> str:
        text = (
            f"rolled up {self.video_days} video-day(s) over {len(self.days)} day(s): "
            f"{self.views} view(s) from {self.heartbeats} heartbeat(s) in {self.seconds:.1f} s"
        )
        if self.skipped:
            text += f"; skipped {', '.join(self.skipped)} (raw heartbeats already expired)"
        return text


async def rollup_video_day(store: Store, video_id: str, day: str, now: datetime) -> tuple[DayRollup, int]:
    """Recompute and store one video's day; returns it and the number of heartbeats read."""
    views = await store.analytics.views_on(video_id, day)
    durations = {view.view_id: view.duration for view in views}
    points: dict[str, int] = dict.fromkeys(durations, 0)
    beats = 0
    async for page in store.analytics.beat_sections(video_id, day):
        beats += len(page)
        for beat in page:
            if beat.view_id in points:
                points[beat.view_id] |= section_points(beat.sections, durations[beat.view_id])
    rollup = summarize_day(video_id, day, views, points, now)
    await store.analytics.put_rollup(rollup)
    return rollup, beats


def recent_days(now: datetime, back: int = 1) -> list[str]:
    """Today and the `back` days before it (UTC), oldest first."""
    return [day_of(now - timedelta(days=offset)) for offset in range(back, -1, -1)]


async def rollup(store: Store, days: Sequence[str], raw_ttl_days: int, now: datetime | None = None) -> RollupReport:
    """Roll up every video with views on `days`. Days whose raw heartbeats have expired are skipped: redoing
    them would lose their retention."""
    now = now or utcnow()
    started = time.monotonic()
    oldest = (now - timedelta(days=raw_ttl_days - 1)).date()
    usable = [day for day in days if date.fromisoformat(day) >= oldest]
    video_days = views = beats = 0
    rolled: set[str] = set()
    for day in usable:
        for video_id in await store.analytics.videos_active_on(day):
            result, read = await rollup_video_day(store, video_id, day, now)
            video_days, views, beats = video_days + 1, views + result.daily.views, beats + read
            rolled.add(video_id)
    for video_id in sorted(rolled):  # after all its days: unique viewers over any period, from one row
        await refresh_viewer_summary(store, video_id, now)
    await store.analytics.purge_beats(now)  # raw rows whose expiry (arrival + raw TTL) has passed
    skipped = [day for day in days if day not in usable]
    return RollupReport(list(usable), video_days, views, beats, time.monotonic() - started, skipped)


async def run_periodically(store: Store, interval: float, raw_ttl_days: int, stop: asyncio.Event) -> None:
    """For `streamer worker`: roll up today and yesterday now, then every `interval` seconds until `stop` is
    set (a round in progress is finished). A failed round is logged and retried at the next one."""
    while True:
        try:
            report = await rollup(store, recent_days(utcnow()), raw_ttl_days)
            log.info("%s", report.line())
        except Exception:
            log.exception("analytics rollup failed; retrying in %.0f s", interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
        if stop.is_set():
            return

"""The figures instructors see, computed from rolled-up days. docs/analytics.md defines each one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from streamer.analytics.daily import STARTUP_EDGES
from streamer.storage.analytics import RETENTION_POINTS, DailyStats, RetentionRow


@dataclass(frozen=True)
class DayPoint:
    day: str
    views: int
    watch_time_ms: int


@dataclass(frozen=True)
class Summary:
    views: int
    unique_viewers: int
    attempts: int
    playing_time_ms: int
    watch_time_ms: int
    average_view_duration_s: float
    average_percent_viewed: float
    completion_rate: float
    startup_p50_ms: float | None
    startup_p95_ms: float | None
    exits_before_start: int
    exits_before_start_rate: float
    playback_failures: int
    playback_failure_rate: float
    rebuffer_percent: float
    rebuffer_count: int
    weighted_average_bitrate: float | None
    upscale_percent: float


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def percentile(histogram: Sequence[int], fraction: float) -> float | None:
    """The value below which `fraction` of the histogram lies, interpolated within its bucket (ms).
    The open last bucket answers its lower edge."""
    total = sum(histogram)
    if not total:
        return None
    wanted, seen = fraction * total, 0
    lower = 0.0
    for index, count in enumerate(histogram):
        upper = float(STARTUP_EDGES[index]) if index < len(STARTUP_EDGES) else lower
        if count and seen + count >= wanted:
            return lower + (upper - lower) * (wanted - seen) / count
        seen += count
        lower = upper
    return lower


def merged_histogram(days: Sequence[DailyStats]) -> list[int]:
    merged = [0] * (len(STARTUP_EDGES) + 1)
    for day in days:
        for index, count in enumerate(day.startup_hist[: len(merged)]):
            merged[index] += count
    return merged


def summarize(days: Sequence[DailyStats], unique_viewers: int) -> Summary:
    """Figures over `days`. Unique viewers cannot be summed over days, so the caller counts them."""
    views = sum(d.views for d in days)
    attempts = sum(d.attempts for d in days)
    playing = sum(d.playing_ms for d in days)
    watch = sum(d.watch_ms for d in days)
    histogram = merged_histogram(days)
    exits, failures = sum(d.exits_before_start for d in days), sum(d.failures for d in days)
    bitrate_ms = sum(d.bitrate_ms for d in days)
    return Summary(
        views=views,
        unique_viewers=unique_viewers,
        attempts=attempts,
        playing_time_ms=playing,
        watch_time_ms=watch,
        average_view_duration_s=_ratio(playing, views) / 1000,
        average_percent_viewed=_ratio(sum(d.viewed_points for d in days), views) * 100 / RETENTION_POINTS,
        completion_rate=_ratio(sum(d.completed_views for d in days), views),
        startup_p50_ms=percentile(histogram, 0.50),
        startup_p95_ms=percentile(histogram, 0.95),
        exits_before_start=exits,
        exits_before_start_rate=_ratio(exits, attempts),
        playback_failures=failures,
        playback_failure_rate=_ratio(failures, attempts),
        rebuffer_percent=_ratio(sum(d.stall_ms for d in days), watch) * 100,
        rebuffer_count=sum(d.stall_count for d in days),
        weighted_average_bitrate=sum(d.bitrate_weighted for d in days) / bitrate_ms if bitrate_ms else None,
        upscale_percent=_ratio(sum(d.upscale_ms for d in days), playing) * 100,
    )


def retention_curve(rows: Sequence[RetentionRow]) -> list[float]:
    """Percent of started views that watched each of the 100 points (empty when there are none)."""
    started = sum(row.views for row in rows)
    if not started:
        return []
    totals = [sum(row.counts[point] for row in rows) for point in range(RETENTION_POINTS)]
    return [100.0 * count / started for count in totals]


def day_series(days: Sequence[DailyStats], all_days: Sequence[str]) -> list[DayPoint]:
    """One point per day of `all_days`, zero where nothing was rolled up."""
    by_day = {d.day: d for d in days}
    return [
        DayPoint(day, by_day[day].views if day in by_day else 0, by_day[day].watch_ms if day in by_day else 0)
        for day in all_days
    ]

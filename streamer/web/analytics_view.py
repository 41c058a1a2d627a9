"""How analytics figures read on a page: units, rounding, one line of meaning each; and their JSON form."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from streamer.analytics.metrics import Summary


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    hint: str


def clock(seconds: float) -> str:
    """m:ss, or h:mm:ss from an hour on."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def duration_text(seconds: float) -> str:
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def axis_duration(seconds: float) -> str:
    """Short enough for a chart axis: 45 s, 12 min, 3.5 h."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.3g} min"
    return f"{seconds / 3600:.3g} h"


def percent(fraction: float) -> str:
    return f"{fraction * 100:.1f} %"


def bitrate_text(bits_per_second: float | None) -> str:
    if bits_per_second is None:
        return "–"
    if bits_per_second >= 1_000_000:
        return f"{bits_per_second / 1_000_000:.2f} Mbit/s"
    return f"{bits_per_second / 1000:.0f} kbit/s"


def milliseconds_text(ms: float | None) -> str:
    return "–" if ms is None else f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.2f} s"


def engagement(summary: Summary) -> list[Figure]:
    return [
        Figure("Views", f"{summary.views:,}", "Plays of 10 s or more (half of a short video), one per viewer per hour"),
        Figure("Unique viewers", f"{summary.unique_viewers:,}", "Different people behind those views"),
        Figure("Watch time", duration_text(summary.watch_time_ms / 1000), "Playing, plus startup and rebuffering"),
        Figure("Playing time", duration_text(summary.playing_time_ms / 1000), "Time the video was actually playing"),
        Figure("Average view duration", duration_text(summary.average_view_duration_s), "Playing time per view"),
        Figure("Average % viewed", f"{summary.average_percent_viewed:.1f} %", "Share of the video a view covered"),
        Figure("Completion rate", percent(summary.completion_rate), "Views that reached the end"),
    ]


def quality(summary: Summary) -> list[Figure]:
    return [
        Figure("Startup time p50", milliseconds_text(summary.startup_p50_ms), "From pressing play to the first frame"),
        Figure("Startup time p95", milliseconds_text(summary.startup_p95_ms), "95 % of starts were faster than this"),
        Figure(
            "Exits before start",
            f"{summary.exits_before_start:,} ({percent(summary.exits_before_start_rate)})",
            "Play attempts abandoned before the first frame, without an error",
        ),
        Figure(
            "Playback failures",
            f"{summary.playback_failures:,} ({percent(summary.playback_failure_rate)})",
            "Play attempts ended by a fatal error",
        ),
        Figure(
            "Rebuffering",
            f"{summary.rebuffer_percent:.2f} %",
            f"{summary.rebuffer_count:,} stalls; share of watch time",
        ),
        Figure("Average bitrate", bitrate_text(summary.weighted_average_bitrate), "Weighted by time played at each"),
        Figure("Upscaled", f"{summary.upscale_percent:.1f} %", "Playing time with a rendition smaller than the player"),
    ]


def jsonable(value: Any) -> Any:
    """Dataclasses, lists and datetimes as JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: jsonable(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, datetime):
        return value.isoformat()
    return value

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from streamer.analytics.daily import counted_views, startup_histogram, summarize_day
from streamer.analytics.metrics import percentile, retention_curve, summarize
from streamer.analytics.points import ALL_POINTS, span_points
from streamer.storage.analytics import ViewRecord
from tests.storage.test_analytics_contract import a_view

NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def view(viewer: str = "u1", minutes: int = 0, **changes: object) -> ViewRecord:
    base = a_view("vid", viewer, started_at=NOON + timedelta(minutes=minutes), played_ms=30_000, startup_ms=500)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_view_counts_after_10_s_of_playing() -> None:
    assert counted_views([view(played_ms=9_999)]) == []
    assert len(counted_views([view(played_ms=10_000)])) == 1


def test_a_short_video_counts_after_half_of_it() -> None:
    short = view(duration=8.0, played_ms=4_000)
    assert counted_views([short]) == [short]
    assert counted_views([replace(short, played_ms=3_900)]) == []


def test_one_view_per_viewer_per_hour() -> None:
    views = [view("u1", 0), view("u1", 30), view("u1", 65), view("u2", 5)]
    assert [(v.viewer_id, v.started_at.minute) for v in counted_views(views)] == [("u1", 0), ("u2", 5), ("u1", 5)]


def test_startup_times_fall_into_histogram_buckets() -> None:
    assert startup_histogram([50, 150, 150, 60_000])[:3] == (1, 2, 0)
    assert startup_histogram([60_000])[-1] == 1


def test_percentiles_interpolate_within_a_bucket() -> None:
    histogram = [0, 0, 0, 10] + [0] * 10  # ten startups between 300 and 500 ms
    assert percentile(histogram, 0.5) == pytest.approx(400.0)
    assert percentile(histogram, 0.95) == pytest.approx(490.0)
    assert percentile([0] * 14, 0.5) is None


def test_a_day_sums_engagement_and_quality_of_experience() -> None:
    watched_all = view("u1", 0, ended=True, bitrate_ms={1_000_000: 20_000, 500_000: 10_000}, upscale_ms=3_000)
    watched_half = view("u2", 0, stall_ms=2_000, stall_count=2)
    never_started = view("u3", 0, startup_ms=None, played_ms=0)
    failed = view("u4", 0, startup_ms=None, played_ms=0, error="manifestLoadError")
    views = [watched_all, watched_half, never_started, failed]
    points = {watched_all.view_id: ALL_POINTS, watched_half.view_id: span_points(0, 60, 120)}
    rollup = summarize_day("vid", "2026-11-30", views, points, NOON)
    daily = rollup.daily
    assert (daily.views, daily.attempts, daily.unique_viewers, daily.completed_views) == (2, 4, 2, 1)
    assert (daily.exits_before_start, daily.failures, daily.viewed_points) == (1, 1, 150)
    assert (daily.playing_ms, daily.watch_ms, daily.stall_ms) == (60_000, 63_000, 2_000)
    assert (daily.bitrate_weighted, daily.bitrate_ms) == (25_000_000_000, 30_000)
    assert rollup.retention.views == 2
    assert (rollup.retention.counts[0], rollup.retention.counts[99]) == (2, 1)
    assert [(m.viewer_id, m.views, m.completed) for m in rollup.members] == [
        ("u1", 1, True),
        ("u2", 1, False),
        ("u3", 0, False),
        ("u4", 0, False),
    ]

    summary = summarize([daily], unique_viewers=2)
    assert summary.average_view_duration_s == 30.0
    assert summary.average_percent_viewed == 75.0
    assert summary.completion_rate == 0.5
    assert summary.exits_before_start_rate == 0.25
    assert summary.playback_failure_rate == 0.25
    assert summary.rebuffer_percent == pytest.approx(100 * 2_000 / 63_000)
    assert summary.weighted_average_bitrate == pytest.approx(833_333.33, rel=1e-6)
    assert summary.upscale_percent == 5.0
    assert summary.startup_p50_ms is not None


def test_anonymous_views_count_but_have_no_member_row() -> None:
    anonymous = view("", 0)
    anonymous = replace(anonymous, viewer_id=f"anon:{anonymous.view_id}")
    rollup = summarize_day("vid", "2026-11-30", [anonymous], {}, NOON)
    assert (rollup.daily.views, rollup.daily.unique_viewers, rollup.members) == (1, 1, [])


def test_the_retention_curve_is_percent_of_started_views() -> None:
    rollup = summarize_day("vid", "d", [view("u1"), view("u2")], {}, NOON)
    full = replace(rollup.retention, counts=tuple([2] * 50 + [1] * 50))
    curve = retention_curve([full, replace(full, views=0, counts=tuple([0] * 100))])
    assert (curve[0], curve[99], len(curve)) == (100.0, 50.0, 100)
    assert retention_curve([]) == []

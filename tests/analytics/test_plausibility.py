from __future__ import annotations

import time
from typing import Any

import pytest

from streamer.analytics.errors import InvalidBeat
from streamer.analytics.plausibility import check_plausible
from streamer.analytics.policy import IngestPolicy
from streamer.analytics.protocol import parse_beat
from streamer.analytics.tokens import ViewClaims
from tests.analytics.beats import beat_body, claims_for, encoded

POLICY = IngestPolicy(slack_ms=5000, max_playback_rate=2.0)


def check(claims: ViewClaims, acknowledged_ms: int | None = None, **fields: Any) -> None:
    beat = parse_beat(encoded(beat_body(claims, **fields)))
    check_plausible(beat, claims, int(time.time() * 1000), acknowledged_ms, POLICY)


def test_a_normal_beat_passes() -> None:
    check(claims_for(age=30), played_ms=20_000, sections=[[0, 20]])


def test_the_view_must_be_the_tokens() -> None:
    with pytest.raises(InvalidBeat, match="another view"):
        check(claims_for(), view="someone-else")


def test_the_duration_cannot_exceed_the_videos() -> None:
    with pytest.raises(InvalidBeat, match="longer than the video"):
        check(claims_for(duration=60), duration=90.0, position=1.0, sections=[])
    check(claims_for(duration=0), duration=90.0, position=1.0, sections=[])  # unknown to the server


def test_played_time_cannot_exceed_the_time_since_the_view_started() -> None:
    with pytest.raises(InvalidBeat, match="'played_ms'"):
        check(claims_for(age=10), played_ms=14_000, stall_ms=2_000, bitrate_ms={}, upscale_ms=0)
    check(claims_for(age=10), played_ms=14_000, stall_ms=0, bitrate_ms={}, upscale_ms=0)  # within the slack


def test_watched_sections_are_bounded_by_elapsed_time_times_the_fastest_rate() -> None:
    claims = claims_for(age=100)
    now_ms = int(time.time() * 1000)
    check(claims, acknowledged_ms=now_ms - 10_000, sections=[[0, 24]], played_ms=12_000)  # 10 s at 2x + slack
    with pytest.raises(InvalidBeat, match="fastest playback rate"):
        check(claims, acknowledged_ms=now_ms - 10_000, sections=[[0, 30]], played_ms=15_000)


def test_bitrate_and_upscale_time_stay_within_playing_time() -> None:
    with pytest.raises(InvalidBeat, match="'bitrate_ms'"):
        check(claims_for(age=600), played_ms=10_000, bitrate_ms={"1": 20_000})
    with pytest.raises(InvalidBeat, match="'upscale_ms'"):
        check(claims_for(age=600), played_ms=10_000, upscale_ms=20_000)

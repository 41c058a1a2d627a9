from __future__ import annotations

import json
from typing import Any

import pytest

from streamer.analytics.errors import InvalidBeat
from streamer.analytics.protocol import Event, parse_beat
from tests.analytics.beats import beat_body, claims_for, encoded


def test_a_full_beat_parses_into_typed_fields() -> None:
    beat = parse_beat(encoded(beat_body(claims_for(), 3, sections=[[0, 5], [7.5, 12]])))
    assert (beat.seq, beat.event, beat.position, beat.duration) == (3, Event.HEARTBEAT, 12.0, 120.0)
    assert beat.sections == (0.0, 5.0, 7.5, 12.0)
    assert beat.section_seconds == 9.5
    assert beat.bitrate_ms == {800_000: 10_000}
    assert (beat.startup_ms, beat.error, beat.ended) == (400, "", False)


def test_optional_fields_default_to_nothing_happened() -> None:
    body = beat_body(claims_for())
    for name in ("startup_ms", "bitrate", "rendition_height", "player_height", "upscale_ms", "error", "hidden"):
        del body[name]
    beat = parse_beat(encoded(body))
    assert (beat.startup_ms, beat.bitrate, beat.upscale_ms, beat.error, beat.hidden) == (None, 0, 0, "", False)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"seq": 0}, "'seq' must be between"),
        ({"seq": "2"}, "'seq' must be an integer"),
        ({"seq": True}, "'seq' must be an integer"),
        ({"seq": 2.0}, "'seq' must be an integer"),
        ({"event": "rewind"}, "'event' must be one of"),
        ({"position": -1}, "'position' must be between"),
        ({"position": 500.0}, "within \\[0, duration\\]"),
        ({"duration": 0}, "'duration' must be between"),
        ({"duration": None}, "'duration' must be a number"),
        ({"sections": [[5, 2]]}, "start <= end"),
        ({"sections": [[0, 500]]}, "end <= duration"),
        ({"sections": [[0]]}, "\\[start, end\\] pair"),
        ({"sections": [[0, 1]] * 33}, "at most 32"),
        ({"sections": {"a": 1}}, "'sections' must be a list"),
        ({"played_ms": -5}, "'played_ms' must be between"),
        ({"bitrate_ms": {"fast": 10}}, "'bitrate_ms' keys"),
        ({"bitrate_ms": {"800000": -1}}, "'bitrate_ms' keys"),
        ({"ended": "yes"}, "'ended' must be true or false"),
        ({"error": "x" * 201}, "'error' is longer than 200"),
        ({"view": ""}, "'view' must be a string"),
        ({"token": 7}, "'token' must be a string"),
    ],
)
def test_each_broken_rule_is_named(change: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidBeat, match=reason):
        parse_beat(encoded(beat_body(claims_for()) | change))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "not JSON"),
        (b"{", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'"hb"', "must be a JSON object"),
        (b'{"position": NaN}', "finite"),
        (b'{"position": Infinity}', "finite"),
        (b"[" * 5000 + b"]" * 5000, "at most 4096 bytes"),
        (b"[" * 2000 + b"]" * 2000, "not JSON"),  # nested too deep for the parser: refused, no crash
    ],
)
def test_bodies_that_are_no_beat_are_refused(body: bytes, reason: str) -> None:
    with pytest.raises(InvalidBeat, match=reason):
        parse_beat(body)


def test_a_body_over_4_kb_is_refused_before_parsing() -> None:
    body = json.dumps(beat_body(claims_for(), error="x" * 4100)).encode()
    with pytest.raises(InvalidBeat, match="at most 4096 bytes"):
        parse_beat(body)

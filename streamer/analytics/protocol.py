"""The heartbeat wire format (docs/analytics.md, "Heartbeat protocol"): parsing and shape checks.

A beat is a JSON object of at most MAX_BODY bytes. Every number is checked for type and range here;
whether the numbers are plausible for this view is plausibility.py's business.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from streamer.analytics.errors import InvalidBeat

MAX_BODY = 4096
MAX_SECTIONS = 32
MAX_BITRATES = 16
MAX_SEQ = 1_000_000
MAX_MS = 7 * 24 * 3600 * 1000
MAX_SECONDS = 24 * 3600.0
MAX_ERROR = 200
# A player's clock may run a little past the end it announced.
EDGE_SECONDS = 1.0


class Event(StrEnum):
    START = "start"
    FIRST_FRAME = "first_frame"
    HEARTBEAT = "hb"
    PAUSE = "pause"
    SEEK = "seek"
    ERROR = "error"
    END = "end"


@dataclass(frozen=True)
class Beat:
    """One heartbeat as sent: the event that triggered it and the view's running totals."""

    view: str
    token: str
    seq: int
    event: Event
    position: float
    duration: float
    sections: tuple[float, ...]
    played_ms: int
    stall_ms: int
    stall_count: int
    seeks: int
    startup_ms: int | None
    bitrate_ms: Mapping[int, int]
    bitrate: int
    rendition_height: int
    player_height: int
    upscale_ms: int
    ended: bool
    error: str
    hidden: bool

    @property
    def section_seconds(self) -> float:
        return sum(self.sections[i + 1] - self.sections[i] for i in range(0, len(self.sections), 2))


def _reject_constant(name: str) -> None:
    raise InvalidBeat(f"numbers must be finite, not {name}")


def parse_beat(body: bytes) -> Beat:
    """The Beat in `body`. Raises InvalidBeat naming the first broken rule."""
    if len(body) > MAX_BODY:
        raise InvalidBeat(f"a heartbeat is at most {MAX_BODY} bytes")
    try:
        data = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise InvalidBeat("the body is not JSON") from None
    if not isinstance(data, dict):
        raise InvalidBeat("the body must be a JSON object")
    return _beat(data)


def _beat(data: dict[str, Any]) -> Beat:
    view, token = _text(data, "view", 64, required=True), _text(data, "token", 512, required=True)
    seq, event = _integer(data, "seq", 1, MAX_SEQ), _event(data)
    duration = _number(data, "duration", 0.001, MAX_SECONDS)
    position = _number(data, "position", 0.0, MAX_SECONDS)
    if position > duration + EDGE_SECONDS:
        raise InvalidBeat("'position' must be within [0, duration]")
    return Beat(
        view=view,
        token=token,
        seq=seq,
        event=event,
        position=position,
        duration=duration,
        sections=_sections(data.get("sections", []), duration),
        played_ms=_integer(data, "played_ms", 0, MAX_MS),
        stall_ms=_integer(data, "stall_ms", 0, MAX_MS),
        stall_count=_integer(data, "stall_count", 0, MAX_SEQ),
        seeks=_integer(data, "seeks", 0, MAX_SEQ),
        startup_ms=None if data.get("startup_ms") is None else _integer(data, "startup_ms", 0, MAX_MS),
        bitrate_ms=_bitrates(data.get("bitrate_ms", {})),
        bitrate=_integer(data, "bitrate", 0, 10**9, default=0),
        rendition_height=_integer(data, "rendition_height", 0, 100_000, default=0),
        player_height=_integer(data, "player_height", 0, 100_000, default=0),
        upscale_ms=_integer(data, "upscale_ms", 0, MAX_MS, default=0),
        ended=_flag(data, "ended"),
        error=_text(data, "error", MAX_ERROR),
        hidden=_flag(data, "hidden"),
    )


def _integer(data: dict[str, Any], name: str, low: int, high: int, default: int | None = None) -> int:
    value = data.get(name, default)
    if type(value) is not int:
        raise InvalidBeat(f"'{name}' must be an integer")
    if not low <= value <= high:
        raise InvalidBeat(f"'{name}' must be between {low} and {high}")
    return value


def _number(data: dict[str, Any], name: str, low: float, high: float) -> float:
    value: Any = data.get(name)
    if type(value) not in (int, float):
        raise InvalidBeat(f"'{name}' must be a number")
    if not low <= value <= high:
        raise InvalidBeat(f"'{name}' must be between {low:g} and {high:g}")
    return float(value)


def _text(data: dict[str, Any], name: str, limit: int, required: bool = False) -> str:
    value: Any = data.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise InvalidBeat(f"'{name}' must be a string")
    if len(value) > limit:
        raise InvalidBeat(f"'{name}' is longer than {limit} characters")
    return value


def _flag(data: dict[str, Any], name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise InvalidBeat(f"'{name}' must be true or false")
    return value


def _event(data: dict[str, Any]) -> Event:
    value: Any = data.get("event")
    try:
        return Event(value)
    except ValueError:
        allowed = ", ".join(event.value for event in Event)
        raise InvalidBeat(f"'event' must be one of {allowed}") from None


def _sections(value: object, duration: float) -> tuple[float, ...]:
    if not isinstance(value, list) or len(value) > MAX_SECTIONS:
        raise InvalidBeat(f"'sections' must be a list of at most {MAX_SECTIONS} [start, end] pairs")
    flat: list[float] = []
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2 and all(type(x) in (int, float) for x in pair)):
            raise InvalidBeat("each section must be a [start, end] pair of numbers")
        start, end = float(pair[0]), float(pair[1])
        if not 0 <= start <= end <= duration + EDGE_SECONDS:
            raise InvalidBeat("a section must satisfy 0 <= start <= end <= duration")
        flat += (start, end)
    return tuple(flat)


def _bitrates(value: object) -> dict[int, int]:
    if not isinstance(value, dict) or len(value) > MAX_BITRATES:
        raise InvalidBeat(f"'bitrate_ms' must map at most {MAX_BITRATES} bitrates to milliseconds")
    result: dict[int, int] = {}
    for key, ms in value.items():
        if not (key.isdigit() and len(key) <= 10 and type(ms) is int and 0 <= ms <= MAX_MS):
            raise InvalidBeat("'bitrate_ms' keys must be bitrates (digits) and values milliseconds")
        result[int(key)] = ms
    return result

"""The bitrate ladder: which renditions we make, and the setting string that describes them."""

from __future__ import annotations

import re
from dataclasses import dataclass

AUDIO_BITRATE_KBPS = 128
MAXRATE_FACTOR = 1.07  # peak allowance over the average, as Apple's authoring spec suggests
BUFSIZE_FACTOR = 1.5

_ENTRY = re.compile(r"^\s*(\d+)p?\s*:\s*(\d+)k?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Rung:
    """One step of the ladder. `height` is the short side of the picture (see docs/transcoding.md)."""

    name: str
    height: int
    video_bitrate_kbps: int
    maxrate: int
    bufsize: int

    @classmethod
    def of(cls, height: int, video_bitrate_kbps: int) -> Rung:
        """A rung named ``<height>p`` with maxrate and bufsize derived from the average bitrate."""
        return cls(
            name=f"{height}p",
            height=height,
            video_bitrate_kbps=video_bitrate_kbps,
            maxrate=round(video_bitrate_kbps * MAXRATE_FACTOR),
            bufsize=round(video_bitrate_kbps * BUFSIZE_FACTOR),
        )


DEFAULT_LADDER: tuple[Rung, ...] = (
    Rung.of(1080, 5000),
    Rung.of(720, 2800),
    Rung.of(480, 1400),
    Rung.of(360, 800),
)


def parse_ladder(text: str) -> tuple[Rung, ...]:
    """Parse ``"1080:5000,720:2800"`` (height:kbps pairs; ``1080p:5000k`` also accepted).

    Returns rungs sorted tallest first. Raises ValueError naming the bad entry when an entry is not
    ``HEIGHT:KBPS``, a height is odd or outside 144..4320, a bitrate is outside 50..100000, a height
    repeats, or the string is empty.
    """
    entries = [entry for entry in text.split(",") if entry.strip()]
    if not entries:
        raise ValueError("ladder is empty: expected HEIGHT:KBPS pairs such as '1080:5000,720:2800'")
    rungs = [_parse_entry(entry) for entry in entries]
    heights = [rung.height for rung in rungs]
    duplicates = sorted({h for h in heights if heights.count(h) > 1})
    if duplicates:
        raise ValueError(f"ladder lists height {duplicates[0]} more than once")
    return tuple(sorted(rungs, key=lambda rung: rung.height, reverse=True))


def _parse_entry(entry: str) -> Rung:
    match = _ENTRY.match(entry)
    if match is None:
        raise ValueError(f"ladder entry {entry.strip()!r} is not HEIGHT:KBPS (for example 720:2800)")
    height, kbps = int(match.group(1)), int(match.group(2))
    if not 144 <= height <= 4320 or height % 2:
        raise ValueError(f"ladder entry {entry.strip()!r}: height must be an even number from 144 to 4320")
    if not 50 <= kbps <= 100_000:
        raise ValueError(f"ladder entry {entry.strip()!r}: bitrate must be 50 to 100000 kbps")
    return Rung.of(height, kbps)


def format_ladder(ladder: tuple[Rung, ...]) -> str:
    """The setting string for `ladder`; ``parse_ladder(format_ladder(x)) == x`` for parsed ladders."""
    return ",".join(f"{rung.height}:{rung.video_bitrate_kbps}" for rung in ladder)

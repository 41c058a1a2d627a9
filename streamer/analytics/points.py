"""Which of a video's 100 points a view watched, as a 100-bit mask (bit k = the k-th percent).

Point k counts as watched when a watched section covers its midpoint. A player closes one section and opens
the next at the same position, so sections of consecutive beats join without a gap.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from streamer.storage.analytics import RETENTION_POINTS

ALL_POINTS = (1 << RETENTION_POINTS) - 1


def span_points(start: float, end: float, duration: float) -> int:
    """The points whose midpoints lie in [start, end)."""
    if duration <= 0 or end <= start:
        return 0
    scale = RETENTION_POINTS / duration
    low = max(0, math.ceil(start * scale - 0.5))
    high = min(RETENTION_POINTS - 1, math.ceil(end * scale - 0.5) - 1)
    if high < low:
        return 0
    return ((1 << (high + 1)) - 1) ^ ((1 << low) - 1)


def section_points(sections: tuple[float, ...], duration: float) -> int:
    """The points covered by flattened (start, end) pairs."""
    mask = 0
    for index in range(0, len(sections) - 1, 2):
        mask |= span_points(sections[index], sections[index + 1], duration)
    return mask


def count_points(masks: Iterable[int]) -> tuple[int, ...]:
    """How many of `masks` have each point set."""
    counts = [0] * RETENTION_POINTS
    for mask, times in Counter(masks).items():
        while mask:
            low_bit = mask & -mask
            counts[low_bit.bit_length() - 1] += times
            mask ^= low_bit
    return tuple(counts)


def to_hex(mask: int) -> str:
    return f"{mask:x}"


def from_hex(text: str) -> int:
    return int(text, 16) if text else 0

from __future__ import annotations

import pytest

from streamer.analytics.errors import InvalidBeat, RateLimited
from streamer.analytics.limits import IpLimiter, ViewGate


def test_an_address_may_burst_then_is_held_to_its_rate() -> None:
    limiter = IpLimiter(rate=2, burst=3)
    for _ in range(3):
        limiter.take("10.0.0.1", 100.0)
    with pytest.raises(RateLimited, match="this address"):
        limiter.take("10.0.0.1", 100.0)
    limiter.take("10.0.0.2", 100.0)  # others are not affected
    limiter.take("10.0.0.1", 100.5)  # half a second refills one token at 2/s


def test_the_limiter_forgets_the_least_recent_addresses() -> None:
    limiter = IpLimiter(rate=1, burst=1, capacity=2)
    limiter.take("a", 0.0)
    limiter.take("b", 0.0)
    limiter.take("c", 0.0)
    limiter.take("a", 0.0)  # forgotten, so it starts with a full bucket again


def test_a_view_must_raise_its_seq_and_wait_between_beats() -> None:
    gate = ViewGate(min_spacing=2.0)
    assert gate.check("v", 1, 0.0) is None
    gate.admit("v", 1, 0.0)
    with pytest.raises(InvalidBeat, match="'seq' must increase"):
        gate.check("v", 1, 5.0)
    with pytest.raises(RateLimited, match="one heartbeat per 2 s"):
        gate.check("v", 2, 1.5)
    assert gate.check("v", 2, 2.0) is None  # admitted, but never acknowledged
    gate.acknowledged("v", 2.5)
    assert gate.check("v", 3, 4.0) == 2.5

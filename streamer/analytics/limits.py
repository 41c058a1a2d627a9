"""In-process limits: a token bucket per client address, and each view's last seq and beat time.

Both live in this process's memory and forget the least recently seen entries beyond their capacity. With
several app processes a view's beats may reach different ones; the store still orders its writes by seq.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from streamer.analytics.errors import InvalidBeat, RateLimited


class IpLimiter:
    def __init__(self, rate: float, burst: int, capacity: int = 100_000) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._capacity = capacity
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, address: str, now: float) -> None:
        """Spend one token of `address`. Raises RateLimited when it has none left."""
        tokens, last = self._buckets.pop(address, (self._burst, now))
        tokens = min(self._burst, tokens + (now - last) * self._rate)
        if tokens < 1:
            self._buckets[address] = (tokens, now)
            raise RateLimited(f"too many heartbeats from this address (at most {self._rate:g}/s)")
        self._buckets[address] = (tokens - 1, now)
        if len(self._buckets) > self._capacity:
            self._buckets.popitem(last=False)


@dataclass
class _View:
    seq: int
    admitted: float
    acknowledged: float | None


class ViewGate:
    """Enforces, per view: seq increases, and at most one beat per `min_spacing` seconds."""

    def __init__(self, min_spacing: float, capacity: int = 500_000) -> None:
        self._min_spacing = min_spacing
        self._capacity = capacity
        self._views: OrderedDict[str, _View] = OrderedDict()

    def known(self, view_id: str) -> bool:
        return view_id in self._views

    def check(self, view_id: str, seq: int, now: float) -> float | None:
        """When this view's last beat was acknowledged (None: not seen here). Raises InvalidBeat or RateLimited."""
        state = self._views.get(view_id)
        if state is None:
            return None
        if seq <= state.seq:
            raise InvalidBeat(f"'seq' must increase (the last accepted was {state.seq})")
        if now - state.admitted < self._min_spacing:
            raise RateLimited(f"at most one heartbeat per {self._min_spacing:g} s per view")
        return state.acknowledged

    def admit(self, view_id: str, seq: int, now: float) -> None:
        state = self._views.pop(view_id, None)
        self._views[view_id] = _View(seq, now, state.acknowledged if state else None)
        if len(self._views) > self._capacity:
            self._views.popitem(last=False)

    def acknowledged(self, view_id: str, now: float) -> None:
        state = self._views.get(view_id)
        if state is not None:
            state.acknowledged = now

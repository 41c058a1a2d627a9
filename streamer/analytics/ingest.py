"""POST /api/heartbeat, without the HTTP: limit, parse, verify, check, queue, and wait until durable."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from streamer.analytics.batcher import Batcher
from streamer.analytics.limits import IpLimiter, ViewGate
from streamer.analytics.plausibility import check_plausible
from streamer.analytics.policy import IngestPolicy
from streamer.analytics.protocol import parse_beat
from streamer.analytics.records import beat_record
from streamer.analytics.tokens import TokenVerifier
from streamer.storage.analytics import BeatRecord


@dataclass(frozen=True)
class Ack:
    view: str
    seq: int


class HeartbeatIngest:
    def __init__(
        self, policy: IngestPolicy, key: bytes, batcher: Batcher[BeatRecord], clock: Callable[[], float] = time.time
    ) -> None:
        self.policy = policy
        self._tokens = TokenVerifier(key)
        self._batcher = batcher
        self._clock = clock
        self._addresses = IpLimiter(policy.ip_rate, policy.ip_burst)
        self._views = ViewGate(policy.min_spacing)

    async def receive(self, body: bytes, address: str) -> Ack:
        """Acknowledge `body` once it is durably stored.

        Raises RateLimited (address or view too fast), InvalidBeat (the rule broken), or IngestUnavailable
        (not stored; nothing was acknowledged).
        """
        now = self._clock()
        now_ms = int(now * 1000)
        self._addresses.take(address, now)
        beat = parse_beat(body)
        claims = self._tokens.verify(beat.token, now_ms, self.policy.token_lifetime_ms)
        acknowledged = self._views.check(beat.view, beat.seq, now)
        check_plausible(beat, claims, now_ms, None if acknowledged is None else int(acknowledged * 1000), self.policy)
        first_seen = not self._views.known(beat.view)
        self._views.admit(beat.view, beat.seq, now)
        received = datetime.fromtimestamp(now_ms / 1000, UTC)
        await self._batcher.submit(beat_record(beat, claims, received, self.policy, first_seen))
        self._views.acknowledged(beat.view, now)
        return Ack(beat.view, beat.seq)

"""The worker loop: claim a job, run it, repeat; between jobs, sweep expired uploads and orphaned statuses.
Beside it, the analytics rollup runs every `RollupSchedule.interval` seconds."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from dataclasses import dataclass

from streamer.analytics.rollup import run_periodically
from streamer.catalog.config import PipelineConfig
from streamer.catalog.uploads import cleanup_expired
from streamer.catalog.videos import reconcile
from streamer.storage.base import Store
from streamer.storage.errors import StoreError
from streamer.worker.job import Outcome, run_job

log = logging.getLogger(__name__)
SWEEP_SECONDS = 60.0


def worker_name() -> str:
    """Unique among live workers on any number of hosts: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class RollupSchedule:
    """The analytics rollup (today and yesterday) every `interval` seconds; see docs/analytics.md."""

    interval: float
    raw_ttl_days: int


class Worker:
    def __init__(
        self, store: Store, config: PipelineConfig, name: str | None = None, rollup: RollupSchedule | None = None
    ) -> None:
        self.store, self.config = store, config
        self.name = name or worker_name()
        self.rollup = rollup
        self._next_sweep = 0.0

    async def run(self, stopping: asyncio.Event, *, until_idle: bool = False) -> None:
        """Work until `stopping` is set (a job in progress is handed back), or with `until_idle` until no
        job is claimable. Store outages are logged and waited out, never fatal. With a rollup schedule, the
        analytics rollup runs at once and then every interval beside the jobs; it finishes its round in
        progress before this returns."""
        done = asyncio.Event()
        rollups = None
        if self.rollup is not None:
            schedule = self.rollup
            rollups = asyncio.create_task(run_periodically(self.store, schedule.interval, schedule.raw_ttl_days, done))
        try:
            await self._work(stopping, until_idle)
        finally:
            done.set()
            if rollups is not None:
                await rollups

    async def _work(self, stopping: asyncio.Event, until_idle: bool) -> None:
        log.info("worker %s started", self.name)
        while not stopping.is_set():
            try:
                await self._sweep_when_due()
                outcome = await self.run_once(stopping)
            except StoreError as error:
                log.warning("worker %s: store error, waiting: %s", self.name, error)
                outcome = None
            if outcome is None:
                if until_idle:
                    break
                await _wait(stopping, self.config.poll_seconds)
        log.info("worker %s stopped", self.name)

    async def run_once(self, stopping: asyncio.Event | None = None) -> Outcome | None:
        """Claim and run one job; None when there was nothing to claim."""
        job = await self.store.jobs.claim(self.name, self.config.lease_seconds)
        if job is None:
            return None
        log.info("job %s (video %s) claimed, attempt %d of %d", job.id, job.video_id, job.attempts, job.max_attempts)
        started = time.monotonic()
        outcome = await run_job(self.store, self.config, job, stopping or asyncio.Event())
        log.info("job %s: %s after %.1f s", job.id, outcome, time.monotonic() - started)
        return outcome

    async def _sweep_when_due(self) -> None:
        if time.monotonic() < self._next_sweep:
            return
        self._next_sweep = time.monotonic() + SWEEP_SECONDS
        expired = await cleanup_expired(self.store, self.config)
        failed = await reconcile(self.store)
        if expired or failed:
            log.info("sweep: %d expired upload(s) removed, %d video(s) marked failed", expired, failed)


async def _wait(stopping: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), timeout=seconds)

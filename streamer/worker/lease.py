"""Keeps a claimed job alive while it runs: extends the lease and writes the video's progress."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from streamer.storage.base import Store
from streamer.storage.errors import NotFound, StoreError
from streamer.storage.records import JobRecord
from transcoder.runner import Progress

log = logging.getLogger(__name__)
PROGRESS_SECONDS = 1.5


class LeaseLost(Exception):
    """The job is no longer this worker's: requeued by an operator, or claimed by another after expiry."""


class VideoGone(Exception):
    """The video was deleted while its job ran."""


class Heartbeat:
    """Every PROGRESS_SECONDS: store the latest progress on the video; every third of the lease: extend it.

    `job` is always the latest version of the job (every write bumps it); use it for the final write.
    `run()` raises LeaseLost when an extension is refused or the store stayed unreachable for a whole lease,
    VideoGone when the video was deleted.
    """

    def __init__(self, store: Store, job: JobRecord, lease_seconds: float) -> None:
        self.job = job
        self.percent = 0.0
        self._store, self._lease = store, lease_seconds
        self._stop = asyncio.Event()
        self._written = -1.0
        self._extended_at = time.monotonic()

    def on_progress(self, progress: Progress) -> None:
        self.percent = round(progress.percent, 1)

    def stop(self) -> None:
        """Ask run() to return after its current write (never cut one off: the job version must stay known)."""
        self._stop.set()

    async def run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=min(PROGRESS_SECONDS, self._lease / 3))
            if self._stop.is_set():
                return
            await self._beat()

    async def _beat(self) -> None:
        try:
            await self._write_progress()
            if time.monotonic() - self._extended_at >= self._lease / 3:
                await self._extend()
        except StoreError as error:
            if isinstance(error, NotFound):
                raise VideoGone(self.job.video_id) from None
            log.warning("job %s: store unreachable while running: %s", self.job.id, error)
            if time.monotonic() - self._extended_at >= self._lease:
                raise LeaseLost("the store was unreachable for a whole lease") from error

    async def _extend(self) -> None:
        job = await self._store.jobs.extend_lease(self.job, self._lease)
        if job is None:
            raise LeaseLost(f"job {self.job.id} was taken away")
        self.job, self._extended_at = job, time.monotonic()

    async def _write_progress(self) -> None:
        if self.percent != self._written:
            await self._store.videos.update(self.job.video_id, {"progress": self.percent})
            self._written = self.percent

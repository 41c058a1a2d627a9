"""The ingest fast path: beats wait in a bounded queue, a collector gathers them into batches, at most
`writers` batches are written at once, and each sender is answered only when the batch holding its beat is
written. The collector takes the first beat, waits for a free writer (while every writer is busy, beats keep
queueing), then up to `max_delay` more unless a full batch is queued, and hands everything queued (up to
`max_batch`) to the writer. So batches get bigger exactly when the load does, and a beat never waits the
delay on top of a busy store: the delay is spent only when a writer is idle.

Nothing is acknowledged before it is durable and nothing is dropped silently: a full queue, a failed
write or a stopping server fail the waiting senders with IngestUnavailable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from streamer.analytics.errors import IngestUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")
Writer = Callable[[Sequence[T]], Awaitable[None]]


class Batcher(Generic[T]):
    def __init__(
        self,
        write: Writer[T],
        *,
        max_batch: int = 2000,
        max_delay: float = 0.01,
        writers: int = 2,
        max_pending: int = 20000,
    ) -> None:
        self._write = write
        self._max_batch = max_batch
        self._max_delay = max_delay
        self._queue: asyncio.Queue[tuple[T, asyncio.Future[None]]] = asyncio.Queue(max_pending)
        self._full = asyncio.Event()
        self._slots = asyncio.Semaphore(writers)
        self._writing: set[asyncio.Task[None]] = set()
        self._collector: asyncio.Task[None] | None = None
        self._closed = True

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    def start(self) -> None:
        self._closed = False
        self._collector = asyncio.create_task(self._collect())

    async def stop(self) -> None:
        """Refuse new items, write what is queued, then stop."""
        self._closed = True
        await self._queue.join()
        if self._collector is not None:
            self._collector.cancel()
            await asyncio.gather(self._collector, *self._writing, return_exceptions=True)

    async def submit(self, item: T) -> None:
        """Returns once `item` is written. Raises IngestUnavailable when it was not (and may never be)."""
        if self._closed:
            raise IngestUnavailable("the server is stopping")
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        try:
            self._queue.put_nowait((item, done))
        except asyncio.QueueFull:
            raise IngestUnavailable("too many heartbeats are waiting to be written") from None
        if self._queue.qsize() >= self._max_batch - 1:  # with the one the collector holds: a full batch
            self._full.set()
        await done

    async def _collect(self) -> None:
        while True:
            batch = [await self._queue.get()]
            await self._slots.acquire()  # while every writer is busy, beats keep queueing: the batch grows
            if self._queue.qsize() < self._max_batch - 1 and self._max_delay > 0:
                self._full.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._full.wait(), self._max_delay)
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            task = asyncio.create_task(self._flush(batch))
            self._writing.add(task)
            task.add_done_callback(self._writing.discard)

    async def _flush(self, batch: list[tuple[T, asyncio.Future[None]]]) -> None:
        try:
            await self._write([item for item, _ in batch])
        except Exception as error:  # every failure of the store means: not acknowledged, never a crash
            log.warning("writing %d heartbeats failed: %s", len(batch), error)
            for _, done in batch:
                if not done.done():
                    done.set_exception(IngestUnavailable(f"the heartbeat could not be stored: {error}"))
        else:
            for _, done in batch:
                if not done.done():
                    done.set_result(None)
        finally:
            self._slots.release()
            for _ in batch:
                self._queue.task_done()

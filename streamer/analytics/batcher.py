"""The ingest fast path: beats wait in a bounded queue, writers take them in batches, and each sender is
answered only when the batch holding its beat is written.

Nothing is acknowledged before it is durable and nothing is dropped silently: a full queue, a failed
write or a stopping server fail the waiting senders with IngestUnavailable.
"""

from __future__ import annotations

import asyncio
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
        max_batch: int = 500,
        max_delay: float = 0.005,
        writers: int = 4,
        max_pending: int = 20000,
    ) -> None:
        self._write = write
        self._max_batch = max_batch
        self._max_delay = max_delay
        self._writer_count = writers
        self._queue: asyncio.Queue[tuple[T, asyncio.Future[None]]] = asyncio.Queue(max_pending)
        self._writers: list[asyncio.Task[None]] = []
        self._closed = True

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    def start(self) -> None:
        self._closed = False
        self._writers = [asyncio.create_task(self._run()) for _ in range(self._writer_count)]

    async def stop(self) -> None:
        """Refuse new items, write what is queued, then stop the writers."""
        self._closed = True
        await self._queue.join()
        for writer in self._writers:
            writer.cancel()
        await asyncio.gather(*self._writers, return_exceptions=True)
        self._writers = []

    async def submit(self, item: T) -> None:
        """Returns once `item` is written. Raises IngestUnavailable when it was not (and may never be)."""
        if self._closed:
            raise IngestUnavailable("the server is stopping")
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        try:
            self._queue.put_nowait((item, done))
        except asyncio.QueueFull:
            raise IngestUnavailable("too many heartbeats are waiting to be written") from None
        await done

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            if self._queue.qsize() < self._max_batch - 1 and self._max_delay > 0:
                await asyncio.sleep(self._max_delay)  # let more beats join this batch
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            await self._flush(batch)

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
            for _ in batch:
                self._queue.task_done()

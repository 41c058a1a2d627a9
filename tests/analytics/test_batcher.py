from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from streamer.analytics.batcher import Batcher
from streamer.analytics.errors import IngestUnavailable


class Recorder:
    """A writer that records its batches, and can be told to fail or to hold."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.fail = False
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, items: Sequence[int]) -> None:
        await self.gate.wait()
        if self.fail:
            raise ConnectionError("store is down")
        self.batches.append(list(items))


async def test_concurrent_items_share_batches_and_each_is_acknowledged_after_its_write() -> None:
    writer = Recorder()
    batcher = Batcher(writer, max_batch=10, max_delay=0.01, writers=1)
    batcher.start()
    await asyncio.gather(*(batcher.submit(n) for n in range(25)))
    await batcher.stop()
    assert sorted(n for batch in writer.batches for n in batch) == list(range(25))
    assert max(len(batch) for batch in writer.batches) == 10
    assert len(writer.batches) <= 4


async def test_no_item_is_acknowledged_before_its_batch_is_written() -> None:
    writer = Recorder()
    writer.gate.clear()
    batcher = Batcher(writer, max_delay=0)
    batcher.start()
    pending = asyncio.ensure_future(batcher.submit(1))
    await asyncio.sleep(0.05)
    assert not pending.done()
    writer.gate.set()
    await pending
    assert writer.batches == [[1]]
    await batcher.stop()


async def test_a_failed_write_fails_every_item_of_its_batch() -> None:
    writer = Recorder()
    writer.fail = True
    batcher = Batcher(writer, max_delay=0.01, writers=1)
    batcher.start()
    results = await asyncio.gather(*(batcher.submit(n) for n in range(3)), return_exceptions=True)
    assert [type(result) for result in results] == [IngestUnavailable] * 3
    assert "store is down" in str(results[0])
    writer.fail = False
    await batcher.submit(4)  # the writer survives a failure
    await batcher.stop()
    assert writer.batches == [[4]]


async def test_a_full_queue_refuses_instead_of_growing() -> None:
    writer = Recorder()
    writer.gate.clear()
    batcher = Batcher(writer, max_batch=1, max_delay=0, writers=1, max_pending=2)
    batcher.start()
    held = []
    for n in range(4):  # 0 is being written, 1 waits for a writer, 2 and 3 fill the queue
        held.append(asyncio.ensure_future(batcher.submit(n)))
        await asyncio.sleep(0.01)
    with pytest.raises(IngestUnavailable, match="too many"):
        await batcher.submit(99)
    writer.gate.set()
    await asyncio.gather(*held)
    await batcher.stop()


async def test_stopping_writes_what_is_queued_and_then_refuses() -> None:
    writer = Recorder()
    batcher = Batcher(writer, max_delay=0.05)
    batcher.start()
    submitted = [asyncio.ensure_future(batcher.submit(n)) for n in range(5)]
    await asyncio.sleep(0)
    await batcher.stop()
    await asyncio.gather(*submitted)
    assert sorted(n for batch in writer.batches for n in batch) == list(range(5))
    with pytest.raises(IngestUnavailable, match="stopping"):
        await batcher.submit(6)


async def test_beats_arriving_while_every_writer_is_busy_share_the_next_batch() -> None:
    writer = Recorder()
    writer.gate.clear()
    batcher = Batcher(writer, max_delay=0, writers=1)
    batcher.start()
    held = []
    for n in range(4):  # 0 is being written (held); 1, 2, 3 arrive one by one meanwhile
        held.append(asyncio.ensure_future(batcher.submit(n)))
        await asyncio.sleep(0.01)
    writer.gate.set()
    await asyncio.gather(*held)
    await batcher.stop()
    assert writer.batches == [[0], [1, 2, 3]]

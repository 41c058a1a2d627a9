"""The throttle counters contract, run against every backend."""

from __future__ import annotations

import asyncio

from streamer.storage.base import Store
from streamer.storage.records import new_id


async def test_hits_count_until_cleared(store: Store) -> None:
    key = f"login:{new_id()}"
    for _ in range(4):
        await store.throttle.hit(key, 60)
    assert await store.throttle.count(key) == 4
    assert await store.throttle.count(key, limit=2) == 2
    assert await store.throttle.count(f"login:{new_id()}") == 0
    await store.throttle.clear(key)
    assert await store.throttle.count(key) == 0


async def test_hits_stop_counting_after_their_ttl(store: Store) -> None:
    key = f"login:{new_id()}"
    await store.throttle.hit(key, 1)
    await store.throttle.hit(key, 60)
    await asyncio.sleep(1.5)
    assert await store.throttle.count(key) == 1


async def test_concurrent_hits_are_all_counted(store: Store) -> None:
    key = f"login:{new_id()}"
    await asyncio.gather(*(store.throttle.hit(key, 60) for _ in range(20)))
    assert await store.throttle.count(key) == 20

"""The delivery concern's contract (overrides in force, config history), run against every backend."""

from __future__ import annotations

import json
from datetime import timedelta

from streamer.storage.base import Store
from streamer.storage.delivery import DeliveryConfigRecord
from streamer.storage.records import new_id, utcnow


def a_config(overrides: dict[str, str], seconds_ago: int = 0, note: str = "") -> DeliveryConfigRecord:
    return DeliveryConfigRecord(
        id=new_id(),
        created_at=utcnow() - timedelta(seconds=seconds_ago),
        author="admin-1",
        overrides=json.dumps(overrides, sort_keys=True),
        checksum="c" * 64,
        note=note,
    )


async def test_applying_replaces_the_overrides_in_force_and_keeps_history(store: Store) -> None:
    first, second = {"delivery_rate": "1m", "link_ttl": "600"}, {"delivery_rate": "2m"}
    one, two = a_config(first, seconds_ago=10), a_config(second, note="rollback")
    await store.delivery.record_applied(first, one)
    assert await store.delivery.get_overrides() == first
    await store.delivery.record_applied(second, two)
    assert await store.delivery.get_overrides() == second
    history = await store.delivery.history()
    assert history[:2] == [two, one]
    assert await store.delivery.get_config(one.id) == one


async def test_applying_no_overrides_clears_them(store: Store) -> None:
    await store.delivery.record_applied({"delivery_rate": "1m"}, a_config({"delivery_rate": "1m"}))
    await store.delivery.record_applied({}, a_config({}))
    assert await store.delivery.get_overrides() == {}


async def test_history_is_limited_and_unknown_configs_are_none(store: Store) -> None:
    for index in range(3):
        await store.delivery.record_applied({}, a_config({}, seconds_ago=100 - index))
    assert len(await store.delivery.history(limit=2)) == 2
    assert await store.delivery.get_config(new_id()) is None

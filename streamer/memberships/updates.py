"""Compare-and-set writes of one membership row: read, change, write if nobody else wrote in between."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from streamer.memberships.errors import MembershipBusy
from streamer.storage.base import Store
from streamer.storage.memberships import MembershipRecord

Change = Callable[[MembershipRecord], Awaitable[MembershipRecord]]
ATTEMPTS = 20


async def upsert(store: Store, blank: MembershipRecord, change: Change) -> MembershipRecord:
    """Apply `change` to the stored row with `blank.id` (to `blank` when there is none) and write it.

    Retries when another writer wins; returns what was written (or the unchanged row). Raises MembershipBusy
    after ATTEMPTS lost races.
    """
    for _ in range(ATTEMPTS):
        current = await store.memberships.get(blank.id)
        if current is None:
            wanted = await change(blank)
            if await store.memberships.create(wanted):
                return wanted
            continue
        wanted = await change(current)
        if wanted == current:
            return current
        if (written := await store.memberships.swap(current, wanted)) is not None:
            return written
    raise MembershipBusy(f"membership {blank.id} kept changing; try again")

"""Whether a user has an active membership, as the catalog's visibility rule needs it. The memberships
feature owns the answer (streamer.memberships.access); `StoreMemberships` asks it. Tests may put another
MembershipCheck on the app as `state.membership_check`."""

from __future__ import annotations

from typing import Protocol

from streamer.memberships.access import active_membership, grace_period
from streamer.settings import Settings
from streamer.storage.base import Store


class MembershipCheck(Protocol):
    async def is_active(self, user_id: str) -> bool: ...


class StoreMemberships:
    """Active (grace period included) by the memberships feature's rule, whatever the plan covers."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings

    async def is_active(self, user_id: str) -> bool:
        return await active_membership(self._store, user_id, grace=grace_period(self._settings)) is not None


async def has_membership(check: MembershipCheck, user_id: str | None) -> bool:
    """False for anonymous viewers."""
    return user_id is not None and await check.is_active(user_id)

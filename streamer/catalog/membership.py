"""Whether a user has an active membership. The memberships feature owns the answer; until it is wired
(the app's `state.memberships`), `NoMemberships` says no one has one, so `members` videos are seen only by
their owners and admins."""

from __future__ import annotations

from typing import Protocol


class MembershipCheck(Protocol):
    async def is_active(self, user_id: str) -> bool: ...


class NoMemberships:
    async def is_active(self, user_id: str) -> bool:
        return False


async def has_membership(check: MembershipCheck | None, user_id: str | None) -> bool:
    """False for anonymous viewers and while no memberships module is wired."""
    if user_id is None or check is None:
        return False
    return await check.is_active(user_id)

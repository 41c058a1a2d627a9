"""Invite codes: single- or multi-use, expiring; each redemption gives a membership of `days` days."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime, timedelta

from streamer.memberships.errors import InvalidGrant, InviteNotFound, InviteUnusable, PlanNotFound
from streamer.memberships.grants import check_days, local_membership
from streamer.memberships.updates import upsert
from streamer.storage.base import Store
from streamer.storage.memberships import InviteRecord, MembershipRecord, MembershipSource, MembershipStatus
from streamer.storage.records import utcnow

MAX_USES = 100_000


def new_code() -> str:
    """12 URL-safe characters: 72 random bits."""
    return secrets.token_urlsafe(9)


async def create_invite(
    store: Store,
    *,
    by: str,
    uses: int = 1,
    days: int = 30,
    valid_days: int | None = 30,
    plan_id: str = "",
    now: datetime | None = None,
) -> InviteRecord:
    """A new code that `uses` people can redeem within `valid_days` (None: no end), each for `days` days.
    Raises InvalidGrant, PlanNotFound."""
    check_days(days)
    if not 1 <= uses <= MAX_USES:
        raise InvalidGrant(f"An invite code can be used 1 to {MAX_USES} times, not {uses}.")
    if valid_days is not None:
        check_days(valid_days)
    if plan_id and await store.plans.get(plan_id) is None:
        raise PlanNotFound("There is no such plan.")
    moment = now or utcnow()
    expires = moment + timedelta(days=valid_days) if valid_days is not None else None
    while True:
        invite = InviteRecord(new_code(), plan_id, days, uses, 0, by, moment, expires)
        if await store.invites.create(invite):
            return invite


def unusable_reason(invite: InviteRecord, now: datetime) -> str:
    """Why nobody can redeem this code now; empty when they can."""
    if invite.expires_at is not None and now >= invite.expires_at:
        return "This invite code has expired."
    if invite.uses >= invite.max_uses:
        return "This invite code has been used up."
    return ""


async def find_invite(store: Store, code: str) -> InviteRecord:
    invite = await store.invites.get(code.strip()) if code.strip() else None
    if invite is None:
        raise InviteNotFound("There is no such invite code.")
    return invite


async def redeem(store: Store, code: str, user_id: str, now: datetime | None = None) -> MembershipRecord:
    """Give `user_id` the code's membership. Each user redeems a code once; a code is never used more than
    `max_uses` times, however many redeem it at once. Raises InviteNotFound, InviteUnusable."""
    moment = now or utcnow()
    invite = await find_invite(store, code)
    if reason := unusable_reason(invite, moment):
        raise InviteUnusable(reason)
    if not await store.invites.claim_redemption(invite.code, user_id, moment):
        raise InviteUnusable("You have already redeemed this invite code.")
    try:
        await _count_use(store, invite, moment)
    except BaseException:
        await store.invites.release_redemption(invite.code, user_id)
        raise

    async def joined(current: MembershipRecord) -> MembershipRecord:
        return replace(
            current,
            status=MembershipStatus.ACTIVE,
            plan_id=invite.plan_id,
            expires_at=moment + timedelta(days=invite.days),
            note=f"invite {invite.code}",
        )

    blank = local_membership(f"invite-{invite.code}-{user_id}", user_id, MembershipSource.INVITE, moment)
    return await upsert(store, blank, joined)


async def _count_use(store: Store, invite: InviteRecord, now: datetime) -> None:
    current: InviteRecord | None = invite
    while current is not None:
        if reason := unusable_reason(current, now):
            raise InviteUnusable(reason)
        if await store.invites.take_use(current) is not None:
            return
        current = await store.invites.get(invite.code)
    raise InviteNotFound("There is no such invite code.")

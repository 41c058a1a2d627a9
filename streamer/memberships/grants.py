"""Access without Stripe: an admin grants a user a membership for some days, or ends it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from streamer.memberships.errors import InvalidGrant, PlanNotFound, UnknownMember
from streamer.memberships.updates import upsert
from streamer.storage.base import Store
from streamer.storage.memberships import MembershipRecord, MembershipSource, MembershipStatus
from streamer.storage.records import UserRecord, utcnow

MAX_DAYS = 3650
ENDED_BY_REVOKE = (MembershipSource.GRANT, MembershipSource.INVITE)


def check_days(days: int) -> None:
    if not 1 <= days <= MAX_DAYS:
        raise InvalidGrant(f"A membership lasts from 1 to {MAX_DAYS} days, not {days}.")


def local_membership(membership_id: str, user_id: str, source: MembershipSource, now: datetime) -> MembershipRecord:
    """A new grant or invite membership row (not yet active)."""
    return MembershipRecord(
        id=membership_id,
        user_id=user_id,
        source=source,
        plan_id="",
        status=MembershipStatus.REVOKED,
        created_at=now,
        updated_at=now,
        version=0,
    )


async def member_by_email(store: Store, email: str) -> UserRecord:
    """Raises UnknownMember."""
    user = await store.users.get_by_email(email.strip().lower())
    if user is None:
        raise UnknownMember(f"No user has the address {email.strip()}.")
    return user


async def grant(
    store: Store, user_id: str, days: int, *, by: str, plan_id: str = "", now: datetime | None = None
) -> MembershipRecord:
    """Give `user_id` access for `days` from now (replacing an earlier grant's expiry). Raises InvalidGrant,
    PlanNotFound."""
    check_days(days)
    if plan_id and await store.plans.get(plan_id) is None:
        raise PlanNotFound("There is no such plan.")
    moment = now or utcnow()

    async def granted(current: MembershipRecord) -> MembershipRecord:
        return replace(
            current,
            status=MembershipStatus.ACTIVE,
            plan_id=plan_id,
            expires_at=moment + timedelta(days=days),
            note=f"granted by {by}",
        )

    return await upsert(store, local_membership(f"grant-{user_id}", user_id, MembershipSource.GRANT, moment), granted)


async def revoke(store: Store, user_id: str) -> list[MembershipRecord]:
    """End the user's active grants and invite memberships now; returns them as revoked. Stripe subscriptions
    are left alone: they end when cancelled in Stripe."""

    async def revoked(current: MembershipRecord) -> MembershipRecord:
        return replace(current, status=MembershipStatus.REVOKED)

    ended = []
    for membership in await store.memberships.for_user(user_id):
        if membership.source in ENDED_BY_REVOKE and membership.status is MembershipStatus.ACTIVE:
            ended.append(await upsert(store, membership, revoked))
    return ended

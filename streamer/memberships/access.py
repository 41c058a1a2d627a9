"""Who may watch: the one answer the watch page and playback URLs ask for.

A membership gives access while it is active: a grant or an invite until its expiry; a Stripe subscription
while Stripe says it is active (until the end of its current period, plus RENEWAL_LEEWAY for the renewal's
webhooks to arrive), or for the grace period after a renewal payment failed. Owners, instructors and
admins need no membership.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from streamer.accounts.roles import Role, at_least
from streamer.memberships.plans import covers
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.memberships import MembershipRecord, MembershipSource, MembershipStatus
from streamer.storage.records import utcnow

FOREVER = datetime.max.replace(tzinfo=UTC)
# Stripe finalizes a renewal invoice about an hour after the new period starts; the period moves on with
# `customer.subscription.updated` at the renewal itself. This covers late deliveries of either.
RENEWAL_LEEWAY = timedelta(hours=2)


class Watchable(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def owner_id(self) -> str: ...


def grace_period(settings: Settings) -> timedelta:
    return timedelta(days=settings.membership_grace_days)


def exempt(role: str, user_id: str | None, video_owner_id: str) -> bool:
    """True for the video's owner and for instructors and admins: they watch without a membership."""
    return (bool(user_id) and user_id == video_owner_id) or at_least(role, Role.INSTRUCTOR)


def access_end(membership: MembershipRecord, grace: timedelta) -> datetime | None:
    """When the access this membership gives ends (FOREVER for a grant without expiry); None: it gives none."""
    if membership.source is MembershipSource.STRIPE:
        return _stripe_end(membership, grace)
    if membership.status is not MembershipStatus.ACTIVE:
        return None
    return membership.expires_at or FOREVER


def _stripe_end(membership: MembershipRecord, grace: timedelta) -> datetime | None:
    if membership.status is MembershipStatus.ACTIVE and membership.expires_at:
        return membership.expires_at + RENEWAL_LEEWAY
    since = membership.past_due_since or membership.status_at
    if membership.status is MembershipStatus.PAST_DUE and since:
        return since + grace
    return None


def is_active(membership: MembershipRecord, now: datetime, grace: timedelta) -> bool:
    end = access_end(membership, grace)
    return end is not None and now < end


def longest(memberships: Iterable[MembershipRecord], now: datetime, grace: timedelta) -> MembershipRecord | None:
    """The active membership whose access lasts longest, or None."""
    active = [membership for membership in memberships if is_active(membership, now, grace)]
    return max(active, key=lambda membership: access_end(membership, grace) or now, default=None)


async def active_memberships(
    store: Store, user_id: str, now: datetime | None = None, grace: timedelta = timedelta(0)
) -> list[MembershipRecord]:
    moment = now or utcnow()
    return [m for m in await store.memberships.for_user(user_id) if is_active(m, moment, grace)]


async def active_membership(
    store: Store, user_id: str, now: datetime | None = None, grace: timedelta = timedelta(0)
) -> MembershipRecord | None:
    """The user's active membership that lasts longest, or None."""
    moment = now or utcnow()
    return longest(await store.memberships.for_user(user_id), moment, grace)


async def has_access(
    store: Store,
    settings: Settings,
    user_id: str | None,
    role: str,
    video: Watchable,
    now: datetime | None = None,
) -> bool:
    """May this user (None: anonymous) watch `video`? Exempt roles always may; others need an active
    membership whose plan covers the video (a plan without a video list covers all)."""
    if exempt(role, user_id, video.owner_id):
        return True
    if not user_id:
        return False
    for membership in await active_memberships(store, user_id, now, grace_period(settings)):
        plan = await store.plans.get(membership.plan_id) if membership.plan_id else None
        if covers(plan, video.id):
            return True
    return False

"""What a member is told about their membership (the account page's status fragment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from streamer.memberships.access import FOREVER, access_end, longest
from streamer.storage.base import Store
from streamer.storage.memberships import MembershipRecord, MembershipSource, MembershipStatus, PlanRecord
from streamer.storage.records import utcnow


@dataclass(frozen=True)
class MembershipView:
    current: MembershipRecord | None  # the active membership that lasts longest
    plan: PlanRecord | None  # its plan; None: every video
    access_until: datetime | None  # None while current: no end date
    payment_failed: bool  # current is a Stripe subscription in its grace period
    last: MembershipRecord | None  # the most recently changed membership, active or not
    billing_customer: str  # Stripe customer id for the portal; empty: never subscribed

    @property
    def active(self) -> bool:
        return self.current is not None


async def membership_view(store: Store, user_id: str, grace: timedelta, now: datetime | None = None) -> MembershipView:
    memberships = await store.memberships.for_user(user_id)
    current = longest(memberships, now or utcnow(), grace)
    end = access_end(current, grace) if current else None
    stripe = [m for m in memberships if m.source is MembershipSource.STRIPE and m.stripe_customer_id]
    return MembershipView(
        current=current,
        plan=await store.plans.get(current.plan_id) if current and current.plan_id else None,
        access_until=None if end is None or end == FOREVER else end,
        payment_failed=current is not None and current.status is MembershipStatus.PAST_DUE,
        last=max(memberships, key=lambda m: m.updated_at, default=None),
        billing_customer=max(stripe, key=lambda m: m.created_at).stripe_customer_id if stripe else "",
    )

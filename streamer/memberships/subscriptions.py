"""Applying Stripe events to memberships, in whatever order and however often they arrive.

Each subscription is one membership row (its id is the subscription id). The state it ends in depends only on
the events' own data, not on delivery order:
- the current period's end only moves forward (the latest of all seen);
- the status follows the event with the latest `created` time (ties: the last delivered);
- once cancelled (`customer.subscription.deleted`, or status canceled), a subscription stays cancelled;
- user, plan and customer are filled in by whichever event names them first.
Each event id is processed once: a claim (`INSERT … IF NOT EXISTS`) precedes the change and is released when
the change fails, so Stripe's retry is processed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from streamer.memberships.plans import one_interval_later
from streamer.memberships.updates import upsert
from streamer.memberships.webhooks import Event, SubscriptionFacts, facts_from
from streamer.storage.base import Store
from streamer.storage.memberships import MembershipRecord, MembershipSource, MembershipStatus
from streamer.storage.records import utcnow


class Outcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"


def blank_subscription(subscription_id: str, now: datetime) -> MembershipRecord:
    return MembershipRecord(
        id=subscription_id,
        user_id="",
        source=MembershipSource.STRIPE,
        plan_id="",
        status=MembershipStatus.PENDING,
        created_at=now,
        updated_at=now,
        version=0,
    )


def merge(current: MembershipRecord, facts: SubscriptionFacts) -> MembershipRecord:
    """`current` with what `facts` adds; the same result whatever order facts arrive in."""
    changes: dict[str, Any] = {}
    if facts.user_id and not current.user_id:
        changes["user_id"] = facts.user_id
    if facts.plan_id and not current.plan_id:
        changes["plan_id"] = facts.plan_id
    if facts.customer_id and not current.stripe_customer_id:
        changes["stripe_customer_id"] = facts.customer_id
    if facts.period_end and (current.expires_at is None or facts.period_end > current.expires_at):
        changes["expires_at"] = facts.period_end
    return replace(current, **changes, **_status_changes(current, facts))


def _status_changes(current: MembershipRecord, facts: SubscriptionFacts) -> dict[str, Any]:
    if facts.status is None or current.status is MembershipStatus.CANCELED:
        return {}
    if facts.status is MembershipStatus.CANCELED:
        return {"status": facts.status, "status_at": facts.event_at, "past_due_since": None}
    if current.status_at is not None and facts.event_at < current.status_at:
        return _earlier_failure(current, facts)
    if facts.status is not MembershipStatus.PAST_DUE:
        return {"status": facts.status, "status_at": facts.event_at, "past_due_since": None}
    since = facts.event_at
    if current.status is MembershipStatus.PAST_DUE and current.past_due_since is not None:
        since = min(current.past_due_since, since)
    return {"status": facts.status, "status_at": facts.event_at, "past_due_since": since}


def _earlier_failure(current: MembershipRecord, facts: SubscriptionFacts) -> dict[str, Any]:
    """An older event cannot change the status, but an older failure of the same past-due spell dates it."""
    same_spell = facts.status is MembershipStatus.PAST_DUE and current.status is MembershipStatus.PAST_DUE
    if same_spell and (current.past_due_since is None or facts.event_at < current.past_due_since):
        return {"past_due_since": facts.event_at}
    return {}


async def apply(store: Store, facts: SubscriptionFacts, now: datetime | None = None) -> MembershipRecord:
    """Merge `facts` into the subscription's membership (creating it) with compare-and-set."""

    async def merged(current: MembershipRecord) -> MembershipRecord:
        return await _with_provisional_end(store, merge(current, facts), facts)

    return await upsert(store, blank_subscription(facts.subscription_id, now or utcnow()), merged)


async def _with_provisional_end(
    store: Store, membership: MembershipRecord, facts: SubscriptionFacts
) -> MembershipRecord:
    """A paid Checkout says nothing of the period; until an invoice or subscription event does, the period
    is taken to be one plan interval from payment (later facts only move it forward)."""
    if membership.status is not MembershipStatus.ACTIVE or membership.expires_at is not None:
        return membership
    plan = await store.plans.get(membership.plan_id) if membership.plan_id else None
    return replace(membership, expires_at=one_interval_later(facts.event_at, plan.interval if plan else "month"))


async def process_event(store: Store, event: Event, now: datetime | None = None) -> Outcome:
    """Apply a verified event once, however often it is delivered. Raises MalformedEvent before changing
    anything when the event cannot be read."""
    facts = facts_from(event)
    if not await store.stripe_events.claim(event["id"], event["type"], now or utcnow()):
        return Outcome.DUPLICATE
    try:
        if facts is not None:
            await apply(store, facts, now)
    except BaseException:
        await store.stripe_events.release(event["id"])
        raise
    return Outcome.APPLIED if facts is not None else Outcome.IGNORED


async def customer_for(store: Store, user_id: str) -> str:
    """The Stripe customer id of the user's latest subscription; empty when they never had one."""
    stripe_memberships = [m for m in await store.memberships.for_user(user_id) if m.source is MembershipSource.STRIPE]
    latest = max(stripe_memberships, key=lambda m: m.created_at, default=None)
    return latest.stripe_customer_id if latest else ""

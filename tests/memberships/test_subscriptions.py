"""Stripe events applied to memberships on a real store: once per event id, and in any delivery order."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from streamer.memberships.access import active_membership, has_access
from streamer.memberships.plans import create_plan, one_interval_later
from streamer.memberships.subscriptions import Outcome, customer_for, process_event
from streamer.settings import load_settings
from streamer.storage.base import Store
from streamer.storage.errors import StoreUnavailable
from streamer.storage.memberships import MembershipRecord, MembershipStatus
from streamer.storage.records import new_id
from tests.memberships.stripe_events import DAY, checkout_completed, invoice, subscription

NOW = int(time.time())
SETTINGS = load_settings({"STREAMER_MEMBERSHIP_GRACE_DAYS": "3"})


@dataclass(frozen=True)
class Video:
    id: str
    owner_id: str


def ids() -> tuple[str, str, str]:
    return f"sub_{new_id()[:14]}", f"cus_{new_id()[:14]}", new_id()


def cancelled_lifecycle(sub: str, customer: str, user_id: str, plan_id: str) -> list[dict[str, Any]]:
    start, end = NOW - 10 * DAY, NOW + 20 * DAY
    return [
        checkout_completed(sub, customer, user_id, plan_id, start),
        invoice("invoice.paid", sub, customer, end, start),
        subscription("updated", sub, customer, "active", end, start + 1),
        subscription("updated", sub, customer, "active", end, NOW - DAY, cancel_at_period_end=True),
        subscription("deleted", sub, customer, "canceled", end, NOW - 60),
    ]


def renewed_lifecycle(sub: str, customer: str, user_id: str, plan_id: str) -> list[dict[str, Any]]:
    start, renewal = NOW - 40 * DAY, NOW - 10 * DAY
    return [
        checkout_completed(sub, customer, user_id, plan_id, start),
        invoice("invoice.paid", sub, customer, renewal, start),
        subscription("updated", sub, customer, "active", renewal + 30 * DAY, renewal),
        invoice("invoice.payment_failed", sub, customer, renewal + 30 * DAY, renewal + 3600),
        subscription("updated", sub, customer, "past_due", renewal + 30 * DAY, renewal + 3600),
        invoice("invoice.paid", sub, customer, renewal + 30 * DAY, renewal + 2 * DAY),
        subscription("updated", sub, customer, "active", renewal + 30 * DAY, renewal + 2 * DAY),
    ]


def outcome_of(membership: MembershipRecord | None) -> tuple[object, ...]:
    assert membership is not None
    return (
        membership.user_id,
        membership.plan_id,
        membership.stripe_customer_id,
        membership.status,
        membership.expires_at,
        membership.past_due_since,
    )


async def deliver(store: Store, events: list[dict[str, Any]]) -> list[Outcome]:
    return [await process_event(store, event) for event in events]


@pytest.mark.parametrize("lifecycle", [cancelled_lifecycle, renewed_lifecycle])
async def test_every_delivery_order_ends_in_the_same_state(store: Store, lifecycle: Any) -> None:
    outcomes = set()
    for seed in range(4):
        sub, customer, user_id = ids()
        events = lifecycle(sub, customer, user_id, "plan-1")
        if seed:
            random.Random(seed).shuffle(events)
        await deliver(store, events)
        membership = await store.memberships.get(sub)
        outcomes.add(outcome_of(membership)[3:])
        assert outcome_of(membership)[:3] == (user_id, "plan-1", customer)
    assert len(outcomes) == 1


async def test_a_cancelled_subscription_stays_cancelled_when_an_older_update_arrives_late(store: Store) -> None:
    sub, customer, user_id = ids()
    events = cancelled_lifecycle(sub, customer, user_id, "")
    await deliver(store, [*events[:2], events[4], events[2], events[3]])
    membership = await store.memberships.get(sub)
    assert membership is not None
    assert membership.status is MembershipStatus.CANCELED
    assert await active_membership(store, user_id) is None


async def test_a_renewal_payment_that_recovers_leaves_the_member_active_to_the_new_period(store: Store) -> None:
    sub, customer, user_id = ids()
    events = renewed_lifecycle(sub, customer, user_id, "")
    await deliver(store, list(reversed(events)))
    membership = await active_membership(store, user_id)
    assert membership is not None
    assert (membership.status, membership.past_due_since) == (MembershipStatus.ACTIVE, None)
    assert membership.expires_at is not None
    assert membership.expires_at.timestamp() == NOW + 20 * DAY


async def test_an_event_delivered_three_times_is_applied_once(store: Store) -> None:
    sub, customer, user_id = ids()
    paid = checkout_completed(sub, customer, user_id, "", NOW)
    assert await deliver(store, [paid, paid, paid]) == [Outcome.APPLIED, Outcome.DUPLICATE, Outcome.DUPLICATE]
    membership = await store.memberships.get(sub)
    assert membership is not None
    assert (membership.version, membership.status) == (0, MembershipStatus.ACTIVE)
    assert await store.stripe_events.seen(paid["id"])


async def test_events_about_no_subscription_are_recorded_and_ignored(store: Store) -> None:
    other = subscription("trial_will_end", "sub_x", "cus_x", "trialing", NOW, NOW)
    assert await deliver(store, [other, other]) == [Outcome.IGNORED, Outcome.DUPLICATE]
    assert await store.memberships.get("sub_x") is None


async def test_a_failed_change_releases_the_event_for_stripes_retry(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    sub, customer, user_id = ids()
    paid = checkout_completed(sub, customer, user_id, "", NOW)

    async def down(membership: MembershipRecord) -> bool:
        raise StoreUnavailable("node went away")

    with monkeypatch.context() as patch:
        patch.setattr(store.memberships, "create", down)
        with pytest.raises(StoreUnavailable):
            await process_event(store, paid)
    assert not await store.stripe_events.seen(paid["id"])
    assert await process_event(store, paid) is Outcome.APPLIED
    assert await active_membership(store, user_id) is not None


async def test_an_invoice_before_the_checkout_is_kept_until_the_user_is_known(store: Store) -> None:
    sub, customer, user_id = ids()
    await process_event(store, invoice("invoice.paid", sub, customer, NOW + 30 * DAY, NOW))
    assert await active_membership(store, user_id) is None
    await process_event(store, checkout_completed(sub, customer, user_id, "", NOW))
    membership = await active_membership(store, user_id)
    assert membership is not None
    assert membership.expires_at is not None
    assert membership.expires_at.timestamp() == NOW + 30 * DAY
    assert await customer_for(store, user_id) == customer


async def test_a_paid_checkout_alone_gives_one_plan_interval(store: Store) -> None:
    plan = await create_plan(store, "Yearly", 9000, "usd", "year")
    sub, customer, user_id = ids()
    await process_event(store, checkout_completed(sub, customer, user_id, plan.id, NOW - DAY))
    membership = await active_membership(store, user_id)
    assert membership is not None
    assert membership.expires_at == one_interval_later(datetime.fromtimestamp(NOW - DAY, UTC), "year")


@pytest.mark.parametrize(("failed_days_ago", "watches"), [(1, True), (4, False)])
async def test_a_failed_renewal_keeps_access_for_the_grace_period(
    store: Store, failed_days_ago: int, watches: bool
) -> None:
    sub, customer, user_id = ids()
    failed_at = NOW - failed_days_ago * DAY
    await deliver(
        store,
        [
            checkout_completed(sub, customer, user_id, "", failed_at - 30 * DAY),
            invoice("invoice.paid", sub, customer, failed_at, failed_at - 30 * DAY),
            subscription("updated", sub, customer, "past_due", failed_at + 30 * DAY, failed_at),
            invoice("invoice.payment_failed", sub, customer, failed_at + 30 * DAY, failed_at),
        ],
    )
    assert await has_access(store, SETTINGS, user_id, "member", Video(new_id(), new_id())) is watches


async def test_a_member_whose_subscription_is_deleted_loses_playback_access(store: Store) -> None:
    sub, customer, user_id = ids()
    video = Video(new_id(), new_id())
    events = cancelled_lifecycle(sub, customer, user_id, "")
    await deliver(store, events[:4])
    assert await has_access(store, SETTINGS, user_id, "member", video)
    await deliver(store, events[4:])
    assert not await has_access(store, SETTINGS, user_id, "member", video)


async def test_unpaid_subscriptions_give_no_access(store: Store) -> None:
    sub, customer, user_id = ids()
    await deliver(
        store,
        [
            checkout_completed(sub, customer, user_id, "", NOW - 40 * DAY),
            subscription("updated", sub, customer, "unpaid", NOW + 20 * DAY, NOW - DAY),
        ],
    )
    assert await active_membership(store, user_id, grace=timedelta(days=30)) is None

"""Verifying deliveries and reading what events say: pure, no store."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from streamer.memberships.errors import InvalidWebhook, MalformedEvent, PaymentsNotConfigured
from streamer.memberships.webhooks import facts_from, verify
from streamer.storage.memberships import MembershipStatus
from tests.memberships.stripe_events import (
    DAY,
    WEBHOOK_SECRET,
    basil_invoice,
    body,
    checkout_completed,
    invoice,
    sign,
    subscription,
)

NOW = int(time.time())


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def test_a_delivery_signed_with_the_endpoint_secret_is_accepted() -> None:
    event = invoice("invoice.paid", "sub_1", "cus_1", NOW + 30 * DAY, NOW)
    payload = body(event)
    assert verify(payload, sign(payload), WEBHOOK_SECRET) == event


def test_any_matching_v1_signature_passes_as_during_secret_rotation() -> None:
    payload = body(invoice("invoice.paid", "sub_1", "cus_1", NOW + 30 * DAY, NOW))
    header = sign(payload)
    stale_secret = sign(payload, secret="whsec_old").split(",")[1]
    assert verify(payload, f"{header},{stale_secret}", WEBHOOK_SECRET)["type"] == "invoice.paid"


PAYLOAD = body(invoice("invoice.paid", "sub_1", "cus_1", NOW + 30 * DAY, NOW))


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "garbage",
        "t=notanumber,v1=00",
        f"t={NOW}",
        sign(PAYLOAD, secret="whsec_someone_else"),
        sign(b"another body"),
        sign(PAYLOAD).replace("v1=", "v0="),
    ],
)
def test_a_missing_or_wrong_signature_is_rejected(header: str | None) -> None:
    with pytest.raises(InvalidWebhook):
        verify(PAYLOAD, header, WEBHOOK_SECRET)


def test_a_signature_older_than_five_minutes_is_rejected() -> None:
    payload = body(invoice("invoice.paid", "sub_1", "cus_1", NOW + 30 * DAY, NOW))
    verify(payload, sign(payload, timestamp=int(time.time()) - 290), WEBHOOK_SECRET)
    with pytest.raises(InvalidWebhook, match="tolerance"):
        verify(payload, sign(payload, timestamp=int(time.time()) - 301), WEBHOOK_SECRET)


def test_a_tampered_body_is_rejected() -> None:
    payload = body(invoice("invoice.paid", "sub_1", "cus_1", NOW + 30 * DAY, NOW))
    header = sign(payload)
    with pytest.raises(InvalidWebhook):
        verify(payload.replace(b"sub_1", b"sub_2"), header, WEBHOOK_SECRET)


@pytest.mark.parametrize("payload", [b"{not json", b"[]", b'{"id": "evt_1"}', b"\xff\xfe", b'{"id":"e","type":"x"}'])
def test_a_correctly_signed_body_that_is_not_an_event_is_malformed(payload: bytes) -> None:
    with pytest.raises(InvalidWebhook):
        verify(payload, sign(payload), WEBHOOK_SECRET)


def test_no_webhook_secret_means_payments_are_not_configured() -> None:
    with pytest.raises(PaymentsNotConfigured):
        verify(b"{}", "t=1,v1=00", "")


def test_a_paid_checkout_names_the_user_plan_customer_and_subscription() -> None:
    facts = facts_from(checkout_completed("sub_1", "cus_1", "user-1", "plan-1", NOW))
    assert facts is not None
    assert (facts.subscription_id, facts.customer_id, facts.user_id, facts.plan_id) == (
        "sub_1",
        "cus_1",
        "user-1",
        "plan-1",
    )
    assert (facts.status, facts.event_at, facts.period_end) == (MembershipStatus.ACTIVE, at(NOW), None)


def test_a_payment_mode_checkout_says_nothing_about_subscriptions() -> None:
    event = checkout_completed("sub_1", "cus_1", "user-1", "plan-1", NOW)
    event["data"]["object"] |= {"mode": "payment", "subscription": None}
    assert facts_from(event) is None


@pytest.mark.parametrize("shape", [invoice, basil_invoice])
def test_a_paid_invoice_activates_until_its_lines_end(shape: object) -> None:
    facts = facts_from(shape("invoice.paid", "sub_1", "cus_1", NOW + 30 * DAY, NOW))  # type: ignore[operator]
    assert facts is not None
    assert (facts.subscription_id, facts.status, facts.period_end) == (
        "sub_1",
        MembershipStatus.ACTIVE,
        at(NOW + 30 * DAY),
    )


def test_a_failed_invoice_makes_it_past_due_without_moving_the_period() -> None:
    facts = facts_from(invoice("invoice.payment_failed", "sub_1", "cus_1", NOW + 30 * DAY, NOW))
    assert facts is not None
    assert (facts.status, facts.period_end) == (MembershipStatus.PAST_DUE, None)


def test_an_invoice_outside_any_subscription_is_ignored() -> None:
    event = invoice("invoice.paid", "sub_1", "cus_1", NOW, NOW)
    event["data"]["object"]["subscription"] = None
    assert facts_from(event) is None


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("active", MembershipStatus.ACTIVE),
        ("trialing", MembershipStatus.ACTIVE),
        ("past_due", MembershipStatus.PAST_DUE),
        ("unpaid", MembershipStatus.UNPAID),
        ("incomplete", MembershipStatus.PENDING),
        ("incomplete_expired", MembershipStatus.CANCELED),
        ("canceled", MembershipStatus.CANCELED),
        ("something_new", None),
    ],
)
def test_subscription_statuses_map_to_membership_statuses(status: str, expected: MembershipStatus | None) -> None:
    facts = facts_from(subscription("updated", "sub_1", "cus_1", status, NOW + DAY, NOW))
    assert facts is not None
    assert facts.status == expected


def test_a_deleted_subscription_is_cancelled_whatever_its_status_says() -> None:
    facts = facts_from(subscription("deleted", "sub_1", "cus_1", "active", NOW + DAY, NOW))
    assert facts is not None
    assert facts.status is MembershipStatus.CANCELED


def test_the_period_end_comes_from_the_items_in_newer_api_versions() -> None:
    event = subscription(
        "updated", "sub_1", "cus_1", "active", NOW, NOW, items={"data": [{"current_period_end": NOW + 5}]}
    )
    del event["data"]["object"]["current_period_end"]
    facts = facts_from(event)
    assert facts is not None
    assert facts.period_end == at(NOW + 5)


def test_an_expanded_customer_object_gives_its_id() -> None:
    event = subscription("updated", "sub_1", {"id": "cus_9", "object": "customer"}, "active", NOW, NOW)  # type: ignore[arg-type]
    facts = facts_from(event)
    assert facts is not None
    assert facts.customer_id == "cus_9"


def test_a_subscription_event_with_a_bad_time_is_malformed() -> None:
    with pytest.raises(MalformedEvent):
        facts_from(subscription("updated", "sub_1", "cus_1", "active", "soon", NOW))  # type: ignore[arg-type]


def test_other_event_types_are_not_about_subscriptions() -> None:
    assert facts_from(subscription("trial_will_end", "sub_1", "cus_1", "trialing", NOW, NOW)) is None

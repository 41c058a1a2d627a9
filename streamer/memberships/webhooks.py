"""Stripe webhook deliveries: verify the signature on the raw body, then read what the event says about one
subscription. Pure: no store, no network."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from stripe import SignatureVerificationError, WebhookSignature

from streamer.memberships.errors import InvalidWebhook, MalformedEvent, PaymentsNotConfigured
from streamer.storage.memberships import MembershipStatus

TOLERANCE_SECONDS = 300
HANDLED_EVENTS = (
    "checkout.session.completed",
    "invoice.paid",
    "invoice.payment_failed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
)
SUBSCRIPTION_STATUS = {
    "active": MembershipStatus.ACTIVE,
    "trialing": MembershipStatus.ACTIVE,
    "past_due": MembershipStatus.PAST_DUE,
    "unpaid": MembershipStatus.UNPAID,
    "paused": MembershipStatus.UNPAID,
    "incomplete": MembershipStatus.PENDING,
    "incomplete_expired": MembershipStatus.CANCELED,
    "canceled": MembershipStatus.CANCELED,
}
Event = Mapping[str, Any]


@dataclass(frozen=True)
class SubscriptionFacts:
    """What one event says about one subscription; None and "" mean the event does not say."""

    subscription_id: str
    event_at: datetime
    status: MembershipStatus | None = None
    period_end: datetime | None = None
    customer_id: str = ""
    user_id: str = ""
    plan_id: str = ""


def verify(payload: bytes, header: str | None, secret: str) -> Event:
    """The event in a delivery whose `Stripe-Signature` matches `secret` and is at most 5 minutes old.

    Raises InvalidWebhook (bad or missing signature, stale timestamp), MalformedEvent (not an event),
    PaymentsNotConfigured (no secret set).
    """
    if not secret:
        raise PaymentsNotConfigured("STREAMER_STRIPE_WEBHOOK_SECRET is not set")
    try:
        WebhookSignature.verify_header(payload, header, secret, tolerance=TOLERANCE_SECONDS)
    except (SignatureVerificationError, UnicodeDecodeError) as error:
        raise InvalidWebhook(f"webhook signature rejected: {_first_line(error)}") from None
    try:
        event = json.loads(payload)
    except ValueError:
        raise MalformedEvent("webhook body is not JSON") from None
    return checked_event(event)


def checked_event(event: object) -> Event:
    """Raises MalformedEvent unless `event` has the shape of a Stripe event."""
    if not isinstance(event, dict):
        raise MalformedEvent("webhook body is not a Stripe event")
    data = event.get("data")
    if not (
        _text(event.get("id"))
        and _text(event.get("type"))
        and isinstance(event.get("created"), int)
        and isinstance(data, dict)
        and isinstance(data.get("object"), dict)
    ):
        raise MalformedEvent("webhook body is not a Stripe event (id, type, created, data.object)")
    return event


def facts_from(event: Event) -> SubscriptionFacts | None:
    """What a verified event says about a subscription; None for events about none. Raises MalformedEvent."""
    kind, obj = event["type"], event["data"]["object"]
    at = _time(event["created"])
    assert at is not None
    if kind == "checkout.session.completed":
        return _from_checkout(obj, at)
    if kind in ("invoice.paid", "invoice.payment_failed"):
        return _from_invoice(obj, at, paid=kind == "invoice.paid")
    if kind.startswith("customer.subscription.") and kind in HANDLED_EVENTS:
        return _from_subscription(obj, at, deleted=kind.endswith(".deleted"))
    return None


def _from_checkout(session: Mapping[str, Any], at: datetime) -> SubscriptionFacts | None:
    subscription = _ref(session.get("subscription"))
    if session.get("mode") != "subscription" or not subscription:
        return None
    metadata = _metadata(session.get("metadata"))
    paid = session.get("payment_status") in ("paid", "no_payment_required")
    return SubscriptionFacts(
        subscription_id=subscription,
        event_at=at,
        status=MembershipStatus.ACTIVE if paid else None,
        customer_id=_ref(session.get("customer")),
        user_id=_str(session.get("client_reference_id")) or metadata.get("user_id", ""),
        plan_id=metadata.get("plan_id", ""),
    )


def _from_invoice(invoice: Mapping[str, Any], at: datetime, *, paid: bool) -> SubscriptionFacts | None:
    # API versions before 2025-03-31 put the subscription on the invoice; later ones under parent.
    details = _dict(_dict(invoice.get("parent")).get("subscription_details")) or _dict(
        invoice.get("subscription_details")
    )
    subscription = _ref(invoice.get("subscription")) or _ref(details.get("subscription"))
    if not subscription:
        return None
    metadata = _metadata(details.get("metadata"))
    return SubscriptionFacts(
        subscription_id=subscription,
        event_at=at,
        status=MembershipStatus.ACTIVE if paid else MembershipStatus.PAST_DUE,
        # A failed invoice's lines cover a period nobody paid for.
        period_end=_lines_end(invoice) if paid else None,
        customer_id=_ref(invoice.get("customer")),
        user_id=metadata.get("user_id", ""),
        plan_id=metadata.get("plan_id", ""),
    )


def _from_subscription(subscription: Mapping[str, Any], at: datetime, *, deleted: bool) -> SubscriptionFacts:
    subscription_id = _ref(subscription.get("id"))
    if not subscription_id:
        raise MalformedEvent("subscription event without a subscription id")
    metadata = _metadata(subscription.get("metadata"))
    status = SUBSCRIPTION_STATUS.get(_str(subscription.get("status")))
    return SubscriptionFacts(
        subscription_id=subscription_id,
        event_at=at,
        status=MembershipStatus.CANCELED if deleted else status,
        period_end=_subscription_end(subscription),
        customer_id=_ref(subscription.get("customer")),
        user_id=metadata.get("user_id", ""),
        plan_id=metadata.get("plan_id", ""),
    )


def _subscription_end(subscription: Mapping[str, Any]) -> datetime | None:
    # API versions from 2025-03-31 moved current_period_end from the subscription to its items.
    if subscription.get("current_period_end") is not None:
        return _time(subscription["current_period_end"])
    items = _dict(subscription.get("items")).get("data") or []
    ends = [_time(item.get("current_period_end")) for item in items if isinstance(item, dict)]
    return max((end for end in ends if end is not None), default=None)


def _lines_end(invoice: Mapping[str, Any]) -> datetime | None:
    # An invoice's own period_end is the previous period for subscription invoices; its lines say what it buys.
    lines = _dict(invoice.get("lines")).get("data") or []
    ends = [_time(_dict(line.get("period")).get("end")) for line in lines if isinstance(line, dict)]
    return max((end for end in ends if end is not None), default=None)


def _time(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedEvent(f"expected a Unix time, got {value!r}")
    return datetime.fromtimestamp(value, UTC)


def _ref(value: object) -> str:
    """An id, whether Stripe sent the id or the expanded object."""
    return _str(value.get("id")) if isinstance(value, dict) else _str(value)


def _metadata(value: object) -> dict[str, str]:
    return {key: item for key, item in _dict(value).items() if isinstance(item, str)}


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _first_line(error: Exception) -> str:
    return str(getattr(error, "user_message", None) or error).splitlines()[0][:200]

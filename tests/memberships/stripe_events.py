"""Stripe webhook events for tests, shaped as Stripe sends them, and signed exactly as Stripe signs them:
`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>." + body, keyed with the whole whsec_ secret>`."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from streamer.storage.records import new_id

WEBHOOK_SECRET = "whsec_test_0123456789abcdef0123456789abcdef"
DAY = 86400


def sign(body: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    moment = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{moment}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={moment},v1={digest}"


def body(event: dict[str, Any]) -> bytes:
    return json.dumps(event, separators=(",", ":")).encode()


def event(kind: str, obj: dict[str, Any], created: int) -> dict[str, Any]:
    return {
        "id": f"evt_{new_id()[:24]}",
        "object": "event",
        "api_version": "2024-06-20",
        "created": created,
        "livemode": False,
        "pending_webhooks": 1,
        "type": kind,
        "data": {"object": obj},
    }


def checkout_completed(subscription: str, customer: str, user_id: str, plan_id: str, created: int) -> dict[str, Any]:
    session = {
        "id": f"cs_test_{new_id()[:20]}",
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "payment_status": "paid",
        "client_reference_id": user_id,
        "customer": customer,
        "subscription": subscription,
        "metadata": {"user_id": user_id, "plan_id": plan_id},
    }
    return event("checkout.session.completed", session, created)


def invoice(kind: str, subscription: str, customer: str, period_end: int, created: int) -> dict[str, Any]:
    """An invoice event as API versions before 2025-03-31 shape it (subscription on the invoice)."""
    obj = {
        "id": f"in_{new_id()[:20]}",
        "object": "invoice",
        "customer": customer,
        "subscription": subscription,
        "billing_reason": "subscription_cycle",
        "period_start": period_end - 60 * DAY,
        "period_end": period_end - 30 * DAY,
        "lines": {"object": "list", "data": [{"period": {"start": period_end - 30 * DAY, "end": period_end}}]},
    }
    return event(kind, obj, created)


def basil_invoice(kind: str, subscription: str, customer: str, period_end: int, created: int) -> dict[str, Any]:
    """An invoice event as API versions from 2025-03-31 shape it (subscription under parent)."""
    built = invoice(kind, subscription, customer, period_end, created)
    obj = built["data"]["object"]
    del obj["subscription"]
    obj["parent"] = {
        "type": "subscription_details",
        "subscription_details": {"subscription": subscription, "metadata": {}},
    }
    return built


def subscription(
    kind: str, subscription_id: str, customer: str, status: str, period_end: int, created: int, **extra: Any
) -> dict[str, Any]:
    obj = {
        "id": subscription_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "current_period_end": period_end,
        "cancel_at_period_end": False,
        "metadata": {},
        **extra,
    }
    return event(f"customer.subscription.{kind}", obj, created)

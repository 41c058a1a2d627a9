"""The Stripe calls, against stripe-mock (which validates every parameter against Stripe's OpenAPI spec)."""

from __future__ import annotations

import pytest

from streamer.memberships.errors import PaymentProviderError, PaymentsNotConfigured
from streamer.memberships.stripe_api import CheckoutRequest, StripeBilling, billing_from, checkout_params
from streamer.settings import load_settings
from streamer.storage.memberships import PlanRecord
from streamer.storage.records import utcnow
from tests.stripe_mock import API_KEY, stripe_mock

__all__ = ["stripe_mock"]

PLAN = PlanRecord("plan-1", "Monthly", 900, "usd", "month", (), True, utcnow())


def order(plan: PlanRecord = PLAN, customer_id: str = "") -> CheckoutRequest:
    return CheckoutRequest(
        plan=plan,
        user_id="user-1",
        email="ada@example.org",
        customer_id=customer_id,
        success_url="http://127.0.0.1:8080/billing/success?session_id={CHECKOUT_SESSION_ID}",
        cancel_url="http://127.0.0.1:8080/billing/cancel",
    )


def test_checkout_names_the_user_and_plan_on_the_session_and_the_subscription() -> None:
    params = checkout_params(order())
    metadata = {"user_id": "user-1", "plan_id": "plan-1"}
    assert (params["mode"], params["client_reference_id"], params["metadata"]) == ("subscription", "user-1", metadata)
    assert params.get("subscription_data") == {"metadata": metadata}
    assert (params.get("customer_email"), "customer" in params) == ("ada@example.org", False)


def test_a_returning_customer_is_reused_and_a_dashboard_price_is_used_as_is() -> None:
    params = checkout_params(order(PlanRecord("p", "Y", 1, "usd", "year", (), True, utcnow(), "price_9"), "cus_1"))
    assert (params.get("customer"), "customer_email" in params) == ("cus_1", False)
    assert params.get("line_items") == [{"price": "price_9", "quantity": 1}]


async def test_a_subscription_checkout_session_gives_a_stripe_hosted_url(stripe_mock: str) -> None:
    url = await StripeBilling(API_KEY, stripe_mock).checkout_url(order())
    assert url.startswith("https://checkout.stripe.com/")


async def test_a_yearly_plan_for_a_returning_customer_is_accepted(stripe_mock: str) -> None:
    yearly = PlanRecord("plan-2", "Yearly", 9000, "eur", "year", ("v1",), True, utcnow())
    assert await StripeBilling(API_KEY, stripe_mock).checkout_url(order(yearly, "cus_123"))


async def test_the_portal_gives_a_url_for_the_customer(stripe_mock: str) -> None:
    url = await StripeBilling(API_KEY, stripe_mock).portal_url("cus_123", "http://127.0.0.1:8080/membership")
    assert url.startswith("https://")


async def test_a_refused_request_is_a_payment_provider_error(stripe_mock: str) -> None:
    with pytest.raises(PaymentProviderError, match="HTTP 401"):
        await StripeBilling("not-a-key", stripe_mock).checkout_url(order())


async def test_an_unreachable_stripe_is_a_payment_provider_error() -> None:
    with pytest.raises(PaymentProviderError):
        await StripeBilling(API_KEY, "http://127.0.0.1:9").portal_url("cus_1", "http://x/")


def test_without_a_secret_key_payments_are_not_configured() -> None:
    with pytest.raises(PaymentsNotConfigured):
        billing_from(load_settings({}))

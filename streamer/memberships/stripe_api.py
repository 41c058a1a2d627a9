"""The Stripe calls streamer makes: a Checkout Session in subscription mode, a customer-portal session.

Access never follows from these calls or their redirects; only verified webhooks change memberships.
"""

from __future__ import annotations

from dataclasses import dataclass

import stripe
from stripe.params.billing_portal import SessionCreateParams as PortalParams
from stripe.params.checkout import SessionCreateParams as CheckoutParams
from stripe.params.checkout import SessionCreateParamsLineItem as LineItem

from streamer.memberships.errors import PaymentProviderError, PaymentsNotConfigured
from streamer.settings import Settings
from streamer.storage.memberships import PlanRecord

TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class CheckoutRequest:
    plan: PlanRecord
    user_id: str
    email: str
    customer_id: str  # the user's Stripe customer from an earlier subscription; empty for a first purchase
    success_url: str  # may hold {CHECKOUT_SESSION_ID}
    cancel_url: str


def checkout_params(request: CheckoutRequest) -> CheckoutParams:
    """Subscription-mode Checkout for one plan. The user and plan travel as `client_reference_id` and as
    metadata on both the session and the subscription, so every webhook event can name them."""
    plan = request.plan
    metadata = {"user_id": request.user_id, "plan_id": plan.id}
    params: CheckoutParams = {
        "mode": "subscription",
        "success_url": request.success_url,
        "cancel_url": request.cancel_url,
        "client_reference_id": request.user_id,
        "metadata": metadata,
        "subscription_data": {"metadata": metadata},
        "line_items": [_line_item(plan)],
    }
    if request.customer_id:
        params["customer"] = request.customer_id
    else:
        params["customer_email"] = request.email
    return params


def _line_item(plan: PlanRecord) -> LineItem:
    if plan.stripe_price_id:
        return {"price": plan.stripe_price_id, "quantity": 1}
    interval = "year" if plan.interval == "year" else "month"
    return {
        "quantity": 1,
        "price_data": {
            "currency": plan.currency,
            "unit_amount": plan.amount,
            "recurring": {"interval": interval},
            "product_data": {"name": plan.name},
        },
    }


class StripeBilling:
    def __init__(self, secret_key: str, api_base: str = "") -> None:
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else None,
            max_network_retries=1,
            http_client=stripe.HTTPXClient(timeout=TIMEOUT_SECONDS),
        )

    async def checkout_url(self, request: CheckoutRequest) -> str:
        """The Stripe-hosted Checkout page to send the buyer to. Raises PaymentProviderError."""
        try:
            session = await self._client.v1.checkout.sessions.create_async(params=checkout_params(request))
        except stripe.StripeError as error:
            raise PaymentProviderError(_reason(error)) from None
        if not session.url:
            raise PaymentProviderError("Stripe returned a Checkout Session without a URL")
        return session.url

    async def portal_url(self, customer_id: str, return_url: str) -> str:
        """The customer portal where the member updates payment details or cancels. Raises
        PaymentProviderError."""
        params: PortalParams = {"customer": customer_id, "return_url": return_url}
        try:
            session = await self._client.v1.billing_portal.sessions.create_async(params=params)
        except stripe.StripeError as error:
            raise PaymentProviderError(_reason(error)) from None
        return session.url


def billing_from(settings: Settings) -> StripeBilling:
    """Raises PaymentsNotConfigured when no Stripe secret key is set."""
    if not settings.stripe_secret_key:
        raise PaymentsNotConfigured("Online payments are not set up on this server.")
    return StripeBilling(settings.stripe_secret_key, settings.stripe_api_base)


def _reason(error: stripe.StripeError) -> str:
    status = f" (HTTP {error.http_status})" if error.http_status else ""
    return f"Stripe refused the request{status}: {error.user_message or type(error).__name__}"

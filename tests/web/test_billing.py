"""Pricing, Checkout and the portal against stripe-mock; access only ever comes from the signed webhook."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from streamer.memberships.plans import create_plan
from streamer.storage.base import Store
from streamer.storage.memberships import PlanRecord
from tests.browser_session import post_form
from tests.conftest import login_as
from tests.memberships.stripe_events import DAY, WEBHOOK_SECRET, body, checkout_completed, invoice, sign, subscription
from tests.stripe_mock import API_KEY, stripe_mock
from tests.web.membership_app import client_for, watches

__all__ = ["stripe_mock"]


@pytest.fixture
async def client(store: Store, tmp_path: Path, stripe_mock: str) -> AsyncIterator[httpx.AsyncClient]:
    env = {
        "STREAMER_STRIPE_SECRET_KEY": API_KEY,
        "STREAMER_STRIPE_API_BASE": stripe_mock,
        "STREAMER_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    async with client_for(store, tmp_path, **env) as client:
        yield client


@pytest.fixture
async def plan(store: Store) -> PlanRecord:
    return await create_plan(store, "Monthly", 900, "usd")


async def deliver(client: httpx.AsyncClient, event: dict[str, object]) -> None:
    payload = body(event)
    response = await client.post("/api/stripe/webhook", content=payload, headers={"Stripe-Signature": sign(payload)})
    assert response.status_code == 200


async def test_pricing_lists_offered_plans_with_a_subscribe_button(
    client: httpx.AsyncClient, store: Store, plan: PlanRecord
) -> None:
    await login_as(client, store)
    page = (await client.get("/pricing")).text
    assert "Monthly" in page
    assert "9.00 USD / month" in page
    assert f'value="{plan.id}"' in page
    assert "not set up" not in page


async def test_anonymous_buyers_are_sent_to_log_in(client: httpx.AsyncClient, plan: PlanRecord) -> None:
    response = await post_form(client, "/billing/checkout", {"plan_id": plan.id}, page="/pricing")
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=%2Fbilling%2Fcheckout")


async def test_a_member_buys_the_webhook_activates_and_cancelling_revokes(
    client: httpx.AsyncClient, store: Store, plan: PlanRecord
) -> None:
    user = await login_as(client, store)
    response = await client.post("/billing/checkout", data={"plan_id": plan.id})
    assert response.status_code == 303
    assert response.headers["location"].startswith("https://checkout.stripe.com/")

    success = await client.get("/billing/success", params={"session_id": "cs_test_1"})
    assert "as soon as Stripe confirms" in success.text
    assert "You have no active membership" in success.text
    assert not await watches(store, user.id)

    now = int(time.time())
    await deliver(client, checkout_completed("sub_buy1", "cus_buy1", user.id, plan.id, now))
    await deliver(client, invoice("invoice.paid", "sub_buy1", "cus_buy1", now + 30 * DAY, now))
    status = (await client.get("/membership")).text
    assert "Active: Monthly" in status
    assert await watches(store, user.id)
    assert "Manage or cancel your subscription" in status

    portal = await client.post("/billing/portal")
    assert (portal.status_code, portal.headers["location"].startswith("https://")) == (303, True)

    await deliver(client, subscription("deleted", "sub_buy1", "cus_buy1", "canceled", now + 30 * DAY, now + 5))
    assert "You have no active membership. Your last one is canceled." in (await client.get("/membership")).text
    assert not await watches(store, user.id)


async def test_a_subscribed_member_is_not_sent_to_checkout_again(
    client: httpx.AsyncClient, store: Store, plan: PlanRecord
) -> None:
    user = await login_as(client, store)
    now = int(time.time())
    await deliver(client, checkout_completed("sub_again", "cus_again", user.id, plan.id, now))
    response = await client.post("/billing/checkout", data={"plan_id": plan.id})
    assert (response.status_code, response.headers["location"]) == (303, "/membership")


async def test_unknown_or_withdrawn_plans_cannot_be_bought(
    client: httpx.AsyncClient, store: Store, plan: PlanRecord
) -> None:
    await login_as(client, store)
    assert (await client.post("/billing/checkout", data={"plan_id": "nope"})).status_code == 404
    await store.plans.set_active(plan.id, False)
    assert (await client.post("/billing/checkout", data={"plan_id": plan.id})).status_code == 404


async def test_the_portal_needs_a_subscription(client: httpx.AsyncClient, store: Store) -> None:
    await login_as(client, store)
    response = await client.post("/billing/portal")
    assert response.status_code == 404
    assert "no subscription to manage" in response.text


async def test_cancelled_checkout_says_nothing_was_charged(client: httpx.AsyncClient, store: Store) -> None:
    assert (await client.get("/billing/cancel")).headers["location"] == "/pricing"
    await login_as(client, store)
    assert "Nothing was charged" in (await client.get("/billing/cancel")).text


async def test_without_stripe_pricing_says_payments_are_not_set_up(
    store: Store, tmp_path: Path, plan: PlanRecord
) -> None:
    async with client_for(store, tmp_path) as client:
        await login_as(client, store)
        page = (await client.get("/pricing")).text
        checkout = await client.post("/billing/checkout", data={"plan_id": plan.id})
    assert "Online payments are not set up" in page
    assert "Subscribe" not in page
    assert checkout.status_code == 503


async def test_stripe_refusing_is_a_502_page(store: Store, tmp_path: Path, stripe_mock: str, plan: PlanRecord) -> None:
    env = {"STREAMER_STRIPE_SECRET_KEY": "not-a-key", "STREAMER_STRIPE_API_BASE": stripe_mock}
    async with client_for(store, tmp_path, **env) as client:
        await login_as(client, store)
        response = await client.post("/billing/checkout", data={"plan_id": plan.id})
    assert response.status_code == 502
    assert "Stripe refused" in response.text

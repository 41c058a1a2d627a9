"""POST /api/stripe/webhook with deliveries signed exactly as Stripe signs them."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from streamer.storage.base import Store
from streamer.storage.records import new_id
from tests.memberships.stripe_events import DAY, WEBHOOK_SECRET, body, checkout_completed, invoice, sign, subscription
from tests.web.membership_app import client_for, watches

NOW = int(time.time())


@pytest.fixture
async def client(store: Store, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(store, tmp_path, STREAMER_STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET) as client:
        yield client


async def post(client: httpx.AsyncClient, payload: bytes, header: str | None = None) -> httpx.Response:
    headers = {"Content-Type": "application/json", "Stripe-Signature": sign(payload) if header is None else header}
    return await client.post("/api/stripe/webhook", content=payload, headers=headers)


def ids() -> tuple[str, str, str]:
    return f"sub_{new_id()[:14]}", f"cus_{new_id()[:14]}", new_id()


async def test_a_valid_event_delivered_three_times_is_applied_once(client: httpx.AsyncClient, store: Store) -> None:
    sub, customer, user_id = ids()
    payload = body(checkout_completed(sub, customer, user_id, "", NOW))
    outcomes = [(await post(client, payload)).json() for _ in range(3)]
    assert [outcome["outcome"] for outcome in outcomes] == ["applied", "duplicate", "duplicate"]
    membership = await store.memberships.get(sub)
    assert membership is not None
    assert membership.version == 0
    assert await watches(store, user_id)


async def test_events_out_of_order_and_repeated_end_where_stripe_ended(client: httpx.AsyncClient, store: Store) -> None:
    sub, customer, user_id = ids()
    end = NOW + 20 * DAY
    paid = body(invoice("invoice.paid", sub, customer, end, NOW - 10 * DAY))
    checkout = body(checkout_completed(sub, customer, user_id, "", NOW - 10 * DAY))
    updated = body(subscription("updated", sub, customer, "active", end, NOW - 10 * DAY + 5))
    deleted = body(subscription("deleted", sub, customer, "canceled", end, NOW - 60))
    for payload in (deleted, paid, updated, checkout, updated, deleted, paid):
        assert (await post(client, payload)).status_code == 200
    assert not await watches(store, user_id)


async def test_a_member_whose_subscription_is_deleted_loses_access(client: httpx.AsyncClient, store: Store) -> None:
    sub, customer, user_id = ids()
    await post(client, body(checkout_completed(sub, customer, user_id, "", NOW - 60)))
    await post(client, body(invoice("invoice.paid", sub, customer, NOW + 30 * DAY, NOW - 60)))
    assert await watches(store, user_id)
    await post(client, body(subscription("deleted", sub, customer, "canceled", NOW + 30 * DAY, NOW)))
    assert not await watches(store, user_id)


@pytest.mark.parametrize(
    "tamper",
    ["bad signature", "other secret", "stale timestamp", "no header", "malformed body", "not an event"],
)
async def test_a_rejected_delivery_is_400_and_changes_nothing(
    client: httpx.AsyncClient, store: Store, tamper: str
) -> None:
    sub, customer, user_id = ids()
    event = checkout_completed(sub, customer, user_id, "", NOW)
    payload = body(event)
    header = {
        "bad signature": sign(payload).replace("v1=", "v1=0"),
        "other secret": sign(payload, secret="whsec_other"),
        "stale timestamp": sign(payload, timestamp=int(time.time()) - 301),
        "no header": "",
    }.get(tamper)
    if tamper == "malformed body":
        payload = payload[:-5]
    if tamper == "not an event":
        payload = b'{"id": "evt_1", "type": "checkout.session.completed"}'
    response = await post(client, payload, header)
    assert response.status_code == 400
    assert "error" in response.json()
    assert await store.memberships.get(sub) is None
    assert not await store.stripe_events.seen(event["id"])
    assert not await watches(store, user_id)


async def test_without_a_webhook_secret_deliveries_are_refused_with_503(store: Store, tmp_path: Path) -> None:
    async with client_for(store, tmp_path) as client:
        payload = body(checkout_completed("sub_1", "cus_1", "u", "", NOW))
        response = await post(client, payload)
    assert response.status_code == 503


async def test_an_oversized_delivery_is_refused_before_it_is_read(client: httpx.AsyncClient) -> None:
    response = await post(client, b" " * (1024 * 1024 + 1), "t=1,v1=00")
    assert response.status_code == 413

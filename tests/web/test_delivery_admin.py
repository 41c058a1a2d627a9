"""The admin Delivery page, in process (nginx -t on the real binary; nginx itself not running here)."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from streamer.storage.base import Store
from streamer.storage.delivery import DeliveryConfigRecord
from streamer.storage.records import new_id, utcnow
from tests.components import require_program
from tests.conftest import login_as


def csrf(page: str) -> dict[str, str]:
    match = re.search(r'name="csrf_token" value="([^"]*)"', page)
    return {"csrf_token": match[1]} if match else {}


async def form_values(client: httpx.AsyncClient) -> dict[str, str]:
    """What the page would submit unchanged: every input and selected option, plus the CSRF token."""
    page = (await client.get("/admin/delivery")).text
    values = dict(re.findall(r'<input type="text" id="f-\w+" name="(\w+)" value="([^"]*)"', page))
    for name, options in re.findall(r'<select id="f-\w+" name="(\w+)">(.*?)</select>', page, re.S):
        values[name] = re.findall(r'value="(\w+)" selected', options)[0]
    return values | csrf(page)


@pytest.fixture(autouse=True)
def nginx_binary() -> None:
    require_program("nginx")


async def reset(store: Store) -> None:
    await store.delivery.record_applied({}, DeliveryConfigRecord(new_id(), utcnow(), "test", "{}", "-"))


async def test_only_admins_see_the_page(app_client: httpx.AsyncClient, store: Store) -> None:
    assert (await app_client.get("/admin/delivery")).status_code == 303
    await login_as(app_client, store, "instructor")
    assert (await app_client.get("/admin/delivery")).status_code == 403
    await login_as(app_client, store, "admin")
    page = await app_client.get("/admin/delivery")
    assert page.status_code == 200
    for name in ("link_ttl", "delivery_rate", "delivery_aio_threads", "nginx_tls_cert"):
        assert f'name="{name}"' in page.text


async def test_applying_a_change_stores_it_with_history_and_shows_the_outcome(
    app_client: httpx.AsyncClient, store: Store
) -> None:
    admin = await login_as(app_client, store, "admin")
    await reset(store)
    values = await form_values(app_client)
    response = await app_client.post("/admin/delivery", data=values | {"delivery_rate": "512k", "link_bind_ip": "true"})
    assert response.status_code == 303
    assert "reload=not-running" in response.headers["location"]
    assert await store.delivery.get_overrides() == {"delivery_rate": "512k", "link_bind_ip": "true"}
    latest = (await store.delivery.history(1))[0]
    assert (latest.author, json.loads(latest.overrides)) == (
        admin.id,
        {"delivery_rate": "512k", "link_bind_ip": "true"},
    )
    page = (await app_client.get(response.headers["location"])).text
    assert "nginx is not running" in page
    assert 'value="512k"' in page
    await reset(store)


async def test_a_config_nginx_refuses_shows_its_error_and_changes_nothing(
    app_client: httpx.AsyncClient, store: Store
) -> None:
    await login_as(app_client, store, "admin")
    await reset(store)
    before = await store.delivery.history()
    broken = {"nginx_tls_cert": "/nonexistent/cert.pem", "nginx_tls_key": "/nonexistent/key.pem"}
    response = await app_client.post("/admin/delivery", data=await form_values(app_client) | broken)
    assert response.status_code == 400
    assert "nginx refused this configuration" in response.text
    assert "cannot load certificate &#34;/nonexistent/cert.pem&#34;" in response.text
    assert 'value="/nonexistent/cert.pem"' in response.text, "the form keeps what was typed"
    assert await store.delivery.get_overrides() == {}
    assert await store.delivery.history() == before


async def test_a_value_settings_reject_is_named(app_client: httpx.AsyncClient, store: Store) -> None:
    await login_as(app_client, store, "admin")
    response = await app_client.post("/admin/delivery", data=await form_values(app_client) | {"delivery_rate": "lots"})
    assert response.status_code == 400
    assert "delivery_rate" in response.text


async def test_rolling_back_applies_an_earlier_configs_overrides(app_client: httpx.AsyncClient, store: Store) -> None:
    await login_as(app_client, store, "admin")
    await reset(store)
    values = await form_values(app_client)
    await app_client.post("/admin/delivery", data=values | {"delivery_rate": "1m"})
    first = (await store.delivery.history(1))[0]
    await app_client.post("/admin/delivery", data=values | {"delivery_rate": "2m"})
    response = await app_client.post(
        f"/admin/delivery/rollback/{first.id}", data=csrf((await app_client.get("/admin/delivery")).text)
    )
    assert response.status_code == 303
    assert await store.delivery.get_overrides() == {"delivery_rate": "1m"}
    assert (await store.delivery.history(1))[0].note == f"rollback to {first.id[:12]}"
    await reset(store)


async def test_the_apply_and_rollback_forms_carry_the_token_a_post_needs(
    app_client: httpx.AsyncClient, store: Store
) -> None:
    await login_as(app_client, store, "admin")
    await reset(store)
    values = await form_values(app_client)
    del app_client.headers["X-CSRF-Token"]  # as a browser submitting the form: only the form's field
    assert (await app_client.post("/admin/delivery", data=values | {"delivery_rate": "3m"})).status_code == 303
    page = (await app_client.get("/admin/delivery")).text
    rollback = re.search(r'<form method="post" action="(/admin/delivery/rollback/\w+)"[^>]*>(.*?)</form>', page)
    assert rollback is not None
    assert (await app_client.post(rollback[1], data=csrf(rollback[2]))).status_code == 303
    await reset(store)


async def test_a_post_without_the_forms_token_is_refused_and_changes_nothing(
    app_client: httpx.AsyncClient, store: Store
) -> None:
    await login_as(app_client, store, "admin")
    await reset(store)
    values = await form_values(app_client)
    del app_client.headers["X-CSRF-Token"], values["csrf_token"]
    assert (await app_client.post("/admin/delivery", data=values | {"delivery_rate": "3m"})).status_code == 403
    assert await store.delivery.get_overrides() == {}

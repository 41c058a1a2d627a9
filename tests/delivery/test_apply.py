"""Applying delivery settings on a running nginx: a broken config never goes live; a good one reloads in place."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from streamer import signing
from streamer.delivery import apply as applying
from streamer.delivery.tunables import InvalidDeliverySetting
from tests.delivery.conftest import PLAIN, Stack

pytestmark = pytest.mark.e2e


def segment_url(stack: Stack) -> str:
    secret = signing.link_secret(stack.settings.secret_key)
    prefix = signing.signed_prefix(PLAIN, int(time.time()) + 600, secret, client_ip="127.0.0.1")
    return stack.nginx.base_url + prefix + "360p/seg_00000.m4s"


async def cache_control(stack: Stack) -> str:
    async with httpx.AsyncClient() as client:
        response = await client.get(segment_url(stack))
    assert response.status_code == 200
    return response.headers["cache-control"]


async def test_a_config_nginx_rejects_is_never_applied_and_its_error_is_shown(stack: Stack) -> None:
    active = stack.nginx.layout.conf.read_text()
    history = await stack.store.delivery.history()
    broken = {"nginx_tls_cert": "/nonexistent/cert.pem", "nginx_tls_key": "/nonexistent/key.pem"}
    with pytest.raises(applying.ConfigRejected, match=r'cannot load certificate "/nonexistent/cert.pem"'):
        await applying.apply(stack.settings, stack.store, broken, author="admin")
    assert stack.nginx.layout.conf.read_text() == active
    assert await stack.store.delivery.history() == history
    assert await stack.store.delivery.get_overrides() == {}
    assert list(stack.nginx.layout.prefix.glob("nginx.conf.candidate*")) == []
    assert "max-age=86400" in await cache_control(stack)


async def test_a_value_settings_reject_never_reaches_nginx(stack: Stack) -> None:
    active = stack.nginx.layout.conf.read_text()
    with pytest.raises(InvalidDeliverySetting, match="delivery_rate"):
        await applying.apply(stack.settings, stack.store, {"delivery_rate": "fast; return 200"}, author="admin")
    with pytest.raises(InvalidDeliverySetting, match="not a delivery setting: nginx_port"):
        await applying.apply(stack.settings, stack.store, {"nginx_port": "81"}, author="admin")
    assert stack.nginx.layout.conf.read_text() == active


async def fetch_until(stack: Stack, stop: asyncio.Event) -> list[int]:
    """New connection per request: nginx closes idle keep-alive connections when it reloads, and a client
    then retries on a fresh one (RFC 9112 §9.3.1, as browsers do; httpx does not), so what must never fail
    is a request nginx has accepted."""
    statuses = []
    async with httpx.AsyncClient(headers={"Connection": "close"}) as client:
        while not stop.is_set():
            statuses.append((await client.get(segment_url(stack))).status_code)
    return statuses


async def test_a_good_change_reloads_nginx_without_dropping_requests(stack: Stack) -> None:
    stop = asyncio.Event()
    load = [asyncio.create_task(fetch_until(stack, stop)) for _ in range(4)]
    await asyncio.sleep(0.3)
    applied = await applying.apply(stack.settings, stack.store, {"delivery_cache_max_age": "1234"}, author="admin")
    await asyncio.sleep(0.5)
    stop.set()
    statuses = [status for task in load for status in await task]
    assert (applied.reloaded, applied.reload_error) == (True, "")
    assert len(statuses) > 20
    assert set(statuses) == {200}
    assert "max-age=1234" in await cache_control(stack)
    assert json.loads(applied.config.overrides) == {"delivery_cache_max_age": "1234"}
    assert applied.history_file.read_text() == stack.nginx.layout.conf.read_text()


async def test_rollback_brings_back_an_earlier_config(stack: Stack) -> None:
    first = await applying.apply(stack.settings, stack.store, {"delivery_cache_max_age": "111"}, author="admin")
    await applying.apply(stack.settings, stack.store, {"delivery_cache_max_age": "222"}, author="admin")
    assert "max-age=222" in await cache_control(stack)
    back = await applying.rollback(stack.settings, stack.store, first.config.id, author="admin")
    assert "max-age=111" in await cache_control(stack)
    assert back.config.note == f"rollback to {first.config.id[:12]}"
    assert (await stack.store.delivery.history())[0] == back.config
    await applying.apply(stack.settings, stack.store, {}, author="admin")
    assert "max-age=86400" in await cache_control(stack)

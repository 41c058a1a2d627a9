from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from streamer.storage.base import Store
from streamer.storage.errors import StoreUnavailable
from streamer.web.app import create_app
from tests.conftest import settings_for


@pytest.fixture
async def client(store: Store, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings_for("sqlite", tmp_path), store=store)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client,
    ):
        yield client


async def test_healthz_answers_ok_when_the_store_does(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_healthz_is_503_with_the_reason_when_the_store_is_down(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, store: Store
) -> None:
    async def down() -> None:
        raise StoreUnavailable("cannot reach Cassandra at 10.0.0.1:9042")

    monkeypatch.setattr(store, "ping", down)
    response = await client.get("/healthz")
    assert response.status_code == 503
    assert "cannot reach Cassandra" in response.json()["reason"]


async def test_unknown_api_paths_are_json_and_pages_are_html(client: httpx.AsyncClient) -> None:
    api, page = await client.get("/api/nothing"), await client.get("/nothing")
    assert (api.status_code, api.json()) == (404, {"error": "Not Found"})
    assert (page.status_code, page.headers["content-type"].split(";")[0]) == (404, "text/html")

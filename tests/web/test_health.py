from __future__ import annotations

import httpx
import pytest

from streamer.storage.base import Store
from streamer.storage.errors import StoreUnavailable


async def test_healthz_answers_ok_when_the_store_does(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_healthz_is_503_with_the_reason_when_the_store_is_down(
    app_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, store: Store
) -> None:
    async def down() -> None:
        raise StoreUnavailable("cannot reach Cassandra at 10.0.0.1:9042")

    monkeypatch.setattr(store, "ping", down)
    response = await app_client.get("/healthz")
    assert response.status_code == 503
    assert "cannot reach Cassandra" in response.json()["reason"]


async def test_unknown_api_paths_are_json_and_pages_are_html(app_client: httpx.AsyncClient) -> None:
    api, page = await app_client.get("/api/nothing"), await app_client.get("/nothing")
    assert (api.status_code, api.json()) == (404, {"error": "Not Found"})
    assert (page.status_code, page.headers["content-type"].split(";")[0]) == (404, "text/html")


async def test_static_files_are_served(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "--accent" in response.text

"""CSRF: unsafe requests need the session-bound token (form field or header) and a same-origin request."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from streamer.accounts.users import User
from streamer.storage.base import Store
from streamer.storage.records import new_id
from streamer.web.csrf import csrf_exempt
from tests.browser_session import csrf_token, csrf_token_in, server_session
from tests.conftest import login_as
from tests.web.apps import accounts_of, client, running, site_settings


async def echo(request: Request) -> Response:
    async with request.form() as form:
        return JSONResponse({"user": request.user.is_authenticated, "fields": sorted(form.keys())})


@csrf_exempt
async def beacon(request: Request) -> Response:
    return JSONResponse({"got": len(await request.body())})


@pytest_asyncio.fixture
async def app(store: Store, tmp_path: Path) -> AsyncIterator[Starlette]:
    async with running(store, site_settings(tmp_path)) as started:
        started.router.routes[:0] = [
            Route("/echo", echo, methods=["POST"]),
            Route("/api/beacon", beacon, methods=["POST"]),
        ]
        yield started


@pytest_asyncio.fixture
async def browser(app: Starlette, store: Store) -> AsyncIterator[httpx.AsyncClient]:
    async with client(app) as logged_in:
        await login_as(logged_in, store)
        yield logged_in


async def test_a_form_with_the_sessions_token_passes_and_the_body_reaches_the_endpoint(
    browser: httpx.AsyncClient,
) -> None:
    token = browser.headers.pop("X-CSRF-Token")
    response = await browser.post("/echo", data={"csrf_token": token, "title": "x"})
    assert response.json() == {"user": True, "fields": ["csrf_token", "title"]}
    multipart = await browser.post("/echo", data={"csrf_token": token}, files={"f": ("a.txt", b"hello")})
    assert multipart.json() == {"user": True, "fields": ["csrf_token", "f"]}


async def test_the_header_works_for_fetch(browser: httpx.AsyncClient) -> None:
    response = await browser.post("/echo", data={"title": "x"})
    assert response.status_code == 200


@pytest.mark.parametrize("token", [None, "", "forged-token", "A" * 43])
async def test_a_missing_or_wrong_token_is_refused(browser: httpx.AsyncClient, token: str | None) -> None:
    browser.headers.pop("X-CSRF-Token")
    data = {"title": "x"} | ({"csrf_token": token} if token is not None else {})
    response = await browser.post("/echo", data=data)
    assert response.status_code == 403
    assert "reload the page" in response.text


async def test_another_sessions_token_is_refused(app: Starlette, browser: httpx.AsyncClient, store: Store) -> None:
    async with client(app) as other:
        await login_as(other, store)
        foreign = other.headers["X-CSRF-Token"]
    assert foreign != browser.headers["X-CSRF-Token"]
    response = await browser.post("/echo", headers={"X-CSRF-Token": foreign}, data={})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
async def test_cross_origin_requests_are_refused_even_with_the_token(
    browser: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    assert (await browser.post("/echo", headers=headers, data={})).status_code == 403


@pytest.mark.parametrize("headers", [{"Origin": "http://testserver"}, {"Sec-Fetch-Site": "same-origin"}])
async def test_same_origin_requests_pass(browser: httpx.AsyncClient, headers: dict[str, str]) -> None:
    assert (await browser.post("/echo", headers=headers, data={})).status_code == 200


async def test_the_login_form_is_protected_too(app: Starlette) -> None:
    async with client(app) as browser:
        refused = await browser.post("/login", data={"email": "a@example.org", "password": "x"})
        assert refused.status_code == 403
        token = await csrf_token(browser, "/login")
        answered = await browser.post("/login", data={"email": "a@example.org", "password": "x", "csrf_token": token})
        assert answered.status_code == 400


async def test_the_anonymous_binding_cookie_is_http_only_and_lax(app: Starlette) -> None:
    async with client(app) as browser:
        response = await browser.get("/login")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("streamer_csrf=")
    assert sorted(cookie.split("; ")[1:]) == ["HttpOnly", "Path=/", "SameSite=lax"]


async def test_the_token_changes_with_the_session(app: Starlette, store: Store) -> None:
    async with client(app) as browser:
        anonymous = await csrf_token(browser, "/login")
        await login_as(browser, store)
        assert browser.headers["X-CSRF-Token"] != anonymous
        assert csrf_token_in((await browser.get("/account")).text) == browser.headers["X-CSRF-Token"]


async def test_exempt_endpoints_take_posts_without_a_token(app: Starlette) -> None:
    async with client(app) as anonymous:
        response = await anonymous.post("/api/beacon", content=b'{"t": 1}', headers={"Origin": "http://testserver"})
    assert response.json() == {"got": 8}


async def test_a_session_started_for_a_real_server_client_works_with_its_headers(
    app: Starlette, store: Store, tmp_path: Path
) -> None:
    user = await User.create_user(accounts_of(app), email=f"{new_id()[:8]}@example.org", password=None, verified=True)
    session = await server_session(store, accounts_of(app).settings, user.id)
    async with client(app) as raw:
        response = await raw.post("/echo", headers=session.headers, data={})
    assert response.json() == {"user": True, "fields": []}

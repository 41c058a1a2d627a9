from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from streamer.accounts.roles import Role
from streamer.storage.base import Store
from streamer.web.errors import exception_handlers
from streamer.web.guards import login_required, role_required
from tests.auth_double import HeaderBackend
from tests.conftest import login_as


@login_required
async def page(request: Request) -> Response:
    return PlainTextResponse(f"hello {request.user.display_name}")


@role_required(Role.INSTRUCTOR)
async def studio(request: Request) -> Response:
    return PlainTextResponse("studio")


@pytest.fixture
async def client(store: Store) -> httpx.AsyncClient:
    app = Starlette(
        routes=[Route("/page", page), Route("/api/studio", studio), Route("/studio", studio)],
        middleware=[Middleware(AuthenticationMiddleware, backend=HeaderBackend())],
        exception_handlers=exception_handlers(),
    )
    app.state.store = store
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_anonymous_pages_redirect_to_login_with_next(client: httpx.AsyncClient) -> None:
    response = await client.get("/page?x=1")
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=%2Fpage%3Fx%3D1")


async def test_anonymous_api_calls_get_401_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/studio")
    assert (response.status_code, response.json()) == (401, {"error": "Log in to continue."})


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("instructor", 200), ("admin", 200)])
async def test_roles_rank_member_instructor_admin(
    client: httpx.AsyncClient, store: Store, role: str, status: int
) -> None:
    await login_as(client, store, role)
    assert (await client.get("/studio")).status_code == status
    assert (await client.get("/page")).status_code == 200

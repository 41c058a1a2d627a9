from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from streamer.accounts.roles import Role
from streamer.storage.base import Store
from streamer.web.app import create_app
from streamer.web.guards import login_required, role_required, safe_next
from tests.conftest import login_as, settings_for


@login_required
async def page(request: Request) -> Response:
    return PlainTextResponse(f"hello {request.user.display_name}")


@role_required(Role.INSTRUCTOR)
async def studio(request: Request) -> Response:
    return PlainTextResponse("studio")


@pytest_asyncio.fixture
async def client(store: Store, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The real app (session cookies, CSRF) with three guarded routes added."""
    app = create_app(settings_for("sqlite", tmp_path), store=store)
    app.router.routes[:0] = [Route("/page", page), Route("/api/studio", studio), Route("/studio", studio)]
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client,
    ):
        yield client


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
    page = await client.get("/page")
    assert (page.status_code, page.text) == (200, f"hello {role.title()} Tester")


async def test_a_missing_role_is_a_403_page(client: httpx.AsyncClient, store: Store) -> None:
    await login_as(client, store, "member")
    response = await client.get("/studio")
    assert (response.status_code, response.headers["content-type"].split(";")[0]) == (403, "text/html")


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\\\evil.example",
        "/\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/ok\\r\\nLocation: //evil",
        "",
    ],
)
def test_off_site_next_targets_are_refused(target: str) -> None:
    assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/studio", "/watch/abc?t=10#x", "/account"])
def test_paths_on_this_site_are_kept(target: str) -> None:
    assert safe_next(target) == target

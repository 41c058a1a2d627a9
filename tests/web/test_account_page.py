"""/account: change password (current one needed, other sessions end), change email (re-verified), log out others."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest_asyncio
from starlette.applications import Starlette

from streamer.accounts.users import User
from streamer.storage.base import Store
from streamer.storage.records import new_id
from tests.browser_session import log_in
from tests.smtp import Mailbox, link_in, smtp
from tests.web.apps import accounts_of, client, running, site_settings

__all__ = ["smtp"]
OLD, NEW = "tangerine lighthouse at dawn", "quiet harbour under snow"


@pytest_asyncio.fixture
async def app(store: Store, tmp_path: Path, smtp: Mailbox) -> AsyncIterator[Starlette]:
    async with running(store, site_settings(tmp_path, STREAMER_SMTP_URL=smtp.url)) as started:
        yield started


async def member(app: Starlette) -> User:
    email = f"{new_id()[:8]}@example.org"
    return await User.create_user(accounts_of(app), email=email, password=OLD, display_name="Ada", verified=True)


@asynccontextmanager
async def two_browsers(app: Starlette, user: User) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    async with client(app) as here, client(app) as there:
        await log_in(here, user.email, OLD)
        await log_in(there, user.email, OLD, remember=True)
        yield here, there


async def test_changing_the_password_needs_the_current_one(app: Starlette) -> None:
    user = await member(app)
    async with client(app) as browser:
        await log_in(browser, user.email, OLD)
        response = await browser.post("/account/password", data={"current_password": "wrong", "new_password": NEW})
        assert (response.status_code, "current password is not right" in response.text) == (400, True)
        weak = await browser.post("/account/password", data={"current_password": OLD, "new_password": "password1"})
        assert weak.status_code == 400


async def test_changing_the_password_ends_other_sessions_and_renews_this_one(app: Starlette) -> None:
    user = await member(app)
    async with two_browsers(app, user) as (here, there):
        before = here.cookies["streamer_session"]
        response = await here.post("/account/password", data={"current_password": OLD, "new_password": NEW})
        assert (response.status_code, response.headers["location"]) == (303, "/account?done=password")
        assert here.cookies["streamer_session"] != before
        page = await here.get(response.headers["location"])
        assert (page.status_code, "Every other session has been logged out" in page.text) == (200, True)
        assert (await there.get("/account")).status_code == 303
    async with client(app) as replay:
        replay.cookies.set("streamer_session", before)
        assert (await replay.get("/account")).status_code == 303


async def test_changing_the_email_needs_the_password_and_re_verification(app: Starlette, smtp: Mailbox) -> None:
    user = await member(app)
    new_address = f"moved-{new_id()[:8]}@example.org"
    async with client(app) as browser:
        await log_in(browser, user.email, OLD)
        wrong = await browser.post("/account/email", data={"email": new_address, "password": "wrong"})
        assert wrong.status_code == 400
        moved = await browser.post("/account/email", data={"email": new_address, "password": OLD})
        assert moved.headers["location"] == "/account?done=email"
        page = await browser.get("/account")
        assert new_address in page.text
        assert "not confirmed" in page.text
        assert smtp.last_to(user.email)["Subject"] == "Your email address was changed"
        assert (await browser.get(link_in(smtp.last_to(new_address), "/verify/"))).status_code == 200
        assert "not confirmed" not in (await browser.get("/account")).text


async def test_an_address_in_use_cannot_be_taken(app: Starlette) -> None:
    user, other = await member(app), await member(app)
    async with client(app) as browser:
        await log_in(browser, user.email, OLD)
        response = await browser.post("/account/email", data={"email": other.email.upper(), "password": OLD})
    assert (response.status_code, "already used" in response.text) == (400, True)


async def test_log_out_everywhere_else(app: Starlette) -> None:
    user = await member(app)
    async with two_browsers(app, user) as (here, there):
        assert "2 devices" in (await here.get("/account")).text
        response = await here.post("/account/sessions/end-others")
        assert response.headers["location"] == "/account?done=sessions"
        assert "1 device " in (await here.get("/account")).text
        assert (await there.get("/account")).status_code == 303

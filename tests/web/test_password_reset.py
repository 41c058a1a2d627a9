"""Forgotten passwords through a real SMTP server: same answer for every address, single-use expiring links."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest_asyncio
from starlette.applications import Starlette

from streamer.accounts.users import User
from streamer.storage.base import Store
from streamer.storage.records import new_id, utcnow
from tests.browser_session import log_in, post_form
from tests.smtp import Mailbox, link_in, smtp
from tests.web.apps import accounts_of, client, running, site_settings
from tests.web.test_signup_mail import without_tokens

__all__ = ["smtp"]
OLD, NEW = "tangerine lighthouse at dawn", "quiet harbour under snow"


@pytest_asyncio.fixture
async def app(store: Store, tmp_path: Path, smtp: Mailbox) -> AsyncIterator[Starlette]:
    async with running(store, site_settings(tmp_path, STREAMER_SMTP_URL=smtp.url)) as started:
        yield started


async def member(app: Starlette) -> User:
    email = f"{new_id()[:8]}@example.org"
    return await User.create_user(accounts_of(app), email=email, password=OLD, display_name="Ada", verified=True)


async def reset_link(app: Starlette, smtp: Mailbox, email: str) -> str:
    async with client(app) as browser:
        response = await post_form(browser, "/password/forgot", {"email": email})
        assert response.status_code == 200
    return link_in(smtp.last_to(email), "/password/reset/")


async def test_the_reset_link_sets_a_new_password_once_and_ends_every_session(app: Starlette, smtp: Mailbox) -> None:
    user = await member(app)
    async with client(app) as elsewhere:
        await log_in(elsewhere, user.email, OLD, remember=True)
        link = await reset_link(app, smtp, user.email)
        assert smtp.last_to(user.email)["Subject"] == "Reset your password"
        async with client(app) as browser:
            form = await browser.get(link)
            assert (form.status_code, "Choose a new password" in form.text) == (200, True)
            path = link.removeprefix("http://testserver")
            done = await post_form(browser, path, {"password": NEW}, page=path)
            assert (done.status_code, done.headers["location"]) == (303, "/login?reset=1")
            assert (await browser.get(link)).status_code == 400
            again = await post_form(browser, "/login", {"email": user.email, "password": "x"})
            assert again.status_code == 400
        assert (await elsewhere.get("/account")).status_code == 303
    async with client(app) as browser:
        await log_in(browser, user.email, NEW)
        assert (await post_form(browser, "/login", {"email": user.email, "password": OLD})).status_code == 400


async def test_a_weak_new_password_is_refused_and_the_link_still_works(app: Starlette, smtp: Mailbox) -> None:
    user = await member(app)
    path = (await reset_link(app, smtp, user.email)).removeprefix("http://testserver")
    async with client(app) as browser:
        weak = await post_form(browser, path, {"password": "password1"}, page=path)
        assert (weak.status_code, "leaked passwords" in weak.text) == (400, True)
        assert (await post_form(browser, path, {"password": NEW}, page=path)).status_code == 303


async def test_unknown_addresses_get_the_same_answer_and_no_mail(app: Starlette, smtp: Mailbox) -> None:
    user = await member(app)
    stranger = f"stranger-{new_id()[:8]}@example.org"
    async with client(app) as browser:
        known = await post_form(browser, "/password/forgot", {"email": user.email})
        unknown = await post_form(browser, "/password/forgot", {"email": stranger})
    assert known.status_code == unknown.status_code == 200
    assert without_tokens(known.text).replace(user.email, "X") == without_tokens(unknown.text).replace(stranger, "X")
    assert smtp.to(stranger) == []


async def test_reset_links_expire_after_an_hour(app: Starlette, smtp: Mailbox) -> None:
    user = await member(app)
    link = await reset_link(app, smtp, user.email)
    accounts = accounts_of(app)
    later = utcnow() + timedelta(seconds=accounts.settings.reset_token_ttl + 1)
    accounts.clock = lambda: later
    try:
        async with client(app) as browser:
            assert (await browser.get(link)).status_code == 400
    finally:
        accounts.clock = utcnow


async def test_older_links_are_void_after_a_password_change(app: Starlette, smtp: Mailbox) -> None:
    user = await member(app)
    first = await reset_link(app, smtp, user.email)
    second = await reset_link(app, smtp, user.email)
    async with client(app) as browser:
        path = second.removeprefix("http://testserver")
        assert (await post_form(browser, path, {"password": NEW}, page=path)).status_code == 303
        assert (await browser.get(first)).status_code == 400


async def test_reset_mails_are_throttled_per_address_with_the_same_answer(app: Starlette, smtp: Mailbox) -> None:
    user = await member(app)
    limit = accounts_of(app).settings.mail_max_per_address
    async with client(app) as browser:
        answers = [await post_form(browser, "/password/forgot", {"email": user.email}) for _ in range(limit + 2)]
    assert {answer.status_code for answer in answers} == {200}
    assert len(smtp.to(user.email)) == limit

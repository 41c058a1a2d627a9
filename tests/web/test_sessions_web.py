"""Login, remember-me, the cookie's exact attributes, rotation, logout and expiry, through the real app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from streamer.accounts.users import User
from streamer.storage.base import Store
from streamer.storage.records import new_id, utcnow
from tests.browser_session import log_in, post_form
from tests.web.apps import accounts_of, client, running, site_settings

PASSWORD = "tangerine lighthouse at dawn"


@pytest_asyncio.fixture
async def app(store: Store, tmp_path: Path) -> AsyncIterator[Starlette]:
    async with running(store, site_settings(tmp_path)) as started:
        yield started


async def member(app: Starlette, name: str = "Ada Lovelace") -> User:
    email = f"{new_id()[:8]}@example.org"
    return await User.create_user(accounts_of(app), email=email, password=PASSWORD, display_name=name, verified=True)


def set_cookie_of(response: httpx.Response) -> str:
    cookies = [value for key, value in response.headers.multi_items() if key == "set-cookie"]
    session = [cookie for cookie in cookies if "streamer_session=" in cookie]
    assert len(session) == 1, cookies
    return session[0]


async def test_the_logged_in_user_is_request_user(app: Starlette) -> None:
    user = await member(app)
    async with client(app) as browser:
        await log_in(browser, user.email, PASSWORD)
        page = await browser.get("/account")
    assert page.status_code == 200
    assert "Ada Lovelace" in page.text
    assert user.email in page.text


async def test_without_remember_me_the_cookie_is_a_browser_session_cookie(app: Starlette) -> None:
    user = await member(app)
    async with client(app) as browser:
        response = await log_in(browser, user.email, PASSWORD)
    name, _, attributes = set_cookie_of(response).partition("; ")
    assert name.startswith("streamer_session=")
    assert len(name.split("=", 1)[1]) == 43
    assert sorted(attributes.split("; ")) == ["HttpOnly", "Path=/", "SameSite=lax"]


async def test_with_remember_me_the_cookie_has_a_max_age_of_thirty_days(app: Starlette) -> None:
    user = await member(app)
    async with client(app) as browser:
        response = await log_in(browser, user.email, PASSWORD, remember=True)
    _, _, attributes = set_cookie_of(response).partition("; ")
    parts = sorted(attributes.split("; "))
    max_age = int(next(part for part in parts if part.startswith("Max-Age=")).split("=")[1])
    assert 30 * 86400 - 5 <= max_age <= 30 * 86400
    assert [part for part in parts if not part.startswith(("Max-Age=", "expires="))] == [
        "HttpOnly",
        "Path=/",
        "SameSite=lax",
    ]


async def test_on_https_the_cookie_is_secure_with_the_host_prefix(store: Store, tmp_path: Path) -> None:
    settings = site_settings(tmp_path, STREAMER_PUBLIC_URL="https://videos.example.org")
    async with running(store, settings) as app:
        user = await member(app)
        async with client(app, base_url="https://videos.example.org") as browser:
            response = await log_in(browser, user.email, PASSWORD)
            assert "Ada" in (await browser.get("/account")).text
    name, _, attributes = set_cookie_of(response).partition("; ")
    assert name.startswith("__Host-streamer_session=")
    assert sorted(attributes.split("; ")) == ["HttpOnly", "Path=/", "SameSite=lax", "Secure"]


async def test_login_starts_a_new_session_id_and_ends_the_one_the_browser_had(app: Starlette) -> None:
    first, second = await member(app), await member(app, "Grace Hopper")
    async with client(app) as browser:
        await log_in(browser, first.email, PASSWORD)
        before = browser.cookies["streamer_session"]
        await log_in(browser, second.email, PASSWORD)
        after = browser.cookies["streamer_session"]
        assert "Grace Hopper" in (await browser.get("/account")).text
    assert before != after
    async with client(app) as replay:
        replay.cookies.set("streamer_session", before)
        assert (await replay.get("/account")).status_code == 303


async def test_after_logout_the_old_cookie_replayed_is_anonymous(app: Starlette) -> None:
    user = await member(app)
    async with client(app) as browser:
        await log_in(browser, user.email, PASSWORD, remember=True)
        cookie = browser.cookies["streamer_session"]
        response = await browser.post("/logout")
        assert (response.status_code, response.headers["location"]) == (303, "/login")
        assert 'streamer_session=""' in set_cookie_of(response)
    async with client(app) as attacker:
        attacker.cookies.set("streamer_session", cookie)
        page = await attacker.get("/account")
        assert (page.status_code, page.headers["location"]) == (303, "/login?next=%2Faccount")
        assert "Log in" in (await attacker.get("/login")).text


@pytest.mark.parametrize("value", ["garbage", "x" * 43, "a" * 4000, "%00%ff", ""])
async def test_a_bad_cookie_means_anonymous_never_an_error(app: Starlette, value: str) -> None:
    async with client(app) as browser:
        browser.cookies.set("streamer_session", value)
        assert (await browser.get("/login")).status_code == 200
        assert (await browser.get("/account")).status_code == 303


async def test_idle_and_absolute_expiry_apply_to_requests(app: Starlette) -> None:
    accounts = accounts_of(app)
    user = await member(app)
    async with client(app) as browser:
        await log_in(browser, user.email, PASSWORD)
        later = utcnow() + timedelta(seconds=accounts.settings.session_idle_timeout + 1)
        accounts.clock = lambda: later
        assert (await browser.get("/account")).status_code == 303
    async with client(app) as browser:
        accounts.clock = utcnow
        await log_in(browser, user.email, PASSWORD, remember=True)
        accounts.clock = lambda: later
        assert (await browser.get("/account")).status_code == 200  # remember-me: no idle timeout
        much_later = utcnow() + timedelta(seconds=accounts.settings.remember_me_max_age + 1)
        accounts.clock = lambda: much_later
        assert (await browser.get("/account")).status_code == 303
    accounts.clock = utcnow


async def test_wrong_passwords_and_unknown_addresses_get_one_generic_answer(app: Starlette) -> None:
    user = await member(app)
    async with client(app, ip="10.9.0.1") as browser:
        wrong = await post_form(browser, "/login", {"email": user.email, "password": "not the password"})
        unknown = await post_form(browser, "/login", {"email": "nobody@example.org", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 400
    assert "Invalid email or password." in wrong.text
    assert "Invalid email or password." in unknown.text
    assert "streamer_session" not in wrong.headers.get("set-cookie", "")


async def test_an_unverified_user_is_asked_to_confirm_first(app: Starlette) -> None:
    email = f"{new_id()[:8]}@example.org"
    await User.create_user(accounts_of(app), email=email, password=PASSWORD, display_name="New")
    async with client(app) as browser:
        response = await post_form(browser, "/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 403
    assert "confirm your email address" in response.text
    assert "/verify/resend" in response.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
async def test_login_refuses_off_site_next(app: Starlette, target: str) -> None:
    user = await member(app)
    async with client(app) as browser:
        response = await post_form(browser, "/login", {"email": user.email, "password": PASSWORD, "next": target})
    assert (response.status_code, response.headers["location"]) == (303, "/")


async def test_login_follows_next_on_this_site(app: Starlette) -> None:
    user = await member(app)
    async with client(app) as browser:
        login_page = await browser.get("/login?next=/account%3Fdone%3Demail")
        assert 'name="next" value="/account?done=email"' in login_page.text
        response = await post_form(
            browser, "/login", {"email": user.email, "password": PASSWORD, "next": "/account?done=email"}
        )
    assert response.headers["location"] == "/account?done=email"

"""Sign in with OpenID Connect against a real provider on loopback (mock-oauth2-server), full code flow."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest_asyncio
from starlette.applications import Starlette

from streamer.accounts.login import check_password
from streamer.accounts.users import User
from streamer.storage.base import Store
from streamer.storage.records import new_id
from tests.oidc_provider import MockProvider, oidc_provider
from tests.web.apps import accounts_of, client, running, site_settings

__all__ = ["oidc_provider"]
PASSWORD = "tangerine lighthouse at dawn"


@pytest_asyncio.fixture
async def app(store: Store, tmp_path: Path, oidc_provider: MockProvider) -> AsyncIterator[Starlette]:
    provider = {
        "name": "mock",
        "label": "Mock ID",
        "discovery_url": oidc_provider.discovery_url,
        "client_id": "streamer-test",
        "client_secret": "not-so-secret",
    }
    settings = site_settings(tmp_path, STREAMER_OIDC_PROVIDERS=json.dumps([provider]))
    async with running(store, settings) as started:
        yield started


async def sign_in(browser: httpx.AsyncClient, subject: str, claims: dict[str, object], nxt: str = "") -> httpx.Response:
    """Start at /auth/oidc/mock/login, 'log in' at the provider as `subject`, come back to the callback."""
    start = await browser.get("/auth/oidc/mock/login" + (f"?next={nxt}" if nxt else ""))
    assert start.status_code == 302, start.text
    async with httpx.AsyncClient() as user_agent:
        answer = await user_agent.post(
            start.headers["location"], data={"username": subject, "claims": json.dumps(claims)}
        )
    assert answer.status_code == 302, answer.text
    callback = answer.headers["location"]
    assert callback.startswith("http://testserver/auth/oidc/mock/callback?")
    return await browser.get(callback)


def an_email() -> str:
    return f"oidc-{new_id()[:8]}@example.org"


async def test_a_new_identity_with_a_verified_email_gets_an_account_and_a_session(
    app: Starlette, oidc_provider: MockProvider
) -> None:
    email = an_email()
    async with client(app) as browser:
        assert "Continue with Mock ID" in (await browser.get("/login")).text
        done = await sign_in(
            browser,
            f"sub-{new_id()}",
            {"email": email, "email_verified": True, "name": "Alice O"},
            "/account%3Fdone%3Demail",
        )
        assert (done.status_code, done.headers["location"]) == (303, "/account?done=email")
        page = await browser.get("/account")
    assert "Alice O" in page.text
    record = await accounts_of(app).store.users.get_by_email(email)
    assert record is not None
    assert (record.email_verified, record.password_hash.startswith("!")) == (True, True)


async def test_an_existing_account_is_linked_by_verified_email_and_the_link_then_decides(app: Starlette) -> None:
    email = an_email()
    user = await User.create_user(accounts_of(app), email=email, password=PASSWORD, display_name="Bob", verified=True)
    subject = f"sub-{new_id()}"
    async with client(app) as browser:
        await sign_in(browser, subject, {"email": email.upper(), "email_verified": True})
        assert "Bob" in (await browser.get("/account")).text
    async with client(app) as browser:
        await sign_in(browser, subject, {"email": an_email(), "email_verified": True})
        assert "Bob" in (await browser.get("/account")).text
    checked = await check_password(accounts_of(app), email, PASSWORD)  # a verified account keeps its password
    assert checked is not None
    assert checked.id == user.id


async def test_an_unverified_email_is_never_linked_or_used(app: Starlette) -> None:
    email = an_email()
    await User.create_user(accounts_of(app), email=email, password=PASSWORD, display_name="Carol", verified=True)
    async with client(app) as browser:
        refused = await sign_in(browser, f"sub-{new_id()}", {"email": email, "email_verified": False})
        assert (refused.status_code, "did not confirm an email address" in refused.text) == (403, True)
        assert (await browser.get("/account")).status_code == 303
        fresh = an_email()
        await sign_in(browser, f"sub-{new_id()}", {"email": fresh})
    assert await accounts_of(app).store.users.get_by_email(fresh) is None


async def test_an_unconfirmed_local_account_is_taken_over_and_its_password_stops_working(app: Starlette) -> None:
    email = an_email()
    squatter = await User.create_user(accounts_of(app), email=email, password=PASSWORD, display_name="Mallory")
    async with client(app) as browser:
        await sign_in(browser, f"sub-{new_id()}", {"email": email, "email_verified": True})
        assert (await browser.get("/account")).status_code == 200
    assert await check_password(accounts_of(app), email, PASSWORD) is None
    record = await accounts_of(app).store.users.get(squatter.id)
    assert record is not None
    assert record.email_verified


async def test_a_forged_callback_is_refused(app: Starlette) -> None:
    async with client(app) as browser:
        await browser.get("/auth/oidc/mock/login")
        forged = await browser.get("/auth/oidc/mock/callback?code=abc&state=not-the-state")
        assert forged.status_code == 400
        assert (await browser.get("/account")).status_code == 303
        assert (await browser.get("/auth/oidc/nope/login")).status_code == 404

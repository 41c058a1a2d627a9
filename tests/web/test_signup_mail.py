"""Sign-up and verification through a REAL SMTP server (aiosmtpd on loopback): the tests follow the mailed links."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from starlette.applications import Starlette

from streamer.storage.base import Store
from streamer.storage.records import new_id
from tests.browser_session import csrf_token, post_form
from tests.smtp import Mailbox, html_of, link_in, smtp, text_of
from tests.web.apps import accounts_of, client, running, site_settings

__all__ = ["smtp"]
PASSWORD = "tangerine lighthouse at dawn"


@pytest_asyncio.fixture
async def app(store: Store, tmp_path: Path, smtp: Mailbox) -> AsyncIterator[Starlette]:
    settings = site_settings(tmp_path, STREAMER_SMTP_URL=smtp.url, STREAMER_MAIL_FROM="Videos <videos@example.org>")
    async with running(store, settings) as started:
        yield started


def address() -> str:
    return f"new.{new_id()[:8]}@example.org"


async def test_sign_up_verify_log_in_with_remember_me_see_the_name_and_log_out(app: Starlette, smtp: Mailbox) -> None:
    email = address()
    async with client(app) as browser:
        signup = await post_form(browser, "/signup", {"email": email, "password": PASSWORD, "display_name": "Ada L"})
        assert (signup.status_code, "Check your inbox" in signup.text) == (200, True)

        mail = smtp.last_to(email)
        assert (mail["Subject"], mail["From"]) == ("Confirm your email address", "Videos <videos@example.org>")
        link = link_in(mail, "/verify/")
        assert link.startswith("http://testserver/verify/")
        assert link in html_of(mail)

        early = await post_form(browser, "/login", {"email": email, "password": PASSWORD})
        assert early.status_code == 403

        verified = await browser.get(link)
        assert (verified.status_code, "is confirmed" in verified.text) == (200, True)
        assert (await browser.get(link)).status_code == 400  # single use

        login = await post_form(browser, "/login", {"email": email, "password": PASSWORD, "remember": "on"})
        assert "Max-Age=2592000" in login.headers["set-cookie"]
        home = await browser.get(login.headers["location"])
        assert "Ada L" in home.text

        await browser.post("/logout", data={"csrf_token": await csrf_token(browser, "/account")})
        assert (await browser.get("/account")).status_code == 303


async def test_signing_up_with_a_taken_address_looks_the_same_and_mails_the_owner(
    app: Starlette, smtp: Mailbox
) -> None:
    email = address()
    async with client(app) as browser:
        first = await post_form(browser, "/signup", {"email": email, "password": PASSWORD, "display_name": "Ada"})
        again = await post_form(
            browser, "/signup", {"email": email.upper(), "password": PASSWORD + "!", "display_name": "Eve"}
        )
    assert (first.status_code, again.status_code) == (200, 200)
    assert without_tokens(again.text).replace(email.upper(), email) == without_tokens(first.text)
    subjects = [mail["Subject"] for mail in smtp.to(email)]
    assert subjects == ["Confirm your email address", "You already have an account"]
    assert "http://testserver/password/forgot" in text_of(smtp.last_to(email))


async def test_sign_up_errors_are_shown_on_the_form(app: Starlette) -> None:
    async with client(app) as browser:
        weak = await post_form(browser, "/signup", {"email": address(), "password": "password1", "display_name": "A"})
        bad = await post_form(browser, "/signup", {"email": "nope", "password": PASSWORD, "display_name": "A"})
    assert (weak.status_code, "leaked passwords" in weak.text) == (400, True)
    assert (bad.status_code, "valid email address" in bad.text, 'value="nope"' in bad.text) == (400, True, True)


async def test_resending_verification_answers_the_same_for_any_address(app: Starlette, smtp: Mailbox) -> None:
    email = address()
    async with client(app) as browser:
        await post_form(browser, "/signup", {"email": email, "password": PASSWORD, "display_name": "Ada"})
        known = await post_form(browser, "/verify/resend", {"email": email})
        unknown = await post_form(browser, "/verify/resend", {"email": "nobody-" + email})
        assert without_tokens(known.text).replace(email, "X") == without_tokens(unknown.text).replace(
            "nobody-" + email, "X"
        )
        assert len(smtp.to(email)) == 2
        first, second = (link_in(mail, "/verify/") for mail in smtp.to(email))
        assert first != second
        assert (await browser.get(second)).status_code == 200


async def test_verification_mail_is_throttled_per_address(app: Starlette, smtp: Mailbox) -> None:
    email = address()
    limit = accounts_of(app).settings.mail_max_per_address
    async with client(app) as browser:
        await post_form(browser, "/signup", {"email": email, "password": PASSWORD, "display_name": "Ada"})
        answers = [await post_form(browser, "/verify/resend", {"email": email}) for _ in range(limit + 2)]
    assert {answer.status_code for answer in answers} == {200}
    assert len(smtp.to(email)) == 1 + limit


async def test_a_verification_link_for_an_old_address_is_void(app: Starlette, smtp: Mailbox) -> None:
    email = address()
    async with client(app) as browser:
        await post_form(browser, "/signup", {"email": email, "password": PASSWORD, "display_name": "Ada"})
        link = link_in(smtp.last_to(email), "/verify/")
        user = await accounts_of(app).store.users.get_by_email(email)
        assert user is not None
        await accounts_of(app).store.users.change_email(user.id, "other-" + email, "other-" + email)
        assert (await browser.get(link)).status_code == 400


def without_tokens(html: str) -> str:
    return re.sub(r'(name="csrf[-_]token" (?:content|value)=)"[^"]*"', r"\1", html)

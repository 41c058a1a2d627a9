"""Failed logins are limited per account and per IP, in the store, so the limits hold across app processes."""

from __future__ import annotations

from pathlib import Path

from streamer.accounts.users import User
from streamer.storage.base import Store
from streamer.storage.records import new_id
from tests.browser_session import post_form
from tests.web.apps import accounts_of, client, running, site_settings

PASSWORD = "tangerine lighthouse at dawn"


async def test_an_account_locks_after_its_failures_in_every_app_process(store: Store, tmp_path: Path) -> None:
    settings = site_settings(tmp_path, STREAMER_LOGIN_MAX_FAILURES_PER_ACCOUNT="3")
    async with running(store, settings) as first, running(store, settings) as second:
        email = f"{new_id()[:8]}@example.org"
        await User.create_user(accounts_of(first), email=email, password=PASSWORD, verified=True)
        async with client(first, ip="10.1.0.1") as attacker:
            for _ in range(3):
                wrong = await post_form(attacker, "/login", {"email": email, "password": "guess"})
                assert wrong.status_code == 400
        async with client(second, ip="10.1.0.2") as owner:
            locked = await post_form(owner, "/login", {"email": email.upper(), "password": PASSWORD})
            assert (locked.status_code, "Too many failed attempts" in locked.text) == (429, True)
            other = await post_form(owner, "/login", {"email": f"x{email}", "password": "guess"})
            assert other.status_code == 400


async def test_unknown_addresses_lock_like_known_ones(store: Store, tmp_path: Path) -> None:
    settings = site_settings(tmp_path, STREAMER_LOGIN_MAX_FAILURES_PER_ACCOUNT="2")
    async with running(store, settings) as app, client(app, ip="10.2.0.1") as attacker:
        email = f"nobody-{new_id()[:8]}@example.org"
        statuses = [
            (await post_form(attacker, "/login", {"email": email, "password": "x"})).status_code for _ in range(3)
        ]
    assert statuses == [400, 400, 429]


async def test_an_ip_locks_after_its_failures_across_accounts(store: Store, tmp_path: Path) -> None:
    settings = site_settings(tmp_path, STREAMER_LOGIN_MAX_FAILURES_PER_IP="4")
    async with running(store, settings) as app:
        email = f"{new_id()[:8]}@example.org"
        await User.create_user(accounts_of(app), email=email, password=PASSWORD, verified=True)
        async with client(app, ip="10.3.0.1") as spray:
            for _ in range(4):
                await post_form(spray, "/login", {"email": f"{new_id()[:8]}@example.org", "password": "123456"})
            refused = await post_form(spray, "/login", {"email": email, "password": PASSWORD})
            assert refused.status_code == 429
        async with client(app, ip="10.3.0.2") as owner:
            assert (await post_form(owner, "/login", {"email": email, "password": PASSWORD})).status_code == 303


async def test_a_successful_login_clears_the_accounts_failures(store: Store, tmp_path: Path) -> None:
    settings = site_settings(tmp_path, STREAMER_LOGIN_MAX_FAILURES_PER_ACCOUNT="3")
    async with running(store, settings) as app, client(app, ip="10.4.0.1") as browser:
        email = f"{new_id()[:8]}@example.org"
        await User.create_user(accounts_of(app), email=email, password=PASSWORD, verified=True)
        for _ in range(2):
            await post_form(browser, "/login", {"email": email, "password": "typo"})
        assert (await post_form(browser, "/login", {"email": email, "password": PASSWORD})).status_code == 303
        for _ in range(2):
            await post_form(browser, "/login", {"email": email, "password": "typo"})
        assert (await post_form(browser, "/login", {"email": email, "password": PASSWORD})).status_code == 303

"""The mails the accounts feature sends: verification, reset, 'you already have an account', address changed."""

from __future__ import annotations

from streamer.accounts import tokens
from streamer.accounts.context import Accounts
from streamer.accounts.mail import compose
from streamer.storage.records import UserRecord


async def send_verification(accounts: Accounts, user: UserRecord) -> None:
    secret = await tokens.issue(accounts, user, tokens.VERIFY, data=user.email_key)
    hours = accounts.settings.verify_token_ttl // 3600
    link = accounts.link(f"/verify/{secret}")
    await _send(accounts, user.email, "verify", user=user, link=link, hours=hours)


async def send_reset(accounts: Accounts, user: UserRecord) -> None:
    secret = await tokens.issue(accounts, user, tokens.RESET)
    minutes = accounts.settings.reset_token_ttl // 60
    link = accounts.link(f"/password/reset/{secret}")
    await _send(accounts, user.email, "reset", user=user, link=link, minutes=minutes)


async def send_account_exists(accounts: Accounts, user: UserRecord) -> None:
    links = {"login": accounts.link("/login"), "forgot": accounts.link("/password/forgot")}
    await _send(accounts, user.email, "account_exists", user=user, **links)


async def send_email_changed(accounts: Accounts, old_address: str, user: UserRecord) -> None:
    await _send(accounts, old_address, "email_changed", user=user, forgot=accounts.link("/password/forgot"))


async def _send(accounts: Accounts, to: str, template: str, **context: object) -> None:
    await accounts.mailer.send(compose(accounts.settings, to, template, **context))

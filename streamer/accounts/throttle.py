"""Throttles kept in the store, so they hold across app processes: failed logins per account and per IP,
and mails (reset, verification) per address."""

from __future__ import annotations

from streamer.accounts.context import Accounts

MAIL_WINDOW = 3600


def account_key(email_key: str) -> str:
    return f"login:account:{email_key}"


def ip_key(ip: str) -> str:
    return f"login:ip:{ip}"


async def login_locked(accounts: Accounts, email_key: str, ip: str) -> bool:
    settings = accounts.settings
    per_account = await accounts.store.throttle.count(account_key(email_key), settings.login_max_failures_per_account)
    if per_account >= settings.login_max_failures_per_account:
        return True
    per_ip = await accounts.store.throttle.count(ip_key(ip), settings.login_max_failures_per_ip)
    return per_ip >= settings.login_max_failures_per_ip


async def login_failed(accounts: Accounts, email_key: str, ip: str) -> None:
    window = accounts.settings.login_throttle_window
    await accounts.store.throttle.hit(account_key(email_key), window)
    await accounts.store.throttle.hit(ip_key(ip), window)


async def login_succeeded(accounts: Accounts, email_key: str) -> None:
    await accounts.store.throttle.clear(account_key(email_key))


async def mail_allowed(accounts: Accounts, purpose: str, email_key: str, ip: str) -> bool:
    """Count one mail request; False when this address or IP had enough mails of `purpose` this hour."""
    limit = accounts.settings.mail_max_per_address
    keys = (f"mail:{purpose}:address:{email_key}", f"mail:{purpose}:ip:{ip}")
    address_count = await accounts.store.throttle.count(keys[0], limit)
    ip_count = await accounts.store.throttle.count(keys[1], limit * 10)
    if address_count >= limit or ip_count >= limit * 10:
        return False
    for key in keys:
        await accounts.store.throttle.hit(key, MAIL_WINDOW)
    return True

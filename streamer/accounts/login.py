"""Checking a password, and logging in with throttling and one generic answer for every wrong guess."""

from __future__ import annotations

from streamer.accounts import throttle
from streamer.accounts.context import Accounts
from streamer.accounts.emails import email_key
from streamer.accounts.errors import EmailNotVerified, InvalidCredentials, TooManyAttempts
from streamer.accounts.users import User


async def check_password(accounts: Accounts, email: str, password: str) -> User | None:
    """The user when `password` is theirs, else None.

    Unknown addresses cost one argon2 verification too, so timing tells nothing. A hash made with older
    parameters is replaced by one with the current parameters (password_changed_at stays as it is).
    """
    record = await accounts.store.users.get_by_email(email_key(email))
    if record is None:
        await accounts.hasher.burn(password)
        return None
    if not await accounts.hasher.verify(record.password_hash, password):
        return None
    if accounts.hasher.needs_rehash(record.password_hash):
        new_hash = await accounts.hasher.hash(password)
        record = await accounts.store.users.update(record.id, {"password_hash": new_hash})
    return User(record)


async def log_in(accounts: Accounts, email: str, password: str, ip: str) -> User:
    """The user, after a successful check. Raises TooManyAttempts, InvalidCredentials or EmailNotVerified.

    Failures count per account (also for addresses nobody has) and per IP within the throttle window; while
    either is over its limit even a right password is refused.
    """
    key = email_key(email)
    if await throttle.login_locked(accounts, key, ip):
        raise TooManyAttempts()
    user = await check_password(accounts, email, password)
    if user is None:
        await throttle.login_failed(accounts, key, ip)
        raise InvalidCredentials()
    await throttle.login_succeeded(accounts, key)
    if not user.email_verified:
        raise EmailNotVerified()
    return user

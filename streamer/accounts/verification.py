"""Confirming an address: the link in the verification mail, and asking for it again."""

from __future__ import annotations

from streamer.accounts import notices, throttle, tokens
from streamer.accounts.context import Accounts
from streamer.accounts.emails import email_key
from streamer.accounts.errors import InvalidToken
from streamer.accounts.users import User


async def verify_email(accounts: Accounts, secret: str) -> User:
    """Mark the address the link was sent to as verified. Raises InvalidToken (also when the address changed)."""
    token, user = await tokens.redeem(accounts, secret, tokens.VERIFY)
    if token.data != user.email_key:
        raise InvalidToken()
    return User(await accounts.store.users.update(user.id, {"email_verified": True}))


async def request_verification(accounts: Accounts, email: str, ip: str) -> None:
    """Send a new link if the address belongs to an unverified user. Says nothing either way (same answer,
    whether the address exists or not); at most `mail_max_per_address` mails an hour."""
    key = email_key(email)
    user = await accounts.store.users.get_by_email(key)
    if await throttle.mail_allowed(accounts, tokens.VERIFY, key, ip) and user and not user.email_verified:
        await notices.send_verification(accounts, user)

"""Forgotten passwords: the reset mail and the reset itself."""

from __future__ import annotations

from streamer.accounts import notices, sessions, throttle, tokens
from streamer.accounts.context import Accounts
from streamer.accounts.emails import email_key
from streamer.accounts.users import User


async def request_reset(accounts: Accounts, email: str, ip: str) -> None:
    """Mail a reset link if the address has an account. Same answer and no error either way."""
    key = email_key(email)
    user = await accounts.store.users.get_by_email(key)
    if await throttle.mail_allowed(accounts, tokens.RESET, key, ip) and user:
        await notices.send_reset(accounts, user)


async def reset_password(accounts: Accounts, secret: str, new_password: str) -> User:
    """Set the password from a reset link; every session of the user ends and older links become void.

    The link proves the mailbox, so the address counts as verified. Raises InvalidToken or WeakPassword
    (a refused password leaves the link usable).
    """
    owner = await tokens.peek(accounts, secret, tokens.RESET)
    accounts.policy.check(new_password, context=[owner.email, owner.display_name])
    _, owner = await tokens.redeem(accounts, secret, tokens.RESET)
    user = await set_password(accounts, owner.id, new_password, verified=True)
    await sessions.end_others(accounts, user.id)
    return user


async def set_password(accounts: Accounts, user_id: str, password: str, *, verified: bool | None = None) -> User:
    """Store a new hash and mark the change (which voids tokens issued before it). No policy check here."""
    changes: dict[str, object] = {
        "password_hash": await accounts.hasher.hash(password),
        "password_changed_at": accounts.clock(),
    }
    if verified is not None:
        changes["email_verified"] = verified
    return User(await accounts.store.users.update(user_id, changes))

"""One-time tokens for verification and reset links: 256 random bits, only their SHA-256 stored, single use,
expiring, and void once the password changed after they were issued."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from streamer.accounts.context import Accounts
from streamer.accounts.errors import InvalidToken
from streamer.storage.accounts import TokenRecord
from streamer.storage.records import UserRecord

VERIFY = "verify"
RESET = "reset"
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def well_formed(secret: str) -> bool:
    return bool(_SHAPE.match(secret))


def ttl_for(accounts: Accounts, purpose: str) -> int:
    return accounts.settings.reset_token_ttl if purpose == RESET else accounts.settings.verify_token_ttl


async def issue(accounts: Accounts, user: UserRecord, purpose: str, data: str = "") -> str:
    """A new token for `user`; returns the secret for the link (only its hash is stored)."""
    secret = new_secret()
    now = accounts.clock()
    await accounts.store.tokens.create(
        TokenRecord(
            token_hash=hash_secret(secret),
            purpose=purpose,
            user_id=user.id,
            data=data,
            created_at=now,
            expires_at=now + timedelta(seconds=ttl_for(accounts, purpose)),
        )
    )
    return secret


async def peek(accounts: Accounts, secret: str, purpose: str) -> UserRecord:
    """The user a still-valid token belongs to, without using it. Raises InvalidToken."""
    token = await accounts.store.tokens.get(hash_secret(secret)) if well_formed(secret) else None
    if token is None or token.used or token.purpose != purpose:
        raise InvalidToken()
    return await _owner(accounts, token)


async def redeem(accounts: Accounts, secret: str, purpose: str) -> tuple[TokenRecord, UserRecord]:
    """Use the token (once); returns it and its user. Raises InvalidToken."""
    token = await accounts.store.tokens.consume(hash_secret(secret), purpose) if well_formed(secret) else None
    if token is None:
        raise InvalidToken()
    return token, await _owner(accounts, token)


async def _owner(accounts: Accounts, token: TokenRecord) -> UserRecord:
    user = await accounts.store.users.get(token.user_id)
    if user is None or token.expires_at <= accounts.clock() or token.created_at < user.password_changed_at:
        raise InvalidToken()
    return user

"""Server-side sessions: a random 256-bit secret in the cookie, only its SHA-256 in the store.

Without remember-me a session ends after `session_idle_timeout` of inactivity, and after
`session_absolute_timeout` regardless; its cookie is a browser-session cookie. With remember-me the cookie carries
Max-Age and the session ends `remember_me_max_age` after login (absolute), however active it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from streamer.accounts.context import Accounts
from streamer.accounts.tokens import hash_secret, new_secret, well_formed
from streamer.settings import Settings
from streamer.storage.accounts import SessionRecord
from streamer.storage.records import UserRecord

COOKIE = "streamer_session"
TOUCH_AFTER = timedelta(seconds=60)  # last_seen is written at most once a minute per session


@dataclass(frozen=True)
class Grant:
    """A started session: the secret goes into the cookie; `max_age` None means a browser-session cookie."""

    secret: str
    record: SessionRecord
    max_age: int | None


def secure_cookies(settings: Settings) -> bool:
    return urlsplit(settings.public_url).scheme == "https"


def cookie_name(settings: Settings, base: str = COOKIE) -> str:
    """`__Host-` prefixed when the site is https (the browser then insists on Secure, Path=/ and no Domain)."""
    return f"__Host-{base}" if secure_cookies(settings) else base


async def start(accounts: Accounts, user_id: str, remember: bool) -> Grant:
    now = accounts.clock()
    settings = accounts.settings
    lifetime = settings.remember_me_max_age if remember else settings.session_absolute_timeout
    absolute = now + timedelta(seconds=lifetime)
    record = SessionRecord(
        token_hash="",
        user_id=user_id,
        created_at=now,
        last_seen_at=now,
        expires_at=_next_expiry(settings, remember, now, absolute),
        absolute_expires_at=absolute,
        remember=remember,
    )
    return await _store(accounts, record)


async def rotate(accounts: Accounts, secret: str | None, user_id: str) -> Grant:
    """A new session id for the same login (same remember flag and absolute expiry); the old one ends."""
    current = await _live(accounts, secret) if secret else None
    if current is None or current.user_id != user_id:
        return await start(accounts, user_id, remember=False)
    await accounts.store.sessions.delete(current.token_hash)
    return await _store(accounts, replace(current, last_seen_at=accounts.clock()))


async def resolve(accounts: Accounts, secret: str) -> tuple[UserRecord, SessionRecord] | None:
    """The user and session behind a cookie value; None when malformed, unknown, ended or expired."""
    session = await _live(accounts, secret)
    user = await accounts.store.users.get(session.user_id) if session else None
    if session is None or user is None:
        return None
    now = accounts.clock()
    if now - session.last_seen_at >= TOUCH_AFTER:
        expiry = _next_expiry(accounts.settings, session.remember, now, session.absolute_expires_at)
        session = replace(session, last_seen_at=now, expires_at=expiry)
        await accounts.store.sessions.touch(session)
    return user, session


async def end(accounts: Accounts, secret: str) -> None:
    if well_formed(secret):
        await accounts.store.sessions.delete(hash_secret(secret))


async def end_others(accounts: Accounts, user_id: str, keep_secret: str | None = None) -> int:
    """End every session of the user but the one holding `keep_secret`; returns how many ended."""
    keep = hash_secret(keep_secret) if keep_secret else None
    return await accounts.store.sessions.delete_for_user(user_id, keep=keep)


def max_age(accounts: Accounts, record: SessionRecord) -> int | None:
    if not record.remember:
        return None
    return max(0, round((record.absolute_expires_at - accounts.clock()).total_seconds()))


async def _store(accounts: Accounts, record: SessionRecord) -> Grant:
    secret = new_secret()
    record = replace(record, token_hash=hash_secret(secret))
    await accounts.store.sessions.create(record)
    return Grant(secret=secret, record=record, max_age=max_age(accounts, record))


async def _live(accounts: Accounts, secret: str | None) -> SessionRecord | None:
    if not secret or not well_formed(secret):
        return None
    session = await accounts.store.sessions.get(hash_secret(secret))
    now = accounts.clock()
    if session is None or now >= session.expires_at or now >= session.absolute_expires_at:
        return None
    return session


def _next_expiry(settings: Settings, remember: bool, now: datetime, absolute: datetime) -> datetime:
    if remember:
        return absolute
    return min(absolute, now + timedelta(seconds=settings.session_idle_timeout))

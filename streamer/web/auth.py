"""The session-cookie authentication backend: `request.user` is the logged-in User or an anonymous user.

A bad, expired or revoked cookie means anonymous, never an error page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from starlette.authentication import AuthCredentials, AuthenticationBackend, BaseUser
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from streamer.accounts import sessions
from streamer.accounts.context import Accounts
from streamer.accounts.users import User
from streamer.settings import Settings
from streamer.storage.accounts import SessionRecord
from streamer.storage.errors import StoreUnavailable

log = logging.getLogger(__name__)
SESSION_SCOPE_KEY = "streamer.session"


class SessionUser(User, BaseUser):
    """The User, as Starlette's BaseUser (is_authenticated, display_name, identity)."""


@dataclass(frozen=True)
class ActiveSession:
    secret: str
    record: SessionRecord


class SessionBackend(AuthenticationBackend):
    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        accounts = accounts_of(conn)
        secret = conn.cookies.get(sessions.cookie_name(accounts.settings))
        if not secret:
            return None
        try:
            found = await sessions.resolve(accounts, secret)
        except StoreUnavailable as error:
            log.warning("session lookup failed, serving %s anonymously: %s", conn.url.path, error)
            return None
        if found is None:
            return None
        record, session = found
        conn.scope[SESSION_SCOPE_KEY] = ActiveSession(secret, session)
        return AuthCredentials(["authenticated", record.role]), SessionUser(record)


def accounts_of(conn: HTTPConnection) -> Accounts:
    accounts: Accounts = conn.app.state.accounts
    return accounts


def active_session(conn: HTTPConnection) -> ActiveSession | None:
    session = conn.scope.get(SESSION_SCOPE_KEY)
    return session if isinstance(session, ActiveSession) else None


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def set_session_cookie(response: Response, settings: Settings, grant: sessions.Grant) -> None:
    """HttpOnly, SameSite=Lax, Path=/; Secure and `__Host-` on https; Max-Age only with remember-me."""
    response.set_cookie(
        sessions.cookie_name(settings),
        grant.secret,
        max_age=grant.max_age,
        path="/",
        secure=sessions.secure_cookies(settings),
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        sessions.cookie_name(settings),
        path="/",
        secure=sessions.secure_cookies(settings),
        httponly=True,
        samesite="lax",
    )

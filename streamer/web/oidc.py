"""Sign in with OpenID Connect, through authlib's Starlette client: any issuer by its discovery URL.

The flow's state and nonce live in a short-lived signed cookie scoped to /auth/oidc (Starlette's
SessionMiddleware, keyed by its own key derived from the one secret); the account side is
streamer.accounts.oidc.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from authlib.integrations.starlette_client import OAuth, OAuthError
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from streamer.accounts.errors import IdentityRefused
from streamer.accounts.oidc import sign_in_with_identity
from streamer.accounts.sessions import secure_cookies
from streamer.settings import OidcProvider, Settings
from streamer.web.accounts import start_session
from streamer.web.auth import accounts_of
from streamer.web.csrf import derive_key
from streamer.web.guards import safe_next
from streamer.web.pages import message

log = logging.getLogger(__name__)
PREFIX = "/auth/oidc"
STATE_COOKIE = "streamer_oidc"
STATE_MAX_AGE = 600


def build_oauth(providers: list[OidcProvider]) -> OAuth:
    """One authlib client per provider; discovery documents are fetched on first use, not here."""
    oauth = OAuth()
    for provider in providers:
        oauth.register(
            name=provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret or None,
            server_metadata_url=provider.discovery_url,
            client_kwargs={"scope": provider.scope, "timeout": 15.0},
        )
    return oauth


async def begin(request: Request) -> Response:
    client = _client(request)
    if client is None:
        return message(request, "Unknown sign-in provider", status=404)
    request.session["next"] = safe_next(request.query_params.get("next"))
    redirect_uri = accounts_of(request).link(f"{PREFIX}/{request.path_params['name']}/callback")
    try:
        response: Response = await client.authorize_redirect(request, redirect_uri)
    except (httpx.HTTPError, OAuthError, ValueError) as error:
        return _failed(request, f"the provider cannot be reached ({error})", 502)
    return response


async def callback(request: Request) -> Response:
    client = _client(request)
    if client is None:
        return message(request, "Unknown sign-in provider", status=404)
    try:
        token = await client.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        user = await sign_in_with_identity(accounts_of(request), str(claims.get("iss", "")), claims)
    except IdentityRefused as error:
        return _failed(request, str(error), 403)
    except (OAuthError, httpx.HTTPError, ValueError) as error:
        log.warning("OpenID Connect sign-in with %s failed: %s", request.path_params["name"], error)
        return _failed(request, "the provider's answer could not be checked; please try again", 400)
    target = safe_next(request.session.pop("next", None))
    return await start_session(request, user.id, remember=False, target=target)


def _client(request: Request) -> Any:
    """authlib's client for the provider named in the path, or None."""
    oauth: OAuth = request.app.state.oauth
    return oauth.create_client(request.path_params["name"])


def _failed(request: Request, reason: str, status: int) -> Response:
    return message(
        request,
        "Sign-in failed",
        f"We could not sign you in: {reason}",
        status,
        link="/login",
        link_label="Back to log in",
    )


class _StateCookie:
    """SessionMiddleware for the OIDC paths only, built on first use from the app's settings."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._wrapped: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._wrapped is None:
            self._wrapped = _session_middleware(self.app, scope["app"].state.settings)
        await self._wrapped(scope, receive, send)


def _session_middleware(app: ASGIApp, settings: Settings) -> ASGIApp:
    return SessionMiddleware(
        app,
        secret_key=derive_key(settings.secret_key, "oidc-state").hex(),
        session_cookie=STATE_COOKIE,
        max_age=STATE_MAX_AGE,
        path=PREFIX,
        same_site="lax",
        https_only=secure_cookies(settings),
    )


routes = [
    Mount(
        PREFIX,
        app=_StateCookie(
            Router(
                routes=[
                    Route("/{name}/login", begin, methods=["GET"]),
                    Route("/{name}/callback", callback, methods=["GET"]),
                ]
            )
        ),
    )
]

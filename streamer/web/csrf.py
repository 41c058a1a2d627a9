"""CSRF protection: a synchronizer token bound to the session on every unsafe request, plus an Origin and
Sec-Fetch-Site check.

The token is an HMAC (with the CSRF key derived from the one secret) of the session's cookie secret, or, before
login, of a random anonymous-binding cookie, so the login and sign-up forms are protected too. Pages get it as
`scope["csrf_token"]` (forms: `{{ csrf_field(request) }}`; fetch(): the `csrf-token` meta tag sent back as
`X-CSRF-Token`). Endpoints authenticated otherwise (beacons, tus uploads, webhooks) opt out with `@csrf_exempt`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from streamer.accounts.sessions import cookie_name, secure_cookies
from streamer.settings import Settings
from streamer.web.auth import active_session
from streamer.web.errors import error_response

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FIELD = "csrf_token"
HEADER = "x-csrf-token"
ANON_COOKIE = "streamer_csrf"
MAX_FORM_BYTES = 2 * 1024 * 1024  # larger bodies must carry the header
REFUSED = "This form has expired or was sent from another site. Go back, reload the page and try again."
T = TypeVar("T")


def csrf_exempt(endpoint: T) -> T:
    """Mark an endpoint (or a mounted ASGI app) as authenticated by other means than the session cookie."""
    endpoint.csrf_exempt = True  # type: ignore[attr-defined]
    return endpoint


def derive_key(secret_key: str, purpose: str) -> bytes:
    return hmac.new(secret_key.encode(), f"streamer/{purpose}".encode(), hashlib.sha256).digest()


def token_for(key: bytes, binding: str) -> str:
    digest = hmac.new(key, binding.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def session_token(settings: Settings, session_secret: str) -> str:
    """The CSRF token of the session whose cookie holds `session_secret` (what its pages carry)."""
    return token_for(derive_key(settings.secret_key, "csrf"), "session:" + session_secret)


class CsrfMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self._key = derive_key(settings.secret_key, "csrf")
        self._anon_cookie = cookie_name(settings, ANON_COOKIE)
        self._secure = secure_cookies(settings)
        parts = urlsplit(settings.public_url)
        self._public_origin = f"{parts.scheme}://{parts.netloc}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        binding, new_anon = self._binding(request)
        expected = token_for(self._key, binding)
        scope["csrf_token"] = expected
        if request.method not in SAFE_METHODS and not _exempt(scope):
            allowed, receive = await self._check(request, receive, expected)
            if not allowed:
                await error_response(request, 403, REFUSED)(scope, receive, send)
                return
        await self.app(scope, receive, self._with_anon_cookie(send, new_anon) if new_anon else send)

    def _binding(self, request: Request) -> tuple[str, str | None]:
        session = active_session(request)
        if session is not None:
            return "session:" + session.secret, None
        anonymous = request.cookies.get(self._anon_cookie, "")
        if len(anonymous) >= 32:
            return "anon:" + anonymous, None
        fresh = secrets.token_urlsafe(32)
        return "anon:" + fresh, fresh

    async def _check(self, request: Request, receive: Receive, expected: str) -> tuple[bool, Receive]:
        if not self._origin_ok(request):
            return False, receive
        supplied = request.headers.get(HEADER)
        if supplied is None:
            supplied, receive = await _form_token(request.scope, receive)
        return hmac.compare_digest(supplied or "", expected), receive

    def _origin_ok(self, request: Request) -> bool:
        fetch_site = request.headers.get("sec-fetch-site")
        if fetch_site is not None and fetch_site not in ("same-origin", "none"):
            return False
        origin = request.headers.get("origin")
        if origin is None:
            return True  # not sent by every client; the token still decides
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        return origin in (self._public_origin, own)

    def _with_anon_cookie(self, send: Send, value: str) -> Send:
        cookie = f"{self._anon_cookie}={value}; HttpOnly; Path=/; SameSite=lax" + ("; Secure" if self._secure else "")

        async def sender(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.append("set-cookie", cookie)
            await send(message)

        return sender


async def _form_token(scope: Scope, receive: Receive) -> tuple[str, Receive]:
    """The `csrf_token` field of a form body, and a receive that hands the body on unchanged."""
    content_type = Request(scope).headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return "", receive
    body, complete = await _read_body(receive)
    replay = _replay(body, receive)
    if not complete:
        return "", replay
    async with Request(scope, _replay(body, receive)).form() as form:
        value = form.get(FIELD)
    return (value if isinstance(value, str) else ""), replay


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if not message.get("more_body", False):
            return b"".join(chunks), True
        if size > MAX_FORM_BYTES:
            return b"".join(chunks), False


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _exempt(scope: Scope) -> bool:
    app = scope.get("app")
    router = getattr(app, "router", None)
    return _routes_exempt(getattr(router, "routes", []), scope)


def _routes_exempt(routes: Sequence[BaseRoute], scope: Scope) -> bool:
    for route in routes:
        match, child = route.matches(scope)
        if match == Match.NONE:
            continue
        target: Any = getattr(route, "endpoint", None) or getattr(route, "app", None)
        if getattr(target, "csrf_exempt", False):
            return True
        if isinstance(route, Mount):
            return _routes_exempt(route.routes, {**scope, **child})
        return False
    return False

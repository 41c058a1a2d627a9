"""Route guards. Pages redirect anonymous visitors to the login page; /api answers 401. A logged-in user
without the role gets 403."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from streamer.accounts.roles import Role, at_least

Endpoint = Callable[[Request], Awaitable[Response]]
DEFAULT_NEXT = "/"  # the home page: continue watching, courses, search


def safe_next(target: str | None, default: str = DEFAULT_NEXT) -> str:
    """`target` when it is a path on this site, else `default`: refuses `//host`, `/\\host`, schemes and hosts."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ord(char) < 0x20 or char == "\\" for char in target):
        return default
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else default


def _login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def role_required(role: Role = Role.MEMBER) -> Callable[[Endpoint], Endpoint]:
    def decorate(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def guarded(request: Request) -> Response:
            user = request.user
            if not user.is_authenticated:
                if request.url.path.startswith("/api/"):
                    raise HTTPException(401, "Log in to continue.")
                return _login_redirect(request)
            if not at_least(getattr(user, "role", ""), role):
                raise HTTPException(403, "You do not have permission to do that.")
            return await endpoint(request)

        return guarded

    return decorate


login_required = role_required(Role.MEMBER)

"""Logging test clients in for real.

In-process httpx clients: `log_in` GETs the form and POSTs it with its CSRF token, keeping the cookie.
Clients of a real server (a browser, a tus client, ffmpeg): `server_session` starts a server-side session for a
user directly and gives the cookie and the CSRF header to send.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from streamer.accounts import sessions
from streamer.accounts.context import Accounts
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.web.csrf import session_token

_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')
_FIELD = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]*)">')


def csrf_token_in(html: str) -> str:
    """The CSRF token a page carries (its meta tag, else its first form field)."""
    found = _META.search(html) or _FIELD.search(html)
    assert found, "the page carries no CSRF token"
    assert found.group(1), "the page's CSRF token is empty"
    return found.group(1)


async def csrf_token(client: httpx.AsyncClient, path: str = "/login") -> str:
    return csrf_token_in((await client.get(path)).text)


async def post_form(client: httpx.AsyncClient, path: str, data: dict[str, str], page: str = "") -> httpx.Response:
    """POST a form the way a browser does: with the token from the page that shows it."""
    token = await csrf_token(client, page or path)
    return await client.post(path, data={**data, "csrf_token": token})


async def log_in(client: httpx.AsyncClient, email: str, password: str, *, remember: bool = False) -> httpx.Response:
    """Log in through /login; afterwards the client sends the session's CSRF token as X-CSRF-Token, like fetch()."""
    client.headers.pop("X-CSRF-Token", None)
    data = {"email": email, "password": password} | ({"remember": "on"} if remember else {})
    response = await post_form(client, "/login", data)
    assert response.status_code == 303, response.text
    client.headers["X-CSRF-Token"] = await csrf_token(client, "/account")
    return response


@dataclass(frozen=True)
class ServerSession:
    cookie_name: str
    secret: str
    csrf_token: str

    @property
    def headers(self) -> dict[str, str]:
        """Cookie and CSRF header, for clients that send raw headers (tus clients, ffmpeg -headers, httpx)."""
        return {"Cookie": f"{self.cookie_name}={self.secret}", "X-CSRF-Token": self.csrf_token}

    def playwright_cookie(self, site: str) -> dict[str, object]:
        """For `browser_context.add_cookies([...])`."""
        return {"name": self.cookie_name, "value": self.secret, "url": site, "httpOnly": True, "sameSite": "Lax"}


async def server_session(store: Store, settings: Settings, user_id: str, *, remember: bool = False) -> ServerSession:
    """A logged-in session for `user_id`, valid for any app on this store with the same secret key."""
    grant = await sessions.start(Accounts.build(store, settings), user_id, remember)
    return ServerSession(sessions.cookie_name(settings), grant.secret, session_token(settings, grant.secret))

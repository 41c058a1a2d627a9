"""Logging an in-process test client in for real: GET the form, POST it with its CSRF token, keep the cookie."""

from __future__ import annotations

import re

import httpx

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

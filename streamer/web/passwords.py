"""Forgotten passwords: ask for a reset link, then choose a new password with it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from streamer.accounts import tokens
from streamer.accounts.errors import InvalidToken, WeakPassword
from streamer.accounts.recovery import request_reset, reset_password
from streamer.web.auth import accounts_of, client_ip
from streamer.web.pages import form_fields, message, page

SENT = "If {email} has an account, we have sent it a link to choose a new password. It works for {minutes} minutes."


async def forgot_form(request: Request) -> Response:
    return page(
        request,
        "email_form",
        heading="Forgot your password?",
        text="Enter your address and we send you a link to choose a new password.",
        action="/password/forgot",
        button="Send the link",
    )


async def forgot(request: Request) -> Response:
    """The same answer, and no error, whether or not the address has an account."""
    accounts = accounts_of(request)
    fields = await form_fields(request, "email")
    await request_reset(accounts, fields["email"], client_ip(request))
    minutes = accounts.settings.reset_token_ttl // 60
    return message(request, "Check your inbox", SENT.format(email=fields["email"].strip(), minutes=minutes))


async def reset_form(request: Request) -> Response:
    token = request.path_params["token"]
    try:
        await tokens.peek(accounts_of(request), token, tokens.RESET)
    except InvalidToken as error:
        return _invalid(request, error)
    return page(request, "reset", token=token)


async def reset(request: Request) -> Response:
    token = request.path_params["token"]
    fields = await form_fields(request, "password")
    try:
        await reset_password(accounts_of(request), token, fields["password"])
    except InvalidToken as error:
        return _invalid(request, error)
    except WeakPassword as error:
        return page(request, "reset", 400, token=token, error=str(error))
    return RedirectResponse("/login?reset=1", status_code=303)


def _invalid(request: Request, error: InvalidToken) -> Response:
    return message(request, "Link not valid", str(error), 400, link="/password/forgot", link_label="Get a new link")


routes = [
    Route("/password/forgot", forgot_form, methods=["GET"]),
    Route("/password/forgot", forgot, methods=["POST"]),
    Route("/password/reset/{token}", reset_form, methods=["GET"]),
    Route("/password/reset/{token}", reset, methods=["POST"]),
]

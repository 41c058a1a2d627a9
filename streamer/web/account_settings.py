"""/account: who you are, change password, change email (re-verified), log out other sessions."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from streamer.accounts import sessions
from streamer.accounts.changes import change_email, change_password
from streamer.accounts.errors import EmailTaken, InvalidCredentials, InvalidEmail, WeakPassword
from streamer.accounts.users import User
from streamer.web.auth import accounts_of, active_session, set_session_cookie
from streamer.web.guards import login_required
from streamer.web.pages import form_fields, page

DONE = {
    "password": "Your password was changed. Every other session has been logged out.",
    "email": "Your address was changed. Follow the link we sent to it to confirm it.",
    "sessions": "Every other session has been logged out.",
    "reset": "Your password was changed.",
}


@login_required
async def account(request: Request) -> Response:
    return await _account_page(request, notice=DONE.get(request.query_params.get("done", ""), ""))


async def _account_page(request: Request, status: int = 200, **context: object) -> Response:
    user: User = request.user
    live = await accounts_of(request).store.sessions.list_for_user(user.id)
    return page(request, "account", status, session_count=len(live), **context)


@login_required
async def password(request: Request) -> Response:
    fields = await form_fields(request, "current_password", "new_password")
    try:
        _, grant = await change_password(
            accounts_of(request), request.user, fields["current_password"], fields["new_password"], _secret(request)
        )
    except (InvalidCredentials, WeakPassword) as error:
        message = "Your current password is not right." if isinstance(error, InvalidCredentials) else str(error)
        return await _account_page(request, 400, error=message)
    return _done(request, "password", grant)


@login_required
async def email(request: Request) -> Response:
    fields = await form_fields(request, "email", "password")
    try:
        _, grant = await change_email(
            accounts_of(request), request.user, fields["email"], fields["password"], _secret(request)
        )
    except InvalidCredentials:
        return await _account_page(request, 400, error="Your password is not right.")
    except InvalidEmail as error:
        return await _account_page(request, 400, error=str(error))
    except EmailTaken:
        return await _account_page(request, 400, error="That address is already used by another account.")
    return _done(request, "email", grant)


@login_required
async def end_other_sessions(request: Request) -> Response:
    await sessions.end_others(accounts_of(request), request.user.id, keep_secret=_secret(request))
    return RedirectResponse("/account?done=sessions", status_code=303)


def _secret(request: Request) -> str | None:
    active = active_session(request)
    return active.secret if active else None


def _done(request: Request, what: str, grant: sessions.Grant) -> Response:
    response = RedirectResponse(f"/account?done={what}", status_code=303)
    set_session_cookie(response, accounts_of(request).settings, grant)
    return response


routes = [
    Route("/account", account, methods=["GET"]),
    Route("/account/password", password, methods=["POST"]),
    Route("/account/email", email, methods=["POST"]),
    Route("/account/sessions/end-others", end_other_sessions, methods=["POST"]),
]

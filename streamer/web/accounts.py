"""Sign-up, login with remember-me, logout, email verification."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from streamer.accounts import notices, sessions, throttle
from streamer.accounts.emails import email_key
from streamer.accounts.errors import (
    EmailNotVerified,
    EmailTaken,
    InvalidCredentials,
    InvalidDisplayName,
    InvalidEmail,
    InvalidToken,
    MailNotSent,
    TooManyAttempts,
    WeakPassword,
)
from streamer.accounts.login import log_in
from streamer.accounts.users import User
from streamer.accounts.verification import request_verification, verify_email
from streamer.web.auth import accounts_of, clear_session_cookie, client_ip, set_session_cookie
from streamer.web.errors import register
from streamer.web.guards import safe_next
from streamer.web.pages import form_fields, message, page

register(MailNotSent, 503, "We could not send the mail just now. Please try again in a few minutes.")

CHECK_INBOX = "We sent a confirmation link to {email}. Follow it to finish signing up, then log in."
RESENT = "If {email} belongs to an account that still needs confirming, we have sent a new link."


async def signup_form(request: Request) -> Response:
    return page(request, "signup")


async def signup(request: Request) -> Response:
    """Same answer whether the address is new or taken; a taken address gets a mail saying so."""
    accounts = accounts_of(request)
    fields = await form_fields(request, "email", "password", "display_name")
    try:
        await User.create_user(
            accounts, email=fields["email"], password=fields["password"], display_name=fields["display_name"]
        )
    except (InvalidEmail, WeakPassword, InvalidDisplayName) as error:
        shown = {"email": fields["email"], "display_name": fields["display_name"]}
        return page(request, "signup", 400, error=str(error), **shown)
    except EmailTaken:
        await _tell_existing_user(request, fields["email"])
    return message(request, "Check your inbox", CHECK_INBOX.format(email=fields["email"].strip()))


async def _tell_existing_user(request: Request, email: str) -> None:
    accounts = accounts_of(request)
    existing = await accounts.store.users.get_by_email(email_key(email))
    if existing and await throttle.mail_allowed(accounts, "signup", existing.email_key, client_ip(request)):
        await notices.send_account_exists(accounts, existing)


async def login_form(request: Request) -> Response:
    notice = "Your password was changed. Log in with the new one." if request.query_params.get("reset") else ""
    return _login_page(request, next=request.query_params.get("next", ""), notice=notice)


async def login(request: Request) -> Response:
    accounts = accounts_of(request)
    fields = await form_fields(request, "email", "password", "remember", "next")
    shown = {"email": fields["email"], "next": fields["next"]}
    try:
        user = await log_in(accounts, fields["email"], fields["password"], client_ip(request))
    except TooManyAttempts as error:
        return _login_page(request, 429, error=str(error), **shown)
    except InvalidCredentials as error:
        return _login_page(request, 400, error=str(error), **shown)
    except EmailNotVerified as error:
        return _login_page(request, 403, error=str(error), unverified=True, **shown)
    return await start_session(request, user.id, fields["remember"] == "on", safe_next(fields["next"]))


async def start_session(request: Request, user_id: str, remember: bool, target: str) -> Response:
    """A fresh session id for this login (any session the browser had ends) and a redirect to `target`."""
    accounts = accounts_of(request)
    old = request.cookies.get(sessions.cookie_name(accounts.settings))
    if old:
        await sessions.end(accounts, old)
    grant = await sessions.start(accounts, user_id, remember)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, accounts.settings, grant)
    return response


def _login_page(request: Request, status: int = 200, **context: object) -> Response:
    days = accounts_of(request).settings.remember_me_max_age // 86400
    return page(request, "login", status, remember_days=days, **context)


async def logout(request: Request) -> Response:
    """Ends the server-side session, so the cookie is worthless even if replayed."""
    accounts = accounts_of(request)
    secret = request.cookies.get(sessions.cookie_name(accounts.settings))
    if secret:
        await sessions.end(accounts, secret)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, accounts.settings)
    return response


async def verify(request: Request) -> Response:
    try:
        user = await verify_email(accounts_of(request), request.path_params["token"])
    except InvalidToken as error:
        return message(request, "Link not valid", str(error), 400, link="/verify/resend", link_label="Get a new link")
    text = f"Thank you, {user.display_name}: {user.email} is confirmed."
    link = "/account" if request.user.is_authenticated else "/login"
    return message(request, "Address confirmed", text, link=link, link_label="Continue")


async def resend_form(request: Request) -> Response:
    return page(
        request,
        "email_form",
        heading="Confirm your address",
        text="Enter your address and we send the confirmation link again.",
        action="/verify/resend",
        button="Send the link",
    )


async def resend(request: Request) -> Response:
    fields = await form_fields(request, "email")
    await request_verification(accounts_of(request), fields["email"], client_ip(request))
    return message(request, "Check your inbox", RESENT.format(email=fields["email"].strip()))


routes = [
    Route("/signup", signup_form, methods=["GET"]),
    Route("/signup", signup, methods=["POST"]),
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/verify/resend", resend_form, methods=["GET"]),
    Route("/verify/resend", resend, methods=["POST"]),
    Route("/verify/{token}", verify, methods=["GET"]),
]

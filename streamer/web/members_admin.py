"""/admin/members: grants, revocations, invite codes and plans, for admins; works without Stripe."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from streamer.accounts.roles import Role
from streamer.memberships.access import grace_period, is_active
from streamer.memberships.errors import InvalidGrant, MembershipError
from streamer.memberships.grants import grant, member_by_email, revoke
from streamer.memberships.invites import create_invite
from streamer.memberships.plans import create_plan, parse_price
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.records import utcnow
from streamer.web.guards import role_required
from streamer.web.templating import templates

PAGE = "/admin/members"
Action = Callable[[Request, FormData], Awaitable[str]]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _admin(request: Request) -> str:
    return str(getattr(request.user, "display_name", "") or request.user.identity)


@role_required(Role.ADMIN)
async def page(request: Request) -> Response:
    store, now = _store(request), utcnow()
    grace = grace_period(_settings(request))
    rows = []
    for membership in await store.memberships.list_all(limit=500):
        user = await store.users.get(membership.user_id) if membership.user_id else None
        email = user.email if user else membership.user_id or "(not yet known)"
        rows.append({"membership": membership, "email": email, "active": is_active(membership, now, grace)})
    context: dict[str, Any] = {
        "memberships": rows,
        "plans": await store.plans.list_all(),
        "invites": await store.invites.list_all(),
        "payments_enabled": bool(_settings(request).stripe_secret_key),
        "currency": _settings(request).membership_currency,
        "error": request.query_params.get("error", ""),
        "done": request.query_params.get("done", ""),
    }
    return templates.TemplateResponse(request, "memberships/admin.html", context)


def _action(action: Action) -> Callable[[Request], Awaitable[Response]]:
    """Run a form action and come back to the page with what happened (post/redirect/get)."""

    @role_required(Role.ADMIN)
    async def run(request: Request) -> Response:
        try:
            result = {"done": await action(request, await request.form())}
        except MembershipError as error:
            result = {"error": str(error)}
        return RedirectResponse(f"{PAGE}?{urlencode(result)}", status_code=303)

    return run


def _int(form: FormData, name: str, label: str) -> int:
    try:
        return int(str(form.get(name, "")).strip())
    except ValueError:
        raise InvalidGrant(f"{label} must be a whole number.") from None


async def _grant(request: Request, form: FormData) -> str:
    user = await member_by_email(_store(request), str(form.get("email", "")))
    days = _int(form, "days", "Days")
    membership = await grant(_store(request), user.id, days, by=_admin(request), plan_id=str(form.get("plan_id", "")))
    assert membership.expires_at is not None
    return f"{user.email} has access until {membership.expires_at:%Y-%m-%d %H:%M} UTC."


async def _revoke(request: Request, form: FormData) -> str:
    user = await member_by_email(_store(request), str(form.get("email", "")))
    ended = await revoke(_store(request), user.id)
    return f"Ended {len(ended)} membership(s) of {user.email}."


async def _invite(request: Request, form: FormData) -> str:
    invite = await create_invite(
        _store(request),
        by=_admin(request),
        uses=_int(form, "uses", "Uses"),
        days=_int(form, "days", "Membership days"),
        valid_days=_int(form, "valid_days", "Valid days"),
        plan_id=str(form.get("plan_id", "")),
    )
    return f"Invite code {invite.code} created: {request.base_url}invite/{invite.code}"


async def _plan(request: Request, form: FormData) -> str:
    settings = _settings(request)
    plan = await create_plan(
        _store(request),
        name=str(form.get("name", "")),
        amount=parse_price(str(form.get("price", ""))),
        currency=settings.membership_currency,
        interval=str(form.get("interval", "month")),
        video_ids=str(form.get("video_ids", "")).replace(",", " ").split(),
    )
    return f"Plan {plan.name} created."


routes: list[BaseRoute] = [
    Route(PAGE, page, methods=["GET"]),
    Route(f"{PAGE}/grant", _action(_grant), methods=["POST"]),
    Route(f"{PAGE}/revoke", _action(_revoke), methods=["POST"]),
    Route("/admin/invites", _action(_invite), methods=["POST"]),
    Route("/admin/plans", _action(_plan), methods=["POST"]),
]

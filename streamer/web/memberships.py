"""Pricing, Stripe Checkout and portal, the Stripe webhook, invite redemption and the membership status.

`POST /api/stripe/webhook` is authenticated by its `Stripe-Signature`, not by a session: it is exempt from CSRF.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from streamer.memberships import errors
from streamer.memberships.access import active_memberships, grace_period
from streamer.memberships.invites import find_invite, redeem, unusable_reason
from streamer.memberships.plans import offered_plan, offered_plans, price_label
from streamer.memberships.status import membership_view
from streamer.memberships.stripe_api import CheckoutRequest, StripeBilling, billing_from
from streamer.memberships.subscriptions import customer_for, process_event
from streamer.memberships.webhooks import verify
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.memberships import MembershipSource
from streamer.storage.records import utcnow
from streamer.web import members_admin
from streamer.web.csrf import csrf_exempt
from streamer.web.errors import register
from streamer.web.guards import login_required
from streamer.web.templating import templates

WEBHOOK_PATH = "/api/stripe/webhook"
MAX_WEBHOOK_BYTES = 1024 * 1024

for _error, _status in [
    (errors.InvalidPlan, 400),
    (errors.InvalidGrant, 400),
    (errors.InvalidWebhook, 400),
    (errors.PlanNotFound, 404),
    (errors.UnknownMember, 404),
    (errors.InviteNotFound, 404),
    (errors.NoBillingAccount, 404),
    (errors.InviteUnusable, 409),
    (errors.PaymentProviderError, 502),
    (errors.PaymentsNotConfigured, 503),
    (errors.MembershipBusy, 503),
]:
    register(_error, _status)

templates.env.globals["price_label"] = price_label


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def user_id(request: Request) -> str:
    return str(getattr(request.user, "id", "") or request.user.identity)


def _billing(request: Request) -> StripeBilling:
    """One Stripe client per app. Raises PaymentsNotConfigured."""
    billing: StripeBilling | None = getattr(request.app.state, "stripe_billing", None)
    if billing is None:
        billing = request.app.state.stripe_billing = billing_from(_settings(request))
    return billing


def _url(request: Request, path: str) -> str:
    return _settings(request).public_url.rstrip("/") + path


async def status_context(request: Request) -> dict[str, Any]:
    """`{"membership": MembershipView}` for templates that include memberships/status.html."""
    view = await membership_view(_store(request), user_id(request), grace_period(_settings(request)))
    return {"membership": view}


async def pricing(request: Request) -> Response:
    context = {
        "plans": await offered_plans(_store(request)),
        "payments_enabled": bool(_settings(request).stripe_secret_key),
    }
    return templates.TemplateResponse(request, "memberships/pricing.html", context)


@login_required
async def checkout(request: Request) -> Response:
    """303 to Stripe Checkout for the plan in the form; to /membership when already subscribed."""
    store, member = _store(request), user_id(request)
    plan = await offered_plan(store, str((await request.form()).get("plan_id", "")))
    current = await active_memberships(store, member, grace=grace_period(_settings(request)))
    if any(m.source is MembershipSource.STRIPE for m in current):
        return RedirectResponse("/membership", status_code=303)
    user = await store.users.get(member)
    if user is None:
        raise HTTPException(403, "Log in again to continue.")
    order = CheckoutRequest(
        plan=plan,
        user_id=member,
        email=user.email,
        customer_id=await customer_for(store, member),
        success_url=_url(request, "/billing/success?session_id={CHECKOUT_SESSION_ID}"),
        cancel_url=_url(request, "/billing/cancel"),
    )
    return RedirectResponse(await _billing(request).checkout_url(order), status_code=303)


@login_required
async def success(request: Request) -> Response:
    """Says thank you; never grants anything (only the webhook does)."""
    message = "Thank you! Your membership starts as soon as Stripe confirms the payment, usually within seconds."
    return await _membership_page(request, "Payment received", message)


async def cancelled(request: Request) -> Response:
    if not request.user.is_authenticated:
        return RedirectResponse("/pricing", status_code=303)
    return await _membership_page(request, "Checkout cancelled", "Nothing was charged.")


@login_required
async def membership(request: Request) -> Response:
    return await _membership_page(request, "Your membership", "")


async def _membership_page(request: Request, heading: str, message: str) -> Response:
    context = {"heading": heading, "message": message, **await status_context(request)}
    return templates.TemplateResponse(request, "memberships/membership.html", context)


@login_required
async def portal(request: Request) -> Response:
    """303 to the Stripe customer portal, where the member updates payment details or cancels."""
    customer = await customer_for(_store(request), user_id(request))
    if not customer:
        raise errors.NoBillingAccount("You have no subscription to manage.")
    return RedirectResponse(await _billing(request).portal_url(customer, _url(request, "/membership")), status_code=303)


@csrf_exempt
async def webhook(request: Request) -> Response:
    """Stripe's deliveries: 200 once verified and applied (or already applied), 400 for a bad signature,
    stale timestamp or malformed body (nothing changes), 5xx when the store failed (Stripe retries)."""
    payload = await _body(request, MAX_WEBHOOK_BYTES)
    event = verify(payload, request.headers.get("stripe-signature"), _settings(request).stripe_webhook_secret)
    outcome = await process_event(_store(request), event, utcnow())
    return JSONResponse({"received": True, "outcome": outcome.value})


async def _body(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, "Request body too large.")
        chunks.append(chunk)
    return b"".join(chunks)


@login_required
async def invite_page(request: Request) -> Response:
    return await _invite_page(request, request.path_params["code"])


async def _invite_page(request: Request, code: str, error: str = "", status: int = 200) -> Response:
    """The code's terms and a Redeem button, or why it cannot be redeemed. Raises InviteNotFound."""
    store = _store(request)
    invite = await find_invite(store, code)
    context = {
        "invite": invite,
        "plan": await store.plans.get(invite.plan_id) if invite.plan_id else None,
        "error": error or unusable_reason(invite, utcnow()),
    }
    return templates.TemplateResponse(request, "memberships/invite.html", context, status_code=status)


@login_required
async def redeem_invite(request: Request) -> Response:
    code = request.path_params["code"]
    try:
        await redeem(_store(request), code, user_id(request))
    except errors.InviteUnusable as error:
        return await _invite_page(request, code, str(error), status=409)
    return await _membership_page(request, "Welcome", "Your invite code was accepted.")


routes: list[BaseRoute] = [
    Route("/pricing", pricing, methods=["GET"]),
    Route("/membership", membership, methods=["GET"]),
    Route("/billing/checkout", checkout, methods=["POST"]),
    Route("/billing/success", success, methods=["GET"]),
    Route("/billing/cancel", cancelled, methods=["GET"]),
    Route("/billing/portal", portal, methods=["POST"]),
    Route(WEBHOOK_PATH, webhook, methods=["POST"]),
    Route("/invite/{code}", invite_page, methods=["GET"]),
    Route("/invite/{code}", redeem_invite, methods=["POST"]),
    *members_admin.routes,
]

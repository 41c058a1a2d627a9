"""`streamer members`, `streamer invites`, `streamer plans`: memberships from the command line, no Stripe needed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from streamer.memberships.access import grace_period, is_active
from streamer.memberships.errors import MembershipError
from streamer.memberships.grants import grant, member_by_email, revoke
from streamer.memberships.invites import create_invite
from streamer.memberships.plans import create_plan, parse_price, price_label
from streamer.storage.base import Store
from streamer.storage.memberships import InviteRecord, MembershipRecord, PlanRecord
from streamer.storage.records import utcnow

T = TypeVar("T")
CLI_ADMIN = "the command line"


def _run(action: Callable[[Store], Awaitable[T]]) -> T:
    """Run `action` on the configured store; a membership error becomes one line and exit status 1."""
    from streamer.cli import with_store  # streamer.cli registers these commands at its end

    try:
        return with_store(action)
    except MembershipError as error:
        raise click.ClickException(str(error)) from None


def _when(moment: object) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"


@click.group()
def members() -> None:
    """Grant, revoke and list memberships."""


@members.command(name="grant")
@click.argument("email")
@click.option("--days", type=int, required=True, help="Length of the membership from now.")
@click.option("--plan", "plan_id", default="", help="Plan id to limit it to (default: every video).")
def grant_command(email: str, days: int, plan_id: str) -> None:
    """Give EMAIL access for --days days."""

    async def action(store: Store) -> MembershipRecord:
        user = await member_by_email(store, email)
        return await grant(store, user.id, days, by=CLI_ADMIN, plan_id=plan_id)

    membership = _run(action)
    click.echo(f"{email} has access until {_when(membership.expires_at)} UTC")


@members.command(name="revoke")
@click.argument("email")
def revoke_command(email: str) -> None:
    """End EMAIL's grants and invite memberships now (Stripe subscriptions end in Stripe)."""

    async def action(store: Store) -> list[MembershipRecord]:
        return await revoke(store, (await member_by_email(store, email)).id)

    click.echo(f"ended {len(_run(action))} membership(s) of {email}")


@members.command(name="list")
def list_command() -> None:
    """Every membership: member, source, status, end, access now."""
    from streamer.cli import settings

    grace = grace_period(settings())

    async def action(store: Store) -> list[tuple[str, MembershipRecord]]:
        rows = []
        for membership in await store.memberships.list_all():
            user = await store.users.get(membership.user_id) if membership.user_id else None
            rows.append((user.email if user else membership.user_id or "(unknown)", membership))
        return rows

    now = utcnow()
    for email, membership in _run(action):
        access = "access" if is_active(membership, now, grace) else "no-access"
        fields = (email, membership.source.value, membership.status.value, _when(membership.expires_at), access)
        click.echo("  ".join(fields))


@click.group()
def invites() -> None:
    """Invite codes that give a membership."""


@invites.command(name="create")
@click.option("--uses", type=int, default=1, show_default=True, help="How many people can redeem it.")
@click.option("--days", type=int, default=30, show_default=True, help="Length of the membership it gives.")
@click.option("--valid-days", type=int, default=30, show_default=True, help="Days the code can be redeemed.")
@click.option("--plan", "plan_id", default="", help="Plan id to limit it to (default: every video).")
def create_invite_command(uses: int, days: int, valid_days: int, plan_id: str) -> None:
    """Make an invite code and print its link."""
    from streamer.cli import settings

    public_url = settings().public_url.rstrip("/")

    async def action(store: Store) -> InviteRecord:
        return await create_invite(store, by=CLI_ADMIN, uses=uses, days=days, valid_days=valid_days, plan_id=plan_id)

    invite = _run(action)
    click.echo(
        f"{invite.code}  {public_url}/invite/{invite.code}  uses {invite.max_uses}, {invite.days} days, "
        f"redeem before {_when(invite.expires_at)} UTC"
    )


@invites.command(name="list")
def list_invites_command() -> None:
    """Every invite code with its uses."""
    for invite in _run(lambda store: store.invites.list_all()):
        click.echo(
            f"{invite.code}  {invite.uses}/{invite.max_uses} used  {invite.days} days  until {_when(invite.expires_at)}"
        )


@click.group()
def plans() -> None:
    """Plans members can buy."""


@plans.command(name="create")
@click.argument("name")
@click.option("--price", required=True, help="Price per interval, e.g. 9.00.")
@click.option("--interval", type=click.Choice(["month", "year"]), default="month", show_default=True)
@click.option("--currency", default=None, help="ISO code (default: STREAMER_MEMBERSHIP_CURRENCY).")
@click.option("--video", "video_ids", multiple=True, help="A video the plan opens (repeat); none: every video.")
@click.option("--stripe-price", default="", help="Use this Stripe Price id instead of inline price data.")
def create_plan_command(
    name: str, price: str, interval: str, currency: str | None, video_ids: tuple[str, ...], stripe_price: str
) -> None:
    """Offer a new plan."""
    from streamer.cli import settings

    chosen = currency or settings().membership_currency

    async def action(store: Store) -> PlanRecord:
        return await create_plan(store, name, parse_price(price), chosen, interval, video_ids, stripe_price)

    plan = _run(action)
    click.echo(f"{plan.id}  {plan.name}  {price_label(plan)}")


@plans.command(name="list")
def list_plans_command() -> None:
    """Every plan, offered or withdrawn."""
    for plan in _run(lambda store: store.plans.list_all()):
        videos = f"{len(plan.video_ids)} video(s)" if plan.video_ids else "every video"
        state = "offered" if plan.active else "withdrawn"
        click.echo(f"{plan.id}  {plan.name}  {price_label(plan)}  {videos}  {state}")


@plans.command(name="withdraw")
@click.argument("plan_id")
def withdraw_plan_command(plan_id: str) -> None:
    """Stop offering a plan (existing members keep it)."""
    plan = _run(lambda store: store.plans.set_active(plan_id, False))
    click.echo(f"{plan.name} is no longer offered")


commands = [members, invites, plans]

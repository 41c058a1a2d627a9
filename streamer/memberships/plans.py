"""Plans: what a membership costs and which videos it opens."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from streamer.memberships.errors import InvalidPlan, PlanNotFound
from streamer.storage.base import Store
from streamer.storage.memberships import PlanRecord
from streamer.storage.records import new_id, utcnow

INTERVALS = ("month", "year")
MAX_AMOUNT = 99_999_999  # Stripe's limit for a price's unit amount


async def create_plan(
    store: Store,
    name: str,
    amount: int,
    currency: str,
    interval: str = "month",
    video_ids: Iterable[str] = (),
    stripe_price_id: str = "",
) -> PlanRecord:
    """Store a new, offered plan. Raises InvalidPlan."""
    plan = PlanRecord(
        id=new_id(),
        name=name.strip(),
        amount=amount,
        currency=currency.strip().lower(),
        interval=interval,
        video_ids=tuple(dict.fromkeys(video.strip() for video in video_ids if video.strip())),
        active=True,
        created_at=utcnow(),
        stripe_price_id=stripe_price_id.strip(),
    )
    _check(plan)
    await store.plans.create(plan)
    return plan


def _check(plan: PlanRecord) -> None:
    if not plan.name or len(plan.name) > 80:
        raise InvalidPlan("A plan needs a name of at most 80 characters.")
    if not 0 <= plan.amount <= MAX_AMOUNT:
        raise InvalidPlan(f"A plan's price is from 0 to {MAX_AMOUNT} in the currency's smallest unit.")
    if len(plan.currency) != 3 or not plan.currency.isalpha():
        raise InvalidPlan(f"{plan.currency!r} is not a three-letter currency code.")
    if plan.interval not in INTERVALS:
        raise InvalidPlan(f"A plan renews every {' or '.join(INTERVALS)}, not {plan.interval!r}.")


async def offered_plan(store: Store, plan_id: str) -> PlanRecord:
    """The plan with this id if it is on offer. Raises PlanNotFound."""
    plan = await store.plans.get(plan_id)
    if plan is None or not plan.active:
        raise PlanNotFound("There is no such plan.")
    return plan


async def offered_plans(store: Store) -> list[PlanRecord]:
    return [plan for plan in await store.plans.list_all() if plan.active]


def covers(plan: PlanRecord | None, video_id: str) -> bool:
    """A plan without a video list (or no plan at all) opens every video."""
    return plan is None or not plan.video_ids or video_id in plan.video_ids


def price_label(plan: PlanRecord) -> str:
    """`9.00 USD / month`."""
    return f"{plan.amount / 100:.2f} {plan.currency.upper()} / {plan.interval}"


def one_interval_later(moment: datetime, interval: str) -> datetime:
    """`moment` plus one billing interval the way Stripe counts it: Jan 31 + 1 month is the end of February."""
    months = 12 if interval == "year" else 1
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def parse_price(text: str) -> int:
    """`9`, `9.5` or `9.00` → 900, in the currency's smallest unit. Raises InvalidPlan."""
    try:
        amount = Decimal(text.strip()) * 100
    except InvalidOperation:
        raise InvalidPlan(f"{text!r} is not a price.") from None
    if not amount.is_finite() or amount != amount.to_integral_value() or amount < 0:
        raise InvalidPlan(f"{text!r} is not a price.")
    return int(amount)

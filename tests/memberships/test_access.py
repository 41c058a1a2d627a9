"""Who may watch: the pure rules, then grants and invite codes on a real store."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from streamer.memberships.access import RENEWAL_LEEWAY, active_membership, exempt, has_access, is_active
from streamer.memberships.errors import InvalidGrant, InvalidPlan, InviteNotFound, InviteUnusable, PlanNotFound
from streamer.memberships.grants import grant, revoke
from streamer.memberships.invites import create_invite, redeem
from streamer.memberships.plans import covers, create_plan, one_interval_later, price_label
from streamer.settings import load_settings
from streamer.storage.base import Store
from streamer.storage.memberships import MembershipRecord, MembershipSource, MembershipStatus
from streamer.storage.records import new_id, utcnow

SETTINGS = load_settings({})
T0 = datetime(2026, 1, 31, 12, tzinfo=UTC)
GRACE = timedelta(days=3)


@dataclass(frozen=True)
class Video:
    id: str
    owner_id: str


def membership(source: MembershipSource, status: MembershipStatus, **changes: object) -> MembershipRecord:
    record = MembershipRecord(new_id(), "u", source, "", status, T0, T0, 0)
    return replace(record, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("role", "user_id", "exempted"),
    [("member", "owner", True), ("member", "other", False), ("instructor", "other", True), ("admin", None, True)],
)
def test_owners_instructors_and_admins_are_exempt(role: str, user_id: str | None, exempted: bool) -> None:
    assert exempt(role, user_id, "owner") is exempted


def test_anonymous_visitors_are_never_owners() -> None:
    assert not exempt("", None, "")
    assert not exempt("", "", "")


def test_a_grant_is_active_until_it_expires() -> None:
    granted = membership(MembershipSource.GRANT, MembershipStatus.ACTIVE, expires_at=T0)
    assert is_active(granted, T0 - timedelta(seconds=1), GRACE)
    assert not is_active(granted, T0, GRACE)
    assert not is_active(replace(granted, status=MembershipStatus.REVOKED), T0 - timedelta(days=1), GRACE)
    assert is_active(replace(granted, expires_at=None), T0 + timedelta(days=9999), GRACE)


def test_an_active_subscription_lasts_to_its_period_end_plus_the_renewal_leeway() -> None:
    paid = membership(MembershipSource.STRIPE, MembershipStatus.ACTIVE, expires_at=T0)
    assert is_active(paid, T0 + RENEWAL_LEEWAY - timedelta(seconds=1), GRACE)
    assert not is_active(paid, T0 + RENEWAL_LEEWAY, GRACE)
    assert not is_active(replace(paid, expires_at=None), T0, GRACE)


def test_a_past_due_subscription_lasts_for_the_grace_period_from_the_first_failure() -> None:
    failing = membership(
        MembershipSource.STRIPE, MembershipStatus.PAST_DUE, expires_at=T0 + timedelta(days=30), past_due_since=T0
    )
    assert is_active(failing, T0 + GRACE - timedelta(seconds=1), GRACE)
    assert not is_active(failing, T0 + GRACE, GRACE)
    assert not is_active(failing, T0, timedelta(0))


@pytest.mark.parametrize("status", [MembershipStatus.CANCELED, MembershipStatus.UNPAID, MembershipStatus.PENDING])
def test_ended_unpaid_or_pending_subscriptions_give_no_access(status: MembershipStatus) -> None:
    ended = membership(MembershipSource.STRIPE, status, expires_at=T0 + timedelta(days=30), status_at=T0)
    assert not is_active(ended, T0, GRACE)


def test_billing_intervals_count_like_stripe() -> None:
    assert one_interval_later(T0, "month") == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert one_interval_later(datetime(2028, 2, 29, tzinfo=UTC), "year") == datetime(2029, 2, 28, tzinfo=UTC)
    assert one_interval_later(datetime(2026, 12, 5, tzinfo=UTC), "month") == datetime(2027, 1, 5, tzinfo=UTC)


async def test_plans_cover_their_videos_or_all_of_them(store: Store) -> None:
    every = await create_plan(store, "All", 900, "USD")
    some = await create_plan(store, "Course", 4900, "eur", "year", ["v1", "v2", "v1"])
    assert (covers(every, "v9"), covers(some, "v1"), covers(some, "v9"), covers(None, "v9")) == (
        True,
        True,
        False,
        True,
    )
    assert some.video_ids == ("v1", "v2")
    assert price_label(some) == "49.00 EUR / year"
    assert every.currency == "usd"


@pytest.mark.parametrize(
    ("name", "amount", "currency", "interval"),
    [("", 900, "usd", "month"), ("x", -1, "usd", "month"), ("x", 1, "dollars", "month"), ("x", 1, "usd", "week")],
)
async def test_impossible_plans_are_refused(store: Store, name: str, amount: int, currency: str, interval: str) -> None:
    with pytest.raises(InvalidPlan):
        await create_plan(store, name, amount, currency, interval)


async def test_a_granted_member_watches_until_the_grant_expires(store: Store) -> None:
    user_id, video = new_id(), Video(new_id(), new_id())
    await grant(store, user_id, 30, by="admin@example.org", now=utcnow() - timedelta(days=29))
    assert await has_access(store, SETTINGS, user_id, "member", video)
    await grant(store, user_id, 1, by="admin@example.org", now=utcnow() - timedelta(days=2))
    assert not await has_access(store, SETTINGS, user_id, "member", video)
    assert await has_access(store, SETTINGS, user_id, "instructor", video)
    assert await has_access(store, SETTINGS, video.owner_id, "member", video)
    assert not await has_access(store, SETTINGS, None, "", video)


async def test_a_grant_for_a_plan_opens_only_that_plans_videos(store: Store) -> None:
    plan = await create_plan(store, "One course", 100, "usd", video_ids=["inside"])
    user_id = new_id()
    await grant(store, user_id, 10, by="admin", plan_id=plan.id)
    assert await has_access(store, SETTINGS, user_id, "member", Video("inside", "o"))
    assert not await has_access(store, SETTINGS, user_id, "member", Video("outside", "o"))


async def test_revoking_ends_grants_and_invites_now(store: Store) -> None:
    user_id = new_id()
    await grant(store, user_id, 30, by="admin")
    invite = await create_invite(store, by="admin")
    await redeem(store, invite.code, user_id)
    assert len(await revoke(store, user_id)) == 2
    assert await active_membership(store, user_id) is None
    assert await revoke(store, user_id) == []


@pytest.mark.parametrize("days", [0, -1, 4000])
async def test_grants_need_a_sensible_length(store: Store, days: int) -> None:
    with pytest.raises(InvalidGrant):
        await grant(store, new_id(), days, by="admin")


async def test_a_grant_for_an_unknown_plan_is_refused(store: Store) -> None:
    with pytest.raises(PlanNotFound):
        await grant(store, new_id(), 3, by="admin", plan_id="nope")


async def test_an_invite_gives_a_membership_of_its_length(store: Store) -> None:
    invite = await create_invite(store, by="admin", days=7)
    user_id = new_id()
    joined = await redeem(store, invite.code, user_id)
    assert (joined.source, joined.status, joined.note) == (
        MembershipSource.INVITE,
        MembershipStatus.ACTIVE,
        f"invite {invite.code}",
    )
    assert joined.expires_at is not None
    assert timedelta(days=6, hours=23) < joined.expires_at - utcnow() <= timedelta(days=7)
    assert await active_membership(store, user_id) == joined


async def test_a_single_use_invite_works_once(store: Store) -> None:
    invite = await create_invite(store, by="admin")
    await redeem(store, invite.code, new_id())
    with pytest.raises(InviteUnusable, match="used up"):
        await redeem(store, invite.code, new_id())


async def test_a_user_cannot_redeem_one_code_twice(store: Store) -> None:
    invite, user_id = await create_invite(store, by="admin", uses=5), new_id()
    await redeem(store, invite.code, user_id)
    with pytest.raises(InviteUnusable, match="already redeemed"):
        await redeem(store, invite.code, user_id)
    stored = await store.invites.get(invite.code)
    assert stored is not None
    assert stored.uses == 1


async def test_an_expired_invite_cannot_be_redeemed(store: Store) -> None:
    invite = await create_invite(store, by="admin", valid_days=1, now=utcnow() - timedelta(days=2))
    with pytest.raises(InviteUnusable, match="expired"):
        await redeem(store, invite.code, new_id())


async def test_unknown_codes_are_not_found(store: Store) -> None:
    with pytest.raises(InviteNotFound):
        await redeem(store, "no-such-code", new_id())
    with pytest.raises(InviteNotFound):
        await redeem(store, "  ", new_id())


async def test_a_multi_use_code_redeemed_at_once_by_many_is_used_exactly_its_uses(store: Store) -> None:
    invite = await create_invite(store, by="admin", uses=3)
    users = [new_id() for _ in range(8)]
    results = await asyncio.gather(*(redeem(store, invite.code, user) for user in users), return_exceptions=True)
    winners = [user for user, result in zip(users, results, strict=True) if isinstance(result, MembershipRecord)]
    assert len(winners) == 3
    assert all(isinstance(result, InviteUnusable) for result in results if not isinstance(result, MembershipRecord))
    stored = await store.invites.get(invite.code)
    assert stored is not None
    assert stored.uses == 3
    for user in users:
        assert (await active_membership(store, user) is not None) is (user in winners)

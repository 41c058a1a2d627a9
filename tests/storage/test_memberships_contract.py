"""The plans and memberships contract, run against every backend."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from streamer.storage.base import Store
from streamer.storage.errors import NotFound
from streamer.storage.memberships import MembershipRecord, MembershipSource, MembershipStatus, PlanRecord
from streamer.storage.records import new_id, utcnow


def a_plan(**changes: object) -> PlanRecord:
    plan = PlanRecord(
        id=new_id(),
        name="Monthly",
        amount=900,
        currency="usd",
        interval="month",
        video_ids=(),
        active=True,
        created_at=utcnow(),
    )
    return replace(plan, **changes)  # type: ignore[arg-type]


def a_membership(user_id: str = "", **changes: object) -> MembershipRecord:
    now = utcnow()
    membership = MembershipRecord(
        id=new_id(),
        user_id=user_id or new_id(),
        source=MembershipSource.GRANT,
        plan_id="",
        status=MembershipStatus.ACTIVE,
        created_at=now,
        updated_at=now,
        version=0,
        expires_at=now + timedelta(days=30),
    )
    return replace(membership, **changes)  # type: ignore[arg-type]


async def test_a_plan_is_stored_with_its_videos(store: Store) -> None:
    plan = a_plan(video_ids=("v1", "v2"), stripe_price_id="price_123")
    await store.plans.create(plan)
    assert await store.plans.get(plan.id) == plan
    assert plan in await store.plans.list_all()


async def test_a_plan_with_no_videos_reads_back_as_an_empty_tuple(store: Store) -> None:
    plan = a_plan()
    await store.plans.create(plan)
    assert (await store.plans.get(plan.id)) == plan


async def test_plans_can_be_withdrawn_and_unknown_ones_are_not_found(store: Store) -> None:
    plan = a_plan()
    await store.plans.create(plan)
    assert (await store.plans.set_active(plan.id, False)).active is False
    assert await store.plans.get(new_id()) is None
    with pytest.raises(NotFound):
        await store.plans.set_active(new_id(), True)


async def test_a_membership_is_found_by_id_and_by_user(store: Store) -> None:
    membership = a_membership(note="granted by admin")
    assert await store.memberships.create(membership) is True
    assert await store.memberships.get(membership.id) == membership
    assert await store.memberships.for_user(membership.user_id) == [membership]
    assert membership in await store.memberships.list_all()


async def test_a_second_membership_with_the_same_id_is_refused(store: Store) -> None:
    membership = a_membership()
    assert await store.memberships.create(membership)
    assert await store.memberships.create(replace(membership, note="other")) is False
    assert await store.memberships.get(membership.id) == membership


async def test_swap_writes_only_from_the_current_version(store: Store) -> None:
    membership = a_membership(source=MembershipSource.STRIPE, stripe_customer_id="cus_1")
    await store.memberships.create(membership)
    changed = await store.memberships.swap(membership, replace(membership, status=MembershipStatus.CANCELED))
    assert changed is not None
    assert changed.version == 1
    assert await store.memberships.swap(membership, replace(membership, note="stale")) is None
    assert await store.memberships.get(membership.id) == changed


async def test_of_ten_concurrent_swaps_from_one_version_exactly_one_wins(store: Store) -> None:
    membership = a_membership()
    await store.memberships.create(membership)
    results = await asyncio.gather(
        *(store.memberships.swap(membership, replace(membership, note=str(n))) for n in range(10))
    )
    assert len([result for result in results if result is not None]) == 1


async def test_a_membership_without_a_user_is_found_once_the_user_is_attached(store: Store) -> None:
    orphan = a_membership(user_id="", source=MembershipSource.STRIPE)
    orphan = replace(orphan, user_id="")
    await store.memberships.create(orphan)
    user_id = new_id()
    attached = await store.memberships.swap(orphan, replace(orphan, user_id=user_id))
    assert await store.memberships.for_user(user_id) == [attached]


async def test_a_user_sees_only_their_own_memberships(store: Store) -> None:
    user_id = new_id()
    first, second = a_membership(user_id), a_membership(user_id, source=MembershipSource.INVITE)
    for membership in (first, second, a_membership()):
        await store.memberships.create(membership)
    found = await store.memberships.for_user(user_id)
    assert sorted(found, key=lambda m: m.id) == sorted([first, second], key=lambda m: m.id)
    assert await store.memberships.for_user(new_id()) == []


async def test_moving_a_membership_to_another_user_takes_it_from_the_first(store: Store) -> None:
    membership = a_membership()
    await store.memberships.create(membership)
    moved = await store.memberships.swap(membership, replace(membership, user_id="someone-else"))
    assert moved is not None
    assert await store.memberships.for_user(membership.user_id) == []

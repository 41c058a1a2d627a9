"""The users contract, run against every backend."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from streamer.storage.base import Store
from streamer.storage.errors import EmailTaken, NotFound
from streamer.storage.records import UserRecord, new_id, utcnow


def a_user(email: str = "", **changes: object) -> UserRecord:
    email = email or f"{new_id()[:8]}@Example.org"
    now = utcnow()
    user = UserRecord(
        id=new_id(),
        email=email,
        email_key=email.lower(),
        password_hash="hash",
        display_name="Ada",
        role="member",
        email_verified=False,
        created_at=now,
        password_changed_at=now,
    )
    return replace(user, **changes)  # type: ignore[arg-type]


async def test_a_created_user_is_found_by_id_and_by_email(store: Store) -> None:
    user = a_user()
    await store.users.create(user)
    assert await store.users.get(user.id) == user
    assert await store.users.get_by_email(user.email_key) == user


async def test_unknown_users_are_none(store: Store) -> None:
    assert await store.users.get(new_id()) is None
    assert await store.users.get_by_email("nobody@example.org") is None


async def test_a_second_user_with_the_same_email_key_is_refused(store: Store) -> None:
    first = a_user()
    await store.users.create(first)
    with pytest.raises(EmailTaken):
        await store.users.create(a_user(first.email.upper(), email_key=first.email_key))
    assert await store.users.get_by_email(first.email_key) == first


async def test_of_twenty_concurrent_sign_ups_with_one_email_exactly_one_wins(store: Store) -> None:
    email = f"race-{new_id()[:8]}@example.org"
    results = await asyncio.gather(*(store.users.create(a_user(email)) for _ in range(20)), return_exceptions=True)
    winners = [result for result in results if result is None]
    losers = [result for result in results if isinstance(result, EmailTaken)]
    assert (len(winners), len(losers)) == (1, 19)
    assert await store.users.get_by_email(email) is not None


async def test_update_changes_only_the_named_fields(store: Store) -> None:
    user = a_user()
    await store.users.create(user)
    updated = await store.users.update(user.id, {"display_name": "Grace", "role": "admin", "email_verified": True})
    assert (updated.display_name, updated.role, updated.email_verified) == ("Grace", "admin", True)
    assert (updated.email, updated.password_hash) == (user.email, user.password_hash)
    assert await store.users.get(user.id) == updated


async def test_update_refuses_fields_that_are_not_updatable(store: Store) -> None:
    user = a_user()
    await store.users.create(user)
    with pytest.raises(ValueError, match="email_key"):
        await store.users.update(user.id, {"email_key": "x@example.org"})


async def test_update_of_an_unknown_user_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        await store.users.update(new_id(), {"display_name": "x"})


async def test_changing_email_frees_the_old_address_and_unverifies(store: Store) -> None:
    user = a_user(email_verified=True)
    await store.users.create(user)
    new_email = f"new-{new_id()[:8]}@example.org"
    moved = await store.users.change_email(user.id, new_email, new_email)
    assert (moved.email, moved.email_verified) == (new_email, False)
    assert await store.users.get_by_email(user.email_key) is None
    assert (await store.users.get_by_email(new_email)) == moved
    await store.users.create(a_user(user.email))


async def test_changing_to_a_taken_email_is_refused_and_keeps_the_old_one(store: Store) -> None:
    first, second = a_user(), a_user()
    await store.users.create(first)
    await store.users.create(second)
    with pytest.raises(EmailTaken):
        await store.users.change_email(second.id, first.email, first.email_key)
    assert await store.users.get_by_email(second.email_key) == second


async def test_list_all_contains_created_users(store: Store) -> None:
    user = a_user()
    await store.users.create(user)
    assert user.id in {listed.id for listed in await store.users.list_all()}


async def test_many_users_are_found_at_once_in_the_order_asked(store: Store) -> None:
    users = [a_user(display_name=f"User {n}") for n in range(230)]  # past one Cassandra statement's ids
    for user in users:
        await store.users.create(user)
    wanted = [users[5].id, new_id(), *(user.id for user in reversed(users)), users[5].id]
    found = await store.users.get_many(wanted)
    assert [user.id for user in found] == [users[5].id, *(user.id for user in reversed(users)), users[5].id]
    assert found[1] == users[-1]
    assert await store.users.get_many([]) == []

"""Session lifetimes, rotation and revocation, on every backend (time moved with the accounts clock)."""

from __future__ import annotations

from datetime import timedelta

from streamer.accounts import sessions
from streamer.accounts.context import Accounts
from streamer.accounts.tokens import hash_secret
from streamer.accounts.users import User
from streamer.storage.records import new_id, utcnow


async def a_user(accounts: Accounts) -> User:
    return await User.create_user(
        accounts, email=f"{new_id()[:8]}@example.org", password="tangerine lighthouse", verified=True
    )


def travel(accounts: Accounts, seconds: float) -> None:
    moment = utcnow() + timedelta(seconds=seconds)
    accounts.clock = lambda: moment


async def test_the_cookie_secret_is_256_bits_and_only_its_hash_is_stored(accounts: Accounts) -> None:
    user = await a_user(accounts)
    grant = await sessions.start(accounts, user.id, remember=False)
    assert len(grant.secret) == 43  # 32 bytes, base64url
    assert await accounts.store.sessions.get(grant.secret) is None
    assert await accounts.store.sessions.get(hash_secret(grant.secret)) == grant.record
    found = await sessions.resolve(accounts, grant.secret)
    assert found is not None
    assert found[0] == user.record


async def test_a_session_without_remember_me_ends_after_the_idle_timeout(accounts: Accounts) -> None:
    grant = await sessions.start(accounts, (await a_user(accounts)).id, remember=False)
    assert grant.max_age is None
    idle = accounts.settings.session_idle_timeout
    travel(accounts, idle - 120)
    assert await sessions.resolve(accounts, grant.secret) is not None  # activity moves the idle deadline
    travel(accounts, 2 * idle - 240)
    assert await sessions.resolve(accounts, grant.secret) is not None
    travel(accounts, 3 * idle)
    assert await sessions.resolve(accounts, grant.secret) is None


async def test_a_session_without_remember_me_ends_at_its_absolute_timeout_however_active(
    accounts: Accounts,
) -> None:
    grant = await sessions.start(accounts, (await a_user(accounts)).id, remember=False)
    absolute = accounts.settings.session_absolute_timeout
    step = accounts.settings.session_idle_timeout - 60
    for moment in range(step, absolute - 60, step):
        travel(accounts, moment)
        assert await sessions.resolve(accounts, grant.secret) is not None
    travel(accounts, absolute + 1)
    assert await sessions.resolve(accounts, grant.secret) is None


async def test_a_remember_me_session_lasts_its_max_age_and_not_longer(accounts: Accounts) -> None:
    grant = await sessions.start(accounts, (await a_user(accounts)).id, remember=True)
    max_age = accounts.settings.remember_me_max_age
    assert grant.max_age is not None
    assert max_age - 2 <= grant.max_age <= max_age
    travel(accounts, max_age - 60)  # far beyond the idle timeout
    assert await sessions.resolve(accounts, grant.secret) is not None
    travel(accounts, max_age + 1)
    assert await sessions.resolve(accounts, grant.secret) is None


async def test_rotation_gives_a_new_id_and_ends_the_old_one(accounts: Accounts) -> None:
    user = await a_user(accounts)
    first = await sessions.start(accounts, user.id, remember=True)
    second = await sessions.rotate(accounts, first.secret, user.id)
    assert second.secret != first.secret
    assert (second.record.remember, second.record.absolute_expires_at) == (True, first.record.absolute_expires_at)
    assert await sessions.resolve(accounts, first.secret) is None
    assert await sessions.resolve(accounts, second.secret) is not None


async def test_ending_sessions(accounts: Accounts) -> None:
    user = await a_user(accounts)
    grants = [await sessions.start(accounts, user.id, remember=False) for _ in range(3)]
    await sessions.end(accounts, grants[0].secret)
    assert await sessions.resolve(accounts, grants[0].secret) is None
    assert await sessions.end_others(accounts, user.id, keep_secret=grants[2].secret) == 1
    assert [await sessions.resolve(accounts, g.secret) is not None for g in grants] == [False, False, True]


async def test_garbage_cookie_values_are_no_session(accounts: Accounts) -> None:
    for value in ["", "x", "a" * 500, "../../etc/passwd", "é" * 43, new_id() + new_id()]:
        assert await sessions.resolve(accounts, value) is None

"""User.create_user and check_password, on every backend."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import replace

import pytest

from streamer.accounts.context import Accounts
from streamer.accounts.errors import EmailTaken, InvalidDisplayName, InvalidEmail, InvalidRole, WeakPassword
from streamer.accounts.login import check_password
from streamer.accounts.passwords import Hasher
from streamer.accounts.users import User
from streamer.storage.records import new_id
from tests.accounts.conftest import mails_in

PASSWORD = "tangerine lighthouse at dawn"


def unique(domain: str = "Example.ORG") -> str:
    return f"  Ada.{new_id()[:8]}@{domain} "


async def test_create_user_normalises_the_address_and_stores_an_unverified_member(accounts: Accounts) -> None:
    raw = unique()
    user = await User.create_user(accounts, email=raw, password=PASSWORD, display_name="  Ada   Lovelace ")
    local = raw.strip().split("@")[0]
    assert (user.email, user.record.email_key) == (f"{local}@example.org", f"{local.lower()}@example.org")
    assert (user.display_name, user.role, user.email_verified) == ("Ada Lovelace", "member", False)
    assert user.record.password_hash.startswith("$argon2id$")
    assert await accounts.store.users.get_by_email(user.record.email_key) == user.record


async def test_create_user_mails_the_verification_link_unless_verified(accounts: Accounts) -> None:
    user = await User.create_user(accounts, email=unique(), password=PASSWORD, display_name="Ada")
    mails = mails_in(accounts)
    assert len(mails) == 1
    assert f"To: {user.email}" in mails[0]
    assert "http://testserver/verify/" in mails[0]
    await User.create_user(accounts, email=unique(), password=PASSWORD, display_name="Op", verified=True)
    assert len(mails_in(accounts)) == 1


async def test_the_display_name_defaults_to_the_local_part(accounts: Accounts) -> None:
    user = await User.create_user(accounts, email=unique(), password=PASSWORD, role="instructor", verified=True)
    assert (user.display_name, user.role) == (user.email.split("@")[0], "instructor")


async def test_a_second_account_with_the_address_in_other_case_is_a_domain_error(accounts: Accounts) -> None:
    first = await User.create_user(accounts, email=unique(), password=PASSWORD, verified=True)
    with pytest.raises(EmailTaken):
        await User.create_user(accounts, email=first.email.upper(), password=PASSWORD, verified=True)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"email": "not-an-address"}, InvalidEmail),
        ({"password": "short"}, WeakPassword),
        ({"password": "password123"}, WeakPassword),
        ({"display_name": "x" * 81}, InvalidDisplayName),
        ({"role": "owner"}, InvalidRole),
    ],
)
async def test_create_user_validates_everything_before_storing(
    accounts: Accounts, changes: dict[str, str], error: type[Exception]
) -> None:
    fields = {"email": unique(), "password": PASSWORD, "display_name": "Ada", "role": "member"} | changes
    with pytest.raises(error):
        await User.create_user(accounts, **fields)  # type: ignore[arg-type]
    assert await accounts.store.users.get_by_email(fields["email"].strip().lower()) is None


async def test_of_twenty_concurrent_sign_ups_with_one_address_one_wins(accounts: Accounts) -> None:
    email = unique()
    attempts = (User.create_user(accounts, email=email, password=PASSWORD, verified=True) for _ in range(20))
    results = await asyncio.gather(*attempts, return_exceptions=True)
    assert len([r for r in results if isinstance(r, User)]) == 1
    assert len([r for r in results if isinstance(r, EmailTaken)]) == 19


async def test_check_password_knows_the_right_password_only(accounts: Accounts) -> None:
    user = await User.create_user(accounts, email=unique(), password=PASSWORD, verified=True)
    assert (await check_password(accounts, user.email.upper(), PASSWORD)) == user
    assert await check_password(accounts, user.email, PASSWORD + " ") is None
    assert await check_password(accounts, "nobody@example.org", PASSWORD) is None
    assert await check_password(accounts, "not an address", PASSWORD) is None


async def test_check_password_rehashes_when_the_parameters_change(accounts: Accounts) -> None:
    user = await User.create_user(accounts, email=unique(), password=PASSWORD, verified=True)
    stronger = replace(accounts, hasher=Hasher(memory_kib=19456, time_cost=3, parallelism=1))
    checked = await check_password(stronger, user.email, PASSWORD)
    assert checked is not None
    assert checked.record.password_hash != user.record.password_hash
    assert "t=3" in checked.record.password_hash
    assert checked.record.password_changed_at == user.record.password_changed_at
    assert await check_password(accounts, user.email, PASSWORD) is not None


async def test_unknown_users_take_as_long_as_known_ones(accounts: Accounts) -> None:
    user = await User.create_user(accounts, email=unique(), password=PASSWORD, verified=True)

    async def timed(email: str) -> float:
        start = time.perf_counter()
        await check_password(accounts, email, "wrong guess of a password")
        return time.perf_counter() - start

    await timed("warm-up@example.org")
    known, unknown = [], []
    for _ in range(12):
        known.append(await timed(user.email))
        unknown.append(await timed(f"{new_id()}@example.org"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.7 < ratio < 1.4, (statistics.median(known), statistics.median(unknown))

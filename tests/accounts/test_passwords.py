from __future__ import annotations

import pytest
from argon2 import extract_parameters

from streamer.accounts.errors import WeakPassword
from streamer.accounts.passwords import BREACHED, Hasher, PasswordPolicy

POLICY = PasswordPolicy(min_length=8)
OWASP = Hasher(memory_kib=19456, time_cost=2, parallelism=1)


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",  # no composition rules: lowercase words are fine
        "tangerine-lighthouse-42",
        "Zü9 çå漢字 ok",  # any Unicode
        "x7Lq!m2Pz" * 14,  # 126 characters
    ],
)
def test_long_or_unusual_passwords_without_composition_rules_are_accepted(password: str) -> None:
    POLICY.check(password)


def test_the_minimum_length_is_a_setting() -> None:
    with pytest.raises(WeakPassword, match="at least 8 characters"):
        POLICY.check("q7#kZ1!")
    with pytest.raises(WeakPassword, match="at least 12 characters"):
        PasswordPolicy(min_length=12).check("tangerine-7")


@pytest.mark.parametrize("password", ["password1", "iloveyou2", "Baseball1", "qwertyuiop", "sunshine"])
def test_breached_passwords_are_refused(password: str) -> None:
    assert password.lower() in BREACHED
    with pytest.raises(WeakPassword, match="leaked passwords"):
        POLICY.check(password)


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "abcdefgh1234", "P@ssw0rd!", "123456789012"])
def test_easily_guessed_passwords_are_refused(password: str) -> None:
    with pytest.raises(WeakPassword):
        POLICY.check(password)


def test_the_users_own_name_does_not_make_a_password() -> None:
    POLICY.check("lovelace1815")
    with pytest.raises(WeakPassword):
        POLICY.check("lovelace1815", context=["Ada Lovelace", "lovelace1815@example.org"])


def test_the_breached_list_is_the_shipped_one_not_a_hand_typed_list() -> None:
    assert len(BREACHED) >= 30_000


async def test_hashes_are_argon2id_with_at_least_owasp_parameters() -> None:
    stored = await OWASP.hash("correct horse battery staple")
    parameters = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (19456, 2, 1)


async def test_long_passwords_are_never_truncated() -> None:
    password = "tangerine lighthouse " * 10  # 210 characters
    stored = await OWASP.hash(password)
    assert await OWASP.verify(stored, password)
    assert not await OWASP.verify(stored, password[:-1])
    assert not await OWASP.verify(stored, password[:128])
    assert not await OWASP.verify(stored, password + "x")


async def test_unicode_is_normalised_before_hashing() -> None:
    stored = await OWASP.hash("café au lait tonight")  # precomposed é
    assert await OWASP.verify(stored, "cafe\u0301 au lait tonight")  # e + combining accent


async def test_a_hash_with_other_parameters_needs_a_rehash() -> None:
    stronger = Hasher(memory_kib=19456, time_cost=3, parallelism=1)
    stored = await OWASP.hash("correct horse battery staple")
    assert not OWASP.needs_rehash(stored)
    assert stronger.needs_rehash(stored)
    assert await stronger.verify(stored, "correct horse battery staple")


async def test_an_unusable_hash_matches_nothing() -> None:
    assert not await OWASP.verify("!no-password", "")
    assert not await OWASP.verify("!no-password", "!no-password")

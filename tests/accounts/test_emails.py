from __future__ import annotations

import pytest

from streamer.accounts.emails import email_key, normalise_email
from streamer.accounts.errors import InvalidEmail


@pytest.mark.parametrize(
    ("raw", "stored", "key"),
    [
        ("  Ada.Lovelace@Example.ORG ", "Ada.Lovelace@example.org", "ada.lovelace@example.org"),
        ("grace@EXAMPLE.org", "grace@example.org", "grace@example.org"),
        ("Ünï@Exämple.org", "Ünï@exämple.org", "ünï@exämple.org"),
    ],
)
def test_addresses_are_trimmed_and_their_domain_lowercased(raw: str, stored: str, key: str) -> None:
    assert normalise_email(raw) == (stored, key)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "ada",
        "ada@",
        "@example.org",
        "ada@localhost",
        "a b@example.org",
        "ada@example..org",
        "x" * 250 + "@example.org",
    ],
)
def test_invalid_addresses_are_refused_with_a_reason(raw: str) -> None:
    with pytest.raises(InvalidEmail, match="valid email address"):
        normalise_email(raw)


def test_the_key_of_a_non_address_is_its_lowercased_text() -> None:
    assert email_key(" Not An Address ") == "not an address"

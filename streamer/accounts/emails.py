"""Email addresses: validated, trimmed, the domain lowercased; uniqueness compares a case-insensitive key."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from streamer.accounts.errors import InvalidEmail

MAX_LENGTH = 254


def normalise_email(raw: str) -> tuple[str, str]:
    """(the address as stored, its uniqueness key). Raises InvalidEmail with a readable reason.

    The local part keeps its case for display; the key is the whole address lowercased, so
    `Ada@Example.org` and `ada@example.org` are one account.
    """
    text = raw.strip()
    if not text or len(text) > MAX_LENGTH:
        raise InvalidEmail("Please enter a valid email address.")
    try:
        info = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidEmail(f"Please enter a valid email address: {error}") from None
    address = f"{info.local_part}@{info.domain.lower()}"
    return address, address.lower()


def email_key(raw: str) -> str:
    """The uniqueness key of `raw`, or the trimmed lowercased text when it is not a valid address."""
    try:
        return normalise_email(raw)[1]
    except InvalidEmail:
        return raw.strip().lower()[:MAX_LENGTH]

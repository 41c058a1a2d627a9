"""What can go wrong with an account, in words fit for the person it happens to. No HTTP here."""

from __future__ import annotations

from streamer.storage.errors import EmailTaken


class AccountError(Exception):
    """Base class; str(error) is a message that may be shown to the user."""


class InvalidEmail(AccountError):
    """The address is not a valid email address."""


class WeakPassword(AccountError):
    """The password breaks the policy (length, or it is common, breached or easy to guess)."""


class InvalidDisplayName(AccountError):
    """The name is empty or too long once cleaned."""


class InvalidRole(AccountError):
    """Not one of member, instructor, admin."""


class InvalidCredentials(AccountError):
    """Wrong email or password; deliberately never says which."""

    def __init__(self) -> None:
        super().__init__("Invalid email or password.")


class TooManyAttempts(AccountError):
    """Too many failed attempts for this account or from this address within the throttle window."""

    def __init__(self) -> None:
        super().__init__("Too many failed attempts. Please wait a few minutes and try again.")


class EmailNotVerified(AccountError):
    """The password was right but the address is not confirmed yet."""

    def __init__(self) -> None:
        super().__init__("Please confirm your email address first: follow the link we sent you.")


class InvalidToken(AccountError):
    """A verification or reset link that is unknown, used, expired or void."""

    def __init__(self) -> None:
        super().__init__("This link is invalid or has expired. Please ask for a new one.")


class MailNotSent(AccountError):
    """The mail server refused or could not be reached."""


class IdentityRefused(AccountError):
    """An OpenID Connect sign-in that cannot be linked (no verified email, or the provider failed)."""


__all__ = [
    "AccountError",
    "EmailNotVerified",
    "EmailTaken",
    "IdentityRefused",
    "InvalidCredentials",
    "InvalidDisplayName",
    "InvalidEmail",
    "InvalidRole",
    "InvalidToken",
    "MailNotSent",
    "TooManyAttempts",
    "WeakPassword",
]

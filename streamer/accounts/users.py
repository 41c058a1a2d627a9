"""The User: what `request.user` is for a logged-in person, and `User.create_user`, THE way users are made."""

from __future__ import annotations

import re
from dataclasses import dataclass

from streamer.accounts import notices
from streamer.accounts.context import Accounts
from streamer.accounts.emails import normalise_email
from streamer.accounts.errors import InvalidDisplayName, InvalidRole
from streamer.accounts.passwords import UNUSABLE
from streamer.accounts.roles import Role
from streamer.accounts.tokens import new_secret
from streamer.storage.records import UserRecord, new_id

MAX_NAME = 80
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class User:
    record: UserRecord

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def identity(self) -> str:
        return self.record.id

    @property
    def email(self) -> str:
        return self.record.email

    @property
    def role(self) -> str:
        return self.record.role

    @property
    def display_name(self) -> str:
        return self.record.display_name

    @property
    def email_verified(self) -> bool:
        return self.record.email_verified

    @property
    def is_authenticated(self) -> bool:
        return True

    @classmethod
    async def create_user(
        cls,
        accounts: Accounts,
        *,
        email: str,
        password: str | None,
        display_name: str = "",
        role: str = Role.MEMBER,
        verified: bool = False,
    ) -> User:
        """Validate, hash and store a new user, then mail the verification link unless `verified`.

        `password` None makes an account without a password (it signs in through a provider or sets one by
        reset). Raises InvalidEmail, WeakPassword, InvalidDisplayName, InvalidRole, EmailTaken (another user has
        this address, compared case-insensitively) or MailNotSent (the user is stored; the mail can be resent).
        """
        address, key = normalise_email(email)
        name = clean_display_name(display_name or address.split("@")[0])
        checked_role = parse_role(role)
        if password is not None:
            accounts.policy.check(password, context=[address, address.split("@")[0], name])
        password_hash = await accounts.hasher.hash(password) if password is not None else UNUSABLE + new_secret()
        now = accounts.clock()
        record = UserRecord(
            id=new_id(),
            email=address,
            email_key=key,
            password_hash=password_hash,
            display_name=name,
            role=checked_role,
            email_verified=verified,
            created_at=now,
            password_changed_at=now,
        )
        await accounts.store.users.create(record)
        if not verified:
            await notices.send_verification(accounts, record)
        return cls(record)


def clean_display_name(raw: str) -> str:
    """Whitespace collapsed, control characters removed. Raises InvalidDisplayName."""
    name = " ".join(_CONTROL.sub(" ", raw).split())
    if not name or len(name) > MAX_NAME:
        raise InvalidDisplayName(f"Please give a name of 1 to {MAX_NAME} characters.")
    return name


def parse_role(raw: str) -> Role:
    try:
        return Role(raw.strip().lower())
    except ValueError:
        raise InvalidRole(f"Unknown role {raw!r}: use member, instructor or admin.") from None

"""Signing in with an OpenID Connect identity: find the linked user, or link by a VERIFIED email, or create one.

An identity (issuer, subject) links to an existing account only when the provider says the email is verified.
When that account had never confirmed its own address, whoever created it may not have owned the mailbox, so its
password is made unusable and its sessions end before the link is made (no pre-registration takeover).
"""

from __future__ import annotations

from collections.abc import Mapping

from streamer.accounts import sessions
from streamer.accounts.context import Accounts
from streamer.accounts.emails import normalise_email
from streamer.accounts.errors import IdentityRefused, InvalidEmail
from streamer.accounts.passwords import UNUSABLE
from streamer.accounts.tokens import new_secret
from streamer.accounts.users import MAX_NAME, User
from streamer.storage.accounts import IdentityRecord
from streamer.storage.errors import EmailTaken
from streamer.storage.records import UserRecord

NO_VERIFIED_EMAIL = "Your provider did not confirm an email address for this account, so we cannot sign you in with it."


async def sign_in_with_identity(accounts: Accounts, issuer: str, claims: Mapping[str, object]) -> User:
    """The user for these ID-token claims (`sub`, `email`, `email_verified`, `name`). Raises IdentityRefused."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise IdentityRefused("The provider sent no subject identifier.")
    linked = await accounts.store.identities.find(issuer, subject)
    if linked is not None:
        record = await accounts.store.users.get(linked.user_id)
        if record is None:
            raise IdentityRefused("The account linked to this sign-in no longer exists.")
        return User(record)
    record = await _account_for_verified_email(accounts, claims)
    if not await accounts.store.identities.link(IdentityRecord(issuer, subject, record.id, accounts.clock())):
        return await sign_in_with_identity(accounts, issuer, claims)  # linked concurrently: use that link
    return User(record)


async def _account_for_verified_email(accounts: Accounts, claims: Mapping[str, object]) -> UserRecord:
    if claims.get("email_verified") not in (True, "true"):
        raise IdentityRefused(NO_VERIFIED_EMAIL)
    try:
        address, key = normalise_email(str(claims.get("email") or ""))
    except InvalidEmail:
        raise IdentityRefused(NO_VERIFIED_EMAIL) from None
    existing = await accounts.store.users.get_by_email(key)
    if existing is None:
        try:
            return await _create(accounts, address, claims)
        except EmailTaken:
            existing = await accounts.store.users.get_by_email(key)
    if existing is None:
        raise IdentityRefused("This account is being created right now; please try again.")
    return existing if existing.email_verified else await _take_over_unverified(accounts, existing)


async def _create(accounts: Accounts, address: str, claims: Mapping[str, object]) -> UserRecord:
    name = str(claims.get("name") or claims.get("preferred_username") or "")[:MAX_NAME]
    user = await User.create_user(accounts, email=address, password=None, display_name=name, verified=True)
    return user.record


async def _take_over_unverified(accounts: Accounts, record: UserRecord) -> UserRecord:
    changes = {
        "email_verified": True,
        "password_hash": UNUSABLE + new_secret(),
        "password_changed_at": accounts.clock(),
    }
    updated = await accounts.store.users.update(record.id, changes)
    await sessions.end_others(accounts, record.id)
    return updated

"""Changes a logged-in user (or an operator) makes: password, email address, role."""

from __future__ import annotations

from streamer.accounts import notices, sessions
from streamer.accounts.context import Accounts
from streamer.accounts.emails import normalise_email
from streamer.accounts.errors import InvalidCredentials
from streamer.accounts.recovery import set_password
from streamer.accounts.users import User, parse_role
from streamer.storage.errors import NotFound


async def change_password(
    accounts: Accounts, user: User, current: str, new: str, session_secret: str | None
) -> tuple[User, sessions.Grant]:
    """Needs the current password. Ends every other session and gives this one a new id.

    Raises InvalidCredentials or WeakPassword.
    """
    if not await accounts.hasher.verify(user.record.password_hash, current):
        raise InvalidCredentials()
    accounts.policy.check(new, context=[user.email, user.display_name])
    changed = await set_password(accounts, user.id, new)
    grant = await sessions.rotate(accounts, session_secret, user.id)
    await sessions.end_others(accounts, user.id, keep_secret=grant.secret)
    return changed, grant


async def change_email(
    accounts: Accounts, user: User, new_email: str, password: str, session_secret: str | None
) -> tuple[User, sessions.Grant]:
    """Needs the password. The new address is unverified until its link is followed; the old address is told.

    Raises InvalidCredentials, InvalidEmail or EmailTaken.
    """
    if not await accounts.hasher.verify(user.record.password_hash, password):
        raise InvalidCredentials()
    address, key = normalise_email(new_email)
    record = await accounts.store.users.change_email(user.id, address, key)
    await notices.send_verification(accounts, record)
    if user.record.email_key != key:
        await notices.send_email_changed(accounts, user.email, record)
    return User(record), await sessions.rotate(accounts, session_secret, user.id)


async def set_role(accounts: Accounts, email: str, role: str) -> User:
    """Change the role; the user's sessions end, so the next login starts a fresh session id.

    Raises InvalidRole, InvalidEmail or NotFound.
    """
    checked = parse_role(role)
    _, key = normalise_email(email)
    record = await accounts.store.users.get_by_email(key)
    if record is None:
        raise NotFound(f"no user with the address {email}")
    changed = await accounts.store.users.update(record.id, {"role": checked.value})
    await sessions.end_others(accounts, record.id)
    return User(changed)

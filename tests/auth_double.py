"""TEST DOUBLE for the session layer, used until the accounts feature provides real logins:
an authentication backend that trusts an `X-Test-User` header naming a user id in the store.
Only tests import it; the app never does."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.authentication import AuthCredentials, AuthenticationBackend, BaseUser, UnauthenticatedUser
from starlette.requests import HTTPConnection

from streamer.storage.records import UserRecord


@dataclass
class TestUser(BaseUser):
    record: UserRecord

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.record.display_name

    @property
    def identity(self) -> str:
        return self.record.id

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def role(self) -> str:
        return self.record.role


class HeaderBackend(AuthenticationBackend):
    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser]:
        user_id = conn.headers.get("x-test-user")
        record = await conn.app.state.store.users.get(user_id) if user_id else None
        if record is None:
            return AuthCredentials(), UnauthenticatedUser()
        return AuthCredentials(["authenticated"]), TestUser(record)

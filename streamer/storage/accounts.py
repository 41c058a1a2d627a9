"""Store concerns of the accounts feature: sessions, one-time tokens, throttle counters, OIDC identity links.

Records hold hashes of secrets, never the secrets. Every expiring row disappears by itself (Cassandra TTL; SQLite
filters on the expiry and purges old rows), so readers never see an expired session or token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class SessionRecord:
    token_hash: str
    user_id: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime  # the session ends here unless touched again (idle) …
    absolute_expires_at: datetime  # … and here whatever happens
    remember: bool


@dataclass(frozen=True)
class TokenRecord:
    token_hash: str
    purpose: str
    user_id: str
    data: str
    created_at: datetime
    expires_at: datetime
    used: bool = False


@dataclass(frozen=True)
class IdentityRecord:
    issuer: str
    subject: str
    user_id: str
    created_at: datetime


class SessionStore(Protocol):
    async def create(self, session: SessionRecord) -> None: ...

    async def get(self, token_hash: str) -> SessionRecord | None:
        """The live session, or None when unknown, deleted or past `expires_at`."""

    async def touch(self, session: SessionRecord) -> None:
        """Store new `last_seen_at` / `expires_at`; never brings a deleted session back."""

    async def delete(self, token_hash: str) -> None: ...

    async def list_for_user(self, user_id: str) -> list[SessionRecord]:
        """The user's live sessions, oldest first."""

    async def delete_for_user(self, user_id: str, keep: str | None = None) -> int:
        """End every session of the user except the one whose hash is `keep`; returns how many ended."""


class TokenStore(Protocol):
    async def create(self, token: TokenRecord) -> None: ...

    async def get(self, token_hash: str) -> TokenRecord | None:
        """The token if it exists and has not expired (used or not)."""

    async def consume(self, token_hash: str, purpose: str) -> TokenRecord | None:
        """Mark the token used and return it; None when unknown, expired, of another purpose or already used.

        Of concurrent consumers exactly one gets the record.
        """


class ThrottleStore(Protocol):
    async def hit(self, key: str, ttl_seconds: int) -> None:
        """Count one event under `key`; it stops counting after `ttl_seconds`."""

    async def count(self, key: str, limit: int = 1000) -> int:
        """How many unexpired events `key` has (counting stops at `limit`)."""

    async def clear(self, key: str) -> None: ...


class IdentityStore(Protocol):
    async def link(self, identity: IdentityRecord) -> bool:
        """Record that (issuer, subject) is this user; False when that identity is already linked."""

    async def find(self, issuer: str, subject: str) -> IdentityRecord | None: ...

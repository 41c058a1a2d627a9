"""The store interface, one protocol per concern. Both backends implement all of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from streamer.storage.accounts import IdentityStore, SessionStore, ThrottleStore, TokenStore
from streamer.storage.analytics import AnalyticsStore
from streamer.storage.catalog import CatalogIndex, CourseStore
from streamer.storage.delivery import DeliveryStore
from streamer.storage.memberships import InviteStore, MembershipStore, PlanStore, StripeEventStore
from streamer.storage.records import JobRecord, UserRecord, VideoRecord
from streamer.storage.uploads import UploadStore

VIDEO_FIELDS = frozenset(
    {"title", "status", "progress", "error", "duration", "renditions", "source_name"}
    | {"description", "tags", "language", "visibility", "published_at"}  # catalog
)
USER_FIELDS = frozenset({"display_name", "role", "email_verified", "password_hash", "password_changed_at"})


class UserStore(Protocol):
    async def create(self, user: UserRecord) -> None:
        """Store a new user. Raises EmailTaken when `email_key` is already used; never two winners."""

    async def get(self, user_id: str) -> UserRecord | None: ...

    async def get_many(self, user_ids: list[str]) -> list[UserRecord]:
        """The users that exist among `user_ids`, in that order (repeats as asked): a statement per 500 ids
        (Cassandra: per 100, concurrently), not one per user."""

    async def get_by_email(self, email_key: str) -> UserRecord | None: ...

    async def update(self, user_id: str, changes: Mapping[str, object]) -> UserRecord:
        """Change the fields named in USER_FIELDS. Raises NotFound."""

    async def change_email(self, user_id: str, email: str, email_key: str) -> UserRecord:
        """Move the user to a new address (unverified). Raises EmailTaken or NotFound."""

    async def list_all(self, limit: int = 1000) -> list[UserRecord]: ...


class VideoStore(Protocol):
    async def create(self, video: VideoRecord) -> None: ...

    async def get(self, video_id: str) -> VideoRecord | None: ...

    async def get_many(self, video_ids: list[str]) -> list[VideoRecord]:
        """The videos that exist among `video_ids`, in that order (repeats as asked): one statement (SQLite: one
        per 500 ids), not one per video."""

    async def list_by_owner(self, owner_id: str, limit: int = 200) -> list[VideoRecord]:
        """Newest first."""

    async def update(self, video_id: str, changes: Mapping[str, object]) -> VideoRecord:
        """Change the fields named in VIDEO_FIELDS; bumps updated_at. Raises NotFound."""

    async def delete(self, video_id: str) -> None: ...


class JobStore(Protocol):
    async def enqueue(self, video_id: str, kind: str, max_attempts: int = 3) -> JobRecord: ...

    async def get(self, job_id: str) -> JobRecord | None: ...

    async def list_all(self, limit: int = 200) -> list[JobRecord]:
        """Newest first."""

    async def claim(self, worker: str, lease_seconds: float) -> JobRecord | None:
        """Take the oldest claimable job: queued and due, or running with an expired lease.

        Of any number of concurrent claimers exactly one gets a given job. Jobs whose lease expired
        after max_attempts claims are marked failed instead of being handed out again.
        """

    async def extend_lease(self, job: JobRecord, lease_seconds: float) -> JobRecord | None:
        """Push the lease out; None when the job is no longer this worker's (lost or requeued)."""

    async def complete(self, job: JobRecord) -> JobRecord | None: ...

    async def fail(self, job: JobRecord, reason: str, retry_at: datetime | None) -> JobRecord | None:
        """Record `reason`; back to queued at `retry_at` while attempts remain, else failed for good."""

    async def requeue(self, job_id: str) -> JobRecord:
        """Operator retry: queued now with a fresh attempt budget. Raises NotFound."""

    async def release(self, job: JobRecord) -> JobRecord | None:
        """Give a claimed job back untouched (a worker shutting down): queued now, the claim's attempt
        not counted. None when the job is no longer this worker's."""


@dataclass(frozen=True)
class MigrationStatus:
    applied: list[str]
    pending: list[str]


class Store(Protocol):
    @property
    def users(self) -> UserStore: ...

    @property
    def videos(self) -> VideoStore: ...

    @property
    def jobs(self) -> JobStore: ...

    @property
    def uploads(self) -> UploadStore: ...

    @property
    def delivery(self) -> DeliveryStore: ...

    @property
    def analytics(self) -> AnalyticsStore: ...

    @property
    def sessions(self) -> SessionStore: ...

    @property
    def tokens(self) -> TokenStore: ...

    @property
    def throttle(self) -> ThrottleStore: ...

    @property
    def identities(self) -> IdentityStore: ...

    @property
    def courses(self) -> CourseStore: ...

    @property
    def catalog(self) -> CatalogIndex: ...

    @property
    def plans(self) -> PlanStore: ...

    @property
    def memberships(self) -> MembershipStore: ...

    @property
    def invites(self) -> InviteStore: ...

    @property
    def stripe_events(self) -> StripeEventStore: ...

    async def ping(self) -> None:
        """Raises StoreUnavailable when the database does not answer."""

    async def migrate(self) -> list[str]:
        """Apply pending migrations in order; returns their names. Idempotent."""

    async def migration_status(self) -> MigrationStatus: ...

    async def close(self) -> None: ...


def require_known_fields(changes: Mapping[str, object], allowed: frozenset[str]) -> list[str]:
    """The changed field names, sorted. Raises ValueError for a field that may not be changed."""
    unknown = set(changes) - allowed
    if unknown or not changes:
        raise ValueError(f"cannot update fields {sorted(unknown) or '(none given)'}")
    return sorted(changes)

"""Plain records that travel between the store and the domain packages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum


def utcnow() -> datetime:
    """Now, in UTC, truncated to milliseconds (Cassandra's timestamp precision)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def new_id() -> str:
    return uuid.uuid4().hex


class VideoStatus(StrEnum):
    UPLOADING = "uploading"
    QUEUED = "queued"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class Visibility(StrEnum):
    """Who may see a video or course: `draft` owner and admins, `members` active members, `public` anyone."""

    DRAFT = "draft"
    MEMBERS = "members"
    PUBLIC = "public"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class UserRecord:
    id: str
    email: str
    email_key: str
    password_hash: str
    display_name: str
    role: str
    email_verified: bool
    created_at: datetime
    password_changed_at: datetime


@dataclass(frozen=True)
class VideoRecord:
    id: str
    owner_id: str
    title: str
    status: VideoStatus
    created_at: datetime
    updated_at: datetime
    progress: float = 0.0
    error: str = ""
    duration: float = 0.0
    renditions: str = "[]"
    source_name: str = ""
    # --- catalog ---
    description: str = ""
    tags: tuple[str, ...] = ()
    language: str = ""
    visibility: Visibility = Visibility.MEMBERS
    published_at: datetime | None = None
    external_host: str = ""
    external_id: str = ""
    external_hash: str = ""


@dataclass(frozen=True)
class JobRecord:
    id: str
    video_id: str
    kind: str
    state: JobState
    attempts: int
    max_attempts: int
    created_at: datetime
    updated_at: datetime
    run_after: datetime
    version: int
    lease_owner: str = ""
    lease_expires_at: datetime | None = None
    last_error: str = ""

    def claimable(self, now: datetime) -> bool:
        if self.state == JobState.QUEUED:
            return self.run_after <= now
        if self.state == JobState.RUNNING:
            return self.lease_expires_at is None or self.lease_expires_at <= now
        return False


@dataclass(frozen=True)
class CourseRecord:
    """An ordered list of videos. `version` grows with every change; writers name the version they read."""

    id: str
    owner_id: str
    title: str
    created_at: datetime
    updated_at: datetime
    description: str = ""
    cover_video_id: str = ""
    visibility: Visibility = Visibility.MEMBERS
    video_ids: tuple[str, ...] = ()
    version: int = 1

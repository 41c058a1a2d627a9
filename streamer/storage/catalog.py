"""Store protocols of the catalog: courses, and the listing/search index over videos."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from streamer.storage.errors import StoreError
from streamer.storage.records import CourseRecord, VideoRecord, Visibility

T = TypeVar("T")
COURSE_FIELDS = frozenset({"title", "description", "cover_video_id", "visibility", "video_ids"})


class StaleVersion(StoreError):
    """The record changed since the caller read it; nothing was written."""


class InvalidCursor(StoreError):
    """A page cursor that this store did not hand out (or that no longer applies)."""


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results; `cursor` fetches the next page and is None on the last one."""

    items: list[T]
    cursor: str | None


class CatalogIndex(Protocol):
    async def newest(self, up_to: Visibility, limit: int, cursor: str | None = None) -> Page[VideoRecord]:
        """Listed videos (ready, not draft) newest published first. `up_to` PUBLIC: public only; MEMBERS:
        public and members. Keyset cursor: no repeats or gaps while videos are added."""

    async def search(
        self, words: Sequence[str], up_to: Visibility, limit: int, cursor: str | None = None
    ) -> Page[VideoRecord]:
        """Listed videos whose title, description or tags contain every word (stemmed: "streaming" finds
        "stream"). `words` must be non-empty. Raises InvalidCursor for a cursor it cannot read."""


class CourseStore(Protocol):
    async def create(self, course: CourseRecord) -> None: ...

    async def get(self, course_id: str) -> CourseRecord | None: ...

    async def list_by_owner(self, owner_id: str, limit: int = 200) -> list[CourseRecord]:
        """Newest first."""

    async def list_all(self, limit: int = 200) -> list[CourseRecord]:
        """Newest first."""

    async def update(self, course_id: str, changes: Mapping[str, object], expected_version: int) -> CourseRecord:
        """Change COURSE_FIELDS when the stored version is `expected_version`; bumps version and updated_at.
        Raises StaleVersion (nothing written) or NotFound."""

    async def delete(self, course_id: str) -> None: ...


def encode_cursor(kind: str, value: object) -> str:
    raw = json.dumps([kind, value], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str, size: int) -> list[object]:
    """The list of `size` values packed by encode_cursor(kind, …). Raises InvalidCursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found, value = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise InvalidCursor("this page link is not valid") from None
    if found != kind:
        raise InvalidCursor("this page link belongs to another listing")
    if not isinstance(value, list) or len(value) != size:
        raise InvalidCursor("this page link is not valid")
    return value


def keyset_after(cursor: str | None, kind: str) -> tuple[datetime, str] | None:
    """The (published_at, id) a keyset cursor points after. Raises InvalidCursor."""
    if cursor is None:
        return None
    moment, video_id = decode_cursor(kind, cursor, 2)
    try:
        return datetime.fromisoformat(str(moment)), str(video_id)
    except ValueError:
        raise InvalidCursor("this page link is not valid") from None


def keyset_cursor(kind: str, video: VideoRecord) -> str:
    assert video.published_at is not None
    return encode_cursor(kind, [video.published_at.isoformat(), video.id])

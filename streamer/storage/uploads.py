"""Resumable uploads in progress: the record a tus upload keeps between requests (and app restarts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class UploadRecord:
    """One unfinished upload. `offset` counts the bytes durably on disk; `metadata` is the client's raw
    `Upload-Metadata` header, handed back on HEAD. An upload shares its id with the video it becomes."""

    id: str
    owner_id: str
    length: int
    offset: int
    metadata: str
    created_at: datetime
    expires_at: datetime

    def expired(self, now: datetime) -> bool:
        return self.expires_at <= now


class UploadStore(Protocol):
    async def create(self, upload: UploadRecord) -> None: ...

    async def get(self, upload_id: str) -> UploadRecord | None: ...

    async def set_offset(self, upload_id: str, offset: int, expires_at: datetime) -> None:
        """Record that `offset` bytes are on disk and push the expiry out. A missing upload is left missing."""

    async def delete(self, upload_id: str) -> None:
        """Forget the upload; deleting a missing one is not an error."""

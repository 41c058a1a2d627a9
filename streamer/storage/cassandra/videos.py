from __future__ import annotations

from collections.abc import Mapping
from dataclasses import astuple, fields, replace
from typing import Any

from streamer.catalog.terms import index_terms
from streamer.storage.base import VIDEO_FIELDS, require_known_fields
from streamer.storage.cassandra.listing import NewestListing
from streamer.storage.cassandra.session import CassandraSession, Row, aware
from streamer.storage.errors import NotFound
from streamer.storage.listing import audience, listed, stamped, with_publication
from streamer.storage.records import VideoRecord, VideoStatus, Visibility, utcnow

_NAMES = [field.name for field in fields(VideoRecord)]
COLUMNS = ", ".join(_NAMES)
_TEXT_FIELDS = {"title", "description", "tags"}
_DEFAULTS: dict[str, Any] = {field.name: field.default for field in fields(VideoRecord)}


def video_from_row(row: Row) -> VideoRecord:
    # Rows written before a column existed hold null there: the record's default stands in.
    values: dict[str, Any] = {name: _DEFAULTS.get(name) if value is None else value for name, value in row.items()}
    converted = {
        "status": VideoStatus(values["status"]),
        "created_at": aware(values["created_at"]),
        "updated_at": aware(values["updated_at"]),
        "published_at": aware(values["published_at"]),
        "tags": tuple(values["tags"]),
        "visibility": Visibility(values["visibility"]),
    }
    return VideoRecord(**(values | converted))


def _terms(video: VideoRecord) -> dict[str, Any]:
    return {"terms": index_terms(video.title, video.description, " ".join(video.tags))}


def _audience(video: VideoRecord) -> dict[str, Any]:
    """The rank search filters on: the visibility's rank when listed, else that of a draft (never listed)."""
    return {"audience": audience(video.visibility if listed(video) else Visibility.DRAFT)}


class CassandraVideos:
    """`videos` by id (with SAI-indexed `terms`, `status`, `audience`); `videos_by_owner` lists an owner's ids
    newest first; NewestListing keeps the home listing."""

    def __init__(self, db: CassandraSession) -> None:
        self._db = db
        self._listing = NewestListing(db)

    async def create(self, video: VideoRecord) -> None:
        video = stamped(video)
        row = dict(zip(_NAMES, astuple(video), strict=True)) | _terms(video) | _audience(video)
        marks = ",".join("?" * len(row))
        await self._db.execute(
            f"INSERT INTO videos ({', '.join(row)}) VALUES ({marks})", list(row.values()), write=True
        )
        await self._db.execute(
            "INSERT INTO videos_by_owner (owner_id, created_at, video_id) VALUES (?, ?, ?)",
            (video.owner_id, video.created_at, video.id),
            write=True,
        )
        await self._listing.moved(None, video)

    async def get(self, video_id: str) -> VideoRecord | None:
        rows = await self._db.execute(f"SELECT {COLUMNS} FROM videos WHERE id = ?", (video_id,))
        return video_from_row(rows[0]) if rows and rows[0]["owner_id"] else None

    async def get_many(self, video_ids: list[str]) -> list[VideoRecord]:
        """The videos that exist among `video_ids`, in that order: one statement, not one per video."""
        if not video_ids:
            return []
        rows = await self._db.execute(f"SELECT {COLUMNS} FROM videos WHERE id IN ?", (list(dict.fromkeys(video_ids)),))
        found = {row["id"]: video_from_row(row) for row in rows if row["owner_id"]}
        return [found[video_id] for video_id in video_ids if video_id in found]

    async def list_by_owner(self, owner_id: str, limit: int = 200) -> list[VideoRecord]:
        rows = await self._db.execute(
            "SELECT video_id FROM videos_by_owner WHERE owner_id = ? LIMIT ?", (owner_id, limit)
        )
        return await self.get_many([row["video_id"] for row in rows])

    async def update(self, video_id: str, changes: Mapping[str, object]) -> VideoRecord:
        require_known_fields(changes, VIDEO_FIELDS)
        before = await self.get(video_id)
        if before is None:
            raise NotFound(f"video {video_id}")
        columns = with_publication(before, changes)
        after = replace(before, **columns)  # type: ignore[arg-type]
        if columns.keys() & _TEXT_FIELDS:
            columns |= _terms(after)
        if columns.keys() & {"visibility", "status"}:
            columns |= _audience(after)
        sql = ", ".join(f"{name} = ?" for name in columns)
        await self._db.execute(
            f"UPDATE videos SET {sql}, updated_at = ? WHERE id = ?", (*columns.values(), utcnow(), video_id), write=True
        )
        video = await self.get(video_id)
        if video is None:
            raise NotFound(f"video {video_id}")
        await self._listing.moved(before, video)
        return video

    async def delete(self, video_id: str) -> None:
        video = await self.get(video_id)
        if video is None:
            return
        await self._listing.moved(video, None)
        await self._db.execute(
            "DELETE FROM videos_by_owner WHERE owner_id = ? AND created_at = ? AND video_id = ?",
            (video.owner_id, video.created_at, video_id),
            write=True,
        )
        await self._db.execute("DELETE FROM videos WHERE id = ?", (video_id,), write=True)

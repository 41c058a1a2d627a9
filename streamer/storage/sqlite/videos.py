from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import astuple, fields

from streamer.storage.base import VIDEO_FIELDS, require_known_fields
from streamer.storage.errors import NotFound
from streamer.storage.listing import stamped, with_publication
from streamer.storage.records import VideoRecord, VideoStatus, Visibility, utcnow
from streamer.storage.sqlite.connection import Database, Row, from_epoch
from streamer.storage.sqlite.fields import assignments, sql_value

_NAMES = [field.name for field in fields(VideoRecord)]
_COLUMNS = ", ".join(_NAMES)
COLUMNS = ", ".join(f"v.{name}" for name in _NAMES)


def video_from_row(row: Row) -> VideoRecord:
    converted = {
        "status": VideoStatus(row["status"]),
        "created_at": from_epoch(row["created_at"]),
        "updated_at": from_epoch(row["updated_at"]),
        "tags": tuple(json.loads(row["tags"])),
        "visibility": Visibility(row["visibility"]),
        "published_at": from_epoch(row["published_at"]),
    }
    return VideoRecord(**(row | converted))


class SqliteVideos:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, video: VideoRecord) -> None:
        marks = ",".join("?" * len(_NAMES))
        values = [sql_value(value) for value in astuple(stamped(video))]
        await self._db.execute(f"INSERT INTO videos ({_COLUMNS}) VALUES ({marks})", values)

    async def get(self, video_id: str) -> VideoRecord | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM videos WHERE id = ?", (video_id,))
        return video_from_row(row) if row else None

    async def get_many(self, video_ids: list[str]) -> list[VideoRecord]:
        """The videos that exist among `video_ids`, in that order: one statement, not one per video."""
        found = await self._db.fetch_by_ids(f"SELECT {_COLUMNS} FROM videos", video_ids)
        return [video_from_row(found[video_id]) for video_id in video_ids if video_id in found]

    async def list_by_owner(self, owner_id: str, limit: int = 200) -> list[VideoRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM videos WHERE owner_id = ? ORDER BY created_at DESC, id LIMIT ?",
            (owner_id, limit),
        )
        return [video_from_row(row) for row in rows]

    async def update(self, video_id: str, changes: Mapping[str, object]) -> VideoRecord:
        require_known_fields(changes, VIDEO_FIELDS)
        before = await self.get(video_id)
        if before is None:
            raise NotFound(f"video {video_id}")
        sql, params = assignments(with_publication(before, changes), VIDEO_FIELDS)
        await self._db.execute(
            f"UPDATE videos SET {sql}, updated_at = ? WHERE id = ?", (*params, sql_value(utcnow()), video_id)
        )
        video = await self.get(video_id)
        if video is None:
            raise NotFound(f"video {video_id}")
        return video

    async def delete(self, video_id: str) -> None:
        await self._db.execute("DELETE FROM videos WHERE id = ?", (video_id,))

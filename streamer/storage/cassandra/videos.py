from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import astuple, fields

from streamer.storage.base import VIDEO_FIELDS, require_known_fields
from streamer.storage.cassandra.session import CassandraSession, Row, aware
from streamer.storage.errors import NotFound
from streamer.storage.records import VideoRecord, VideoStatus, utcnow

_NAMES = [field.name for field in fields(VideoRecord)]
_COLUMNS = ", ".join(_NAMES)


def _video(row: Row) -> VideoRecord:
    converted = {
        "status": VideoStatus(row["status"]),
        "created_at": aware(row["created_at"]),
        "updated_at": aware(row["updated_at"]),
    }
    return VideoRecord(**(row | converted))


class CassandraVideos:
    """`videos` by id; `videos_by_owner` lists an owner's ids newest first."""

    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def create(self, video: VideoRecord) -> None:
        marks = ",".join("?" * len(_NAMES))
        await self._db.execute(f"INSERT INTO videos ({_COLUMNS}) VALUES ({marks})", astuple(video), write=True)
        await self._db.execute(
            "INSERT INTO videos_by_owner (owner_id, created_at, video_id) VALUES (?, ?, ?)",
            (video.owner_id, video.created_at, video.id),
            write=True,
        )

    async def get(self, video_id: str) -> VideoRecord | None:
        rows = await self._db.execute(f"SELECT {_COLUMNS} FROM videos WHERE id = ?", (video_id,))
        return _video(rows[0]) if rows and rows[0]["owner_id"] else None

    async def list_by_owner(self, owner_id: str, limit: int = 200) -> list[VideoRecord]:
        rows = await self._db.execute(
            "SELECT video_id FROM videos_by_owner WHERE owner_id = ? LIMIT ?", (owner_id, limit)
        )
        videos = await asyncio.gather(*(self.get(row["video_id"]) for row in rows))
        return [video for video in videos if video is not None]

    async def update(self, video_id: str, changes: Mapping[str, object]) -> VideoRecord:
        names = require_known_fields(changes, VIDEO_FIELDS)
        sql = ", ".join(f"{name} = ?" for name in names)
        if await self.get(video_id) is None:
            raise NotFound(f"video {video_id}")
        params = [changes[name] for name in names]
        await self._db.execute(
            f"UPDATE videos SET {sql}, updated_at = ? WHERE id = ?", (*params, utcnow(), video_id), write=True
        )
        video = await self.get(video_id)
        if video is None:
            raise NotFound(f"video {video_id}")
        return video

    async def delete(self, video_id: str) -> None:
        video = await self.get(video_id)
        if video is None:
            return
        await self._db.execute(
            "DELETE FROM videos_by_owner WHERE owner_id = ? AND created_at = ? AND video_id = ?",
            (video.owner_id, video.created_at, video_id),
            write=True,
        )
        await self._db.execute("DELETE FROM videos WHERE id = ?", (video_id,), write=True)

"""The query-first listing behind home pages and /api/videos on Cassandra: listed videos by (audience, month),
newest first, with a small table of the months that hold any. No full scans."""

from __future__ import annotations

from datetime import datetime

from streamer.storage.cassandra.session import CassandraSession, Row, aware
from streamer.storage.listing import audience, listed
from streamer.storage.records import VideoRecord

Entry = tuple[datetime, str]


def bucket(moment: datetime) -> str:
    return moment.strftime("%Y-%m")


def _key(video: VideoRecord) -> tuple[int, str, datetime, str] | None:
    if not listed(video) or video.published_at is None:
        return None
    return audience(video.visibility), bucket(video.published_at), video.published_at, video.id


class NewestListing:
    def __init__(self, db: CassandraSession) -> None:
        self._db = db

    async def moved(self, before: VideoRecord | None, after: VideoRecord | None) -> None:
        """Keep the listing in step with one video's change (None: created or deleted)."""
        old, new = (_key(before) if before else None), (_key(after) if after else None)
        if old == new:
            return
        if old is not None:
            await self._db.execute(
                "DELETE FROM videos_newest WHERE audience = ? AND bucket = ? AND published_at = ? AND video_id = ?",
                old,
                write=True,
            )
        if new is not None:
            await self._db.execute(
                "INSERT INTO videos_newest (audience, bucket, published_at, video_id) VALUES (?, ?, ?, ?)",
                new,
                write=True,
            )
            await self._db.execute(
                "INSERT INTO videos_newest_buckets (audience, bucket) VALUES (?, ?)", new[:2], write=True
            )

    async def scan(self, rank: int, limit: int, after: Entry | None) -> list[Entry]:
        """Up to `limit` entries of one audience, newest first, strictly older than `after`."""
        months = await self._db.execute("SELECT bucket FROM videos_newest_buckets WHERE audience = ?", (rank,))
        found: list[Entry] = []
        for month in (row["bucket"] for row in months):
            if after is not None and month > bucket(after[0]):
                continue
            found += [_entry(row) for row in await self._month(rank, month, limit - len(found), after)]
            if len(found) >= limit:
                break
        return found

    async def _month(self, rank: int, month: str, limit: int, after: Entry | None) -> list[Row]:
        select = "SELECT published_at, video_id FROM videos_newest WHERE audience = ? AND bucket = ?"
        if after is None:
            return await self._db.execute(f"{select} LIMIT ?", (rank, month, limit))
        return await self._db.execute(
            f"{select} AND (published_at, video_id) < (?, ?) LIMIT ?", (rank, month, after[0], after[1], limit)
        )


def _entry(row: Row) -> Entry:
    moment = aware(row["published_at"])
    assert moment is not None
    return moment, row["video_id"]

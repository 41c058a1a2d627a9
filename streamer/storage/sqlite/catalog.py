"""Home listings and full-text search on SQLite: FTS5 (porter stemming) and keyset cursors, never OFFSET."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from streamer.storage.catalog import Page, keyset_after, keyset_cursor
from streamer.storage.listing import visible_up_to
from streamer.storage.records import VideoRecord, VideoStatus, Visibility
from streamer.storage.sqlite.connection import Database, to_epoch
from streamer.storage.sqlite.videos import COLUMNS, video_from_row


def fts_query(words: Sequence[str]) -> str:
    """Every word as a quoted FTS5 string (implicit AND): user text can never be FTS5 syntax."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


class SqliteCatalogIndex:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def newest(self, up_to: Visibility, limit: int, cursor: str | None = None) -> Page[VideoRecord]:
        return await self._page("newest", "", [], up_to, limit, cursor)

    async def search(
        self, words: Sequence[str], up_to: Visibility, limit: int, cursor: str | None = None
    ) -> Page[VideoRecord]:
        join = (
            "JOIN video_search_keys k ON k.video_id = v.id JOIN video_search s ON s.rowid = k.key "
            "AND video_search MATCH ?"
        )
        return await self._page("search", join, [fts_query(words)], up_to, limit, cursor)

    async def _page(
        self, kind: str, join: str, params: list[Any], up_to: Visibility, limit: int, cursor: str | None
    ) -> Page[VideoRecord]:
        after = keyset_after(cursor, kind)
        shown = visible_up_to(up_to)
        where = f"v.status = ? AND v.visibility IN ({','.join('?' * len(shown))})"
        params = [*params, VideoStatus.READY.value, *(v.value for v in shown)]
        if after is not None:
            where += " AND (v.published_at, v.id) < (?, ?)"
            params += [to_epoch(after[0]), after[1]]
        rows = await self._db.fetch_all(
            f"SELECT {COLUMNS} FROM videos v {join} WHERE {where} ORDER BY v.published_at DESC, v.id DESC LIMIT ?",
            [*params, limit + 1],
        )
        videos = [video_from_row(row) for row in rows]
        more = len(videos) > limit
        return Page(videos[:limit], keyset_cursor(kind, videos[limit - 1]) if more else None)

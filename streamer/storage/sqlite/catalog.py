"""Home listings and full-text search on SQLite: FTS5 (porter stemming) and keyset cursors, never OFFSET.

Search walks the FTS5 index in descending key order (the most recently added video first) and stops at the
page size, so a common word costs no more than a rare one; the cursor is the last key shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from streamer.storage.catalog import InvalidCursor, Page, decode_cursor, encode_cursor, keyset_after, keyset_cursor
from streamer.storage.listing import visible_up_to
from streamer.storage.records import VideoRecord, VideoStatus, Visibility
from streamer.storage.sqlite.connection import Database, to_epoch
from streamer.storage.sqlite.videos import COLUMNS, video_from_row

_NO_KEY = 1 << 62


def fts_query(words: Sequence[str]) -> str:
    """Every word as a quoted FTS5 string (implicit AND): user text can never be FTS5 syntax."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def _shown(up_to: Visibility) -> tuple[str, list[Any]]:
    shown = visible_up_to(up_to)
    where = f"v.status = ? AND v.visibility IN ({','.join('?' * len(shown))})"
    return where, [VideoStatus.READY.value, *(v.value for v in shown)]


class SqliteCatalogIndex:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def newest(self, up_to: Visibility, limit: int, cursor: str | None = None) -> Page[VideoRecord]:
        after = keyset_after(cursor, "newest")
        where, params = _shown(up_to)
        if after is not None:
            where += " AND (v.published_at, v.id) < (?, ?)"
            params += [to_epoch(after[0]), after[1]]
        rows = await self._db.fetch_all(
            f"SELECT {COLUMNS} FROM videos v WHERE {where} ORDER BY v.published_at DESC, v.id DESC LIMIT ?",
            [*params, limit + 1],
        )
        videos = [video_from_row(row) for row in rows]
        more = len(videos) > limit
        return Page(videos[:limit], keyset_cursor("newest", videos[limit - 1]) if more else None)

    async def search(
        self, words: Sequence[str], up_to: Visibility, limit: int, cursor: str | None = None
    ) -> Page[VideoRecord]:
        before = _NO_KEY if cursor is None else self._key(cursor)
        where, params = _shown(up_to)
        rows = await self._db.fetch_all(
            f"SELECT {COLUMNS}, s.rowid AS search_key FROM video_search s "
            "JOIN video_search_keys k ON k.key = s.rowid JOIN videos v ON v.id = k.video_id "
            f"WHERE video_search MATCH ? AND s.rowid < ? AND {where} ORDER BY s.rowid DESC LIMIT ?",
            [fts_query(words), before, *params, limit + 1],
        )
        keys = [row.pop("search_key") for row in rows]
        videos = [video_from_row(row) for row in rows]
        more = len(videos) > limit
        return Page(videos[:limit], encode_cursor("search", [keys[limit - 1]]) if more else None)

    @staticmethod
    def _key(cursor: str) -> int:
        [key] = decode_cursor("search", cursor, 1)
        if not isinstance(key, int):
            raise InvalidCursor("this page link is not valid")
        return key

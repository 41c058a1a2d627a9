"""Home listings and search on Cassandra. Search: one SAI query over `terms` (app-stemmed), `status` and
`audience`; pages continue from the driver's paging state, wrapped in an opaque cursor (never OFFSET)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence

from cassandra import RequestValidationException
from cassandra.protocol import ProtocolException

from streamer.catalog.terms import stems
from streamer.storage.cassandra.listing import NewestListing
from streamer.storage.cassandra.session import CassandraSession
from streamer.storage.cassandra.videos import COLUMNS, CassandraVideos, video_from_row
from streamer.storage.catalog import InvalidCursor, Page, decode_cursor, encode_cursor, keyset_after
from streamer.storage.listing import audience, listed, visible_up_to
from streamer.storage.records import VideoRecord, Visibility


def _fingerprint(terms: Sequence[str], up_to: Visibility) -> str:
    return hashlib.sha256(repr((sorted(terms), str(up_to))).encode()).hexdigest()[:16]


class CassandraCatalogIndex:
    def __init__(self, db: CassandraSession, videos: CassandraVideos) -> None:
        self._db = db
        self._videos = videos
        self._listing = NewestListing(db)

    async def newest(self, up_to: Visibility, limit: int, cursor: str | None = None) -> Page[VideoRecord]:
        after = keyset_after(cursor, "newest")
        scans = [self._listing.scan(audience(visibility), limit + 1, after) for visibility in visible_up_to(up_to)]
        entries = sorted((entry for found in await asyncio.gather(*scans) for entry in found), reverse=True)
        entries = entries[: limit + 1]
        more = len(entries) > limit
        found = await self._videos.get_many([video_id for _, video_id in entries[:limit]])
        # An entry whose video changed since it was read is skipped; the next listing no longer has it.
        videos = [video for video in found if listed(video)]
        last = entries[limit - 1] if more else None
        return Page(videos, encode_cursor("newest", [last[0].isoformat(), last[1]]) if last else None)

    async def search(
        self, words: Sequence[str], up_to: Visibility, limit: int, cursor: str | None = None
    ) -> Page[VideoRecord]:
        terms = stems(words)
        state = self._paging_state(cursor, terms, up_to)
        where = " AND ".join(["terms CONTAINS ?"] * len(terms) + ["audience <= ?"])
        cql = f"SELECT {COLUMNS} FROM videos WHERE {where}"
        params = [*terms, audience(up_to)]
        videos: list[VideoRecord] = []
        while True:
            try:
                rows, state = await self._db.page(cql, params, limit - len(videos), state)
            except (RequestValidationException, ProtocolException):
                raise InvalidCursor("this page link is no longer valid; search again") from None
            videos += [video_from_row(row) for row in rows]
            if state is None or len(videos) >= limit:
                break
        return Page(videos, self._cursor(state, terms, up_to))

    @staticmethod
    def _cursor(state: bytes | None, terms: Sequence[str], up_to: Visibility) -> str | None:
        return None if state is None else encode_cursor("search", [_fingerprint(terms, up_to), state.hex()])

    @staticmethod
    def _paging_state(cursor: str | None, terms: Sequence[str], up_to: Visibility) -> bytes | None:
        if cursor is None:
            return None
        fingerprint, state = decode_cursor("search", cursor, 2)
        if fingerprint != _fingerprint(terms, up_to):
            raise InvalidCursor("this page link belongs to another search")
        try:
            return bytes.fromhex(str(state))
        except ValueError:
            raise InvalidCursor("this page link is not valid") from None

"""Search over titles, descriptions and tags, filtered by what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass

from streamer.catalog.terms import words
from streamer.catalog.visibility import Viewer
from streamer.storage.base import Store
from streamer.storage.catalog import Page
from streamer.storage.records import VideoRecord

MAX_WORDS = 12
PAGE_SIZE = 20


@dataclass(frozen=True)
class SearchResult:
    query: str
    words: list[str]
    page: Page[VideoRecord]
    notice: str = ""


async def search(
    store: Store, viewer: Viewer, query: str, cursor: str | None = None, limit: int = PAGE_SIZE
) -> SearchResult:
    """Videos matching every word of `query` (stemmed), that the viewer may see. A query with no letters or
    digits finds nothing and says why; only the first MAX_WORDS words count. Raises InvalidCursor."""
    found = words(query)
    if not found:
        notice = "Type a word to search for." if not query.strip() else "Search for words (letters or digits)."
        return SearchResult(query, [], Page([], None), notice)
    notice = f"Only the first {MAX_WORDS} words were used." if len(found) > MAX_WORDS else ""
    found = found[:MAX_WORDS]
    page = await store.catalog.search(found, viewer.reach, max(1, min(limit, 100)), cursor)
    # The store filters already; this second look is cheap and keeps a title from ever leaking.
    shown = Page([video for video in page.items if viewer.sees(video)], page.cursor)
    return SearchResult(query, found, shown, notice)

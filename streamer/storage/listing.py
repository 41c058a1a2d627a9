"""When a video is listed (home, search, API lists) and how wide its audience is: one rule for both backends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from streamer.storage.records import VideoRecord, VideoStatus, Visibility, utcnow

# Narrowest audience first; a viewer allowed rank r sees everything of rank <= r. Stored as an int on Cassandra,
# where an SAI range query (`audience <= ?`) stands in for the IN / OR that 5.0 cannot index.
AUDIENCE_RANK = {Visibility.PUBLIC: 0, Visibility.MEMBERS: 1, Visibility.DRAFT: 2}
LISTABLE = (Visibility.PUBLIC, Visibility.MEMBERS)


def audience(visibility: Visibility) -> int:
    return AUDIENCE_RANK[Visibility(visibility)]


def visible_up_to(up_to: Visibility) -> tuple[Visibility, ...]:
    """The listable visibilities a viewer allowed `up_to` may see (drafts are never listed)."""
    return tuple(v for v in LISTABLE if AUDIENCE_RANK[v] <= AUDIENCE_RANK[Visibility(up_to)])


def listed(video: VideoRecord) -> bool:
    """Ready to play and not a draft: shown on home pages, in search and in API lists."""
    return video.status == VideoStatus.READY and video.visibility != Visibility.DRAFT


def with_publication(before: VideoRecord, changes: Mapping[str, object]) -> dict[str, object]:
    """`changes`, plus `published_at = now` when they list a video that was never published."""
    after = replace(before, **changes)  # type: ignore[arg-type]
    if listed(after) and after.published_at is None:
        return {**changes, "published_at": utcnow()}
    return dict(changes)


def stamped(video: VideoRecord) -> VideoRecord:
    """A new video that is listed from the start gets its publication time."""
    if listed(video) and video.published_at is None:
        return replace(video, published_at=video.created_at)
    return video

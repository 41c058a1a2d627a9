"""Where a member stands with a video: the resume position and the watch history. Used by the watch page,
and, through AnalyticsProgress, by the catalog for "continue watching" and course progress
(docs/analytics.md, "For other features")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from streamer.catalog.progress import Position, Watched
from streamer.storage.analytics import ResumeRecord
from streamer.storage.base import Store

START_OVER_BEFORE = 5.0
START_OVER_WITHIN_END = 10.0


@dataclass(frozen=True)
class ResumePoint:
    video_id: str
    position: float
    duration: float
    completed: bool
    updated_at: datetime

    @property
    def fraction(self) -> float:
        """How far into the video the member stopped, 0..1."""
        return min(1.0, self.position / self.duration) if self.duration > 0 else 0.0


def _point(record: ResumeRecord) -> ResumePoint:
    return ResumePoint(record.video_id, record.position, record.duration, record.completed, record.updated_at)


async def resume_position(store: Store, user_id: str, video_id: str) -> ResumePoint | None:
    """The member's last known position in the video; None when they never played it (or are anonymous)."""
    record = await store.analytics.resume(user_id, video_id) if user_id else None
    return _point(record) if record else None


async def watch_history(store: Store, user_id: str, limit: int = 50) -> list[ResumePoint]:
    """The videos the member played, most recently played first, at most `limit`."""
    records = await store.analytics.resumes(user_id) if user_id else []
    records.sort(key=lambda record: record.updated_at, reverse=True)
    return [_point(record) for record in records[:limit]]


def start_at(point: ResumePoint | None) -> float:
    """Where the player should start: the resume position, unless it is at the very start or the end."""
    if point is None or point.position < START_OVER_BEFORE:
        return 0.0
    if point.duration and point.position > point.duration - START_OVER_WITHIN_END:
        return 0.0
    return point.position


def _position(point: ResumePoint) -> Position:
    return Position(point.position, point.duration, point.completed)


class AnalyticsProgress:
    """The catalog's ProgressSource (streamer.catalog.progress) over the members' resume positions."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def positions(self, user_id: str, video_ids: Sequence[str]) -> dict[str, Position]:
        """One video: its own lookup. More (a course's lessons): the member's resume positions read at once and
        picked from, rather than one lookup per lesson."""
        if len(video_ids) == 1:
            point = await resume_position(self._store, user_id, video_ids[0])
            return {point.video_id: _position(point)} if point else {}
        wanted = set(video_ids)
        records = await self._store.analytics.resumes(user_id) if user_id and wanted else []
        return {record.video_id: _position(_point(record)) for record in records if record.video_id in wanted}

    async def recent(self, user_id: str, limit: int) -> list[Watched]:
        history = await watch_history(self._store, user_id, limit)
        return [Watched(point.video_id, _position(point), point.updated_at) for point in history]

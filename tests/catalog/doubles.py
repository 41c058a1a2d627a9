"""TEST DOUBLE for what the analytics feature owns: resume positions and watch history (MemoryProgress).
It speaks the protocol the catalog defines in streamer/catalog/progress.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from streamer.catalog.progress import Position, Watched
from streamer.storage.records import utcnow


class MemoryProgress:
    def __init__(self) -> None:
        self._watched: dict[str, dict[str, Watched]] = {}

    def record(self, user_id: str, video_id: str, position_s: float, duration_s: float, finished: bool = False) -> None:
        entries = self._watched.setdefault(user_id, {})
        moment = utcnow() + timedelta(microseconds=len(entries))  # later calls are newer, even within a millisecond
        entries[video_id] = Watched(video_id, Position(position_s, duration_s, finished), moment)

    async def positions(self, user_id: str, video_ids: Sequence[str]) -> dict[str, Position]:
        entries = self._watched.get(user_id, {})
        return {video_id: entries[video_id].position for video_id in video_ids if video_id in entries}

    async def recent(self, user_id: str, limit: int) -> list[Watched]:
        entries = sorted(self._watched.get(user_id, {}).values(), key=lambda w: w.updated_at, reverse=True)
        return entries[:limit]

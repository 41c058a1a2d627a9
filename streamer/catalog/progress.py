"""Where course progress and "continue watching" come from: the analytics feature's resume positions and
watch history, read through this protocol (streamer.analytics.progress.AnalyticsProgress, the app's
`state.progress`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


@dataclass(frozen=True)
class Position:
    position_s: float
    duration_s: float
    finished: bool


@dataclass(frozen=True)
class Watched:
    video_id: str
    position: Position
    updated_at: datetime


class LessonState(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in progress"
    NOT_STARTED = "not started"


class ProgressSource(Protocol):
    async def positions(self, user_id: str, video_ids: Sequence[str]) -> dict[str, Position]:
        """The resume position of each of `video_ids` the user has watched (absent: never started)."""

    async def recent(self, user_id: str, limit: int) -> list[Watched]:
        """The videos the user watched most recently, newest first (finished ones too)."""


def lesson_state(position: Position | None) -> LessonState:
    if position is None:
        return LessonState.NOT_STARTED
    if position.finished:
        return LessonState.DONE
    return LessonState.IN_PROGRESS if position.position_s > 0 else LessonState.NOT_STARTED


def in_progress(position: Position) -> bool:
    return lesson_state(position) == LessonState.IN_PROGRESS

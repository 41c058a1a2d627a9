"""The analytics concern of the store: raw heartbeats, one row per view, resume positions, and the rollups.

Every table is shaped by the query that reads it (see docs/analytics.md, "Storage"):
heartbeats by (video, view day, hour bucket); views by (video, view day); each member's latest view per video;
daily stats, retention and member progress by video, one row per day.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

# Raw heartbeats live in hour buckets counted from midnight (UTC) of the day the view started,
# so everything of one view stays under that day. View tokens live at most a day: 48 buckets suffice.
MAX_BUCKET = 47
RETENTION_POINTS = 100


@dataclass(frozen=True)
class ViewRecord:
    """The latest running totals of one view (a play attempt), as carried by its latest heartbeat."""

    video_id: str
    day: str
    view_id: str
    user_id: str
    viewer_id: str
    started_at: datetime
    updated_at: datetime
    seq: int
    last_event: str
    position: float
    duration: float
    played_ms: int
    stall_ms: int
    stall_count: int
    seeks: int
    startup_ms: int | None
    bitrate_ms: Mapping[int, int]
    upscale_ms: int
    bitrate: int
    rendition_height: int
    player_height: int
    error: str
    ended: bool


@dataclass(frozen=True)
class BeatRecord:
    """One accepted heartbeat: its raw row, and the view row it upserts.

    `stamp` orders writes of one view whatever order they arrive in: microseconds of the view's start plus `seq`.
    `sections` holds (start, end) pairs flattened, in seconds. `index_member`: (re)write the member's index row
    for this view (on a view's first beat, and on its end); a member's plain beat only moves an existing row to
    its view (SQLite), or writes its position into it (Cassandra, which reads resume points from that row alone).
    """

    view: ViewRecord
    bucket: int
    sections: tuple[float, ...]
    ttl_seconds: int
    index_member: bool
    stamp: int


@dataclass(frozen=True)
class BeatSections:
    view_id: str
    sections: tuple[float, ...]


@dataclass(frozen=True)
class ResumeRecord:
    """Where a member is in a video: the position of their latest view of it; `completed` once any view ended."""

    user_id: str
    video_id: str
    position: float
    duration: float
    updated_at: datetime
    view_id: str
    completed: bool


@dataclass(frozen=True)
class DailyStats:
    """One video's figures for one day (UTC), written by the rollup. Sums, so days add up."""

    video_id: str
    day: str
    views: int
    attempts: int
    unique_viewers: int
    playing_ms: int
    watch_ms: int
    completed_views: int
    viewed_points: int
    exits_before_start: int
    failures: int
    stall_ms: int
    stall_count: int
    startup_hist: tuple[int, ...]
    bitrate_weighted: int
    bitrate_ms: int
    upscale_ms: int
    rolled_up_at: datetime


@dataclass(frozen=True)
class RetentionRow:
    """How many of the day's started views watched each of the video's 100 points."""

    video_id: str
    day: str
    views: int
    counts: tuple[int, ...]


@dataclass(frozen=True)
class MemberDay:
    """What one viewer did with one video on one day. `points` is a 100-bit mask of the points watched, as hex."""

    video_id: str
    viewer_id: str
    day: str
    user_id: str
    views: int
    attempts: int
    played_ms: int
    points: str
    completed: bool
    last_seen: datetime


@dataclass(frozen=True)
class ViewerSummary:
    """One video's members, counted by day, for unique viewers over any period ending today (read instead of
    every MemberDay). `last_days`: members by the latest day they had a counted view; `member_days`: members
    with a counted view on each day. Written by the rollup from the video's member days."""

    video_id: str
    last_days: Mapping[str, int]
    member_days: Mapping[str, int]
    rolled_up_at: datetime


@dataclass(frozen=True)
class DayRollup:
    daily: DailyStats
    retention: RetentionRow
    members: list[MemberDay] = field(default_factory=list)


class AnalyticsStore(Protocol):
    async def write_beats(self, beats: Sequence[BeatRecord]) -> None:
        """Write the raw rows, view upserts, member index rows and the day index of `beats`; returns once all
        are durable. Rewriting the same beats is harmless. Raises StoreUnavailable when any write failed."""

    async def views_on(self, video_id: str, day: str) -> list[ViewRecord]:
        """The views of `video_id` that started on `day`."""

    def beat_sections(self, video_id: str, day: str) -> AsyncIterator[list[BeatSections]]:
        """The sections of every stored heartbeat of the views that started on `day`, in pages."""

    async def videos_active_on(self, day: str) -> list[str]:
        """Ids of the videos with at least one view started on `day`."""

    async def resume(self, user_id: str, video_id: str) -> ResumeRecord | None: ...

    async def resumes(self, user_id: str) -> list[ResumeRecord]:
        """Every video `user_id` has a position in, in no particular order."""

    async def put_rollup(self, rollup: DayRollup) -> None:
        """Replace the day's stats, retention and member rows of one video."""

    async def daily(self, video_id: str, first_day: str, last_day: str) -> list[DailyStats]:
        """Days in [first_day, last_day], oldest first."""

    async def retention(self, video_id: str, first_day: str, last_day: str) -> list[RetentionRow]: ...

    async def member_days(self, video_id: str) -> list[MemberDay]: ...

    async def put_viewer_summary(self, summary: ViewerSummary) -> None:
        """Replace the video's viewer summary."""

    async def viewer_summary(self, video_id: str) -> ViewerSummary | None:
        """The video's viewer summary; None until a rollup wrote one."""

    async def purge_beats(self, before: datetime) -> int:
        """Delete raw heartbeats whose TTL ran out before `before` (Cassandra expires them itself: 0)."""

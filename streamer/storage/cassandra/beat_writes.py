"""How a batch of heartbeats becomes Cassandra writes: grouped by partition into unlogged batches.

The driver's per-statement cost, not Cassandra, bounds ingest from one process (see docs/analytics.md),
so beats of the same partition travel together, never a batch spanning partitions. Per batch of beats:
raw rows per (video, day, bucket); the latest beat of each view per (video, day); the member index rows
of views that asked for one (first beat, end) per user; one index row per (day, video).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from cassandra.query import UNSET_VALUE

from streamer.storage.analytics import BeatRecord

Statement = tuple[str, Sequence[Any]]
# Rows of ~200 bytes: a full batch is ~8 KiB, past Cassandra's 5 KiB warning (a log line) and far below
# its 50 KiB limit; bigger batches buy little once the per-request cost is shared by 40 rows.
MAX_BATCH_ROWS = 40

RAW = (
    "INSERT INTO heartbeats (video_id, day, bucket, view_id, seq, received_at, event, position, sections, played_ms,"
    " stall_ms, stall_count, seeks, startup_ms, bitrate, rendition_height, player_height, error)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) USING TTL ?"
)
VIEW_COLUMNS = (
    "video_id, day, view_id, user_id, viewer_id, started_at, updated_at, seq, last_event, position, duration,"
    " played_ms, stall_ms, stall_count, seeks, startup_ms, bitrate_ms, upscale_ms, bitrate, rendition_height,"
    " player_height, error, ended"
)
VIEW = f"INSERT INTO views ({VIEW_COLUMNS}) VALUES ({','.join('?' * 23)}) USING TIMESTAMP ?"
# Written with the view's start as timestamp: the member's latest view wins. `completed` is only ever set.
MEMBER = "INSERT INTO member_videos (user_id, video_id, view_id, day, started_at) VALUES (?,?,?,?,?) USING TIMESTAMP ?"
MEMBER_COMPLETED = (
    "INSERT INTO member_videos (user_id, video_id, view_id, day, started_at, completed)"
    " VALUES (?,?,?,?,?,true) USING TIMESTAMP ?"
)
VIEW_DAY = "INSERT INTO view_days (day, video_id) VALUES (?, ?)"


def _unset_none(value: object) -> object:
    # A null in an INSERT writes a tombstone; an unset value writes nothing.
    return UNSET_VALUE if value is None else value


def raw_statement(beat: BeatRecord) -> Statement:
    view = beat.view
    params = (
        view.video_id,
        view.day,
        beat.bucket,
        view.view_id,
        view.seq,
        view.updated_at,
        view.last_event,
        view.position,
        list(beat.sections),
        view.played_ms,
        view.stall_ms,
        view.stall_count,
        view.seeks,
        _unset_none(view.startup_ms),
        view.bitrate,
        view.rendition_height,
        view.player_height,
        view.error,
        beat.ttl_seconds,
    )
    return RAW, params


def view_statement(beat: BeatRecord) -> Statement:
    view = beat.view
    params = (
        view.video_id,
        view.day,
        view.view_id,
        view.user_id,
        view.viewer_id,
        view.started_at,
        view.updated_at,
        view.seq,
        view.last_event,
        view.position,
        view.duration,
        view.played_ms,
        view.stall_ms,
        view.stall_count,
        view.seeks,
        _unset_none(view.startup_ms),
        dict(view.bitrate_ms),
        view.upscale_ms,
        view.bitrate,
        view.rendition_height,
        view.player_height,
        view.error,
        view.ended,
        beat.stamp,
    )
    return VIEW, params


def member_statement(beat: BeatRecord) -> Statement:
    view = beat.view
    started_us = int(view.started_at.timestamp() * 1_000_000)
    params = (view.user_id, view.video_id, view.view_id, view.day, view.started_at, started_us)
    return (MEMBER_COMPLETED if view.ended else MEMBER), params


def _latest(beats: Iterable[BeatRecord], key: Any) -> list[BeatRecord]:
    latest: dict[Hashable, BeatRecord] = {}
    for beat in beats:
        current = latest.get(key(beat))
        if current is None or beat.stamp > current.stamp:
            latest[key(beat)] = beat
    return list(latest.values())


def _grouped(statements: Iterable[tuple[Hashable, Statement]]) -> list[list[Statement]]:
    partitions: dict[Hashable, list[Statement]] = defaultdict(list)
    for partition, statement in statements:
        partitions[partition].append(statement)
    return [
        rows[start : start + MAX_BATCH_ROWS]
        for rows in partitions.values()
        for start in range(0, len(rows), MAX_BATCH_ROWS)
    ]


def plan(beats: Sequence[BeatRecord]) -> list[list[Statement]]:
    """The writes for `beats`: each inner list targets one partition (one request)."""
    raw = ((("hb", b.view.video_id, b.view.day, b.bucket), raw_statement(b)) for b in beats)
    views = ((("v", b.view.video_id, b.view.day), view_statement(b)) for b in _latest(beats, _view_key))
    indexed = [beat for beat in beats if beat.index_member and beat.view.user_id]
    members = ((("m", b.view.user_id), member_statement(b)) for b in _latest(indexed, _member_key))
    days = {(beat.view.day, beat.view.video_id) for beat in beats}
    index = ((("d", day), (VIEW_DAY, (day, video_id))) for day, video_id in sorted(days))
    return _grouped([*raw, *views, *members, *index])


def _view_key(beat: BeatRecord) -> str:
    return beat.view.view_id


def _member_key(beat: BeatRecord) -> tuple[str, str]:
    return beat.view.user_id, beat.view.video_id

"""How a batch of heartbeats becomes Cassandra writes: few requests, as unlogged batches.

The driver's per-request cost, not Cassandra, bounds ingest from one process (see docs/analytics.md). Per batch
of beats the rows are: raw rows per (video, day, bucket); the latest beat of each view per (video, day); the
latest beat of each member's view per (user, video), with the resume point, per user; one index row per
(day, video).

Rows are grouped by partition. A partition with many rows is one single-partition batch (Cassandra applies it
as one mutation and checks no size threshold on it). Partitions with few rows - the usual case when the beats
of a batch are spread over many videos - are packed together into multi-partition unlogged batches that stay
within Cassandra's default warning thresholds: at most `MAX_PARTITIONS` partitions
(`unlogged_batch_across_partitions_warn_threshold`, 10) and at most `MAX_PACKED_BYTES` of data by a
conservative estimate (`batch_size_warn_threshold`, 5 KiB; far below `batch_size_fail_threshold`, 50 KiB).
Unlogged batches carry no atomicity across partitions, and none is needed: the batch is acknowledged only once
every request of it succeeded, and rewriting any of its rows is harmless.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from cassandra.query import UNSET_VALUE

from streamer.storage.analytics import BeatRecord

Statement = tuple[str, Sequence[Any]]
# Cassandra 5 defaults: a multi-partition batch over 5 KiB (its own measure of the data) or over 10 partitions
# makes the node log a warning on every such request. Measured here: a raw row ~200 bytes, a view row ~590.
MAX_PARTITIONS = 10
MAX_PACKED_BYTES = 4600
# Rows of one partition per request: beyond this a big partition is split (requests stay a few hundred KiB).
MAX_BATCH_ROWS = 200
_CELL_BYTES = 20  # per column: timestamp, TTL and length overheads as Cassandra counts them, rounded up

# The raw row holds what the rollup reads (the view's sections per beat) and what names the beat (seq, event,
# arrival). The running totals it carries are the view row's: repeating them on every raw row made each beat
# twice as costly to write (the driver's cost grows with the values bound) for columns nothing read, so the
# table's other columns (migration 0400) stay empty on Cassandra.
RAW = (
    "INSERT INTO heartbeats (video_id, day, bucket, view_id, seq, received_at, event, sections)"
    " VALUES (?,?,?,?,?,?,?,?) USING TTL ?"
)
VIEW_COLUMNS = (
    "video_id, day, view_id, user_id, viewer_id, started_at, updated_at, seq, last_event, position, duration,"
    " played_ms, stall_ms, stall_count, seeks, startup_ms, bitrate_ms, upscale_ms, bitrate, rendition_height,"
    " player_height, error, ended"
)
VIEW = f"INSERT INTO views ({VIEW_COLUMNS}) VALUES ({','.join('?' * 23)}) USING TIMESTAMP ?"
# The member's index row with their resume point (migration 0420), written by every beat of a member's view (the
# latest of a batch per member and video) USING TIMESTAMP of the beat's stamp (view start in µs + seq), as the view
# row: the latest view, and its highest seq, win. A view's first beat and its end (`index_member`) also write
# `day` and `started_at`, whose presence is what makes the row an index entry; the end sets `completed`, which
# nothing ever clears. Plain beats write just the view and its position.
_MEMBER_COLUMNS = "user_id, video_id, view_id, day, started_at, position, duration, updated_at"
MEMBER = f"INSERT INTO member_videos ({_MEMBER_COLUMNS}) VALUES (?,?,?,?,?,?,?,?) USING TIMESTAMP ?"
MEMBER_COMPLETED = (
    f"INSERT INTO member_videos ({_MEMBER_COLUMNS}, completed) VALUES (?,?,?,?,?,?,?,?,true) USING TIMESTAMP ?"
)
_POSITION = "UPDATE member_videos USING TIMESTAMP ? SET view_id = ?, position = ?, duration = ?, updated_at = ?"
MEMBER_POSITION = f"{_POSITION} WHERE user_id = ? AND video_id = ?"
MEMBER_POSITION_COMPLETED = f"{_POSITION}, completed = true WHERE user_id = ? AND video_id = ?"
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
        list(beat.sections),
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


def member_statement(beat: BeatRecord, index: bool, completed: bool) -> Statement:
    """The member's row from their latest beat of a video: the index form (with `day` and `started_at`) when
    the batch holds a beat that asked for it, `completed` when it holds an end."""
    view = beat.view
    if index:
        params: tuple[Any, ...] = (view.user_id, view.video_id, view.view_id, view.day, view.started_at)
        params += (view.position, view.duration, view.updated_at, beat.stamp)
        return (MEMBER_COMPLETED if completed else MEMBER), params
    params = (beat.stamp, view.view_id, view.position, view.duration, view.updated_at, view.user_id, view.video_id)
    return (MEMBER_POSITION_COMPLETED if completed else MEMBER_POSITION), params


def _member_statements(beats: Iterable[BeatRecord]) -> list[tuple[Hashable, Statement]]:
    """One row per member and video, from the latest of their beats in the batch."""
    groups: dict[tuple[str, str], list[BeatRecord]] = defaultdict(list)
    for beat in beats:
        if beat.view.user_id:
            groups[beat.view.user_id, beat.view.video_id].append(beat)
    statements: list[tuple[Hashable, Statement]] = []
    for (user_id, _), group in groups.items():
        latest = max(group, key=lambda beat: beat.stamp)
        index = any(beat.index_member for beat in group)
        completed = any(beat.view.ended for beat in group)
        statements.append((("m", user_id), member_statement(latest, index, completed)))
    return statements


def _latest(beats: Iterable[BeatRecord], key: Any) -> list[BeatRecord]:
    latest: dict[Hashable, BeatRecord] = {}
    for beat in beats:
        current = latest.get(key(beat))
        if current is None or beat.stamp > current.stamp:
            latest[key(beat)] = beat
    return list(latest.values())


def row_bytes(statement: Statement) -> int:
    """An upper estimate of the data Cassandra counts for one row (batch_size_warn_threshold)."""
    size = 0
    for value in statement[1]:
        if isinstance(value, str):
            size += _CELL_BYTES + len(value)
        elif isinstance(value, list | tuple | dict):
            size += _CELL_BYTES + 16 * len(value)
        else:
            size += _CELL_BYTES + 8
    return size


def _packed(statements: Iterable[tuple[Hashable, Statement]]) -> list[list[Statement]]:
    partitions: dict[Hashable, list[Statement]] = defaultdict(list)
    for partition, statement in statements:
        partitions[partition].append(statement)
    requests: list[list[Statement]] = []
    packing: list[Statement] = []
    packed_partitions = packed_bytes = 0
    for rows in partitions.values():
        size = sum(row_bytes(row) for row in rows)
        if size > MAX_PACKED_BYTES:  # alone: a single-partition batch has no size threshold
            requests.extend(rows[start : start + MAX_BATCH_ROWS] for start in range(0, len(rows), MAX_BATCH_ROWS))
            continue
        if packed_partitions == MAX_PARTITIONS or packed_bytes + size > MAX_PACKED_BYTES:
            requests.append(packing)
            packing, packed_partitions, packed_bytes = [], 0, 0
        packing.extend(rows)
        packed_partitions, packed_bytes = packed_partitions + 1, packed_bytes + size
    if packing:
        requests.append(packing)
    return requests


def plan(beats: Sequence[BeatRecord]) -> list[list[Statement]]:
    """The writes for `beats`, one inner list per request (an unlogged batch, or one statement)."""
    raw = ((("hb", b.view.video_id, b.view.day, b.bucket), raw_statement(b)) for b in beats)
    views = ((("v", b.view.video_id, b.view.day), view_statement(b)) for b in _latest(beats, _view_key))
    members = _member_statements(beats)
    days = {(beat.view.day, beat.view.video_id) for beat in beats}
    index = ((("d", day), (VIEW_DAY, (day, video_id))) for day, video_id in sorted(days))
    return _packed([*raw, *views, *members, *index])


def _view_key(beat: BeatRecord) -> str:
    return beat.view.view_id

"""From an accepted beat and its token's claims to the BeatRecord the store writes."""

from __future__ import annotations

from datetime import datetime, timedelta

from streamer.analytics.policy import IngestPolicy
from streamer.analytics.protocol import Beat, Event
from streamer.analytics.tokens import ViewClaims
from streamer.storage.analytics import MAX_BUCKET, BeatRecord, ViewRecord


def day_of(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def viewer_of(claims: ViewClaims) -> str:
    """Members are themselves; each anonymous view counts as its own viewer."""
    return claims.user_id or f"anon:{claims.view_id}"


def _bucket(started: datetime, received: datetime) -> int:
    midnight = started.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(0, min(MAX_BUCKET, int((received - midnight) / timedelta(hours=1))))


def _indexes_member(beat: Beat, first_seen: bool) -> bool:
    """A member's index row points at their latest view: write it when a view starts (or is first seen by
    this process, in case its start beat went elsewhere) and when it ends; plain beats never do."""
    return first_seen or beat.event in (Event.START, Event.END)


def beat_record(
    beat: Beat, claims: ViewClaims, received: datetime, policy: IngestPolicy, first_seen: bool = False
) -> BeatRecord:
    started = claims.issued_at
    view = ViewRecord(
        video_id=claims.video_id,
        day=day_of(started),
        view_id=claims.view_id,
        user_id=claims.user_id,
        viewer_id=viewer_of(claims),
        started_at=started,
        updated_at=received,
        seq=beat.seq,
        last_event=beat.event.value,
        position=min(beat.position, beat.duration),
        duration=beat.duration,
        played_ms=beat.played_ms,
        stall_ms=beat.stall_ms,
        stall_count=beat.stall_count,
        seeks=beat.seeks,
        startup_ms=beat.startup_ms,
        bitrate_ms=beat.bitrate_ms,
        upscale_ms=beat.upscale_ms,
        bitrate=beat.bitrate,
        rendition_height=beat.rendition_height,
        player_height=beat.player_height,
        error=beat.error,
        ended=beat.ended,
    )
    return BeatRecord(
        view=view,
        bucket=_bucket(started, received),
        sections=beat.sections,
        ttl_seconds=policy.raw_ttl_seconds,
        index_member=bool(claims.user_id) and _indexes_member(beat, first_seen),
        stamp=claims.issued_ms * 1000 + beat.seq,
    )

"""Is a well-formed beat believable for its view? Time only moves so fast: a view cannot have played,
stalled or watched more than the wall time since its token was issued allows."""

from __future__ import annotations

from streamer.analytics.errors import InvalidBeat
from streamer.analytics.policy import IngestPolicy
from streamer.analytics.protocol import Beat
from streamer.analytics.tokens import ViewClaims


def check_plausible(
    beat: Beat, claims: ViewClaims, now_ms: int, acknowledged_ms: int | None, policy: IngestPolicy
) -> None:
    """Raises InvalidBeat naming the first rule `beat` breaks.

    `acknowledged_ms`: when this view's previous beat was acknowledged, if known; the sections of a beat
    cover the time since then (or since the view started).
    """
    if beat.view != claims.view_id:
        raise InvalidBeat("the view token belongs to another view")
    if claims.duration_ms and beat.duration * 1000 > claims.duration_ms + policy.slack_ms:
        raise InvalidBeat("'duration' is longer than the video")
    elapsed_ms = now_ms - claims.issued_ms + policy.slack_ms
    if beat.played_ms + beat.stall_ms > elapsed_ms:
        raise InvalidBeat("'played_ms' + 'stall_ms' exceed the time since the view started")
    if (beat.startup_ms or 0) > elapsed_ms:
        raise InvalidBeat("'startup_ms' exceeds the time since the view started")
    window_ms = now_ms - (claims.issued_ms if acknowledged_ms is None else acknowledged_ms)
    if beat.section_seconds * 1000 > window_ms * policy.max_playback_rate + policy.slack_ms:
        raise InvalidBeat("the sections watched exceed the elapsed time × the fastest playback rate")
    if sum(beat.bitrate_ms.values()) > beat.played_ms + policy.slack_ms:
        raise InvalidBeat("'bitrate_ms' adds up to more than 'played_ms'")
    if beat.upscale_ms > beat.played_ms + policy.slack_ms:
        raise InvalidBeat("'upscale_ms' exceeds 'played_ms'")

"""Valid heartbeats and view tokens for tests, signed with the test settings' secret key."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from typing import Any

from streamer.analytics.policy import IngestPolicy
from streamer.analytics.protocol import parse_beat
from streamer.analytics.records import beat_record
from streamer.analytics.tokens import ViewClaims, issue_view_token, view_key
from streamer.storage.base import Store
from streamer.storage.records import new_id

SECRET = "insecure-development-key-change-me"
KEY = view_key(SECRET)


def claims_for(video_id: str = "", user_id: str = "", *, age: float = 60.0, duration: float = 120.0) -> ViewClaims:
    """Claims of a view that started `age` seconds ago."""
    issued_ms = int((time.time() - age) * 1000)
    return ViewClaims(new_id(), video_id or new_id(), user_id, issued_ms, int(duration * 1000))


def beat_body(claims: ViewClaims, seq: int = 1, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "view": claims.view_id,
        "token": issue_view_token(KEY, claims),
        "seq": seq,
        "event": "hb",
        "position": 12.0,
        "duration": claims.duration or 120.0,
        "sections": [[2.0, 12.0]],
        "played_ms": 10_000,
        "stall_ms": 250,
        "stall_count": 1,
        "seeks": 0,
        "startup_ms": 400,
        "bitrate_ms": {"800000": 10_000},
        "bitrate": 800_000,
        "rendition_height": 360,
        "player_height": 540,
        "upscale_ms": 10_000,
        "ended": False,
        "error": None,
        "hidden": False,
    }
    return body | fields


def encoded(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode()


async def store_view(
    store: Store, video_id: str, user_id: str, position: float, duration: float, at: datetime, ended: bool = False
) -> None:
    """A view watched from 0 to `position` and paused there (or played to its end), stored as the ingest
    stores it: a start beat and a pause or end beat, received at `at`."""
    claims = ViewClaims(new_id(), video_id, user_id, int((at - timedelta(minutes=5)).timestamp() * 1000), 0)
    last = {"event": "end", "ended": True} if ended else {"event": "pause"}
    watched = {"position": position, "sections": [[0.0, position]], "played_ms": int(position * 1000)}
    beats = [{"event": "start", "position": 0.0, "sections": [], "played_ms": 0}, watched | last]
    quiet = {"duration": duration, "bitrate_ms": {}, "upscale_ms": 0, "stall_ms": 0, "stall_count": 0}
    records = [
        beat_record(
            parse_beat(encoded(beat_body(claims, seq, **quiet, **fields))), claims, at, IngestPolicy(), seq == 1
        )
        for seq, fields in enumerate(beats, start=1)
    ]
    await store.analytics.write_beats(records)

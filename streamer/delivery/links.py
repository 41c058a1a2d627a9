"""Playback links for one viewer: a signed prefix whose lifetime follows the video's duration.

Why the lifetime follows the duration (instead of the player swapping in fresh links before expiry): every HLS
client then keeps working — hls.js, Safari's native player, ffmpeg, VLC — because none of them has to learn a
new prefix mid-stream. A link lives `link_ttl` plus `link_duration_factor` × the duration (room to pause and
seek), rounded up to signing.EXPIRY_STEP so repeated page loads get the same URLs and the browser cache holds.
A viewer who comes back after that asks the app again, which re-checks their right to watch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from streamer import signing
from streamer.settings import Settings
from streamer.storage.records import VideoRecord

MASTER = "master.m3u8"
POSTER = "poster.jpg"
THUMBNAILS = "thumbnails.vtt"


@dataclass(frozen=True)
class Playback:
    master_url: str
    expires_at: datetime
    poster_url: str
    thumbnails_url: str

    def as_json(self) -> dict[str, str]:
        return {
            "master_url": self.master_url,
            "expires_at": self.expires_at.isoformat().replace("+00:00", "Z"),
            "poster_url": self.poster_url,
            "thumbnails_url": self.thumbnails_url,
        }


def lifetime(settings: Settings, duration: float) -> float:
    """Seconds a link for a video of `duration` seconds stays valid (before rounding up)."""
    return settings.link_ttl + settings.link_duration_factor * max(0.0, duration)


def expiry(settings: Settings, duration: float, now: float) -> int:
    return signing.round_expiry(now + lifetime(settings, duration))


def playback(settings: Settings, video: VideoRecord, client_ip: str | None, now: float) -> Playback:
    """Signed URLs for `video`, bound to `client_ip` when links are IP-bound. Raises signing.InvalidLink."""
    expires = expiry(settings, video.duration, now)
    bound = client_ip if settings.link_bind_ip else None
    base = public_base(settings) + signing.signed_prefix(
        video.id, expires, signing.link_secret(settings.secret_key), bound
    )
    return Playback(
        master_url=base + MASTER,
        expires_at=datetime.fromtimestamp(expires, UTC),
        poster_url=base + POSTER,
        thumbnails_url=base + THUMBNAILS,
    )


def public_base(settings: Settings) -> str:
    return settings.public_url.rstrip("/")

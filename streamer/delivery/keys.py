"""AES-128 keys for HLS: one random key per encrypted video, kept outside the folder nginx serves.

The playlists name the key by `key_uri(video_id)` (`/api/videos/<id>/key`), which the app answers only to a
session that may watch the video. The key file itself lives in `<media_root>/keys/`, never under `hls/`.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from streamer import signing
from transcoder import KeyInfo

KEY_BYTES = 16


def key_uri(video_id: str) -> str:
    return f"/api/videos/{video_id}/key"


def key_path(media_root: Path, video_id: str) -> Path:
    if not signing.is_video_id(video_id):
        raise signing.InvalidLink(f"video id {video_id!r} cannot name a key")
    return media_root / "keys" / f"{video_id}.key"


def create_key(media_root: Path, video_id: str) -> KeyInfo:
    """Write a fresh random key for `video_id` (mode 0600); returns what `transcoder.transcode(encryption=…)`
    needs. Raises signing.InvalidLink for an id that cannot be part of a link."""
    path = key_path(media_root, video_id)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as key_file:
        key_file.write(secrets.token_bytes(KEY_BYTES))
    return KeyInfo(key_uri=key_uri(video_id), key_path=path, iv_hex=secrets.token_hex(KEY_BYTES))


def read_key(media_root: Path, video_id: str) -> bytes | None:
    """The key of an encrypted video; None when the video is not encrypted (or the id is not a video id)."""
    try:
        return key_path(media_root, video_id).read_bytes()
    except (OSError, signing.InvalidLink):
        return None

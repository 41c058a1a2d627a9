"""Who may watch a video. Pure decisions over records: no store, no web."""

from __future__ import annotations

from streamer.accounts.roles import Role
from streamer.storage.records import VideoRecord


class WatchForbidden(Exception):
    """The user may not watch this video."""


class VideoNotReady(Exception):
    """The video has no playable HLS output yet (uploading, queued, processing or failed)."""


def may_watch(user_id: str, role: str, video: VideoRecord) -> bool:
    """The owner and admins may watch. Memberships extend this: an active member of the video's course too."""
    return user_id == video.owner_id or role == Role.ADMIN

"""May this user watch this video now? The video must exist and be visible to them (a draft: its owner and
admins only), they must have access (a public video: anyone; otherwise memberships decides: owners,
instructors, admins, and members whose active plan covers it), and it must be ready to play."""

from __future__ import annotations

from streamer.catalog.visibility import Viewer
from streamer.memberships.access import has_access
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.errors import NotFound
from streamer.storage.records import VideoRecord, VideoStatus, Visibility


class WatchForbidden(Exception):
    """The user may not watch this video."""


class VideoNotReady(Exception):
    """The video has no playable HLS output yet (uploading, queued, processing or failed)."""


async def visible(store: Store, user_id: str | None, role: str, video_id: str) -> VideoRecord:
    """The video unless it is missing or someone else's draft (NotFound: nobody learns a draft exists)."""
    video = await store.videos.get(video_id)
    if video is None or (video.visibility == Visibility.DRAFT and not Viewer(user_id, role).may_edit(video)):
        raise NotFound(f"video {video_id}")
    return video


async def watchable(store: Store, settings: Settings, user_id: str, role: str, video_id: str) -> VideoRecord:
    """The video, if this user may watch it now. Raises NotFound, WatchForbidden or VideoNotReady (in that
    order, so nobody learns the state of a video they may not watch)."""
    video = await visible(store, user_id, role, video_id)
    if video.visibility != Visibility.PUBLIC and not await has_access(store, settings, user_id, role, video):
        raise WatchForbidden(video_id)
    if video.status != VideoStatus.READY:
        raise VideoNotReady(video_id)
    return video

"""Playback for a viewer: signed URLs (`/api/videos/{id}/playback`) and AES-128 keys (`/api/videos/{id}/key`).

Both answer only a logged-in user who may watch, and are never cached (`no-store`).
"""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from streamer.catalog import access
from streamer.catalog.access import VideoNotReady, WatchForbidden
from streamer.delivery import keys, links
from streamer.delivery.effective import EffectiveSettings
from streamer.settings import Settings
from streamer.storage.errors import NotFound
from streamer.storage.records import VideoRecord
from streamer.web.errors import register
from streamer.web.guards import login_required

NO_STORE = {"Cache-Control": "no-store"}

register(WatchForbidden, 403, "You may not watch this video.")
register(VideoNotReady, 409, "This video is not ready to play yet.")


def delivery_settings(request: Request) -> EffectiveSettings:
    """The app's EffectiveSettings, made on first use."""
    state = request.app.state
    if not hasattr(state, "delivery_settings"):
        state.delivery_settings = EffectiveSettings(state.settings, state.store)
    current: EffectiveSettings = state.delivery_settings
    return current


async def watchable(request: Request) -> VideoRecord:
    """The video named in the path if the user may watch it now. Raises NotFound, WatchForbidden, VideoNotReady."""
    state = request.app.state
    return await access.watchable(
        state.store, state.settings, request.user.id, request.user.role, request.path_params["video_id"]
    )


@login_required
async def playback(request: Request) -> Response:
    video = await watchable(request)
    settings = await delivery_settings(request).get()
    client_ip = request.client.host if request.client else None
    signed = links.playback(settings, video, client_ip, time.time())
    return JSONResponse(signed.as_json(), headers=NO_STORE)


@login_required
async def key(request: Request) -> Response:
    video = await watchable(request)
    settings: Settings = request.app.state.settings
    secret = keys.read_key(settings.media_root, video.id)
    if secret is None:
        raise NotFound(f"key of video {video.id}")
    return Response(secret, media_type="application/octet-stream", headers=NO_STORE)


routes = [
    Route("/api/videos/{video_id}/playback", playback, methods=["GET"]),
    Route("/api/videos/{video_id}/key", key, methods=["GET"]),
]

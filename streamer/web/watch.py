"""GET /watch/{video_id}: the player page. It carries a fresh view id and its signed view token, the resume
position, and where to ask for the signed playback URLs (`sources_url`: GET /api/videos/{id}/playback, which
decides access: the player shows its refusal). hls.js comes from streamer.web.vendor."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from streamer.analytics.progress import resume_position, start_at
from streamer.analytics.tokens import ViewClaims, issue_view_token, view_key
from streamer.catalog.access import visible
from streamer.settings import Settings
from streamer.storage.records import VideoRecord, new_id
from streamer.web.analytics_view import clock
from streamer.web.guards import login_required
from streamer.web.heartbeat import HEARTBEAT_PATH
from streamer.web.templating import templates


def sources_url(video_id: str) -> str:
    """Where the player asks for the URLs it plays (static/js/sources.js): the delivery feature's playback
    endpoint, answering signed nginx links. The one place, with sources.js, to change the player's source."""
    return f"/api/videos/{video_id}/playback"


def watch_config(settings: Settings, video: VideoRecord, user_id: str, start: float) -> dict[str, object]:
    claims = ViewClaims(new_id(), video.id, user_id, int(time.time() * 1000), int(video.duration * 1000))
    return {
        "video_id": video.id,
        "view_id": claims.view_id,
        "view_token": issue_view_token(view_key(settings.secret_key), claims),
        "heartbeat_url": HEARTBEAT_PATH,
        "heartbeat_interval": settings.analytics_heartbeat_interval,
        "min_beat_spacing": settings.analytics_min_beat_spacing,
        "sources_url": sources_url(video.id),
        "duration": video.duration,
        "start_at": start,
    }


@login_required
async def watch(request: Request) -> Response:
    store = request.app.state.store
    video = await visible(store, request.user.id, request.user.role, request.path_params["video_id"])
    start = start_at(await resume_position(store, request.user.id, video.id))
    context = {
        "video": video,
        "config": watch_config(request.app.state.settings, video, request.user.id, start),
        "start_at": start,
        "start_text": clock(start),
        "duration_text": clock(video.duration),
    }
    return templates.TemplateResponse(request, "watch.html", context, headers={"Cache-Control": "no-store"})


routes: list[BaseRoute] = [
    Route("/watch/{video_id}", watch),
]

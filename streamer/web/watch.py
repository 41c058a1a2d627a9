"""GET /watch/{video_id}: the player page for every video. It carries a fresh view id and its signed view token,
the resume position, and the course it was opened from (`?course=ID`, for the next-lesson link).

A video we host plays through hls.js from signed URLs the player asks for (`sources_url`: GET
/api/videos/{id}/playback, which decides access: the player shows its refusal). A video on YouTube, Vimeo or
Wistia plays in its host's player (templates/catalog/external_player.html) and asks for no URLs, so the page
itself makes the same access decision first. Both report heartbeats with the view token."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from streamer.analytics.progress import resume_position, start_at
from streamer.analytics.tokens import ViewClaims, issue_view_token, view_key
from streamer.catalog.access import visible, watchable
from streamer.settings import Settings
from streamer.storage.records import VideoRecord, new_id
from streamer.web.analytics_view import clock
from streamer.web.catalog import external_player_context
from streamer.web.guards import login_required
from streamer.web.heartbeat import HEARTBEAT_PATH
from streamer.web.templating import templates
from streamer.web.watch_course import CourseContext, course_context


def sources_url(video_id: str) -> str:
    """Where the player asks for the URLs it plays (static/js/sources.js): the delivery feature's playback
    endpoint, answering signed nginx links. The one place, with sources.js, to change the player's source."""
    return f"/api/videos/{video_id}/playback"


def watch_config(
    settings: Settings, video: VideoRecord, user_id: str, start: float, course: CourseContext | None
) -> dict[str, object]:
    """The player's config. The view token carries the duration the store knows, 0 (unknown) for most videos
    on external hosts: their beats carry the duration the host's player reports."""
    claims = ViewClaims(new_id(), video.id, user_id, int(time.time() * 1000), int(video.duration * 1000))
    return {
        "video_id": video.id,
        "view_id": claims.view_id,
        "view_token": issue_view_token(view_key(settings.secret_key), claims),
        "heartbeat_url": HEARTBEAT_PATH,
        "heartbeat_interval": settings.analytics_heartbeat_interval,
        "min_beat_spacing": settings.analytics_min_beat_spacing,
        "sources_url": None if video.external_host else sources_url(video.id),
        "duration": video.duration,
        "start_at": start,
        "course_id": course.id if course else None,
    }


async def _video(request: Request) -> VideoRecord:
    """Raises NotFound (missing, someone else's draft) and, for an external video, WatchForbidden."""
    state, user = request.app.state, request.user
    video = await visible(state.store, user.id, user.role, request.path_params["video_id"])
    if video.external_host:
        return await watchable(state.store, state.settings, user.id, user.role, video.id)
    return video


@login_required
async def watch(request: Request) -> Response:
    video = await _video(request)
    start = start_at(await resume_position(request.app.state.store, request.user.id, video.id))
    course = await course_context(request, video.id)
    context = {
        "video": video,
        "course": course,
        "external": None,
        "config": watch_config(request.app.state.settings, video, request.user.id, start, course),
        "start_at": start,
        "start_text": clock(start),
        "duration_text": clock(video.duration),
    }
    if video.external_host:
        context |= external_player_context(video, start, course.id if course else None)
    return templates.TemplateResponse(request, "watch.html", context, headers={"Cache-Control": "no-store"})


routes: list[BaseRoute] = [
    Route("/watch/{video_id}", watch),
]

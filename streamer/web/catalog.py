"""Catalog pages members browse: home, video details, courses, search."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from streamer.catalog import courses, home, search
from streamer.catalog.details import visible_video
from streamer.catalog.errors import MembersOnly
from streamer.catalog.external import external_source
from streamer.catalog.markdown import render
from streamer.catalog.progress import lesson_state
from streamer.storage.records import VideoRecord
from streamer.web import catalog_studio
from streamer.web.catalog_context import members_only, path_id, progress_of, query_cursor, store_of, viewer_of
from streamer.web.templating import templates


def external_player_context(video: VideoRecord, resume_s: float = 0.0, course_id: str | None = None) -> dict[str, Any]:
    """What templates/catalog/external_player.html needs; for the watch page, after its access check.
    Raises ValueError for a video we host (those play through hls.js)."""
    source = external_source(video)
    if source is None:
        raise ValueError(f"video {video.id} is not on an external host")
    return {"video": video, "external": source, "resume_s": round(max(0.0, resume_s), 1), "course_id": course_id}


async def home_page(request: Request) -> Response:
    viewer = await viewer_of(request)
    page = await home.home(store_of(request), progress_of(request), viewer)
    return templates.TemplateResponse(request, "catalog/home.html", {"home": page, "viewer": viewer})


async def video_page(request: Request) -> Response:
    viewer = await viewer_of(request)
    try:
        video = await visible_video(store_of(request), viewer, path_id(request))
    except MembersOnly:
        return members_only(request, viewer)
    positions = await progress_of(request).positions(viewer.id, [video.id]) if viewer.id else {}
    context = {
        "video": video,
        "viewer": viewer,
        "description_html": render(video.description),
        "external": external_source(video),
        "state": lesson_state(positions.get(video.id)),
    }
    return templates.TemplateResponse(request, "catalog/video.html", context)


async def courses_page(request: Request) -> Response:
    viewer = await viewer_of(request)
    listed = await courses.visible_courses(store_of(request), viewer)
    return templates.TemplateResponse(request, "catalog/courses.html", {"courses": listed})


async def course_page(request: Request) -> Response:
    viewer = await viewer_of(request)
    store = store_of(request)
    try:
        course = await courses.visible_course(store, viewer, path_id(request))
    except MembersOnly:
        return members_only(request, viewer)
    view = await courses.course_view(store, progress_of(request), viewer, course)
    context = {"view": view, "viewer": viewer, "description_html": render(course.description)}
    return templates.TemplateResponse(request, "catalog/course.html", context)


async def search_page(request: Request) -> Response:
    viewer = await viewer_of(request)
    query = request.query_params.get("q", "")
    result = await search.search(store_of(request), viewer, query, query_cursor(request))
    return templates.TemplateResponse(request, "catalog/search.html", {"result": result})


routes: list[BaseRoute] = [
    Route("/", home_page),
    Route("/videos/{id}", video_page),
    Route("/courses", courses_page),
    Route("/courses/{id}", course_page),
    Route("/search", search_page),
    *catalog_studio.routes,
]

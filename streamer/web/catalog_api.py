"""The catalog as JSON under /api, with the same visibility rules as the pages."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from streamer.catalog import courses, home, search
from streamer.catalog.courses import CourseView, Lesson
from streamer.catalog.details import visible_video
from streamer.catalog.errors import MembersOnly
from streamer.catalog.external import external_source
from streamer.catalog.markdown import render
from streamer.catalog.visibility import Viewer
from streamer.storage.catalog import Page
from streamer.storage.records import CourseRecord, VideoRecord
from streamer.web.catalog_context import path_id, progress_of, query_cursor, store_of, viewer_of

PAGE_SIZE = 20


def video_json(video: VideoRecord) -> dict[str, Any]:
    source = external_source(video)
    return {
        "id": video.id,
        "title": video.title,
        "description": video.description,
        "description_html": render(video.description),
        "tags": list(video.tags),
        "language": video.language,
        "visibility": video.visibility.value,
        "status": video.status.value,
        "duration": video.duration,
        "published_at": video.published_at.isoformat() if video.published_at else None,
        "owner_id": video.owner_id,
        "external": {"host": source.host, "id": source.id, "url": source.url} if source else None,
        "links": {"page": f"/videos/{video.id}", "watch": f"/watch/{video.id}"},
    }


def course_json(course: CourseRecord) -> dict[str, Any]:
    return {
        "id": course.id,
        "title": course.title,
        "description": course.description,
        "description_html": render(course.description),
        "visibility": course.visibility.value,
        "cover_video_id": course.cover_video_id or (course.video_ids[0] if course.video_ids else None),
        "owner_id": course.owner_id,
        "version": course.version,
        "links": {"page": f"/courses/{course.id}"},
    }


def lesson_json(lesson: Lesson) -> dict[str, Any]:
    if lesson.video is None:
        return {"locked": True, "state": lesson.state.value}
    position = lesson.position.position_s if lesson.position else 0.0
    return {"locked": False, "state": lesson.state.value, "position": position, "video": video_json(lesson.video)}


def course_view_json(view: CourseView) -> dict[str, Any]:
    upcoming = view.next_lesson
    return {
        **course_json(view.course),
        "lessons": [lesson_json(lesson) for lesson in view.lessons],
        "continue": upcoming.video_id if upcoming else None,
    }


def page_json(page: Page[VideoRecord]) -> dict[str, Any]:
    return {"items": [video_json(video) for video in page.items], "cursor": page.cursor}


def _denied(viewer: Viewer, error: MembersOnly) -> HTTPException:
    return HTTPException(401, "Log in to continue.") if viewer.is_anonymous else HTTPException(403, str(error))


async def api_home(request: Request) -> Response:
    viewer = await viewer_of(request)
    page = await home.home(store_of(request), progress_of(request), viewer)
    resume = [{"position": r.position.position_s, "video": video_json(r.video)} for r in page.continue_watching]
    return JSONResponse(
        {
            "continue_watching": resume,
            "courses": [course_json(course) for course in page.courses],
            "newest": [video_json(video) for video in page.newest],
            "signed_in": not viewer.is_anonymous,
        }
    )


async def api_videos(request: Request) -> Response:
    viewer = await viewer_of(request)
    page = await store_of(request).catalog.newest(viewer.reach, PAGE_SIZE, query_cursor(request))
    return JSONResponse(page_json(Page([v for v in page.items if viewer.sees(v)], page.cursor)))


async def api_video(request: Request) -> Response:
    viewer = await viewer_of(request)
    try:
        video = await visible_video(store_of(request), viewer, path_id(request))
    except MembersOnly as error:
        raise _denied(viewer, error) from None
    return JSONResponse(video_json(video))


async def api_courses(request: Request) -> Response:
    listed = await courses.visible_courses(store_of(request), await viewer_of(request))
    return JSONResponse({"items": [course_json(course) for course in listed]})


async def api_course(request: Request) -> Response:
    viewer = await viewer_of(request)
    store = store_of(request)
    try:
        course = await courses.visible_course(store, viewer, path_id(request))
    except MembersOnly as error:
        raise _denied(viewer, error) from None
    return JSONResponse(course_view_json(await courses.course_view(store, progress_of(request), viewer, course)))


async def api_next_lesson(request: Request) -> Response:
    """The lesson to offer when `after` ends, or {"next": null} at the end of the course."""
    viewer = await viewer_of(request)
    after = request.query_params.get("after", "")
    try:
        lesson = await courses.lesson_after(store_of(request), progress_of(request), viewer, path_id(request), after)
    except MembersOnly as error:
        raise _denied(viewer, error) from None
    return JSONResponse({"next": lesson_json(lesson) if lesson else None}, headers={"Cache-Control": "no-store"})


async def api_search(request: Request) -> Response:
    viewer = await viewer_of(request)
    result = await search.search(store_of(request), viewer, request.query_params.get("q", ""), query_cursor(request))
    return JSONResponse(
        {"query": result.query, "words": result.words, "notice": result.notice, **page_json(result.page)}
    )


routes: list[BaseRoute] = [
    Route("/api/home", api_home),
    Route("/api/videos", api_videos),
    Route("/api/videos/{id}", api_video),
    Route("/api/courses", api_courses),
    Route("/api/courses/{id}", api_course),
    Route("/api/courses/{id}/next", api_next_lesson),
    Route("/api/search", api_search),
]

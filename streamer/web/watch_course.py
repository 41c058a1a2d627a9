"""The course a watch page was opened from (`?course=ID`): its title and the lesson's place in it."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from streamer.catalog import courses
from streamer.catalog.errors import MembersOnly
from streamer.storage.errors import NotFound
from streamer.web.catalog_context import progress_of, store_of, viewer_of


@dataclass(frozen=True)
class CourseContext:
    id: str
    title: str
    number: int
    total: int


async def course_context(request: Request, video_id: str) -> CourseContext | None:
    """None without `?course=`, or when the course is unknown, not the viewer's to see, or has no such lesson:
    the video still plays, without the course around it."""
    course_id = request.query_params.get("course")
    if not course_id:
        return None
    viewer = await viewer_of(request)
    try:
        course = await courses.visible_course(store_of(request), viewer, course_id)
    except (NotFound, MembersOnly):
        return None
    view = await courses.course_view(store_of(request), progress_of(request), viewer, course)
    ids = [lesson.video_id for lesson in view.lessons]
    if video_id not in ids:
        return None
    return CourseContext(course.id, course.title, ids.index(video_id) + 1, len(ids))

"""Courses: an ordered list of lessons (videos), with each viewer's progress through them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from streamer.accounts.roles import Role, at_least
from streamer.catalog.details import parse_description, parse_title, parse_visibility
from streamer.catalog.errors import InvalidInput, MembersOnly, NotAllowed, StaleCourse
from streamer.catalog.progress import LessonState, Position, ProgressSource, lesson_state
from streamer.catalog.visibility import Viewer
from streamer.storage.base import Store
from streamer.storage.catalog import StaleVersion
from streamer.storage.errors import NotFound
from streamer.storage.records import CourseRecord, VideoRecord, Visibility, new_id, utcnow

LESSONS_MAX = 500
STALE = "This course changed since you opened it (a lesson was added, removed or moved). Reload and try again."


@dataclass(frozen=True)
class Lesson:
    """One entry of a course as a viewer sees it: `video` is None when it is locked (members only)."""

    video_id: str
    video: VideoRecord | None
    state: LessonState
    position: Position | None = None

    @property
    def locked(self) -> bool:
        return self.video is None


@dataclass(frozen=True)
class CourseView:
    course: CourseRecord
    lessons: list[Lesson]

    @property
    def next_lesson(self) -> Lesson | None:
        """Where "continue" goes: the first unfinished lesson the viewer may watch."""
        return next((x for x in self.lessons if not x.locked and x.state != LessonState.DONE), None)

    @property
    def done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.state == LessonState.DONE)


def parse_course(form: Mapping[str, str]) -> dict[str, object]:
    """Course fields from a form (absent fields are left alone). Raises InvalidInput."""
    errors: dict[str, str] = {}
    changes: dict[str, object] = {}
    if "title" in form:
        changes["title"] = parse_title(str(form["title"]), errors)
    if "description" in form:
        changes["description"] = parse_description(str(form["description"]), errors)
    if "visibility" in form:
        changes["visibility"] = parse_visibility(str(form["visibility"]), errors)
    if "cover_video_id" in form:
        changes["cover_video_id"] = str(form["cover_video_id"]).strip()[:64]
    if errors:
        raise InvalidInput(errors)
    return changes


async def create_course(store: Store, viewer: Viewer, form: Mapping[str, str]) -> CourseRecord:
    if viewer.id is None or not at_least(viewer.role or "", Role.INSTRUCTOR):
        raise NotAllowed("Only instructors create courses.")
    changes = parse_course({"title": "", **form})
    now = utcnow()
    course = replace(
        CourseRecord(id=new_id(), owner_id=viewer.id, title="", created_at=now, updated_at=now),
        **changes,  # type: ignore[arg-type]
    )
    await store.courses.create(course)
    return course


async def visible_course(store: Store, viewer: Viewer, course_id: str) -> CourseRecord:
    """Raises NotFound (missing, or someone else's draft) or MembersOnly."""
    course = await store.courses.get(course_id)
    if course is None or not (viewer.sees(course) or course.visibility == Visibility.MEMBERS):
        raise NotFound(f"course {course_id}")
    if not viewer.sees(course):
        raise MembersOnly("This course is for members.")
    return course


async def editable_course(store: Store, viewer: Viewer, course_id: str) -> CourseRecord:
    course = await visible_course(store, viewer, course_id)
    if not viewer.may_edit(course):
        raise NotAllowed("Only the course's owner or an admin may change it.")
    return course


async def _write(store: Store, course: CourseRecord, changes: Mapping[str, object], version: int) -> CourseRecord:
    if version != course.version:
        raise StaleCourse(STALE)
    try:
        return await store.courses.update(course.id, changes, version)
    except StaleVersion:
        raise StaleCourse(STALE) from None


async def update_course(
    store: Store, viewer: Viewer, course_id: str, form: Mapping[str, str], version: int
) -> CourseRecord:
    course = await editable_course(store, viewer, course_id)
    changes = parse_course(form)
    if not changes:
        raise InvalidInput({"form": "Nothing to change."})
    if changes.get("cover_video_id") and changes["cover_video_id"] not in course.video_ids:
        raise InvalidInput({"cover_video_id": "The cover is the poster of one of the course's lessons."})
    return await _write(store, course, changes, version)


async def add_lesson(store: Store, viewer: Viewer, course_id: str, video_id: str, version: int) -> CourseRecord:
    """Append one of the viewer's own videos (admins: any). Raises InvalidInput, StaleCourse, NotAllowed."""
    course = await editable_course(store, viewer, course_id)
    video = await store.videos.get(video_id)
    if video is None or not viewer.may_edit(video):
        raise InvalidInput({"video_id": "Choose one of your own videos."})
    if video_id in course.video_ids:
        raise InvalidInput({"video_id": "That video is already a lesson of this course."})
    if len(course.video_ids) >= LESSONS_MAX:
        raise InvalidInput({"video_id": f"A course holds at most {LESSONS_MAX} lessons."})
    return await _write(store, course, {"video_ids": (*course.video_ids, video_id)}, version)


async def remove_lesson(store: Store, viewer: Viewer, course_id: str, video_id: str, version: int) -> CourseRecord:
    course = await editable_course(store, viewer, course_id)
    if video_id not in course.video_ids:
        raise StaleCourse(STALE)
    remaining = tuple(x for x in course.video_ids if x != video_id)
    return await _write(store, course, {"video_ids": remaining}, version)


async def reorder_lessons(
    store: Store, viewer: Viewer, course_id: str, video_ids: Sequence[str], version: int
) -> CourseRecord:
    """Put the lessons in the order given. The list must hold exactly the course's lessons: one read from
    an older state of the course is refused with StaleCourse, and nothing changes."""
    course = await editable_course(store, viewer, course_id)
    if sorted(video_ids) != sorted(course.video_ids):
        raise StaleCourse(STALE)
    return await _write(store, course, {"video_ids": tuple(video_ids)}, version)


async def move_lesson(
    store: Store, viewer: Viewer, course_id: str, video_id: str, offset: int, version: int
) -> CourseRecord:
    """Move one lesson `offset` places (-1 up, +1 down), clamped at the ends."""
    course = await editable_course(store, viewer, course_id)
    if video_id not in course.video_ids:
        raise StaleCourse(STALE)
    order = [x for x in course.video_ids if x != video_id]
    where = max(0, min(len(order), course.video_ids.index(video_id) + offset))
    order.insert(where, video_id)
    return await _write(store, course, {"video_ids": tuple(order)}, version)


async def course_view(store: Store, progress: ProgressSource, viewer: Viewer, course: CourseRecord) -> CourseView:
    """The lessons the viewer may know of, in order, with their progress. Deleted videos and other people's
    drafts are left out; members-only lessons a viewer may not watch are shown locked, without a title."""
    videos = await store.videos.get_many(list(course.video_ids))
    shown = [v for v in videos if viewer.sees(v) or v.visibility == Visibility.MEMBERS]
    positions = await progress.positions(viewer.id, [v.id for v in shown]) if viewer.id else {}
    lessons = [
        Lesson(v.id, v, lesson_state(positions.get(v.id)), positions.get(v.id))
        if viewer.sees(v)
        else Lesson(v.id, None, LessonState.NOT_STARTED)
        for v in shown
    ]
    return CourseView(course, lessons)


async def lesson_after(
    store: Store, progress: ProgressSource, viewer: Viewer, course_id: str, video_id: str
) -> Lesson | None:
    """The lesson to offer when `video_id` ends: the next one in order the viewer may watch."""
    view = await course_view(store, progress, viewer, await visible_course(store, viewer, course_id))
    ids = [lesson.video_id for lesson in view.lessons]
    if video_id not in ids:
        raise NotFound(f"lesson {video_id} of course {course_id}")
    return next((x for x in view.lessons[ids.index(video_id) + 1 :] if not x.locked), None)


async def visible_courses(store: Store, viewer: Viewer, limit: int = 50) -> list[CourseRecord]:
    return [course for course in await store.courses.list_all(200) if viewer.sees(course)][:limit]

"""Courses: building them in the studio, progress per member, continue and next lesson."""

from __future__ import annotations

from streamer.storage.records import CourseRecord, Visibility
from tests.catalog.conftest import Catalog


async def lessons(catalog: Catalog, course_id: str, action: str, version: int, video_id: str = "", order: str = ""):  # type: ignore[no-untyped-def]
    data = {"action": action, "version": str(version), "video_id": video_id, "order": order}
    return await catalog.client.post(f"/studio/courses/{course_id}/lessons", data=data)


async def stored(catalog: Catalog, course_id: str) -> CourseRecord:
    course = await catalog.store.courses.get(course_id)
    assert course is not None
    return course


async def test_an_instructor_builds_and_orders_a_course(catalog: Catalog) -> None:
    owner = await catalog.user("instructor")
    a, b, c = [await catalog.video(owner, name) for name in "abc"]
    await catalog.act_as(owner)
    created = await catalog.client.post("/studio/courses", data={"title": "HLS 101", "visibility": "members"})
    course_id = created.headers["location"].rsplit("/", 1)[1]
    for version, video in enumerate((a, b, c), start=1):
        assert (await lessons(catalog, course_id, "add", version, video.id)).status_code == 303
    await lessons(catalog, course_id, "up", 4, c.id)
    assert (await stored(catalog, course_id)).video_ids == (a.id, c.id, b.id)
    await lessons(catalog, course_id, "order", 5, order=f"{b.id},{a.id},{c.id}")
    await lessons(catalog, course_id, "remove", 6, a.id)
    assert (await stored(catalog, course_id)).video_ids == (b.id, c.id)


async def test_a_stale_reorder_is_refused_and_keeps_the_order(catalog: Catalog) -> None:
    owner = await catalog.user("instructor")
    a, b, c = [await catalog.video(owner, name) for name in "abc"]
    course = await catalog.course(owner, "C", [a, b])
    await catalog.act_as(owner)
    await lessons(catalog, course.id, "add", 1, c.id)  # someone else added a lesson: version 2
    stale_list = await lessons(catalog, course.id, "order", 2, order=f"{b.id},{a.id}")
    stale_version = await lessons(catalog, course.id, "up", 1, b.id)
    assert (stale_list.status_code, stale_version.status_code) == (409, 409)
    assert "changed since you opened it" in stale_list.text
    assert (await stored(catalog, course.id)).video_ids == (a.id, b.id, c.id)


async def test_adding_twice_or_someone_elses_video_is_refused(catalog: Catalog) -> None:
    owner, other = await catalog.user("instructor"), await catalog.user("instructor")
    mine, theirs = await catalog.video(owner, "mine"), await catalog.video(other, "theirs")
    course = await catalog.course(owner, "C", [mine])
    await catalog.act_as(owner)
    twice = await lessons(catalog, course.id, "add", 1, mine.id)
    foreign = await lessons(catalog, course.id, "add", 1, theirs.id)
    assert (twice.status_code, foreign.status_code) == (400, 400)
    assert "already a lesson" in twice.text
    assert (await stored(catalog, course.id)).video_ids == (mine.id,)


async def test_the_course_page_shows_progress_and_continues_at_the_first_unfinished(catalog: Catalog) -> None:
    owner, member = await catalog.user("instructor"), await catalog.user(member=True)
    one, two, three = [await catalog.video(owner, f"Lesson {n}") for n in (1, 2, 3)]
    course = await catalog.course(owner, "Course", [one, two, three])
    await catalog.watched(member, one, 60, 60, finished=True)
    await catalog.watched(member, two, 12, 60)
    await catalog.act_as(member)
    data = (await catalog.client.get(f"/api/courses/{course.id}")).json()
    assert [lesson["state"] for lesson in data["lessons"]] == ["done", "in progress", "not started"]
    assert data["continue"] == two.id
    page = await catalog.client.get(f"/courses/{course.id}")
    assert f'href="/watch/{two.id}?course={course.id}">' in page.text
    assert "1 of 3 lessons done" in page.text


async def test_next_lesson_follows_the_course_order(catalog: Catalog) -> None:
    owner, member = await catalog.user("instructor"), await catalog.user(member=True)
    one, two = await catalog.video(owner, "One"), await catalog.video(owner, "Two")
    course = await catalog.course(owner, "Course", [one, two])
    await catalog.act_as(member)
    after_one = (await catalog.client.get(f"/api/courses/{course.id}/next", params={"after": one.id})).json()
    after_two = (await catalog.client.get(f"/api/courses/{course.id}/next", params={"after": two.id})).json()
    assert (after_one["next"]["video"]["id"], after_two["next"]) == (two.id, None)


async def test_a_video_in_two_courses_continues_within_each(catalog: Catalog) -> None:
    owner, member = await catalog.user("instructor"), await catalog.user(member=True)
    shared, x, y = (
        await catalog.video(owner, "Shared"),
        await catalog.video(owner, "X"),
        await catalog.video(owner, "Y"),
    )
    first, second = await catalog.course(owner, "A", [shared, x]), await catalog.course(owner, "B", [shared, y])
    await catalog.act_as(member)
    for course, following in ((first, x), (second, y)):
        answer = await catalog.client.get(f"/api/courses/{course.id}/next", params={"after": shared.id})
        assert answer.json()["next"]["video"]["id"] == following.id


async def test_a_course_with_a_deleted_video_still_works_and_keeps_its_other_lessons(catalog: Catalog) -> None:
    owner, member = await catalog.user("instructor"), await catalog.user(member=True)
    gone, kept = await catalog.video(owner, "Gone"), await catalog.video(owner, "Kept")
    course = await catalog.course(owner, "Course", [gone, kept])
    await catalog.store.videos.delete(gone.id)
    await catalog.act_as(member)
    page = await catalog.client.get(f"/courses/{course.id}")
    assert page.status_code == 200
    assert "Kept" in page.text
    assert [
        lesson["video"]["id"] for lesson in (await catalog.client.get(f"/api/courses/{course.id}")).json()["lessons"]
    ] == [kept.id]
    await catalog.act_as(owner)
    editor = await catalog.client.get(f"/studio/courses/{course.id}")
    assert "(deleted video)" in editor.text
    assert (await lessons(catalog, course.id, "remove", 1, gone.id)).status_code == 303
    assert (await stored(catalog, course.id)).video_ids == (kept.id,)


async def test_members_only_lessons_of_a_public_course_are_locked_without_titles(catalog: Catalog) -> None:
    owner = await catalog.user("instructor")
    free, paid = (
        await catalog.video(owner, "Free trailer", Visibility.PUBLIC),
        await catalog.video(owner, "Paid secret"),
    )
    course = await catalog.course(owner, "Open course", [free, paid], Visibility.PUBLIC)
    await catalog.act_as(None)
    page = await catalog.client.get(f"/courses/{course.id}")
    assert "Free trailer" in page.text
    assert "Paid secret" not in page.text
    assert "Lesson for members" in page.text


async def test_the_cover_is_one_of_the_lessons(catalog: Catalog) -> None:
    owner = await catalog.user("instructor")
    lesson, other = await catalog.video(owner, "Lesson"), await catalog.video(owner, "Elsewhere")
    course = await catalog.course(owner, "Course", [lesson])
    await catalog.act_as(owner)
    refused = await catalog.client.post(
        f"/studio/courses/{course.id}", data={"cover_video_id": other.id, "version": "1"}
    )
    taken = await catalog.client.post(
        f"/studio/courses/{course.id}", data={"cover_video_id": lesson.id, "version": "1"}
    )
    assert (refused.status_code, taken.status_code) == (400, 303)
    assert (await stored(catalog, course.id)).cover_video_id == lesson.id

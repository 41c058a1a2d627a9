"""The courses contract, run against every backend."""

from __future__ import annotations

from datetime import timedelta

import pytest

from streamer.storage.base import Store
from streamer.storage.catalog import StaleVersion
from streamer.storage.errors import NotFound
from streamer.storage.records import CourseRecord, Visibility, new_id, utcnow


def a_course(owner_id: str, title: str = "Course", minutes_ago: int = 0) -> CourseRecord:
    moment = utcnow() - timedelta(minutes=minutes_ago)
    return CourseRecord(
        id=new_id(), owner_id=owner_id, title=title, created_at=moment, updated_at=moment, video_ids=("a", "b")
    )


async def test_a_created_course_reads_back_equal(store: Store) -> None:
    course = a_course(new_id())
    await store.courses.create(course)
    assert await store.courses.get(course.id) == course


async def test_update_bumps_the_version_and_keeps_order(store: Store) -> None:
    course = a_course(new_id())
    await store.courses.create(course)
    updated = await store.courses.update(course.id, {"video_ids": ("c", "a", "b"), "title": "New"}, 1)
    assert (updated.video_ids, updated.title, updated.version) == (("c", "a", "b"), "New", 2)
    assert updated.updated_at >= course.updated_at


async def test_a_stale_version_changes_nothing(store: Store) -> None:
    course = a_course(new_id())
    await store.courses.create(course)
    await store.courses.update(course.id, {"video_ids": ("b", "a")}, 1)
    with pytest.raises(StaleVersion):
        await store.courses.update(course.id, {"video_ids": ("a",)}, 1)
    stored = await store.courses.get(course.id)
    assert stored is not None
    assert (stored.video_ids, stored.version) == (("b", "a"), 2)


async def test_update_of_an_unknown_course_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        await store.courses.update(new_id(), {"title": "x"}, 1)


async def test_visibility_round_trips(store: Store) -> None:
    course = a_course(new_id())
    await store.courses.create(course)
    updated = await store.courses.update(course.id, {"visibility": Visibility.PUBLIC}, 1)
    assert (await store.courses.get(course.id)) == updated
    assert updated.visibility == Visibility.PUBLIC


async def test_lists_are_newest_first(store: Store) -> None:
    owner = new_id()
    old, new = a_course(owner, "old", minutes_ago=3), a_course(owner, "new", minutes_ago=1)
    await store.courses.create(old)
    await store.courses.create(new)
    assert [c.title for c in await store.courses.list_by_owner(owner)] == ["new", "old"]
    everything = [c.id for c in await store.courses.list_all()]
    assert everything.index(new.id) < everything.index(old.id)


async def test_delete_removes_the_course_everywhere(store: Store) -> None:
    course = a_course(new_id())
    await store.courses.create(course)
    await store.courses.delete(course.id)
    assert await store.courses.get(course.id) is None
    assert await store.courses.list_by_owner(course.owner_id) == []
    assert course.id not in {c.id for c in await store.courses.list_all()}

"""The videos contract, run against every backend."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from streamer.storage.base import Store
from streamer.storage.errors import NotFound
from streamer.storage.records import VideoRecord, VideoStatus, new_id, utcnow


def a_video(owner_id: str, title: str = "Lecture 1", minutes_ago: int = 0) -> VideoRecord:
    moment = utcnow() - timedelta(minutes=minutes_ago)
    return VideoRecord(
        id=new_id(),
        owner_id=owner_id,
        title=title,
        status=VideoStatus.UPLOADING,
        created_at=moment,
        updated_at=moment,
    )


async def test_a_created_video_reads_back_equal(store: Store) -> None:
    video = a_video(new_id())
    await store.videos.create(video)
    assert await store.videos.get(video.id) == video


async def test_an_unknown_video_is_none(store: Store) -> None:
    assert await store.videos.get(new_id()) is None


async def test_get_many_keeps_the_order_asked_and_skips_unknown_ids(store: Store) -> None:
    owner = new_id()
    videos = [a_video(owner, str(n)) for n in range(3)]
    await asyncio.gather(*(store.videos.create(video) for video in videos))
    asked = [videos[2].id, new_id(), videos[0].id, videos[2].id]
    assert await store.videos.get_many(asked) == [videos[2], videos[0], videos[2]]
    assert await store.videos.get_many([]) == []


async def test_get_many_reads_more_ids_than_one_sqlite_statement_takes(store: Store) -> None:
    owner = new_id()
    videos = [a_video(owner, str(n)) for n in range(3)]
    await asyncio.gather(*(store.videos.create(video) for video in videos))
    asked = [new_id() for _ in range(1200)] + [video.id for video in videos]
    assert [video.title for video in await store.videos.get_many(asked)] == ["0", "1", "2"]


async def test_list_by_owner_is_newest_first_and_only_theirs(store: Store) -> None:
    owner, other = new_id(), new_id()
    old, new = a_video(owner, "old", minutes_ago=5), a_video(owner, "new", minutes_ago=1)
    await asyncio.gather(store.videos.create(old), store.videos.create(new), store.videos.create(a_video(other)))
    assert [video.title for video in await store.videos.list_by_owner(owner)] == ["new", "old"]


async def test_list_by_owner_honours_the_limit(store: Store) -> None:
    owner = new_id()
    for minutes in range(5):
        await store.videos.create(a_video(owner, str(minutes), minutes_ago=minutes))
    assert [video.title for video in await store.videos.list_by_owner(owner, limit=2)] == ["0", "1"]


async def test_update_sets_status_fields_and_bumps_updated_at(store: Store) -> None:
    video = a_video(new_id(), minutes_ago=1)
    await store.videos.create(video)
    changes = {"status": VideoStatus.READY, "progress": 100.0, "duration": 12.5, "renditions": '[{"h":720}]'}
    updated = await store.videos.update(video.id, changes)
    assert (updated.status, updated.progress, updated.duration, updated.renditions) == (
        VideoStatus.READY,
        100.0,
        12.5,
        '[{"h":720}]',
    )
    assert updated.updated_at > video.updated_at
    assert await store.videos.get(video.id) == updated


async def test_a_failed_video_keeps_its_reason(store: Store) -> None:
    video = a_video(new_id())
    await store.videos.create(video)
    await store.videos.update(video.id, {"status": VideoStatus.FAILED, "error": "This file has no video stream"})
    stored = await store.videos.get(video.id)
    assert stored is not None
    assert (stored.status, stored.error) == (VideoStatus.FAILED, "This file has no video stream")


async def test_update_of_an_unknown_video_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        await store.videos.update(new_id(), {"title": "x"})
    assert await store.videos.get(new_id()) is None


async def test_update_refuses_the_owner_and_id(store: Store) -> None:
    video = a_video(new_id())
    await store.videos.create(video)
    with pytest.raises(ValueError, match="owner_id"):
        await store.videos.update(video.id, {"owner_id": new_id()})


async def test_delete_removes_the_video_from_get_and_lists(store: Store) -> None:
    video = a_video(new_id())
    await store.videos.create(video)
    await store.videos.delete(video.id)
    assert await store.videos.get(video.id) is None
    assert await store.videos.list_by_owner(video.owner_id) == []

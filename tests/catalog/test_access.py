"""catalog.access.watchable: existence and visibility, then access (public, or memberships' rule), then readiness."""

from __future__ import annotations

import pytest

from streamer.catalog.access import VideoNotReady, WatchForbidden, watchable
from streamer.memberships.grants import grant
from streamer.settings import load_settings
from streamer.storage.base import Store
from streamer.storage.errors import NotFound
from streamer.storage.records import VideoRecord, VideoStatus, Visibility, new_id, utcnow

SETTINGS = load_settings({})


async def a_video(
    store: Store, status: VideoStatus = VideoStatus.READY, visibility: Visibility = Visibility.MEMBERS
) -> VideoRecord:
    now = utcnow()
    video = VideoRecord(new_id(), new_id(), "Lecture", status, now, now, visibility=visibility)
    await store.videos.create(video)
    stored = await store.videos.get(video.id)
    assert stored is not None
    return stored


@pytest.mark.parametrize("role", ["admin", "instructor"])
async def test_staff_may_watch_any_ready_video(store: Store, role: str) -> None:
    video = await a_video(store)
    assert await watchable(store, SETTINGS, new_id(), role, video.id) == video


async def test_the_owner_may_watch_their_own_video(store: Store) -> None:
    video = await a_video(store)
    assert await watchable(store, SETTINGS, video.owner_id, "member", video.id) == video


async def test_a_member_needs_an_active_membership(store: Store) -> None:
    video, member = await a_video(store), new_id()
    with pytest.raises(WatchForbidden):
        await watchable(store, SETTINGS, member, "member", video.id)
    await grant(store, member, days=1, by="test")
    assert await watchable(store, SETTINGS, member, "member", video.id) == video


async def test_forbidden_comes_before_not_ready_so_the_state_does_not_leak(store: Store) -> None:
    video = await a_video(store, VideoStatus.PROCESSING)
    with pytest.raises(WatchForbidden):
        await watchable(store, SETTINGS, new_id(), "member", video.id)
    with pytest.raises(VideoNotReady):
        await watchable(store, SETTINGS, video.owner_id, "member", video.id)


async def test_an_unknown_video_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        await watchable(store, SETTINGS, new_id(), "admin", new_id())


async def test_a_draft_is_not_found_except_for_its_owner_and_admins(store: Store) -> None:
    video = await a_video(store, visibility=Visibility.DRAFT)
    for role in ("member", "instructor"):
        with pytest.raises(NotFound):
            await watchable(store, SETTINGS, new_id(), role, video.id)
    assert await watchable(store, SETTINGS, video.owner_id, "instructor", video.id) == video
    assert await watchable(store, SETTINGS, new_id(), "admin", video.id) == video


async def test_a_public_video_needs_no_membership(store: Store) -> None:
    video = await a_video(store, visibility=Visibility.PUBLIC)
    assert await watchable(store, SETTINGS, new_id(), "member", video.id) == video

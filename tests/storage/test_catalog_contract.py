"""The catalog index contract (search and newest listings), run against every backend."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from streamer.catalog.terms import words
from streamer.storage.base import Store
from streamer.storage.catalog import InvalidCursor
from streamer.storage.records import VideoRecord, VideoStatus, Visibility, new_id, utcnow


def listed_video(
    title: str,
    *,
    description: str = "",
    tags: tuple[str, ...] = (),
    minutes_ago: float = 0,
    visibility: Visibility = Visibility.MEMBERS,
    status: VideoStatus = VideoStatus.READY,
) -> VideoRecord:
    moment = utcnow() - timedelta(minutes=minutes_ago)
    return VideoRecord(
        id=new_id(),
        owner_id=new_id(),
        title=title,
        status=status,
        created_at=moment,
        updated_at=moment,
        description=description,
        tags=tags,
        visibility=visibility,
    )


async def create_all(store: Store, videos: list[VideoRecord]) -> None:
    for start in range(0, len(videos), 50):
        await asyncio.gather(*(store.videos.create(video) for video in videos[start : start + 50]))


async def found(store: Store, query: str, up_to: Visibility = Visibility.MEMBERS) -> set[str]:
    page = await store.catalog.search(words(query), up_to, limit=100)
    return {video.title for video in page.items}


async def test_search_stems_words_both_ways(store: Store) -> None:
    tag = new_id()[:8]
    await create_all(store, [listed_video(f"Streaming basics {tag}"), listed_video(f"How we stream {tag}")])
    assert await found(store, f"streaming {tag}") == {f"Streaming basics {tag}", f"How we stream {tag}"}
    assert await found(store, f"streams {tag}") == {f"Streaming basics {tag}", f"How we stream {tag}"}


async def test_several_words_must_all_match(store: Store) -> None:
    tag = new_id()[:8]
    await create_all(store, [listed_video(f"Red apples {tag}"), listed_video(f"Red cars {tag}")])
    assert await found(store, f"red apple {tag}") == {f"Red apples {tag}"}
    assert await found(store, f"blue apple {tag}") == set()


async def test_description_and_tags_are_searched(store: Store) -> None:
    tag = new_id()[:8]
    await create_all(
        store,
        [
            listed_video("One", description=f"We talk about **compression** {tag}"),
            listed_video("Two", tags=("codecs", f"x{tag}")),
        ],
    )
    assert await found(store, f"compressing {tag}") == {"One"}
    assert await found(store, f"codec x{tag}") == {"Two"}


async def test_search_shows_public_only_to_the_public_and_never_drafts_or_unready(store: Store) -> None:
    tag = new_id()[:8]
    await create_all(
        store,
        [
            listed_video(f"pub {tag}", visibility=Visibility.PUBLIC),
            listed_video(f"mem {tag}", visibility=Visibility.MEMBERS),
            listed_video(f"draft {tag}", visibility=Visibility.DRAFT),
            listed_video(f"busy {tag}", status=VideoStatus.PROCESSING, visibility=Visibility.PUBLIC),
        ],
    )
    assert await found(store, tag, Visibility.PUBLIC) == {f"pub {tag}"}
    assert await found(store, tag, Visibility.MEMBERS) == {f"pub {tag}", f"mem {tag}"}


async def test_edits_are_searchable_at_once_and_deletes_vanish(store: Store) -> None:
    tag = new_id()[:8]
    video = listed_video(f"before {tag}")
    await store.videos.create(video)
    await store.videos.update(video.id, {"title": f"after {tag}", "tags": ("mountains",)})
    assert await found(store, f"after {tag}") == {f"after {tag}"}
    assert await found(store, f"before {tag}") == set()
    await store.videos.update(video.id, {"visibility": Visibility.DRAFT})
    assert await found(store, f"after {tag}") == set()
    await store.videos.update(video.id, {"visibility": Visibility.PUBLIC})
    assert await found(store, f"after {tag}", Visibility.PUBLIC) == {f"after {tag}"}
    await store.videos.delete(video.id)
    assert await found(store, f"after {tag}") == set()


async def test_paging_through_250_results_has_no_repeats_or_gaps(store: Store) -> None:
    tag = new_id()[:8]
    videos = [listed_video(f"lesson {n} {tag}", minutes_ago=n % 7) for n in range(250)]
    await create_all(store, videos)
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(30):
        page = await store.catalog.search([tag], Visibility.MEMBERS, limit=40, cursor=cursor)
        seen += [video.id for video in page.items]
        cursor = page.cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 250
    assert set(seen) == {video.id for video in videos}


async def test_a_foreign_or_garbled_cursor_is_refused(store: Store) -> None:
    with pytest.raises(InvalidCursor):
        await store.catalog.search(["x"], Visibility.MEMBERS, limit=5, cursor="not-a-cursor")
    with pytest.raises(InvalidCursor):
        await store.catalog.newest(Visibility.MEMBERS, limit=5, cursor="bm90IGEgY3Vyc29y")


async def test_a_video_is_stamped_published_when_it_first_becomes_listed(store: Store) -> None:
    video = listed_video("later", status=VideoStatus.PROCESSING)
    await store.videos.create(video)
    assert (await store.videos.get(video.id)).published_at is None  # type: ignore[union-attr]
    ready = await store.videos.update(video.id, {"status": VideoStatus.READY})
    assert ready.published_at is not None
    again = await store.videos.update(video.id, {"title": "renamed"})
    assert again.published_at == ready.published_at


async def test_newest_lists_listed_videos_newest_first_and_pages_by_keyset(store: Store) -> None:
    videos = [listed_video(f"n{n}", minutes_ago=n, visibility=Visibility.PUBLIC) for n in range(12)]
    hidden = [listed_video("d", visibility=Visibility.DRAFT), listed_video("m", visibility=Visibility.MEMBERS)]
    await create_all(store, videos + hidden)
    seen: list[VideoRecord] = []
    cursor: str | None = None
    while True:
        page = await store.catalog.newest(Visibility.PUBLIC, limit=5, cursor=cursor)
        seen += page.items
        if (cursor := page.cursor) is None:
            break
    ids = [video.id for video in seen]
    assert len(ids) == len(set(ids))
    mine = [video.title for video in seen if video.id in {v.id for v in videos + hidden}]
    assert mine == [f"n{n}" for n in range(12)]
    assert all(video.visibility == Visibility.PUBLIC for video in seen)


async def test_newest_for_members_merges_public_and_members(store: Store) -> None:
    public, members = listed_video("p", visibility=Visibility.PUBLIC), listed_video("m", minutes_ago=-1)
    await create_all(store, [public, members])
    page = await store.catalog.newest(Visibility.MEMBERS, limit=2)
    assert [video.id for video in page.items] == [members.id, public.id]


async def test_newest_follows_visibility_changes(store: Store) -> None:
    video = listed_video("moving", minutes_ago=-2, visibility=Visibility.PUBLIC)
    await store.videos.create(video)
    assert (await store.catalog.newest(Visibility.PUBLIC, limit=1)).items[0].id == video.id
    await store.videos.update(video.id, {"visibility": Visibility.MEMBERS})
    assert video.id not in {v.id for v in (await store.catalog.newest(Visibility.PUBLIC, limit=3)).items}
    assert (await store.catalog.newest(Visibility.MEMBERS, limit=1)).items[0].id == video.id

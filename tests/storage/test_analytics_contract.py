"""The analytics store contract, run against every backend."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from streamer.storage.analytics import (
    BeatRecord,
    BeatSections,
    DailyStats,
    DayRollup,
    MemberDay,
    RetentionRow,
    ViewerSummary,
    ViewRecord,
)
from streamer.storage.base import Store
from streamer.storage.records import new_id

DAY = "2026-11-30"
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def a_view(video_id: str, user_id: str = "", **changes: object) -> ViewRecord:
    view = ViewRecord(
        video_id=video_id,
        day=DAY,
        view_id=new_id(),
        user_id=user_id,
        viewer_id=user_id or "anon",
        started_at=START,
        updated_at=START,
        seq=1,
        last_event="start",
        position=0.0,
        duration=120.0,
        played_ms=0,
        stall_ms=0,
        stall_count=0,
        seeks=0,
        startup_ms=None,
        bitrate_ms={},
        upscale_ms=0,
        bitrate=0,
        rendition_height=0,
        player_height=0,
        error="",
        ended=False,
    )
    return replace(view, **changes)  # type: ignore[arg-type]


def beat(
    view: ViewRecord, seq: int, *, sections: tuple[float, ...] = (), index: bool = True, **changes: object
) -> BeatRecord:
    moment = view.started_at + timedelta(seconds=10 * seq)
    updated = replace(view, seq=seq, updated_at=moment, **changes)  # type: ignore[arg-type]
    stamp = int(view.started_at.timestamp() * 1_000_000) + seq
    return BeatRecord(view=updated, bucket=9, sections=sections, ttl_seconds=3600, index_member=index, stamp=stamp)


async def test_a_view_row_holds_the_running_totals_of_its_latest_beat(store: Store) -> None:
    view = a_view(new_id(), new_id())
    first = beat(view, 1)
    latest = beat(
        view, 2, last_event="hb", position=10.5, played_ms=10_000, startup_ms=420, bitrate_ms={800_000: 9_000}
    )
    await store.analytics.write_beats([first])
    await store.analytics.write_beats([latest])
    assert await store.analytics.views_on(view.video_id, DAY) == [latest.view]


async def test_a_late_lower_seq_never_replaces_a_newer_view_row(store: Store) -> None:
    view = a_view(new_id(), new_id())
    newer, older = beat(view, 5, position=50.0), beat(view, 4, position=40.0)
    await store.analytics.write_beats([newer])
    await store.analytics.write_beats([older])
    [stored] = await store.analytics.views_on(view.video_id, DAY)
    assert (stored.seq, stored.position) == (5, 50.0)


async def test_one_batch_may_hold_several_beats_of_one_view(store: Store) -> None:
    view = a_view(new_id(), new_id())
    await store.analytics.write_beats([beat(view, 3, position=30.0), beat(view, 2, position=20.0)])
    [stored] = await store.analytics.views_on(view.video_id, DAY)
    assert stored.position == 30.0


async def test_views_are_listed_per_video_and_day(store: Store) -> None:
    video, other = new_id(), new_id()
    mine = [a_view(video), a_view(video)]
    await store.analytics.write_beats([beat(v, 1) for v in [*mine, a_view(other)]])
    stored = await store.analytics.views_on(video, DAY)
    assert sorted(v.view_id for v in stored) == sorted(v.view_id for v in mine)
    assert await store.analytics.views_on(video, "2026-12-01") == []


async def test_raw_sections_of_every_beat_come_back_for_the_rollup(store: Store) -> None:
    view = a_view(new_id())
    beats = [beat(view, 1, sections=(0.0, 10.0)), beat(view, 2, sections=(10.0, 15.0, 40.0, 44.0))]
    await store.analytics.write_beats(beats)
    await store.analytics.write_beats(beats[1:])  # a retried beat rewrites its own row
    pages = [page async for page in store.analytics.beat_sections(view.video_id, DAY)]
    found = sorted((s.view_id, s.sections) for page in pages for s in page)
    assert found == [(view.view_id, (0.0, 10.0)), (view.view_id, (10.0, 15.0, 40.0, 44.0))]


async def test_beat_sections_page_through_many_rows(store: Store) -> None:
    views = [a_view(new_id()) for _ in range(3)]
    video_id = new_id()
    beats = [
        beat(replace(v, video_id=video_id), seq, sections=(seq, seq + 1.0)) for v in views for seq in range(1, 2401)
    ]
    for start in range(0, len(beats), 800):
        await store.analytics.write_beats(beats[start : start + 800])
    sections = [s async for page in store.analytics.beat_sections(video_id, DAY) for s in page]
    assert len(sections) == 7200
    assert {s.view_id for s in sections} == {v.view_id for v in views}
    assert all(isinstance(s, BeatSections) for s in sections)


async def test_a_batch_spread_over_many_videos_is_stored_whole_without_store_warnings(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """The ingest's usual batch: a beat or two of many views of many videos (Cassandra packs such rows into
    multi-partition batches, which must stay under the node's warning thresholds)."""
    videos = [new_id() for _ in range(60)]
    views = [a_view(videos[i % 60], new_id(), startup_ms=400, bitrate_ms={800_000: 9_000}) for i in range(240)]
    long_sections = tuple(float(x) for x in range(64))
    beats = [beat(v, seq, sections=long_sections, position=float(seq)) for v in views for seq in (4, 5)]
    with caplog.at_level(logging.WARNING):
        await store.analytics.write_beats(beats)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("streamer.storage")] == []
    for video in videos[:3]:
        stored = await store.analytics.views_on(video, DAY)
        assert len(stored) == 4
        assert {v.position for v in stored} == {5.0}
    found = [s async for page in store.analytics.beat_sections(videos[7], DAY) for s in page]
    assert len(found) == 8
    assert set(videos) <= set(await store.analytics.videos_active_on(DAY))
    assert (await store.analytics.resume(views[0].user_id, views[0].video_id)) is not None


async def test_the_day_index_lists_videos_with_views(store: Store) -> None:
    day = "2026-10-01"
    videos = sorted(new_id() for _ in range(3))
    await store.analytics.write_beats([beat(a_view(video, day=day), 1) for video in videos])
    assert sorted(await store.analytics.videos_active_on(day)) == videos


async def test_resume_position_follows_the_members_latest_beat(store: Store) -> None:
    user, video = new_id(), new_id()
    view = a_view(video, user)
    await store.analytics.write_beats([beat(view, 1, position=5.0)])
    await store.analytics.write_beats([beat(view, 2, position=42.0, index=False)])  # plain beats write no index
    resume = await store.analytics.resume(user, video)
    assert resume is not None
    assert (resume.position, resume.duration, resume.view_id, resume.completed) == (42.0, 120.0, view.view_id, False)
    assert resume.updated_at == START + timedelta(seconds=20)


async def test_a_view_without_an_index_row_gives_no_resume_position(store: Store) -> None:
    user, video = new_id(), new_id()
    await store.analytics.write_beats([beat(a_view(video, user), 2, position=42.0, index=False)])
    assert await store.analytics.resume(user, video) is None


async def test_a_newer_view_replaces_an_older_one_whatever_the_order(store: Store) -> None:
    user, video = new_id(), new_id()
    older = a_view(video, user)
    newer = a_view(video, user, started_at=START + timedelta(hours=1))
    await store.analytics.write_beats([beat(newer, 1, position=7.0)])
    await store.analytics.write_beats([beat(older, 9, position=99.0)])
    resume = await store.analytics.resume(user, video)
    assert resume is not None
    assert (resume.view_id, resume.position) == (newer.view_id, 7.0)


async def test_a_finished_video_stays_completed_when_watched_again(store: Store) -> None:
    user, video = new_id(), new_id()
    first = a_view(video, user)
    await store.analytics.write_beats([beat(first, 9, position=120.0, ended=True)])
    second = a_view(video, user, started_at=START + timedelta(hours=2))
    await store.analytics.write_beats([beat(second, 1, position=3.0)])
    resume = await store.analytics.resume(user, video)
    assert resume is not None
    assert (resume.position, resume.view_id, resume.completed) == (3.0, second.view_id, True)


async def test_a_batch_with_a_views_first_beat_and_later_ones_resumes_at_the_latest(store: Store) -> None:
    user, video = new_id(), new_id()
    view = a_view(video, user)
    await store.analytics.write_beats([beat(view, 2, position=30.0, index=False), beat(view, 1, position=2.0)])
    resume = await store.analytics.resume(user, video)
    assert resume is not None
    assert (resume.view_id, resume.position, resume.updated_at) == (view.view_id, 30.0, START + timedelta(seconds=20))


async def test_plain_beats_of_a_later_view_move_the_resume_point_to_it(store: Store) -> None:
    """A view whose first beat went unrecorded (e.g. refused with 503, then retried as a plain beat) still
    becomes the resume point once the member has one for the video; a late beat of an older view does not."""
    user, video = new_id(), new_id()
    older = a_view(video, user)
    await store.analytics.write_beats([beat(older, 9, position=120.0, ended=True)])
    newer = a_view(video, user, started_at=START + timedelta(hours=1))
    await store.analytics.write_beats([beat(newer, 3, position=12.0, index=False)])
    await store.analytics.write_beats([beat(older, 10, position=1.0, index=False)])
    resume = await store.analytics.resume(user, video)
    assert resume is not None
    assert (resume.view_id, resume.position, resume.completed) == (newer.view_id, 12.0, True)
    both = a_view(new_id(), user)
    later = a_view(both.video_id, user, started_at=START + timedelta(hours=1))
    await store.analytics.write_beats([beat(both, 5, position=50.0, ended=True), beat(later, 2, index=False)])
    together = await store.analytics.resume(user, both.video_id)
    assert together is not None
    assert (together.view_id, together.position, together.completed) == (later.view_id, 0.0, True)


async def test_resumes_read_the_whole_history_with_positions(store: Store) -> None:
    user = new_id()
    videos = [new_id() for _ in range(30)]
    views = [a_view(video, user) for video in videos]
    await store.analytics.write_beats([beat(view, 1) for view in views])
    await store.analytics.write_beats([beat(view, 2, position=float(n), index=False) for n, view in enumerate(views)])
    found = {r.video_id: r.position for r in await store.analytics.resumes(user)}
    assert found == {video: float(n) for n, video in enumerate(videos)}


async def test_anonymous_views_have_no_resume_position(store: Store) -> None:
    view = a_view(new_id())
    await store.analytics.write_beats([beat(view, 1)])
    assert await store.analytics.resume("", view.video_id) is None


async def test_resumes_list_every_video_of_a_member(store: Store) -> None:
    user = new_id()
    videos = [new_id(), new_id()]
    await store.analytics.write_beats([beat(a_view(video, user), 1) for video in videos])
    assert sorted(r.video_id for r in await store.analytics.resumes(user)) == sorted(videos)
    assert await store.analytics.resume(new_id(), videos[0]) is None


def a_rollup(video_id: str, day: str, views: int) -> DayRollup:
    stats = DailyStats(
        video_id=video_id,
        day=day,
        views=views,
        attempts=views + 1,
        unique_viewers=1,
        playing_ms=60_000,
        watch_ms=61_000,
        completed_views=1,
        viewed_points=150,
        exits_before_start=1,
        failures=0,
        stall_ms=500,
        stall_count=2,
        startup_hist=(0, 1, 2),
        bitrate_weighted=800_000 * 60_000,
        bitrate_ms=60_000,
        upscale_ms=1_000,
        rolled_up_at=START,
    )
    retention = RetentionRow(video_id=video_id, day=day, views=views, counts=tuple(range(100)))
    member = MemberDay(
        video_id=video_id,
        viewer_id="u1",
        day=day,
        user_id="u1",
        views=views,
        attempts=views,
        played_ms=60_000,
        points=f"{(1 << 100) - 1:x}",
        completed=True,
        last_seen=START,
    )
    return DayRollup(daily=stats, retention=retention, members=[member])


async def test_rollups_read_back_by_date_range_oldest_first(store: Store) -> None:
    video = new_id()
    for day, views in [("2026-11-02", 2), ("2026-11-01", 1), ("2026-11-05", 5)]:
        await store.analytics.put_rollup(a_rollup(video, day, views))
    daily = await store.analytics.daily(video, "2026-11-01", "2026-11-02")
    assert daily == [a_rollup(video, "2026-11-01", 1).daily, a_rollup(video, "2026-11-02", 2).daily]
    retention = await store.analytics.retention(video, "2026-11-02", "2026-11-30")
    assert [(r.day, r.views, r.counts[99]) for r in retention] == [("2026-11-02", 2, 99), ("2026-11-05", 5, 99)]
    members = await store.analytics.member_days(video)
    assert sorted((m.day, m.views, m.completed) for m in members) == [
        ("2026-11-01", 1, True),
        ("2026-11-02", 2, True),
        ("2026-11-05", 5, True),
    ]


async def test_rerunning_a_rollup_replaces_the_day(store: Store) -> None:
    video = new_id()
    await store.analytics.put_rollup(a_rollup(video, "2026-11-01", 1))
    await store.analytics.put_rollup(a_rollup(video, "2026-11-01", 7))
    assert [d.views for d in await store.analytics.daily(video, "2026-11-01", "2026-11-01")] == [7]
    assert [m.views for m in await store.analytics.member_days(video)] == [7]


async def test_a_viewer_summary_is_replaced_whole_and_absent_until_written(store: Store) -> None:
    video = new_id()
    assert await store.analytics.viewer_summary(video) is None
    await store.analytics.put_viewer_summary(ViewerSummary(video, {"2026-11-01": 2}, {"2026-11-01": 3}, START))
    await store.analytics.put_viewer_summary(ViewerSummary(video, {"2026-11-02": 1}, {"2026-11-02": 1}, START))
    assert await store.analytics.viewer_summary(video) == ViewerSummary(
        video, {"2026-11-02": 1}, {"2026-11-02": 1}, START
    )


@pytest.mark.parametrize("store", ["cassandra"], indirect=True)
async def test_cassandra_member_rows_from_before_0420_are_read_through_their_view(store: Store) -> None:
    """Rows written before migration 0420 carry no position until their view's next beat: theirs is read
    from the view row (one read per such row; rows written since need none)."""
    user, video = new_id(), new_id()
    view = a_view(video)  # anonymous here: its beat writes the view row and no member row
    await store.analytics.write_beats([beat(view, 2, position=42.0, index=False)])
    db = store.analytics._db  # type: ignore[attr-defined]
    await db.execute(
        "INSERT INTO member_videos (user_id, video_id, view_id, day, started_at) VALUES (?,?,?,?,?)",
        (user, video, view.view_id, DAY, START),
        write=True,
    )
    resumes = await store.analytics.resumes(user)
    assert [(r.view_id, r.position, r.updated_at) for r in resumes] == [
        (view.view_id, 42.0, START + timedelta(seconds=20))
    ]

"""AnalyticsProgress: the catalog's progress source answered from the members' stored views."""

from __future__ import annotations

from datetime import timedelta

from streamer.analytics.progress import AnalyticsProgress
from streamer.catalog.progress import Position
from streamer.storage.base import Store
from streamer.storage.records import new_id, utcnow
from tests.analytics.beats import store_view


async def test_positions_answer_only_the_videos_the_member_played(store: Store) -> None:
    member, paused, finished, untouched = new_id(), new_id(), new_id(), new_id()
    await store_view(store, paused, member, 30.0, 120.0, utcnow())
    await store_view(store, finished, member, 60.0, 60.0, utcnow(), ended=True)
    positions = await AnalyticsProgress(store).positions(member, [paused, finished, untouched])
    assert positions == {paused: Position(30.0, 120.0, False), finished: Position(60.0, 60.0, True)}
    assert await AnalyticsProgress(store).positions(new_id(), [paused]) == {}


async def test_recent_lists_the_latest_played_first_up_to_the_limit(store: Store) -> None:
    member, first, second = new_id(), new_id(), new_id()
    now = utcnow()
    await store_view(store, first, member, 10.0, 100.0, now)
    await store_view(store, second, member, 20.0, 100.0, now + timedelta(seconds=1))
    recent = await AnalyticsProgress(store).recent(member, 5)
    assert [(w.video_id, w.position) for w in recent] == [
        (second, Position(20.0, 100.0, False)),
        (first, Position(10.0, 100.0, False)),
    ]
    assert [w.video_id for w in await AnalyticsProgress(store).recent(member, 1)] == [second]

"""The rollup and the reports over a real store (both backends)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from streamer.analytics.policy import IngestPolicy
from streamer.analytics.progress import ResumePoint, resume_position, start_at, watch_history
from streamer.analytics.protocol import parse_beat
from streamer.analytics.records import beat_record, day_of
from streamer.analytics.reports import last_days, member_progress, overview, refresh_viewer_summary, video_report
from streamer.analytics.rollup import recent_days, rollup
from streamer.analytics.tokens import ViewClaims
from streamer.cli import main
from streamer.storage import open_store
from streamer.storage.analytics import DailyStats, DayRollup, MemberDay, RetentionRow
from streamer.storage.base import Store
from streamer.storage.records import new_id
from tests.analytics.beats import beat_body, encoded
from tests.conftest import settings_for

NOW = datetime.now(UTC)
TODAY = day_of(NOW)


async def play(
    store: Store, video_id: str, user_id: str, beats: list[dict[str, Any]], duration: float = 100.0, at: datetime = NOW
) -> str:
    """Store a view of `video_id` whose beats carry `beats` (seq 1, 2, …); returns its view id."""
    claims = ViewClaims(new_id(), video_id, user_id, int((NOW - timedelta(minutes=30)).timestamp() * 1000), 0)
    records = [
        beat_record(
            parse_beat(encoded(beat_body(claims, seq, duration=duration, **fields))),
            claims,
            at,
            IngestPolicy(),
            first_seen=seq == 1,
        )
        for seq, fields in enumerate(beats, start=1)
    ]
    await store.analytics.write_beats(records)
    return claims.view_id


def watched(start: float, end: float, played_ms: int, **more: Any) -> dict[str, Any]:
    return {
        "sections": [[start, end]],
        "position": end,
        "played_ms": played_ms,
        "bitrate_ms": {},
        "upscale_ms": 0,
    } | more


async def test_a_rollup_turns_views_and_beats_into_the_figures(store: Store) -> None:
    video = new_id()
    await play(store, video, "alice", [watched(0, 50, 50_000), watched(50, 100, 100_000, ended=True, event="end")])
    await play(store, video, "bob", [watched(0, 25, 25_000)])
    await play(store, video, "", [watched(0, 5, 5_000)])  # too short to count
    report = await rollup(store, [TODAY], raw_ttl_days=30)
    assert (report.video_days, report.heartbeats) >= (1, 4)

    result = await video_report(store, video, last_days(NOW.date(), 7))
    summary = result.summary
    assert (summary.views, summary.attempts, summary.unique_viewers) == (2, 3, 2)
    assert summary.completion_rate == 0.5
    assert summary.average_percent_viewed == 62.5  # alice 100 %, bob 25 %
    assert summary.playing_time_ms == 130_000
    assert result.retention[0] == 100.0
    assert result.retention[30] == 100 / 3  # of three started views, only alice got past 25 %
    assert result.daily[-1].views == 2
    assert result.rolled_up_at is not None


async def test_rerunning_the_rollup_gives_the_same_day(store: Store) -> None:
    video = new_id()
    await play(store, video, "carol", [watched(0, 30, 30_000)])
    await rollup(store, [TODAY], raw_ttl_days=30)
    first = (await video_report(store, video, last_days(NOW.date(), 1))).summary
    await rollup(store, [TODAY], raw_ttl_days=30)
    assert (await video_report(store, video, last_days(NOW.date(), 1))).summary == first


async def test_member_progress_says_who_finished(store: Store) -> None:
    video = new_id()
    await play(store, video, "dave", [watched(0, 100, 100_000, ended=True)])
    await play(store, video, "erin", [watched(0, 40, 40_000)])
    await play(store, video, "erin", [watched(40, 60, 20_000)])
    await rollup(store, [TODAY], raw_ttl_days=30)
    progress = {p.user_id: p for p in await member_progress(store, video)}
    assert (progress["dave"].completed, progress["dave"].percent_viewed) == (True, 100)
    assert (progress["erin"].completed, progress["erin"].percent_viewed, progress["erin"].attempts) == (False, 60, 2)


async def test_the_overview_adds_up_videos_per_day(store: Store) -> None:
    videos = [new_id(), new_id()]
    for video in videos:
        await play(store, video, "frank", [watched(0, 20, 20_000)])
    await rollup(store, [TODAY], raw_ttl_days=30)
    result = await overview(store, videos, last_days(NOW.date(), 3))
    assert [r.summary.views for r in result.videos] == [1, 1]
    assert [p.views for p in result.daily] == [0, 0, 2]


async def test_days_whose_raw_beats_expired_are_not_redone(store: Store) -> None:
    old = (NOW - timedelta(days=40)).date().isoformat()
    report = await rollup(store, [old], raw_ttl_days=30)
    assert (report.days, report.skipped) == ([], [old])
    assert "skipped" in report.line()


async def test_resume_position_and_watch_history_for_other_features(store: Store) -> None:
    first, second = new_id(), new_id()
    await play(store, first, "gina", [watched(0, 40, 40_000, event="pause")])
    await play(store, second, "gina", [watched(0, 10, 10_000, event="pause")], at=NOW + timedelta(seconds=5))
    point = await resume_position(store, "gina", first)
    assert point is not None
    assert (point.position, point.fraction, point.completed) == (40.0, 0.4, False)
    assert [p.video_id for p in await watch_history(store, "gina", limit=5)] == [second, first]
    assert [p.video_id for p in await watch_history(store, "gina", limit=1)] == [second]
    assert await resume_position(store, "", first) is None
    assert await watch_history(store, "", 5) == []


def test_where_the_player_starts() -> None:
    def at(position: float, duration: float = 100.0) -> float:
        return start_at(ResumePoint("v", position, duration, False, NOW))

    assert (start_at(None), at(3.0), at(42.0), at(95.0)) == (0.0, 0.0, 42.0, 0.0)


def test_recent_days_are_today_and_the_days_before() -> None:
    assert recent_days(datetime(2026, 3, 1, tzinfo=UTC), back=2) == ["2026-02-27", "2026-02-28", "2026-03-01"]


def test_the_rollup_command_reports_what_it_did(tmp_path: Any) -> None:
    env = {"STREAMER_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    assert runner.invoke(main, ["db", "migrate"], env=env).exit_code == 0
    result = runner.invoke(main, ["analytics", "rollup", "--day", "2026-12-01"], env=env)
    assert result.exit_code == 0, result.output
    assert "rolled up 0 video-day(s)" in result.output
    bad = runner.invoke(main, ["analytics", "rollup", "--day", "yesterday"], env=env)
    assert bad.exit_code == 2


async def test_sqlite_raw_beats_go_once_their_ttl_has_passed_not_twice_that(tmp_path: Path) -> None:
    """Raw rows expire at arrival + raw TTL; the rollup purges them then (Cassandra expires its own by TTL)."""
    store = await open_store(settings_for("sqlite", tmp_path))
    await store.migrate()
    try:
        policy = IngestPolicy(raw_ttl_seconds=30 * 86400)
        video = new_id()
        claims = ViewClaims(new_id(), video, "", int((NOW - timedelta(minutes=30)).timestamp() * 1000), 0)
        arrivals = {1: NOW - timedelta(days=31), 2: NOW - timedelta(days=29)}  # expired a day ago / in a day
        await store.analytics.write_beats(
            [
                beat_record(parse_beat(encoded(beat_body(claims, seq))), claims, at, policy, seq == 1)
                for seq, at in arrivals.items()
            ]
        )
        await rollup(store, [TODAY], raw_ttl_days=30, now=NOW)
        left = [beat async for page in store.analytics.beat_sections(video, TODAY) for beat in page]
        assert len(left) == 1
    finally:
        await store.close()


def a_day(video_id: str, day: str, members: list[str], anonymous: int = 0) -> DayRollup:
    """A rolled-up day with one counted view by each of `members` and `anonymous` anonymous viewers."""
    stats = replace(EMPTY_DAY, video_id=video_id, day=day, views=len(members) + anonymous)
    stats = replace(stats, unique_viewers=len(members) + anonymous, rolled_up_at=NOW)
    rows = [MemberDay(video_id, member, day, member, 1, 1, 10_000, "1", False, NOW) for member in members]
    return DayRollup(stats, RetentionRow(video_id, day, 0, (0,) * 100), rows)


EMPTY_DAY = DailyStats("", "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (0,) * 14, 0, 0, 0, NOW)


async def test_unique_viewers_over_a_period_come_from_the_viewer_summary(store: Store) -> None:
    video = new_id()
    day = [(NOW.date() - timedelta(days=back)).isoformat() for back in range(10)]  # day[0] is today
    await store.analytics.put_rollup(a_day(video, day[9], ["ann", "ben"]))
    await store.analytics.put_rollup(a_day(video, day[3], ["ann", "cat"], anonymous=2))
    await store.analytics.put_rollup(a_day(video, day[0], ["cat"], anonymous=1))

    def uniques(days: int) -> Any:
        return video_report(store, video, last_days(NOW.date(), days))

    fallback = [(await uniques(n)).summary.unique_viewers for n in (1, 7, 28)]  # no summary yet: member days
    assert fallback == [1 + 1, 2 + 3, 3 + 3]
    summary = await refresh_viewer_summary(store, video, NOW)
    assert summary.last_days == {day[9]: 1, day[3]: 1, day[0]: 1}  # ben, ann, cat
    stored = await store.analytics.viewer_summary(video)
    assert stored is not None
    assert (stored.last_days, stored.member_days) == (summary.last_days, summary.member_days)
    assert [(await uniques(n)).summary.unique_viewers for n in (1, 7, 28)] == fallback

    await store.analytics.put_rollup(a_day(video, day[0], ["cat", "dan"], anonymous=1))  # not summarized yet
    assert (await uniques(1)).summary.unique_viewers == 1 + 2  # read from the summary, not the member rows
    await refresh_viewer_summary(store, video, NOW)  # what the rollup does after a video's days
    assert (await uniques(1)).summary.unique_viewers == 2 + 1

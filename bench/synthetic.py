"""Synthetic heartbeats for one video, written straight to the store; then the rollup and the analytics page
over them are timed. Part of bench/heartbeats.py (`queries`)."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx

from streamer.accounts import sessions
from streamer.accounts.context import Accounts
from streamer.accounts.users import User
from streamer.analytics.policy import IngestPolicy
from streamer.analytics.protocol import Beat, Event
from streamer.analytics.records import beat_record
from streamer.analytics.reports import refresh_viewer_summary
from streamer.analytics.rollup import rollup_video_day
from streamer.analytics.tokens import ViewClaims
from streamer.settings import Settings, load_settings
from streamer.storage import open_store
from streamer.storage.analytics import BeatRecord
from streamer.storage.base import Store
from streamer.storage.records import UserRecord, VideoRecord, VideoStatus, new_id, utcnow
from streamer.web.app import create_app

DURATION = 600.0
INTERVAL = 10
MEMBERS = 5000
CHUNK = 2000
WRITERS = 4


def view_beats(video_id: str, rng: random.Random, base: datetime, policy: IngestPolicy) -> list[BeatRecord]:
    """One view: watched from the start for an exponentially distributed while, a beat every 10 s."""
    user = f"member-{rng.randrange(MEMBERS)}" if rng.random() < 0.8 else ""
    started = base + timedelta(seconds=rng.uniform(0, 6 * 3600))
    claims = ViewClaims(new_id(), video_id, user, int(started.timestamp() * 1000), int(DURATION * 1000))
    watched = min(DURATION, rng.expovariate(1 / 240))
    startup, stalls = rng.randint(150, 2500), rng.random() < 0.1
    beats = []
    for seq in range(1, int(watched // INTERVAL) + 2):
        position = min(seq * INTERVAL, watched)
        played = int(position * 1000)
        beat = Beat(
            view=claims.view_id, token="", seq=seq, event=Event.START if seq == 1 else Event.HEARTBEAT,
            position=position, duration=DURATION, sections=(max(0.0, position - INTERVAL), position),
            played_ms=played, stall_ms=800 if stalls else 0, stall_count=1 if stalls else 0, seeks=0,
            startup_ms=startup, bitrate_ms={2_500_000: played}, bitrate=2_500_000, rendition_height=720,
            player_height=720, upscale_ms=0, ended=watched >= DURATION, error="", hidden=False,
        )  # fmt: skip
        received = started + timedelta(seconds=seq * INTERVAL)
        beats.append(beat_record(beat, claims, received, policy, first_seen=seq == 1))
    return beats


def synthetic(video_id: str, total: int, base: datetime) -> Iterator[list[BeatRecord]]:
    """Chunks of beats, `total` in all, from views of the same video."""
    rng, policy = random.Random(7), IngestPolicy()
    chunk: list[BeatRecord] = []
    made = 0
    while made < total:
        beats = view_beats(video_id, rng, base, policy)[: total - made]
        made += len(beats)
        chunk.extend(beats)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def write_all(store: Store, video_id: str, total: int, base: datetime) -> tuple[float, set[str]]:
    """Write the beats with a few batches in flight; returns seconds taken and the days touched."""
    days: set[str] = set()
    slots = asyncio.Semaphore(WRITERS)
    started = time.monotonic()

    async def write(chunk: list[BeatRecord]) -> None:
        async with slots:
            await store.analytics.write_beats(chunk)

    pending: set[asyncio.Task[None]] = set()
    for chunk in synthetic(video_id, total, base):
        days.update(beat.view.day for beat in chunk)
        pending.add(asyncio.create_task(write(chunk)))
        if len(pending) >= WRITERS * 2:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()
    await asyncio.gather(*pending)
    return time.monotonic() - started, days


async def time_requests(client: httpx.AsyncClient, url: str, count: int = 20) -> tuple[float, float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = await client.get(url)
        response.raise_for_status()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


async def a_video(store: Store, settings: Settings) -> tuple[UserRecord, VideoRecord]:
    """An instructor (a real account, made as the app makes them) and a ready video of theirs."""
    owner = await User.create_user(
        Accounts.build(store, settings), email=f"i-{new_id()[:10]}@example.org", password=None,
        display_name="Instructor", role="instructor", verified=True,
    )  # fmt: skip
    now = utcnow()
    video = VideoRecord(new_id(), owner.id, "Synthetic lecture", VideoStatus.READY, now, now, duration=DURATION)
    await store.videos.create(video)
    return owner.record, video


async def analytics_queries(environ: dict[str, str], total: int, keep: bool) -> None:
    settings = load_settings(environ)
    store = await open_store(settings)
    await store.migrate()
    try:
        owner, video = await a_video(store, settings)
        base = datetime.now(UTC) - timedelta(hours=12)
        seconds, days = await write_all(store, video.id, total, base)
        print(f"wrote {total} synthetic heartbeats of one video straight to the store in {seconds:.1f} s "
              f"({total / seconds:.0f} beats/s, batches of {CHUNK}, {WRITERS} in flight)")  # fmt: skip
        started = time.monotonic()
        views = 0
        for day in sorted(days):
            result, _ = await rollup_video_day(store, video.id, day, utcnow())
            views += result.daily.attempts
        await refresh_viewer_summary(store, video.id, utcnow())  # as `rollup` does after a video's days
        rollup_seconds = time.monotonic() - started
        print(f"rollup of {total} heartbeats ({views} views, days {sorted(days)}): {rollup_seconds:.1f} s")
        await time_pages(store, settings, owner, video, total, rollup_seconds)
    finally:
        if not keep:
            await store._db.ddl(f"DROP KEYSPACE IF EXISTS {store._db.keyspace}")  # type: ignore[attr-defined]
        await store.close()


async def time_pages(store: Store, settings: Settings, owner: UserRecord, video: VideoRecord, total: int,
                     rollup_seconds: float) -> None:  # fmt: skip
    app = create_app(settings, store=store)
    transport = httpx.ASGITransport(app=app)
    grant = await sessions.start(Accounts.build(store, settings), owner.id, False)  # the instructor, logged in
    cookies = {sessions.cookie_name(settings): grant.secret}
    client = httpx.AsyncClient(transport=transport, base_url="http://b", cookies=cookies)
    async with app.router.lifespan_context(app), client:
        await client.get(f"/studio/{video.id}/analytics")  # warm up
        page = await time_requests(client, f"/studio/{video.id}/analytics")
        api = await time_requests(client, f"/api/videos/{video.id}/analytics")
        members = await time_requests(client, f"/studio/{video.id}/analytics/members", count=5)
    print(f"analytics page (HTML, 28 days): median {page[0]:.1f} ms, p95 {page[1]:.1f} ms")
    print(f"analytics JSON: median {api[0]:.1f} ms, p95 {api[1]:.1f} ms")
    print(f"member progress page: median {members[0]:.1f} ms")
    print(f"{total} heartbeats: rollup {rollup_seconds:.1f} s, analytics page median {page[0]:.1f} ms")

"""A real browser plays a video on the watch page; the view reaches the store and the analytics page.

Headless Debian Chromium driven by Playwright; the real app under uvicorn behind real nginx, with the store of
the `store` fixture (Cassandra in CI); a ladder made by the transcoder; signed links checked by nginx.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

import transcoder
from streamer import signing
from streamer.analytics.records import day_of
from streamer.analytics.rollup import rollup
from streamer.demo import make_source
from streamer.memberships.grants import grant
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.records import CourseRecord, UserRecord, VideoRecord, VideoStatus, Visibility, new_id, utcnow
from tests.browser_session import server_session
from tests.chromium import chromium
from tests.components import require_program
from tests.conftest import make_user
from tests.delivery.conftest import LADDER, Media, nginx_settings, start_app, start_nginx

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).parent.parent.parent / "test-artifacts"
SECONDS = 30.0


@pytest_asyncio.fixture(scope="module")
async def ladder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 30 s ladder published by the transcoder, as the worker publishes one (copied per video)."""
    require_program("ffmpeg")
    folder = tmp_path_factory.mktemp("ladder")
    source = await make_source(folder / "source.mp4", SECONDS, width=640, height=360)
    await transcoder.transcode(source, folder / "hls", ladder=LADDER, preset="ultrafast")
    return folder / "hls"


@dataclass(frozen=True)
class Site:
    base_url: str  # nginx: the app behind it, media from disk
    settings: Settings
    media: Path


@pytest_asyncio.fixture
async def site(store: Store, tmp_path: Path) -> AsyncIterator[Site]:
    media = Media(tmp_path / "media", SECONDS)
    settings = nginx_settings(tmp_path / "data", media)
    server, task = await start_app(settings, store)
    nginx = start_nginx(settings)
    try:
        yield Site(nginx.base_url, settings, media.root)
    finally:
        nginx.process.stop()
        server.should_exit = True
        await task


async def logged_in(browser: Any, store: Store, site: Site, user: UserRecord, **options: Any) -> Any:
    """A browser context carrying a real session cookie of `user`."""
    context = await browser.new_context(**options)
    session = await server_session(store, site.settings, user.id)
    await context.add_cookies([session.playwright_cookie(site.base_url)])
    return context


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Any]:
    async with chromium() as launched:
        yield launched


async def a_video(store: Store, owner: UserRecord, media: Path, ladder: Path) -> VideoRecord:
    now = utcnow()
    video = VideoRecord(new_id(), owner.id, "Browser test lecture", VideoStatus.READY, now, now, duration=30.0)
    await store.videos.create(video)
    shutil.copytree(ladder, media / "hls" / video.id)
    return video


async def wait_for(page: Any, condition: str) -> None:
    await page.wait_for_function(condition, timeout=30_000)


TRACKER_SETTLED = (
    "(t => !t.inFlight && t.queued === null && !t.timer && t.acknowledged === t.seq)(window.streamerWatch.tracker)"
)


async def test_a_browser_view_reaches_the_store_and_the_analytics_page(
    store: Store, site: Site, browser: Any, ladder: Path
) -> None:
    base_url, media = site.base_url, site.media
    instructor, member = await make_user(store, "instructor"), await make_user(store, "member")
    await grant(store, member.id, days=30, by="test")
    video = await a_video(store, instructor, media, ladder)
    context = await logged_in(browser, store, site, member, viewport={"width": 1100, "height": 900})
    page = await context.new_page()
    refused: list[str] = []
    page.on(
        "response",
        lambda r: refused.append(f"{r.status} {r.url}") if "/api/heartbeat" in r.url and r.status != 200 else None,
    )
    await page.goto(f"{base_url}/watch/{video.id}")
    await wait_for(page, "window.streamerWatch && window.streamerWatch.player.hls !== null")
    await page.evaluate("document.querySelector('video').muted = true")
    await page.click(".play")
    await wait_for(page, "document.querySelector('video').currentTime > 5")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "watch-page-playing.png"))
    await wait_for(page, "document.querySelector('video').currentTime > 8")
    await page.keyboard.press("l")  # +10 s
    await wait_for(page, "document.querySelector('video').currentTime > 23")
    await page.keyboard.press("k")  # pause
    await wait_for(page, f"window.streamerWatch.tracker.acknowledgedEvent === 'pause' && {TRACKER_SETTLED}")
    seq = await page.evaluate("window.streamerWatch.tracker.seq")
    await context.close()

    assert refused == []
    assert seq >= 4  # start, first_frame, seek, pause (+ a heartbeat)
    [view] = await store.analytics.views_on(video.id, day_of(utcnow()))
    assert (view.user_id, view.last_event, view.seeks, view.ended) == (member.id, "pause", 1, False)
    assert 12_000 <= view.played_ms <= 20_000
    assert view.startup_ms is not None
    assert view.bitrate_ms, "hls.js reported the rendition it played"
    resume = await store.analytics.resume(member.id, video.id)
    assert resume is not None
    assert 22.0 < resume.position < 27.0

    await rollup(store, [day_of(utcnow())], raw_ttl_days=30)
    studio = await logged_in(browser, store, site, instructor, viewport={"width": 1100, "height": 1400})
    analytics = await studio.new_page()
    await analytics.goto(f"{base_url}/studio/{video.id}/analytics")
    assert await analytics.inner_text("#engagement div:first-child dd") == "1"
    await analytics.screenshot(path=str(ARTIFACTS / "analytics-page.png"), full_page=True)
    report = await (await analytics.request.get(f"{base_url}/api/videos/{video.id}/analytics")).json()
    await studio.close()
    assert report["summary"]["views"] == 1
    assert report["summary"]["playing_time_ms"] == view.played_ms
    retention = report["retention"]
    assert (retention[10], retention[60], retention[70]) == (100.0, 100.0, 100.0)  # 0–8 s and ~18–24 s of 30 s
    assert retention[40] == 0.0  # skipped by the seek


async def test_a_lesson_opened_from_its_course_offers_the_next_lesson_at_its_end(
    store: Store, site: Site, browser: Any, ladder: Path
) -> None:
    instructor, member = await make_user(store, "instructor"), await make_user(store, "member")
    await grant(store, member.id, days=30, by="test")
    video = await a_video(store, instructor, site.media, ladder)
    now = utcnow()
    after = VideoRecord(new_id(), instructor.id, "Second lesson", VideoStatus.READY, now, now, duration=30.0)
    await store.videos.create(after)
    course = CourseRecord(new_id(), instructor.id, "Lectures", now, now, visibility=Visibility.MEMBERS,
                          video_ids=(video.id, after.id))  # fmt: skip
    await store.courses.create(course)
    context = await logged_in(browser, store, site, member)
    page = await context.new_page()
    await page.goto(f"{site.base_url}/watch/{video.id}?course={course.id}")
    assert " ".join((await page.inner_text(".course-context")).split()) == "Lesson 1 of 2 in Lectures"
    await wait_for(page, "window.streamerWatch && window.streamerWatch.player.hls !== null")
    await page.evaluate("document.querySelector('video').muted = true")
    await page.click(".play")
    await wait_for(page, "document.querySelector('video').currentTime > 1")
    await page.keyboard.press("9")  # 90 %: the last 3 s
    await page.wait_for_selector(".next-lesson-link", timeout=30_000)
    assert await page.inner_text(".next-lesson-link") == "Next lesson: Second lesson"
    assert await page.get_attribute(".next-lesson-link", "href") == f"/watch/{after.id}?course={course.id}"
    await wait_for(page, f"window.streamerWatch.tracker.acknowledgedEvent === 'end' && {TRACKER_SETTLED}")
    await context.close()
    resume = await store.analytics.resume(member.id, video.id)
    assert resume is not None
    assert resume.completed


async def test_the_page_says_so_when_access_is_denied(store: Store, site: Site, browser: Any, ladder: Path) -> None:
    base_url, media = site.base_url, site.media
    instructor, member = await make_user(store, "instructor"), await make_user(store, "member")
    video = await a_video(store, instructor, media, ladder)  # the member holds no membership
    context = await logged_in(browser, store, site, member)
    page = await context.new_page()
    await page.goto(f"{base_url}/watch/{video.id}")
    await page.wait_for_selector(".player-message:not([hidden])")
    assert "You do not have access to this video" in await page.inner_text(".player-message")
    await context.close()


async def test_the_page_says_so_when_the_link_has_expired(store: Store, site: Site, browser: Any, ladder: Path) -> None:
    base_url, media = site.base_url, site.media
    member = await make_user(store, "instructor")
    video = await a_video(store, member, media, ladder)
    secret = signing.link_secret(site.settings.secret_key)
    expired = base_url + signing.signed_prefix(video.id, int(time.time()) - 60, secret)
    answer = {"master_url": expired + "master.m3u8", "poster_url": "", "thumbnails_url": "", "expires_at": ""}
    context = await logged_in(browser, store, site, member)
    page = await context.new_page()
    statuses: list[int] = []

    def note(response: Any) -> None:
        if response.url.startswith(expired):
            statuses.append(response.status)

    page.on("response", note)
    # Every playback answer (the first and the renewal) is a link past its expiry, as after a long pause.
    await page.route("**/api/videos/*/playback", lambda route: route.fulfill(json=answer))
    await page.goto(f"{base_url}/watch/{video.id}")
    await page.wait_for_selector(".player-message:not([hidden])")
    assert "This playback link has expired" in await page.inner_text(".player-message")
    assert statuses, "the player fetched the expired link"
    assert set(statuses) == {410}, "nginx itself refused it"
    await context.close()

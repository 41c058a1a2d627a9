"""A real browser plays a video on the watch page; the view reaches the store and the analytics page.

Headless Debian Chromium driven by Playwright, real uvicorn, real store (Cassandra in CI), an ffmpeg-made ladder.
TEMPORARY until the delivery feature lands: the ladder is served by a static mount and the playback JSON by a
route of this test; at merge time both switch to the delivery nginx fixture with signed URLs.
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
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from streamer.analytics.records import day_of
from streamer.analytics.rollup import rollup
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.records import UserRecord, VideoRecord, VideoStatus, new_id, utcnow
from streamer.web.app import create_app
from tests.browser_session import server_session
from tests.components import require_program, unavailable
from tests.conftest import make_user, settings_for
from tests.e2e.ladder import make_ladder
from tests.e2e.servers import running

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).parent.parent.parent / "test-artifacts"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--autoplay-policy=no-user-gesture-required"]  # fmt: skip


@pytest.fixture(scope="module")
def ladder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_program("ffmpeg")
    return make_ladder(tmp_path_factory.mktemp("ladder"))


def playback_route(answers: dict[str, Any]) -> Route:
    """Stands in for the delivery feature's GET /api/videos/{id}/playback (same response shape). `answers` may
    make it refuse a video (a status) or hand out a link that has expired ("expired")."""

    async def playback(request: Request) -> Response:
        video_id = request.path_params["video_id"]
        answer = answers.get(video_id, 200)
        if answer not in (200, "expired"):
            return JSONResponse({"error": "You do not have access to this video."}, status_code=answer)
        base = "/expired" if answer == "expired" else f"/test-media/{video_id}"
        urls = {"master_url": "master.m3u8", "poster_url": "poster.jpg", "thumbnails_url": "storyboard.vtt"}
        expires = int(time.time()) + 3600
        return JSONResponse({name: f"{base}/{file}" for name, file in urls.items()} | {"expires_at": expires})

    return Route("/api/videos/{video_id}/playback", playback)


async def gone(request: Request) -> Response:
    """What nginx's secure_link answers for an expired link."""
    return Response("link expired", status_code=410)


@dataclass(frozen=True)
class Site:
    base_url: str
    settings: Settings
    answers: dict[str, Any]  # video id -> what the stand-in playback endpoint answers
    media: Path


@pytest_asyncio.fixture
async def site(store: Store, tmp_path: Path, ladder: Path) -> AsyncIterator[Site]:
    media = tmp_path / "media"
    media.mkdir()
    answers: dict[str, Any] = {}
    settings = settings_for("sqlite", tmp_path)
    app: Starlette = create_app(settings, store=store)
    test_routes = [playback_route(answers), Route("/expired/{path:path}", gone)]
    app.router.routes[0:0] = [*test_routes, Mount("/test-media", StaticFiles(directory=media))]
    async with running(app) as base_url:
        yield Site(base_url, settings, answers, media)


async def logged_in(browser: Any, store: Store, site: Site, user: UserRecord, **options: Any) -> Any:
    """A browser context carrying a real session cookie of `user`."""
    context = await browser.new_context(**options)
    session = await server_session(store, site.settings, user.id)
    await context.add_cookies([session.playwright_cookie(site.base_url)])
    return context


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Any]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        unavailable("chromium", "the Debian package `chromium` is not installed; `make test` installs it")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        unavailable("playwright", "pip install -e '.[test]' installs it")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


async def a_video(store: Store, owner: UserRecord, media: Path, ladder: Path) -> VideoRecord:
    now = utcnow()
    video = VideoRecord(new_id(), owner.id, "Browser test lecture", VideoStatus.READY, now, now, duration=30.0)
    await store.videos.create(video)
    shutil.copytree(ladder, media / video.id)
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


async def test_the_page_says_so_when_access_is_denied(store: Store, site: Site, browser: Any, ladder: Path) -> None:
    base_url, answers, media = site.base_url, site.answers, site.media
    member = await make_user(store, "member")
    video = await a_video(store, member, media, ladder)
    answers[video.id] = 403
    context = await logged_in(browser, store, site, member)
    page = await context.new_page()
    await page.goto(f"{base_url}/watch/{video.id}")
    await page.wait_for_selector(".player-message:not([hidden])")
    assert "You do not have access to this video" in await page.inner_text(".player-message")
    await context.close()


async def test_the_page_says_so_when_the_link_has_expired(store: Store, site: Site, browser: Any, ladder: Path) -> None:
    base_url, answers, media = site.base_url, site.answers, site.media
    member = await make_user(store, "member")
    video = await a_video(store, member, media, ladder)
    answers[video.id] = "expired"
    context = await logged_in(browser, store, site, member)
    page = await context.new_page()
    await page.goto(f"{base_url}/watch/{video.id}")
    await page.wait_for_selector(".player-message:not([hidden])")
    assert "This playback link has expired" in await page.inner_text(".player-message")
    await context.close()

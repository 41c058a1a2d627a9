"""Headless Chromium against a real uvicorn: a member logs in through the login form, opens the home page,
continues a course on the real watch page, finishes a lesson and lands on the next one; the player's real
heartbeats (POST /api/heartbeat) reach the store, and the course and home pages then show that progress.
Also the player-adapter contract for YouTube, Vimeo and Wistia.

YouTube, Vimeo and Wistia cannot be reached from this machine (no internet): every host player in these tests
is a local TEST DOUBLE (tests/e2e/doubles/) that speaks the same API and events as the real one. Everything
else is real: the app, its store, the watch page, the heartbeat endpoint and the progress it feeds."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from streamer.memberships.grants import grant
from streamer.settings import Settings
from streamer.storage import open_store
from streamer.storage.records import CourseRecord, VideoRecord, VideoStatus, Visibility, new_id, utcnow
from tests.chromium import sync_chromium
from tests.components import require_program
from tests.conftest import TEST_PASSWORD, make_user, settings_for
from tests.e2e.catalog_server import DOUBLE_SCRIPTS, serve

pytestmark = pytest.mark.e2e
TRACKER_SETTLED = (
    "(t => !t.inFlight && t.queued === null && !t.timer && t.acknowledged === t.seq)(window.streamerWatch.tracker)"
)
LESSONS = [("youtube", "dQw4w9WgXcQ", ""), ("vimeo", "76979871", "8c5c9f1d2e"), ("wistia", "e4a27b971d", "")]


async def seed(settings: Settings) -> dict[str, str]:
    """The course and its lessons, and a member (password TEST_PASSWORD) with a granted membership."""
    store = await open_store(settings)
    await store.migrate()
    now = utcnow()
    owner, member = await make_user(store, "instructor"), await make_user(store, "member")
    await grant(store, member.id, 30, by="tests")
    videos = [
        VideoRecord(
            id=new_id(),
            owner_id=owner.id,
            title=f"Lesson {n + 1}",
            status=VideoStatus.READY,
            created_at=now,
            updated_at=now,
            external_host=host,
            external_id=vid,
            external_hash=secret,
        )
        for n, (host, vid, secret) in enumerate(LESSONS)
    ]
    for video in videos:
        await store.videos.create(video)
    course = CourseRecord(
        id=new_id(),
        owner_id=owner.id,
        title="Embedding 101",
        created_at=now,
        updated_at=now,
        visibility=Visibility.MEMBERS,
        video_ids=tuple(v.id for v in videos),
    )
    await store.courses.create(course)
    await store.close()
    lessons = {f"lesson{n + 1}": v.id for n, v in enumerate(videos)}
    return {"member": member.id, "email": member.email, "course": course.id, **lessons}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    require_program("chromium")  # before seeding: no browser, no point
    settings = settings_for("sqlite", tmp_path_factory.mktemp("browser"))
    ids = asyncio.run(seed(settings))
    with serve(settings) as base:
        yield base, ids


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_chromium() as launched:
        yield launched


def test_a_member_continues_a_course_and_lands_on_the_next_lesson(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, ids = site
    context = browser.new_context(base_url=base)
    for script in DOUBLE_SCRIPTS:
        context.add_init_script(path=script)
    page = context.new_page()
    refused: list[str] = []
    page.on("response", lambda r: refused.append(r.url) if "/api/heartbeat" in r.url and r.status != 200 else None)
    page.goto("/login")
    page.fill("input[name=email]", ids["email"])
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")  # logging in lands on the home page
    page.click("#courses >> text=Embedding 101")
    assert page.locator(".lesson").nth(0).get_attribute("data-state") == "not started"
    page.click("#continue-course")
    page.wait_for_url(f"**/watch/{ids['lesson1']}?course={ids['course']}")
    assert "delivered by YouTube" in page.inner_text(".host-note")
    assert "Lesson 1 of 3 in Embedding 101" in " ".join(page.inner_text(".course-context").split())
    page.click("text=Play (YouTube double)")
    page.wait_for_selector(".next-lesson-link", timeout=15_000)
    assert page.inner_text(".next-lesson-link") == "Next lesson: Lesson 2"
    page.wait_for_function(f"window.streamerWatch.tracker.acknowledgedEvent === 'end' && {TRACKER_SETTLED}")
    page.click(".next-lesson-link")
    page.wait_for_url(f"**/watch/{ids['lesson2']}?course={ids['course']}")
    assert page.inner_text(".watch-title") == "Lesson 2"
    page.click("text=Play (Vimeo double)")
    page.wait_for_timeout(1200)
    page.evaluate("window.streamerPlayer.adapter.pause()")
    page.wait_for_function(f"window.streamerWatch.tracker.acknowledgedEvent === 'pause' && {TRACKER_SETTLED}")

    page.goto(f"/courses/{ids['course']}")
    states = [page.locator(".lesson").nth(n).get_attribute("data-state") for n in range(3)]
    assert states == ["done", "in progress", "not started"]
    assert "Continue: Lesson 2" in page.inner_text("#continue-course")
    page.goto("/")
    assert "Lesson 2" in page.inner_text("#continue-watching")
    context.close()
    assert refused == []


@pytest.mark.parametrize(("host", "video_id", "secret"), LESSONS)
def test_each_host_adapter_keeps_the_contract(site, browser, host: str, video_id: str, secret: str) -> None:  # type: ignore[no-untyped-def]
    base, _ids = site
    page = browser.new_page(base_url=base)
    page.goto(f"/test/adapter/{host}?id={video_id}&hash={secret}")
    page.wait_for_function("window.events && window.events.some(([name]) => name === 'ready')")
    assert page.evaluate("window.adapter.getDuration()") == 3
    page.evaluate("window.adapter.play()")
    page.wait_for_function("window.events.some(([name, d]) => name === 'timeupdate' && d.position > 0.3)")
    page.evaluate("window.adapter.seek(1.5)")
    page.wait_for_function("window.events.some(([name, d]) => name === 'seeked' && Math.abs(d.position - 1.5) < 0.2)")
    page.evaluate("window.adapter.pause()")
    page.wait_for_function("window.events.some(([name]) => name === 'pause')")
    assert 1.4 < page.evaluate("window.adapter.getPosition()") < 2.2
    page.evaluate("window.adapter.play()")
    page.wait_for_function("window.events.some(([name]) => name === 'ended')", timeout=10_000)
    names = page.evaluate("[...new Set(window.events.map(([name]) => name))]")
    assert set(names) == {"ready", "play", "timeupdate", "seeked", "pause", "ended"}
    options = page.evaluate("window.doubleLog[0].options")
    if host == "youtube":
        assert (options["host"], options["videoId"]) == ("https://www.youtube-nocookie.com", video_id)
    elif host == "vimeo":
        assert options["url"] == f"https://vimeo.com/{video_id}/{secret}"
    else:
        assert options["id"] == video_id
    page.close()

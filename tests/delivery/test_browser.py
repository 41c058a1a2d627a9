"""A real browser (Debian's chromium, driven by Playwright) plays a video from the watch page: hls.js asks the
app for signed links and fetches every segment from nginx."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Route

from streamer import signing
from tests.chromium import chromium
from tests.delivery.conftest import PLAIN, Stack

pytestmark = pytest.mark.e2e


# Muted autoplay; play() may be interrupted by hls.js attaching its source, which autoplay then overrides.
PLAY = """(() => {
  const video = document.querySelector('#player video');
  video.muted = true;
  video.autoplay = true;
  video.play().catch(() => {});
})()"""


@pytest_asyncio.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def test_the_watch_page_plays_the_video_through_nginx(stack: Stack, browser: Browser) -> None:
    context = await browser.new_context()
    await context.add_cookies([stack.session.playwright_cookie(stack.nginx.base_url)])  # type: ignore[list-item]
    page = await context.new_page()
    media_statuses: list[int] = []
    page.on("response", lambda response: "/v/" in response.url and media_statuses.append(response.status))
    await page.goto(f"{stack.nginx.base_url}/watch/{PLAIN}")
    await page.evaluate(PLAY)
    await page.wait_for_function("document.querySelector('#player video').currentTime > 1.5", timeout=20_000)
    assert await page.evaluate("document.querySelector('#player .player-message').hidden")
    assert media_statuses
    assert set(media_statuses) == {200}
    await context.close()


async def test_the_player_fetches_fresh_links_when_its_link_has_expired(stack: Stack, browser: Browser) -> None:
    secret = signing.link_secret(stack.settings.secret_key)
    expired = stack.nginx.base_url + signing.signed_prefix(PLAIN, int(time.time()) - 60, secret, "127.0.0.1")
    calls: list[str] = []

    async def first_answer_expired(route: Route) -> None:
        calls.append(route.request.url)
        if len(calls) > 1:
            await route.continue_()
            return
        body = {"master_url": expired + "master.m3u8", "expires_at": "", "poster_url": "", "thumbnails_url": ""}
        await route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    context = await browser.new_context()
    await context.add_cookies([stack.session.playwright_cookie(stack.nginx.base_url)])  # type: ignore[list-item]
    page = await context.new_page()
    await page.route("**/api/videos/*/playback", first_answer_expired)
    expired_answers: list[int] = []
    page.on("response", lambda response: response.url.startswith(expired) and expired_answers.append(response.status))
    await page.goto(f"{stack.nginx.base_url}/watch/{PLAIN}")
    await page.evaluate(PLAY)
    await page.wait_for_function("document.querySelector('#player video').currentTime > 1.5", timeout=20_000)
    assert expired_answers
    assert set(expired_answers) == {410}
    assert len(calls) == 2
    await context.close()

"""A real browser (Debian's chromium, driven by Playwright) plays a video from the watch page: hls.js asks the
app for signed links and fetches every segment from nginx."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright

from tests.components import unavailable
from tests.delivery.conftest import PLAIN, Stack

pytestmark = pytest.mark.e2e


@pytest_asyncio.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        unavailable("chromium", "`chromium` is not on PATH; `make test` installs it")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"]
        )
        yield launched
        await launched.close()


async def test_the_watch_page_plays_the_video_through_nginx(stack: Stack, browser: Browser) -> None:
    context = await browser.new_context(extra_http_headers={"X-Test-User": stack.viewer.id})
    page = await context.new_page()
    media_statuses: list[int] = []
    page.on("response", lambda response: "/v/" in response.url and media_statuses.append(response.status))
    await page.goto(f"{stack.nginx.base_url}/watch/{PLAIN}")
    await page.evaluate("document.getElementById('player').muted = true; document.getElementById('player').play()")
    await page.wait_for_function("document.getElementById('player').currentTime > 1.5", timeout=20_000)
    assert await page.evaluate("document.getElementById('player-error').hidden")
    assert media_statuses
    assert set(media_statuses) == {200}
    await context.close()

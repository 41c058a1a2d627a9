"""Debian's Chromium for browser tests: the one set of launch flags, for Playwright's async and sync APIs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from playwright.async_api import Browser, async_playwright
from playwright.sync_api import Browser as SyncBrowser
from playwright.sync_api import sync_playwright

from tests.components import require_program

# Headless, no sandbox (root in CI), no background traffic, and media that may start without a click.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--autoplay-policy=no-user-gesture-required"]  # fmt: skip


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """A launched Chromium (fails under CI=true, skips elsewhere, when it is not installed)."""
    executable = require_program("chromium")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


@contextmanager
def sync_chromium() -> Iterator[SyncBrowser]:
    """The same, for tests written against Playwright's sync API."""
    executable = require_program("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()

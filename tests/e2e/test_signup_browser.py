"""Done-when, in a real browser: a new user signs up in headless Chromium, receives the mail on a real SMTP server,
verifies, logs in with remember-me, sees their name from request.user, and logs out. The app runs under uvicorn
(`streamer serve`) on a loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser

from tests.chromium import chromium
from tests.smtp import Mailbox, free_port, link_in, smtp

__all__ = ["smtp"]
pytestmark = pytest.mark.e2e
STREAMER = Path(sys.executable).parent / "streamer"


@pytest.fixture
def site(tmp_path: Path, smtp: Mailbox) -> Iterator[str]:
    """`streamer serve` on a free port, migrated SQLite in tmp_path, mail to the test's SMTP server."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = os.environ | {
        "STREAMER_DATA_DIR": str(tmp_path / "data"),
        "STREAMER_PUBLIC_URL": base,
        "STREAMER_SMTP_URL": smtp.url,
        "STREAMER_LOG_LEVEL": "warning",
    }
    subprocess.run([str(STREAMER), "db", "migrate"], env=env, check=True, capture_output=True)
    log = (tmp_path / "app.log").open("wb")
    server = subprocess.Popen([str(STREAMER), "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
    try:
        _wait_for(f"{base}/healthz", server)
        yield base
    finally:
        server.terminate()
        server.wait(20)
        log.close()


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "streamer serve exited"
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    pytest.fail(f"{url} did not answer")


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def test_sign_up_verify_log_in_remembered_see_the_name_and_log_out(
    site: str, smtp: Mailbox, browser: Browser, tmp_path: Path
) -> None:
    email = f"e2e-{time.time_ns()}@example.org"
    page = await (await browser.new_context()).new_page()
    await page.goto(f"{site}/signup")
    await page.fill("input[name=display_name]", "Ada Lovelace")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", "analytical engine notes")
    await page.click("button[type=submit]")
    assert "Check your inbox" in await page.inner_text("main")

    link = link_in(smtp.last_to(email), "/verify/")
    assert link.startswith(f"{site}/verify/")
    await page.goto(link)
    assert "is confirmed" in await page.inner_text("main")

    await page.goto(f"{site}/login")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", "analytical engine notes")
    await page.check("input[name=remember]")
    await page.click("main button[type=submit]")
    await page.wait_for_url(f"{site}/")
    assert "Newest videos" in await page.inner_text("main")  # the logged-in home page
    await page.goto(f"{site}/account")
    assert await page.inner_text("header nav a[href='/account']") == "Ada Lovelace"
    await page.screenshot(path=str(tmp_path / "account.png"), full_page=True)

    cookies = {cookie["name"]: cookie for cookie in await page.context.cookies()}
    session = cookies["streamer_session"]
    days = (datetime.fromtimestamp(session["expires"], UTC) - datetime.now(UTC)).total_seconds() / 86400
    assert (session["httpOnly"], session["sameSite"], session["path"], round(days)) == (True, "Lax", "/", 30)

    await page.click("header form[action='/logout'] button")
    await page.wait_for_url(f"{site}/login")
    assert "streamer_session" not in {cookie["name"] for cookie in await page.context.cookies()}
    await page.goto(f"{site}/account")
    assert page.url.startswith(f"{site}/login?next=")

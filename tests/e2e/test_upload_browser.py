"""An instructor uploads in headless Chromium with tus-js-client over a throttled network: the progress bar
shows percent, speed and time left; the network drops and comes back (the upload goes on by itself); it drops
again and the page is reloaded and the same file chosen: the upload resumes from the server's offset (no new
upload), and processing runs live to "Ready"."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, CDPSession, Page, Request, Response

from streamer.catalog.layout import MediaLayout
from streamer.settings import load_settings
from streamer.storage import open_store
from streamer.storage.base import Store
from streamer.storage.records import VideoStatus
from streamer.web.vendor import NODE_MODULES
from tests.browser_session import server_session
from tests.chromium import chromium
from tests.components import unavailable
from tests.media import padded
from tests.servers import ROOT, AppServer, start_worker
from tests.worker.conftest import FAST, an_instructor, decoded_duration

pytestmark = pytest.mark.e2e
MB = 1_000_000
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"STREAMER_ENV": "test", "STREAMER_DATA_DIR": str(tmp_path / "data"), **FAST}


@pytest_asyncio.fixture
async def store(env: dict[str, str]) -> AsyncIterator[Store]:
    opened = await open_store(load_settings(env))
    await opened.migrate()
    yield opened
    await opened.close()


@pytest.fixture
def server(env: dict[str, str], store: Store, tmp_path: Path) -> Iterator[AppServer]:
    if not (NODE_MODULES / "tus-js-client").is_dir():
        unavailable("tus-js-client", "node_modules is not installed; `make deps` runs npm ci")
    app = AppServer(env, tmp_path / "app.log").start()
    worker = start_worker(env, tmp_path / "worker.log")
    yield app
    worker.terminate()
    worker.wait(20)
    app.close()


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def text(page: Page, selector: str) -> str:
    return (await page.text_content(selector) or "").strip()


async def network(cdp: CDPSession, *, offline: bool = False, upload_bytes_per_second: int = -1) -> None:
    """Chromium's own network emulation (DevTools protocol): throttle uploads, or cut the network."""
    conditions = {
        "offline": offline,
        "latency": 0,
        "downloadThroughput": -1,
        "uploadThroughput": upload_bytes_per_second,
    }
    await cdp.send("Network.emulateNetworkConditions", conditions)


async def percent(page: Page) -> float:
    return float((await text(page, "#upload-percent")).split()[0])


async def test_a_browser_upload_survives_a_lost_network_and_a_reload(
    server: AppServer, store: Store, browser: Browser, env: dict[str, str], tmp_path: Path
) -> None:
    user = await an_instructor(store)
    source = padded(tmp_path / "src", 70)
    session = await server_session(store, load_settings(env), user.id)
    context = await browser.new_context()
    await context.add_cookies([session.playwright_cookie(server.url)])
    page = await context.new_page()
    sent: list[tuple[str, str]] = []
    page.on("request", lambda request: _note_tus(request, sent))
    tokens: set[str | None] = set()
    page.on("request", lambda request: _note_token(request, tokens))
    offered: list[int] = []  # Upload-Offset of each HEAD answer: where the server says to go on
    page.on("response", lambda response: _note_head(response, offered))

    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await page.goto(f"{server.url}/studio/upload")
    await network(cdp, upload_bytes_per_second=6 * MB)
    await page.set_input_files("#file", str(source))
    await page.fill("#title", "Lecture from the browser")
    await page.click("#start")
    await page.wait_for_function("parseFloat(document.getElementById('upload-percent').textContent) > 10")
    assert (await text(page, "#upload-speed")).endswith("MB/s")
    assert (await text(page, "#upload-left")).endswith(" s left")
    await network(cdp, offline=True)  # the train enters a tunnel...
    await page.wait_for_function("document.getElementById('upload-error').textContent.length > 0")
    assert (await text(page, "#upload-error")).startswith("The connection was lost at ")
    stalled_at = await percent(page)
    await network(cdp, upload_bytes_per_second=6 * MB)  # ...and leaves it: the upload goes on by itself
    await page.wait_for_function(f"parseFloat(document.getElementById('upload-percent').textContent) > {stalled_at}")
    assert await text(page, "#upload-error") == ""
    await network(cdp, offline=True)  # then the laptop's lid closes
    await page.wait_for_function("document.getElementById('upload-error').textContent.length > 0")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "upload-interrupted.png"), full_page=True)
    [uploading] = await store.videos.list_by_owner(user.id)
    upload = await store.uploads.get(uploading.id)
    assert upload is not None
    kept = upload.offset
    assert 0 < kept < upload.length

    await network(cdp)
    await page.reload()
    assert "padded_70.mp4" in await text(page, "#resumable")
    sent.clear()
    offered.clear()
    await page.set_input_files("#file", str(source))
    await page.click("#start")
    await page.wait_for_function("document.getElementById('process-label').textContent === 'Ready'", timeout=120_000)
    await page.screenshot(path=str(ARTIFACTS / "upload-ready.png"), full_page=True)

    assert [method for method, _ in sent if method == "POST"] == []
    assert tokens == {session.csrf_token}  # every unsafe tus request carried the page's CSRF token
    # The bytes of the request the reload cut off may land after `kept` was read: the client asks (HEAD)
    # and goes on from whatever the server holds then, never from zero.
    assert offered[0] >= kept
    assert next(item for item in sent if item[0] == "PATCH") == ("PATCH", str(offered[0]))
    layout = MediaLayout(Path(env["STREAMER_DATA_DIR"]) / "media")
    assert _digest(layout.source(uploading.id)) == _digest(source)
    video = await store.videos.get(uploading.id)
    assert video is not None
    assert (video.status, video.title) == (VideoStatus.READY, "Lecture from the browser")
    master = layout.hls(video.id) / "master.m3u8"
    assert await asyncio.to_thread(decoded_duration, master) == pytest.approx(2.0, abs=0.15)

    await page.goto(f"{server.url}/studio")
    assert "Ready" in (await page.locator(f"tr[data-video='{video.id}']").text_content() or "")
    await page.screenshot(path=str(ARTIFACTS / "studio-videos.png"), full_page=True)
    await context.close()


def _note_tus(request: Request, sent: list[tuple[str, str]]) -> None:
    """Remember each tus request: ("POST", "") or ("PATCH", its offset)."""
    if "/uploads/" not in request.url:
        return
    if request.method == "POST":
        sent.append(("POST", ""))
    elif request.method == "PATCH":
        sent.append(("PATCH", request.headers.get("upload-offset", "")))


def _note_head(response: Response, offered: list[int]) -> None:
    if "/uploads/" in response.url and response.request.method == "HEAD" and response.ok:
        offered.append(int(response.headers["upload-offset"]))


def _note_token(request: Request, tokens: set[str | None]) -> None:
    if "/uploads/" in request.url and request.method in ("POST", "PATCH", "DELETE"):
        tokens.add(request.headers.get("x-csrf-token"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()

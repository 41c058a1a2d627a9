"""tuspy (the tus project's Python client) against the real app under uvicorn: whole uploads, an upload
interrupted by an app crash mid-request that resumes from the server's offset, and constant server memory."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from tusclient.client import TusClient
from tusclient.exceptions import TusCommunicationError

from streamer.catalog.layout import MediaLayout
from streamer.catalog.uploads import CHECKPOINT_BYTES
from streamer.storage import open_store
from streamer.storage.base import Store
from streamer.storage.records import VideoStatus
from tests.browser_session import ServerSession, server_session
from tests.conftest import make_user
from tests.media import make
from tests.servers import AppServer

pytestmark = pytest.mark.e2e
MIB = 1024 * 1024


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"STREAMER_ENV": "test", "STREAMER_DATA_DIR": str(tmp_path / "data")}


@pytest_asyncio.fixture
async def db(env: dict[str, str]) -> AsyncIterator[Store]:
    from streamer.settings import load_settings

    store = await open_store(load_settings(env))
    await store.migrate()
    yield store
    await store.close()


@pytest.fixture
def server(env: dict[str, str], db: Store, tmp_path: Path) -> Iterator[AppServer]:
    app = AppServer(env, tmp_path / "app.log").start()
    yield app
    app.close()


async def session_of(db: Store, env: dict[str, str], role: str) -> ServerSession:
    """A logged-in session of a new user with `role`: the cookie and CSRF header a real client sends."""
    from streamer.settings import load_settings

    user = await make_user(db, role)
    return await server_session(db, load_settings(env), user.id)


@pytest_asyncio.fixture
async def instructor(db: Store, env: dict[str, str]) -> ServerSession:
    return await session_of(db, env, "instructor")


def media(env: dict[str, str]) -> MediaLayout:
    return MediaLayout(Path(env["STREAMER_DATA_DIR"]) / "media")


def random_file(path: Path, size: int) -> Path:
    with path.open("wb") as f:
        for _ in range(size // MIB):
            f.write(os.urandom(MIB))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def test_tuspy_uploads_a_video_in_chunks_and_it_is_queued(
    server: AppServer, db: Store, instructor: ServerSession, env: dict[str, str], tmp_path: Path
) -> None:
    source = make(tmp_path / "src", "small.mp4")
    client = TusClient(f"{server.url}/uploads/", headers=instructor.headers)
    uploader = client.uploader(str(source), chunk_size=4096, metadata={"filename": "small.mp4", "title": "Tiny"})
    await asyncio.to_thread(uploader.upload)
    video_id = uploader.url.rsplit("/", 1)[1]
    video = await db.videos.get(video_id)
    assert video is not None
    assert (video.status, video.title) == (VideoStatus.QUEUED, "Tiny")
    assert digest(media(env).source(video_id)) == digest(source)


@pytest.mark.parametrize(
    ("role", "send_csrf", "status"), [("member", True, 403), ("instructor", False, 403), (None, False, 403)]
)
async def test_tuspy_is_refused_without_an_instructors_session_and_its_csrf_header(
    server: AppServer, db: Store, env: dict[str, str], tmp_path: Path, role: str | None, send_csrf: bool, status: int
) -> None:
    headers: dict[str, str] = {}
    if role:
        session = await session_of(db, env, role)
        headers = session.headers if send_csrf else {"Cookie": session.headers["Cookie"]}
    client = TusClient(f"{server.url}/uploads/", headers=headers)
    uploader = client.uploader(str(make(tmp_path / "src", "small.mp4")), metadata={"filename": "small.mp4"})
    with pytest.raises(TusCommunicationError) as refused:
        await asyncio.to_thread(uploader.upload)
    assert refused.value.status_code == status
    uploads = media(env).uploads_dir
    assert not uploads.exists() or list(uploads.iterdir()) == []


def _slow_patch(url: str, session: ServerSession, source: Path, offset: int, sent: list[int]) -> None:
    """PATCH the file from `offset`, 1 MiB every 50 ms, counting what went out, until the connection dies."""

    def body() -> Iterator[bytes]:
        with source.open("rb") as f:
            f.seek(offset)
            while piece := f.read(MIB):
                sent.append(len(piece))
                yield piece
                time.sleep(0.05)

    headers = {
        "Tus-Resumable": "1.0.0",
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": str(offset),
        **session.headers,
    }
    with contextlib.suppress(httpx.HTTPError):
        httpx.patch(url, headers=headers, content=body(), timeout=30)


async def test_an_upload_cut_by_an_app_crash_resumes_from_the_servers_offset(
    server: AppServer, db: Store, instructor: ServerSession, env: dict[str, str], tmp_path: Path
) -> None:
    source = random_file(tmp_path / "lecture.bin", 32 * MIB)
    client = TusClient(f"{server.url}/uploads/", headers=instructor.headers)
    first = client.uploader(str(source), chunk_size=2 * MIB, metadata={"filename": "lecture.mp4"})
    await asyncio.to_thread(first.upload, stop_at=4 * MIB)  # two chunks, then the client stops
    assert first.offset == 4 * MIB

    # A request is streaming the rest of the file when the app is SIGKILLed, after its first checkpoint.
    sent: list[int] = []
    writer = threading.Thread(target=_slow_patch, args=(first.url, instructor, source, 4 * MIB, sent))
    writer.start()
    video_id = first.url.rsplit("/", 1)[1]
    promised = await _stored_offset_reaching(db, video_id, 4 * MIB + CHECKPOINT_BYTES)
    await asyncio.to_thread(server.restart)
    await asyncio.to_thread(writer.join, 30)
    assert sum(sent) < 28 * MIB, "the request finished before the crash"

    # A fresh client (as after a reboot) asks the restarted app where to go on: no less than it was promised.
    resumed = client.uploader(str(source), chunk_size=2 * MIB, url=first.url)
    assert promised <= resumed.offset <= 4 * MIB + sum(sent)
    await asyncio.to_thread(resumed.upload)
    assert digest(media(env).source(video_id)) == digest(source)
    video = await db.videos.get(video_id)
    assert video is not None
    assert video.status == VideoStatus.FAILED  # random bytes: which reason depends on what ffprobe makes of them
    assert video.error


async def _stored_offset_reaching(store: Store, upload_id: str, wanted: int) -> int:
    async with asyncio.timeout(30):
        while True:
            upload = await store.uploads.get(upload_id)
            if upload is not None and upload.offset >= wanted:
                return upload.offset
            await asyncio.sleep(0.02)


def _peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


async def test_a_large_upload_streams_through_constant_server_memory(
    server: AppServer, db: Store, instructor: ServerSession, env: dict[str, str], tmp_path: Path
) -> None:
    size = 256 * MIB
    source = tmp_path / "big.bin"
    with source.open("wb") as f:
        f.truncate(size)  # sparse: cheap to make, real bytes on the server's side
    before = _peak_rss_kib(server.pid)
    client = TusClient(f"{server.url}/uploads/", headers=instructor.headers)
    uploader = client.uploader(str(source), chunk_size=size, metadata={"filename": "big.mp4"})
    started = time.monotonic()
    await asyncio.to_thread(uploader.upload)
    seconds = time.monotonic() - started
    growth_mib = (_peak_rss_kib(server.pid) - before) / 1024
    print(f"256 MiB in one PATCH: {seconds:.1f} s, server peak RSS grew {growth_mib:.1f} MiB")
    assert media(env).source(uploader.url.rsplit("/", 1)[1]).stat().st_size == size
    assert growth_mib < 32

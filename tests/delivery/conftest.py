"""Real nginx on a free loopback port, serving a tiny HLS ladder made with real ffmpeg."""

from __future__ import annotations

import asyncio
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
import uvicorn

import transcoder
from streamer.delivery.keys import create_key
from streamer.delivery.nginx import NginxProcess
from streamer.delivery.render import NginxLayout, render
from streamer.demo import make_source
from streamer.server import config as server_config
from streamer.settings import Settings, load_settings
from streamer.storage import open_store
from streamer.storage.base import Store
from streamer.storage.records import UserRecord, VideoRecord, VideoStatus, utcnow
from streamer.web.app import create_app
from tests.browser_session import ServerSession, server_session
from tests.components import require_program
from tests.conftest import make_user

CLIP_SECONDS = 4.0
PLAIN, OTHER, ENCRYPTED = "vidplain01", "vidother02", "videncr03"
LADDER = (transcoder.Rung.of(360, 700), transcoder.Rung.of(180, 200))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Media:
    root: Path
    duration: float

    def folder(self, video_id: str) -> Path:
        return self.root / "hls" / video_id

    def files(self, video_id: str) -> list[str]:
        folder = self.folder(video_id)
        return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


@pytest_asyncio.fixture(scope="session")
async def media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    """One media root: a plain fMP4 ladder, a copy of it under another id, and a TS/AES-128 ladder."""
    require_program("ffmpeg")
    root = tmp_path_factory.mktemp("media")
    source = await make_source(root / "source.mp4", CLIP_SECONDS, width=640, height=360)
    key = create_key(root, ENCRYPTED)
    await asyncio.gather(
        transcoder.transcode(source, root / "hls" / PLAIN, ladder=LADDER, preset="ultrafast"),
        transcoder.transcode(source, root / "hls" / ENCRYPTED, ladder=LADDER, preset="ultrafast", encryption=key),
    )
    shutil.copytree(root / "hls" / PLAIN, root / "hls" / OTHER)
    (root / "hls" / "outside.m3u8").write_text("#EXTM3U\n# not inside any video folder\n")
    return Media(root, CLIP_SECONDS)


def nginx_settings(data_dir: Path, media: Media, **env: str) -> Settings:
    nginx_port = free_port()
    return load_settings(
        {
            "STREAMER_ENV": "test",
            "STREAMER_DATA_DIR": str(data_dir),
            "STREAMER_MEDIA_ROOT": str(media.root),
            "STREAMER_NGINX_PORT": str(nginx_port),
            "STREAMER_PUBLIC_URL": f"http://127.0.0.1:{nginx_port}",
            "STREAMER_PORT": str(free_port()),
            "STREAMER_NGINX_WORKERS": "1",
            **env,
        }
    )


@dataclass
class RunningNginx:
    settings: Settings
    process: NginxProcess

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.nginx_port}"

    @property
    def layout(self) -> NginxLayout:
        return self.process.layout


def start_nginx(settings: Settings) -> RunningNginx:
    nginx = require_program(settings.nginx_bin)
    layout = NginxLayout.for_settings(settings)
    layout.prepare()
    layout.conf.write_text(render(settings, layout))
    process = NginxProcess.start(nginx, layout, ("127.0.0.1", settings.nginx_port))
    return RunningNginx(settings, process)


@pytest.fixture(scope="module")
def nginx_server(media: Media, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningNginx]:
    running = start_nginx(nginx_settings(tmp_path_factory.mktemp("nginx"), media))
    yield running
    running.process.stop()


@pytest.fixture(scope="module")
def bound_nginx(media: Media, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningNginx]:
    """nginx whose links are bound to the viewer's IP address."""
    settings = nginx_settings(tmp_path_factory.mktemp("nginx-bound"), media, STREAMER_LINK_BIND_IP="true")
    running = start_nginx(settings)
    yield running
    running.process.stop()


async def raw_get(port: int, target: str, source: str = "127.0.0.1", method: str = "GET") -> tuple[int, bytes]:
    """Send `target` byte for byte (no client-side normalisation of `..` or `%2e`); (status, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    writer.write(f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    response = await reader.read()
    writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


@dataclass
class Stack:
    """Real uvicorn (the app) behind real nginx, on one SQLite store; `session` is the viewer's login."""

    nginx: RunningNginx
    store: Store
    viewer: UserRecord
    session: ServerSession

    @property
    def settings(self) -> Settings:
        return self.nginx.settings


async def start_app(settings: Settings, store: Store) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    app = create_app(settings, store=store)
    server = uvicorn.Server(server_config(settings, app))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    return server, task


async def ready_video(store: Store, video_id: str, owner_id: str, duration: float) -> None:
    now = utcnow()
    await store.videos.create(VideoRecord(video_id, owner_id, video_id, VideoStatus.READY, now, now, duration=duration))


@pytest_asyncio.fixture(scope="module")
async def stack(media: Media, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    settings = nginx_settings(tmp_path_factory.mktemp("stack"), media, STREAMER_LINK_BIND_IP="true")
    store = await open_store(settings)
    await store.migrate()
    viewer = await make_user(store, "instructor")
    for video_id in (PLAIN, ENCRYPTED):
        await ready_video(store, video_id, viewer.id, media.duration)
    server, task = await start_app(settings, store)
    running = start_nginx(settings)
    yield Stack(running, store, viewer, await server_session(store, settings, viewer.id))
    running.process.stop()
    server.should_exit = True
    await task
    await store.close()

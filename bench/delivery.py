"""Delivery benchmark with wrk: one segment through signed nginx, plain nginx and the app itself; and the
playback-URL endpoint against a trivial endpoint of the same app. Ratios within one run (machines are noisy).

Run: .venv/bin/python -m bench.delivery [--seconds 8]. The last line holds the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from streamer import signing
from streamer.accounts import sessions
from streamer.accounts.context import Accounts
from streamer.accounts.users import User
from streamer.delivery.nginx import NginxProcess
from streamer.delivery.render import NginxLayout, render
from streamer.settings import Settings, load_settings
from streamer.storage import open_store
from streamer.storage.records import VideoRecord, VideoStatus, utcnow

VIDEO_ID = "benchvideo"
# Segments of the transcoder's default 4-second ladder: the 360p rung (800 kb/s) and the 1080p rung (5 Mb/s).
SEGMENTS = {"360p": 4 * 800_000 // 8, "1080p": 4 * 5_000_000 // 8}
# 100 connections that each pause between requests, like viewers opening pages (wrk closes its loop otherwise,
# and at saturation latency is only concurrency / throughput). The pause is random (0 to twice the mean), or
# the connections stay in lockstep and every request waits behind 99 others. A 100 ms mean asks ~1000 req/s,
# more than one app process on a small machine serves (still queueing); 1 s asks ~100 req/s.
PACED_DELAYS_MS = (100, 1000)


@dataclass(frozen=True)
class Measured:
    name: str
    requests_per_second: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wrk(name: str, url: str, seconds: int, connections: int, header: str = "", script: Path | None = None) -> Measured:
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if header:
        argv += ["-H", header]
    if script:
        argv += ["-s", str(script)]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = int(errors[1]) if errors else 0
    failed += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return Measured(name, rate, float(p99[1]) * scale[p99[2]] if p99 else 0.0, failed)


def bench_settings(root: Path) -> Settings:
    return load_settings(
        {
            "STREAMER_DATA_DIR": str(root / "data"),
            "STREAMER_SECRET_KEY": secrets.token_hex(24),
            "STREAMER_NGINX_PORT": str(free_port()),
            "STREAMER_PORT": str(free_port()),
            "STREAMER_DELIVERY_ACCESS_LOG_JSON": "true",
        }
    )


def env_of(settings: Settings) -> dict[str, str]:
    names = {"STREAMER_DATA_DIR": settings.data_dir, "STREAMER_SECRET_KEY": settings.secret_key}
    return {**os.environ, **{key: str(value) for key, value in names.items()}}


def start_nginx(settings: Settings) -> NginxProcess:
    """Our rendered config, plus (for the baseline only) one plain static location on the same server."""
    layout = NginxLayout.for_settings(settings)
    layout.prepare()
    plain = f"location /plain/ {{ alias {settings.media_root.resolve()}/hls/; }}\n        location /static/ {{"
    layout.conf.write_text(render(settings, layout).replace("location /static/ {", plain, 1))
    return NginxProcess.start(settings.nginx_bin, layout, ("127.0.0.1", settings.nginx_port))


async def seed(settings: Settings) -> str:
    """An admin with a logged-in session and a ready video; returns the session's Cookie header."""
    store = await open_store(settings)
    await store.migrate()
    accounts = Accounts.build(store, settings)
    password = secrets.token_urlsafe(16)
    user = await User.create_user(accounts, email="bench@example.org", password=password, role="admin", verified=True)
    now = utcnow()
    await store.videos.create(VideoRecord(VIDEO_ID, user.id, "bench", VideoStatus.READY, now, now, duration=600))
    grant = await sessions.start(accounts, user.id, remember=True)
    await store.close()
    return f"Cookie: {sessions.cookie_name(settings)}={grant.secret}"


def uvicorn(app: str, port: int, env: dict[str, str], factory: bool = False) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "uvicorn", app, "--port", str(port), "--log-level", "warning", "--no-access-log"]
    process = subprocess.Popen([*argv, *(["--factory"] if factory else [])], env=env)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{app} did not start")


def segment_runs(settings: Settings, seconds: int, env: dict[str, str]) -> list[Measured]:
    secret = signing.link_secret(settings.secret_key)
    base = f"http://127.0.0.1:{settings.nginx_port}"
    results = []
    for rung in SEGMENTS:
        file = f"{rung}/seg_00000.m4s"
        signed = base + signing.signed_path(VIDEO_ID, file, int(time.time()) + 3600, secret)
        port = free_port()
        app = uvicorn("bench.apps:file_app", port, env | {"BENCH_SEGMENT": str(segment_path(settings, rung))})
        try:
            results += [
                wrk(f"{rung}: nginx, signed", signed, seconds, 32),
                wrk(f"{rung}: nginx, plain", f"{base}/plain/{VIDEO_ID}/{file}", seconds, 32),
                wrk(f"{rung}: app serves it", f"http://127.0.0.1:{port}/segment.m4s", seconds, 32),
            ]
        finally:
            app.terminate()
            app.wait()
    return results


def segment_path(settings: Settings, rung: str) -> Path:
    return settings.media_root / "hls" / VIDEO_ID / rung / "seg_00000.m4s"


def api_runs(settings: Settings, cookie: str, seconds: int, env: dict[str, str]) -> list[Measured]:
    app = uvicorn("bench.apps:api_app", settings.port, env, factory=True)
    base, header = f"http://127.0.0.1:{settings.port}", cookie
    try:
        playback = f"{base}/api/videos/{VIDEO_ID}/playback"
        wrk("warm-up", playback, 2, 10, header)
        results = [
            wrk("playback, saturated", playback, seconds, 100, header),
            wrk("trivial, saturated", f"{base}/bench/trivial", seconds, 100, header),
        ]
        for delay in PACED_DELAYS_MS:
            paced = settings.data_dir / f"paced-{delay}.lua"
            paced.write_text(f"function delay()\n  return math.random(0, {2 * delay})\nend\n")
            results.append(wrk(f"playback, paced {delay} ms", playback, seconds, 100, header, paced))
        return results
    finally:
        app.terminate()
        app.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8)
    seconds = parser.parse_args().seconds
    with tempfile.TemporaryDirectory() as folder:
        settings = bench_settings(Path(folder))
        for rung, size in SEGMENTS.items():
            segment_path(settings, rung).parent.mkdir(parents=True)
            segment_path(settings, rung).write_bytes(os.urandom(size))
        cookie = asyncio.run(seed(settings))
        env = env_of(settings)
        nginx = start_nginx(settings)
        try:
            results = segment_runs(settings, seconds, env) + api_runs(settings, cookie, seconds, env)
        finally:
            nginx.stop()
    report(results)


def report(results: list[Measured]) -> None:
    for r in results:
        print(f"{r.name:<26} {r.requests_per_second:>9.0f} req/s   p99 {r.p99_ms:>8.2f} ms   errors {r.errors}")
    by = {r.name: r for r in results}
    figures = []
    for rung in SEGMENTS:
        signed = by[f"{rung}: nginx, signed"].requests_per_second
        plain = by[f"{rung}: nginx, plain"].requests_per_second
        app = by[f"{rung}: app serves it"].requests_per_second
        figures.append(f"{rung} signed/plain={signed / plain:.2f} nginx/app={signed / app:.1f}")
    ratio = by["playback, saturated"].requests_per_second / by["trivial, saturated"].requests_per_second
    figures.append(f"playback/trivial={ratio:.2f}")
    for delay in PACED_DELAYS_MS:
        figures.append(f"p99 at 100 connections every {delay} ms={by[f'playback, paced {delay} ms'].p99_ms:.1f} ms")
    print("  ".join(figures))


if __name__ == "__main__":
    main()

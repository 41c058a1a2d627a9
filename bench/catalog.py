"""Benchmark: the member home page and search over 10,000 videos, on SQLite and on Cassandra, against a
trivial endpoint on the same server (the baseline: what the server and the load generator cost alone).

A real uvicorn (one process) on loopback; wrk with 20 connections (20 concurrent users) for each endpoint.
Goal: home and search p95 < 50 ms on SQLite, < 100 ms on Cassandra. Prints one line per backend and endpoint,
and the figure on the last line.

    .venv/bin/python -m bench.catalog [--videos 10000] [--seconds 10] [--backends sqlite,cassandra]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from streamer.accounts import sessions
from streamer.accounts.context import Accounts
from streamer.accounts.users import User
from streamer.analytics.policy import IngestPolicy
from streamer.analytics.protocol import parse_beat
from streamer.analytics.records import beat_record
from streamer.analytics.tokens import ViewClaims, issue_view_token, view_key
from streamer.memberships.grants import grant
from streamer.settings import Settings, load_settings
from streamer.storage import open_store
from streamer.storage.base import Store
from streamer.storage.records import CourseRecord, UserRecord, VideoRecord, VideoStatus, Visibility, new_id, utcnow

WORDS = (  # noqa: SIM905
    "stream video encoding codec bitrate segment playlist latency buffer player adaptive ladder "
    "resolution audio subtitle caption thumbnail poster upload transcode container keyframe manifest "
    "delivery cache origin edge signed token expiry course lesson chapter member instructor analytics "
    "heartbeat retention quality network mobile browser desktop chrome firefox safari android iphone "
    "tablet screen camera microphone lighting editing color grading export render timeline project "
    "studio recording interview tutorial lecture workshop seminar python javascript rust golang database "
    "cassandra sqlite index search query cursor paging storage backup "
).split()
GOALS_MS = {"sqlite": 50.0, "cassandra": 100.0}
HISTORY = 24  # videos the member watched: two in three paused part-way (continue watching), the rest to the end
PASSWORD = "bench password, long enough for the policy"
LUA = """
wrk.headers["Cookie"] = "{cookie}"
local queries = {{{queries}}}
local path = "{path}"
local think = {think}
if think > 0 then
  delay = function() return math.random(think / 2, think * 3 / 2) end
end
request = function()
  if path == "search" then
    return wrk.format("GET", "/search?q=" .. queries[math.random(#queries)])
  end
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.2f %.2f %d\\n", summary.requests, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def a_video(owner: str, n: int, rng: random.Random, moment_s: float) -> VideoRecord:
    moment = utcnow().fromtimestamp(moment_s, utcnow().tzinfo)
    return VideoRecord(
        id=new_id(),
        owner_id=owner,
        title=" ".join(rng.sample(WORDS, 5)).capitalize() + f" {n}",
        status=VideoStatus.READY,
        created_at=moment,
        updated_at=moment,
        description=" ".join(rng.choices(WORDS, k=25)),
        tags=tuple(rng.sample(WORDS, 3)),
        visibility=Visibility.PUBLIC if n % 5 == 0 else Visibility.MEMBERS,
    )


async def a_user(accounts: Accounts, role: str) -> UserRecord:
    email, name = f"{role}@example.org", role.title()
    user = await User.create_user(accounts, email=email, password=PASSWORD, display_name=name, role=role, verified=True)
    return user.record


async def seed(store: Store, settings: Settings, count: int) -> str:
    """10,000 ready videos by one instructor, 20 courses of 10 lessons, and a logged-in member with a granted
    membership and a watch history of HISTORY videos; returns the member's Cookie header."""
    rng, now = random.Random(7), utcnow()
    accounts = Accounts.build(store, settings)
    owner, member = [await a_user(accounts, role) for role in ("instructor", "member")]
    start = time.time() - count * 60
    videos = [a_video(owner.id, n, rng, start + n * 60) for n in range(count)]
    for first in range(0, count, 200):
        await asyncio.gather(*(store.videos.create(video) for video in videos[first : first + 200]))
    for c in range(20):
        lessons = tuple(v.id for v in videos[c * 10 : c * 10 + 10])
        await store.courses.create(
            CourseRecord(
                id=new_id(),
                owner_id=owner.id,
                title=f"Course {c}",
                created_at=now,
                updated_at=now,
                visibility=Visibility.PUBLIC if c % 2 else Visibility.MEMBERS,
                video_ids=lessons,
            )
        )
    await grant(store, member.id, 30, by="bench")
    for n, video in enumerate(videos[-HISTORY:]):
        await watched(store, settings, video.id, member.id, 600.0 if n % 3 == 0 else 60.0 + n)
    session = await sessions.start(accounts, member.id, remember=False)
    return f"{sessions.cookie_name(settings)}={session.secret}"


async def watched(store: Store, settings: Settings, video_id: str, user_id: str, position: float) -> None:
    """A ten-minute video the member played from the start to `position` (to its end at 600), stored as the
    heartbeat ingest stores it: a start beat and a pause (or end) beat."""
    now = utcnow()
    claims = ViewClaims(new_id(), video_id, user_id, int(now.timestamp() * 1000) - 900_000, 600_000)
    ended = position >= 600.0
    beats = [
        {"seq": 1, "event": "start", "position": 0.0, "sections": [], "played_ms": 0},
        {"seq": 2, "event": "end" if ended else "pause", "ended": ended, "position": position},
    ]
    beats[1] |= {"sections": [[0.0, position]], "played_ms": int(position * 1000)}
    token = issue_view_token(view_key(settings.secret_key), claims)
    common = {"view": claims.view_id, "token": token, "duration": 600.0, "stall_ms": 0, "stall_count": 0}
    common |= {"seeks": 0, "startup_ms": 300, "bitrate_ms": {}, "bitrate": 800_000, "upscale_ms": 0, "hidden": False}
    common |= {"rendition_height": 360, "player_height": 540, "ended": False, "error": None}
    records = [
        beat_record(parse_beat(json.dumps(common | beat).encode()), claims, now, IngestPolicy(), beat["seq"] == 1)
        for beat in beats
    ]
    await store.analytics.write_beats(records)


def environment(backend: str, data_dir: Path) -> dict[str, str]:
    env = {"STREAMER_ENV": "test", "STREAMER_DATA_DIR": str(data_dir), "STREAMER_LOG_LEVEL": "warning"}
    if backend == "cassandra":
        env |= {
            "STREAMER_DATABASE_URL": f"cassandra://127.0.0.1:9042/bench_{uuid.uuid4().hex[:10]}",
            "STREAMER_CASSANDRA_READ_CONSISTENCY": "ONE",
            "STREAMER_CASSANDRA_WRITE_CONSISTENCY": "ONE",
        }
    return env


def wrk(base: str, path: str, cookie: str, seconds: int, think_ms: int) -> tuple[int, float, float, int]:
    """(requests, p50 ms, p95 ms, errors) of 20 connections, each waiting about `think_ms` between requests."""
    queries = ",".join(f'"{q}"' for q in [*WORDS, *(f"{a}+{b}" for a, b in zip(WORDS, WORDS[7:], strict=False))])
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.format(cookie=cookie, queries=queries, path=path, think=think_ms))
    argv = ["wrk", "-t2", "-c20", f"-d{seconds}s", "-s", script.name, base]
    output = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    requests, p50, p95, errors = line.split()[1:]
    return int(requests), float(p50), float(p95), int(errors)


Results = dict[str, tuple[int, float, float, int]]
ENDPOINTS = (("trivial", "/bench/trivial"), ("home", "/"), ("search", "search"))


def run_backend(backend: str, videos: int, seconds: int, think_ms: int) -> tuple[Results, Results]:
    """Seed, serve, and measure every endpoint twice: as 20 users who think between requests, then saturated."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"bench-catalog-{backend}-"))
    env = environment(backend, data_dir)
    cookie = asyncio.run(prepare(env, videos))
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "bench.catalog_server", str(port)], env={**os.environ, **env})
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        check_logged_in(base, cookie)
        for _, path in ENDPOINTS:  # warm up connections, caches and prepared statements
            wrk(base, path, cookie, 2, 0)
        users = {name: wrk(base, path, cookie, seconds, think_ms) for name, path in ENDPOINTS}
        saturated = {name: wrk(base, path, cookie, seconds, 0) for name, path in ENDPOINTS}
        return users, saturated
    finally:
        server.terminate()
        server.wait(timeout=20)
        if backend == "cassandra":
            asyncio.run(drop(env))


async def prepare(env: dict[str, str], videos: int) -> str:
    settings = load_settings(env)
    store = await open_store(settings)
    try:
        await store.migrate()
        return await seed(store, settings, videos)
    finally:
        await store.close()


async def drop(env: dict[str, str]) -> None:
    store = await open_store(load_settings(env))
    db = store._db  # type: ignore[attr-defined]
    await db.ddl(f"DROP KEYSPACE IF EXISTS {db.keyspace}")
    await store.close()


def wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/bench/trivial", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the app server did not start")


def check_logged_in(base: str, cookie: str) -> None:
    """The measured requests are a logged-in member's: the session cookie opens the account page."""
    response = httpx.get(f"{base}/account", headers={"Cookie": cookie}, timeout=10)
    if response.status_code != 200:
        raise RuntimeError(f"the member's session cookie is refused: /account answered {response.status_code}")


def report(backend: str, mode: str, results: Results, seconds: int) -> None:
    for name, (requests, p50, p95, errors) in results.items():
        print(
            f"{backend:9} {mode:9} {name:8} {requests / seconds:7.1f} req/s  p50 {p50:7.2f} ms  "
            f"p95 {p95:7.2f} ms  errors {errors}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--videos", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--think-ms", type=int, default=500, help="mean pause of each user between requests")
    parser.add_argument("--backends", default="sqlite,cassandra")
    args = parser.parse_args()
    verdicts = []
    for backend in args.backends.split(","):
        users, saturated = run_backend(backend, args.videos, args.seconds, args.think_ms)
        report(backend, "20 users", users, args.seconds)
        report(backend, "saturated", saturated, args.seconds)
        home, search, trivial = users["home"][2], users["search"][2], users["trivial"][2]
        met = "met" if max(home, search) < GOALS_MS[backend] else "MISSED"
        verdicts.append(
            f"{backend} home/search p95 {home:.1f}/{search:.1f} ms vs trivial {trivial:.1f} ms "
            f"(goal < {GOALS_MS[backend]:.0f}: {met})"
        )
    print(f"catalog, 20 users, {args.videos} videos: " + "; ".join(verdicts))


if __name__ == "__main__":
    main()

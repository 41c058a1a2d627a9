"""Heartbeat ingest benchmark: sustained beats/s through POST /api/heartbeat vs a trivial endpoint on the same
server, then proof that every acknowledged beat is in the store. With `queries`: the rollup of N synthetic
heartbeats of one video, and the analytics page over them.

    .venv/bin/python bench/heartbeats.py ingest  [--seconds 20] [--connections 128] [--threads 2]
    .venv/bin/python bench/heartbeats.py queries [--beats 1000000]
    .venv/bin/python bench/heartbeats.py serve --port P     (used by `ingest`)

Needs wrk and a Cassandra node (STREAMER_BENCH_CASSANDRA, default 127.0.0.1:9042); uses a fresh keyspace,
dropped afterwards. The last line printed is the figure: ingest rate, ratio to the trivial endpoint, lost beats.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import analytics_queries  # noqa: E402
from streamer.analytics.records import day_of  # noqa: E402
from streamer.analytics.tokens import ViewClaims, issue_view_token, view_key  # noqa: E402
from streamer.settings import Settings, load_settings  # noqa: E402
from streamer.storage import open_store  # noqa: E402
from streamer.storage.base import Store  # noqa: E402
from streamer.storage.records import new_id, utcnow  # noqa: E402

LUA = Path(__file__).with_name("heartbeats.lua")
VIDEOS = 50
VIEWS_PER_ADDRESS = 10


def bench_environ(keyspace: str) -> dict[str, str]:
    host = os.environ.get("STREAMER_BENCH_CASSANDRA", "127.0.0.1:9042")
    return {
        "STREAMER_DATABASE_URL": f"cassandra://{host}/{keyspace}",
        "STREAMER_CASSANDRA_READ_CONSISTENCY": "LOCAL_ONE",
        "STREAMER_CASSANDRA_WRITE_CONSISTENCY": "LOCAL_ONE",
        "STREAMER_DATA_DIR": tempfile.mkdtemp(prefix="bench-heartbeats-"),
        "STREAMER_LOG_LEVEL": "warning",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the server under test -----------------------------------------------------------------------------------


def serve(port: int) -> None:
    """The app as `streamer serve` runs it, plus POST /bench/noop: reads the body, answers the same JSON shape."""
    import uvicorn
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from streamer.web.app import create_app
    from streamer.web.csrf import csrf_exempt

    @csrf_exempt  # like /api/heartbeat: a POST without a session, so the CSRF check would refuse it (403)
    async def noop(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"ok": True, "view": "-", "seq": 0}, headers={"Cache-Control": "no-store"})

    app = create_app(load_settings())
    app.router.routes.insert(0, Route("/bench/noop", noop, methods=["POST"]))
    run = lambda: uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,  # noqa: E731
                              proxy_headers=True, forwarded_allow_ips="127.0.0.1")  # fmt: skip
    if os.environ.get("BENCH_PROFILE"):  # where the server's time goes: BENCH_PROFILE=out.prof
        import cProfile

        cProfile.runctx("run()", globals(), {"run": run}, os.environ["BENCH_PROFILE"])
    else:
        run()


def start_server(environ: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(Path(__file__)), "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=os.environ | environ, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server under test did not start")


# --- load -----------------------------------------------------------------------------------------------------


def write_views(path: Path, settings: Settings, count: int) -> list[str]:
    """Views spread over VIDEOS videos, members and addresses; returns the video ids."""
    key = view_key(settings.secret_key)
    videos = [new_id() for _ in range(VIDEOS)]
    issued = int(time.time() * 1000) - 60_000
    with path.open("w") as out:
        for index in range(count):
            claims = ViewClaims(new_id(), videos[index % VIDEOS], f"member-{index % 5000}", issued, 600_000)
            host = index // VIEWS_PER_ADDRESS
            address = f"10.{host // 65536 % 256}.{host // 256 % 256}.{host % 256}"
            out.write(f"{claims.view_id}\t{issue_view_token(key, claims)}\t{address}\n")
    return videos


def run_wrk(
    url: str, views: Path, acks: Path, seconds: int, args: argparse.Namespace, start_seq: int = 1
) -> dict[str, float]:
    threads, connections = args.threads, args.connections
    environ = os.environ | {
        "VIEWS_FILE": str(views),
        "ACKS_PREFIX": str(acks),
        "WRK_THREADS": str(threads),
        "START_SEQ": str(start_seq),
    }
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(LUA), url]
    output = subprocess.run(command, env=environ, capture_output=True, text=True, check=True).stdout
    print(output)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "rate": rate,
        "non_2xx": float(bad.group(1)) if bad else 0.0,
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
    }


def acknowledged(prefix: Path, threads: int) -> set[tuple[str, int]]:
    pairs = set()
    for thread in range(threads):
        for line in Path(f"{prefix}{thread}").read_text().splitlines():
            view, seq = line.split()
            pairs.add((view, int(seq)))
    return pairs


async def stored(store: Store, videos: list[str]) -> set[tuple[str, int]]:
    """Every (view, seq) of a raw heartbeat row of `videos`, read straight from Cassandra."""
    db = store._db  # type: ignore[attr-defined]
    pairs: set[tuple[str, int]] = set()
    day = day_of(utcnow())
    for video in videos:
        for bucket in range(48):
            state = None
            while True:
                rows, state = await db.page(
                    "SELECT view_id, seq FROM heartbeats WHERE video_id = ? AND day = ? AND bucket = ?",
                    (video, day, bucket), 5000, state,
                )  # fmt: skip
                pairs.update((row["view_id"], row["seq"]) for row in rows)
                if state is None:
                    break
    return pairs


async def prepare(environ: dict[str, str]) -> Settings:
    settings = load_settings(environ)
    store = await open_store(settings)
    await store.migrate()
    await store.close()
    return settings


async def drop(settings: Settings) -> None:
    store = await open_store(settings)
    await store._db.ddl(f"DROP KEYSPACE IF EXISTS {store._db.keyspace}")  # type: ignore[attr-defined]
    await store.close()


def ingest(args: argparse.Namespace) -> None:
    environ = bench_environ(f"bench_{uuid.uuid4().hex[:10]}")
    settings = asyncio.run(prepare(environ))
    work = Path(environ["STREAMER_DATA_DIR"])
    views = work / "views.tsv"
    videos = write_views(views, settings, args.views)
    port = free_port()
    server = start_server(environ, port)
    try:
        base = f"http://127.0.0.1:{port}"
        run_wrk(f"{base}/bench/noop", views, work / "warmup-", 3, args)
        noop = run_wrk(f"{base}/bench/noop", views, work / "noop-acks-", args.seconds, args)
        # Every view starts (its first beat writes the member index row), then the measured steady state:
        # plain heartbeats of views already playing, as on a server that has been up for a while.
        run_wrk(f"{base}/api/heartbeat", views, work / "start-acks-", args.warmup, args)
        beats = run_wrk(f"{base}/api/heartbeat", views, work / "acks-", args.seconds, args, start_seq=1000)
    finally:
        server.send_signal(signal.SIGINT)  # uvicorn's shutdown writes what the batcher still holds
        server.wait(timeout=60)
    report(settings, videos, work, args, noop, beats)


def report(settings: Settings, videos: list[str], work: Path, args: argparse.Namespace,
           noop: dict[str, float], beats: dict[str, float]) -> None:  # fmt: skip
    acked = acknowledged(work / "acks-", args.threads) | acknowledged(work / "start-acks-", args.threads)

    async def check() -> set[tuple[str, int]]:
        store = await open_store(settings)
        try:
            return await stored(store, videos)
        finally:
            await store.close()

    found = asyncio.run(check())
    lost = len(acked - found)
    if not args.keep:
        asyncio.run(drop(settings))
    ratio = beats["rate"] / noop["rate"]
    print(f"trivial endpoint: {noop['rate']:.0f} req/s (p99 {noop['p99_ms']:.1f} ms), non-2xx {noop['non_2xx']:.0f}")
    print(f"heartbeats: {beats['rate']:.0f} beats/s (p99 {beats['p99_ms']:.1f} ms), non-2xx {beats['non_2xx']:.0f}")
    print(f"acknowledged {len(acked)}, stored {len(found)}, lost {lost}")
    print(f"ingest {beats['rate']:.0f} beats/s = {ratio:.2f} x trivial endpoint; lost {lost}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("ingest")
    load.add_argument("--seconds", type=int, default=20)
    load.add_argument("--threads", type=int, default=2)
    load.add_argument("--connections", type=int, default=128)
    load.add_argument("--views", type=int, default=25_000)
    load.add_argument("--warmup", type=int, default=12, help="seconds of start beats before the measured run")
    load.add_argument("--keep", action="store_true", help="keep the keyspace")
    queries = commands.add_parser("queries")
    queries.add_argument("--beats", type=int, default=1_000_000)
    queries.add_argument("--keep", action="store_true", help="keep the keyspace")
    server = commands.add_parser("serve")
    server.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    if args.command == "serve":
        serve(args.port)
    elif args.command == "ingest":
        ingest(args)
    else:
        environ = bench_environ(f"bench_{uuid.uuid4().hex[:10]}")
        asyncio.run(analytics_queries(environ, args.beats, args.keep))


if __name__ == "__main__":
    main()

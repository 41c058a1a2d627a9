"""POST /api/heartbeat: the player's beats. Authenticated by the view token inside the body, not by the
session cookie, so the path is exempt from CSRF checks (a forged beat needs a token only the watch page gets).

Answers 200 {"ok", "view", "seq"} once the beat is durable; 400 / 429 / 503 {"error": reason} otherwise.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from streamer.analytics.batcher import Batcher
from streamer.analytics.errors import IngestUnavailable, InvalidBeat, RateLimited
from streamer.analytics.ingest import HeartbeatIngest
from streamer.analytics.policy import IngestPolicy
from streamer.analytics.protocol import MAX_BODY
from streamer.analytics.tokens import view_key
from streamer.settings import Settings
from streamer.storage.analytics import BeatRecord
from streamer.web import errors
from streamer.web.csrf import csrf_exempt

HEARTBEAT_PATH = "/api/heartbeat"
NO_STORE = {"Cache-Control": "no-store"}

errors.register(InvalidBeat, 400)
errors.register(RateLimited, 429)
errors.register(IngestUnavailable, 503)


@asynccontextmanager
async def heartbeat_ingest(app: Starlette) -> AsyncIterator[None]:
    """Runs the ingest batcher for the app's lifetime; on the way out, writes what is queued."""
    settings: Settings = app.state.settings
    batcher: Batcher[BeatRecord] = Batcher(
        app.state.store.analytics.write_beats,
        max_batch=settings.analytics_batch_size,
        max_delay=settings.analytics_batch_delay_ms / 1000,
        writers=settings.analytics_batch_writers,
        max_pending=settings.analytics_max_pending,
    )
    app.state.heartbeats = HeartbeatIngest(IngestPolicy.from_settings(settings), view_key(settings.secret_key), batcher)
    batcher.start()
    try:
        yield
    finally:
        await batcher.stop()


async def _body(request: Request) -> bytes:
    """The body, refusing it as soon as it passes MAX_BODY bytes (sendBeacon sends it as text/plain)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise InvalidBeat(f"a heartbeat is at most {MAX_BODY} bytes")
    body = b""
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                raise InvalidBeat(f"a heartbeat is at most {MAX_BODY} bytes")
    except ClientDisconnect:
        raise InvalidBeat("the heartbeat was cut off before its end") from None
    return body


@csrf_exempt  # authenticated by the signed view token in the body; sendBeacon cannot send a CSRF header
async def heartbeat(request: Request) -> Response:
    address = request.client.host if request.client else ""
    ack = await request.app.state.heartbeats.receive(await _body(request), address)
    return JSONResponse({"ok": True, "view": ack.view, "seq": ack.seq}, headers=NO_STORE)


routes = [Route(HEARTBEAT_PATH, heartbeat, methods=["POST"])]

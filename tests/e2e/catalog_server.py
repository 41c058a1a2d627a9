"""A real uvicorn server on loopback running the app, plus what the browser tests need that other features
will provide: a STAND-IN for the analytics feature's watch page (it includes the catalog's external player
section exactly as the real one will), a TEST DOUBLE progress store fed by a heartbeat double, and the
host-player doubles under /test-doubles."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from streamer.catalog.details import visible_video
from streamer.settings import Settings
from streamer.web.app import create_app
from streamer.web.catalog import external_player_context
from streamer.web.catalog_context import progress_of, viewer_of
from streamer.web.templating import templates
from tests.catalog.doubles import MemoryProgress

DOUBLES = Path(__file__).parent / "doubles"
_WATCH = templates.env.from_string("""{% extends "base.html" %}
{% block head %}{% for name in ("fake-video", "youtube", "vimeo", "wistia", "heartbeat") %}
<script src="/test-doubles/{{ name }}.js"></script>{% endfor %}{% endblock %}
{% block content %}<h1 class="watch-title">{{ video.title }}</h1>
{% include "catalog/external_player.html" %}{% endblock %}""")
_ADAPTER = """<!doctype html><html><head>
<script src="/test-doubles/fake-video.js"></script><script src="/test-doubles/{host}.js"></script></head>
<body><div id="frame"></div><script type="module">
import {{ createAdapter, EVENTS }} from "/static/js/player-adapter.js";
window.events = [];
const adapter = createAdapter("{host}", document.getElementById("frame"), {{id: "{id}", hash: "{hash}", start: 0}});
for (const name of EVENTS) adapter.on(name, (detail) => window.events.push([name, detail]));
window.adapter = adapter;
</script></body></html>"""


async def watch(request: Request) -> Response:
    """STAND-IN for /watch/{id}: access check, resume position, the external player section."""
    viewer = await viewer_of(request)
    video = await visible_video(request.app.state.store, viewer, request.path_params["id"])
    positions = await progress_of(request).positions(viewer.id, [video.id]) if viewer.id else {}
    resume = positions[video.id].position_s if video.id in positions and not positions[video.id].finished else 0.0
    context = external_player_context(video, resume, request.query_params.get("course"))
    return HTMLResponse(_WATCH.render(request=request, **context))


async def record_progress(request: Request) -> Response:
    body = await request.json()
    request.app.state.progress.record(
        request.user.id, body["video_id"], float(body["position"]), float(body["duration"]), bool(body["finished"])
    )
    return JSONResponse({"ok": True})


async def adapter_page(request: Request) -> Response:
    params = request.query_params
    page = _ADAPTER.format(host=request.path_params["host"], id=params.get("id", ""), hash=params.get("hash", ""))
    return HTMLResponse(page)


@contextmanager
def serve(settings: Settings) -> Iterator[tuple[str, MemoryProgress]]:
    app = create_app(settings)
    progress = MemoryProgress()
    app.state.progress = progress
    app.router.routes[:0] = [
        Route("/watch/{id}", watch),
        Route("/test/progress", record_progress, methods=["POST"]),
        Route("/test/adapter/{host}", adapter_page),
        Mount("/test-doubles", app=StaticFiles(directory=DOUBLES)),
    ]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", progress
    finally:
        server.should_exit = True
        thread.join(timeout=10)

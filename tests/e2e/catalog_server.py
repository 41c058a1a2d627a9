"""A real uvicorn server on loopback running the app — the real watch page, heartbeat endpoint and progress —
plus a bare page for the player-adapter contract test (/test/adapter/{host}) and the host-player doubles under
/test-doubles.

YouTube, Vimeo and Wistia cannot be reached from the machines these tests run on (no internet), so their
players are TEST DOUBLES (tests/e2e/doubles/) with the hosts' APIs and events; DOUBLE_SCRIPTS puts them in a
browser context before any page script runs, where the adapters find them as they would the hosts' scripts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from streamer.settings import Settings
from streamer.web.app import create_app

DOUBLES = Path(__file__).parent / "doubles"
DOUBLE_SCRIPTS = [DOUBLES / f"{name}.js" for name in ("fake-video", "youtube", "vimeo", "wistia")]
_ADAPTER = """<!doctype html><html><head>
<script src="/test-doubles/fake-video.js"></script><script src="/test-doubles/{host}.js"></script></head>
<body><div id="frame"></div><script type="module">
import {{ createAdapter, EVENTS }} from "/static/js/player-adapter.js";
window.events = [];
const adapter = createAdapter("{host}", document.getElementById("frame"), {{id: "{id}", hash: "{hash}", start: 0}});
for (const name of EVENTS) adapter.on(name, (detail) => window.events.push([name, detail]));
window.adapter = adapter;
</script></body></html>"""


async def adapter_page(request: Request) -> Response:
    params = request.query_params
    page = _ADAPTER.format(host=request.path_params["host"], id=params.get("id", ""), hash=params.get("hash", ""))
    return HTMLResponse(page)


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """The app at a base URL like http://127.0.0.1:PORT, until the block ends."""
    app = create_app(settings)
    app.router.routes[:0] = [
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
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

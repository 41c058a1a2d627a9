"""Servers the delivery benchmark measures against, each run by uvicorn in its own process.

- `file_app`: the app serving a segment itself (what MediaCMS-style delivery does on every request).
- `api_app`: the real app (create_app, session-cookie login) plus a trivial endpoint behind the same
  middleware, so both pay for the session lookup and the ratio isolates the playback work.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from streamer.settings import load_settings
from streamer.web.app import create_app


async def segment(request: Request) -> Response:
    return FileResponse(Path(os.environ["BENCH_SEGMENT"]), media_type="video/iso.segment")


file_app = Starlette(routes=[Route("/segment.m4s", segment)])


async def trivial(request: Request) -> Response:
    return JSONResponse({"ok": True}, headers={"Cache-Control": "no-store"})


def api_app() -> Starlette:
    app = create_app(load_settings())
    app.router.routes.append(Route("/bench/trivial", trivial))
    return app

"""The watch page: a player for one video, and hls.js served from node_modules (installed by make)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from streamer.web.guards import login_required
from streamer.web.playback import watchable
from streamer.web.templating import ROOT, templates

HLS_JS = ROOT / "node_modules" / "hls.js" / "dist"


@login_required
async def watch(request: Request) -> Response:
    video = await watchable(request)
    return templates.TemplateResponse(request, "watch.html", {"video": video})


routes = [
    Route("/watch/{video_id}", watch, methods=["GET"]),
    Mount("/static/vendor/hls.js", app=StaticFiles(directory=HLS_JS, check_dir=False), name="hls.js"),
]

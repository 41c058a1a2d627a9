"""The watch page: a player for one video (hls.js comes from streamer.web.vendor)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from streamer.web.guards import login_required
from streamer.web.playback import watchable
from streamer.web.templating import templates


@login_required
async def watch(request: Request) -> Response:
    video = await watchable(request)
    return templates.TemplateResponse(request, "watch.html", {"video": video})


routes = [
    Route("/watch/{video_id}", watch, methods=["GET"]),
]

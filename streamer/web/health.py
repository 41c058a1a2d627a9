from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from streamer.storage.errors import StoreUnavailable


async def healthz(request: Request) -> JSONResponse:
    """200 when the store answers, 503 with the reason otherwise."""
    try:
        await request.app.state.store.ping()
    except StoreUnavailable as error:
        return JSONResponse({"status": "unavailable", "reason": str(error)}, status_code=503)
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


routes = [Route("/healthz", healthz, methods=["GET", "HEAD"])]

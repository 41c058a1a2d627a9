"""The one place that turns domain errors into responses: JSON under /api, HTML pages elsewhere."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from streamer.storage.errors import NotFound, StoreUnavailable

log = logging.getLogger(__name__)

# Domain error class -> (HTTP status, public message or None to use str(error)).
DOMAIN_ERRORS: dict[type[Exception], tuple[int, str | None]] = {
    NotFound: (404, "Not found."),
    StoreUnavailable: (503, "The service is temporarily unavailable. Please try again shortly."),
}


def register(error: type[Exception], status: int, message: str | None = None) -> None:
    """Let a feature map its own domain error to a status (message None: the error's own text)."""
    DOMAIN_ERRORS[error] = (status, message)


def error_response(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status, headers={"Cache-Control": "no-store"})
    page = f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{html.escape(message)}</p>"
    return HTMLResponse(page, status_code=status)


async def _domain_error(request: Request, exc: Exception) -> Response:
    for error_type in type(exc).__mro__:
        if error_type in DOMAIN_ERRORS:
            status, message = DOMAIN_ERRORS[error_type]
            if status >= 500:
                log.warning("%s on %s: %s", type(exc).__name__, request.url.path, exc)
            return error_response(request, status, message or str(exc))
    raise exc


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(request, exc.status_code, str(exc.detail))


def exception_handlers() -> Mapping[Any, Callable[[Request, Exception], Any]]:
    handlers: dict[Any, Callable[[Request, Exception], Any]] = {HTTPException: _http_error}
    handlers.update(dict.fromkeys(DOMAIN_ERRORS, _domain_error))
    return handlers

"""Servers the delivery benchmark measures against, each run by uvicorn in its own process.

- `file_app`: the app serving a segment itself (what MediaCMS-style delivery does on every request).
- `api_app`: the real app (create_app) plus a trivial endpoint, logged in through a header that names a user
  in the store — one store read per request, like a session lookup.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.authentication import AuthCredentials, AuthenticationBackend, BaseUser, UnauthenticatedUser
from starlette.requests import HTTPConnection, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from streamer.settings import load_settings
from streamer.web.app import create_app


async def segment(request: Request) -> Response:
    return FileResponse(Path(os.environ["BENCH_SEGMENT"]), media_type="video/iso.segment")


file_app = Starlette(routes=[Route("/segment.m4s", segment)])


class BenchUser(BaseUser):
    def __init__(self, user_id: str, role: str) -> None:
        self.id, self.role = user_id, role

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.id


class HeaderLogin(AuthenticationBackend):
    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser]:
        user_id = conn.headers.get("x-bench-user", "")
        record = await conn.app.state.store.users.get(user_id) if user_id else None
        if record is None:
            return AuthCredentials(), UnauthenticatedUser()
        return AuthCredentials(["authenticated"]), BenchUser(record.id, record.role)


async def trivial(request: Request) -> Response:
    return JSONResponse({"ok": True}, headers={"Cache-Control": "no-store"})


def api_app() -> Starlette:
    app = create_app(load_settings(), auth_backend=HeaderLogin())
    app.router.routes.append(Route("/bench/trivial", trivial))
    return app

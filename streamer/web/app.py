"""The app factory: the only place routes, middleware and the store meet."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.authentication import AuthCredentials, AuthenticationBackend, UnauthenticatedUser
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import HTTPConnection
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from streamer.settings import Settings
from streamer.storage import Store, open_migrated_store
from streamer.web import analytics, health, heartbeat, watch
from streamer.web.errors import exception_handlers
from streamer.web.templating import ROOT


class AnonymousBackend(AuthenticationBackend):
    """Everyone is anonymous: the default until the session backend is configured."""

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, UnauthenticatedUser]:
        return AuthCredentials(), UnauthenticatedUser()


def create_app(
    settings: Settings, store: Store | None = None, *, auth_backend: AuthenticationBackend | None = None
) -> Starlette:
    """Build the ASGI app. With `store` given the caller owns it; otherwise the app opens and closes one."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store or await open_migrated_store(settings)
        try:
            async with heartbeat.heartbeat_ingest(app):
                yield
        finally:
            if owned:
                await app.state.store.close()

    middleware = [Middleware(AuthenticationMiddleware, backend=auth_backend or AnonymousBackend())]
    app = Starlette(routes=routes(), middleware=middleware, lifespan=lifespan, exception_handlers=exception_handlers())
    app.state.settings = settings
    return app


def routes() -> list[BaseRoute]:
    return [
        *health.routes,
        *heartbeat.routes,
        *analytics.routes,
        *watch.routes,
        Mount("/static", app=StaticFiles(directory=ROOT / "static"), name="static"),
    ]

"""The app factory: the only place routes, middleware and the store meet."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from streamer.settings import Settings
from streamer.storage import Store, open_migrated_store
from streamer.web import health
from streamer.web.errors import exception_handlers


def create_app(settings: Settings, store: Store | None = None) -> Starlette:
    """Build the ASGI app. With `store` given the caller owns it; otherwise the app opens and closes one."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store or await open_migrated_store(settings)
        try:
            yield
        finally:
            if owned:
                await app.state.store.close()

    app = Starlette(routes=routes(), lifespan=lifespan, exception_handlers=exception_handlers())
    app.state.settings = settings
    return app


def routes() -> list[BaseRoute]:
    return [*health.routes]

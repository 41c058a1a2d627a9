"""The app factory: the only place routes, middleware and the store meet."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.authentication import AuthenticationBackend
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from streamer.accounts.context import Accounts
from streamer.analytics.progress import AnalyticsProgress
from streamer.settings import Settings
from streamer.storage import Store, open_migrated_store
from streamer.web import (
    account_settings,
    accounts,
    analytics,
    catalog,
    catalog_api,
    delivery_admin,
    health,
    heartbeat,
    memberships,
    oidc,
    passwords,
    playback,
    studio,
    uploads,
    vendor,
    watch,
)
from streamer.web.auth import SessionBackend
from streamer.web.csrf import CsrfMiddleware
from streamer.web.errors import exception_handlers
from streamer.web.templating import ROOT


def create_app(
    settings: Settings, store: Store | None = None, *, auth_backend: AuthenticationBackend | None = None
) -> Starlette:
    """Build the ASGI app. With `store` given the caller owns it; otherwise the app opens and closes one."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store or await open_migrated_store(settings)
        app.state.accounts = Accounts.build(app.state.store, settings)
        app.state.progress = AnalyticsProgress(app.state.store)
        try:
            async with heartbeat.heartbeat_ingest(app):
                yield
        finally:
            if owned:
                await app.state.store.close()

    middleware = [
        Middleware(AuthenticationMiddleware, backend=auth_backend or SessionBackend()),
        Middleware(CsrfMiddleware, settings=settings),
    ]
    app = Starlette(routes=routes(), middleware=middleware, lifespan=lifespan, exception_handlers=exception_handlers())
    app.state.settings = settings
    app.state.oidc_providers = settings.oidc_provider_list
    app.state.oauth = oidc.build_oauth(app.state.oidc_providers)
    return app


def routes() -> list[BaseRoute]:
    return [
        *health.routes,
        *uploads.routes,
        *studio.routes,
        *vendor.routes,
        *playback.routes,
        *watch.routes,
        *delivery_admin.routes,
        *heartbeat.routes,
        *analytics.routes,
        *accounts.routes,
        *passwords.routes,
        *account_settings.routes,
        *oidc.routes,
        *catalog.routes,
        *catalog_api.routes,
        *memberships.routes,
        Mount("/static", app=StaticFiles(directory=ROOT / "static"), name="static"),
    ]

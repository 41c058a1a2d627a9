"""An in-process app with Stripe settings of the test's choosing, on the module's store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from streamer.storage.base import Store
from streamer.web.app import create_app
from tests.auth_double import HeaderBackend
from tests.conftest import settings_for


@asynccontextmanager
async def client_for(store: Store, data_dir: Path, **env: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings_for("sqlite", data_dir, **env), store=store, auth_backend=HeaderBackend())
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client,
    ):
        yield client

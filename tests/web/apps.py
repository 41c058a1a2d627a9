"""In-process apps for the accounts tests: create_app on a given store and settings, one client per IP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from starlette.applications import Starlette

from streamer.accounts.context import Accounts
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.web.app import create_app
from tests.conftest import settings_for

SITE = "http://testserver"


def site_settings(data_dir: Path, **extra: str) -> Settings:
    """Test settings whose public URL is the test client's base URL (links in mails point at the app)."""
    return settings_for("sqlite", data_dir, **{"STREAMER_PUBLIC_URL": SITE, **extra})


@asynccontextmanager
async def running(store: Store, settings: Settings) -> AsyncIterator[Starlette]:
    app = create_app(settings, store=store)
    async with app.router.lifespan_context(app):
        yield app


def client(app: Starlette, ip: str = "127.0.0.1", base_url: str = "http://testserver") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url=base_url)


def accounts_of(app: Starlette) -> Accounts:
    accounts: Accounts = app.state.accounts
    return accounts

"""Run the app under uvicorn after checking the store, so a bad database fails with one line."""

from __future__ import annotations

import asyncio
import logging

import uvicorn
from starlette.applications import Starlette

from streamer.settings import Settings
from streamer.storage import open_migrated_store
from streamer.web.app import create_app


async def check_store(settings: Settings) -> None:
    """Raises StoreError (unreachable, unmigrated) before the server starts listening."""
    store = await open_migrated_store(settings)
    await store.close()


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    asyncio.run(check_store(settings))
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.Server(config(settings, create_app(settings), host, port)).run()


def config(settings: Settings, app: Starlette, host: str | None = None, port: int | None = None) -> uvicorn.Config:
    """uvicorn behind nginx: X-Forwarded-For is believed only from STREAMER_TRUSTED_PROXIES."""
    return uvicorn.Config(
        app,
        host=host or settings.host,
        port=settings.port if port is None else port,
        log_level=settings.log_level,
        proxy_headers=True,
        forwarded_allow_ips=settings.trusted_proxies,
    )

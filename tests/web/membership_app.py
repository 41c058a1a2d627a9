"""An in-process app with Stripe settings of the test's choosing, on the module's store; and the access check
the watch page and playback URLs make."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from streamer.memberships.access import has_access
from streamer.settings import load_settings
from streamer.storage.base import Store
from streamer.storage.records import new_id
from streamer.web.app import create_app
from tests.conftest import settings_for


@asynccontextmanager
async def client_for(store: Store, data_dir: Path, **env: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings_for("sqlite", data_dir, **env), store=store)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client,
    ):
        yield client


@dataclass(frozen=True)
class Video:
    id: str
    owner_id: str


async def watches(store: Store, user_id: str) -> bool:
    """May this member watch a video they do not own (default settings: 3 days of grace)?"""
    return await has_access(store, load_settings({}), user_id, "member", Video(new_id(), new_id()))

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from streamer.accounts.context import Accounts
from streamer.accounts.users import User
from streamer.settings import Settings, load_settings
from streamer.storage import open_store
from streamer.storage.base import Store
from streamer.storage.records import UserRecord, new_id
from streamer.web.app import create_app
from tests.browser_session import log_in
from tests.components import cassandra_address, port_open, unavailable

BACKENDS = ["sqlite", pytest.param("cassandra", marks=pytest.mark.cassandra)]
TEST_PASSWORD = "correct horse battery staple for tests"


def settings_for(backend: str, data_dir: Path, **extra: str) -> Settings:
    """Test settings for `backend`, with a database of their own (fresh file or fresh keyspace)."""
    environ = {"STREAMER_ENV": "test", "STREAMER_DATA_DIR": str(data_dir), **extra}
    if backend == "cassandra":
        host, port = cassandra_address()
        if not port_open(host, port):
            unavailable("Cassandra", f"nothing answers on {host}:{port}; run `make cassandra-up`")
        keyspace = f"test_{uuid.uuid4().hex[:12]}"
        environ |= {
            "STREAMER_DATABASE_URL": f"cassandra://{host}:{port}/{keyspace}",
            "STREAMER_CASSANDRA_READ_CONSISTENCY": "ONE",
            "STREAMER_CASSANDRA_WRITE_CONSISTENCY": "ONE",
        }
    return load_settings(environ)


async def drop(store: Store, settings: Settings) -> None:
    if settings.effective_database_url.startswith("cassandra://"):
        db = store._db  # type: ignore[attr-defined]
        await db.ddl(f"DROP KEYSPACE IF EXISTS {db.keyspace}")


@pytest_asyncio.fixture(scope="module", params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Store]:
    """A migrated store on a fresh database, per test module and backend; dropped afterwards."""
    settings = settings_for(request.param, tmp_path_factory.mktemp("store"))
    opened = await open_store(settings)
    await opened.migrate()
    yield opened
    await drop(opened, settings)
    await opened.close()


@pytest_asyncio.fixture
async def app_client(store: Store, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client of create_app() on the module's store."""
    app = create_app(settings_for("sqlite", tmp_path), store=store)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client,
    ):
        yield client


async def make_user(store: Store, role: str = "member") -> UserRecord:
    """A verified user with `role`, made through User.create_user (password TEST_PASSWORD), not logged in."""
    accounts = Accounts.build(store, settings_for("sqlite", Path(tempfile.gettempdir())))
    user = await User.create_user(
        accounts,
        email=f"{new_id()[:10]}@example.org",
        password=TEST_PASSWORD,
        display_name=f"{role.title()} Tester",
        role=role,
        verified=True,
    )
    return user.record


async def login_as(client: httpx.AsyncClient, store: Store, role: str = "member") -> UserRecord:
    """Make a verified user with `role` (make_user) and log `client` in as them through POST /login.

    Afterwards the client sends the session's CSRF token as the X-CSRF-Token header on every request.
    """
    user = await make_user(store, role)
    await log_in(client, user.email, TEST_PASSWORD)
    return user

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from streamer.catalog.config import PipelineConfig
from streamer.settings import Settings
from streamer.storage import open_store
from streamer.storage.base import Store
from streamer.storage.records import UserRecord
from tests.components import require_program
from tests.conftest import make_user, settings_for

# Two rungs and the fastest preset: the matrix exercises the pipeline, not x264.
FAST = {
    "STREAMER_LADDER": "720:2800,360:800",
    "STREAMER_X264_PRESET": "ultrafast",
    "STREAMER_WORKER_RETRY_BACKOFF_SECONDS": "0.3",
    "STREAMER_WORKER_LEASE_SECONDS": "10",
    "STREAMER_WORKER_MAX_ATTEMPTS": "2",
}


def fast_settings(data_dir: Path, backend: str = "sqlite", **extra: str) -> Settings:
    return settings_for(backend, data_dir, **(FAST | extra))


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sources")


@pytest_asyncio.fixture(scope="module")
async def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[Store, PipelineConfig]]:
    """One SQLite store and pipeline config for a module whose tests run real transcodes."""
    settings = fast_settings(tmp_path_factory.mktemp("worker"))
    store = await open_store(settings)
    await store.migrate()
    yield store, PipelineConfig.from_settings(settings)
    await store.close()


async def an_instructor(store: Store) -> UserRecord:
    """A real instructor account (User.create_user), as the uploader of the videos a test makes."""
    return await make_user(store, "instructor")


def decoded_duration(master: Path) -> float:
    """Decode the whole ladder's master playlist (first variant, audio too) and return the seconds decoded.
    Fails the test when ffmpeg reports any error."""
    ffmpeg = require_program("ffmpeg")
    run = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(master), "-f", "null", "-progress", "pipe:1", "-"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (run.returncode, run.stderr) == (0, "")
    times = [line.split("=", 1)[1] for line in run.stdout.splitlines() if line.startswith("out_time_us=")]
    return int(times[-1]) / 1e6

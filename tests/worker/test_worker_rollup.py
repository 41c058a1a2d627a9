"""`streamer worker` runs the analytics rollup: at once, then every STREAMER_ANALYTICS_ROLLUP_INTERVAL seconds."""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import CliRunner

from streamer.analytics.records import day_of
from streamer.catalog.config import PipelineConfig
from streamer.cli import main
from streamer.storage import open_store
from streamer.storage.base import Store
from streamer.storage.records import new_id, utcnow
from streamer.worker.loop import RollupSchedule, Worker
from tests.analytics.beats import store_view
from tests.worker.conftest import fast_settings


async def views_today(store: Store, video_id: str) -> int:
    today = day_of(utcnow())
    return sum(day.views for day in await store.analytics.daily(video_id, today, today))


async def a_stored_view(data_dir: Path) -> str:
    store = await open_store(fast_settings(data_dir))
    await store.migrate()
    video = new_id()
    await store_view(store, video, new_id(), 30.0, 60.0, utcnow())
    assert await views_today(store, video) == 0  # nothing rolled up yet
    await store.close()
    return video


def test_the_worker_command_rolls_analytics_up(tmp_path: Path) -> None:
    video = asyncio.run(a_stored_view(tmp_path))
    env = {"STREAMER_ENV": "test", "STREAMER_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(main, ["worker", "--until-idle"], env=env)
    assert result.exit_code == 0, result.output

    async def check() -> int:
        store = await open_store(fast_settings(tmp_path))
        try:
            return await views_today(store, video)
        finally:
            await store.close()

    assert asyncio.run(check()) == 1


async def test_a_running_worker_rolls_up_again_every_interval(tmp_path: Path) -> None:
    settings = fast_settings(tmp_path)
    store = await open_store(settings)
    await store.migrate()
    stopping = asyncio.Event()
    worker = Worker(store, PipelineConfig.from_settings(settings), rollup=RollupSchedule(0.05, 30))
    running = asyncio.create_task(worker.run(stopping))
    try:
        video = new_id()
        await store_view(store, video, new_id(), 30.0, 60.0, utcnow())  # after the first round had started
        for _ in range(400):  # later rounds pick it up; bounded, not timed
            if await views_today(store, video):
                break
            await asyncio.sleep(0.05)
        assert await views_today(store, video) == 1
    finally:
        stopping.set()
        await running
        await store.close()

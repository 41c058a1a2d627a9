"""`streamer worker` as real processes: a SIGKILLed worker's job is claimed again once its lease runs out
and completes, with nothing half-published; two workers side by side never run the same job."""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from streamer.catalog.config import PipelineConfig
from streamer.catalog.ingest import ingest_file
from streamer.settings import Settings, load_settings
from streamer.storage import open_store
from streamer.storage.base import Store
from streamer.storage.records import JobState, VideoRecord, VideoStatus
from tests.media import make
from tests.servers import start_worker
from tests.worker.conftest import FAST, an_instructor, decoded_duration

pytestmark = pytest.mark.e2e


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "STREAMER_ENV": "test",
        "STREAMER_DATA_DIR": str(tmp_path / "data"),
        **FAST,
        "STREAMER_WORKER_LEASE_SECONDS": "3",
        "STREAMER_WORKER_POLL_SECONDS": "0.2",
    }


@pytest_asyncio.fixture
async def pipeline(env: dict[str, str]) -> AsyncIterator[tuple[Store, PipelineConfig, Settings]]:
    settings = load_settings(env)
    store = await open_store(settings)
    await store.migrate()
    yield store, PipelineConfig.from_settings(settings), settings
    await store.close()


async def wait_for(store: Store, video_id: str, ready: bool) -> VideoRecord:
    """The video once it is ready (`ready`), or once it is processing with some progress; 90 s at most."""
    async with asyncio.timeout(90):
        while True:
            video = await store.videos.get(video_id)
            assert video is not None
            assert video.status != VideoStatus.FAILED, video.error
            if ready and video.status == VideoStatus.READY:
                return video
            if not ready and video.status == VideoStatus.PROCESSING and video.progress > 0:
                return video
            await asyncio.sleep(0.1)


def ffmpeg_children_writing(path: Path) -> list[str]:
    ps = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True, check=True).stdout
    return [line for line in ps.splitlines() if "ffmpeg" in line and str(path) in line]


async def test_a_sigkilled_workers_job_completes_on_the_next_claim(
    pipeline: tuple[Store, PipelineConfig, Settings], env: dict[str, str], tmp_path: Path
) -> None:
    store, config, _ = pipeline
    owner = await an_instructor(store)
    video = await ingest_file(store, config, make(tmp_path / "src", "slow.mp4"), "Crash test", owner.id)

    first = start_worker(env, tmp_path / "first.log")
    await wait_for(store, video.id, ready=False)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert not config.layout.hls(video.id).exists(), "a killed run must not publish anything"
    await asyncio.sleep(0.5)
    assert ffmpeg_children_writing(config.layout.hls_partial(video.id)) == [], "ffmpeg outlived its worker"

    second = start_worker(env, tmp_path / "second.log")
    try:
        done = await wait_for(store, video.id, ready=True)
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(20) == 0
    [job] = await store.jobs.list_all()
    assert (job.state, job.attempts) == (JobState.DONE, 2)
    assert not config.layout.hls_partial(video.id).exists()
    assert decoded_duration(config.layout.hls(video.id) / "master.m3u8") == pytest.approx(6.0, abs=0.15)
    assert done.duration == pytest.approx(6.0, abs=0.1)
    assert "claimed, attempt 2 of 2" in (tmp_path / "second.log").read_text()


async def test_two_workers_never_run_the_same_job(
    pipeline: tuple[Store, PipelineConfig, Settings], env: dict[str, str], tmp_path: Path
) -> None:
    store, config, _ = pipeline
    owner = await an_instructor(store)
    source = make(tmp_path / "src", "small.mp4")
    videos = [await ingest_file(store, config, source, f"Lecture {n}", owner.id) for n in range(4)]
    workers = [start_worker(env, tmp_path / f"w{n}.log", "--until-idle") for n in range(2)]
    assert [worker.wait(120) for worker in workers] == [0, 0]
    claims = [re.findall(r"job (\w+) \(video \w+\) claimed", (tmp_path / f"w{n}.log").read_text()) for n in range(2)]
    assert sorted(claims[0] + claims[1]) == sorted(job.id for job in await store.jobs.list_all())
    for video in videos:
        ready = await store.videos.get(video.id)
        assert ready is not None
        assert ready.status == VideoStatus.READY

"""The worker's job lifecycle with the real transcoder: progress, retries with backoff, final failures,
shutdown, deletion while processing, and the upload path with a hostile file name."""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from streamer.catalog.config import PipelineConfig
from streamer.catalog.ingest import TRANSCODE, ingest_file
from streamer.catalog.tus_metadata import encode_metadata
from streamer.catalog.uploads import create_upload, receive
from streamer.catalog.videos import delete_video, reconcile, retry_video
from streamer.storage.base import Store
from streamer.storage.records import JobState, VideoStatus
from streamer.worker import lease
from streamer.worker.job import Outcome
from streamer.worker.loop import Worker
from tests.media import make
from tests.worker.conftest import an_instructor, decoded_duration

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def frequent_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lease, "PROGRESS_SECONDS", 0.3)


@pytest.fixture(autouse=True)
async def empty_queue(sqlite_store: tuple[Store, PipelineConfig]) -> None:
    """Each test sees only its own jobs: whatever an earlier one left open is taken off the queue."""
    store, _ = sqlite_store
    while job := await store.jobs.claim("drain", 60):
        await store.jobs.complete(job)


@pytest.fixture
def failing_ffmpeg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An `ffmpeg` first on PATH whose ladder runs crash while the file `crash` exists (other runs, and all
    runs once it is gone, are the real ffmpeg)."""
    real = "/usr/bin/ffmpeg"
    folder = tmp_path / "bin"
    folder.mkdir()
    crash = tmp_path / "crash"
    script = folder / "ffmpeg"
    script.write_text(
        "#!/bin/sh\n"
        f'case "$*" in *master_pl_name*) [ -e {crash} ] && {{ echo "simulated encoder crash" >&2; exit 1; }};; esac\n'
        f'exec {real} "$@"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}:{os.environ['PATH']}")
    crash.touch()
    return crash


async def queued(store: Store, config: PipelineConfig, sources: Path, name: str = "small.mp4") -> str:
    owner = await an_instructor(store)
    video = await ingest_file(store, config, make(sources, name), "Lecture", owner.id)
    assert video.status == VideoStatus.QUEUED
    return video.id


async def test_a_transient_failure_is_retried_after_a_backoff_and_then_succeeds(
    sqlite_store: tuple[Store, PipelineConfig], sources: Path, failing_ffmpeg: Path
) -> None:
    store, config = sqlite_store
    video_id = await queued(store, config, sources)
    worker = Worker(store, config)
    assert await worker.run_once() == Outcome.RETRY
    waiting = await store.videos.get(video_id)
    assert waiting is not None
    assert waiting.status == VideoStatus.QUEUED
    assert waiting.error == (
        "Attempt 1 of 2 failed (ffmpeg exited with 1: simulated encoder crash); trying again in 0.3 s"
    )
    assert await worker.run_once() is None  # not due yet
    await asyncio.to_thread(failing_ffmpeg.unlink)
    await asyncio.sleep(0.4)
    assert await worker.run_once() == Outcome.READY
    ready = await store.videos.get(video_id)
    assert ready is not None
    assert (ready.status, ready.error) == (VideoStatus.READY, "")


async def test_a_failure_on_the_last_attempt_fails_the_video_with_the_reason(
    sqlite_store: tuple[Store, PipelineConfig], sources: Path, failing_ffmpeg: Path
) -> None:
    store, config = sqlite_store
    video_id = await queued(store, replace(config, max_attempts=1), sources)
    assert await Worker(store, config).run_once() == Outcome.FAILED
    video = await store.videos.get(video_id)
    assert video is not None
    assert (video.status, video.error) == (
        VideoStatus.FAILED,
        "Processing failed after 1 attempt(s): ffmpeg exited with 1: simulated encoder crash",
    )
    assert not config.layout.hls_partial(video_id).exists()
    await asyncio.to_thread(failing_ffmpeg.unlink)
    await retry_video(store, config, video)
    assert await Worker(store, config).run_once() == Outcome.READY


async def test_progress_reaches_the_video_while_ffmpeg_runs(
    sqlite_store: tuple[Store, PipelineConfig], sources: Path
) -> None:
    store, config = sqlite_store
    video_id = await queued(store, config, sources, "slow.mp4")
    seen: list[tuple[VideoStatus, float]] = []
    job = asyncio.create_task(Worker(store, config).run_once())
    while not job.done():
        video = await store.videos.get(video_id)
        assert video is not None
        seen.append((video.status, video.progress))
        await asyncio.sleep(0.2)
    assert job.result() == Outcome.READY
    during = [progress for status, progress in seen if status == VideoStatus.PROCESSING and 0 < progress < 100]
    assert len(set(during)) >= 2, seen
    assert during == sorted(during)


async def test_a_stopping_worker_hands_its_job_back_without_using_an_attempt(
    sqlite_store: tuple[Store, PipelineConfig], sources: Path
) -> None:
    store, config = sqlite_store
    video_id = await queued(store, config, sources, "slow.mp4")
    stopping = asyncio.Event()
    job = asyncio.create_task(Worker(store, config).run_once(stopping))
    await _until_processing(store, video_id)
    stopping.set()
    assert await job == Outcome.RELEASED
    video = await store.videos.get(video_id)
    assert video is not None
    assert video.status == VideoStatus.QUEUED
    assert not config.layout.hls_partial(video_id).exists()
    assert not config.layout.hls(video_id).exists()
    [record] = [job for job in await store.jobs.list_all() if job.video_id == video_id]
    assert (record.state, record.attempts) == (JobState.QUEUED, 0)


async def test_deleting_a_video_while_it_is_processed_stops_the_work_and_leaves_no_files(
    sqlite_store: tuple[Store, PipelineConfig], sources: Path
) -> None:
    store, config = sqlite_store
    video_id = await queued(store, config, sources, "slow.mp4")
    job = asyncio.create_task(Worker(store, config).run_once())
    video = await _until_processing(store, video_id)
    await delete_video(store, config, video)
    assert await job == Outcome.GONE
    layout = config.layout
    assert [p.exists() for p in (layout.source(video_id), layout.hls(video_id), layout.hls_partial(video_id))] == [
        False,
        False,
        False,
    ]
    [record] = [job for job in await store.jobs.list_all() if job.video_id == video_id]
    assert record.state == JobState.DONE


async def _until_processing(store: Store, video_id: str) -> object:
    for _ in range(200):
        video = await store.videos.get(video_id)
        assert video is not None
        if video.status == VideoStatus.PROCESSING and video.progress > 0:
            return video
        await asyncio.sleep(0.05)
    raise AssertionError("the video never showed progress")


async def test_a_job_whose_workers_died_fails_its_video_on_the_next_sweep(
    sqlite_store: tuple[Store, PipelineConfig], sources: Path
) -> None:
    store, config = sqlite_store
    video_id = await queued(store, replace(config, max_attempts=1), sources)
    assert await store.jobs.claim("dies", 0.1) is not None
    await store.videos.update(video_id, {"status": VideoStatus.PROCESSING})
    await asyncio.sleep(0.3)
    assert await Worker(store, config).run_once() is None  # the claim marks the job failed instead
    assert await reconcile(store) == 1
    video = await store.videos.get(video_id)
    assert video is not None
    assert (video.status, video.error) == (
        VideoStatus.FAILED,
        "The worker stopped responding 1 times while processing this video.",
    )


async def test_an_upload_with_a_hostile_name_goes_all_the_way_to_a_decodable_ladder(
    sqlite_store: tuple[Store, PipelineConfig], sources: Path
) -> None:
    store, config = sqlite_store
    data = make(sources, "small.mp4").read_bytes()
    owner = await an_instructor(store)
    metadata = encode_metadata({"filename": "../../../etc/Vorlesung über Ähnlichkeit ①.mp4"})
    upload = await create_upload(store, config, owner.id, len(data), metadata)

    async def body() -> AsyncIterator[bytes]:
        for start in range(0, len(data), 10_000):
            yield data[start : start + 10_000]

    await receive(store, config, upload, 0, body(), len(data))
    assert await Worker(store, config).run_once() == Outcome.READY
    video = await store.videos.get(upload.id)
    assert video is not None
    assert (video.status, video.source_name, video.title) == (
        VideoStatus.READY,
        "Vorlesung über Ähnlichkeit ①.mp4",
        "Vorlesung über Ähnlichkeit ①",
    )
    assert decoded_duration(config.layout.hls(upload.id) / "master.m3u8") == pytest.approx(2.0, abs=0.15)
    assert sorted(p.name for p in config.layout.root.rglob("*") if "Vorlesung" in p.name or p.name == "etc") == []


async def test_a_job_for_a_job_kind_constant_is_transcode() -> None:
    assert TRANSCODE == "transcode"

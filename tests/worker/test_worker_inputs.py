"""The bad-input matrix through the worker: each source ends as a ready video whose ladder decodes end to
end with the right duration, or as a failed video with a reason a person can read. One worker takes them
all, in turn, and keeps going."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from streamer.catalog.config import PipelineConfig
from streamer.catalog.ingest import TRANSCODE
from streamer.storage.base import Store
from streamer.storage.records import JobState, VideoRecord, VideoStatus, new_id, utcnow
from streamer.worker.job import Outcome
from streamer.worker.loop import Worker
from tests.media import make
from tests.worker.conftest import decoded_duration
from transcoder.validate import Limits

pytestmark = pytest.mark.e2e

READY = [
    ("landscape_1080p.mp4", 2.0, ["720p", "360p"]),
    ("portrait_1080x1920.mp4", 2.0, ["720p", "360p"]),
    ("odd_853x481.mp4", 2.0, ["360p"]),
    ("no_audio.mp4", 2.0, ["360p"]),
    ("one_second.mp4", 1.0, ["360p"]),
    ("sixty_fps.mp4", 2.0, ["360p"]),
    ("ten_bit.mkv", 2.0, ["360p"]),
]
FAILED = [
    ("audio_only.m4a", "This file has no video stream"),
    ("text.mp4", "This file is not a video we can read"),
    ("empty.mp4", "This file is empty"),
    ("truncated.mp4", "The file ends early — please upload it again"),
]


@pytest.fixture(scope="module")
def worker(sqlite_store: tuple[Store, PipelineConfig]) -> Worker:
    store, config = sqlite_store
    return Worker(store, config, name="matrix")


async def queued_video(store: Store, config: PipelineConfig, source: Path) -> VideoRecord:
    """A queued video with `source` as its original, straight to the worker (no check at ingest)."""
    now = utcnow()
    video = VideoRecord(new_id(), new_id(), source.stem, VideoStatus.QUEUED, now, now, source_name=source.name)
    config.layout.source(video.id).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, config.layout.source(video.id))
    await store.videos.create(video)
    await store.jobs.enqueue(video.id, TRANSCODE, config.max_attempts)
    return video


@pytest.mark.parametrize(("name", "seconds", "rungs"), READY)
async def test_a_good_source_becomes_a_ladder_that_decodes_end_to_end(
    sqlite_store: tuple[Store, PipelineConfig],
    worker: Worker,
    sources: Path,
    name: str,
    seconds: float,
    rungs: list[str],
) -> None:
    store, config = sqlite_store
    video = await queued_video(store, config, make(sources, name))
    assert await worker.run_once() == Outcome.READY
    done = await store.videos.get(video.id)
    assert done is not None
    assert (done.status, done.progress, done.error) == (VideoStatus.READY, 100.0, "")
    assert [rendition["name"] for rendition in json.loads(done.renditions)] == rungs
    assert done.duration == pytest.approx(seconds, abs=0.1)
    assert decoded_duration(config.layout.hls(video.id) / "master.m3u8") == pytest.approx(seconds, abs=0.15)
    assert not config.layout.hls_partial(video.id).exists()


@pytest.mark.parametrize(("name", "reason"), FAILED)
async def test_a_bad_source_fails_with_a_readable_reason_and_no_output(
    sqlite_store: tuple[Store, PipelineConfig], worker: Worker, sources: Path, name: str, reason: str
) -> None:
    store, config = sqlite_store
    video = await queued_video(store, config, make(sources, name))
    assert await worker.run_once() == Outcome.FAILED
    failed = await store.videos.get(video.id)
    assert failed is not None
    assert (failed.status, failed.error) == (VideoStatus.FAILED, reason)
    jobs = [job for job in await store.jobs.list_all() if job.video_id == video.id]
    assert [(job.state, job.attempts, job.last_error) for job in jobs] == [(JobState.FAILED, 1, reason)]
    assert not config.layout.hls(video.id).exists()
    assert not config.layout.hls_partial(video.id).exists()


async def test_a_video_over_the_resolution_limit_fails_naming_the_limit(
    sqlite_store: tuple[Store, PipelineConfig], sources: Path
) -> None:
    store, config = sqlite_store
    strict = replace(config, limits=Limits(max_duration_seconds=60, max_width=1280, max_height=720))
    video = await queued_video(store, strict, make(sources, "landscape_1080p.mp4"))
    assert await Worker(store, strict).run_once() == Outcome.FAILED
    failed = await store.videos.get(video.id)
    assert failed is not None
    assert failed.error == "The video's resolution (1920×1080) is above the limit of 1280×720"

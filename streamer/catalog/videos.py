"""What an instructor or operator does to a video in the pipeline: retry it, delete it, and keep video
statuses true to their jobs."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from pathlib import Path

from streamer.catalog.config import PipelineConfig
from streamer.catalog.ingest import TRANSCODE
from streamer.storage.base import Store
from streamer.storage.errors import NotFound
from streamer.storage.records import JobRecord, JobState, VideoRecord, VideoStatus

RETRYABLE = frozenset({VideoStatus.FAILED})


class NotRetryable(Exception):
    """The video cannot be processed again; the message says why."""


async def can_retry(config: PipelineConfig, video: VideoRecord) -> bool:
    """A failed video whose original file is still here can be processed again."""
    return video.status in RETRYABLE and await asyncio.to_thread(config.layout.source(video.id).is_file)


async def retry_video(store: Store, config: PipelineConfig, video: VideoRecord) -> VideoRecord:
    """Queue a failed video again with a fresh job. Raises NotRetryable when it has not failed or its
    original file is gone."""
    if video.status not in RETRYABLE:
        raise NotRetryable("Only a failed video can be retried")
    if not await can_retry(config, video):
        raise NotRetryable("The original file is gone; please upload it again")
    queued = await store.videos.update(video.id, {"status": VideoStatus.QUEUED, "error": "", "progress": 0.0})
    await store.jobs.enqueue(video.id, TRANSCODE, config.max_attempts)
    return queued


async def retry_job(store: Store, job_id: str) -> JobRecord:
    """Operator retry: the job is queued now with a fresh attempt budget and its video shows queued.
    Raises NotFound."""
    job = await store.jobs.requeue(job_id)
    with contextlib.suppress(NotFound):
        await store.videos.update(job.video_id, {"status": VideoStatus.QUEUED, "error": "", "progress": 0.0})
    return job


async def delete_video(store: Store, config: PipelineConfig, video: VideoRecord) -> None:
    """Delete the video with every file it has: upload bytes, original, published and partial ladders.
    A worker busy with it notices the video is gone and discards its output."""
    layout = config.layout
    await store.uploads.delete(video.id)
    await store.videos.delete(video.id)
    paths = [layout.upload_part(video.id), layout.source(video.id), layout.hls(video.id), layout.hls_partial(video.id)]
    await asyncio.to_thread(_remove_all, paths)


def _remove_all(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


async def reconcile(store: Store, limit: int = 200) -> int:
    """Fail the videos whose job failed without a worker to say so (its workers kept dying), with the job's
    reason. Looks at the newest `limit` jobs; returns how many videos it changed."""
    jobs = await store.jobs.list_all(limit)
    open_videos = {job.video_id for job in jobs if job.state in (JobState.QUEUED, JobState.RUNNING)}
    changed = 0
    for job in jobs:
        if job.state != JobState.FAILED or job.video_id in open_videos:
            continue
        video = await store.videos.get(job.video_id)
        if video is not None and video.status in (VideoStatus.QUEUED, VideoStatus.PROCESSING):
            await store.videos.update(video.id, {"status": VideoStatus.FAILED, "error": job.last_error})
            changed += 1
    return changed


async def video_of(store: Store, video_id: str, user_id: str, *, admin: bool = False) -> VideoRecord:
    """The video if `user_id` owns it (or `admin`). Raises NotFound otherwise, never saying which."""
    video = await store.videos.get(video_id)
    if video is None or not (admin or video.owner_id == user_id):
        raise NotFound(f"video {video_id}")
    return video


def status_label(video: VideoRecord) -> str:
    """What the video is doing, for a person: "Uploading 37 %", "Processing 42 %", "Ready", …"""
    if video.status == VideoStatus.UPLOADING:
        return f"Uploading {video.progress:.0f} %"
    if video.status == VideoStatus.PROCESSING:
        return f"Processing {video.progress:.0f} %"
    return str(video.status).capitalize()


def status_view(video: VideoRecord) -> dict[str, object]:
    """The JSON the studio pages poll for live progress."""
    return {
        "id": video.id,
        "title": video.title,
        "status": str(video.status),
        "progress": video.progress,
        "label": status_label(video),
        "error": video.error,
        "duration": video.duration,
        "final": video.status in (VideoStatus.READY, VideoStatus.FAILED),
    }

"""One claimed job, start to end: transcode with live progress under a kept-alive lease, then publish the
result on the video (ready), or its failure (a reason for the uploader, a retry with backoff when the
fault may pass)."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import asdict
from datetime import timedelta
from enum import StrEnum

from streamer.catalog.config import PipelineConfig
from streamer.catalog.videos import delete_video
from streamer.storage.base import Store
from streamer.storage.records import JobRecord, VideoStatus, utcnow
from streamer.worker.lease import Heartbeat, LeaseLost, VideoGone
from transcoder.errors import InvalidMedia, TranscodeError
from transcoder.publish import Result, transcode

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    READY = "ready"
    FAILED = "failed"
    RETRY = "retry"
    LOST = "lost"
    RELEASED = "released"
    GONE = "gone"


async def run_job(store: Store, config: PipelineConfig, job: JobRecord, stopping: asyncio.Event) -> Outcome:
    """Process a claimed job to one Outcome. Only store errors escape (the lease then runs out and the
    job is claimed again); ffmpeg and file problems become a failed or retried job."""
    video = await store.videos.get(job.video_id)
    if video is None:
        await store.jobs.complete(job)
        return Outcome.GONE
    await store.videos.update(video.id, {"status": VideoStatus.PROCESSING, "progress": 0.0})
    beat = Heartbeat(store, job, config.lease_seconds)
    try:
        result = await _transcode_alive(config, job.video_id, beat, stopping)
    except _Stopped:
        await store.jobs.release(beat.job)
        await store.videos.update(job.video_id, {"status": VideoStatus.QUEUED, "progress": 0.0})
        return Outcome.RELEASED
    except LeaseLost as error:
        log.warning("job %s: gave up, %s", job.id, error)
        return Outcome.LOST
    except VideoGone:
        await store.jobs.complete(beat.job)
        return Outcome.GONE
    except Exception as error:
        return await _failure(store, config, beat.job, error)
    return await _publish(store, config, beat.job, result)


async def _failure(store: Store, config: PipelineConfig, job: JobRecord, error: Exception) -> Outcome:
    if await store.videos.get(job.video_id) is None:  # deleted under the transcoder's feet
        await store.jobs.complete(job)
        return Outcome.GONE
    if isinstance(error, InvalidMedia):
        return await _refuse(store, job, error.message)
    # ffmpeg, the disk, a bug: record it and retry while attempts remain
    log.warning("job %s attempt %d failed: %s", job.id, job.attempts, _details(error), exc_info=True)
    return await _failed(store, config, job, _reason(error))


class _Stopped(Exception):
    """The worker is shutting down; the job goes back to the queue."""


async def _transcode_alive(config: PipelineConfig, video_id: str, beat: Heartbeat, stopping: asyncio.Event) -> Result:
    layout = config.layout
    work = asyncio.create_task(
        transcode(
            layout.source(video_id),
            layout.hls(video_id),
            ladder=config.ladder,
            limits=config.limits,
            on_progress=beat.on_progress,
            preset=config.x264_preset,
        )
    )
    alive, stop = asyncio.create_task(beat.run()), asyncio.create_task(stopping.wait())
    await asyncio.wait({work, alive, stop}, return_when=asyncio.FIRST_COMPLETED)
    beat.stop()
    stop.cancel()
    if not work.done():
        work.cancel()  # the transcoder kills ffmpeg and removes its partial output
        await asyncio.gather(work, return_exceptions=True)
    await alive  # raises LeaseLost or VideoGone when that is why we stopped
    if stopping.is_set() and work.cancelled():
        raise _Stopped
    return work.result()


async def _publish(store: Store, config: PipelineConfig, job: JobRecord, result: Result) -> Outcome:
    changes = {
        "status": VideoStatus.READY,
        "progress": 100.0,
        "error": "",
        "duration": result.duration,
        "renditions": json.dumps([asdict(variant) for variant in result.renditions]),
    }
    video = await store.videos.get(job.video_id)
    if video is None:  # deleted while the last files were written
        await store.jobs.complete(job)
        return Outcome.GONE
    await store.videos.update(job.video_id, changes)
    if await store.jobs.complete(job) is None:
        log.warning("job %s finished after its lease was taken; its output was published anyway", job.id)
    if await store.videos.get(job.video_id) is None:
        await delete_video(store, config, video)  # deleted meanwhile: do not leave files behind
        return Outcome.GONE
    return Outcome.READY


async def _refuse(store: Store, job: JobRecord, message: str) -> Outcome:
    await store.videos.update(job.video_id, {"status": VideoStatus.FAILED, "error": message, "progress": 0.0})
    await store.jobs.fail(job, message, None)
    return Outcome.FAILED


async def _failed(store: Store, config: PipelineConfig, job: JobRecord, reason: str) -> Outcome:
    if job.attempts >= job.max_attempts:
        final = f"Processing failed after {job.attempts} attempt(s): {reason}"
        return await _refuse(store, job, final)
    delay = config.retry_delay(job.attempts)
    note = f"Attempt {job.attempts} of {job.max_attempts} failed ({reason}); trying again in {delay:g} s"
    await store.videos.update(job.video_id, {"status": VideoStatus.QUEUED, "error": note, "progress": 0.0})
    await store.jobs.fail(job, reason, utcnow() + timedelta(seconds=delay))
    return Outcome.RETRY


def _reason(error: Exception) -> str:
    """One line an instructor can read and an operator can search the log for."""
    if isinstance(error, TranscodeError):
        return str(error)
    if isinstance(error, OSError):
        return f"a file could not be read or written ({error.strerror or error})"
    return f"an unexpected error ({type(error).__name__}: {error})"


def _details(error: Exception) -> str:
    if isinstance(error, TranscodeError):
        return f"{error}\ncommand: {' '.join(error.command)}\nstderr tail:\n{error.stderr_tail}"
    return str(error)

"""A complete source file becomes a queued video (and a transcode job), or a failed one with a reason.

Sources live at `sources/<video>`; ffprobe looks at them here, so a file that is no video fails the moment
its upload completes instead of waiting for a worker.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from pathlib import Path

from streamer.catalog.config import PipelineConfig
from streamer.catalog.tus_metadata import MAX_TITLE, safe_filename
from streamer.storage.base import Store
from streamer.storage.records import VideoRecord, VideoStatus, new_id, utcnow
from streamer.storage.uploads import UploadRecord
from transcoder.errors import InvalidMedia, TranscodeError
from transcoder.probe import probe
from transcoder.validate import Limits, validate

log = logging.getLogger(__name__)
TRANSCODE = "transcode"


async def accept_upload(store: Store, config: PipelineConfig, upload: UploadRecord) -> None:
    """Move a complete upload's bytes to its source, queue (or fail) the video, forget the upload.

    Safe to call again after a crash part-way: each step checks what is already done."""
    part, source = config.layout.upload_part(upload.id), config.layout.source(upload.id)
    await asyncio.to_thread(_move_if_present, part, source)
    await queue_video(store, config, upload.id)
    await store.uploads.delete(upload.id)


async def queue_video(store: Store, config: PipelineConfig, video_id: str) -> VideoRecord | None:
    """Check the source of an uploading video: failed with the reason, or queued with a transcode job.

    Does nothing (returns None) when the video is gone or no longer uploading."""
    video = await store.videos.get(video_id)
    if video is None or video.status != VideoStatus.UPLOADING:
        return None
    reason = await source_problem(config.layout.source(video_id), config.limits)
    if reason:
        return await store.videos.update(video_id, {"status": VideoStatus.FAILED, "error": reason, "progress": 0.0})
    video = await store.videos.update(video_id, {"status": VideoStatus.QUEUED, "error": "", "progress": 0.0})
    await store.jobs.enqueue(video_id, TRANSCODE, config.max_attempts)
    return video


async def source_problem(source: Path, limits: Limits) -> str:
    """Why `source` cannot become a video, in words for its uploader; '' when it looks fine.

    A failure to run ffprobe at all is not the file's fault: '' (the worker probes again and reports)."""
    try:
        info = await asyncio.to_thread(probe, source)
        validate(info, limits)
    except InvalidMedia as error:
        return error.message
    except TranscodeError as error:
        log.warning("could not probe %s: %s", source, error)
    return ""


async def ingest_file(store: Store, config: PipelineConfig, path: Path, title: str, owner_id: str) -> VideoRecord:
    """A server-side file as a new video through the same pipeline as an upload: linked (or copied when on
    another disk) into the sources, then checked and queued. Raises FileNotFoundError for a missing file."""
    now, name = utcnow(), safe_filename(path.name)
    video = VideoRecord(
        id=new_id(),
        owner_id=owner_id,
        title=(title.strip() or Path(name).stem)[:MAX_TITLE],
        status=VideoStatus.UPLOADING,
        created_at=now,
        updated_at=now,
        source_name=name,
    )
    await asyncio.to_thread(_link_or_copy, path, config.layout.source(video.id))
    await store.videos.create(video)
    return await queue_video(store, config, video.id) or video


def _move_if_present(part: Path, source: Path) -> None:
    if part.exists():
        source.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, source)


def _link_or_copy(path: Path, target: Path) -> None:
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(path, target)
    except OSError:
        shutil.copyfile(path, target)

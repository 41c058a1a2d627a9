"""The home page: what a member was in the middle of, courses, and the newest videos."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from streamer.catalog.courses import visible_courses
from streamer.catalog.progress import Position, ProgressSource, in_progress
from streamer.catalog.visibility import Viewer
from streamer.storage.base import Store
from streamer.storage.records import CourseRecord, VideoRecord

NEWEST = 12
CONTINUE = 8
COURSES = 12


@dataclass(frozen=True)
class Resume:
    video: VideoRecord
    position: Position


@dataclass(frozen=True)
class Home:
    continue_watching: list[Resume]
    courses: list[CourseRecord]
    newest: list[VideoRecord]


async def continue_watching(store: Store, progress: ProgressSource, viewer: Viewer) -> list[Resume]:
    """Videos in progress, most recently watched first, that the viewer may still see."""
    if viewer.id is None:
        return []
    recent = [entry for entry in await progress.recent(viewer.id, 3 * CONTINUE) if in_progress(entry.position)]
    videos = {video.id: video for video in await store.videos.get_many([entry.video_id for entry in recent])}
    pairs = [Resume(videos[entry.video_id], entry.position) for entry in recent if entry.video_id in videos]
    return [pair for pair in pairs if viewer.sees(pair.video)][:CONTINUE]


async def home(store: Store, progress: ProgressSource, viewer: Viewer) -> Home:
    resume, courses, newest = await asyncio.gather(
        continue_watching(store, progress, viewer),
        visible_courses(store, viewer, COURSES),
        store.catalog.newest(viewer.reach, NEWEST),
    )
    return Home(resume, courses, newest.items)

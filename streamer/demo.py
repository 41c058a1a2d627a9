"""The first-run demo of `streamer run`: an admin to log in with and a short video to watch.

Both are made once; later runs find them again (the password is printed only when the admin is created).
"""

from __future__ import annotations

import importlib
import json
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streamer.accounts.roles import Role
from streamer.delivery import sample
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.records import UserRecord, VideoRecord, VideoStatus, new_id, utcnow

DEMO_EMAIL = "demo-admin@example.org"
DEMO_TITLE = "Demo video (generated test pattern)"
DEMO_SECONDS = 20.0


@dataclass(frozen=True)
class Demo:
    email: str
    password: str | None  # None when the admin already existed
    video_id: str
    can_log_in: bool


async def ensure_demo(settings: Settings, store: Store) -> Demo:
    """The demo admin and video, made when missing. Raises FfmpegError when the video cannot be made."""
    admin, password, can_log_in = await ensure_admin(settings, store)
    video_id = await ensure_video(settings, store, admin.id)
    return Demo(admin.email, password, video_id, can_log_in)


async def ensure_admin(settings: Settings, store: Store) -> tuple[UserRecord, str | None, bool]:
    existing = await store.users.get_by_email(DEMO_EMAIL)
    if existing is not None:
        return existing, None, True
    password = secrets.token_urlsafe(12)
    created = await _create_with_accounts(settings, store, password)
    if created is not None:
        return created, password, True
    return await _create_record(store), None, False


async def _create_with_accounts(settings: Settings, store: Store, password: str) -> UserRecord | None:
    """Through accounts' User.create_user (the one way users are made) when that feature is installed."""
    try:
        users: Any = importlib.import_module("streamer.accounts.users")
        context: Any = importlib.import_module("streamer.accounts.context")
    except ImportError:
        return None
    accounts = context.Accounts.build(store, settings)
    user = await users.User.create_user(
        accounts, email=DEMO_EMAIL, password=password, display_name="Demo Admin", role=Role.ADMIN, verified=True
    )
    record: UserRecord = user.record
    return record


async def _create_record(store: Store) -> UserRecord:
    """Without the accounts feature there is no login: the admin owns the demo video but has no password."""
    now = utcnow()
    record = UserRecord(new_id(), DEMO_EMAIL, DEMO_EMAIL, "!", "Demo Admin", Role.ADMIN, True, now, now)
    await store.users.create(record)
    return record


async def ensure_video(settings: Settings, store: Store, owner_id: str) -> str:
    for video in await store.videos.list_by_owner(owner_id):
        if video.title == DEMO_TITLE and (settings.media_root / "hls" / video.id / "master.m3u8").is_file():
            return video.id
    video_id = new_id()
    now = utcnow()
    await store.videos.create(VideoRecord(video_id, owner_id, DEMO_TITLE, VideoStatus.PROCESSING, now, now))
    folder = await make_hls(settings.media_root, video_id)
    renditions = sorted(path.parent.name for path in folder.glob("*/index.m3u8"))
    changes = {
        "status": VideoStatus.READY,
        "progress": 1.0,
        "duration": DEMO_SECONDS,
        "renditions": json.dumps(renditions),
    }
    await store.videos.update(video_id, changes)
    return video_id


async def make_hls(media_root: Path, video_id: str) -> Path:
    """Generate the clip and its HLS ladder into `hls/<id>.partial/`, then publish it as `hls/<id>/`.

    Uses the transcoder package when it is installed; until then, sample.py's direct ffmpeg ladder.
    """
    work = media_root / "demo"
    source = await sample.make_source(work / f"{video_id}.mp4", DEMO_SECONDS)
    partial, final = media_root / "hls" / f"{video_id}.partial", media_root / "hls" / video_id
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    transcode = _transcoder()
    if transcode is not None:
        await transcode(source, partial)
    else:
        await sample.make_ladder(source, partial, DEMO_SECONDS)
    partial.rename(final)
    source.unlink(missing_ok=True)
    return final


def _transcoder() -> Any:
    try:
        module = importlib.import_module("transcoder")
    except ImportError:
        return None
    return getattr(module, "transcode", None)

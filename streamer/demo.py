"""The first-run demo of `streamer run`: an admin to log in with and a short video to watch.

Both are made once; later runs find them again (the password is printed only when the admin is created).
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

import transcoder
from streamer.accounts.context import Accounts
from streamer.accounts.roles import Role
from streamer.accounts.users import User
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.records import UserRecord, VideoRecord, VideoStatus, new_id, utcnow

DEMO_EMAIL = "demo-admin@example.org"
DEMO_TITLE = "Demo video (generated test pattern)"
DEMO_SECONDS = 20.0
# Two rungs of a test pattern, encoded fast: the demo should play within a minute of `make run`.
DEMO_LADDER = (transcoder.Rung.of(480, 1000), transcoder.Rung.of(240, 300))


@dataclass(frozen=True)
class Demo:
    email: str
    password: str | None  # None when the admin already existed
    video_id: str


async def ensure_demo(settings: Settings, store: Store) -> Demo:
    """The demo admin and video, made when missing. Raises transcoder.TranscodeError when ffmpeg fails."""
    admin, password = await ensure_admin(settings, store)
    video_id = await ensure_video(settings, store, admin.id)
    return Demo(admin.email, password, video_id)


async def ensure_admin(settings: Settings, store: Store) -> tuple[UserRecord, str | None]:
    """The demo admin, made through User.create_user (verified, so it logs in through /login at once).

    Returns the user and, only when it was made now, its password.
    """
    existing = await store.users.get_by_email(DEMO_EMAIL)
    if existing is not None:
        return existing, None
    password = secrets.token_urlsafe(12)
    user = await User.create_user(
        Accounts.build(store, settings),
        email=DEMO_EMAIL,
        password=password,
        display_name="Demo Admin",
        role=Role.ADMIN,
        verified=True,
    )
    return user.record, password


async def ensure_video(settings: Settings, store: Store, owner_id: str) -> str:
    for video in await store.videos.list_by_owner(owner_id):
        if video.title == DEMO_TITLE and (settings.media_root / "hls" / video.id / "master.m3u8").is_file():
            return video.id
    video_id = new_id()
    now = utcnow()
    await store.videos.create(VideoRecord(video_id, owner_id, DEMO_TITLE, VideoStatus.PROCESSING, now, now))
    result = await make_hls(settings.media_root, video_id)
    renditions = [dataclasses.asdict(variant) for variant in result.renditions]
    changes = {
        "status": VideoStatus.READY,
        "progress": 1.0,
        "duration": result.duration,
        "renditions": json.dumps(renditions),
    }
    await store.videos.update(video_id, changes)
    return video_id


def source_argv(dest: Path, seconds: float, width: int = 854, height: int = 480) -> list[str]:
    """A test pattern with a tone (testsrc2 + sine), H.264/AAC in MP4."""
    return [
        "ffmpeg", "-v", "error", "-nostdin", "-y", "-progress", "pipe:1",
        "-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate=24:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(dest),
    ]  # fmt: skip


async def make_source(dest: Path, seconds: float, width: int = 854, height: int = 480) -> Path:
    """Generate a clip at `dest`. Raises transcoder.TranscodeError."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    await transcoder.run_async(source_argv(dest, seconds, width, height), _ignore, duration=seconds)
    return dest


async def make_hls(media_root: Path, video_id: str) -> transcoder.Result:
    """Generate the clip and publish its HLS ladder at `hls/<id>/` with the transcoder (as the worker would)."""
    source = await make_source(media_root / "demo" / f"{video_id}.mp4", DEMO_SECONDS)
    try:
        return await transcoder.transcode(source, media_root / "hls" / video_id, ladder=DEMO_LADDER, preset="ultrafast")
    finally:
        source.unlink(missing_ok=True)


def _ignore(_: object) -> None:
    return None

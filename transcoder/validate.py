"""Refuse files that cannot become a good video, with a reason the uploader can act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from transcoder import errors
from transcoder.errors import TranscodeError
from transcoder.probe import MediaInfo
from transcoder.runner import FFMPEG_BASE, Progress, run_async

# Demuxers that follow references to other files or URLs; an upload must never steer ffmpeg elsewhere.
REFERENCING_FORMATS = frozenset({"hls", "applehttp", "concat", "ffmetadata", "lavfi", "tty", "sdp", "rtsp"})
IMAGE_FORMATS = frozenset({"image2"})  # and every "*_pipe" image demuxer
UNDECODABLE_CODECS = frozenset({"", "none", "unknown"})
TAIL_SECONDS = 3.0


@dataclass(frozen=True)
class Limits:
    """What the server accepts. Resolution limits are orientation-free: the long side is checked
    against `max_width` and the short side against `max_height`, so portrait 2160×3840 passes 3840×2160."""

    max_duration_seconds: float = 4 * 3600
    max_width: int = 3840
    max_height: int = 2160


def validate(info: MediaInfo, limits: Limits) -> None:
    """Raise InvalidMedia when `info` describes a file we will not transcode; return None otherwise."""
    if info.size == 0:
        raise errors.empty()
    _check_format(info.format_name)
    if not info.has_video:
        raise errors.no_video()
    if info.video_codec in UNDECODABLE_CODECS:
        raise errors.unsupported_codec(info.video_codec)
    if info.width <= 0 or info.height <= 0:
        raise errors.unreadable()
    _check_duration(info, limits)
    _check_resolution(info, limits)


def _check_format(format_name: str) -> None:
    names = set(format_name.split(","))
    if names & REFERENCING_FORMATS:
        raise errors.unsupported_format(format_name)
    if names & IMAGE_FORMATS or any(name.endswith("_pipe") for name in names):
        raise errors.still_image()


def _check_duration(info: MediaInfo, limits: Limits) -> None:
    if info.duration <= 0:
        raise errors.unknown_duration()
    if info.duration > limits.max_duration_seconds:
        raise errors.too_long(limits.max_duration_seconds)
    if video_ends_early(info):
        raise errors.truncated()


def video_ends_early(info: MediaInfo) -> bool:
    """True when the video track covers under half of the container and stops over 5 s before it.

    A few seconds of audio past the picture is normal; a track that stops halfway is a cut file.
    """
    if info.video_duration is None:
        return False
    gap = info.duration - info.video_duration
    return gap > 5.0 and info.video_duration < info.duration / 2


def _check_resolution(info: MediaInfo, limits: Limits) -> None:
    long_side, short_side = max(info.width, info.height), min(info.width, info.height)
    if long_side > max(limits.max_width, limits.max_height) or short_side > min(limits.max_width, limits.max_height):
        raise errors.too_large(info.width, info.height, limits.max_width, limits.max_height)


def tail_window(info: MediaInfo) -> tuple[float, float]:
    """(seek position, seconds that a healthy file decodes from there to its end)."""
    end = info.video_duration or info.duration
    start = max(0.0, end - TAIL_SECONDS)
    return start, end - start


def tail_check_argv(src: Path, info: MediaInfo) -> list[str]:
    """ffmpeg argv that decodes only the last few seconds of the video stream and reports progress."""
    start, _ = tail_window(info)
    source = ffmpeg.input(f"file:{src.resolve()}", ss=f"{start:.3f}", protocol_whitelist="file")
    stream = source[str(info.video_index)]
    return list(stream.output("-", f="null").compile(cmd=list(FFMPEG_BASE)))


async def check_tail(src: Path, info: MediaInfo) -> None:
    """Decode the end of the video; raise InvalidMedia('truncated') when it is missing or undecodable.

    Catches files whose index promises more than the data holds (an MP4 cut after a front ``moov``).
    """
    _, expected = tail_window(info)
    decoded = 0.0

    def track(progress: Progress) -> None:
        nonlocal decoded
        decoded = max(decoded, progress.out_time)

    try:
        await run_async(tail_check_argv(src, info), track, duration=expected)
    except TranscodeError as exc:
        raise errors.truncated() from exc
    if decoded < expected - min(1.0, expected / 2):
        raise errors.truncated()

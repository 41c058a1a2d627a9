"""Decide what to make from one source: renditions, frame rate, GOP, audio, thumbnails. Pure."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from transcoder import errors
from transcoder.ladder import AUDIO_BITRATE_KBPS, DEFAULT_LADDER, Rung
from transcoder.probe import MediaInfo
from transcoder.thumbnails import Poster, Storyboard, even, poster_for, storyboard_for

X264_PRESETS = (
    "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo",
)  # fmt: skip


@dataclass(frozen=True)
class Rendition:
    """One output variant. `name` is also its directory name under the output directory."""

    name: str
    width: int
    height: int
    video_bitrate_kbps: int
    maxrate_kbps: int
    bufsize_kbps: int


@dataclass(frozen=True)
class Plan:
    """Everything `build_argv` needs; `renditions` are tallest first and scaled in that order (cascade).

    `fps_cap` is set only when the source is faster than allowed; `fps` is the output rate (0 = unknown,
    passed through). `audio_bitrate_kbps` is None for a video-only ladder.
    """

    duration: float
    video_index: int
    audio_index: int | None
    renditions: tuple[Rendition, ...]
    fps: Fraction
    fps_cap: Fraction | None
    gop_frames: int
    keyframe_seconds: int
    segment_seconds: int
    audio_bitrate_kbps: int | None
    preset: str
    poster: Poster
    storyboard: Storyboard


def plan(
    info: MediaInfo,
    ladder: tuple[Rung, ...] = DEFAULT_LADDER,
    *,
    max_fps: int = 30,
    segment_seconds: int = 4,
    keyframe_seconds: int = 2,
    preset: str = "veryfast",
) -> Plan:
    """Plan the ladder for `info` (which `validate` has accepted).

    Raises ValueError for bad settings (empty ladder, unknown preset, segment length not a multiple of
    the keyframe interval) and InvalidMedia('no_video') for a source without video.
    """
    _check_settings(ladder, segment_seconds, keyframe_seconds, preset)
    if info.video_index is None:
        raise errors.no_video()
    width, height = info.display_width, info.display_height
    cap = fps_cap(info.fps, max_fps)
    fps = cap or info.fps
    return Plan(
        duration=info.duration,
        video_index=info.video_index,
        audio_index=info.audio_index,
        renditions=renditions_for(width, height, ladder),
        fps=fps,
        fps_cap=cap,
        gop_frames=max(1, round(float(fps or max_fps) * keyframe_seconds)),
        keyframe_seconds=keyframe_seconds,
        segment_seconds=segment_seconds,
        audio_bitrate_kbps=AUDIO_BITRATE_KBPS if info.has_audio else None,
        preset=preset,
        poster=poster_for(info.duration, width, height),
        storyboard=storyboard_for(info.duration, width, height),
    )


def _check_settings(ladder: tuple[Rung, ...], segment: int, keyframe: int, preset: str) -> None:
    if not ladder:
        raise ValueError("the ladder has no rungs")
    if keyframe <= 0 or segment <= 0 or segment % keyframe:
        raise ValueError(f"segment_seconds ({segment}) must be a positive multiple of keyframe_seconds ({keyframe})")
    if preset not in X264_PRESETS:
        raise ValueError(f"unknown x264 preset {preset!r}; choose one of {', '.join(X264_PRESETS)}")


def fps_cap(source: Fraction, max_fps: int) -> Fraction | None:
    """The rate to resample to when `source` exceeds `max_fps`, else None.

    Divides by the smallest whole number that fits (60→30, 59.94→29.97, 50→25, 120→30), so every
    kept frame is an original frame at an even cadence.
    """
    if source <= max_fps:
        return None
    return source / math.ceil(source / max_fps)


def renditions_for(width: int, height: int, ladder: tuple[Rung, ...]) -> tuple[Rendition, ...]:
    """Renditions for a picture of `width`×`height` as displayed (rotation already applied).

    A rung's height is the SHORT side, so portrait 1080×1920 gets "1080p" at 1080×1920. Rungs taller
    than the source are dropped (never upscale); a source shorter than every rung gets one rendition
    at its own size (rounded down to even).
    """
    short = min(width, height)
    fitting = sorted((r for r in ladder if r.height <= short), key=lambda r: r.height, reverse=True)
    if fitting:
        return tuple(_scaled(width, height, rung) for rung in fitting)
    smallest = min(ladder, key=lambda r: r.height)
    return (_source_sized(width, height, smallest),)


def _scaled(width: int, height: int, rung: Rung) -> Rendition:
    scale = rung.height / min(width, height)
    out_w = min(even(width * scale), width - width % 2)
    out_h = min(even(height * scale), height - height % 2)
    return Rendition(rung.name, out_w, out_h, rung.video_bitrate_kbps, rung.maxrate, rung.bufsize)


def _source_sized(width: int, height: int, smallest: Rung) -> Rendition:
    out_w, out_h = max(2, width - width % 2), max(2, height - height % 2)
    rung_pixels = smallest.height * smallest.height * 16 / 9
    kbps = max(100, round(smallest.video_bitrate_kbps * out_w * out_h / rung_pixels))
    rung = Rung.of(min(out_w, out_h), kbps)
    return Rendition(rung.name, out_w, out_h, rung.video_bitrate_kbps, rung.maxrate, rung.bufsize)

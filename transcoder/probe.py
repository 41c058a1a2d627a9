"""What is in a media file: `probe()` runs ffprobe, `parse_probe()` turns its JSON into a `MediaInfo`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from transcoder import errors
from transcoder.errors import InvalidMedia, TranscodeError

Json = Mapping[str, Any]


@dataclass(frozen=True)
class MediaInfo:
    """The facts about one source file that the pipeline decides on.

    `rotation` is the display rotation in degrees counterclockwise (0, 90, 180 or 270), read from the
    display-matrix side data or the legacy ``rotate`` tag. `width`/`height` are the coded frame size;
    `display_width`/`display_height` are what a viewer sees (rotation and pixel aspect applied).
    `video_index` is None when the file has no video stream; `fps` is 0 when unknown.
    """

    size: int
    format_name: str
    duration: float
    video_index: int | None = None
    video_codec: str = ""
    width: int = 0
    height: int = 0
    rotation: int = 0
    sample_aspect_ratio: Fraction = Fraction(1)
    fps: Fraction = Fraction(0)
    pix_fmt: str = ""
    bit_depth: int = 8
    video_duration: float | None = None
    audio_index: int | None = None
    audio_codec: str | None = None

    @property
    def has_video(self) -> bool:
        return self.video_index is not None

    @property
    def has_audio(self) -> bool:
        return self.audio_index is not None

    @property
    def display_width(self) -> int:
        width = round(self.width * self.sample_aspect_ratio)
        return self.height if self.rotation in (90, 270) else width

    @property
    def display_height(self) -> int:
        width = round(self.width * self.sample_aspect_ratio)
        return width if self.rotation in (90, 270) else self.height


def probe(path: Path | str) -> MediaInfo:
    """Probe `path` with ffprobe.

    Raises InvalidMedia (with a sentence for the uploader) when the file is empty or unreadable,
    FileNotFoundError when it does not exist, TranscodeError when ffprobe itself cannot be run.
    Never runs anything but ffprobe on a local file (``-protocol_whitelist file``).
    """
    source = Path(path).resolve()
    size = source.stat().st_size
    if size == 0:
        raise errors.empty()
    try:
        data = ffmpeg.probe(f"file:{source}", cmd="ffprobe", v="error", protocol_whitelist="file")
    except ffmpeg.Error as exc:
        raise probe_failure(source, exc.stderr.decode("utf-8", "replace")) from None
    except FileNotFoundError as exc:
        raise TranscodeError(["ffprobe", str(source)], str(exc), None) from None
    return parse_probe(data, size)


def probe_failure(source: Path, stderr: str) -> InvalidMedia:
    """Classify an ffprobe failure: a started-but-cut MP4 is 'truncated', anything else 'unreadable'."""
    if "moov atom not found" in stderr and _starts_like_mp4(source):
        return errors.truncated()
    return errors.unreadable()


def _starts_like_mp4(source: Path) -> bool:
    with source.open("rb") as f:
        head = f.read(12)
    return head[4:8] in (b"ftyp", b"mdat", b"free", b"wide")


def parse_probe(data: Json, size: int) -> MediaInfo:
    """Build a MediaInfo from ffprobe's ``-show_format -show_streams -of json`` output."""
    fmt: Json = data.get("format") or {}
    streams: Sequence[Json] = data.get("streams") or []
    video = _first_video(streams)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    video_duration = _float(video.get("duration")) if video else None
    duration = _float(fmt.get("duration")) or video_duration or 0.0
    info = MediaInfo(size=size, format_name=str(fmt.get("format_name", "")), duration=duration)
    if audio is not None:
        info = replace(info, audio_index=int(audio["index"]), audio_codec=str(audio.get("codec_name", "")))
    if video is None:
        return info
    return replace(info, video_duration=video_duration, **_video_fields(video))


def _first_video(streams: Sequence[Json]) -> Json | None:
    for stream in streams:
        cover_art = (stream.get("disposition") or {}).get("attached_pic") == 1
        if stream.get("codec_type") == "video" and not cover_art:
            return stream
    return None


def _video_fields(video: Json) -> dict[str, Any]:
    pix_fmt = str(video.get("pix_fmt", ""))
    return {
        "video_index": int(video["index"]),
        "video_codec": str(video.get("codec_name", "")),
        "width": int(video.get("width", 0)),
        "height": int(video.get("height", 0)),
        "rotation": rotation_of(video),
        "sample_aspect_ratio": _ratio(video.get("sample_aspect_ratio"), ":") or Fraction(1),
        "fps": _ratio(video.get("avg_frame_rate"), "/") or _ratio(video.get("r_frame_rate"), "/") or Fraction(0),
        "pix_fmt": pix_fmt,
        "bit_depth": _bit_depth(video.get("bits_per_raw_sample"), pix_fmt),
    }


def rotation_of(video: Json) -> int:
    """Display rotation, counterclockwise degrees snapped to 0/90/180/270."""
    degrees = 0.0
    for side_data in video.get("side_data_list") or []:
        if "rotation" in side_data:
            degrees = float(side_data["rotation"])
            break
    else:
        tag = (video.get("tags") or {}).get("rotate")
        degrees = -float(tag) if tag else 0.0  # the legacy tag counts clockwise
    return (round(degrees / 90) * 90) % 360


def _ratio(text: object, sep: str) -> Fraction | None:
    if not isinstance(text, str) or sep not in text:
        return None
    num, _, den = text.partition(sep)
    try:
        value = Fraction(int(num), int(den))
    except (ValueError, ZeroDivisionError):
        return None
    return value if value > 0 else None


def _bit_depth(raw: object, pix_fmt: str) -> int:
    if isinstance(raw, str) and raw.isdigit():
        return int(raw)
    match = re.search(r"p(\d+)(le|be)$", pix_fmt)
    return int(match.group(1)) if match else 8


def _float(value: object) -> float | None:
    if not isinstance(value, str | int | float):
        return None
    try:
        result = float(value)
    except ValueError:
        return None
    return result if result > 0 else None

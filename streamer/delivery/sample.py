"""A generated clip and a small HLS ladder made with one direct ffmpeg command.

For the demo video of `streamer run` (until the worker's transcoder takes over) and for delivery tests. The
output has the layout the transcoder writes: `master.m3u8`, one folder per rung with `index.m3u8`, an init
file and `.m4s` segments (MPEG-TS `.ts` when encrypted), plus `poster.jpg`, `storyboard.jpg`, `thumbnails.vtt`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from streamer.delivery.keys import VideoKey

STDERR_TAIL = 2000
STORYBOARD_COLUMNS = 5
THUMB_WIDTH, THUMB_HEIGHT = 160, 90


class FfmpegError(Exception):
    """ffmpeg failed: holds the command and the tail of its stderr."""

    def __init__(self, command: list[str], stderr: str) -> None:
        self.command = command
        self.stderr = stderr[-STDERR_TAIL:].strip()
        super().__init__(f"{command[0]} failed ({' '.join(command[1:6])} …): {self.stderr or 'no output'}")


@dataclass(frozen=True)
class Rung:
    name: str
    width: int
    height: int
    video_kbps: int


SMALL_LADDER = (Rung("360p", 640, 360, 700), Rung("180p", 320, 180, 200))


def source_argv(dest: Path, seconds: float, width: int = 640, height: int = 360) -> list[str]:
    """A test pattern with a tone: testsrc2 + sine, H.264/AAC in MP4."""
    return [
        "ffmpeg", "-v", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate=24:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(dest),
    ]  # fmt: skip


def ladder_argv(
    src: Path, dest: Path, rungs: tuple[Rung, ...], segment_seconds: int, key_info: Path | None = None
) -> list[str]:
    """One ffmpeg run: every rung from one decode, fMP4 segments (MPEG-TS with AES-128 when `key_info`)."""
    split = f"[0:v]split={len(rungs)}" + "".join(f"[s{i}]" for i in range(len(rungs)))
    scales = [f"[s{i}]scale={rung.width}:{rung.height}[v{i}]" for i, rung in enumerate(rungs)]
    argv = ["ffmpeg", "-v", "error", "-y", "-i", str(src), "-filter_complex", ";".join([split, *scales])]
    for i in range(len(rungs)):
        argv += ["-map", f"[v{i}]", "-map", "0:a"]
    for i, rung in enumerate(rungs):
        argv += [f"-b:v:{i}", f"{rung.video_kbps}k"]
    argv += ["-c:v", "libx264", "-preset", "veryfast", "-force_key_frames", f"expr:gte(t,n_forced*{segment_seconds})"]
    argv += ["-sc_threshold", "0", "-c:a", "aac", "-b:a", "64k", "-ac", "2"]
    argv += ["-f", "hls", "-hls_time", str(segment_seconds), "-hls_playlist_type", "vod"]
    if key_info is None:
        argv += ["-hls_segment_type", "fmp4", "-hls_flags", "independent_segments"]
        segment = "seg_%03d.m4s"
    else:
        argv += ["-hls_segment_type", "mpegts", "-hls_key_info_file", str(key_info)]
        segment = "seg_%03d.ts"
    stream_map = " ".join(f"v:{i},a:{i},name:{rung.name}" for i, rung in enumerate(rungs))
    argv += ["-hls_segment_filename", str(dest / "%v" / segment), "-master_pl_name", "master.m3u8"]
    return [*argv, "-var_stream_map", stream_map, str(dest / "%v" / "index.m3u8")]


def poster_argv(src: Path, dest: Path, at: float) -> list[str]:
    return ["ffmpeg", "-v", "error", "-y", "-ss", f"{at:.2f}", "-i", str(src), "-frames:v", "1", str(dest)]


def storyboard_argv(src: Path, dest: Path, every: float, tiles: int) -> list[str]:
    rows = max(1, -(-tiles // STORYBOARD_COLUMNS))
    picture = f"fps=1/{every:.3f},scale={THUMB_WIDTH}:{THUMB_HEIGHT},tile={STORYBOARD_COLUMNS}x{rows}"
    return ["ffmpeg", "-v", "error", "-y", "-i", str(src), "-vf", picture, "-frames:v", "1", str(dest)]


def thumbnails_vtt(duration: float, every: float, tiles: int, image: str = "storyboard.jpg") -> str:
    """WebVTT cues pointing into the storyboard sprite with `#xywh=` fragments."""
    cues = ["WEBVTT", ""]
    for index in range(tiles):
        start, end = index * every, min(duration, (index + 1) * every)
        x, y = (index % STORYBOARD_COLUMNS) * THUMB_WIDTH, (index // STORYBOARD_COLUMNS) * THUMB_HEIGHT
        cues += [f"{_timestamp(start)} --> {_timestamp(end)}", f"{image}#xywh={x},{y},{THUMB_WIDTH},{THUMB_HEIGHT}", ""]
    return "\n".join(cues)


def _timestamp(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{int(seconds % 1 * 1000):03d}"


async def run_ffmpeg(command: list[str]) -> None:
    """Run ffmpeg to completion. Raises FfmpegError with the stderr tail."""
    try:
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
    except OSError as error:
        raise FfmpegError(command, str(error)) from None
    _, stderr = await process.communicate()
    if process.returncode != 0:
        raise FfmpegError(command, stderr.decode(errors="replace"))


async def make_source(dest: Path, seconds: float) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    await run_ffmpeg(source_argv(dest, seconds))
    return dest


async def make_ladder(
    src: Path,
    dest: Path,
    duration: float,
    *,
    rungs: tuple[Rung, ...] = SMALL_LADDER,
    segment_seconds: int = 2,
    key: VideoKey | None = None,
) -> None:
    """Write a complete HLS folder for `src` into `dest` (created)."""
    for rung in rungs:
        (dest / rung.name).mkdir(parents=True, exist_ok=True)
    key_info = None
    if key is not None:
        key_info = dest.parent / f".{dest.name}.keyinfo"
        key_info.write_text(key.key_info_text())
    try:
        await run_ffmpeg(ladder_argv(src, dest, rungs, segment_seconds, key_info))
    finally:
        if key_info is not None:
            key_info.unlink(missing_ok=True)
    every = max(1.0, duration / 10)
    tiles = max(1, int(duration // every))
    await run_ffmpeg(poster_argv(src, dest / "poster.jpg", min(1.0, duration / 2)))
    await run_ffmpeg(storyboard_argv(src, dest / "storyboard.jpg", every, tiles))
    (dest / "thumbnails.vtt").write_text(thumbnails_vtt(duration, every, tiles))

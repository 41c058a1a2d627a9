"""A tiny HLS ladder made by ffmpeg for browser tests: two H.264 renditions (Chromium has no HEVC), 4 s
MPEG-TS segments, a poster and a storyboard (sprite + WebVTT), as the pipeline publishes them.
TEMPORARY: served by a static mount until the delivery feature's nginx fixture is merged."""

from __future__ import annotations

import subprocess
from pathlib import Path

RENDITIONS = [(640, 360, 700_000), (320, 180, 250_000)]
TILE_SECONDS = 5
TILE = (160, 90)
CODECS = '"avc1.42e01e,mp4a.40.2"'  # H.264 baseline 3.0 + AAC-LC


def rendition_argv(seconds: int, width: int, height: int, bitrate: int, folder: Path) -> list[str]:
    return [
        "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate=24:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "baseline", "-level", "3.0", "-pix_fmt", "yuv420p",
        "-b:v", str(bitrate), "-g", "48", "-keyint_min", "48", "-sc_threshold", "0",
        "-c:a", "aac", "-b:a", "64k", "-ac", "2",
        "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod",
        "-hls_segment_filename", str(folder / "seg%03d.ts"), str(folder / "index.m3u8"),
    ]  # fmt: skip


def storyboard_argv(source: Path, seconds: int, target: Path) -> list[str]:
    tiles = seconds // TILE_SECONDS
    return [
        "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(source),
        "-vf", f"fps=1/{TILE_SECONDS},scale={TILE[0]}:{TILE[1]},tile={tiles}x1", "-frames:v", "1", str(target),
    ]  # fmt: skip


def master_playlist() -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:3"]
    for width, height, bitrate in RENDITIONS:
        lines += [
            f"#EXT-X-STREAM-INF:BANDWIDTH={bitrate + 64_000},RESOLUTION={width}x{height},CODECS={CODECS}",
            f"{height}p/index.m3u8",
        ]
    return "\n".join(lines) + "\n"


def storyboard_vtt(seconds: int) -> str:
    cues = ["WEBVTT", ""]
    for index in range(seconds // TILE_SECONDS):
        start, end = index * TILE_SECONDS, (index + 1) * TILE_SECONDS
        cues += [
            f"00:00:{start:02d}.000 --> 00:00:{end:02d}.000",
            f"storyboard.jpg#xywh={index * TILE[0]},0,{TILE[0]},{TILE[1]}",
            "",
        ]
    return "\n".join(cues)


def make_ladder(folder: Path, seconds: int = 30) -> Path:
    """Write master.m3u8, <h>p/index.m3u8 + segments, poster.jpg, storyboard.jpg/.vtt into `folder`."""
    for width, height, bitrate in RENDITIONS:
        (folder / f"{height}p").mkdir(parents=True, exist_ok=True)
        subprocess.run(rendition_argv(seconds, width, height, bitrate, folder / f"{height}p"), check=True)
    source = folder / f"{RENDITIONS[0][1]}p" / "index.m3u8"
    subprocess.run(storyboard_argv(source, seconds, folder / "storyboard.jpg"), check=True)
    poster = [
        "ffmpeg",
        "-nostdin",
        "-loglevel",
        "error",
        "-y",
        "-i",
        str(source),
        "-frames:v",
        "1",
        str(folder / "poster.jpg"),
    ]
    subprocess.run(poster, check=True)
    (folder / "master.m3u8").write_text(master_playlist())
    (folder / "storyboard.vtt").write_text(storyboard_vtt(seconds))
    return folder

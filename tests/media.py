"""Test sources made with ffmpeg's lavfi: tiny, a few seconds, each a case the pipeline must handle."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.components import require_program

# name -> ffmpeg arguments after `-y`; the output file name is appended.
RECIPES: dict[str, list[str]] = {
    "landscape_1080p.mp4": [
        "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25:duration=2",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
    ],
    "portrait_1080x1920.mp4": [
        "-f", "lavfi", "-i", "testsrc2=size=1080x1920:rate=25:duration=2",
        "-f", "lavfi", "-i", "sine=frequency=330:duration=2",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
    ],
    "odd_853x481.mp4": [
        "-f", "lavfi", "-i", "testsrc2=size=853x481:rate=25:duration=2",
        "-f", "lavfi", "-i", "sine=frequency=550:duration=2",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p", "-c:a", "aac", "-shortest",
    ],
    "no_audio.mp4": [
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=2",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
    ],
    "audio_only.m4a": ["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac"],
    "one_second.mp4": [
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=1",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
    ],
    "sixty_fps.mp4": [
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=60:duration=2",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
    ],
    "ten_bit.mkv": [
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=2",
        "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le", "-x265-params", "log-level=error",
    ],
    "small.mp4": [
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
    ],
    "slow.mp4": [
        "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=6",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=6",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
    ],
}  # fmt: skip


def make(folder: Path, name: str) -> Path:
    """The source `name` under `folder`, made on first use. Besides RECIPES: `text.mp4` (a text file),
    `empty.mp4` (zero bytes), `truncated.mp4` (the first half of an mp4)."""
    target = folder / name
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    if name == "text.mp4":
        target.write_text("These are lecture notes, not a video.\n" * 20)
    elif name == "empty.mp4":
        target.touch()
    elif name == "truncated.mp4":
        whole = make(folder, "small.mp4").read_bytes()
        target.write_bytes(whole[: len(whole) // 2])
    else:
        ffmpeg = require_program("ffmpeg")
        argv = [ffmpeg, "-hide_banner", "-v", "error", "-y", *RECIPES[name], str(target)]
        subprocess.run(argv, check=True, capture_output=True, timeout=120)
    return target


def padded(folder: Path, mib: int) -> Path:
    """`small.mp4` grown to about `mib` MiB by a trailing `free` box: a valid MP4 that takes a while to send."""
    target = folder / f"padded_{mib}.mp4"
    if not target.exists():
        pad = mib * 1024 * 1024
        video = make(folder, "small.mp4").read_bytes()
        with target.open("wb") as out:
            out.write(video)
            out.write((pad + 8).to_bytes(4, "big") + b"free")
            out.truncate(out.tell() + pad)
    return target

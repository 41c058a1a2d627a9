"""Helpers for the transcoder tests: lavfi-generated sources and checks on published HLS output."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Make = Callable[..., Path]  # the make_source fixture: make(name, **Spec fields) -> Path
SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class Spec:
    """A lavfi-generated test source."""

    width: int = 640
    height: int = 360
    rate: int = 30
    duration: float = 2.0
    audio: bool = True
    video: bool = True
    pix_fmt: str = "yuv420p"
    rotate: int | None = None  # legacy "rotate" tag, written by a stream copy
    faststart: bool = False


def ffmpeg(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def generate(spec: Spec, path: Path) -> Path:
    inputs: list[str] = []
    if spec.video:
        # testsrc2 only makes even sizes; an odd one is scaled to (and needs a 4:4:4 pix_fmt to survive).
        size = f"{spec.width + spec.width % 2}x{spec.height + spec.height % 2}"
        inputs += ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={spec.rate}:duration={spec.duration}"]
    if spec.audio:
        inputs += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={spec.duration}"]
    codecs = ["-vf", f"scale={spec.width}:{spec.height},setsar=1"] if spec.video else []
    codecs += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", spec.pix_fmt] if spec.video else []
    codecs += ["-c:a", "aac"] if spec.audio else []
    flags = ["-movflags", "+faststart"] if spec.faststart else []
    raw = path.with_name("raw-" + path.name) if spec.rotate is not None else path
    result = ffmpeg(*inputs, *codecs, *flags, str(raw))
    assert result.returncode == 0, result.stderr
    if spec.rotate is not None:
        result = ffmpeg("-i", str(raw), "-c", "copy", "-metadata:s:v:0", f"rotate={spec.rotate}", str(path))
        assert result.returncode == 0, result.stderr
    return path


@dataclass(frozen=True)
class Decoded:
    returncode: int
    errors: str
    seconds: float


def decode_all(playlist: Path, *input_options: str) -> Decoded:
    """Decode every video and audio stream reachable from `playlist`; report how far it got."""
    cmd = ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-nostats", "-progress", "pipe:1"]
    cmd += [*input_options, "-i", str(playlist), "-map", "0:v", "-map", "0:a?", "-f", "null", "-"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    times = [int(line.split("=")[1]) for line in result.stdout.splitlines() if line.startswith("out_time_us=")]
    return Decoded(result.returncode, result.stderr.strip(), max(times, default=0) / 1e6)


def stream_props(path: Path, entries: str = "width,height,pix_fmt,avg_frame_rate,profile") -> dict[str, str]:
    cmd = ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", f"stream={entries}"]
    cmd += ["-of", "default=noprint_wrappers=1", str(path)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def published_files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def assert_servable_layout(root: Path) -> None:
    """Relative names only, at most one directory level, every part matching nginx's strict regex."""
    files = published_files(root)
    assert files
    for rel in files:
        assert len(rel.parts) <= 2, rel
        assert all(SAFE_NAME.match(part) for part in rel.parts), rel
    for playlist in root.rglob("*.m3u8"):
        for line in playlist.read_text().splitlines():
            assert "://" not in line, (playlist, line)
            assert not line.startswith("/"), (playlist, line)

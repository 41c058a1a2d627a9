"""Run one ffmpeg command: parse its ``-progress pipe:1`` report, keep the tail of stderr, fail loudly."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from transcoder.errors import TranscodeError

STDERR_TAIL_BYTES = 8192
# Every ffmpeg we run: quiet except for errors, never reading stdin, progress as key=value on stdout.
FFMPEG_BASE = ("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-nostats", "-progress", "pipe:1")


@dataclass(frozen=True)
class Progress:
    """One ``-progress`` block. `percent` is 0..100 of the expected duration; `done` only on the last block."""

    percent: float
    out_time: float
    speed: float | None
    done: bool


ProgressCallback = Callable[[Progress], None]


class ProgressParser:
    """Turns ffmpeg's ``key=value`` progress lines into one Progress per block (ended by ``progress=``)."""

    def __init__(self, duration: float) -> None:
        self.duration = duration
        self._block: dict[str, str] = {}

    def feed(self, line: str) -> Progress | None:
        key, sep, value = line.strip().partition("=")
        if not sep:
            return None
        if key != "progress":
            self._block[key] = value
            return None
        block, self._block = self._block, {}
        return self._progress(block, done=value == "end")

    def _progress(self, block: dict[str, str], *, done: bool) -> Progress:
        out_time = _micros(block.get("out_time_us")) or _micros(block.get("out_time_ms")) or 0.0
        if done:
            percent = 100.0
        elif self.duration > 0:
            percent = min(99.9, max(0.0, 100.0 * out_time / self.duration))
        else:
            percent = 0.0
        return Progress(percent=percent, out_time=out_time, speed=_speed(block.get("speed")), done=done)


def _micros(value: str | None) -> float | None:
    try:
        return int(value or "") / 1_000_000
    except ValueError:
        return None


def _speed(value: str | None) -> float | None:
    try:
        return float((value or "").rstrip("x"))
    except ValueError:
        return None


class StderrTail:
    """Keeps only the last `limit` bytes of a stream, so a chatty ffmpeg cannot grow our memory."""

    def __init__(self, limit: int = STDERR_TAIL_BYTES) -> None:
        self.limit = limit
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> None:
        self._buffer += chunk
        if len(self._buffer) > self.limit:
            del self._buffer[: len(self._buffer) - self.limit]

    def text(self) -> str:
        return self._buffer.decode("utf-8", "replace")


async def run_async(argv: Sequence[str], on_progress: ProgressCallback, *, duration: float) -> None:
    """Run `argv` (which must carry ``-progress pipe:1``) to completion, reporting progress.

    Raises TranscodeError with the command and stderr tail on a non-zero exit or a missing binary.
    If the awaiting task is cancelled, or `on_progress` raises, the child is killed and reaped first.
    """
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
    except FileNotFoundError as exc:
        raise TranscodeError(argv, str(exc), None) from None
    tail = StderrTail()
    try:
        await asyncio.gather(_pump_progress(proc, ProgressParser(duration), on_progress), _pump_stderr(proc, tail))
        returncode = await proc.wait()
    finally:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await asyncio.shield(proc.wait())
    if returncode != 0:
        raise TranscodeError(argv, tail.text(), returncode)


async def _pump_progress(
    proc: asyncio.subprocess.Process, parser: ProgressParser, on_progress: ProgressCallback
) -> None:
    assert proc.stdout is not None
    async for raw in proc.stdout:
        progress = parser.feed(raw.decode("utf-8", "replace"))
        if progress is not None:
            on_progress(progress)


async def _pump_stderr(proc: asyncio.subprocess.Process, tail: StderrTail) -> None:
    assert proc.stderr is not None
    while chunk := await proc.stderr.read(4096):
        tail.feed(chunk)


def run(argv: Sequence[str], on_progress: ProgressCallback, *, duration: float) -> None:
    """Blocking wrapper around `run_async` for scripts; never call it from a running event loop."""
    asyncio.run(run_async(argv, on_progress, duration=duration))

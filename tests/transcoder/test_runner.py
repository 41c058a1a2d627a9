from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from transcoder import Progress, TranscodeError, run, run_async
from transcoder.runner import FFMPEG_BASE, STDERR_TAIL_BYTES, ProgressParser, StderrTail


def feed(parser: ProgressParser, text: str) -> list[Progress]:
    return [p for p in (parser.feed(line) for line in text.strip().splitlines()) if p is not None]


def test_parser_reports_one_progress_per_block() -> None:
    parser = ProgressParser(duration=10.0)
    blocks = feed(
        parser,
        """
        frame=1
        out_time_us=N/A
        speed=N/A
        progress=continue
        frame=75
        out_time_us=2500000
        speed=1.25x
        progress=continue
        out_time_us=10040000
        progress=end
        """,
    )
    assert blocks == [
        Progress(percent=0.0, out_time=0.0, speed=None, done=False),
        Progress(percent=25.0, out_time=2.5, speed=1.25, done=False),
        Progress(percent=100.0, out_time=10.04, speed=None, done=True),
    ]


def test_parser_never_claims_100_before_the_end() -> None:
    (progress,) = feed(ProgressParser(duration=4.0), "out_time_us=4200000\nprogress=continue")
    assert progress.percent == 99.9


def test_parser_with_unknown_duration_reports_zero_until_done() -> None:
    parser = ProgressParser(duration=0.0)
    assert [p.percent for p in feed(parser, "out_time_us=5\nprogress=continue\nprogress=end")] == [0.0, 100.0]


def test_stderr_tail_keeps_only_the_last_bytes() -> None:
    tail = StderrTail(limit=10)
    for _ in range(1000):
        tail.feed(b"0123456789abc")
    assert tail.text() == ("0123456789abc" * 1000)[-10:]


async def test_failure_carries_command_exit_status_and_stderr_tail() -> None:
    argv = ["sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x >&2; echo >&2; echo 'the real reason' >&2; exit 3"]
    with pytest.raises(TranscodeError) as caught:
        await run_async(argv, lambda _: None, duration=1.0)
    error = caught.value
    assert error.command == argv
    assert error.returncode == 3
    assert error.stderr_tail.endswith("the real reason\n")
    assert len(error.stderr_tail) <= STDERR_TAIL_BYTES
    assert "exited with 3: the real reason" in str(error)


async def test_missing_program_is_a_transcode_error() -> None:
    with pytest.raises(TranscodeError) as caught:
        await run_async(["/nonexistent/ffmpeg", "-version"], lambda _: None, duration=1.0)
    assert caught.value.returncode is None


async def test_real_ffmpeg_reports_progress_to_100(ffmpeg_available: None) -> None:
    argv = [*FFMPEG_BASE, "-f", "lavfi", "-i", "testsrc2=size=64x64:rate=25:duration=2", "-f", "null", "-"]
    seen: list[Progress] = []
    await run_async(argv, seen.append, duration=2.0)
    assert seen[-1].done
    assert seen[-1].percent == 100.0
    assert seen[-1].out_time == pytest.approx(2.0, abs=0.1)


async def test_real_ffmpeg_error_is_in_the_stderr_tail(ffmpeg_available: None) -> None:
    argv = [*FFMPEG_BASE, "-f", "lavfi", "-i", "testsrc2", "-c:v", "no_such_encoder", "-f", "null", "-"]
    with pytest.raises(TranscodeError) as caught:
        await run_async(argv, lambda _: None, duration=1.0)
    assert caught.value.returncode != 0
    assert "no_such_encoder" in caught.value.stderr_tail


def _processes_with(marker: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _endless_ffmpeg(marker: str) -> list[str]:
    source = "testsrc2=size=64x64:rate=25"
    return [*FFMPEG_BASE, "-re", "-f", "lavfi", "-i", source, "-metadata", f"comment={marker}", "-f", "null", "-"]


async def test_cancellation_kills_the_child(ffmpeg_available: None) -> None:
    marker = uuid.uuid4().hex
    started = asyncio.Event()
    task = asyncio.create_task(run_async(_endless_ffmpeg(marker), lambda _: started.set(), duration=60))
    await asyncio.wait_for(started.wait(), timeout=30)
    assert _processes_with(marker)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert _processes_with(marker) == []


async def test_a_failing_progress_callback_kills_the_child(ffmpeg_available: None) -> None:
    marker = uuid.uuid4().hex

    def explode(_: Progress) -> None:
        raise RuntimeError("callback broke")

    with pytest.raises(RuntimeError, match="callback broke"):
        await asyncio.wait_for(run_async(_endless_ffmpeg(marker), explode, duration=60), timeout=30)
    assert _processes_with(marker) == []


def test_sync_run_wrapper(ffmpeg_available: None) -> None:
    argv = [*FFMPEG_BASE, "-f", "lavfi", "-i", "testsrc2=size=64x64:duration=0.5", "-f", "null", "-"]
    seen: list[Progress] = []
    run(argv, seen.append, duration=0.5)
    assert seen[-1].done

"""Benchmark the transcoder against baselines measured in the same run.

    .venv/bin/python bench/transcode.py [--seconds 20] [--repeats 3] [--extra-preset superfast]

One 1080p source (lavfi testsrc2 + sine, generated once and cached under .cache/bench/), the default
ladder, default settings. Each round runs, in turn:
  (a) pipeline   transcoder.transcode(): probe, tail check, ONE ffmpeg run, storyboard, publish
  (b) per-rung   one ffmpeg run per rendition, one after another, each with its own audio (the naive way)
  (c) bare       the exact argv our pipeline builds, run with subprocess and nothing else
Reports medians over the rounds and three ratios: a/b (goal <= 0.6), a/c (goal <= 1.05) and the
realtime factor, source seconds / pipeline wall seconds (goal >= 1.0x). The last line is the headline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transcoder import DEFAULT_LADDER, Plan, Rendition, build_argv, plan, probe, transcode

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"


def make_source(seconds: int) -> Path:
    """A 1080p30 H.264 + AAC file at a phone-like 12 Mb/s, made once per length."""
    path = CACHE / f"testsrc2-1080p30-{seconds}s.mp4"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.mp4")
    video = f"testsrc2=size=1920x1080:rate=30:duration={seconds}"
    audio = f"sine=frequency=440:sample_rate=48000:duration={seconds}"
    cmd = ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", video]
    cmd += ["-f", "lavfi", "-i", audio, "-c:v", "libx264", "-preset", "veryfast", "-b:v", "12M"]
    cmd += ["-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", "-shortest", str(partial)]
    subprocess.run(cmd, check=True)
    partial.rename(path)
    return path


def per_rendition_argvs(the_plan: Plan, src: Path, out: Path) -> list[list[str]]:
    """The baseline: what you get by looping over the ladder, one ffmpeg per rendition."""
    return [_one_rendition(the_plan, r, src, out / r.name) for r in the_plan.renditions]


def _one_rendition(the_plan: Plan, r: Rendition, src: Path, out: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    cmd = ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-i", str(src)]
    cmd += ["-vf", f"format=yuv420p,scale={r.width}:{r.height},setsar=1", "-c:v", "libx264"]
    cmd += ["-preset", the_plan.preset, "-profile:v", "high", "-g", str(the_plan.gop_frames)]
    cmd += ["-sc_threshold", "0", "-force_key_frames", f"expr:gte(t,n_forced*{the_plan.keyframe_seconds})"]
    cmd += ["-b:v", f"{r.video_bitrate_kbps}k", "-maxrate", f"{r.maxrate_kbps}k", "-bufsize", f"{r.bufsize_kbps}k"]
    cmd += ["-c:a", "aac", "-b:a", "128k", "-ac", "2", "-f", "hls", "-hls_time", str(the_plan.segment_seconds)]
    cmd += ["-hls_playlist_type", "vod", "-hls_segment_type", "fmp4"]
    cmd += ["-hls_segment_filename", str(out / "seg_%05d.m4s"), str(out / "index.m3u8")]
    return cmd


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float  # user+sys seconds of this process and the children it waited for


def timed(action: Callable[..., None], *args: Any) -> Sample:
    before, started = _cpu(), time.perf_counter()
    action(*args)
    return Sample(wall=time.perf_counter() - started, cpu=_cpu() - before)


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def fresh(work: Path, name: str) -> Path:
    path = work / name
    shutil.rmtree(path, ignore_errors=True)
    shutil.rmtree(path.with_name(name + ".partial"), ignore_errors=True)
    return path


def run_pipeline(src: Path, dest: Path, preset: str = "veryfast") -> None:
    asyncio.run(transcode(src, dest, preset=preset))


def run_per_rendition(argvs: list[list[str]]) -> None:
    for argv in argvs:
        subprocess.run(argv, check=True)


def run_bare(argv: list[str], out: Path) -> None:
    out.mkdir(parents=True)
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)


def measure(src: Path, work: Path, repeats: int, extra_preset: str | None) -> dict[str, list[Sample]]:
    """Interleave the contenders round by round, so load from elsewhere spreads over all of them."""
    the_plan = plan(probe(src), DEFAULT_LADDER)
    times: dict[str, list[Sample]] = {}
    for round_no in range(1, repeats + 1):
        for name, seconds in one_round(the_plan, src, work, extra_preset).items():
            times.setdefault(name, []).append(seconds)
        line = "  ".join(f"{name} {values[-1].wall:.2f}s" for name, values in times.items())
        print(f"round {round_no}/{repeats}: {line}", flush=True)
    return times


def one_round(the_plan: Plan, src: Path, work: Path, extra_preset: str | None) -> dict[str, Sample]:
    result = {"pipeline": timed(run_pipeline, src, fresh(work, "a"))}
    result["per-rendition"] = timed(run_per_rendition, per_rendition_argvs(the_plan, src, fresh(work, "b")))
    bare_out = fresh(work, "c")
    result["bare"] = timed(run_bare, build_argv(the_plan, src, bare_out), bare_out)
    if extra_preset:
        result[f"pipeline@{extra_preset}"] = timed(run_pipeline, src, fresh(work, "d"), extra_preset)
    return result


def ffmpeg_version() -> str:
    out = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[0]


def report(times: dict[str, list[Sample]], seconds: float) -> None:
    wall = {name: statistics.median(s.wall for s in samples) for name, samples in times.items()}
    cpu = {name: statistics.median(s.cpu for s in samples) for name, samples in times.items()}
    for name, samples in times.items():
        spread = ", ".join(f"{s.wall:.2f}" for s in samples)
        print(
            f"{name:>22}: wall median {wall[name]:6.2f}s [{spread}]  cpu median {cpu[name]:6.2f}s  "
            f"realtime {seconds / wall[name]:.2f}x"
        )
    ratio = wall["pipeline"] / wall["per-rendition"]
    overhead = wall["pipeline"] / wall["bare"]
    realtime = seconds / wall["pipeline"]
    cores = os.cpu_count() or 1
    cpu_ratio = cpu["pipeline"] / cpu["per-rendition"]
    print(f"pipeline / per-rendition = {ratio:.2f} wall, {cpu_ratio:.2f} cpu (goal <= 0.60)")
    print(f"pipeline / bare ffmpeg   = {overhead:.3f} wall, {cpu['pipeline'] / cpu['bare']:.3f} cpu (goal <= 1.05)")
    print(
        f"realtime factor          = {realtime:.2f}x wall; cpu-bound ceiling on {cores} idle cores "
        f"{seconds * cores / cpu['pipeline']:.2f}x (goal >= 1.0x)"
    )
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"transcode 1080p {seconds:g}s, 4 rungs, veryfast: pipeline/per-rendition {ratio:.2f}, "
        f"overhead {overhead:.3f}, realtime {realtime:.2f}x"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20, help="source length (default 20)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds; medians are reported (default 3)")
    parser.add_argument(
        "--extra-preset", default="superfast", help="also time the pipeline at this preset ('' to skip)"
    )
    args = parser.parse_args(argv)
    src = make_source(args.seconds)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{ffmpeg_version()}; source {src.name}; {args.repeats} rounds; load average {load}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-transcode-") as work:
        times = measure(src, Path(work), args.repeats, args.extra_preset or None)
    report(times, float(args.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

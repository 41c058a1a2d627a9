"""`transcode()`: probe, validate, plan, run, and publish the result atomically."""

from __future__ import annotations

import asyncio
import itertools
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from transcoder.command import (
    MASTER_NAME,
    PLAYLIST_NAME,
    KeyInfo,
    build_argv,
    key_info_path,
    key_info_text,
)
from transcoder.errors import TranscodeError
from transcoder.ladder import DEFAULT_LADDER, Rung
from transcoder.plan import Plan, plan
from transcoder.probe import MediaInfo, probe
from transcoder.runner import ProgressCallback, run_async
from transcoder.thumbnails import (
    POSTER_NAME,
    STORYBOARD_NAME,
    TILE_GLOB,
    VTT_NAME,
    storyboard_argv,
    thumbnails_vtt,
)
from transcoder.validate import Limits, check_tail, validate


@dataclass(frozen=True)
class Variant:
    """A published rendition; `bandwidth` (bits/s) is the peak the master playlist declares."""

    name: str
    width: int
    height: int
    bandwidth: int


@dataclass(frozen=True)
class Result:
    duration: float
    renditions: tuple[Variant, ...]
    has_audio: bool
    master: Path
    poster: Path
    storyboard: Path
    thumbnails_vtt: Path


def _ignore(_: object) -> None:
    return None


async def transcode(
    src: Path,
    dest_dir: Path,
    *,
    ladder: tuple[Rung, ...] = DEFAULT_LADDER,
    limits: Limits | None = None,
    on_progress: ProgressCallback = _ignore,
    encryption: KeyInfo | None = None,
    preset: str = "veryfast",
) -> Result:
    """Turn `src` into a published HLS ladder at `dest_dir`.

    Work happens in ``<dest_dir>.partial/`` (wiped first if a killed run left it); only when the ladder,
    poster, storyboard and WebVTT are all present is it renamed to `dest_dir`, replacing any previous
    version. On any failure or cancellation the partial directory is removed and nothing is published.
    Raises InvalidMedia for files we refuse, TranscodeError when ffmpeg fails, ValueError for bad settings.
    """
    src, dest, info = await asyncio.to_thread(_locate_and_probe, src, dest_dir)
    validate(info, limits or Limits())
    await check_tail(src, info)
    the_plan = plan(info, ladder, preset=preset)
    partial = dest.with_name(dest.name + ".partial")
    await asyncio.to_thread(_fresh_dir, partial)
    try:
        await _render(the_plan, src, partial, encryption, on_progress)
        renditions = _finish(the_plan, partial, dest)  # a few renames: not worth a thread that could race us
    except BaseException:
        _remove(partial)  # synchronous on purpose: it must also run when we are being cancelled
        raise
    return _result(info, renditions, dest)


async def _render(
    the_plan: Plan, src: Path, out: Path, encryption: KeyInfo | None, on_progress: ProgressCallback
) -> None:
    argv = build_argv(the_plan, src, out, encryption=encryption)
    key_file = key_info_path(out)
    if encryption is not None:
        await asyncio.to_thread(key_file.write_text, key_info_text(encryption))
    try:
        await run_async(argv, on_progress, duration=the_plan.duration)
    finally:
        _remove(key_file)
    await run_async(storyboard_argv(the_plan.storyboard, out), _ignore, duration=0)


def _finish(the_plan: Plan, partial: Path, dest: Path) -> tuple[Variant, ...]:
    for tile in partial.glob(TILE_GLOB):
        tile.unlink()
    vtt = thumbnails_vtt(the_plan.storyboard, the_plan.duration)
    (partial / VTT_NAME).write_text(vtt, encoding="utf-8")
    renditions = _check_outputs(the_plan, partial)
    _swap_into_place(partial, dest)
    return renditions


def _locate_and_probe(src: Path, dest_dir: Path) -> tuple[Path, Path, MediaInfo]:
    source = Path(src).absolute()
    return source, Path(dest_dir).absolute(), probe(source)


def _fresh_dir(path: Path) -> None:
    _remove(path)
    path.mkdir(parents=True)


def _check_outputs(the_plan: Plan, out: Path) -> tuple[Variant, ...]:
    """Every file a player needs is there and non-empty; returns the variants the master declares."""
    names = [MASTER_NAME, POSTER_NAME, STORYBOARD_NAME, VTT_NAME]
    names += [f"{r.name}/{PLAYLIST_NAME}" for r in the_plan.renditions]
    missing = [name for name in names if not (out / name).is_file() or (out / name).stat().st_size == 0]
    if missing:
        raise TranscodeError(["ffmpeg"], f"ffmpeg exited 0 but did not write: {', '.join(missing)}", 0)
    bandwidths = master_bandwidths((out / MASTER_NAME).read_text(encoding="utf-8"))
    return tuple(Variant(r.name, r.width, r.height, bandwidths.get(r.name, 0)) for r in the_plan.renditions)


_STREAM_INF = re.compile(r"#EXT-X-STREAM-INF:.*?\bBANDWIDTH=(\d+)")


def master_bandwidths(master: str) -> dict[str, int]:
    """Map each variant directory named in a master playlist to its declared BANDWIDTH."""
    result: dict[str, int] = {}
    lines = master.splitlines()
    for line, uri in itertools.pairwise(lines):
        match = _STREAM_INF.match(line)
        if match:
            result[uri.split("/", 1)[0]] = int(match.group(1))
    return result


def _swap_into_place(partial: Path, dest: Path) -> None:
    """Rename `partial` to `dest`; an existing `dest` is moved aside first and deleted afterwards."""
    old = dest.with_name(dest.name + ".old")
    _remove(old)
    if dest.exists():
        dest.rename(old)
    partial.rename(dest)
    _remove(old)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _result(info: MediaInfo, renditions: tuple[Variant, ...], dest: Path) -> Result:
    return Result(
        duration=info.duration,
        renditions=renditions,
        has_audio=info.has_audio,
        master=dest / MASTER_NAME,
        poster=dest / POSTER_NAME,
        storyboard=dest / STORYBOARD_NAME,
        thumbnails_vtt=dest / VTT_NAME,
    )

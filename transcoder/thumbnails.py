"""Poster frame and storyboard sprite: their geometry, their filter chains, argv and the WebVTT index.

The poster and the storyboard tiles are extra outputs of the ladder's own ffmpeg process (see
`command.build_argv`), so they cost no second decode of the source. Both outputs write an image at the
very first frame: ffmpeg 5.1 reports no progress until every output has started, so an output that
waited for the end (a ``tile`` grid) or for 10% of the video (a lone poster frame) would freeze the
progress bar. The tiles are therefore written one small JPEG each and assembled by `storyboard_argv`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from transcoder.runner import FFMPEG_BASE

POSTER_NAME = "poster.jpg"
STORYBOARD_NAME = "storyboard.jpg"
VTT_NAME = "thumbnails.vtt"
TILE_PATTERN = "tile_%04d.jpg"
TILE_GLOB = "tile_*.jpg"
POSTER_SHORT_SIDE = 720
POSTER_AT = 0.10  # fraction of the duration: past fade-ins and title cards, still near the start
TILE_WIDTH = 160
MAX_TILES = 100
MAX_COLUMNS = 10
JPEG_QUALITY = 3  # mjpeg qscale: 2 is best, 31 worst


@dataclass(frozen=True)
class Poster:
    time: float
    width: int
    height: int


@dataclass(frozen=True)
class Storyboard:
    """A `columns`×`rows` grid of `count` tiles; tile i shows the frame at ``i * interval`` seconds."""

    interval: int
    count: int
    columns: int
    rows: int
    tile_width: int
    tile_height: int


def even(value: float) -> int:
    """Nearest even integer, at least 2: H.264 4:2:0 needs even dimensions."""
    return max(2, 2 * round(value / 2))


def poster_for(duration: float, width: int, height: int) -> Poster:
    """The poster: the frame at 10% of `duration`, short side at most 720 (never upscaled)."""
    short = min(width, height, POSTER_SHORT_SIDE)
    scale = short / min(width, height)
    return Poster(time=round(duration * POSTER_AT, 3), width=even(width * scale), height=even(height * scale))


def storyboard_for(duration: float, width: int, height: int) -> Storyboard:
    """One 160px-wide tile every `interval` whole seconds, at most 100 tiles, at most 10 per row."""
    interval = max(1, math.ceil(duration / MAX_TILES))
    # Tile k exists only if a frame at k*interval exists: keep the last one half an interval inside.
    count = max(1, min(MAX_TILES, math.floor(duration / interval + 0.5)))
    columns = min(MAX_COLUMNS, count)
    return Storyboard(
        interval=interval,
        count=count,
        columns=columns,
        rows=math.ceil(count / columns),
        tile_width=TILE_WIDTH,
        tile_height=even(TILE_WIDTH * height / width),
    )


def poster_filters(poster: Poster) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    """Filter chain (name, args, kwargs) passing two frames: the first one, then the first at or after
    `poster.time`. Written with `image_output_options` the second overwrites the first."""
    first_then_poster = f"lt(n,1)+gte(t,{poster.time})*lt(prev_selected_t,{poster.time})"
    return [
        ("select", (first_then_poster,), {}),
        ("scale", (poster.width, poster.height), {}),
        ("setsar", ("1",), {}),
    ]


def tile_filters(board: Storyboard) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    """Filter chain (name, args, kwargs) keeping one frame every `board.interval` seconds, tile-sized."""
    return [
        ("fps", (f"1/{board.interval}",), {}),
        ("scale", (board.tile_width, board.tile_height), {}),
        ("setsar", ("1",), {}),
    ]


def image_output_options(*, overwrite: bool) -> dict[str, Any]:
    """JPEG output options; `overwrite` keeps rewriting one file instead of numbering a sequence.

    ``fps_mode passthrough``: the image muxer would otherwise be fed at a constant rate, and two
    frames minutes apart would be written as thousands of duplicates.
    """
    options: dict[str, Any] = {"fps_mode": "passthrough", "q:v": JPEG_QUALITY}
    if overwrite:
        options["update"] = 1
    return options


def storyboard_argv(board: Storyboard, out_dir: Path) -> list[str]:
    """argv that assembles the tiles `build_argv` wrote in `out_dir` into one `columns`×`rows` sprite."""
    tiles = ffmpeg.input(str(out_dir / TILE_PATTERN), framerate=1, start_number=1, protocol_whitelist="file")
    grid = tiles.filter("tile", f"{board.columns}x{board.rows}")
    output = grid.output(str(out_dir / STORYBOARD_NAME), **{"frames:v": 1, "update": 1, "q:v": JPEG_QUALITY})
    return list(output.compile(cmd=list(FFMPEG_BASE)))


def thumbnails_vtt(board: Storyboard, duration: float, image_url: str = STORYBOARD_NAME) -> str:
    """WebVTT whose cues point into the sprite with media fragments (``storyboard.jpg#xywh=x,y,w,h``)."""
    lines = ["WEBVTT", ""]
    for index in range(board.count):
        start = index * board.interval
        end = duration if index == board.count - 1 else (index + 1) * board.interval
        x = (index % board.columns) * board.tile_width
        y = (index // board.columns) * board.tile_height
        lines += [
            f"{_timestamp(start)} --> {_timestamp(max(end, start + 0.001))}",
            f"{image_url}#xywh={x},{y},{board.tile_width},{board.tile_height}",
            "",
        ]
    return "\n".join(lines)


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"

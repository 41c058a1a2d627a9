from __future__ import annotations

from pathlib import Path

import pytest

from transcoder.thumbnails import (
    Storyboard,
    even,
    poster_for,
    storyboard_argv,
    storyboard_for,
    thumbnails_vtt,
)


@pytest.mark.parametrize(
    ("duration", "interval", "count", "grid"),
    [
        (1.0, 1, 1, (1, 1)),
        (0.4, 1, 1, (1, 1)),
        (20.0, 1, 20, (10, 2)),
        (99.4, 1, 99, (10, 10)),
        (100.0, 1, 100, (10, 10)),
        (101.0, 2, 51, (10, 6)),
        (3600.0, 36, 100, (10, 10)),
        (7 * 3600.0, 252, 100, (10, 10)),
    ],
)
def test_storyboard_has_at_most_100_tiles_at_whole_second_intervals(
    duration: float, interval: int, count: int, grid: tuple[int, int]
) -> None:
    board = storyboard_for(duration, 1920, 1080)
    assert (board.interval, board.count, (board.columns, board.rows)) == (interval, count, grid)


def test_storyboard_tiles_are_160_wide_keeping_aspect() -> None:
    assert (storyboard_for(10, 1920, 1080).tile_width, storyboard_for(10, 1920, 1080).tile_height) == (160, 90)
    assert storyboard_for(10, 1080, 1920).tile_height == 284


def test_poster_is_at_ten_percent_with_short_side_at_most_720() -> None:
    poster = poster_for(200.0, 1920, 1080)
    assert (poster.time, poster.width, poster.height) == (20.0, 1280, 720)
    assert (poster_for(10.0, 1080, 1920).width, poster_for(10.0, 1080, 1920).height) == (720, 1280)
    assert (poster_for(10.0, 320, 240).width, poster_for(10.0, 320, 240).height) == (320, 240)


def test_even_rounds_to_the_nearest_even_number_at_least_two() -> None:
    assert [even(x) for x in (0.3, 1, 3.1, 638.5, 851.2)] == [2, 2, 4, 638, 852]


def test_vtt_cues_cover_the_video_and_point_into_the_sprite() -> None:
    board = Storyboard(interval=2, count=12, columns=10, rows=2, tile_width=160, tile_height=90)
    vtt = thumbnails_vtt(board, 23.5)
    assert vtt.startswith("WEBVTT\n\n")
    blocks = vtt.strip().split("\n\n")[1:]
    assert len(blocks) == 12
    assert blocks[0] == "00:00:00.000 --> 00:00:02.000\nstoryboard.jpg#xywh=0,0,160,90"
    assert blocks[10] == "00:00:20.000 --> 00:00:22.000\nstoryboard.jpg#xywh=0,90,160,90"
    assert blocks[11] == "00:00:22.000 --> 00:00:23.500\nstoryboard.jpg#xywh=160,90,160,90"


def test_vtt_timestamps_go_past_an_hour() -> None:
    board = storyboard_for(3 * 3600 + 5, 1280, 720)
    assert "03:00:05.000\nstoryboard.jpg" in thumbnails_vtt(board, 3 * 3600 + 5)


def test_storyboard_argv_tiles_the_numbered_jpegs_into_one_image() -> None:
    board = Storyboard(interval=1, count=20, columns=10, rows=2, tile_width=160, tile_height=90)
    argv = storyboard_argv(board, Path("/out"))
    assert argv[0] == "ffmpeg"
    assert argv[argv.index("-i") + 1] == "/out/tile_%04d.jpg"
    assert argv[argv.index("-filter_complex") + 1].endswith("tile=10x2[s0]")
    assert argv[-1] == "/out/storyboard.jpg"
    assert argv[argv.index("-frames:v") + 1] == "1"

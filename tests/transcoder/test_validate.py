from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from tests.transcoder.media import Make, ffmpeg
from transcoder import InvalidMedia, Limits, MediaInfo, check_tail, probe, validate
from transcoder.validate import tail_check_argv, tail_window

GOOD = MediaInfo(
    size=1000,
    format_name="mov,mp4,m4a,3gp,3g2,mj2",
    duration=60.0,
    video_index=0,
    video_codec="h264",
    width=1920,
    height=1080,
    fps=Fraction(30),
    video_duration=60.0,
    audio_index=1,
    audio_codec="aac",
)


def refusal(info: MediaInfo, limits: Limits | None = None) -> tuple[str, str]:
    with pytest.raises(InvalidMedia) as caught:
        validate(info, limits or Limits())
    return caught.value.code, caught.value.message


def test_a_normal_video_passes() -> None:
    validate(GOOD, Limits())


def test_zero_bytes_is_empty() -> None:
    assert refusal(replace(GOOD, size=0)) == ("empty", "This file is empty")


def test_no_video_stream() -> None:
    assert refusal(replace(GOOD, video_index=None)) == ("no_video", "This file has no video stream")


def test_too_long_names_the_limit_in_minutes() -> None:
    validate(GOOD, Limits(max_duration_seconds=45 * 60))
    assert refusal(replace(GOOD, duration=46 * 60.0, video_duration=46 * 60.0), Limits(45 * 60)) == (
        "too_long",
        "The video is longer than the limit of 45 minutes",
    )


def test_resolution_limit_is_orientation_free() -> None:
    limits = Limits(max_width=1920, max_height=1080)
    validate(replace(GOOD, width=1080, height=1920), limits)
    code, message = refusal(replace(GOOD, width=3840, height=2160), limits)
    assert code == "too_large"
    assert message == "The video's resolution (3840×2160) is above the limit of 1920×1080"


@pytest.mark.parametrize("codec", ["", "none", "unknown"])
def test_undecodable_codec(codec: str) -> None:
    assert refusal(replace(GOOD, video_codec=codec))[0] == "unsupported_codec"


@pytest.mark.parametrize("fmt", ["image2", "png_pipe", "jpeg_pipe", "webp_pipe"])
def test_still_images_are_not_videos(fmt: str) -> None:
    assert refusal(replace(GOOD, format_name=fmt)) == ("still_image", "This file is a still image, not a video")


@pytest.mark.parametrize("fmt", ["hls", "concat", "tty"])
def test_formats_that_reference_other_files_are_refused(fmt: str) -> None:
    assert refusal(replace(GOOD, format_name=fmt))[0] == "unsupported_format"


def test_unknown_duration() -> None:
    assert refusal(replace(GOOD, duration=0.0, video_duration=None))[0] == "unknown_duration"


def test_video_track_stopping_halfway_is_truncated() -> None:
    assert refusal(replace(GOOD, video_duration=20.0))[0] == "truncated"
    validate(replace(GOOD, video_duration=57.0), Limits())  # a little audio past the picture is fine
    validate(replace(GOOD, duration=6.0, video_duration=2.0), Limits())  # short gaps are fine


def test_tail_window_is_the_last_three_seconds_of_the_video_track() -> None:
    assert tail_window(GOOD) == (57.0, 3.0)
    assert tail_window(replace(GOOD, duration=1.0, video_duration=1.0)) == (0.0, 1.0)
    assert tail_window(replace(GOOD, video_duration=None)) == (57.0, 3.0)


def test_tail_check_argv_seeks_then_decodes_only_the_video_stream() -> None:
    argv = tail_check_argv(Path("/up/a.mp4"), GOOD)
    assert argv[argv.index("-ss") + 1] == "57.000"
    assert argv.index("-ss") < argv.index("-i")
    assert argv[argv.index("-map") + 1] == "0:0"
    assert argv[-3:] == ["-f", "null", "-"]


async def test_tail_check_passes_a_complete_file(make_source: Make) -> None:
    source = make_source(width=320, height=240, duration=4.0, faststart=True)
    await check_tail(source, probe(source))


async def test_mp4_cut_after_a_front_index_is_truncated(make_source: Make, tmp_path: Path) -> None:
    whole = make_source(width=320, height=240, duration=4.0, faststart=True)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 2 // 3])
    info = probe(cut)  # the index at the front still promises 4 seconds
    validate(info, Limits())
    with pytest.raises(InvalidMedia) as caught:
        await check_tail(cut, info)
    assert caught.value.message == "The file ends early — please upload it again"


def test_audio_only_file_has_no_video_stream(make_source: Make) -> None:
    info = probe(make_source("song.m4a", video=False))
    assert refusal(info) == ("no_video", "This file has no video stream")


def test_a_still_image_renamed_mp4_is_refused(ffmpeg_available: None, tmp_path: Path) -> None:
    image = tmp_path / "photo.png"
    assert ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1", str(image)).returncode == 0
    renamed = image.rename(tmp_path / "photo.mp4")
    assert refusal(probe(renamed))[0] == "still_image"


def test_an_hls_playlist_disguised_as_mp4_is_refused(make_source: Make, tmp_path: Path) -> None:
    playlist = tmp_path / "sneaky.mp4"
    target = make_source(width=64, height=64, duration=1.0)
    playlist.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile://{target}\n#EXT-X-ENDLIST\n")
    assert refusal(probe(playlist))[0] == "unsupported_format"

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from tests.transcoder.media import Make
from transcoder import InvalidMedia, probe
from transcoder.probe import parse_probe, rotation_of

MP4 = {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "12.5"}


def video_stream(**fields: object) -> dict[str, object]:
    stream: dict[str, object] = {
        "index": 0,
        "codec_type": "video",
        "codec_name": "h264",
        "width": 1920,
        "height": 1080,
        "pix_fmt": "yuv420p",
        "avg_frame_rate": "30000/1001",
        "r_frame_rate": "30000/1001",
        "sample_aspect_ratio": "1:1",
        "duration": "12.480000",
        "bits_per_raw_sample": "8",
    }
    stream.update(fields)
    return stream


AUDIO = {"index": 1, "codec_type": "audio", "codec_name": "aac"}


def test_parse_probe_reads_the_facts_we_plan_on() -> None:
    info = parse_probe({"format": MP4, "streams": [video_stream(), AUDIO]}, size=123)
    assert info.size == 123
    assert info.duration == 12.5
    assert info.video_duration == 12.48
    assert (info.video_index, info.video_codec, info.width, info.height) == (0, "h264", 1920, 1080)
    assert info.fps == Fraction(30000, 1001)
    assert (info.has_audio, info.audio_index, info.audio_codec) == (True, 1, "aac")
    assert (info.pix_fmt, info.bit_depth, info.rotation) == ("yuv420p", 8, 0)


def test_parse_probe_without_audio() -> None:
    info = parse_probe({"format": MP4, "streams": [video_stream()]}, size=1)
    assert not info.has_audio
    assert info.audio_codec is None


def test_cover_art_is_not_a_video_stream() -> None:
    cover = video_stream(codec_name="mjpeg", disposition={"attached_pic": 1})
    info = parse_probe({"format": MP4, "streams": [AUDIO, cover]}, size=1)
    assert not info.has_video


def test_ten_bit_depth_from_raw_sample_bits_or_pixel_format() -> None:
    ten = parse_probe({"format": MP4, "streams": [video_stream(pix_fmt="yuv420p10le")]}, size=1)
    assert ten.bit_depth == 8  # bits_per_raw_sample wins when present
    ten = parse_probe(
        {"format": MP4, "streams": [video_stream(pix_fmt="yuv420p10le", bits_per_raw_sample=None)]}, size=1
    )
    assert ten.bit_depth == 10


def test_unknown_frame_rate_is_zero_and_duration_falls_back_to_the_stream() -> None:
    stream = video_stream(avg_frame_rate="0/0", r_frame_rate="0/0")
    info = parse_probe({"format": {"format_name": "matroska,webm"}, "streams": [stream]}, size=1)
    assert info.fps == 0
    assert info.duration == 12.48


@pytest.mark.parametrize(
    ("stream", "degrees"),
    [
        ({"side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]}, 270),
        ({"side_data_list": [{"side_data_type": "Display Matrix", "rotation": 90}]}, 90),
        ({"side_data_list": [{"side_data_type": "Display Matrix", "rotation": 180}]}, 180),
        ({"side_data_list": [{"side_data_type": "Display Matrix", "rotation": -89.99}]}, 270),
        ({"tags": {"rotate": "90"}}, 270),
        ({"tags": {"rotate": "270"}}, 90),
        ({}, 0),
    ],
)
def test_rotation_comes_from_display_matrix_or_legacy_tag(stream: dict[str, object], degrees: int) -> None:
    assert rotation_of(stream) == degrees


def test_display_size_swaps_for_quarter_turns() -> None:
    matrix = {"side_data_list": [{"rotation": -90}]}
    info = parse_probe({"format": MP4, "streams": [video_stream(**matrix)]}, size=1)
    assert (info.display_width, info.display_height) == (1080, 1920)


def test_probe_reads_a_real_file(make_source: Make) -> None:
    info = probe(make_source(width=320, height=240, duration=1.0))
    assert (info.width, info.height, info.video_codec, info.audio_codec) == (320, 240, "h264", "aac")
    assert info.duration == pytest.approx(1.0, abs=0.1)


def test_probe_reads_rotation_of_a_real_phone_style_file(make_source: Make) -> None:
    info = probe(make_source(width=320, height=180, duration=1.0, rotate=90))
    assert info.rotation in (90, 270)
    assert (info.display_width, info.display_height) == (180, 320)


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"", "empty", "This file is empty"),
        (b"hello, this is not a video\n", "unreadable", "This file is not a video we can read"),
        (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40, "truncated", "The file ends early — please upload it again"),
    ],
)
def test_probe_failures_become_a_sentence_for_the_uploader(
    ffmpeg_available: None, tmp_path: Path, content: bytes, code: str, message: str
) -> None:
    path = tmp_path / "upload.mp4"
    path.write_bytes(content)
    with pytest.raises(InvalidMedia) as caught:
        probe(path)
    assert (caught.value.code, caught.value.message) == (code, message)


def test_probe_of_a_missing_file_is_our_bug_not_the_uploaders(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        probe(tmp_path / "nope.mp4")

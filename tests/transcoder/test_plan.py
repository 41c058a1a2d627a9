from __future__ import annotations

from fractions import Fraction

import pytest

from transcoder import DEFAULT_LADDER, InvalidMedia, MediaInfo, parse_ladder, plan
from transcoder.plan import fps_cap


def info(width: int = 1920, height: int = 1080, **fields: object) -> MediaInfo:
    base: dict[str, object] = {
        "size": 1000,
        "format_name": "mov,mp4,m4a,3gp,3g2,mj2",
        "duration": 60.0,
        "video_index": 0,
        "video_codec": "h264",
        "width": width,
        "height": height,
        "fps": Fraction(30),
        "pix_fmt": "yuv420p",
        "audio_index": 1,
        "audio_codec": "aac",
    }
    base.update(fields)
    return MediaInfo(**base)  # type: ignore[arg-type]


def sizes(media: MediaInfo) -> list[tuple[str, int, int]]:
    return [(r.name, r.width, r.height) for r in plan(media).renditions]


def test_1080p_source_gets_the_whole_ladder() -> None:
    assert sizes(info(1920, 1080)) == [
        ("1080p", 1920, 1080),
        ("720p", 1280, 720),
        ("480p", 854, 480),
        ("360p", 640, 360),
    ]


def test_never_upscales_a_720p_source() -> None:
    assert [name for name, _, _ in sizes(info(1280, 720))] == ["720p", "480p", "360p"]


def test_source_smaller_than_every_rung_gets_one_rendition_at_its_own_size() -> None:
    the_plan = plan(info(320, 240))
    assert [(r.name, r.width, r.height) for r in the_plan.renditions] == [("240p", 320, 240)]
    assert 100 <= the_plan.renditions[0].video_bitrate_kbps < 800


def test_odd_source_gets_even_dimensions_that_keep_its_aspect() -> None:
    assert sizes(info(853, 481)) == [("480p", 852, 480), ("360p", 638, 360)]


def test_tiny_odd_source_is_rounded_down_to_even_never_up() -> None:
    assert sizes(info(201, 113)) == [("112p", 200, 112)]


def test_portrait_rung_height_is_the_short_side() -> None:
    assert sizes(info(1080, 1920))[:2] == [("1080p", 1080, 1920), ("720p", 720, 1280)]


def test_rotated_phone_video_is_planned_as_displayed() -> None:
    phone = info(1920, 1080, rotation=90)
    assert (phone.display_width, phone.display_height) == (1080, 1920)
    assert sizes(phone)[0] == ("1080p", 1080, 1920)
    assert sizes(info(1920, 1080, rotation=180))[0] == ("1080p", 1920, 1080)


def test_anamorphic_pixels_are_made_square() -> None:
    dvd = info(720, 576, sample_aspect_ratio=Fraction(64, 45))
    assert (dvd.display_width, dvd.display_height) == (1024, 576)
    assert sizes(dvd)[0] == ("480p", 854, 480)


def test_every_dimension_is_even() -> None:
    for width, height in [(853, 481), (1366, 768), (1079, 1919), (2560, 1097), (405, 720)]:
        for _, w, h in sizes(info(width, height)):
            assert w % 2 == 0
            assert h % 2 == 0


@pytest.mark.parametrize(
    ("source", "capped"),
    [
        (Fraction(60), Fraction(30)),
        (Fraction(60000, 1001), Fraction(30000, 1001)),
        (Fraction(50), Fraction(25)),
        (Fraction(120), Fraction(30)),
        (Fraction(30), None),
        (Fraction(24000, 1001), None),
        (Fraction(0), None),
    ],
)
def test_fps_is_capped_by_a_whole_divisor(source: Fraction, capped: Fraction | None) -> None:
    assert fps_cap(source, 30) == capped


def test_gop_matches_keyframe_interval_at_the_output_rate() -> None:
    assert plan(info(fps=Fraction(60))).gop_frames == 60
    assert plan(info(fps=Fraction(25)), keyframe_seconds=2).gop_frames == 50
    assert plan(info(fps=Fraction(0))).gop_frames == 60  # unknown rate: assume the cap


def test_no_audio_stream_means_a_video_only_plan() -> None:
    the_plan = plan(info(audio_index=None, audio_codec=None))
    assert the_plan.audio_index is None
    assert the_plan.audio_bitrate_kbps is None


def test_audio_is_aac_128k() -> None:
    assert plan(info()).audio_bitrate_kbps == 128


def test_custom_ladder_is_respected() -> None:
    the_plan = plan(info(1920, 1080), parse_ladder("1080:6000,540:1200"))
    assert [(r.name, r.width, r.height, r.video_bitrate_kbps) for r in the_plan.renditions] == [
        ("1080p", 1920, 1080, 6000),
        ("540p", 960, 540, 1200),
    ]


def test_plan_refuses_a_source_without_video() -> None:
    with pytest.raises(InvalidMedia) as caught:
        plan(info(0, 0, video_index=None, video_codec=""))
    assert caught.value.code == "no_video"


@pytest.mark.parametrize(
    ("kwargs", "complaint"),
    [
        ({"segment_seconds": 5, "keyframe_seconds": 2}, "multiple of keyframe_seconds"),
        ({"keyframe_seconds": 0}, "multiple of keyframe_seconds"),
        ({"preset": "ludicrous"}, "unknown x264 preset"),
    ],
)
def test_plan_rejects_bad_settings(kwargs: dict[str, object], complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        plan(info(), DEFAULT_LADDER, **kwargs)  # type: ignore[arg-type]


def test_plan_rejects_an_empty_ladder() -> None:
    with pytest.raises(ValueError, match="no rungs"):
        plan(info(), ())

from __future__ import annotations

import pytest

from transcoder import DEFAULT_LADDER, Rung, format_ladder, parse_ladder


def test_default_ladder_is_1080_720_480_360_at_the_documented_bitrates() -> None:
    assert [(r.name, r.height, r.video_bitrate_kbps) for r in DEFAULT_LADDER] == [
        ("1080p", 1080, 5000),
        ("720p", 720, 2800),
        ("480p", 480, 1400),
        ("360p", 360, 800),
    ]


def test_rung_derives_peak_rate_and_buffer_from_average() -> None:
    assert Rung.of(720, 2800) == Rung("720p", 720, 2800, maxrate=2996, bufsize=4200)


def test_parse_ladder_round_trips_the_default() -> None:
    assert parse_ladder(format_ladder(DEFAULT_LADDER)) == DEFAULT_LADDER


def test_parse_ladder_sorts_tallest_first_and_accepts_p_and_k_suffixes() -> None:
    ladder = parse_ladder(" 360p:800k , 1080:5000,720:2800 ")
    assert [r.height for r in ladder] == [1080, 720, 360]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "ladder is empty"),
        (" , ", "ladder is empty"),
        ("1080", "'1080' is not HEIGHT:KBPS"),
        ("1080:fast", "'1080:fast' is not HEIGHT:KBPS"),
        ("720:2800,banana", "'banana' is not HEIGHT:KBPS"),
        ("-720:2800", "is not HEIGHT:KBPS"),
        ("721:2800", "height must be an even number"),
        ("100:300", "height must be an even number from 144"),
        ("720:10", "bitrate must be 50 to 100000"),
        ("720:2800,720:3000", "height 720 more than once"),
    ],
)
def test_parse_ladder_rejects_garbage_with_a_clear_message(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_ladder(text)

from __future__ import annotations

from streamer.analytics.points import ALL_POINTS, count_points, from_hex, section_points, span_points, to_hex


def bits(mask: int) -> list[int]:
    return [k for k in range(100) if mask >> k & 1]


def test_a_section_covers_the_points_whose_midpoints_it_contains() -> None:
    assert bits(span_points(0.0, 10.0, 100.0)) == list(range(10))
    assert bits(span_points(10.4, 12.6, 100.0)) == [10, 11, 12]
    assert bits(span_points(10.6, 11.4, 100.0)) == []  # covers no midpoint


def test_the_whole_video_is_all_points() -> None:
    assert span_points(0.0, 37.3, 37.3) == ALL_POINTS
    assert span_points(0.0, 40.0, 37.3) == ALL_POINTS  # a clock past the end is clipped


def test_adjacent_sections_of_consecutive_beats_join_without_a_gap() -> None:
    joined = span_points(0.0, 3.33, 10.0) | span_points(3.33, 10.0, 10.0)
    assert joined == ALL_POINTS


def test_flattened_pairs_and_empty_input() -> None:
    assert bits(section_points((0.0, 2.0, 50.0, 52.0), 100.0)) == [0, 1, 50, 51]
    assert section_points((), 100.0) == 0
    assert span_points(0.0, 10.0, 0.0) == 0


def test_counts_per_point_over_many_masks() -> None:
    counts = count_points([ALL_POINTS, span_points(0, 50, 100), span_points(0, 50, 100), 0])
    assert counts[0] == 3
    assert counts[49] == 3
    assert counts[50] == 1
    assert len(counts) == 100


def test_masks_travel_as_hex() -> None:
    assert from_hex(to_hex(ALL_POINTS)) == ALL_POINTS
    assert from_hex("") == 0

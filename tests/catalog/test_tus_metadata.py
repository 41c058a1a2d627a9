from __future__ import annotations

import pytest

from streamer.catalog.layout import MediaLayout, is_valid_id
from streamer.catalog.tus_metadata import (
    InvalidMetadata,
    encode_metadata,
    filename_of,
    parse_metadata,
    safe_filename,
    title_for,
)


def test_metadata_round_trips_utf8_values_and_bare_keys() -> None:
    header = encode_metadata({"filename": "Übung 1.mp4", "title": "Week ①"}) + ",is_confidential"
    assert parse_metadata(header) == {"filename": "Übung 1.mp4", "title": "Week ①", "is_confidential": ""}


@pytest.mark.parametrize("header", ["filename not-base64!", "bad key dGVzdA==", "k a b"])
def test_malformed_metadata_is_refused(header: str) -> None:
    with pytest.raises(InvalidMetadata):
        parse_metadata(header)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\evil.mp4", "evil.mp4"),
        ("..", "upload"),
        ("", "upload"),
        ("lec\x00ture\n.mp4", "lecture.mp4"),
        ("Café Vorlesung — 第一.mp4", "Café Vorlesung — 第一.mp4"),
    ],
)
def test_safe_filename_keeps_only_a_printable_last_component(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


def test_the_title_falls_back_to_the_file_name_without_extension() -> None:
    assert title_for({}, "lecture-03.mp4") == "lecture-03"
    assert title_for({"title": "  Intro  "}, "x.mp4") == "Intro"
    assert title_for({"title": "\x07"}, "") == "Untitled video"
    assert filename_of({"name": "clip.mov"}) == "clip.mov"


def test_media_paths_are_built_from_ids_only(tmp_path: object) -> None:
    layout = MediaLayout(tmp_path)  # type: ignore[arg-type]
    good = "0123456789abcdef0123456789abcdef"
    assert is_valid_id(good)
    assert layout.hls_partial(good).name == f"{good}.partial"
    for bad in ("../x", "0123456789ABCDEF0123456789ABCDEF", good + "/.."):
        with pytest.raises(ValueError, match="not an id"):
            layout.source(bad)

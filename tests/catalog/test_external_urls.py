"""Real-world video links → (host, id, hash), or the error naming what is accepted."""

from __future__ import annotations

import pytest

from streamer.catalog.errors import InvalidInput
from streamer.catalog.external import ExternalSource, parse_video_url

GOOD = [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ", "")),
    ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", ("youtube", "dQw4w9WgXcQ", "")),
    ("http://www.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&list=PL1234", ("youtube", "dQw4w9WgXcQ", "")),
    ("https://m.youtube.com/watch?v=a-b_c1D2e3F", ("youtube", "a-b_c1D2e3F", "")),
    ("youtube.com/watch?v=dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ", "")),
    ("https://youtu.be/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ", "")),
    ("https://youtu.be/dQw4w9WgXcQ?si=AbCdEf123&t=10", ("youtube", "dQw4w9WgXcQ", "")),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ?start=30&rel=0", ("youtube", "dQw4w9WgXcQ", "")),
    ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ", "")),
    ("https://www.youtube.com/shorts/aqz-KE-bpKQ?feature=share", ("youtube", "aqz-KE-bpKQ", "")),
    ("https://www.youtube.com/live/jfKfPfyJRdk", ("youtube", "jfKfPfyJRdk", "")),
    ("  https://www.youtube.com/watch?v=dQw4w9WgXcQ  ", ("youtube", "dQw4w9WgXcQ", "")),
    ("https://vimeo.com/76979871", ("vimeo", "76979871", "")),
    ("https://vimeo.com/76979871/8c5c9f1d2e", ("vimeo", "76979871", "8c5c9f1d2e")),
    ("https://vimeo.com/76979871?share=copy", ("vimeo", "76979871", "")),
    ("https://player.vimeo.com/video/76979871", ("vimeo", "76979871", "")),
    ("https://player.vimeo.com/video/76979871?h=8c5c9f1d2e&badge=0", ("vimeo", "76979871", "8c5c9f1d2e")),
    ("https://vimeo.com/channels/staffpicks/76979871", ("vimeo", "76979871", "")),
    ("https://vimeo.com/groups/shortfilms/videos/76979871", ("vimeo", "76979871", "")),
    ("https://vimeo.com/showcase/1234567/video/76979871", ("vimeo", "76979871", "")),
    ("https://vimeo.com/manage/videos/76979871/8c5c9f1d2e", ("vimeo", "76979871", "8c5c9f1d2e")),
    ("https://home.wistia.com/medias/e4a27b971d", ("wistia", "e4a27b971d", "")),
    ("https://acme.wistia.com/medias/e4a27b971d?wvideo=e4a27b971d", ("wistia", "e4a27b971d", "")),
    ("https://fast.wistia.net/embed/iframe/e4a27b971d?videoFoam=true", ("wistia", "e4a27b971d", "")),
    ("https://fast.wistia.com/embed/medias/e4a27b971d.jsonp", ("wistia", "e4a27b971d", "")),
    ("https://acme.wi.st/medias/e4a27b971d", ("wistia", "e4a27b971d", "")),
]

BAD = [
    ("", "A video link is required"),
    ("not a link at all", "not a single link"),
    ("https://www.youtube.com/watch?v=tooShort", "no valid video id (11 letters"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQQQ", "no valid video id"),
    ("https://www.youtube.com/watch?list=PL1234", "no valid video id"),
    ("https://www.youtube.com/channel/UC38IQsAvIsxxjztdMZQtwHA", "does not point at one video"),
    ("https://www.youtube.com/playlist?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG", "does not point at one video"),
    ("https://youtu.be/", "no valid video id"),
    ("https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "cannot be embedded"),
    ("https://notyoutube.com/watch?v=dQw4w9WgXcQ", "cannot be embedded"),
    ("ftp://youtube.com/watch?v=dQw4w9WgXcQ", "Only http(s) links"),
    ("javascript:alert(1)", "not a valid link"),
    ("https://vimeo.com/", "does not point at one video"),
    ("https://vimeo.com/user12345", "no valid video id (a number)"),
    ("https://vimeo.com/channels/staffpicks", "does not point at one video"),
    ("https://vimeo.com/76979871/not-a-hash!", "malformed hash"),
    ("https://player.vimeo.com/video/abc", "no valid video id"),
    ("https://home.wistia.com/medias/short", "no valid video id (10 lower-case"),
    ("https://wistia.com/pricing", "does not point at one video"),
    ("https://example.com/video.mp4", "Videos from example.com cannot be embedded"),
    ("https://www.dailymotion.com/video/x7tgad0", "cannot be embedded"),
    ("https://youtube.com:8443/watch?v=dQw4w9WgXcQ", "Only http(s) links"),
]


@pytest.mark.parametrize(("url", "expected"), GOOD)
def test_accepted_links_parse_to_host_id_and_hash(url: str, expected: tuple[str, str, str]) -> None:
    assert parse_video_url(url) == ExternalSource(*expected)


@pytest.mark.parametrize(("url", "message"), BAD)
def test_refused_links_say_why_and_what_is_accepted(url: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_video_url(url)
    text = refused.value.fields["url"]
    assert message in text
    assert all(host in text for host in ("YouTube", "Vimeo", "Wistia"))


def test_the_table_has_at_least_thirty_forms() -> None:
    assert len(GOOD) + len(BAD) >= 30


def test_links_are_stored_normalised() -> None:
    assert parse_video_url("youtu.be/dQw4w9WgXcQ?t=3").url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert parse_video_url("https://player.vimeo.com/video/1?h=abcdef12").url == "https://vimeo.com/1/abcdef12"

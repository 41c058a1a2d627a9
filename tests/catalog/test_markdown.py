"""Descriptions render as Markdown and nothing active survives."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from streamer.catalog.markdown import render

HOSTILE = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<img src="x" onerror="alert(1)">',
    '<div onclick="alert(1)">raw</div>',
    "![pic](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD4=)",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    "[x](vbscript:msgbox(1))",
]


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_descriptions_render_inert(source: str) -> None:
    for tag, attributes in Elements(render(source)).found:
        assert tag in {"p", "a", "img", "em", "strong"}, tag
        assert not [name for name in attributes if name.startswith("on")]
        for name in ("href", "src"):
            url = (attributes.get(name) or "").strip().lower()
            assert not url or url.startswith(("http://", "https://", "mailto:")), url


def test_markdown_still_renders_links_emphasis_and_lists() -> None:
    html = render("**Bold** and [docs](https://example.org)\n\n- one\n- two")
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://example.org" rel="noopener nofollow ugc">docs</a>' in html
    assert "<li>one</li>" in html


def test_raw_html_is_shown_as_text_not_dropped_silently() -> None:
    assert "&lt;b&gt;hi&lt;/b&gt;" in render("<b>hi</b>")

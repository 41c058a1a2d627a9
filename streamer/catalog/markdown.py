"""Descriptions are Markdown, rendered and then sanitised: no script, raw HTML, event attribute or
`javascript:` link survives."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# Raw HTML in the source is shown as text (html=False); nh3 then whitelists what the renderer may emit.
_RENDERER = MarkdownIt("commonmark", {"html": False}).enable(["strikethrough", "table"])
_TAGS = {
    *("p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "a", "img"),
    *("ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"),
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}


def render(text: str) -> str:
    """Safe HTML for a Markdown description (links get rel="noopener nofollow ugc")."""
    return nh3.clean(
        _RENDERER.render(text),
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow ugc",
    )

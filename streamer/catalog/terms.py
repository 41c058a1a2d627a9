"""Text analysis for search: words are runs of letters and digits, lower-cased; terms are their English stems.

Cassandra stores the terms of a video in a `set<text>` (SAI-indexed); SQLite's FTS5 porter tokenizer does the
same job itself, and both are fed the same words, so "streaming" finds "stream" on either backend.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import snowballstemmer

_WORD = re.compile(r"[^\W_]+")
_STEMMER = snowballstemmer.stemmer("english")
MAX_WORD = 64


def words(text: str) -> list[str]:
    """Lower-cased words without diacritics (as FTS5's unicode61 tokenizer splits them), in order of first
    appearance, without repeats; over-long words are cut."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return list(dict.fromkeys(match.group()[:MAX_WORD] for match in _WORD.finditer(folded)))


def stems(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(_STEMMER.stemWords(list(items))))


def index_terms(*texts: str) -> set[str]:
    """Every stemmed term of `texts`: what a document is found by."""
    return set(stems(word for text in texts for word in words(text)))

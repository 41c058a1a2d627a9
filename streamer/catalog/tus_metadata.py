"""The tus `Upload-Metadata` header: comma-separated `key base64value` pairs, and the names taken from it."""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from pathlib import PurePosixPath

_KEY = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
MAX_FILENAME = 255
MAX_TITLE = 200


class InvalidMetadata(ValueError):
    """The header is not `key base64,key base64`; the message says which pair is wrong."""


def parse_metadata(header: str) -> dict[str, str]:
    """Decode the header into text values (invalid UTF-8 replaced). A key without a value maps to ''."""
    pairs: dict[str, str] = {}
    for item in (part.strip() for part in header.split(",")):
        if not item:
            continue
        key, _, value = item.partition(" ")
        if not _KEY.match(key) or " " in value.strip():
            raise InvalidMetadata(f"Upload-Metadata pair {item[:40]!r} is not 'key base64value'")
        try:
            pairs[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            raise InvalidMetadata(f"Upload-Metadata value of {key!r} is not base64") from None
    return pairs


def encode_metadata(values: dict[str, str]) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in values.items())


def _printable(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return "".join(char for char in text if unicodedata.category(char)[0] != "C").strip()


def safe_filename(name: str) -> str:
    """The last path component of `name`, without control characters, at most 255 characters.

    Only ever shown to people; files on disk are named by id. `../../etc/passwd` becomes `passwd`."""
    last = _printable(PurePosixPath(name.replace("\\", "/")).name)
    return last[:MAX_FILENAME] if last not in ("", ".", "..") else "upload"


def title_for(metadata: dict[str, str], filename: str) -> str:
    """The `title` given, else the file name without its extension."""
    title = _printable(metadata.get("title", "")) or _printable(PurePosixPath(filename).stem) or "Untitled video"
    return title[:MAX_TITLE]


def filename_of(metadata: dict[str, str]) -> str:
    return safe_filename(metadata.get("filename") or metadata.get("name") or "upload")

"""Where media lives under the media root. Every path is built here from an id, never from a user's filename."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_ID = re.compile(r"^[0-9a-f]{32}$")
PARTIAL_SUFFIX = ".partial"


def is_valid_id(value: str) -> bool:
    """True for ids made by `new_id()` (32 lowercase hex digits): safe as a file name."""
    return bool(_ID.match(value))


def _checked(value: str) -> str:
    if not is_valid_id(value):
        raise ValueError(f"not an id: {value!r}")
    return value


@dataclass(frozen=True)
class MediaLayout:
    """`uploads/<upload>.part` (bytes arriving), `sources/<video>` (a complete original),
    `hls/<video>/` (the published ladder; `hls/<video>.partial/` while the transcoder writes it)."""

    root: Path

    @property
    def uploads_dir(self) -> Path:
        return self.root / "uploads"

    def upload_part(self, upload_id: str) -> Path:
        return self.uploads_dir / f"{_checked(upload_id)}.part"

    def source(self, video_id: str) -> Path:
        return self.root / "sources" / _checked(video_id)

    @property
    def hls_dir(self) -> Path:
        return self.root / "hls"

    def hls(self, video_id: str) -> Path:
        return self.hls_dir / _checked(video_id)

    def hls_partial(self, video_id: str) -> Path:
        return self.hls_dir / f"{_checked(video_id)}{PARTIAL_SUFFIX}"

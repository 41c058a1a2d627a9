"""Errors raised by the transcoder.

`InvalidMedia` is the uploader's fault and carries a sentence meant for them;
`TranscodeError` is ours (or ffmpeg's) and carries what an operator needs to debug it.
"""

from __future__ import annotations

from collections.abc import Sequence


class TranscodeError(Exception):
    """An external program failed: holds the exact command, its exit status and the tail of stderr."""

    def __init__(self, command: Sequence[str], stderr_tail: str, returncode: int | None) -> None:
        self.command: list[str] = list(command)
        self.stderr_tail = stderr_tail
        self.returncode = returncode
        last_line = stderr_tail.strip().splitlines()[-1:] or ["(no stderr)"]
        super().__init__(f"{self.command[0]} exited with {returncode}: {last_line[0]}")


class InvalidMedia(Exception):
    """The uploaded file cannot become a video: `message` is a sentence to show the uploader.

    `code` is a stable machine-readable reason (e.g. ``"no_video"``, ``"truncated"``) for the app to branch on.
    """

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


def empty() -> InvalidMedia:
    return InvalidMedia("empty", "This file is empty")


def unreadable() -> InvalidMedia:
    return InvalidMedia("unreadable", "This file is not a video we can read")


def truncated() -> InvalidMedia:
    return InvalidMedia("truncated", "The file ends early — please upload it again")


def no_video() -> InvalidMedia:
    return InvalidMedia("no_video", "This file has no video stream")


def still_image() -> InvalidMedia:
    return InvalidMedia("still_image", "This file is a still image, not a video")


def unknown_duration() -> InvalidMedia:
    return InvalidMedia("unknown_duration", "We could not tell how long this video is")


def unsupported_format(name: str) -> InvalidMedia:
    return InvalidMedia("unsupported_format", f"This kind of file is not accepted ({name})")


def unsupported_codec(name: str) -> InvalidMedia:
    return InvalidMedia("unsupported_codec", f"This video uses a format we cannot decode ({name or 'unknown'})")


def too_long(limit_seconds: float) -> InvalidMedia:
    minutes = f"{limit_seconds / 60:g}"
    return InvalidMedia("too_long", f"The video is longer than the limit of {minutes} minutes")


def too_large(width: int, height: int, max_width: int, max_height: int) -> InvalidMedia:
    return InvalidMedia(
        "too_large",
        f"The video's resolution ({width}×{height}) is above the limit of {max_width}×{max_height}",
    )

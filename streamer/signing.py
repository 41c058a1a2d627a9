"""THE definition of a media link. nginx verifies what this module signs, and renders its checks from here.

A link is `/v/<token>/<expires>/<video_id>/<file>` where `<file>` is `name` or `subdir/name` inside the
video's HLS folder, and

    token = base64url(md5("<expires>|<video_id>|<client-ip or ->|<secret>"))   (no padding)

— nginx's `secure_link_md5` semantics: the secret last, explicit separators, so no field can slide into the
next. One token covers every file of one video until `expires` (Unix seconds), so a player can resolve the
relative URIs of the master playlist against one signed prefix. The secret is never the raw secret key: it is
derived with its own namespace (see `link_secret`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import math
import re
from dataclasses import dataclass

LINK_PREFIX = "/v"
SEPARATOR = "|"
NO_CLIENT = "-"
SECRET_NAMESPACE = b"nginx-secure-link"
# Expiry times are rounded up to this step, so one viewer's links stay byte-identical for a while and the
# browser's cache (keyed by URL) keeps working across page loads.
EXPIRY_STEP = 300

TOKEN = r"[A-Za-z0-9_-]{22}"
EXPIRES = r"[0-9]{1,12}"
VIDEO_ID = r"[A-Za-z0-9_-]{1,64}"
# A file name never starts with a dot, so `.` and `..` (and hidden files) cannot match.
NAME = r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}"

# What nginx may send from a video's folder, and as which type. Nothing else under /v matches.
MEDIA_TYPES: dict[str, str] = {
    "m3u8": "application/vnd.apple.mpegurl",
    "m4s": "video/iso.segment",
    "mp4": "video/mp4",
    "ts": "video/mp2t",
    "jpg": "image/jpeg",
    "vtt": "text/vtt",
}
PLAYLIST_EXTENSIONS = ("m3u8",)

# Named captures become nginx variables ($sl_token, $sl_expires, $sl_video, $sl_file).
_EXTENSIONS = "|".join(MEDIA_TYPES)
_FILE = rf"(?:{NAME}/)?{NAME}\.(?:{_EXTENSIONS})"
_LINK = rf"{LINK_PREFIX}/(?<sl_token>{TOKEN})/(?<sl_expires>{EXPIRES})/(?<sl_video>{VIDEO_ID})/(?<sl_file>{_FILE})"
# PCRE's `\z` is the very end (`$` would also match before a trailing newline).
LOCATION_PATTERN = rf"^{_LINK}\z"
_PYTHON_PATTERN = re.compile(_LINK.replace("(?<", "(?P<"))
_VIDEO_ID = re.compile(VIDEO_ID)
_RELATIVE_FILE = re.compile(_FILE)


class InvalidLink(ValueError):
    """A video id, file name or client address that cannot be part of a link."""


@dataclass(frozen=True)
class ParsedLink:
    token: str
    expires: int
    video_id: str
    file: str


def is_video_id(value: str) -> bool:
    return _VIDEO_ID.fullmatch(value) is not None


@functools.lru_cache(maxsize=8)
def link_secret(secret_key: str) -> str:
    """The secure_link secret: HMAC-SHA256(secret_key, "nginx-secure-link"), hex. Never the raw key."""
    return hmac.new(secret_key.encode(), SECRET_NAMESPACE, hashlib.sha256).hexdigest()


def hash_input(expires: str, video_id: str, client: str, secret: str) -> str:
    """The string whose md5 is the token. nginx's expression is built by this same function."""
    return SEPARATOR.join((expires, video_id, client, secret))


def nginx_md5_expression(secret: str, bind_ip: bool) -> str:
    """The argument of nginx's `secure_link_md5`: `hash_input` over the location's captures."""
    return hash_input("$sl_expires", "$sl_video", "$remote_addr" if bind_ip else NO_CLIENT, secret)


def token(expires: int, video_id: str, secret: str, client_ip: str | None = None) -> str:
    text = hash_input(str(expires), video_id, client_ip or NO_CLIENT, secret)
    digest = hashlib.md5(text.encode()).digest()  # noqa: S324 - nginx's secure_link_md5 is md5; the secret is last
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def round_expiry(moment: float) -> int:
    """`moment` (Unix seconds) rounded up to the next EXPIRY_STEP."""
    return math.ceil(moment / EXPIRY_STEP) * EXPIRY_STEP


def signed_prefix(video_id: str, expires: int, secret: str, client_ip: str | None = None) -> str:
    """`/v/<token>/<expires>/<video_id>/`: every file of the video lies under it.

    Raises InvalidLink for a video id outside [A-Za-z0-9_-]{1,64} or a client address with a separator in it.
    """
    if not is_video_id(video_id):
        raise InvalidLink(f"video id {video_id!r} cannot be part of a link")
    if client_ip is not None and (SEPARATOR in client_ip or not client_ip):
        raise InvalidLink(f"client address {client_ip!r} cannot be part of a link")
    return f"{LINK_PREFIX}/{token(expires, video_id, secret, client_ip)}/{expires}/{video_id}/"


def signed_path(video_id: str, file: str, expires: int, secret: str, client_ip: str | None = None) -> str:
    """The path of one file, e.g. `master.m3u8` or `720p/seg_001.m4s`. Raises InvalidLink."""
    if not _RELATIVE_FILE.fullmatch(file):
        raise InvalidLink(f"file {file!r} cannot be served from a video folder")
    return signed_prefix(video_id, expires, secret, client_ip) + file


def parse(path: str) -> ParsedLink | None:
    """The parts of a link path, or None when nginx's location would not match it either."""
    match = _PYTHON_PATTERN.fullmatch(path)
    if match is None:
        return None
    return ParsedLink(match["sl_token"], int(match["sl_expires"]), match["sl_video"], match["sl_file"])


def verify(path: str, secret: str, now: float, client_ip: str | None = None) -> bool:
    """What nginx decides, in Python: the path matches, the token is right and it has not expired."""
    link = parse(path)
    if link is None or link.expires < now:
        return False
    expected = token(link.expires, link.video_id, secret, client_ip)
    return hmac.compare_digest(expected, link.token)

"""Videos kept on YouTube, Vimeo or Wistia: a pasted URL parsed to (host, id[, hash]), stored normalised.

The host delivers these videos with its own player; our pages only decide who gets to see the embed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from streamer.catalog.details import parse_title
from streamer.catalog.errors import InvalidInput
from streamer.storage.base import Store
from streamer.storage.records import VideoRecord, VideoStatus, Visibility, new_id, utcnow

ACCEPTED = (
    "Paste a link to a video on YouTube (youtube.com/watch?v=…, youtu.be/…, /embed/…, /shorts/…, "
    "youtube-nocookie.com/embed/…), Vimeo (vimeo.com/123456789, a private link vimeo.com/123456789/abc123def0, "
    "player.vimeo.com/video/123456789) or Wistia (…wistia.com/medias/…, fast.wistia.net/embed/iframe/…)."
)
HOST_NAMES = {"youtube": "YouTube", "vimeo": "Vimeo", "wistia": "Wistia"}

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
_VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")
_WISTIA_ID = re.compile(r"^[a-z0-9]{10}$")
_YOUTUBE_HOSTS = {"youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com"}
_YOUTUBE_PATHS = ("embed", "shorts", "live", "v", "e")


@dataclass(frozen=True)
class ExternalSource:
    host: str
    id: str
    hash: str = ""

    @property
    def url(self) -> str:
        """The canonical link to the video on its host."""
        if self.host == "youtube":
            return f"https://www.youtube.com/watch?v={self.id}"
        if self.host == "vimeo":
            return f"https://vimeo.com/{self.id}" + (f"/{self.hash}" if self.hash else "")
        return f"https://fast.wistia.net/embed/iframe/{self.id}"

    @property
    def host_name(self) -> str:
        return HOST_NAMES[self.host]


def _bad(message: str) -> InvalidInput:
    return InvalidInput({"url": message})


def _checked(host: str, value: str, pattern: re.Pattern[str], what: str) -> str:
    if not pattern.match(value):
        raise _bad(f"That {HOST_NAMES[host]} link has no valid video id ({what}). {ACCEPTED}")
    return value


def _youtube(domain: str, parts: list[str], query: dict[str, list[str]]) -> ExternalSource:
    rule = "11 letters, digits, - or _"
    if domain == "youtu.be":
        return ExternalSource("youtube", _checked("youtube", parts[0] if parts else "", _YOUTUBE_ID, rule))
    if parts[:1] == ["watch"] and domain != "youtube-nocookie.com":
        return ExternalSource("youtube", _checked("youtube", (query.get("v") or [""])[0], _YOUTUBE_ID, rule))
    if len(parts) >= 2 and parts[0] in _YOUTUBE_PATHS:
        return ExternalSource("youtube", _checked("youtube", parts[1], _YOUTUBE_ID, rule))
    raise _bad(f"That YouTube link does not point at one video. {ACCEPTED}")


def _vimeo_path(parts: list[str]) -> list[str]:
    """The [id] or [id, hash] part of a vimeo.com path, with any channel, group or showcase prefix removed."""
    if parts[:1] in (["album"], ["showcase"]):
        return parts[parts.index("video") + 1 :] if "video" in parts else []
    if parts[:1] == ["channels"]:
        return parts[2:]
    if parts[:1] == ["groups"]:
        return parts[3:] if parts[2:3] == ["videos"] else []
    if parts[:2] == ["manage", "videos"]:
        return parts[2:]
    return parts[1:] if parts[:1] == ["video"] else parts


def _vimeo(domain: str, parts: list[str], query: dict[str, list[str]]) -> ExternalSource:
    player = domain == "player.vimeo.com"
    parts = (parts[1:] if parts[:1] == ["video"] else []) if player else _vimeo_path(parts)
    if not parts or len(parts) > (1 if player else 2):
        raise _bad(f"That Vimeo link does not point at one video. {ACCEPTED}")
    video_id = _checked("vimeo", parts[0], _VIMEO_ID, "a number")
    secret = parts[1] if len(parts) > 1 else (query.get("h") or [""])[0]
    if secret and not _VIMEO_HASH.match(secret):
        raise _bad(f"That Vimeo private link has a malformed hash (6 to 20 hex digits). {ACCEPTED}")
    return ExternalSource("vimeo", video_id, secret)


def _wistia(parts: list[str]) -> ExternalSource:
    rule = "10 lower-case letters or digits"
    for anchor in ("medias", "iframe"):
        if anchor in parts and parts.index(anchor) + 1 < len(parts):
            media = parts[parts.index(anchor) + 1].removesuffix(".jsonp").removesuffix(".json")
            return ExternalSource("wistia", _checked("wistia", media, _WISTIA_ID, rule))
    raise _bad(f"That Wistia link does not point at one video. {ACCEPTED}")


def parse_video_url(raw: str) -> ExternalSource:
    """(host, id[, hash]) of a YouTube, Vimeo or Wistia video link. Raises InvalidInput naming what is accepted."""
    text = raw.strip()
    if not text:
        raise _bad(f"A video link is required. {ACCEPTED}")
    if len(text) > 2000 or any(c.isspace() for c in text):
        raise _bad(f"That is not a single link. {ACCEPTED}")
    if "://" not in text:
        text = "https://" + text
    try:
        url = urlsplit(text)
        port = url.port
    except ValueError:
        raise _bad(f"That is not a valid link. {ACCEPTED}") from None
    domain = (url.hostname or "").removeprefix("www.")
    if url.scheme not in ("http", "https") or port not in (None, 80, 443):
        raise _bad(f"Only http(s) links are accepted. {ACCEPTED}")
    parts = [part for part in url.path.split("/") if part]
    query = parse_qs(url.query)
    if domain in _YOUTUBE_HOSTS or domain == "youtu.be":
        return _youtube(domain, parts, query)
    if domain in ("vimeo.com", "player.vimeo.com"):
        return _vimeo(domain, parts, query)
    if domain.endswith((".wistia.com", ".wistia.net", ".wi.st")) or domain in ("wistia.com", "wistia.net"):
        return _wistia(parts)
    raise _bad(f"Videos from {domain or 'that address'} cannot be embedded. {ACCEPTED}")


async def add_external_video(
    store: Store, owner_id: str, url: str, title: str, visibility: Visibility = Visibility.MEMBERS
) -> VideoRecord:
    """Create a ready video played from its host. Raises InvalidInput (bad link or title); nothing is stored then."""
    errors: dict[str, str] = {}
    clean_title = parse_title(title, errors)
    try:
        source = parse_video_url(url)
    except InvalidInput as error:
        errors |= error.fields
    if errors:
        raise InvalidInput(errors)
    now = utcnow()
    video = VideoRecord(
        id=new_id(),
        owner_id=owner_id,
        title=clean_title,
        status=VideoStatus.READY,
        created_at=now,
        updated_at=now,
        source_name=source.url,
        visibility=visibility,
        external_host=source.host,
        external_id=source.id,
        external_hash=source.hash,
    )
    await store.videos.create(video)
    return video


def external_source(video: VideoRecord) -> ExternalSource | None:
    """Where an external video lives; None for a video we host."""
    return ExternalSource(video.external_host, video.external_id, video.external_hash) if video.external_host else None

"""Video details an instructor edits: validated here, whatever the form or API they came from."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime

from streamer.catalog.errors import InvalidInput, MembersOnly, NotAllowed
from streamer.catalog.visibility import Viewer
from streamer.storage.base import Store
from streamer.storage.errors import NotFound
from streamer.storage.records import VideoRecord, Visibility

TITLE_MAX = 200
DESCRIPTION_MAX = 20_000
TAGS_MAX = 20
TAG_MAX = 40
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


def parse_title(raw: str, errors: dict[str, str]) -> str:
    title = " ".join(raw.split())
    if not title:
        errors["title"] = "A title is required."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"The title is {len(title):,} characters long; at most {TITLE_MAX} are allowed."
    return title


def parse_description(raw: str, errors: dict[str, str]) -> str:
    if len(raw) > DESCRIPTION_MAX:
        errors["description"] = f"The description is at most {DESCRIPTION_MAX:,} characters ({len(raw):,} given)."
    return raw.replace("\r\n", "\n")


def parse_tags(raw: str, errors: dict[str, str]) -> tuple[str, ...]:
    """Comma-separated tags, trimmed, without repeats (compared ignoring case)."""
    tags: dict[str, str] = {}
    for part in raw.split(","):
        tag = " ".join(part.split())
        if tag:
            tags.setdefault(tag.lower(), tag)
    if len(tags) > TAGS_MAX:
        errors["tags"] = f"At most {TAGS_MAX} tags are allowed ({len(tags):,} given)."
    elif any(len(tag) > TAG_MAX for tag in tags.values()):
        errors["tags"] = f"A tag is at most {TAG_MAX} characters long."
    return tuple(tags.values())


def parse_visibility(raw: str, errors: dict[str, str], field: str = "visibility") -> Visibility:
    try:
        return Visibility(raw.strip().lower())
    except ValueError:
        errors[field] = "Visibility is one of draft, members or public."
        return Visibility.DRAFT


def parse_language(raw: str, errors: dict[str, str]) -> str:
    language = raw.strip()
    if language and not _LANGUAGE.match(language):
        errors["language"] = "Language is a code like en, fr or pt-BR."
    return language


def parse_published_at(raw: str, errors: dict[str, str]) -> datetime | None:
    if not raw.strip():
        return None
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        errors["published_at"] = "Published time is a date and time like 2026-01-31T09:00."
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=moment.microsecond // 1000 * 1000)


def parse_details(form: Mapping[str, str]) -> dict[str, object]:
    """The changes a details form asks for (fields absent from `form` are left alone). Raises InvalidInput."""
    errors: dict[str, str] = {}
    parsers = {
        "title": parse_title,
        "description": parse_description,
        "tags": parse_tags,
        "language": parse_language,
        "visibility": parse_visibility,
        "published_at": parse_published_at,
    }
    changes: dict[str, object] = {
        name: parse(str(form[name]), errors) for name, parse in parsers.items() if name in form
    }
    if errors:
        raise InvalidInput(errors)
    if changes.get("published_at", "") is None:
        del changes["published_at"]  # left empty: keep (or let the store set) the time of first publication
    return changes


async def visible_video(store: Store, viewer: Viewer, video_id: str) -> VideoRecord:
    """The video when `viewer` may see it. Raises NotFound (missing, or someone else's draft) or MembersOnly."""
    video = await store.videos.get(video_id)
    if video is None or not (viewer.sees(video) or video.visibility == Visibility.MEMBERS):
        raise NotFound(f"video {video_id}")
    if not viewer.sees(video):
        raise MembersOnly("This video is for members.")
    return video


async def editable_video(store: Store, viewer: Viewer, video_id: str) -> VideoRecord:
    video = await visible_video(store, viewer, video_id)
    if not viewer.may_edit(video):
        raise NotAllowed("Only the video's owner or an admin may edit it.")
    return video


async def update_details(store: Store, viewer: Viewer, video_id: str, form: Mapping[str, str]) -> VideoRecord:
    """Apply a details form. Raises NotFound, MembersOnly, NotAllowed or InvalidInput (nothing written)."""
    await editable_video(store, viewer, video_id)
    changes = parse_details(form)
    if not changes:
        raise InvalidInput({"form": "Nothing to change."})
    return await store.videos.update(video_id, changes)

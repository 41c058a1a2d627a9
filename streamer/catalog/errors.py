"""Catalog domain errors. No HTTP here: streamer/web maps them to statuses."""

from __future__ import annotations

from collections.abc import Mapping


class CatalogError(Exception):
    """Base class of catalog errors."""


class InvalidInput(CatalogError):
    """Form or API input that cannot be used; `fields` maps a field name to what is wrong with it."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__(" ".join(self.fields.values()))


class MembersOnly(CatalogError):
    """The item exists and is for members; the viewer is not one (its title is not revealed)."""


class NotAllowed(CatalogError):
    """The viewer may see the item but not change it."""


class StaleCourse(CatalogError):
    """The course changed since the editor loaded it; nothing was written."""

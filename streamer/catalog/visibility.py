"""Who sees what: the one visibility rule for videos and courses, and the filter search and listings apply.

`draft`: the owner and admins. `members`: viewers with an active membership, and instructors and admins,
who need none (as streamer.memberships.access.exempt has it). `public`: anyone, logged out too.
Every check reads the current record, so a changed visibility applies to the next page view or
playback-URL request (links already issued simply expire).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from streamer.accounts.roles import Role, at_least
from streamer.storage.records import Visibility


class Owned(Protocol):
    @property
    def owner_id(self) -> str: ...

    @property
    def visibility(self) -> Visibility: ...


def can_see(viewer_id: str | None, viewer_role: str | None, has_membership: bool, video_or_course: Owned) -> bool:
    """True when this viewer may see (and, for a ready video, watch) `video_or_course`."""
    if viewer_role == Role.ADMIN or (viewer_id is not None and video_or_course.owner_id == viewer_id):
        return True
    if video_or_course.visibility == Visibility.PUBLIC:
        return True
    if video_or_course.visibility != Visibility.MEMBERS or viewer_id is None:
        return False
    return has_membership or at_least(viewer_role or "", Role.INSTRUCTOR)


def search_reach(viewer_id: str | None, viewer_role: str | None, has_membership: bool) -> Visibility:
    """The widest visibility that search and listings show this viewer: MEMBERS (public and members videos)
    for active members, instructors and admins, PUBLIC otherwise. Drafts are never listed, not even to their owner
    (the studio lists them); so a listing never holds anything `can_see` would refuse."""
    if viewer_id is not None and (has_membership or at_least(viewer_role or "", Role.INSTRUCTOR)):
        return Visibility.MEMBERS
    return Visibility.PUBLIC


@dataclass(frozen=True)
class Viewer:
    """The person asking, as the catalog needs them: anonymous when `id` is None."""

    id: str | None = None
    role: str | None = None
    has_membership: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self.id is None

    @property
    def reach(self) -> Visibility:
        return search_reach(self.id, self.role, self.has_membership)

    def sees(self, item: Owned) -> bool:
        return can_see(self.id, self.role, self.has_membership, item)

    def may_edit(self, item: Owned) -> bool:
        """Instructors edit their own videos and courses; admins edit any."""
        return self.role == Role.ADMIN or (self.id is not None and item.owner_id == self.id)


ANONYMOUS = Viewer()

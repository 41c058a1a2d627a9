from __future__ import annotations

import pytest

from streamer.catalog.access import may_watch
from streamer.storage.records import VideoRecord, VideoStatus, utcnow

VIDEO = VideoRecord("v1", "owner", "Lecture", VideoStatus.READY, utcnow(), utcnow())


@pytest.mark.parametrize(
    ("user_id", "role", "allowed"),
    [("owner", "instructor", True), ("someone", "admin", True), ("someone", "instructor", False),
     ("someone", "member", False), ("owner", "member", True), ("", "", False)],
)  # fmt: skip
def test_the_owner_and_admins_may_watch(user_id: str, role: str, allowed: bool) -> None:
    assert may_watch(user_id, role, VIDEO) is allowed

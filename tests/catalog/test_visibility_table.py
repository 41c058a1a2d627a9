"""Who sees what, as a table: {anonymous, member without membership, active member, other instructor, owner,
admin} x {draft, members, public}, checked on every surface: the video page, the API, search (page and API),
course pages, home listings, and the playback URL.
Nobody ever sees someone else's draft, and no surface leaks a title the viewer may not see."""

from __future__ import annotations

import pytest

from streamer.catalog.visibility import can_see, search_reach
from streamer.storage.records import UserRecord, Visibility, new_id
from tests.catalog.conftest import Catalog

VIEWERS = ["anonymous", "member without membership", "active member", "other instructor", "owner", "admin"]
SEES = {
    "anonymous": {"public"},
    "member without membership": {"public"},
    "active member": {"public", "members"},
    "other instructor": {"public", "members"},
    "owner": {"public", "members", "draft"},
    "admin": {"public", "members", "draft"},
}
# Instructors and admins need no membership (as streamer.memberships.access.exempt has it).
# Listings (search, home, /api/videos) never hold drafts, not even the owner's (the studio lists those).
LISTS = {
    "anonymous": {"public"},
    "member without membership": {"public"},
    "active member": {"public", "members"},
    "other instructor": {"public", "members"},
    "owner": {"public", "members"},
    "admin": {"public", "members"},
}


async def viewer_for(catalog: Catalog, who: str, owner: UserRecord) -> UserRecord | None:
    if who == "anonymous":
        return None
    if who == "owner":
        return owner
    role = {"other instructor": "instructor", "admin": "admin"}.get(who, "member")
    return await catalog.user(role, member=who == "active member")


def denied_status(who: str, visibility: str) -> int:
    if visibility == "draft":
        return 404
    return 303 if who == "anonymous" else 403


@pytest.mark.parametrize("visibility", ["draft", "members", "public"])
@pytest.mark.parametrize("who", VIEWERS)
async def test_every_surface_follows_the_table(catalog: Catalog, who: str, visibility: str) -> None:
    owner = await catalog.user("instructor")
    token = f"zq{new_id()[:10]}"
    title = f"Secret lesson {token}"
    video = await catalog.video(owner, title, Visibility(visibility))
    course = await catalog.course(owner, f"Course {token}", [video], Visibility(visibility))
    viewer = await viewer_for(catalog, who, owner)
    await catalog.act_as(viewer)
    sees, lists = visibility in SEES[who], visibility in LISTS[who]
    client = catalog.client

    page = await client.get(f"/videos/{video.id}")
    assert page.status_code == (200 if sees else denied_status(who, visibility))
    assert (title in page.text) == sees
    api = await client.get(f"/api/videos/{video.id}")
    assert api.status_code == (
        200 if sees else {303: 401}.get(denied_status(who, visibility), denied_status(who, visibility))
    )
    assert (token in api.text) == sees

    course_page = await client.get(f"/courses/{course.id}")
    assert course_page.status_code == (200 if sees else denied_status(who, visibility))
    assert (token in course_page.text) == sees
    assert (token in (await client.get(f"/api/courses/{course.id}")).text) == sees
    assert (token in (await client.get("/courses")).text) == sees
    assert (token in (await client.get("/api/courses")).text) == sees

    # The query is echoed back; the title must not be.
    assert (title in (await client.get("/search", params={"q": token})).text) == lists
    assert (title in (await client.get("/api/search", params={"q": token})).text) == lists
    home = (await client.get("/")).text
    assert (title in home) == lists
    assert (f"Course {token}" in home) == sees
    assert (title in (await client.get("/api/home")).text) == lists


@pytest.mark.parametrize("visibility", ["draft", "members", "public"])
@pytest.mark.parametrize("who", VIEWERS)
async def test_the_playback_url_follows_the_table(catalog: Catalog, who: str, visibility: str) -> None:
    owner = await catalog.user("instructor")
    video = await catalog.video(owner, "Playback", Visibility(visibility))
    await catalog.act_as(await viewer_for(catalog, who, owner))
    response = await catalog.client.get(f"/api/videos/{video.id}/playback")
    if who == "anonymous":  # playing needs a login, even for a public video (its page does not)
        assert response.status_code == 401
    elif visibility in SEES[who]:
        assert response.status_code == 200
        assert "/master.m3u8" in response.json()["master_url"]
    else:
        assert response.status_code == (404 if visibility == "draft" else 403)


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("who", VIEWERS)
def test_the_pure_rule_matches_the_table(who: str, visibility: Visibility) -> None:
    owner_id, viewer_id = "owner", {"anonymous": None, "owner": "owner"}.get(who, "someone")
    role = {"anonymous": None, "other instructor": "instructor", "owner": "instructor", "admin": "admin"}.get(
        who, "member"
    )

    class Item:
        pass

    item = Item()
    item.owner_id, item.visibility = owner_id, visibility  # type: ignore[attr-defined]
    member = who == "active member"
    assert can_see(viewer_id, role, member, item) == (visibility.value in SEES[who])  # type: ignore[arg-type]
    listed = visibility != Visibility.DRAFT and (
        visibility == Visibility.PUBLIC or search_reach(viewer_id, role, member) == Visibility.MEMBERS
    )
    assert listed == (visibility.value in LISTS[who])

"""Instructors edit details and build courses; bad input gets a clear message and loses nothing."""

from __future__ import annotations

import re

from streamer.storage.records import Visibility
from streamer.web.templating import ROOT
from tests.browser_session import post_form
from tests.catalog.conftest import Catalog
from tests.components import unavailable


async def test_an_owner_edits_details_and_the_page_shows_them(catalog: Catalog) -> None:
    owner = await catalog.user("instructor")
    video = await catalog.video(owner, "Old title", Visibility.DRAFT)
    await catalog.act_as(owner)
    form = {
        "title": "  Intro   to HLS ",
        "description": "**Segments** and playlists",
        "tags": "hls, Video, hls",
        "language": "en",
        "visibility": "public",
        "published_at": "",
    }
    response = await catalog.client.post(f"/studio/videos/{video.id}/edit", data=form)
    assert (response.status_code, response.headers["location"]) == (303, f"/videos/{video.id}")
    stored = await catalog.store.videos.get(video.id)
    assert stored is not None
    assert (stored.title, stored.tags, stored.language, stored.visibility) == (
        "Intro to HLS",
        ("hls", "Video"),
        "en",
        Visibility.PUBLIC,
    )
    assert stored.published_at is not None
    await catalog.act_as(None)
    page = await catalog.client.get(f"/videos/{video.id}")
    assert "<strong>Segments</strong>" in page.text


async def test_only_the_owner_or_an_admin_may_edit(catalog: Catalog) -> None:
    owner, other, admin = (
        await catalog.user("instructor"),
        await catalog.user("instructor"),
        await catalog.user("admin"),
    )
    video = await catalog.video(owner, "Mine", Visibility.PUBLIC)
    await catalog.act_as(other)
    assert (await catalog.client.post(f"/studio/videos/{video.id}/edit", data={"title": "Hijacked"})).status_code == 403
    await catalog.act_as(admin)
    assert (await catalog.client.post(f"/studio/videos/{video.id}/edit", data={"title": "By admin"})).status_code == 303
    stored = await catalog.store.videos.get(video.id)
    assert stored is not None
    assert stored.title == "By admin"


async def test_bad_details_are_refused_with_messages_and_nothing_changes(catalog: Catalog) -> None:
    owner = await catalog.user("instructor")
    video = await catalog.video(owner, "Keep me", Visibility.MEMBERS, tags=("a",))
    before = await catalog.store.videos.get(video.id)
    await catalog.act_as(owner)
    cases = [
        ({"title": "x" * 10_000}, "at most 200 are allowed"),
        ({"title": "   "}, "A title is required."),
        ({"title": "ok", "tags": ",".join(f"t{n}" for n in range(1000))}, "At most 20 tags are allowed (1,000 given)."),
        ({"title": "ok", "visibility": "secret"}, "Visibility is one of draft, members or public."),
        ({"title": "ok", "language": "english please"}, "Language is a code"),
        ({"title": "ok", "published_at": "yesterday"}, "Published time is a date"),
    ]
    for form, message in cases:
        response = await catalog.client.post(f"/studio/videos/{video.id}/edit", data=form)
        assert response.status_code == 400
        assert message in response.text
    assert await catalog.store.videos.get(video.id) == before


async def test_add_by_url_creates_a_ready_external_video(catalog: Catalog) -> None:
    owner = await catalog.user("instructor")
    await catalog.act_as(owner)
    form = {"url": "https://youtu.be/dQw4w9WgXcQ?t=4", "title": "Trailer", "visibility": "public"}
    response = await catalog.client.post("/studio/videos/add-url", data=form)
    assert response.status_code == 303
    video = (await catalog.store.videos.list_by_owner(owner.id))[0]
    assert (video.external_host, video.external_id, video.status, video.source_name) == (
        "youtube",
        "dQw4w9WgXcQ",
        "ready",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    page = await catalog.client.get(f"/videos/{video.id}")
    assert "delivered by YouTube, not by this site" in page.text


async def test_add_by_url_refuses_other_links_and_says_what_is_accepted(catalog: Catalog) -> None:
    owner = await catalog.user("instructor")
    await catalog.act_as(owner)
    response = await catalog.client.post(
        "/studio/videos/add-url", data={"url": "https://example.com/a.mp4", "title": "x"}
    )
    assert response.status_code == 400
    assert "Videos from example.com cannot be embedded" in response.text
    assert "Wistia" in response.text
    assert await catalog.store.videos.list_by_owner(owner.id) == []


async def test_members_cannot_use_the_studio(catalog: Catalog) -> None:
    await catalog.act_as(await catalog.user("member", member=True))
    assert (await catalog.client.get("/studio/videos/add-url")).status_code == 403
    assert (await catalog.client.post("/studio/courses", data={"title": "x"})).status_code == 403


async def test_the_vimeo_player_module_is_served_from_node_modules(catalog: Catalog) -> None:
    if not (ROOT / "node_modules/@vimeo/player/dist/player.es.js").exists():
        unavailable("@vimeo/player", "node_modules is missing; `make deps` runs npm install")
    response = await catalog.client.get("/static/vendor/vimeo-player/player.es.js")
    assert response.status_code == 200
    assert "export default Player" in response.text


async def test_a_visibility_change_applies_to_the_very_next_request(catalog: Catalog) -> None:
    owner = await catalog.user("instructor")
    video = await catalog.video(owner, "Trailer", Visibility.PUBLIC)
    await catalog.act_as(owner)
    await catalog.client.post(f"/studio/videos/{video.id}/edit", data={"visibility": "draft"})
    await catalog.act_as(None)
    assert (await catalog.client.get(f"/api/videos/{video.id}")).status_code == 404
    await catalog.act_as(owner)
    await catalog.client.post(f"/studio/videos/{video.id}/edit", data={"visibility": "public"})
    await catalog.act_as(None)
    assert (await catalog.client.get(f"/api/videos/{video.id}")).status_code == 200


async def test_only_the_vimeo_library_files_are_served_from_node_modules(catalog: Catalog) -> None:
    assert (await catalog.client.get("/static/vendor/vimeo-player/package.json")).status_code == 404
    assert (await catalog.client.get("/static/vendor/vimeo-player/..%2F..%2Fpackage.json")).status_code == 404


async def test_every_studio_form_carries_its_csrf_token_and_a_post_without_one_is_refused(catalog: Catalog) -> None:
    owner = await catalog.user("instructor")
    video = await catalog.video(owner, "Mine", Visibility.DRAFT)
    course = await catalog.course(owner, "Course", [video])
    await catalog.act_as(owner)
    pages = [
        "/studio/videos/add-url",
        f"/studio/videos/{video.id}/edit",
        "/studio/courses",
        f"/studio/courses/{course.id}",
    ]
    for path in pages:
        html = (await catalog.client.get(path)).text
        forms = re.findall(r'<form method="post".*?</form>', html, re.S)
        assert forms, path
        assert all('name="csrf_token"' in form for form in forms), path
    del catalog.client.headers["X-CSRF-Token"]  # from here on, as a plain HTML form posts
    form = {"url": "https://vimeo.com/76979871", "title": "Forged"}
    refused = await catalog.client.post("/studio/videos/add-url", data=form)
    assert refused.status_code == 403
    assert await catalog.store.videos.list_by_owner(owner.id) == [video]
    assert (await post_form(catalog.client, "/studio/videos/add-url", form)).status_code == 303
    edited = await post_form(catalog.client, f"/studio/videos/{video.id}/edit", {"title": "Renamed"})
    assert edited.status_code == 303

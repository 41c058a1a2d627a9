"""GET /watch/{id} for every kind of video: videos on YouTube, Vimeo or Wistia get their host's player section
(and the page decides access, as no playback request follows); `?course=` adds the course around a lesson."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import httpx

from streamer.analytics.tokens import verify_view_token
from streamer.memberships.grants import grant
from streamer.storage.base import Store
from streamer.storage.records import CourseRecord, UserRecord, VideoRecord, VideoStatus, Visibility, new_id, utcnow
from tests.analytics.beats import KEY
from tests.conftest import login_as, make_user
from tests.web.test_analytics_pages import a_video


def config_of(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="watch-config">(.*?)</script>', page, re.S)
    assert match, "the page carries its config"
    return dict(json.loads(match.group(1)))


async def an_external_video(
    store: Store, owner: UserRecord, visibility: Visibility = Visibility.MEMBERS
) -> VideoRecord:
    now = utcnow()
    video = VideoRecord(
        new_id(), owner.id, "On YouTube", VideoStatus.READY, now, now, visibility=visibility,
        external_host="youtube", external_id="dQw4w9WgXcQ",
    )  # fmt: skip
    await store.videos.create(video)
    return video


async def a_course(store: Store, owner: UserRecord, videos: list[VideoRecord]) -> CourseRecord:
    now = utcnow()
    course = CourseRecord(
        new_id(),
        owner.id,
        "Knife course",
        now,
        now,
        visibility=Visibility.MEMBERS,
        video_ids=tuple(v.id for v in videos),
    )
    await store.courses.create(course)
    return course


async def a_member(client: httpx.AsyncClient, store: Store) -> UserRecord:
    member = await login_as(client, store, "member")
    await grant(store, member.id, 30, by="tests")
    return member


async def test_an_external_video_plays_in_its_hosts_player_not_hls(app_client: httpx.AsyncClient, store: Store) -> None:
    video = await an_external_video(store, await make_user(store, "instructor"))
    member = await a_member(app_client, store)
    page = (await app_client.get(f"/watch/{video.id}")).text
    assert 'data-host="youtube" data-external-id="dQw4w9WgXcQ"' in page
    assert '<script type="module" src="/static/js/external-watch.js">' in page
    assert "hls.min.js" not in page
    assert "/static/js/watch.js" not in page
    config = config_of(page)
    assert config["sources_url"] is None
    claims = verify_view_token(KEY, config["view_token"], int(time.time() * 1000), 60_000)
    assert (claims.video_id, claims.user_id, claims.duration) == (video.id, member.id, 0.0)  # 0: unknown


async def test_an_external_videos_beats_carry_the_hosts_duration(app_client: httpx.AsyncClient, store: Store) -> None:
    video = await an_external_video(store, await make_user(store, "instructor"))
    member = await a_member(app_client, store)
    config = config_of((await app_client.get(f"/watch/{video.id}")).text)
    beat = {"view": config["view_id"], "token": config["view_token"], "seq": 1, "event": "start", "position": 1.5,
            "duration": 212.5, "sections": [], "played_ms": 0, "stall_ms": 0, "stall_count": 0, "seeks": 0,
            "startup_ms": 0, "bitrate_ms": {}, "ended": False, "hidden": False}  # fmt: skip
    response = await app_client.post(config["heartbeat_url"], json=beat)
    assert response.status_code == 200, response.text
    resume = await store.analytics.resume(member.id, video.id)
    assert resume is not None
    assert (resume.position, resume.duration) == (1.5, 212.5)


async def test_the_page_refuses_an_external_video_to_a_viewer_without_access(
    app_client: httpx.AsyncClient, store: Store
) -> None:
    owner = await make_user(store, "instructor")
    members_only, public = (
        await an_external_video(store, owner),
        await an_external_video(store, owner, Visibility.PUBLIC),
    )
    draft = await an_external_video(store, owner, Visibility.DRAFT)
    await login_as(app_client, store, "member")  # no membership
    response = await app_client.get(f"/watch/{members_only.id}")
    assert response.status_code == 403
    assert "dQw4w9WgXcQ" not in response.text
    assert (await app_client.get(f"/watch/{public.id}")).status_code == 200
    assert (await app_client.get(f"/watch/{draft.id}")).status_code == 404


async def test_a_lesson_opened_from_its_course_shows_the_course(app_client: httpx.AsyncClient, store: Store) -> None:
    owner = await make_user(store, "instructor")
    hosted, external = await a_video(store, owner, "Hosted lesson"), await an_external_video(store, owner)
    course = await a_course(store, owner, [hosted, external])
    await a_member(app_client, store)
    for number, video in enumerate([hosted, external], start=1):
        page = (await app_client.get(f"/watch/{video.id}", params={"course": course.id})).text
        assert f'Lesson {number} of 2 in\n  <a href="/courses/{course.id}">Knife course</a>' in page
        assert f'<h1 class="watch-title">{video.title}</h1>' in page
        assert '<div class="next-lesson" hidden></div>' in page
    assert config_of(page)["course_id"] == course.id
    assert f'data-course-id="{course.id}"' in page


async def test_a_course_the_video_is_not_in_is_ignored(app_client: httpx.AsyncClient, store: Store) -> None:
    owner = await make_user(store, "instructor")
    video, other = await a_video(store, owner), await a_video(store, owner)
    course = await a_course(store, owner, [other])
    await a_member(app_client, store)
    for course_id in (course.id, new_id()):
        response = await app_client.get(f"/watch/{video.id}", params={"course": course_id})
        assert response.status_code == 200
        assert "course-context" not in response.text
        assert config_of(response.text)["course_id"] is None

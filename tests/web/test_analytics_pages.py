"""Analytics pages and JSON against the real app and store (both backends)."""

from __future__ import annotations

import httpx

from streamer.analytics.rollup import rollup
from streamer.storage.base import Store
from streamer.storage.records import UserRecord, VideoRecord, VideoStatus, new_id, utcnow
from tests.analytics.test_rollup import TODAY, play, watched
from tests.conftest import login_as, make_user


async def a_video(store: Store, owner: UserRecord, title: str = "Intro to sourdough") -> VideoRecord:
    now = utcnow()
    video = VideoRecord(new_id(), owner.id, title, VideoStatus.READY, now, now, duration=100.0)
    await store.videos.create(video)
    return video


async def watched_video(store: Store, client: httpx.AsyncClient) -> tuple[UserRecord, VideoRecord]:
    owner = await login_as(client, store, "instructor")
    video = await a_video(store, owner)
    member = await make_user(store, "member")
    await play(store, video.id, member.id, [watched(0, 100, 100_000, ended=True)])
    await play(store, video.id, "", [watched(0, 40, 40_000)])
    await rollup(store, [TODAY], raw_ttl_days=30)
    return member, video


async def test_the_video_page_shows_figures_and_charts(app_client: httpx.AsyncClient, store: Store) -> None:
    _, video = await watched_video(store, app_client)
    response = await app_client.get(f"/studio/{video.id}/analytics")
    assert response.status_code == 200
    page = response.text
    assert "Intro to sourdough" in page
    assert "<dt>Views</dt><dd>2</dd>" in page
    assert "<dt>Completion rate</dt><dd>50.0 %</dd>" in page
    assert page.count("<svg") == 3
    assert "polyline" in page  # the retention curve


async def test_the_json_has_the_same_report(app_client: httpx.AsyncClient, store: Store) -> None:
    _, video = await watched_video(store, app_client)
    data = (await app_client.get(f"/api/videos/{video.id}/analytics?days=7")).json()
    assert data["summary"]["views"] == 2
    assert data["summary"]["unique_viewers"] == 2
    assert len(data["daily"]) == 7
    assert len(data["retention"]) == 100
    assert data["retention"][0] == 100.0
    assert data["retention"][99] == 50.0


async def test_member_progress_names_who_finished(app_client: httpx.AsyncClient, store: Store) -> None:
    member, video = await watched_video(store, app_client)
    page = (await app_client.get(f"/studio/{video.id}/analytics/members")).text
    assert "Member Tester" in page
    assert "finished" in page
    data = (await app_client.get(f"/api/videos/{video.id}/analytics/members")).json()
    assert [(m["user_id"], m["completed"], m["percent_viewed"]) for m in data["members"]] == [(member.id, True, 100)]


async def test_the_overview_lists_the_instructors_videos(app_client: httpx.AsyncClient, store: Store) -> None:
    _, video = await watched_video(store, app_client)
    page = await app_client.get("/studio/analytics?days=90")
    assert page.status_code == 200
    assert f'href="/studio/{video.id}/analytics?days=90"' in page.text
    data = (await app_client.get("/api/analytics/overview")).json()
    assert [(v["video_id"], v["title"], v["summary"]["views"]) for v in data["videos"]] == [(video.id, video.title, 2)]
    assert len(data["daily"]) == 28


async def test_only_the_owner_or_an_admin_sees_a_videos_analytics(app_client: httpx.AsyncClient, store: Store) -> None:
    _, video = await watched_video(store, app_client)
    await login_as(app_client, store, "instructor")
    assert (await app_client.get(f"/studio/{video.id}/analytics")).status_code == 403
    assert (await app_client.get(f"/api/videos/{video.id}/analytics")).status_code == 403
    await login_as(app_client, store, "member")
    assert (await app_client.get(f"/studio/{video.id}/analytics")).status_code == 403
    await login_as(app_client, store, "admin")
    assert (await app_client.get(f"/studio/{video.id}/analytics")).status_code == 200


async def test_anonymous_visitors_are_sent_to_log_in(app_client: httpx.AsyncClient) -> None:
    assert (await app_client.get("/studio/analytics")).status_code == 303
    assert (await app_client.get("/api/analytics/overview")).status_code == 401


async def test_an_unknown_video_is_404(app_client: httpx.AsyncClient, store: Store) -> None:
    await login_as(app_client, store, "instructor")
    assert (await app_client.get(f"/studio/{new_id()}/analytics")).status_code == 404


async def test_a_video_without_views_still_renders(app_client: httpx.AsyncClient, store: Store) -> None:
    owner = await login_as(app_client, store, "instructor")
    video = await a_video(store, owner, "Nobody watched this")
    response = await app_client.get(f"/studio/{video.id}/analytics?days=bogus")
    assert response.status_code == 200
    assert "No views in this period yet" in response.text

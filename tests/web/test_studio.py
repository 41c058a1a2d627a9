"""The studio pages and the status API, in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from streamer.catalog.config import PipelineConfig
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.records import JobState, VideoRecord, VideoStatus, new_id, utcnow
from streamer.web.app import create_app
from streamer.web.vendor import NODE_MODULES
from tests.browser_session import post_form
from tests.components import unavailable
from tests.conftest import login_as, settings_for


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for("sqlite", tmp_path)


@pytest.fixture
async def client(store: Store, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, store=store)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c


async def a_video(store: Store, owner_id: str, status: VideoStatus, **fields: object) -> VideoRecord:
    now = utcnow()
    video = VideoRecord(new_id(), owner_id, f"Lecture {status}", status, now, now, **fields)  # type: ignore[arg-type]
    await store.videos.create(video)
    return video


async def test_my_videos_lists_only_mine_with_live_labels(client: httpx.AsyncClient, store: Store) -> None:
    me = await login_as(client, store, "instructor")
    await a_video(store, me.id, VideoStatus.PROCESSING, progress=42.4)
    await a_video(store, me.id, VideoStatus.FAILED, error="This file has no video stream")
    await a_video(store, new_id(), VideoStatus.READY)
    page = await client.get("/studio")
    assert page.status_code == 200
    assert "Processing 42 %" in page.text
    assert "This file has no video stream" in page.text
    assert "Lecture ready" not in page.text
    assert 'name="csrf_token"' in page.text


async def test_a_ready_video_links_to_its_page_details_and_analytics_and_each_page_answers(
    client: httpx.AsyncClient, store: Store
) -> None:
    me = await login_as(client, store, "instructor")
    ready = await a_video(store, me.id, VideoStatus.READY, duration=30.0)
    processing = await a_video(store, me.id, VideoStatus.PROCESSING)
    page = (await client.get("/studio")).text
    links = [f"/watch/{ready.id}", f"/studio/videos/{ready.id}/edit", f"/studio/{ready.id}/analytics"]
    for link in [*links, "/studio/videos/add-url", "/studio/courses", "/studio/analytics"]:
        assert f'href="{link}"' in page
        assert (await client.get(link)).status_code == 200, link
    assert f'href="/watch/{processing.id}"' not in page
    assert f'href="/studio/videos/{processing.id}/edit"' in page


async def test_the_studio_is_for_instructors(client: httpx.AsyncClient, store: Store) -> None:
    assert (await client.get("/studio")).status_code == 303
    await login_as(client, store, "member")
    assert (await client.get("/studio/upload")).status_code == 403


async def test_the_upload_page_loads_tus_js_client_from_node_modules(client: httpx.AsyncClient, store: Store) -> None:
    await login_as(client, store, "instructor")
    page = await client.get("/studio/upload")
    assert page.status_code == 200
    assert '<script src="/static/vendor/tus-js-client/tus.min.js">' in page.text
    assert '<meta name="csrf-token"' in page.text
    if not (NODE_MODULES / "tus-js-client").is_dir():
        unavailable("tus-js-client", "node_modules is not installed; `make deps` runs npm ci")
    script = await client.get("/static/vendor/tus-js-client/tus.min.js")
    assert (script.status_code, "Upload" in script.text) == (200, True)
    assert (await client.get("/static/vendor/hls.js/hls.min.js")).status_code == 200


async def test_status_api_gives_the_owner_live_progress_and_hides_others(
    client: httpx.AsyncClient, store: Store
) -> None:
    me = await login_as(client, store, "instructor")
    mine = await a_video(store, me.id, VideoStatus.UPLOADING, progress=12.0)
    theirs = await a_video(store, new_id(), VideoStatus.READY)
    response = await client.get(f"/api/videos/{mine.id}/status")
    assert response.status_code == 200
    assert response.json() | {"id": ""} == {
        "id": "",
        "title": "Lecture uploading",
        "status": "uploading",
        "progress": 12.0,
        "label": "Uploading 12 %",
        "error": "",
        "duration": 0.0,
        "final": False,
    }
    assert (await client.get(f"/api/videos/{theirs.id}/status")).status_code == 404
    assert (await client.post("/logout")).status_code == 303
    assert (await client.get(f"/api/videos/{mine.id}/status")).status_code == 401


async def test_retry_queues_a_failed_video_whose_original_is_kept(
    client: httpx.AsyncClient, store: Store, settings: Settings
) -> None:
    me = await login_as(client, store, "instructor")
    layout = PipelineConfig.from_settings(settings).layout
    kept = await a_video(store, me.id, VideoStatus.FAILED, error="ffmpeg exited with 1")
    layout.source(kept.id).parent.mkdir(parents=True, exist_ok=True)
    layout.source(kept.id).write_bytes(b"video")
    gone = await a_video(store, me.id, VideoStatus.FAILED, error="boom")

    response = await client.post(f"/studio/videos/{kept.id}/retry")
    assert (response.status_code, response.headers["location"]) == (303, "/studio")
    video = await store.videos.get(kept.id)
    assert video is not None
    assert (video.status, video.error) == (VideoStatus.QUEUED, "")
    assert [job.state for job in await store.jobs.list_all() if job.video_id == kept.id] == [JobState.QUEUED]
    refused = await client.post(f"/studio/videos/{gone.id}/retry")
    assert (refused.status_code, "The original file is gone" in refused.text) == (409, True)


async def test_delete_removes_the_video_and_its_files_but_only_mine(
    client: httpx.AsyncClient, store: Store, settings: Settings
) -> None:
    me = await login_as(client, store, "instructor")
    layout = PipelineConfig.from_settings(settings).layout
    video = await a_video(store, me.id, VideoStatus.READY)
    for path in (layout.source(video.id), layout.hls(video.id) / "720p" / "index.m3u8"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    theirs = await a_video(store, new_id(), VideoStatus.READY)
    assert (await client.post(f"/studio/videos/{theirs.id}/delete")).status_code == 404
    assert (await client.post(f"/studio/videos/{video.id}/delete")).status_code == 303
    assert await store.videos.get(video.id) is None
    assert not layout.source(video.id).exists()
    assert not layout.hls(video.id).exists()
    assert await store.videos.get(theirs.id) is not None


async def test_the_studio_forms_post_with_their_own_token_and_never_without_one(
    client: httpx.AsyncClient, store: Store
) -> None:
    me = await login_as(client, store, "instructor")
    client.headers.pop("X-CSRF-Token")  # a plain HTML form, no script
    video = await a_video(store, me.id, VideoStatus.READY)
    refused = await client.post(f"/studio/videos/{video.id}/delete")
    assert (refused.status_code, await store.videos.get(video.id) is not None) == (403, True)
    accepted = await post_form(client, f"/studio/videos/{video.id}/delete", {}, page="/studio")
    assert (accepted.status_code, await store.videos.get(video.id)) == (303, None)

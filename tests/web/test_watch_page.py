"""GET /watch/{id} in process: the page, its view token and the resume position."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import httpx
import pytest

from streamer.analytics.tokens import verify_view_token
from streamer.storage.base import Store
from streamer.storage.records import new_id
from streamer.web.vendor import NODE_MODULES
from tests.analytics.beats import KEY
from tests.analytics.test_rollup import play, watched
from tests.conftest import login_as
from tests.web.test_analytics_pages import a_video


def config_of(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="watch-config">(.*?)</script>', page, re.S)
    assert match, "the page carries its config"
    return dict(json.loads(match.group(1)))


async def test_the_page_carries_a_fresh_signed_view(app_client: httpx.AsyncClient, store: Store) -> None:
    member = await login_as(app_client, store, "member")
    video = await a_video(store, member, "Knife skills")
    response = await app_client.get(f"/watch/{video.id}")
    assert response.status_code == 200
    assert "Knife skills" in response.text
    assert '<script src="/static/vendor/hls.js/hls.min.js">' in response.text
    config = config_of(response.text)
    claims = verify_view_token(KEY, config["view_token"], int(time.time() * 1000), 60_000)
    assert (claims.view_id, claims.video_id, claims.user_id, claims.duration) == (
        config["view_id"],
        video.id,
        member.id,
        100.0,
    )
    assert config["sources_url"] == f"/api/videos/{video.id}/playback"
    assert (config["heartbeat_url"], config["start_at"]) == ("/api/heartbeat", 0.0)
    again = config_of((await app_client.get(f"/watch/{video.id}")).text)
    assert again["view_id"] != config["view_id"]


async def test_a_member_resumes_where_they_left_off(app_client: httpx.AsyncClient, store: Store) -> None:
    member = await login_as(app_client, store, "member")
    video = await a_video(store, member)
    await play(store, video.id, member.id, [watched(0, 42, 42_000, event="pause")])
    page = (await app_client.get(f"/watch/{video.id}")).text
    assert config_of(page)["start_at"] == 42.0
    assert "Resuming where you left off, at 0:42" in page


async def test_watching_needs_a_login_and_a_known_video(app_client: httpx.AsyncClient, store: Store) -> None:
    assert (await app_client.get(f"/watch/{new_id()}")).status_code == 303
    await login_as(app_client, store, "member")
    assert (await app_client.get(f"/watch/{new_id()}")).status_code == 404


async def test_hls_js_is_served_from_node_modules(app_client: httpx.AsyncClient) -> None:
    if not (NODE_MODULES / "hls.js/dist/hls.min.js").is_file():
        pytest.fail("node_modules/hls.js is missing: `make deps` runs npm install")
    response = await app_client.get("/static/vendor/hls.js/hls.min.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert (await app_client.get("/static/css/site.css")).status_code == 200

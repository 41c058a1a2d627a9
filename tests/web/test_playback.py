"""GET /api/videos/{id}/playback and /key, in process."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from streamer import signing
from streamer.delivery import keys
from streamer.memberships.grants import grant
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.delivery import DeliveryConfigRecord
from streamer.storage.records import VideoRecord, VideoStatus, new_id, utcnow
from tests.conftest import login_as


async def a_video(store: Store, owner_id: str, status: VideoStatus = VideoStatus.READY, duration: float = 0) -> str:
    now = utcnow()
    video = VideoRecord(new_id(), owner_id, "Lecture", status, now, now, duration=duration)
    await store.videos.create(video)
    return video.id


def settings_of(client: httpx.AsyncClient) -> Settings:
    app = client._transport.app  # type: ignore[attr-defined]
    settings: Settings = app.state.settings
    return settings


def path_of(url: str) -> str:
    return urlsplit(url).path


async def test_the_owner_gets_signed_urls_that_verify_and_are_not_stored(
    app_client: httpx.AsyncClient, store: Store
) -> None:
    owner = await login_as(app_client, store, "instructor")
    video_id = await a_video(store, owner.id)
    response = await app_client.get(f"/api/videos/{video_id}/playback")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"master_url", "expires_at", "poster_url", "thumbnails_url"}
    secret = signing.link_secret(settings_of(app_client).secret_key)
    for name, file in (
        ("master_url", "master.m3u8"),
        ("poster_url", "poster.jpg"),
        ("thumbnails_url", "thumbnails.vtt"),
    ):
        assert body[name].startswith(settings_of(app_client).public_url + "/v/")
        assert path_of(body[name]).endswith(f"/{video_id}/{file}")
        assert signing.verify(path_of(body[name]), secret, now=time.time())
    expires = signing.parse(path_of(body["master_url"]))
    assert expires is not None
    assert datetime.fromisoformat(body["expires_at"]).timestamp() == expires.expires


async def test_an_admin_may_watch_anyones_video(app_client: httpx.AsyncClient, store: Store) -> None:
    video_id = await a_video(store, new_id())
    await login_as(app_client, store, "admin")
    assert (await app_client.get(f"/api/videos/{video_id}/playback")).status_code == 200


async def test_a_member_without_a_membership_is_forbidden(app_client: httpx.AsyncClient, store: Store) -> None:
    video_id = await a_video(store, new_id())
    await login_as(app_client, store, "member")
    response = await app_client.get(f"/api/videos/{video_id}/playback")
    assert (response.status_code, response.headers["cache-control"]) == (403, "no-store")


async def test_an_active_member_may_watch(app_client: httpx.AsyncClient, store: Store) -> None:
    video_id = await a_video(store, new_id())
    member = await login_as(app_client, store, "member")
    await grant(store, member.id, days=30, by="test")
    assert (await app_client.get(f"/api/videos/{video_id}/playback")).status_code == 200


async def test_anonymous_is_401_and_unknown_is_404(app_client: httpx.AsyncClient, store: Store) -> None:
    video_id = await a_video(store, new_id())
    assert (await app_client.get(f"/api/videos/{video_id}/playback")).status_code == 401
    await login_as(app_client, store, "admin")
    assert (await app_client.get(f"/api/videos/{new_id()}/playback")).status_code == 404


@pytest.mark.parametrize("status", [VideoStatus.UPLOADING, VideoStatus.PROCESSING, VideoStatus.FAILED])
async def test_no_urls_before_the_video_is_ready(app_client: httpx.AsyncClient, store: Store, status: str) -> None:
    owner = await login_as(app_client, store, "instructor")
    video_id = await a_video(store, owner.id, VideoStatus(status))
    response = await app_client.get(f"/api/videos/{video_id}/playback")
    assert response.status_code == 409


async def test_the_link_lives_longer_for_a_longer_video(app_client: httpx.AsyncClient, store: Store) -> None:
    owner = await login_as(app_client, store, "instructor")
    short, long = await a_video(store, owner.id, duration=60), await a_video(store, owner.id, duration=4 * 3600)
    expiries = []
    for video_id in (short, long):
        body = (await app_client.get(f"/api/videos/{video_id}/playback")).json()
        expiries.append(datetime.fromisoformat(body["expires_at"]).timestamp() - time.time())
    settings = settings_of(app_client)
    assert settings.link_ttl <= expiries[0] < settings.link_ttl + 120 + signing.EXPIRY_STEP
    assert expiries[1] >= settings.link_ttl + settings.link_duration_factor * 4 * 3600


async def test_links_are_bound_to_the_client_address_when_an_admin_said_so(
    app_client: httpx.AsyncClient, store: Store
) -> None:
    owner = await login_as(app_client, store, "instructor")
    video_id = await a_video(store, owner.id)
    config = DeliveryConfigRecord(new_id(), utcnow(), "test", json.dumps({"link_bind_ip": "true"}), "-")
    await store.delivery.record_applied({"link_bind_ip": "true"}, config)
    try:
        url = (await app_client.get(f"/api/videos/{video_id}/playback")).json()["master_url"]
    finally:
        await store.delivery.record_applied({}, DeliveryConfigRecord(new_id(), utcnow(), "test", "{}", "-"))
    secret = signing.link_secret(settings_of(app_client).secret_key)
    assert signing.verify(path_of(url), secret, now=time.time(), client_ip="127.0.0.1")
    assert not signing.verify(path_of(url), secret, now=time.time())


async def test_the_key_of_an_encrypted_video_goes_to_viewers_only(app_client: httpx.AsyncClient, store: Store) -> None:
    owner = await login_as(app_client, store, "instructor")
    video_id = await a_video(store, owner.id)
    media_root: Path = settings_of(app_client).media_root
    created = keys.create_key(media_root, video_id)
    response = await app_client.get(f"/api/videos/{video_id}/key")
    assert (response.status_code, response.content) == (200, created.key_path.read_bytes())
    assert (response.headers["cache-control"], len(response.content)) == ("no-store", 16)
    await login_as(app_client, store, "member")
    assert (await app_client.get(f"/api/videos/{video_id}/key")).status_code == 403
    app_client.cookies.clear()
    assert (await app_client.get(f"/api/videos/{video_id}/key")).status_code == 401


async def test_an_unencrypted_video_has_no_key(app_client: httpx.AsyncClient, store: Store) -> None:
    owner = await login_as(app_client, store, "instructor")
    video_id = await a_video(store, owner.id)
    assert (await app_client.get(f"/api/videos/{video_id}/key")).status_code == 404

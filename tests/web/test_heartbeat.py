"""POST /api/heartbeat against the real app and store (both backends)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from streamer.analytics.records import day_of
from streamer.storage import open_store
from streamer.storage.base import Store
from streamer.web.app import create_app
from tests.analytics.beats import beat_body, claims_for, encoded
from tests.conftest import login_as, settings_for

URL = "/api/heartbeat"


@pytest_asyncio.fixture
async def client(store: Store, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(store, tmp_path, STREAMER_ANALYTICS_MIN_BEAT_SPACING="0") as client:
        yield client


def _client(store: Store, data_dir: Path, **env: str) -> Any:
    app = create_app(settings_for("sqlite", data_dir, **env), store=store)

    class Running:
        async def __aenter__(self) -> httpx.AsyncClient:
            self._lifespan = app.router.lifespan_context(app)
            await self._lifespan.__aenter__()
            self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
            return self._client

        async def __aexit__(self, *exc: object) -> None:
            await self._client.aclose()
            await self._lifespan.__aexit__(None, None, None)

    return Running()


async def test_an_accepted_beat_is_acknowledged_and_stored(client: httpx.AsyncClient, store: Store) -> None:
    claims = claims_for(user_id="member-1")
    response = await client.post(URL, json=beat_body(claims, 1, event="start", position=3.0))
    assert (response.status_code, response.json()) == (200, {"ok": True, "view": claims.view_id, "seq": 1})
    [view] = await store.analytics.views_on(claims.video_id, day_of(claims.issued_at))
    assert (view.view_id, view.user_id, view.played_ms, view.position) == (claims.view_id, "member-1", 10_000, 3.0)
    resume = await store.analytics.resume("member-1", claims.video_id)
    assert resume is not None
    assert resume.position == 3.0


async def test_a_beacon_sent_as_text_plain_is_accepted(client: httpx.AsyncClient, store: Store) -> None:
    claims = claims_for()
    body = encoded(beat_body(claims, 2, hidden=True))
    response = await client.post(URL, content=body, headers={"content-type": "text/plain;charset=UTF-8"})
    assert response.status_code == 200
    assert [v.seq for v in await store.analytics.views_on(claims.video_id, day_of(claims.issued_at))] == [2]


async def test_a_beat_needs_no_csrf_token_because_its_view_token_authenticates_it(
    client: httpx.AsyncClient, store: Store
) -> None:
    await login_as(client, store, "member")  # a session cookie, as the watch page's requests carry
    client.headers.pop("X-CSRF-Token")
    response = await client.post(URL, json=beat_body(claims_for(), 1, event="start"))
    assert response.status_code == 200
    forged = await client.post(URL, json=beat_body(claims_for(), 1, event="start") | {"token": "forged"})
    assert forged.status_code == 400


async def test_running_totals_of_later_beats_replace_earlier_ones(client: httpx.AsyncClient, store: Store) -> None:
    claims = claims_for(age=120)
    for seq, played in [(1, 10_000), (2, 20_000), (3, 30_000)]:
        # beats sent back to back: no new sections (a beat's sections are bounded by the time since the last)
        body = beat_body(claims, seq, played_ms=played, bitrate_ms={"800000": played}, upscale_ms=0, sections=[])
        assert (await client.post(URL, json=body)).status_code == 200
    [view] = await store.analytics.views_on(claims.video_id, day_of(claims.issued_at))
    assert (view.seq, view.played_ms, view.bitrate_ms) == (3, 30_000, {800_000: 30_000})


# Built when the test runs: tokens age, so a body made at import time could turn valid later.
BAD_BODIES: list[tuple[Callable[[], bytes], str]] = [
    (lambda: b"", "not JSON"),
    (lambda: b"null", "JSON object"),
    (lambda: b"{}", "'view' must be a string"),
    (lambda: b"\x00" * 5000, "at most 4096 bytes"),
    (lambda: json.dumps({"view": "v", "token": "t", "seq": 1}).encode(), "'event'"),
    (lambda: encoded(beat_body(claims_for()) | {"token": "nope"}), "view token is not valid"),
    (lambda: encoded(beat_body(claims_for(age=13 * 3600))), "expired"),
    (lambda: encoded(beat_body(claims_for()) | {"view": "other"}), "another view"),
    (lambda: encoded(beat_body(claims_for(age=5), played_ms=60_000)), "played_ms"),
    (lambda: encoded(beat_body(claims_for()) | {"position": 1e308}), "'position'"),
    (lambda: b'{"seq": 1e999}', "not JSON|'view'|finite"),
]


@pytest.mark.parametrize(("body", "reason"), BAD_BODIES)
async def test_a_bad_beat_gets_400_with_the_reason(
    client: httpx.AsyncClient, body: Callable[[], bytes], reason: str
) -> None:
    response = await client.post(URL, content=body())
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert any(part in response.json()["error"] for part in reason.split("|"))


async def test_a_repeated_or_lower_seq_is_refused(client: httpx.AsyncClient) -> None:
    claims = claims_for()
    assert (await client.post(URL, json=beat_body(claims, 5))).status_code == 200
    response = await client.post(URL, json=beat_body(claims, 5))
    assert (response.status_code, response.json()["error"]) == (400, "'seq' must increase (the last accepted was 5)")


async def test_a_view_beating_faster_than_every_2_s_gets_429(store: Store, tmp_path: Path) -> None:
    async with _client(store, tmp_path) as client:
        claims = claims_for()
        assert (await client.post(URL, json=beat_body(claims, 1))).status_code == 200
        response = await client.post(URL, json=beat_body(claims, 2))
        assert (response.status_code, response.json()["error"]) == (429, "at most one heartbeat per 2 s per view")


async def test_one_address_sending_too_many_beats_gets_429(store: Store, tmp_path: Path) -> None:
    env = {"STREAMER_ANALYTICS_IP_RATE": "0.001", "STREAMER_ANALYTICS_IP_BURST": "3"}
    async with _client(store, tmp_path, **env) as client:
        statuses = [(await client.post(URL, json=beat_body(claims_for()))).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


async def test_concurrent_beats_of_many_views_are_all_stored(client: httpx.AsyncClient, store: Store) -> None:
    video = claims_for().video_id
    views = [claims_for(video) for _ in range(60)]
    responses = await asyncio.gather(*(client.post(URL, json=beat_body(c, 1)) for c in views))
    assert {r.status_code for r in responses} == {200}
    stored = await store.analytics.views_on(video, day_of(views[0].issued_at))
    assert sorted(v.view_id for v in stored) == sorted(c.view_id for c in views)


async def test_when_the_store_is_down_the_answer_is_503_and_nothing_is_acknowledged(tmp_path: Path) -> None:
    settings = settings_for("sqlite", tmp_path / "broken")
    broken = await open_store(settings)
    await broken.migrate()
    await broken.close()  # every write now fails
    async with _client(broken, tmp_path) as client:
        response = await client.post(URL, json=beat_body(claims_for()))
    assert response.status_code == 503
    assert "could not be stored" in response.json()["error"]

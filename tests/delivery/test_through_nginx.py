"""The whole path on real processes: the app (uvicorn) behind nginx signs; nginx serves; ffmpeg plays."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

import httpx
import pytest

from streamer import signing
from tests.components import require_program
from tests.delivery.conftest import ENCRYPTED, PLAIN, Stack, raw_get

pytestmark = pytest.mark.e2e


async def playback(stack: Stack, video_id: str, source: str = "127.0.0.1", **headers: str) -> dict[str, str]:
    transport = httpx.AsyncHTTPTransport(local_address=source)
    async with httpx.AsyncClient(transport=transport, base_url=stack.nginx.base_url) as client:
        response = await client.get(f"/api/videos/{video_id}/playback", headers={**stack.session.headers, **headers})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, str] = response.json()
    return body


async def decode(url: str, *extra: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        require_program("ffmpeg"), "-v", "error", *extra, "-i", url, "-map", "0", "-f", "null", "-",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await process.communicate()
    return process.returncode or 0, stderr.decode()


async def test_ffmpeg_plays_the_url_the_app_handed_out(stack: Stack) -> None:
    body = await playback(stack, PLAIN)
    assert await decode(body["master_url"]) == (0, "")


async def test_an_encrypted_video_plays_with_the_key_from_the_app(stack: Stack) -> None:
    body = await playback(stack, ENCRYPTED)
    url = body["master_url"]
    async with httpx.AsyncClient() as client:
        playlist = (await client.get(url.replace("master.m3u8", "360p/index.m3u8"))).text
        segment = (await client.get(url.replace("master.m3u8", "360p/seg_00000.ts"))).content
    assert f'#EXT-X-KEY:METHOD=AES-128,URI="/api/videos/{ENCRYPTED}/key"' in playlist
    assert segment[0] != 0x47, "an encrypted segment does not start with an MPEG-TS sync byte"
    cookie = stack.session.headers["Cookie"]
    assert await decode(url, "-headers", f"Cookie: {cookie}\r\n") == (0, "")
    code, stderr = await decode(url)
    assert code != 0
    assert "Unable to open key file" in stderr, "without a session the key is refused (401)"


async def test_the_app_binds_links_to_the_address_nginx_saw_not_a_forged_header(stack: Stack) -> None:
    body = await playback(stack, PLAIN, source="127.0.0.2", **{"X-Forwarded-For": "203.0.113.9"})
    path = urlsplit(body["master_url"]).path
    assert signing.verify(path, signing.link_secret(stack.settings.secret_key), time.time(), client_ip="127.0.0.2")
    port = stack.settings.nginx_port
    assert (await raw_get(port, path, source="127.0.0.2"))[0] == 200
    assert (await raw_get(port, path, source="127.0.0.1"))[0] == 403


async def test_the_app_ignores_forwarded_headers_from_anyone_but_nginx(stack: Stack) -> None:
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.3")
    direct = f"http://127.0.0.1:{stack.settings.port}"
    headers = {**stack.session.headers, "X-Forwarded-For": "127.0.0.9"}
    async with httpx.AsyncClient(transport=transport, base_url=direct) as client:
        body = (await client.get(f"/api/videos/{PLAIN}/playback", headers=headers)).json()
    path = urlsplit(body["master_url"]).path
    secret = signing.link_secret(stack.settings.secret_key)
    assert signing.verify(path, secret, time.time(), client_ip="127.0.0.3")
    assert not signing.verify(path, secret, time.time(), client_ip="127.0.0.9")


async def test_media_requests_never_reach_the_app(stack: Stack) -> None:
    port = stack.settings.nginx_port
    for target in ("/v/", "/v/anything", f"/v/x/1/{PLAIN}/master.m3u8"):
        status, body = await raw_get(port, target)
        assert status == 404
        assert b"nginx" in body or body == b"", "a 404 from nginx itself, not the app's JSON or HTML"

"""The link contract against real nginx: what Python signs, nginx serves; everything else it refuses."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from streamer import signing
from tests.components import require_program
from tests.delivery.conftest import ENCRYPTED, OTHER, PLAIN, Media, RunningNginx, raw_get

pytestmark = pytest.mark.e2e


def prefix(server: RunningNginx, video_id: str, ttl: int = 600, client_ip: str | None = None) -> str:
    secret = signing.link_secret(server.settings.secret_key)
    return signing.signed_prefix(video_id, int(time.time()) + ttl, secret, client_ip)


async def test_a_valid_link_serves_every_file_of_the_video(nginx_server: RunningNginx, media: Media) -> None:
    base = prefix(nginx_server, PLAIN)
    files = media.files(PLAIN)
    expected = {"master.m3u8", "360p/index.m3u8", "180p/seg_00000.m4s", "audio/seg_00000.m4s", "thumbnails.vtt"}
    assert expected <= set(files)
    init_files = [name for name in files if name.endswith(".mp4")]
    assert init_files == ["180p/init_1.mp4", "360p/init_0.mp4", "audio/init_2.mp4"]
    async with httpx.AsyncClient(base_url=nginx_server.base_url) as client:
        for name in files:
            response = await client.get(base + name)
            assert response.status_code == 200, name
            assert response.content == (media.folder(PLAIN) / name).read_bytes(), name


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("master.m3u8", "application/vnd.apple.mpegurl"),
        ("360p/seg_00000.m4s", "video/iso.segment"),
        ("360p/init_0.mp4", "video/mp4"),
        ("poster.jpg", "image/jpeg"),
        ("thumbnails.vtt", "text/vtt"),
    ],
)
async def test_media_types_and_private_immutable_caching(nginx_server: RunningNginx, name: str, mime: str) -> None:
    async with httpx.AsyncClient(base_url=nginx_server.base_url) as client:
        response = await client.get(prefix(nginx_server, PLAIN) + name)
    assert response.headers["content-type"] == mime
    max_age = nginx_server.settings.delivery_cache_max_age
    assert response.headers["cache-control"] == f"private, max-age={max_age}, immutable"


async def test_mpeg_ts_segments_of_an_encrypted_video_are_served_as_video_mp2t(nginx_server: RunningNginx) -> None:
    async with httpx.AsyncClient(base_url=nginx_server.base_url) as client:
        response = await client.get(prefix(nginx_server, ENCRYPTED) + "360p/seg_00000.ts")
    assert (response.status_code, response.headers["content-type"]) == (200, "video/mp2t")


async def test_playlists_are_gzipped_for_clients_that_ask(nginx_server: RunningNginx) -> None:
    async with httpx.AsyncClient(base_url=nginx_server.base_url) as client:
        response = await client.get(prefix(nginx_server, PLAIN) + "360p/index.m3u8")
    assert response.headers.get("content-encoding") == "gzip"
    assert response.text.startswith("#EXTM3U")


async def test_ffmpeg_decodes_the_whole_video_through_nginx(nginx_server: RunningNginx, media: Media) -> None:
    ffmpeg = require_program("ffmpeg")
    url = nginx_server.base_url + prefix(nginx_server, PLAIN) + "master.m3u8"
    process = await asyncio.create_subprocess_exec(
        ffmpeg, "-v", "error", "-i", url, "-map", "0", "-f", "null", "-",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await process.communicate()
    assert (process.returncode, stderr.decode()) == (0, "")
    log = (nginx_server.layout.access_log).parent
    assert log.exists()


def tampered(link: str, index: int) -> str:
    """`link` with one character of its token changed."""
    start = len(signing.LINK_PREFIX) + 1 + index
    replacement = "A" if link[start] != "A" else "B"
    return link[:start] + replacement + link[start + 1 :]


def rejected_cases(server: RunningNginx) -> dict[str, tuple[str, int]]:
    good = prefix(server, PLAIN)
    token, expires = good.split("/")[2:4]
    secret = signing.link_secret(server.settings.secret_key)
    raw_key_link = signing.signed_prefix(PLAIN, int(expires), server.settings.secret_key)
    other = prefix(server, OTHER)
    past = int(time.time()) - 60
    expired = signing.signed_prefix(PLAIN, past, secret)
    return {
        "altered token, first character": (tampered(good, 0) + "master.m3u8", 403),
        "altered token, last character": (tampered(good, 21) + "master.m3u8", 403),
        "altered expiry": (good.replace(f"/{expires}/", f"/{int(expires) + 1}/") + "master.m3u8", 403),
        "expiry moved far ahead": (good.replace(f"/{expires}/", "/9999999999/") + "master.m3u8", 403),
        "another video's token": (other.replace(OTHER, PLAIN) + "master.m3u8", 403),
        "signed with the raw secret key": (raw_key_link + "master.m3u8", 403),
        "signed with another secret": (signing.signed_prefix(PLAIN, int(expires), "x" * 64) + "master.m3u8", 403),
        "dot-dot into another video": (good + "../" + OTHER + "/master.m3u8", 403),
        "encoded dot-dot into another video": (good + "%2e%2e/" + OTHER + "/master.m3u8", 403),
        "encoded dot-dot and slash": (good + "%2e%2e%2f" + OTHER + "%2fmaster.m3u8", 403),
        "file outside any video folder": (good + "../outside.m3u8", 404),
        "dot-dot above the media root": (good + "../../../../../../etc/passwd", 400),
        "a subfolder two levels deep": (good + "360p/x/seg_000.m4s", 404),
        "a hidden file": (good + ".keyinfo.m3u8", 404),
        "a file type nginx must not send": (good + "360p/index.m3u8.bak", 404),
        "the folder itself (no listings)": (good, 404),
        "a rendition folder (no listings)": (good + "360p/", 404),
        "missing token": (f"/v/{expires}/{PLAIN}/master.m3u8", 404),
        "empty token": (f"/v//{expires}/{PLAIN}/master.m3u8", 404),
        "short token": (f"/v/{token[:21]}/{expires}/{PLAIN}/master.m3u8", 404),
        "missing expiry": (f"/v/{token}/{PLAIN}/master.m3u8", 404),
        "zero expiry": (f"/v/{token}/0/{PLAIN}/master.m3u8", 403),
        "expired link": (expired + "master.m3u8", 410),
        "expired link with an altered token": (tampered(expired, 3) + "master.m3u8", 403),
        "a file that does not exist": (good + "360p/seg_99999.m4s", 404),
        "a newline after the file name": (good + "master.m3u8%0a", 404),
    }


CASES = [
    "altered token, first character", "altered token, last character", "altered expiry", "expiry moved far ahead",
    "another video's token", "signed with the raw secret key", "signed with another secret",
    "dot-dot into another video", "encoded dot-dot into another video", "encoded dot-dot and slash",
    "file outside any video folder", "dot-dot above the media root", "a subfolder two levels deep", "a hidden file",
    "a file type nginx must not send", "the folder itself (no listings)", "a rendition folder (no listings)",
    "missing token", "empty token", "short token", "missing expiry", "zero expiry", "expired link",
    "expired link with an altered token", "a file that does not exist", "a newline after the file name",
]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
async def test_nginx_refuses_with_the_right_status(nginx_server: RunningNginx, case: str) -> None:
    target, expected = rejected_cases(nginx_server)[case]
    status, _ = await raw_get(nginx_server.settings.nginx_port, target)
    assert status == expected, target


async def test_only_get_and_head_are_served(nginx_server: RunningNginx) -> None:
    target = prefix(nginx_server, PLAIN) + "master.m3u8"
    assert (await raw_get(nginx_server.settings.nginx_port, target, method="HEAD"))[0] == 200
    assert (await raw_get(nginx_server.settings.nginx_port, target, method="POST"))[0] == 405


async def test_an_ip_bound_link_works_only_from_that_address(bound_nginx: RunningNginx) -> None:
    target = prefix(bound_nginx, PLAIN, client_ip="127.0.0.1") + "master.m3u8"
    port = bound_nginx.settings.nginx_port
    assert (await raw_get(port, target, source="127.0.0.1"))[0] == 200
    assert (await raw_get(port, target, source="127.0.0.2"))[0] == 403


async def test_an_unbound_link_is_refused_where_links_are_bound(bound_nginx: RunningNginx) -> None:
    target = prefix(bound_nginx, PLAIN) + "master.m3u8"
    assert (await raw_get(bound_nginx.settings.nginx_port, target))[0] == 403

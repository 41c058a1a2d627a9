"""tus 1.0.0 at /uploads/ (core, creation, termination, expiration), driven in-process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest

from streamer.catalog.layout import MediaLayout
from streamer.catalog.tus_metadata import encode_metadata
from streamer.catalog.uploads import EXPIRED_REASON
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.records import JobState, VideoStatus, utcnow
from streamer.web.app import create_app
from tests.browser_session import csrf_token
from tests.conftest import login_as, settings_for
from tests.media import make

TUS = {"Tus-Resumable": "1.0.0"}
OCTETS = {**TUS, "Content-Type": "application/offset+octet-stream"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for("sqlite", tmp_path, STREAMER_TUS_MAX_SIZE="5000000")


@pytest.fixture
async def client(store: Store, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, store=store)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c


@pytest.fixture
async def instructor(client: httpx.AsyncClient, store: Store) -> httpx.AsyncClient:
    await login_as(client, store, "instructor")
    return client


async def create(client: httpx.AsyncClient, length: int, **metadata: str) -> str:
    headers = {**TUS, "Upload-Length": str(length), "Upload-Metadata": encode_metadata(metadata)}
    response = await client.post("/uploads/", headers=headers)
    assert response.status_code == 201, response.text
    return response.headers["location"]


async def send(client: httpx.AsyncClient, url: str, offset: int, body: bytes) -> httpx.Response:
    return await client.patch(url, headers={**OCTETS, "Upload-Offset": str(offset)}, content=body)


async def test_options_advertises_version_extensions_and_max_size(client: httpx.AsyncClient) -> None:
    response = await client.options("/uploads/")
    assert response.status_code == 204
    assert response.headers["tus-version"] == "1.0.0"
    assert response.headers["tus-resumable"] == "1.0.0"
    assert set(response.headers["tus-extension"].split(",")) == {"creation", "termination", "expiration"}
    assert response.headers["tus-max-size"] == "5000000"


async def test_default_max_size_is_20_gib() -> None:
    assert Settings().tus_max_size == 20 * 1024**3


async def test_a_request_without_tus_resumable_is_412_with_the_version(instructor: httpx.AsyncClient) -> None:
    response = await instructor.post("/uploads/", headers={"Upload-Length": "10"})
    assert response.status_code == 412
    assert (response.headers["tus-version"], response.headers["tus-resumable"]) == ("1.0.0", "1.0.0")


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("member", 403)])
async def test_only_instructors_may_upload_and_the_body_is_never_read(
    client: httpx.AsyncClient, store: Store, role: str | None, status: int
) -> None:
    if role:
        await login_as(client, store, role)
    else:
        client.headers["X-CSRF-Token"] = await csrf_token(client)  # anonymous, yet a same-site request
    read = []

    async def body() -> AsyncIterator[bytes]:
        read.append(True)
        yield b"x" * 100

    assert (await client.post("/uploads/", headers={**TUS, "Upload-Length": "100"})).status_code == status
    fake = "/uploads/" + "0" * 32
    response = await client.patch(fake, headers={**OCTETS, "Upload-Offset": "0"}, content=body())
    assert (response.status_code, read) == (status, [])


@pytest.mark.parametrize("role", ["instructor", "admin"])
async def test_instructors_and_admins_may_upload(client: httpx.AsyncClient, store: Store, role: str) -> None:
    me = await login_as(client, store, role)
    url = await create(client, 10, filename="a.mp4")
    assert (await send(client, url, 0, b"x" * 5)).status_code == 204
    [video] = await store.videos.list_by_owner(me.id)
    assert video.id == url.rsplit("/", 1)[1]


async def test_an_instructor_without_the_csrf_header_is_refused_before_the_body_is_read(
    instructor: httpx.AsyncClient,
) -> None:
    url = await create(instructor, 100, filename="a.mp4")
    token = instructor.headers.pop("X-CSRF-Token")
    read = []

    async def body() -> AsyncIterator[bytes]:
        read.append(True)
        yield b"x" * 100

    refused_create = await instructor.post("/uploads/", headers={**TUS, "Upload-Length": "100"})
    refused_patch = await instructor.patch(url, headers={**OCTETS, "Upload-Offset": "0"}, content=body())
    refused_delete = await instructor.delete(url, headers={**TUS, "X-CSRF-Token": "forged"})
    assert [r.status_code for r in (refused_create, refused_patch, refused_delete)] == [403, 403, 403]
    assert read == []
    head = await instructor.head(url, headers=TUS)  # safe methods need no token
    assert (head.status_code, head.headers["upload-offset"]) == (200, "0")
    instructor.headers["X-CSRF-Token"] = token


async def test_a_patch_from_another_site_is_refused_even_with_the_token(instructor: httpx.AsyncClient) -> None:
    url = await create(instructor, 100, filename="a.mp4")
    cross = {**OCTETS, "Upload-Offset": "0", "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    assert (await instructor.patch(url, headers=cross, content=b"x" * 10)).status_code == 403
    assert (await instructor.head(url, headers=TUS)).headers["upload-offset"] == "0"


async def test_creation_makes_an_uploading_video_with_a_safe_name_and_an_expiry(
    instructor: httpx.AsyncClient, store: Store, settings: Settings
) -> None:
    url = await create(instructor, 1000, filename="../../etc/Vorlesung über Ähnlichkeit.mp4")
    upload_id = url.rsplit("/", 1)[1]
    video = await store.videos.get(upload_id)
    assert video is not None
    assert (video.status, video.title, video.source_name) == (
        VideoStatus.UPLOADING,
        "Vorlesung über Ähnlichkeit",
        "Vorlesung über Ähnlichkeit.mp4",
    )
    assert MediaLayout(settings.media_root).upload_part(upload_id).stat().st_size == 0
    head = await instructor.head(url, headers=TUS)
    expires = parsedate_to_datetime(head.headers["upload-expires"])
    assert timedelta(hours=23) < expires - utcnow() <= timedelta(hours=24)


async def test_creation_refuses_a_size_over_the_limit_and_a_missing_length(instructor: httpx.AsyncClient) -> None:
    too_big = await instructor.post("/uploads/", headers={**TUS, "Upload-Length": "5000001"})
    missing = await instructor.post("/uploads/", headers=TUS)
    bad_metadata = await instructor.post("/uploads/", headers={**TUS, "Upload-Length": "9", "Upload-Metadata": "a b c"})
    assert (too_big.status_code, missing.status_code, bad_metadata.status_code) == (413, 400, 400)


async def test_head_reports_offset_length_and_metadata_uncached(instructor: httpx.AsyncClient) -> None:
    url = await create(instructor, 1000, filename="a.mp4", title="Week 1")
    assert (await send(instructor, url, 0, b"a" * 300)).status_code == 204
    head = await instructor.head(url, headers=TUS)
    assert head.status_code == 200
    assert (head.headers["upload-offset"], head.headers["upload-length"]) == ("300", "1000")
    assert head.headers["upload-metadata"] == encode_metadata({"filename": "a.mp4", "title": "Week 1"})
    assert head.headers["cache-control"] == "no-store"


async def test_patch_appends_and_answers_the_new_offset(instructor: httpx.AsyncClient, settings: Settings) -> None:
    url = await create(instructor, 1000, filename="a.mp4")
    first = await send(instructor, url, 0, b"a" * 400)
    second = await send(instructor, url, 400, b"b" * 100)
    assert (first.status_code, first.headers["upload-offset"]) == (204, "400")
    assert (second.status_code, second.headers["upload-offset"]) == (204, "500")
    assert "upload-expires" in second.headers
    part = MediaLayout(settings.media_root).upload_part(url.rsplit("/", 1)[1])
    assert part.read_bytes() == b"a" * 400 + b"b" * 100


async def test_patch_with_the_wrong_offset_is_409_and_changes_nothing(instructor: httpx.AsyncClient) -> None:
    url = await create(instructor, 1000, filename="a.mp4")
    await send(instructor, url, 0, b"a" * 100)
    assert (await send(instructor, url, 50, b"b" * 10)).status_code == 409
    assert (await instructor.head(url, headers=TUS)).headers["upload-offset"] == "100"


async def test_patch_with_the_wrong_content_type_is_415(instructor: httpx.AsyncClient) -> None:
    url = await create(instructor, 1000, filename="a.mp4")
    headers = {**TUS, "Content-Type": "application/octet-stream", "Upload-Offset": "0"}
    assert (await instructor.patch(url, headers=headers, content=b"x")).status_code == 415


async def test_patch_past_the_length_is_413(instructor: httpx.AsyncClient) -> None:
    url = await create(instructor, 10, filename="a.mp4")
    assert (await send(instructor, url, 0, b"x" * 11)).status_code == 413
    assert (await instructor.head(url, headers=TUS)).headers["upload-offset"] == "0"


async def test_someone_elses_upload_is_404(instructor: httpx.AsyncClient, store: Store) -> None:
    url = await create(instructor, 10, filename="a.mp4")
    await login_as(instructor, store, "instructor")
    assert (await instructor.head(url, headers=TUS)).status_code == 404
    assert (await send(instructor, url, 0, b"x")).status_code == 404


async def test_delete_removes_the_bytes_the_upload_and_the_video(
    instructor: httpx.AsyncClient, store: Store, settings: Settings
) -> None:
    url = await create(instructor, 1000, filename="a.mp4")
    upload_id = url.rsplit("/", 1)[1]
    await send(instructor, url, 0, b"a" * 10)
    assert (await instructor.delete(url, headers=TUS)).status_code == 204
    assert (await instructor.head(url, headers=TUS)).status_code == 404
    assert not MediaLayout(settings.media_root).upload_part(upload_id).exists()
    assert await store.videos.get(upload_id) is None


async def test_an_expired_upload_is_gone_and_its_video_says_why(store: Store, tmp_path: Path) -> None:
    settings = settings_for("sqlite", tmp_path, STREAMER_UPLOAD_EXPIRY_HOURS="0.0001")  # 0.36 s
    app = create_app(settings, store=store)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        await login_as(client, store, "instructor")
        url = await create(client, 1000, filename="a.mp4")
        await asyncio.sleep(0.5)
        assert (await client.head(url, headers=TUS)).status_code == 410
        assert (await send(client, url, 0, b"x")).status_code == 404
    upload_id = url.rsplit("/", 1)[1]
    assert not MediaLayout(settings.media_root).upload_part(upload_id).exists()
    video = await store.videos.get(upload_id)
    assert video is not None
    assert (video.status, video.error) == (VideoStatus.FAILED, EXPIRED_REASON)


async def test_a_completed_video_upload_is_queued_for_transcoding(
    instructor: httpx.AsyncClient, store: Store, settings: Settings, tmp_path: Path
) -> None:
    data = make(tmp_path, "small.mp4").read_bytes()
    url = await create(instructor, len(data), filename="small.mp4", title="Tiny")
    half = len(data) // 2
    await send(instructor, url, 0, data[:half])
    done = await send(instructor, url, half, data[half:])
    assert (done.status_code, done.headers["upload-offset"]) == (204, str(len(data)))
    video_id = url.rsplit("/", 1)[1]
    video = await store.videos.get(video_id)
    assert video is not None
    assert (video.status, video.title, video.error) == (VideoStatus.QUEUED, "Tiny", "")
    assert MediaLayout(settings.media_root).source(video_id).read_bytes() == data
    assert await store.uploads.get(video_id) is None
    jobs = [job for job in await store.jobs.list_all() if job.video_id == video_id]
    assert [(job.kind, job.state) for job in jobs] == [("transcode", JobState.QUEUED)]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("text.mp4", "This file is not a video we can read"),
        ("truncated.mp4", "The file ends early — please upload it again"),
        ("audio_only.m4a", "This file has no video stream"),
        ("empty.mp4", "This file is empty"),
    ],
)
async def test_a_completed_upload_that_is_no_video_fails_with_a_reason(
    instructor: httpx.AsyncClient, store: Store, tmp_path: Path, name: str, reason: str
) -> None:
    data = make(tmp_path, name).read_bytes()
    url = await create(instructor, len(data), filename=name)
    if data:
        assert (await send(instructor, url, 0, data)).status_code == 204
    video = await store.videos.get(url.rsplit("/", 1)[1])
    assert video is not None
    assert (video.status, video.error) == (VideoStatus.FAILED, reason)

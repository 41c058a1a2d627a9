"""End to end with real ffmpeg: lavfi sources in, a published HLS ladder (or a readable refusal) out."""

from __future__ import annotations

import asyncio
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.transcoder.media import Make, assert_servable_layout, decode_all, stream_props
from transcoder import InvalidMedia, KeyInfo, Progress, Result, TranscodeError, build_argv, transcode

pytestmark = pytest.mark.usefixtures("ffmpeg_available")


@dataclass(frozen=True)
class Published:
    result: Result
    dest: Path
    progress: list[Progress]


async def publish(src: Path, dest: Path, **kwargs: object) -> Published:
    seen: list[Progress] = []
    result = await transcode(src, dest, on_progress=seen.append, **kwargs)  # type: ignore[arg-type]
    return Published(result, dest, seen)


def sizes(published: Published) -> list[tuple[str, int, int]]:
    return [(r.name, r.width, r.height) for r in published.result.renditions]


def assert_plays_for(published: Published, seconds: float, *input_options: str) -> None:
    decoded = decode_all(published.dest / "master.m3u8", *input_options)
    assert decoded.returncode == 0, decoded.errors
    assert decoded.errors == ""
    assert decoded.seconds == pytest.approx(seconds, abs=0.25)


def assert_nothing_left(dest: Path) -> None:
    assert not dest.exists()
    assert not dest.with_name(dest.name + ".partial").exists()
    assert list(dest.parent.glob("*.keyinfo")) == []


def keyframe_times(playlist: Path) -> list[float]:
    cmd = ["ffprobe", "-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey"]
    cmd += ["-show_entries", "frame=pts_time", "-of", "csv=p=0", str(playlist)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [round(float(line.split(",")[0]), 1) for line in out.split() if line.strip(",")]


async def refused(src: Path, dest: Path) -> InvalidMedia:
    with pytest.raises(InvalidMedia) as caught:
        await transcode(src, dest)
    assert_nothing_left(dest)
    return caught.value


@pytest_asyncio.fixture(scope="module")
async def landscape(make_source: Make, tmp_path_factory: pytest.TempPathFactory) -> Published:
    src = make_source("landscape.mp4", width=1920, height=1080, duration=2.0)
    return await publish(src, tmp_path_factory.mktemp("hls") / "landscape")


def test_landscape_1080p_gets_the_full_ladder(landscape: Published) -> None:
    assert sizes(landscape) == [("1080p", 1920, 1080), ("720p", 1280, 720), ("480p", 854, 480), ("360p", 640, 360)]
    assert landscape.result.has_audio
    assert all(r.bandwidth > 0 for r in landscape.result.renditions)
    assert landscape.result.renditions[0].bandwidth > landscape.result.renditions[-1].bandwidth


def test_landscape_ladder_decodes_end_to_end(landscape: Published) -> None:
    assert_plays_for(landscape, 2.0)


def test_every_rendition_is_8_bit_h264_high_at_its_planned_size(landscape: Published) -> None:
    for rendition in landscape.result.renditions:
        props = stream_props(landscape.dest / rendition.name / "index.m3u8")
        assert (int(props["width"]), int(props["height"])) == (rendition.width, rendition.height)
        assert (props["pix_fmt"], props["profile"]) == ("yuv420p", "High")


def test_output_layout_is_servable_by_a_strict_nginx_regex(landscape: Published) -> None:
    assert_servable_layout(landscape.dest)
    top = sorted(p.name for p in landscape.dest.iterdir())
    assert top == [
        "1080p",
        "360p",
        "480p",
        "720p",
        "audio",
        "master.m3u8",
        "poster.jpg",
        "storyboard.jpg",
        "thumbnails.vtt",
    ]
    assert not landscape.dest.with_name("landscape.partial").exists()


def test_audio_is_one_shared_rendition(landscape: Published) -> None:
    master = (landscape.dest / "master.m3u8").read_text()
    assert master.count("#EXT-X-MEDIA:TYPE=AUDIO") == 1
    assert 'URI="audio/index.m3u8"' in master
    assert list((landscape.dest / "1080p").glob("*")) != []
    assert all("audio" in line or "AUDIO=" in line for line in master.splitlines() if "STREAM-INF" in line)


def test_progress_rises_to_100(landscape: Published) -> None:
    percents = [p.percent for p in landscape.progress]
    assert percents == sorted(percents)
    assert percents[-1] == 100.0
    assert landscape.progress[-1].done


def test_poster_storyboard_and_vtt_are_published(landscape: Published) -> None:
    result = landscape.result
    assert (stream_props(result.poster, "width,height")) == {"width": "1280", "height": "720"}
    assert (stream_props(result.storyboard, "width,height")) == {"width": "320", "height": "90"}
    vtt = result.thumbnails_vtt.read_text()
    assert vtt.startswith("WEBVTT")
    assert "00:00:01.000 --> 00:00:02.000\nstoryboard.jpg#xywh=160,0,160,90" in vtt
    assert list(landscape.dest.glob("tile_*")) == []


async def test_rotated_phone_video_becomes_a_portrait_ladder(make_source: Make, tmp_path: Path) -> None:
    src = make_source("phone.mp4", width=1920, height=1080, duration=2.0, rotate=90)
    published = await publish(src, tmp_path / "phone")
    assert sizes(published)[:2] == [("1080p", 1080, 1920), ("720p", 720, 1280)]
    props = stream_props(published.dest / "1080p" / "index.m3u8")
    assert (props["width"], props["height"]) == ("1080", "1920")
    assert stream_props(published.result.poster, "width,height") == {"width": "720", "height": "1280"}
    assert_plays_for(published, 2.0)


async def test_coded_portrait_video_uses_the_short_side_as_rung_height(make_source: Make, tmp_path: Path) -> None:
    published = await publish(make_source("tall.mp4", width=360, height=640, duration=2.0), tmp_path / "tall")
    assert sizes(published) == [("360p", 360, 640)]
    assert_plays_for(published, 2.0)


async def test_odd_size_gets_even_renditions_with_aligned_keyframes(make_source: Make, tmp_path: Path) -> None:
    published = await publish(
        make_source("odd.mp4", width=853, height=481, duration=6.0, pix_fmt="yuv444p"), tmp_path / "odd"
    )
    assert sizes(published) == [("480p", 852, 480), ("360p", 638, 360)]
    playlists = [published.dest / name / "index.m3u8" for name in ("480p", "360p")]
    assert keyframe_times(playlists[0]) == keyframe_times(playlists[1])
    assert [round(t) for t in keyframe_times(playlists[0])] == [0, 2, 4]
    extinf = [[line for line in p.read_text().splitlines() if line.startswith("#EXTINF")] for p in playlists]
    assert extinf[0] == extinf[1]
    assert len(extinf[0]) == 2
    assert_plays_for(published, 6.0)


async def test_video_without_audio_gets_a_video_only_ladder(make_source: Make, tmp_path: Path) -> None:
    src = make_source("silent.mp4", width=320, height=240, audio=False)
    published = await publish(src, tmp_path / "silent")
    assert sizes(published) == [("240p", 320, 240)]
    assert not published.result.has_audio
    assert not (published.dest / "audio").exists()
    assert "TYPE=AUDIO" not in (published.dest / "master.m3u8").read_text()
    assert_plays_for(published, 2.0)


async def test_one_second_clip(make_source: Make, tmp_path: Path) -> None:
    published = await publish(make_source("short.mp4", duration=1.0), tmp_path / "short")
    assert sizes(published) == [("360p", 640, 360)]
    assert "00:00:00.000 --> 00:00:01.000" in published.result.thumbnails_vtt.read_text()
    assert_plays_for(published, 1.0)


async def test_60fps_source_is_published_at_30fps(make_source: Make, tmp_path: Path) -> None:
    published = await publish(make_source("fast.mp4", rate=60), tmp_path / "fast")
    assert stream_props(published.dest / "360p" / "index.m3u8")["avg_frame_rate"] == "30/1"
    assert_plays_for(published, 2.0)


async def test_10_bit_source_becomes_8_bit_h264(make_source: Make, tmp_path: Path) -> None:
    published = await publish(make_source("deep.mp4", pix_fmt="yuv420p10le"), tmp_path / "deep")
    props = stream_props(published.dest / "360p" / "index.m3u8")
    assert (props["pix_fmt"], props["profile"]) == ("yuv420p", "High")
    assert_plays_for(published, 2.0)


async def test_hostile_file_name_is_just_a_file(make_source: Make, tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    (folder / "sub").mkdir(parents=True)
    weird = folder / "-..\\..\\évidéo 日本 :x 100%.mp4"
    weird.write_bytes(make_source(width=320, height=180, duration=1.0).read_bytes())
    published = await publish(folder / "sub" / ".." / weird.name, tmp_path / "out" / "weird")
    assert_servable_layout(published.dest)
    assert_plays_for(published, 1.0)


async def test_audio_only_file_is_refused(make_source: Make, tmp_path: Path) -> None:
    error = await refused(make_source("song.m4a", video=False), tmp_path / "song")
    assert error.message == "This file has no video stream"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "This file is empty"),
        (b"Dear diary, today I renamed a text file to .mp4\n" * 20, "This file is not a video we can read"),
    ],
)
async def test_non_videos_are_refused_with_a_reason(tmp_path: Path, content: bytes, message: str) -> None:
    upload = tmp_path / "upload.mp4"
    upload.write_bytes(content)
    assert (await refused(upload, tmp_path / "v")).message == message


async def test_mp4_cut_before_its_index_is_refused_as_truncated(make_source: Make, tmp_path: Path) -> None:
    whole = make_source("whole.mp4", duration=2.0)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    error = await refused(cut, tmp_path / "v")
    assert (error.code, error.message) == ("truncated", "The file ends early — please upload it again")


async def test_ffmpeg_failure_raises_with_stderr_and_publishes_nothing(
    make_source: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> list[str]:
        argv = build_argv(*args, **kwargs)
        return [("no-such-preset" if arg == "veryfast" else arg) for arg in argv]

    monkeypatch.setattr("transcoder.publish.build_argv", broken)
    dest = tmp_path / "broken"
    with pytest.raises(TranscodeError) as caught:
        await transcode(make_source(duration=1.0), dest)
    assert "no-such-preset" in caught.value.command
    assert caught.value.returncode not in (0, None)
    assert "preset" in caught.value.stderr_tail.lower()
    assert_nothing_left(dest)


async def test_encrypted_ladder_is_mpegts_and_decodes_with_the_key(make_source: Make, tmp_path: Path) -> None:
    key_path = tmp_path / "keys" / "v.key"
    key_path.parent.mkdir()
    key_path.write_bytes(bytes(range(16)))
    key = KeyInfo(key_uri=str(key_path), key_path=key_path, iv_hex="0f" * 16)
    published = await publish(make_source("secret.mp4", duration=2.0), tmp_path / "hls" / "secret", encryption=key)
    playlist = (published.dest / "360p" / "index.m3u8").read_text()
    assert "#EXT-X-KEY:METHOD=AES-128" in playlist
    segments = sorted((published.dest / "360p").glob("seg_*.ts"))
    assert segments
    assert segments[0].read_bytes()[0] != 0x47  # a clear TS packet starts with 0x47
    assert list((published.dest / "360p").glob("*.m4s")) == []
    assert list(published.dest.parent.glob("*.keyinfo")) == []
    assert_servable_layout(published.dest)
    # Debian's ffmpeg 5.1 refuses key URIs without a media extension unless told otherwise.
    assert_plays_for(published, 2.0, "-allowed_extensions", "ALL")


async def test_cancelling_a_transcode_removes_the_partial_output(make_source: Make, tmp_path: Path) -> None:
    src = make_source("long.mp4", width=640, height=360, duration=30.0, audio=False)
    dest = tmp_path / "cancelled"
    started = asyncio.Event()
    task = asyncio.create_task(transcode(src, dest, on_progress=lambda _: started.set()))
    await asyncio.wait_for(started.wait(), timeout=60)
    assert dest.with_name("cancelled.partial").is_dir()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert_nothing_left(dest)


async def test_leftovers_are_wiped_and_a_rerun_replaces_the_old_ladder(make_source: Make, tmp_path: Path) -> None:
    dest = tmp_path / "again"
    stale = dest.with_name("again.partial")
    stale.mkdir()
    (stale / "junk.ts").write_text("from a killed run")
    src = make_source("again.mp4", width=320, height=180, duration=1.0)
    await publish(src, dest)
    (dest / "marker").write_text("first run")
    await publish(src, dest)
    assert sorted(p.name for p in dest.iterdir()) == [
        "180p", "audio", "master.m3u8", "poster.jpg", "storyboard.jpg", "thumbnails.vtt",
    ]  # fmt: skip
    assert not stale.exists()
    assert not dest.with_name("again.old").exists()

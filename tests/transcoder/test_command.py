from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from transcoder import KeyInfo, MediaInfo, Plan, build_argv, key_info_path, key_info_text, plan

SRC = Path("/media/uploads/clip.mp4")
OUT = Path("/media/hls/v1.partial")


def media(width: int = 1920, height: int = 1080, **fields: object) -> MediaInfo:
    base: dict[str, object] = {
        "size": 1,
        "format_name": "mov",
        "duration": 30.0,
        "video_index": 0,
        "video_codec": "h264",
        "width": width,
        "height": height,
        "fps": Fraction(30),
        "audio_index": 1,
        "audio_codec": "aac",
    }
    base.update(fields)
    return MediaInfo(**base)  # type: ignore[arg-type]


def argv_for(the_plan: Plan | None = None, **kwargs: object) -> list[str]:
    return build_argv(the_plan or plan(media()), SRC, OUT, **kwargs)  # type: ignore[arg-type]


def value(argv: list[str], flag: str) -> str:
    return argv[argv.index(flag) + 1]


def values(argv: list[str], flag: str) -> list[str]:
    return [argv[i + 1] for i, arg in enumerate(argv) if arg == flag]


def scales(argv: list[str]) -> list[tuple[int, int]]:
    graph = value(argv, "-filter_complex")
    return [(int(w), int(h)) for w, h in re.findall(r"scale=(\d+):(\d+)", graph)]


def test_one_ffmpeg_process_reads_the_source_once() -> None:
    argv = argv_for()
    assert argv[0] == "ffmpeg"
    assert argv.count("ffmpeg") == 1
    assert values(argv, "-i") == [f"file:{SRC}"]
    assert value(argv, "-protocol_whitelist") == "file"


def test_progress_goes_to_stdout_without_stats() -> None:
    argv = argv_for()
    assert value(argv, "-progress") == "pipe:1"
    assert "-nostats" in argv
    assert "-nostdin" in argv


def test_filter_graph_splits_once_and_scales_each_rendition_in_cascade() -> None:
    argv = argv_for()
    graph = value(argv, "-filter_complex")
    assert graph.startswith("[0:0]format=yuv420p")
    assert "split=" in graph
    assert scales(argv)[:4] == [(1920, 1080), (1280, 720), (854, 480), (640, 360)]


def test_every_rendition_gets_libx264_with_its_bitrate_caps() -> None:
    argv = argv_for()
    assert value(argv, "-c:v") == "libx264"
    assert value(argv, "-profile:v") == "high"
    assert [value(argv, f"-b:v:{i}") for i in range(4)] == ["5000k", "2800k", "1400k", "800k"]
    assert value(argv, "-maxrate:v:0") == "5350k"
    assert value(argv, "-bufsize:v:3") == "1200k"


def test_keyframes_are_aligned_across_renditions() -> None:
    argv = argv_for()
    assert value(argv, "-force_key_frames") == "expr:gte(t,n_forced*2)"
    assert value(argv, "-sc_threshold") == "0"
    assert value(argv, "-g") == "60"


def test_preset_defaults_to_veryfast_and_is_configurable() -> None:
    assert value(argv_for(), "-preset") == "veryfast"
    assert value(argv_for(plan(media(), preset="medium")), "-preset") == "medium"


def test_audio_is_encoded_once_and_shared_by_every_variant() -> None:
    argv = argv_for()
    assert value(argv, "-c:a") == "aac"
    assert value(argv, "-b:a") == "128k"
    assert values(argv, "-map").count("0:1") == 1
    assert value(argv, "-var_stream_map") == (
        "v:0,agroup:aud,name:1080p v:1,agroup:aud,name:720p v:2,agroup:aud,name:480p "
        "v:3,agroup:aud,name:360p a:0,agroup:aud,name:audio"
    )


def test_video_only_source_has_no_audio_mapping() -> None:
    argv = argv_for(plan(media(audio_index=None, audio_codec=None)))
    assert "-c:a" not in argv
    assert "0:1" not in values(argv, "-map")
    assert value(argv, "-var_stream_map") == "v:0,name:1080p v:1,name:720p v:2,name:480p v:3,name:360p"


def test_hls_vod_with_fmp4_segments_by_default() -> None:
    argv = argv_for()
    assert value(argv, "-f") == "hls"
    assert value(argv, "-hls_playlist_type") == "vod"
    assert value(argv, "-hls_time") == "4"
    assert value(argv, "-hls_segment_type") == "fmp4"
    assert value(argv, "-hls_segment_filename") == f"{OUT}/%v/seg_%05d.m4s"
    assert value(argv, "-master_pl_name") == "master.m3u8"
    assert f"{OUT}/%v/index.m3u8" in argv
    assert "-hls_key_info_file" not in argv


def test_encryption_switches_to_mpegts_with_a_key_info_file() -> None:
    key = KeyInfo(key_uri="https://example.test/keys/v1", key_path=Path("/keys/v1.key"))
    argv = argv_for(encryption=key)
    assert value(argv, "-hls_segment_type") == "mpegts"
    assert value(argv, "-hls_segment_filename") == f"{OUT}/%v/seg_%05d.ts"
    assert value(argv, "-hls_key_info_file") == str(key_info_path(OUT))
    assert "-hls_fmp4_init_filename" not in argv


def test_key_info_file_lives_beside_the_output_not_inside_it() -> None:
    assert key_info_path(OUT) == Path("/media/hls/v1.partial.keyinfo")


def test_key_info_text_has_uri_path_and_optional_iv() -> None:
    key = KeyInfo("https://k.test/v1", Path("/keys/v1.key"), iv_hex="00" * 16)
    assert key_info_text(key) == f"https://k.test/v1\n/keys/v1.key\n{'00' * 16}\n"
    assert key_info_text(KeyInfo("k", Path("/keys/v1.key"))) == "k\n/keys/v1.key\n"


@pytest.mark.parametrize(
    ("key", "complaint"),
    [
        (KeyInfo("a\nb", Path("/k")), "single line"),
        (KeyInfo("k", Path("/k"), iv_hex="abc"), "32 hexadecimal"),
        (KeyInfo("k", Path("/k"), iv_hex="zz" * 16), "32 hexadecimal"),
    ],
)
def test_key_info_text_rejects_malformed_keys(key: KeyInfo, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        key_info_text(key)


def test_poster_and_storyboard_tiles_are_outputs_of_the_same_process() -> None:
    argv = argv_for()
    assert f"{OUT}/poster.jpg" in argv
    assert f"{OUT}/tile_%04d.jpg" in argv
    assert values(argv, "-fps_mode") == ["passthrough", "passthrough"]
    graph = value(argv, "-filter_complex")
    assert r"select=lt(n\,1)+gte(t\,3.0)*lt(prev_selected_t\,3.0)" in graph
    assert "fps=1/1" in graph
    assert "scale=160:90" in graph


def test_no_upscale_and_even_dimensions_in_the_graph() -> None:
    for width, height in [(1280, 720), (853, 481), (320, 240)]:
        for w, h in scales(argv_for(plan(media(width, height))))[:-2]:
            assert w <= width
            assert h <= height
            assert w % 2 == 0
            assert h % 2 == 0


def test_rotated_source_scales_to_portrait_size() -> None:
    argv = argv_for(plan(media(1920, 1080, rotation=90)))
    assert scales(argv)[0] == (1080, 1920)


def test_high_frame_rate_source_is_resampled_before_the_split() -> None:
    argv = argv_for(plan(media(fps=Fraction(60000, 1001))))
    assert value(argv, "-filter_complex").startswith("[0:0]fps=30000/1001[")
    assert "fps=" not in value(argv_for(), "-filter_complex").split("split")[0]


def test_ten_bit_source_is_converted_to_8_bit_420() -> None:
    argv = argv_for(plan(media(pix_fmt="yuv420p10le", bit_depth=10)))
    assert "format=yuv420p[" in value(argv, "-filter_complex")


def test_output_dir_with_percent_is_refused() -> None:
    with pytest.raises(ValueError, match="must not contain '%'"):
        build_argv(plan(media()), SRC, Path("/media/100%"))


def test_source_path_with_colon_and_dash_stays_a_local_file() -> None:
    argv = build_argv(plan(media()), Path("/up/-x:y 日本.mp4"), OUT)
    assert value(argv, "-i") == "file:/up/-x:y 日本.mp4"

"""The one ffmpeg command that turns a source into the whole HLS ladder plus thumbnails. Pure.

Layout under the output directory (every name matches ``[A-Za-z0-9_.-]+``, one directory level):

    master.m3u8  poster.jpg  storyboard.jpg  thumbnails.vtt  (tile_0001.jpg ...: removed once assembled)
    <rendition>/index.m3u8  <rendition>/init_<n>.mp4  <rendition>/seg_00000.m4s ...   (fMP4)
    <rendition>/index.m3u8  <rendition>/seg_00000.ts ...                              (TS, encrypted)
    audio/index.m3u8  audio/...                                                       (when there is audio)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from transcoder.plan import Plan, Rendition
from transcoder.runner import FFMPEG_BASE
from transcoder.thumbnails import POSTER_NAME, TILE_PATTERN, image_output_options, poster_filters, tile_filters

MASTER_NAME = "master.m3u8"
PLAYLIST_NAME = "index.m3u8"
AUDIO_NAME = "audio"
AUDIO_GROUP = "aud"
Stream = Any  # ffmpeg-python's untyped stream objects
FilterChain = Iterable[tuple[str, tuple[Any, ...], dict[str, Any]]]


@dataclass(frozen=True)
class KeyInfo:
    """AES-128 encryption for the ladder: players fetch the key from `key_uri`; ffmpeg reads `key_path`
    (16 raw bytes). Without `iv_hex` (32 hex digits) each segment's IV is its sequence number."""

    key_uri: str
    key_path: Path
    iv_hex: str | None = None


def build_argv(plan: Plan, src: Path, out_dir: Path, *, encryption: KeyInfo | None = None) -> list[str]:
    """argv for ONE ffmpeg process writing the ladder, the poster and the storyboard tiles into `out_dir`.

    fMP4 segments by default; MPEG-TS when `encryption` is given (ffmpeg 5.1 cannot encrypt fMP4 HLS).
    With encryption, the caller must write `key_info_text(encryption)` to `key_info_path(out_dir)`.
    Raises ValueError when `out_dir` contains '%' (ffmpeg would read it as a filename pattern).
    """
    out = _output_dir(out_dir)
    source = _input(src)
    split = _decoded(source, plan).filter_multi_output("split")
    streams = _cascade(split[0], plan.renditions)
    if plan.audio_index is not None:
        streams.append(source[str(plan.audio_index)])
    hls = ffmpeg.output(*streams, str(out / "%v" / PLAYLIST_NAME), **hls_options(plan, out, encryption))
    outputs = [hls, *_thumbnail_outputs(split[1], split[2], plan, out)]
    return list(ffmpeg.merge_outputs(*outputs).compile(cmd=list(FFMPEG_BASE)))


def hls_options(plan: Plan, out: Path, encryption: KeyInfo | None) -> dict[str, Any]:
    """Output options of the HLS muxer: x264 per rendition, one shared AAC track, segmenting."""
    options: dict[str, Any] = {
        "format": "hls",
        "c:v": "libx264",
        "preset": plan.preset,
        "profile:v": "high",
        "g": plan.gop_frames,
        "sc_threshold": 0,
        "force_key_frames": f"expr:gte(t,n_forced*{plan.keyframe_seconds})",
        **_rate_control(plan.renditions),
        **_segmenting(plan, out, encrypted=encryption is not None),
        "var_stream_map": var_stream_map(plan),
    }
    if plan.audio_bitrate_kbps is not None:
        options.update({"c:a": "aac", "b:a": f"{plan.audio_bitrate_kbps}k", "ac": 2})
    if encryption is not None:
        options["hls_key_info_file"] = str(key_info_path(out))
    return options


def var_stream_map(plan: Plan) -> str:
    """One variant per rendition; with audio, all of them reference the single shared audio rendition."""
    group = f",agroup:{AUDIO_GROUP}" if plan.audio_index is not None else ""
    variants = [f"v:{i}{group},name:{r.name}" for i, r in enumerate(plan.renditions)]
    if plan.audio_index is not None:
        variants.append(f"a:0{group},name:{AUDIO_NAME}")
    return " ".join(variants)


def key_info_path(out_dir: Path) -> Path:
    """Where ffmpeg reads the key info from: beside `out_dir`, never inside what gets published."""
    out = out_dir.resolve()
    return out.parent / f"{out.name}.keyinfo"


def key_info_text(key: KeyInfo) -> str:
    """The ``-hls_key_info_file`` contents. Raises ValueError for a multi-line URI or a malformed IV."""
    if "\n" in key.key_uri or "\r" in key.key_uri:
        raise ValueError("key_uri must be a single line")
    lines = [key.key_uri, str(key.key_path.resolve())]
    if key.iv_hex is not None:
        iv = key.iv_hex.removeprefix("0x")
        if len(iv) != 32 or any(c not in "0123456789abcdefABCDEF" for c in iv):
            raise ValueError("iv_hex must be 32 hexadecimal digits")
        lines.append(iv)
    return "\n".join(lines) + "\n"


def _output_dir(out_dir: Path) -> Path:
    out = Path(out_dir).resolve()
    if "%" in str(out):
        raise ValueError(f"output directory {out} must not contain '%'")
    return out


def _input(src: Path) -> Stream:
    # "file:" + an absolute path: a name such as "x:y.mp4" or "-i.mp4" stays a plain local file.
    return ffmpeg.input(f"file:{Path(src).resolve()}", protocol_whitelist="file")


def _decoded(source: Stream, plan: Plan) -> Stream:
    stream = source[str(plan.video_index)]
    if plan.fps_cap is not None:
        stream = stream.filter("fps", str(plan.fps_cap))
    return stream.filter("format", "yuv420p")  # 8-bit 4:2:0: what browsers decode in H.264


def _cascade(stream: Stream, renditions: tuple[Rendition, ...]) -> list[Stream]:
    """Scale tallest first, each smaller rendition from the previous one: less work for the one
    filter thread than scaling every rendition from the full-size source."""
    outputs: list[Stream] = []
    current = stream
    for rendition in renditions[:-1]:
        pair = _chain(current, [_scale(rendition), ("setsar", ("1",), {})]).filter_multi_output("split")
        outputs.append(pair[0])
        current = pair[1]
    outputs.append(_chain(current, [_scale(renditions[-1]), ("setsar", ("1",), {})]))
    return outputs


def _scale(rendition: Rendition) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
    return ("scale", (rendition.width, rendition.height), {})


def _chain(stream: Stream, filters: FilterChain) -> Stream:
    for name, args, kwargs in filters:
        stream = stream.filter(name, *args, **kwargs)
    return stream


def _thumbnail_outputs(poster: Stream, tiles: Stream, plan: Plan, out: Path) -> list[Stream]:
    poster_out = _chain(poster, poster_filters(plan.poster))
    tiles_out = _chain(tiles, tile_filters(plan.storyboard))
    return [
        poster_out.output(str(out / POSTER_NAME), **image_output_options(overwrite=True)),
        tiles_out.output(str(out / TILE_PATTERN), **image_output_options(overwrite=False)),
    ]


def _rate_control(renditions: tuple[Rendition, ...]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for i, r in enumerate(renditions):
        options[f"b:v:{i}"] = f"{r.video_bitrate_kbps}k"
        options[f"maxrate:v:{i}"] = f"{r.maxrate_kbps}k"
        options[f"bufsize:v:{i}"] = f"{r.bufsize_kbps}k"
    return options


def _segmenting(plan: Plan, out: Path, *, encrypted: bool) -> dict[str, Any]:
    extension = "ts" if encrypted else "m4s"
    options: dict[str, Any] = {
        "hls_time": plan.segment_seconds,
        "hls_playlist_type": "vod",
        "hls_flags": "independent_segments",
        "hls_segment_type": "mpegts" if encrypted else "fmp4",
        "hls_segment_filename": str(out / "%v" / f"seg_%05d.{extension}"),
        "master_pl_name": MASTER_NAME,
    }
    if not encrypted:
        options["hls_fmp4_init_filename"] = "init.mp4"
    return options

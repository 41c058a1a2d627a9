"""Pure media pipeline: probe, validate, plan a ladder, build and run one ffmpeg command, publish.

Imports nothing from `streamer`; the worker passes plain values in and gets dataclasses and callbacks out.
"""

from __future__ import annotations

from transcoder.command import KeyInfo, build_argv, key_info_path, key_info_text
from transcoder.errors import InvalidMedia, TranscodeError
from transcoder.ladder import AUDIO_BITRATE_KBPS, DEFAULT_LADDER, Rung, format_ladder, parse_ladder
from transcoder.plan import X264_PRESETS, Plan, Rendition, plan
from transcoder.probe import MediaInfo, probe
from transcoder.publish import Result, Variant, transcode
from transcoder.runner import Progress, run, run_async
from transcoder.validate import Limits, check_tail, validate

__all__ = [
    "AUDIO_BITRATE_KBPS",
    "DEFAULT_LADDER",
    "X264_PRESETS",
    "InvalidMedia",
    "KeyInfo",
    "Limits",
    "MediaInfo",
    "Plan",
    "Progress",
    "Rendition",
    "Result",
    "Rung",
    "TranscodeError",
    "Variant",
    "build_argv",
    "check_tail",
    "format_ladder",
    "key_info_path",
    "key_info_text",
    "parse_ladder",
    "plan",
    "probe",
    "run",
    "run_async",
    "transcode",
    "validate",
]

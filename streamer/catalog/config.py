"""The pipeline's settings, gathered once into one value the uploads, ingest and worker code take."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from streamer.catalog.layout import MediaLayout
from streamer.settings import Settings
from transcoder.ladder import Rung, parse_ladder
from transcoder.validate import Limits


@dataclass(frozen=True)
class PipelineConfig:
    layout: MediaLayout
    max_upload_size: int
    upload_expiry: timedelta
    limits: Limits
    ladder: tuple[Rung, ...]
    x264_preset: str
    lease_seconds: float
    max_attempts: int
    backoff_seconds: float
    poll_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> PipelineConfig:
        """Settings has already checked the ladder and the preset."""
        return cls(
            layout=MediaLayout(settings.media_root),
            max_upload_size=settings.tus_max_size,
            upload_expiry=timedelta(hours=settings.upload_expiry_hours),
            limits=Limits(
                max_duration_seconds=settings.max_duration_seconds,
                max_width=settings.max_width,
                max_height=settings.max_height,
            ),
            ladder=parse_ladder(settings.ladder),
            x264_preset=settings.x264_preset,
            lease_seconds=settings.worker_lease_seconds,
            max_attempts=settings.worker_max_attempts,
            backoff_seconds=settings.worker_retry_backoff_seconds,
            poll_seconds=settings.worker_poll_seconds,
        )

    def retry_delay(self, attempts: int) -> float:
        """Seconds before retry number `attempts` (1 after the first failure): base, 2×base, 4×base, …"""
        return float(self.backoff_seconds * 2 ** max(0, attempts - 1))

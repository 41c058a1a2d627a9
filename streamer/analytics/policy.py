"""The ingest rules' numbers, read once from Settings."""

from __future__ import annotations

from dataclasses import dataclass

from streamer.settings import Settings


@dataclass(frozen=True)
class IngestPolicy:
    heartbeat_interval: float = 10.0
    token_lifetime_ms: int = 12 * 3600 * 1000
    min_spacing: float = 2.0
    ip_rate: float = 20.0
    ip_burst: int = 60
    max_playback_rate: float = 2.0
    slack_ms: int = 5000
    raw_ttl_seconds: int = 30 * 86400

    @classmethod
    def from_settings(cls, settings: Settings) -> IngestPolicy:
        return cls(
            heartbeat_interval=settings.analytics_heartbeat_interval,
            token_lifetime_ms=int(settings.analytics_view_token_hours * 3600 * 1000),
            min_spacing=settings.analytics_min_beat_spacing,
            ip_rate=settings.analytics_ip_rate,
            ip_burst=settings.analytics_ip_burst,
            max_playback_rate=settings.analytics_max_playback_rate,
            slack_ms=int(settings.analytics_slack_seconds * 1000),
            raw_ttl_seconds=settings.analytics_raw_ttl_days * 86400,
        )

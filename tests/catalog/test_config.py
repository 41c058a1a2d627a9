from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from streamer.catalog.config import PipelineConfig
from streamer.settings import SettingsError, load_settings


def test_defaults_make_the_four_rung_ladder_and_20_gib_uploads() -> None:
    config = PipelineConfig.from_settings(load_settings({}))
    assert [rung.name for rung in config.ladder] == ["1080p", "720p", "480p", "360p"]
    assert config.max_upload_size == 20 * 1024**3
    assert config.upload_expiry == timedelta(hours=24)
    assert config.layout.root == Path("data/media")


def test_retries_back_off_exponentially_from_the_base() -> None:
    config = PipelineConfig.from_settings(load_settings({"STREAMER_WORKER_RETRY_BACKOFF_SECONDS": "30"}))
    assert [config.retry_delay(attempt) for attempt in (1, 2, 3, 4)] == [30, 60, 120, 240]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STREAMER_LADDER": "1080:5000,1080:3000"}, "STREAMER_LADDER: ladder lists height 1080 more than once"),
        ({"STREAMER_X264_PRESET": "turbo"}, "STREAMER_X264_PRESET: unknown x264 preset 'turbo'"),
        ({"STREAMER_WORKER_LEASE_SECONDS": "1"}, "STREAMER_WORKER_LEASE_SECONDS: "),
    ],
)
def test_bad_pipeline_settings_are_named_in_one_line(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    assert str(caught.value).startswith(message)

"""Expired uploads are removed by the sweep, with their bytes; orphaned bytes too, once old."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from streamer.catalog.config import PipelineConfig
from streamer.catalog.uploads import EXPIRED_REASON, cleanup_expired, create_upload
from streamer.storage.base import Store
from streamer.storage.records import VideoStatus, new_id
from tests.conftest import settings_for


async def test_the_sweep_removes_expired_uploads_and_old_orphans_only(store: Store, tmp_path: Path) -> None:
    config = PipelineConfig.from_settings(settings_for("sqlite", tmp_path))
    short = replace(config, upload_expiry=timedelta(seconds=-1))
    expired = await create_upload(store, short, new_id(), 100, "")
    live = await create_upload(store, config, new_id(), 100, "")
    old_orphan, new_orphan = config.layout.upload_part(new_id()), config.layout.upload_part(new_id())
    old_orphan.touch()
    new_orphan.touch()
    a_day_ago = time.time() - 2 * 86400
    os.utime(old_orphan, (a_day_ago, a_day_ago))

    assert await cleanup_expired(store, config) == 2

    assert sorted(path.name for path in config.layout.uploads_dir.iterdir()) == sorted(
        [f"{live.id}.part", new_orphan.name]
    )
    assert await store.uploads.get(expired.id) is None
    video = await store.videos.get(expired.id)
    assert video is not None
    assert (video.status, video.error) == (VideoStatus.FAILED, EXPIRED_REASON)

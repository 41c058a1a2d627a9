"""Applying delivery settings: render → `nginx -t` → swap → reload, with a history to roll back to.

A config that fails `nginx -t` is never swapped in: the active nginx.conf, the stored overrides and the running
nginx all stay as they were, and the caller gets nginx's own complaint.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from streamer.delivery import nginx, tunables
from streamer.delivery.render import NginxLayout, render
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.storage.delivery import DeliveryConfigRecord
from streamer.storage.errors import NotFound
from streamer.storage.records import new_id, utcnow


class ConfigRejected(Exception):
    """nginx -t refused the rendered config; the message is nginx's error."""


@dataclass(frozen=True)
class Applied:
    config: DeliveryConfigRecord
    history_file: Path
    reloaded: bool
    reload_error: str = ""


async def stored_settings(settings: Settings, store: Store) -> Settings:
    """Settings with the overrides in force."""
    return tunables.effective(settings, await store.delivery.get_overrides())


async def check(settings: Settings, overrides: Mapping[str, str]) -> str:
    """Render with `overrides` and run `nginx -t` on it without touching the active config; returns the text.

    Raises InvalidDeliverySetting or ConfigRejected.
    """
    layout = NginxLayout.for_settings(settings)
    text = render(tunables.effective(settings, overrides), layout)
    candidate = layout.prefix / f"nginx.conf.candidate-{new_id()[:12]}"
    layout.prepare()
    candidate.write_text(text)
    try:
        await asyncio.to_thread(nginx.check, settings.nginx_bin, layout, candidate)
    except nginx.NginxError as error:
        raise ConfigRejected(error.stderr or str(error)) from None
    finally:
        candidate.unlink(missing_ok=True)
    return text


async def install(settings: Settings, store: Store) -> Path:
    """Render the stored settings into the active nginx.conf after `nginx -t` (what `streamer run` starts on).

    Raises ConfigRejected; the previous nginx.conf then stays.
    """
    text = await check(settings, await store.delivery.get_overrides())
    layout = NginxLayout.for_settings(settings)
    _swap(layout, text)
    return layout.conf


async def apply(settings: Settings, store: Store, overrides: Mapping[str, str], author: str, note: str = "") -> Applied:
    """Make `overrides` (replacing all earlier ones) the delivery settings in force and reload nginx.

    Raises InvalidDeliverySetting or ConfigRejected, in which case nothing changed.
    """
    text = await check(settings, overrides)
    kept = tunables.cleaned(overrides)
    layout = NginxLayout.for_settings(settings)
    record = DeliveryConfigRecord(
        id=new_id(),
        created_at=utcnow(),
        author=author,
        overrides=json.dumps(kept, sort_keys=True),
        checksum=hashlib.sha256(text.encode()).hexdigest(),
        note=note,
    )
    history_file = layout.history / f"{record.created_at:%Y%m%dT%H%M%S}-{record.id[:12]}.conf"
    history_file.write_text(text)
    _swap(layout, text)
    await store.delivery.record_applied(kept, record)
    reloaded, reload_error = await _reload(settings, layout)
    return Applied(record, history_file, reloaded, reload_error)


async def rollback(settings: Settings, store: Store, config_id: str, author: str) -> Applied:
    """Apply again the overrides of an earlier config (against today's Settings). Raises NotFound."""
    config = await store.delivery.get_config(config_id)
    if config is None:
        raise NotFound(f"delivery config {config_id}")
    overrides: dict[str, str] = json.loads(config.overrides)
    return await apply(settings, store, overrides, author, note=f"rollback to {config.id[:12]}")


async def reload(settings: Settings, store: Store) -> bool:
    """Re-render the stored settings, swap after `nginx -t`, and reload a running nginx. Raises ConfigRejected."""
    await install(settings, store)
    reloaded, error = await _reload(settings, NginxLayout.for_settings(settings))
    if error:
        raise ConfigRejected(error)
    return reloaded


def _swap(layout: NginxLayout, text: str) -> None:
    """Replace the active config in one rename, so nginx never reads half a file."""
    staged = layout.prefix / f".nginx.conf.{new_id()[:12]}"
    staged.write_text(text)
    os.replace(staged, layout.conf)


async def _reload(settings: Settings, layout: NginxLayout) -> tuple[bool, str]:
    try:
        return await asyncio.to_thread(nginx.reload, settings.nginx_bin, layout), ""
    except nginx.NginxError as error:
        return False, str(error)

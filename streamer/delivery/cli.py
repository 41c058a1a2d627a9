"""`streamer nginx …` and `streamer sign`: thin commands over streamer.delivery."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import click

from streamer import signing
from streamer.cli import main, settings, with_store
from streamer.delivery import apply as applying
from streamer.delivery import links, tunables
from streamer.delivery.nginx import NginxError
from streamer.delivery.render import NginxLayout, render
from streamer.launcher import LaunchError, run
from streamer.storage.base import Store
from streamer.storage.errors import NotFound
from transcoder import InvalidMedia, TranscodeError

F = TypeVar("F", bound=Callable[..., Any])
CLI_AUTHOR = "cli"


def reports_errors(command: F) -> F:
    """Delivery errors become one line and exit status 1 (nginx's complaint included)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (tunables.InvalidDeliverySetting, applying.ConfigRejected, NginxError, signing.InvalidLink) as error:
            raise click.ClickException(str(error)) from None

    return run  # type: ignore[return-value]


@click.group(name="nginx")
def nginx_group() -> None:
    """nginx: render, check, reload and tune the delivery config."""


@nginx_group.command(name="render")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the config instead of installing it.")
@reports_errors
def render_command(to_stdout: bool) -> None:
    """Render the effective config; install it as the active nginx.conf after `nginx -t`."""
    if to_stdout:
        current = with_store(lambda store: applying.stored_settings(settings(), store))
        click.echo(render(current, NginxLayout.for_settings(current)), nl=False)
        return
    path = with_store(lambda store: applying.install(settings(), store))
    click.echo(f"rendered and checked {path}")


@nginx_group.command(name="check")
@reports_errors
def check_command() -> None:
    """Render the effective config and run `nginx -t` on it; the active config is not touched."""
    with_store(lambda store: _check_stored(store))
    click.echo("nginx: configuration is valid")


async def _check_stored(store: Store) -> str:
    return await applying.check(settings(), await store.delivery.get_overrides())


@nginx_group.command(name="reload")
@reports_errors
def reload_command() -> None:
    """Re-render, check, swap and reload a running nginx."""
    reloaded = with_store(lambda store: applying.reload(settings(), store))
    click.echo("nginx reloaded" if reloaded else "config installed; nginx is not running")


@nginx_group.command(name="settings")
def settings_command() -> None:
    """The delivery settings in force; `*` marks an admin's override."""

    async def describe(store: Store) -> list[tunables.Tunable]:
        return tunables.describe(settings(), await store.delivery.get_overrides())

    for item in with_store(describe):
        click.echo(f"{'*' if item.overridden else ' '} {item.name}={item.value}")


@nginx_group.command(name="apply")
@click.argument("assignments", nargs=-1, metavar="NAME=VALUE…")
@click.option("--reset", multiple=True, metavar="NAME", help="Drop an override (back to the configured value).")
@reports_errors
def apply_command(assignments: tuple[str, ...], reset: tuple[str, ...]) -> None:
    """Change delivery settings: render → nginx -t → swap → reload, recorded in the history."""
    changes = dict(_assignment(text) for text in assignments)

    async def run(store: Store) -> applying.Applied:
        merged = await store.delivery.get_overrides() | changes
        for name in reset:
            merged.pop(name, None)
        return await applying.apply(settings(), store, merged, CLI_AUTHOR)

    _report(with_store(run))


@nginx_group.command(name="history")
@click.option("--limit", default=20, show_default=True)
def history_command(limit: int) -> None:
    """Applied configs, newest first."""
    for config in with_store(lambda store: store.delivery.history(limit)):
        note = f"  ({config.note})" if config.note else ""
        when = f"{config.created_at:%Y-%m-%d %H:%M:%S}"
        click.echo(f"{config.id[:12]}  {when}  {config.author:<12} {config.overrides}{note}")


@nginx_group.command(name="rollback")
@click.argument("config_id")
@reports_errors
def rollback_command(config_id: str) -> None:
    """Apply again the settings of an earlier config (an id or its first 12 characters)."""

    async def run(store: Store) -> applying.Applied:
        matches = [c.id for c in await store.delivery.history(1000) if c.id.startswith(config_id)]
        if len(matches) != 1:
            raise NotFound(f"delivery config {config_id} ({len(matches)} match)")
        return await applying.rollback(settings(), store, matches[0], CLI_AUTHOR)

    _report(with_store(run))


def _assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep:
        raise click.BadParameter(f"{text!r} is not NAME=VALUE")
    return name.strip(), value


def _report(applied: applying.Applied) -> None:
    click.echo(f"applied {applied.config.id[:12]}: {applied.config.overrides}")
    if applied.reload_error:
        click.echo(f"reload failed: {applied.reload_error}", err=True)
    else:
        click.echo("nginx reloaded" if applied.reloaded else "nginx is not running; the next start uses it")


@click.command(name="sign")
@click.argument("video_id")
@click.option("--ttl", type=int, help="Seconds the link lives (default: the playback lifetime for the video).")
@click.option("--ip", "client_ip", help="Bind to this client address (needed when links are IP-bound).")
@reports_errors
def sign_command(video_id: str, ttl: int | None, client_ip: str | None) -> None:
    """Print a signed master playlist URL for operators."""

    async def run(store: Store) -> tuple[str, str]:
        current = await applying.stored_settings(settings(), store)
        video = await store.videos.get(video_id)
        if video is None:
            raise NotFound(f"no video {video_id} in the database")
        if current.link_bind_ip != (client_ip is not None):
            needed = "links are IP-bound: pass --ip" if current.link_bind_ip else "links are not IP-bound: drop --ip"
            raise signing.InvalidLink(needed)
        now = time.time()
        expires = int(now + ttl) if ttl else links.expiry(current, video.duration, now)
        prefix = signing.signed_prefix(video_id, expires, signing.link_secret(current.secret_key), client_ip)
        return links.public_base(current) + prefix + links.MASTER, datetime.fromtimestamp(expires, UTC).isoformat()

    url, until = with_store(run)
    click.echo(url)
    click.echo(f"expires {until}", err=True)


@click.command(name="run")
@click.option("--no-demo", is_flag=True, help="Do not create the demo admin and video.")
def run_command(no_demo: bool) -> None:
    """Everything on this machine: migrate, nginx + app + worker, a demo admin and video. Ctrl-C stops it."""
    try:
        status = run(settings(), click.echo, with_demo=not no_demo, with_worker="worker" in main.commands)
    except (LaunchError, applying.ConfigRejected, TranscodeError, InvalidMedia) as error:
        raise click.ClickException(str(error)) from None
    raise SystemExit(status)

"""The `streamer` command: thin click commands over functions that live elsewhere."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from streamer.settings import Settings, SettingsError, load_settings
from streamer.storage import open_store
from streamer.storage.base import Store
from streamer.storage.errors import StoreError

T = TypeVar("T")


class StreamerGroup(click.Group):
    """Turns configuration and storage errors into one clear line and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (SettingsError, StoreError) as error:
            click.echo(f"streamer: {error}", err=True)
            sys.exit(2)


def settings() -> Settings:
    return load_settings()


def with_store(action: Callable[[Store], Awaitable[T]]) -> T:
    async def run() -> T:
        store = await open_store(settings())
        try:
            return await action(store)
        finally:
            await store.close()

    return asyncio.run(run())


@click.group(cls=StreamerGroup)
def main() -> None:
    """streamer: a self-hosted video streaming server."""


@main.command()
@click.option("--host", help="Address to listen on (default: STREAMER_HOST).")
@click.option("--port", type=int, help="Port to listen on (default: STREAMER_PORT).")
def serve(host: str | None, port: int | None) -> None:
    """Run the web app (uvicorn)."""
    from streamer.server import serve as run_server

    run_server(settings(), host=host, port=port)


@main.group()
def db() -> None:
    """Database schema."""


@db.command()
def migrate() -> None:
    """Apply pending migrations (idempotent)."""
    applied = with_store(lambda store: store.migrate())
    click.echo(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))


@db.command()
def status() -> None:
    """List applied and pending migrations; exit 1 when some are pending."""
    state = with_store(lambda store: store.migration_status())
    for name in state.applied:
        click.echo(f"applied  {name}")
    for name in state.pending:
        click.echo(f"pending  {name}")
    if state.pending:
        sys.exit(1)


@main.command(name="settings")
def show_settings() -> None:
    """Print the effective settings, secrets masked."""
    for name, value in settings().masked().items():
        click.echo(f"{name}={value}")


from streamer.worker.cli import register as register_pipeline  # noqa: E402

register_pipeline(main)

from streamer.delivery.cli import nginx_group, run_command, sign_command  # noqa: E402 - after main exists

main.add_command(nginx_group)
main.add_command(sign_command)
main.add_command(run_command)

from streamer.accounts.cli import users  # noqa: E402

main.add_command(users)

from streamer.memberships.cli import commands as membership_commands  # noqa: E402

for command in membership_commands:
    main.add_command(command)

from streamer.analytics.cli import analytics  # noqa: E402

main.add_command(analytics)

"""`streamer analytics …`: thin commands over streamer.analytics."""

from __future__ import annotations

from datetime import date

import click

from streamer.analytics.rollup import recent_days, rollup
from streamer.storage.records import utcnow


def _day(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    try:
        return [date.fromisoformat(value).isoformat() for value in values]
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@click.group()
def analytics() -> None:
    """Player analytics."""


@analytics.command(name="rollup")
@click.option("--day", "days", multiple=True, callback=_day, help="A day (YYYY-MM-DD, UTC) to redo; repeatable.")
@click.option("--back", default=1, show_default=True, help="Without --day: today and this many days before.")
def rollup_command(days: list[str], back: int) -> None:
    """Recompute daily stats, retention and member progress from the stored views and heartbeats.

    Safe to rerun: each video's day is replaced whole.
    """
    from streamer.cli import settings, with_store

    config = settings()
    chosen = days or recent_days(utcnow(), back)
    report = with_store(lambda store: rollup(store, chosen, config.analytics_raw_ttl_days))
    click.echo(report.line())

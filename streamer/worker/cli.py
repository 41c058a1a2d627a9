"""`streamer worker`, `streamer jobs list|retry`, `streamer videos add`, `streamer transcode`: thin click
commands over the catalog, the worker and the transcoder."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from pathlib import Path

import click

from streamer.catalog.cli import find_owner, videos
from streamer.catalog.config import PipelineConfig
from streamer.catalog.ingest import ingest_file
from streamer.catalog.videos import retry_job
from streamer.cli import settings, with_store
from streamer.storage import open_migrated_store
from streamer.storage.base import Store
from streamer.storage.errors import NotFound
from streamer.worker.loop import RollupSchedule, Worker
from transcoder.errors import InvalidMedia, TranscodeError
from transcoder.publish import transcode as run_transcode
from transcoder.runner import Progress


def pipeline_config() -> PipelineConfig:
    return PipelineConfig.from_settings(settings())


@click.command()
@click.option("--until-idle", is_flag=True, help="Exit once no job is waiting (for scripts and tests).")
def worker(until_idle: bool) -> None:
    """Process transcode jobs and run the analytics rollup every STREAMER_ANALYTICS_ROLLUP_INTERVAL seconds,
    until SIGTERM or SIGINT (a job in progress goes back to the queue)."""
    config, current = pipeline_config(), settings()
    logging.basicConfig(level=current.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    async def main() -> None:
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stopping.set)
        store = await open_migrated_store(current)
        try:
            schedule = RollupSchedule(current.analytics_rollup_interval, current.analytics_raw_ttl_days)
            await Worker(store, config, rollup=schedule).run(stopping, until_idle=until_idle)
        finally:
            await store.close()

    asyncio.run(main())


@click.group()
def jobs() -> None:
    """The transcode job queue."""


@jobs.command(name="list")
@click.option("--limit", default=50, show_default=True, help="How many jobs, newest first.")
def list_jobs(limit: int) -> None:
    """Show jobs: id, state, attempts, video, lease holder, last error."""
    for job in with_store(lambda store: store.jobs.list_all(limit)):
        lease = f"{job.lease_owner} until {job.lease_expires_at:%H:%M:%S}" if job.lease_expires_at else "-"
        click.echo(
            f"{job.id}  {job.state:<7}  {job.attempts}/{job.max_attempts}  video {job.video_id}  "
            f"{job.created_at:%Y-%m-%d %H:%M}  {lease}  {job.last_error}".rstrip()
        )


@jobs.command(name="retry")
@click.argument("job_id")
def retry(job_id: str) -> None:
    """Queue JOB_ID again now with a fresh attempt budget."""
    try:
        job = with_store(lambda store: retry_job(store, job_id))
    except NotFound:
        raise click.ClickException(f"no job {job_id}") from None
    click.echo(f"job {job.id} queued (video {job.video_id})")


@videos.command(name="add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", default="", help="Title (default: the file name).")
@click.option("--owner", "owner_email", default="", help="Owner's email (default: the only instructor or admin).")
def add_video(file: Path, title: str, owner_email: str) -> None:
    """Ingest a file on this server through the same pipeline as an upload."""
    config = pipeline_config()

    async def add(store: Store) -> str:
        owner = await find_owner(store, owner_email)
        video = await ingest_file(store, config, file, title, owner.id)
        note = f": {video.error}" if video.error else ""
        return f"video {video.id} {video.status}{note}"

    click.echo(with_store(add))


@click.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(path_type=Path))
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
def transcode(input_file: Path, outdir: Path, quiet: bool) -> None:
    """Transcode INPUT into an HLS ladder in OUTDIR with the configured settings (no database)."""
    config = pipeline_config()
    shown: list[float] = []

    def show(progress: Progress) -> None:
        if not quiet:
            shown.append(progress.percent)
            click.echo(f"\r{progress.percent:5.1f} %  speed {progress.speed or 0:.2f}x", nl=False, err=True)

    try:
        result = asyncio.run(
            run_transcode(
                input_file,
                outdir,
                ladder=config.ladder,
                limits=config.limits,
                on_progress=show,
                preset=config.x264_preset,
            )
        )
    except (InvalidMedia, TranscodeError, OSError, ValueError) as error:
        message = error.message if isinstance(error, InvalidMedia) else str(error)
        click.echo(("\n" if shown else "") + f"streamer transcode: {message}", err=True)
        sys.exit(1)
    if shown:
        click.echo("", err=True)
    names = ", ".join(f"{v.name} {v.width}x{v.height}" for v in result.renditions)
    click.echo(f"{result.master} ({result.duration:.1f} s; {names})")


def register(group: click.Group) -> None:
    for command in (worker, jobs, videos, transcode):
        group.add_command(command)

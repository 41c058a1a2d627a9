"""The pipeline's commands, run as a user would through click."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner

from streamer.cli import main
from streamer.settings import load_settings
from streamer.storage import open_store
from streamer.storage.records import UserRecord, new_id, utcnow
from tests.media import make
from tests.worker.conftest import FAST


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environ = {"STREAMER_ENV": "test", "STREAMER_DATA_DIR": str(tmp_path / "data"), **FAST}
    asyncio.run(_migrate_with_admin(environ))
    return environ


async def _migrate_with_admin(environ: dict[str, str]) -> None:
    store = await open_store(load_settings(environ))
    await store.migrate()
    now = utcnow()
    await store.users.create(
        UserRecord(new_id(), "Ops@Example.org", "ops@example.org", "-", "Ops", "admin", True, now, now)
    )
    await store.close()


def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_videos_add_then_worker_then_jobs_list_shows_it_done(env: dict[str, str], tmp_path: Path) -> None:
    source = make(tmp_path / "src", "small.mp4")
    code, out, _ = run(env, "videos", "add", str(source), "--title", "Welcome")
    assert code == 0
    assert out.rstrip().endswith("queued")
    assert run(env, "worker", "--until-idle")[0] == 0
    code, out, _ = run(env, "jobs", "list")
    assert code == 0
    assert " done " in out
    assert "1/2" in out


def test_videos_add_of_a_file_that_is_no_video_says_why(env: dict[str, str], tmp_path: Path) -> None:
    code, out, _ = run(env, "videos", "add", str(make(tmp_path / "src", "text.mp4")), "--owner", "ops@example.org")
    assert code == 0
    assert out.rstrip().endswith("failed: This file is not a video we can read")


def test_videos_add_names_an_unknown_owner(env: dict[str, str], tmp_path: Path) -> None:
    code, _, err = run(env, "videos", "add", str(make(tmp_path / "src", "small.mp4")), "--owner", "x@y.z")
    assert (code, err.strip()) == (1, "Error: no user with the address x@y.z")


def test_jobs_retry_requeues_and_an_unknown_job_is_one_line(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "videos", "add", str(make(tmp_path / "src", "small.mp4")))
    job_id = run(env, "jobs", "list")[1].split()[0]
    code, out, _ = run(env, "jobs", "retry", job_id)
    assert (code, out.startswith(f"job {job_id} queued")) == (0, True)
    code, _, err = run(env, "jobs", "retry", "f" * 32)
    assert (code, err.strip()) == (1, f"Error: no job {'f' * 32}")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("text.mp4", "streamer transcode: This file is not a video we can read"),
        ("empty.mp4", "streamer transcode: This file is empty"),
        ("truncated.mp4", "streamer transcode: The file ends early — please upload it again"),
    ],
)
def test_transcode_exits_non_zero_with_one_line_on_bad_input(
    env: dict[str, str], tmp_path: Path, name: str, reason: str
) -> None:
    code, out, err = run(env, "transcode", str(make(tmp_path / "src", name)), str(tmp_path / "out"))
    assert (code, out, err.strip()) == (1, "", reason)
    assert not (tmp_path / "out").exists()


def test_transcode_writes_a_ladder_without_a_database(tmp_path: Path) -> None:
    env = {"STREAMER_DATA_DIR": str(tmp_path / "nowhere"), **FAST}
    code, out, _ = run(env, "transcode", "--quiet", str(make(tmp_path / "src", "small.mp4")), str(tmp_path / "out"))
    assert code == 0
    assert out.startswith(str(tmp_path / "out" / "master.m3u8"))
    assert not (tmp_path / "nowhere").exists()


def test_a_bad_ladder_setting_is_one_line(tmp_path: Path) -> None:
    env = {"STREAMER_DATA_DIR": str(tmp_path), "STREAMER_LADDER": "720p"}
    code, _, err = run(env, "worker", "--until-idle")
    assert code == 2
    assert err == "streamer: STREAMER_LADDER: ladder entry '720p' is not HEIGHT:KBPS (for example 720:2800)\n"

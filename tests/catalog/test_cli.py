"""`streamer videos add-url` against a real SQLite file."""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import CliRunner

from streamer.cli import main
from streamer.storage import open_store
from streamer.storage.records import VideoRecord
from tests.conftest import TEST_PASSWORD, settings_for


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, input=stdin)
    return result.exit_code, result.output


def with_user(env: dict[str, str], role: str, email: str) -> None:
    """A real account, made as an operator does: `streamer users create`."""
    code, output = run(env, "users", "create", email, "--role", role, stdin=TEST_PASSWORD + "\n")
    assert code == 0, output


async def _videos(data_dir: Path) -> list[VideoRecord]:
    store = await open_store(settings_for("sqlite", data_dir))
    users = await store.users.list_all()
    found = [video for user in users for video in await store.videos.list_by_owner(user.id)]
    await store.close()
    return found


def test_add_url_stores_a_normalised_external_video(tmp_path: Path) -> None:
    env = {"STREAMER_DATA_DIR": str(tmp_path)}
    assert run(env, "db", "migrate")[0] == 0
    with_user(env, "instructor", "teach@example.org")
    code, output = run(env, "videos", "add-url", "https://vimeo.com/76979871/8c5c9f1d2e", "--title", "Private")
    assert code == 0, output
    assert "vimeo:76979871  Private" in output
    [video] = asyncio.run(_videos(tmp_path))
    assert (video.external_host, video.external_id, video.external_hash, video.status) == (
        "vimeo",
        "76979871",
        "8c5c9f1d2e",
        "ready",
    )


def test_add_url_explains_a_bad_link_or_owner(tmp_path: Path) -> None:
    env = {"STREAMER_DATA_DIR": str(tmp_path)}
    run(env, "db", "migrate")
    with_user(env, "member", "member@example.org")
    code, output = run(env, "videos", "add-url", "https://youtu.be/dQw4w9WgXcQ", "--title", "T")
    assert (code, "0 instructors or admins exist" in output) == (1, True)
    with_user(env, "instructor", "teach@example.org")
    code, output = run(
        env, "videos", "add-url", "https://example.com/x.mp4", "--title", "T", "--owner", "teach@example.org"
    )
    assert code == 1
    assert "cannot be embedded" in output
    assert asyncio.run(_videos(tmp_path)) == []

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from streamer.cli import main


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"STREAMER_DATA_DIR": str(tmp_path)}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def test_help_lists_the_commands(env: dict[str, str]) -> None:
    code, output = run(env, "--help")
    assert code == 0
    for command in ("serve", "db", "settings"):
        assert command in output


def test_migrate_is_idempotent_and_status_reports_it(env: dict[str, str]) -> None:
    assert run(env, "db", "status")[0] == 1
    code, output = run(env, "db", "migrate")
    assert (code, "0001_core" in output) == (0, True)
    assert run(env, "db", "migrate")[1].startswith("applied 0 migration(s)")
    code, output = run(env, "db", "status")
    assert (code, "pending" in output, "applied  0001_core" in output) == (0, False, True)


def test_settings_prints_masked_values(env: dict[str, str]) -> None:
    code, output = run(env | {"STREAMER_SECRET_KEY": "topsecret-value-123"}, "settings")
    assert code == 0
    assert "STREAMER_SECRET_KEY=********" in output
    assert "topsecret" not in output


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://db/x", "unsupported scheme"),
        ("cassandra://host:99999999/ks", "is not of the form"),
        ("cassandra://127.0.0.1:1/ks", "cannot reach Cassandra at 127.0.0.1:1"),
    ],
)
def test_a_bad_database_url_is_one_clear_line(env: dict[str, str], url: str, message: str) -> None:
    code, output = run(env | {"STREAMER_DATABASE_URL": url, "STREAMER_CASSANDRA_CONNECT_TIMEOUT": "2"}, "db", "status")
    assert code == 2
    assert output.count("\n") == 1
    assert output.startswith("streamer: STREAMER_DATABASE_URL") or "cannot reach" in output
    assert message in output


def test_a_bad_setting_is_one_clear_line(env: dict[str, str]) -> None:
    code, output = run(env | {"STREAMER_PORT": "x"}, "settings")
    assert (code, output.splitlines()) == (
        2,
        ["streamer: STREAMER_PORT: Input should be a valid integer, unable to parse string as an integer"],
    )


def test_serve_refuses_an_unmigrated_database_with_one_line(env: dict[str, str]) -> None:
    code, output = run(env, "serve", "--port", "0")
    assert code == 2
    assert "run `streamer db migrate`" in output
    assert "Traceback" not in output

"""`streamer members|invites|plans` on a real SQLite database, with no Stripe configured."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner

from streamer.cli import main
from streamer.settings import load_settings
from streamer.storage import open_store
from streamer.storage.records import UserRecord, new_id, utcnow


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environ = {"STREAMER_DATA_DIR": str(tmp_path), "STREAMER_PUBLIC_URL": "https://videos.example.org"}
    assert run(environ, "db", "migrate")[0] == 0
    return environ


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def add_user(env: dict[str, str], email: str) -> None:
    async def create() -> None:
        store = await open_store(load_settings(env))
        now = utcnow()
        await store.users.create(UserRecord(new_id(), email, email, "-", "Ada", "member", True, now, now))
        await store.close()

    asyncio.run(create())


def test_members_grant_list_and_revoke(env: dict[str, str]) -> None:
    add_user(env, "ada@example.org")
    code, output = run(env, "members", "grant", "Ada@Example.org", "--days", "30")
    assert (code, output.startswith("Ada@Example.org has access until")) == (0, True)
    code, output = run(env, "members", "list")
    assert code == 0
    assert output.split()[:3] == ["ada@example.org", "grant", "active"]
    assert output.split()[-1] == "access"
    assert run(env, "members", "revoke", "ada@example.org") == (0, "ended 1 membership(s) of ada@example.org\n")
    assert run(env, "members", "list")[1].split()[-1] == "no-access"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["members", "grant", "nobody@example.org", "--days", "3"], "No user has the address nobody@example.org."),
        (["members", "grant", "ada@example.org", "--days", "0"], "from 1 to 3650 days"),
        (["invites", "create", "--uses", "0"], "1 to 100000 times"),
        (["plans", "create", "X", "--price", "cheap"], "'cheap' is not a price."),
    ],
)
def test_mistakes_are_one_line_and_exit_1(env: dict[str, str], args: list[str], message: str) -> None:
    add_user(env, "ada@example.org")
    code, output = run(env, *args)
    assert code == 1
    assert message in output
    assert len(output.splitlines()) == 1


def test_invites_create_prints_the_code_and_its_link(env: dict[str, str]) -> None:
    code, output = run(env, "invites", "create", "--uses", "5", "--days", "7")
    assert code == 0
    invite_code = output.split()[0]
    assert f"https://videos.example.org/invite/{invite_code}" in output
    assert "uses 5, 7 days" in output
    assert run(env, "invites", "list")[1].startswith(f"{invite_code}  0/5 used  7 days")


def test_plans_create_list_and_withdraw(env: dict[str, str]) -> None:
    code, output = run(env, "plans", "create", "Yearly", "--price", "90", "--interval", "year", "--video", "v1")
    assert code == 0
    plan_id = output.split()[0]
    assert output.strip().endswith("Yearly  90.00 USD / year")
    assert run(env, "plans", "list")[1].strip().endswith("1 video(s)  offered")
    assert run(env, "plans", "withdraw", plan_id) == (0, "Yearly is no longer offered\n")
    assert run(env, "plans", "list")[1].strip().endswith("withdrawn")


def test_help_lists_the_membership_commands(env: dict[str, str]) -> None:
    output = run(env, "--help")[1]
    assert all(group in output for group in ("members", "invites", "plans"))

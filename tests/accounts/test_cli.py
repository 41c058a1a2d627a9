from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner

from streamer.accounts import sessions
from streamer.accounts.context import Accounts
from streamer.accounts.login import check_password
from streamer.cli import main
from streamer.settings import load_settings
from streamer.storage import open_store

T = TypeVar("T")
PASSWORD = "tangerine lighthouse"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = {"STREAMER_DATA_DIR": str(tmp_path)}
    assert CliRunner().invoke(main, ["db", "migrate"], env=environment).exit_code == 0
    return environment


def run(env: dict[str, str], *args: str, stdin: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, input=stdin)
    return result.exit_code, result.output


def with_accounts(env: dict[str, str], action: Callable[[Accounts], Awaitable[T]]) -> T:
    async def run_it() -> T:
        settings = load_settings(env)
        store = await open_store(settings)
        try:
            return await action(Accounts.build(store, settings))
        finally:
            await store.close()

    return asyncio.run(run_it())


def test_create_reads_the_password_from_stdin_and_the_user_counts_as_verified(env: dict[str, str]) -> None:
    code, output = run(env, "users", "create", "Admin@Example.org", "--role", "admin", stdin=PASSWORD + "\n")
    assert code == 0, output
    assert output.startswith("created admin Admin@example.org")
    code, output = run(env, "users", "list")
    assert output.split("\t")[:3] == ["Admin@example.org", "admin", "verified"]
    assert with_accounts(env, lambda accounts: check_password(accounts, "admin@example.org", PASSWORD)) is not None


def test_create_refuses_weak_passwords_and_duplicates_in_one_line(env: dict[str, str]) -> None:
    code, output = run(env, "users", "create", "ada@example.org", stdin="password1\n")
    assert (code, output.strip()) == (
        1,
        "Error: This password appears in lists of leaked passwords. Please choose another.",
    )
    assert run(env, "users", "create", "ada@example.org", stdin=PASSWORD + "\n")[0] == 0
    code, output = run(env, "users", "create", "ADA@example.org", stdin=PASSWORD + "\n")
    assert (code, output.strip()) == (1, "Error: a user with the address ADA@example.org already exists")


def test_set_role_changes_the_role_and_ends_the_users_sessions(env: dict[str, str]) -> None:
    run(env, "users", "create", "grace@example.org", stdin=PASSWORD + "\n")

    async def log_in(accounts: Accounts) -> str:
        user = await accounts.store.users.get_by_email("grace@example.org")
        assert user is not None
        return (await sessions.start(accounts, user.id, remember=True)).secret

    secret = with_accounts(env, log_in)
    code, output = run(env, "users", "set-role", "grace@example.org", "instructor")
    assert (code, output.strip()) == (0, "grace@example.org is now instructor")
    assert with_accounts(env, lambda accounts: sessions.resolve(accounts, secret)) is None
    assert run(env, "users", "set-role", "grace@example.org", "owner")[0] == 2
    assert run(env, "users", "set-role", "nobody@example.org", "admin")[0] == 2

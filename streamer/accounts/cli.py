"""`streamer users …`: operator commands over the accounts functions."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable

import click

from streamer.accounts.changes import set_role
from streamer.accounts.context import Accounts
from streamer.accounts.errors import AccountError
from streamer.accounts.roles import Role
from streamer.accounts.users import User
from streamer.settings import load_settings
from streamer.storage.base import Store
from streamer.storage.errors import EmailTaken

ROLES = click.Choice([role.value for role in Role])


@click.group()
def users() -> None:
    """User accounts."""


@users.command()
@click.argument("email")
@click.option("--role", type=ROLES, default=Role.MEMBER.value, show_default=True)
@click.option("--name", "display_name", default="", help="Display name (default: the part before the @).")
def create(email: str, role: str, display_name: str) -> None:
    """Create a user (verified). The password is asked twice, or read from stdin when it is not a terminal."""
    password = _read_password()

    async def action(store: Store) -> User:
        accounts = Accounts.build(store, load_settings())
        return await User.create_user(
            accounts, email=email, password=password, display_name=display_name, role=role, verified=True
        )

    user = _run(action)
    click.echo(f"created {user.role} {user.email} ({user.id})")


@users.command(name="list")
def list_users() -> None:
    """Every user: email, role, verified, created."""
    from streamer.cli import with_store

    records = with_store(lambda store: store.users.list_all())
    for record in records:
        verified = "verified" if record.email_verified else "unverified"
        click.echo(f"{record.email}\t{record.role}\t{verified}\t{record.created_at:%Y-%m-%d %H:%M}")


@users.command(name="set-role")
@click.argument("email")
@click.argument("role", type=ROLES)
def set_role_command(email: str, role: str) -> None:
    """Change a user's role; their sessions end, so they log in again."""

    async def action(store: Store) -> User:
        return await set_role(Accounts.build(store, load_settings()), email, role)

    user = _run(action)
    click.echo(f"{user.email} is now {user.role}")


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise click.UsageError("no password on stdin")
    return password


def _run(action: Callable[[Store], Awaitable[User]]) -> User:
    from streamer.cli import with_store  # streamer.cli registers this group at its end

    try:
        return with_store(action)
    except EmailTaken as error:
        raise click.ClickException(f"a user with the address {error} already exists") from None
    except AccountError as error:
        raise click.ClickException(str(error)) from None

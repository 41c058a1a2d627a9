"""`streamer videos add-url`: bring in a video kept on YouTube, Vimeo or Wistia without uploading it."""

from __future__ import annotations

import click

from streamer.accounts.roles import Role, at_least
from streamer.catalog.errors import InvalidInput
from streamer.catalog.external import add_external_video
from streamer.storage.base import Store
from streamer.storage.records import UserRecord, VideoRecord, Visibility


async def find_owner(store: Store, email: str | None) -> UserRecord:
    """The instructor named by `email`, or the only instructor/admin when none is named."""
    if email:
        user = await store.users.get_by_email(email.strip().lower())
        if user is None:
            raise click.ClickException(f"no user with the address {email}")
        if not at_least(user.role, Role.INSTRUCTOR):
            raise click.ClickException(f"{email} is a {user.role}; only instructors and admins own videos")
        return user
    teachers = [user for user in await store.users.list_all() if at_least(user.role, Role.INSTRUCTOR)]
    if len(teachers) != 1:
        raise click.ClickException(f"{len(teachers)} instructors or admins exist: name the owner with --owner EMAIL")
    return teachers[0]


@click.group()
def videos() -> None:
    """Videos in the catalog."""


@videos.command(name="add-url")
@click.argument("url")
@click.option("--title", required=True, help="The video's title.")
@click.option("--owner", "owner_email", help="Email of the owning instructor (default: the only one).")
@click.option(
    "--visibility",
    type=click.Choice([v.value for v in Visibility]),
    default=Visibility.MEMBERS.value,
    show_default=True,
    help="Who may see it.",
)
def add_url(url: str, title: str, owner_email: str | None, visibility: str) -> None:
    """Add a YouTube, Vimeo or Wistia video by its URL; the host keeps delivering it."""
    from streamer.cli import with_store

    async def add(store: Store) -> VideoRecord:
        owner = await find_owner(store, owner_email)
        try:
            return await add_external_video(store, owner.id, url, title, Visibility(visibility))
        except InvalidInput as error:
            raise click.ClickException(" ".join(error.fields.values())) from None

    video = with_store(add)
    click.echo(f"{video.id}  {video.external_host}:{video.external_id}  {video.title}")

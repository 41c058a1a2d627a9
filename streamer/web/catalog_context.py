"""What catalog endpoints need from a request: the viewer, the progress source, the store, form input;
and the mapping of catalog errors to responses."""

from __future__ import annotations

from typing import Any, cast

from starlette.requests import Request
from starlette.responses import Response

from streamer.catalog.errors import InvalidInput, MembersOnly, NotAllowed, StaleCourse
from streamer.catalog.membership import StoreMemberships, has_membership
from streamer.catalog.progress import ProgressSource
from streamer.catalog.visibility import ANONYMOUS, Viewer
from streamer.storage.base import Store
from streamer.storage.catalog import InvalidCursor
from streamer.web.errors import register
from streamer.web.guards import _login_redirect

register(InvalidInput, 400)
register(MembersOnly, 403)
register(NotAllowed, 403)
register(StaleCourse, 409)
register(InvalidCursor, 400, "This page link is no longer valid; start again from the first page.")


def store_of(request: Request) -> Store:
    return cast(Store, request.app.state.store)


def progress_of(request: Request) -> ProgressSource:
    """The members' progress: the analytics feature's resume positions (create_app sets `state.progress`)."""
    return cast(ProgressSource, request.app.state.progress)


async def viewer_of(request: Request) -> Viewer:
    user = request.user
    if not user.is_authenticated:
        return ANONYMOUS
    state = request.app.state
    check = getattr(state, "membership_check", None) or StoreMemberships(state.store, state.settings)
    return Viewer(user.id, user.role, await has_membership(check, user.id))


def members_only(request: Request, viewer: Viewer) -> Response:
    """Anonymous visitors are sent to log in; a logged-in viewer without a membership gets the 403 page."""
    if viewer.is_anonymous:
        return _login_redirect(request)
    raise MembersOnly("This is for members. Choose a membership to watch it.")


async def form_of(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def int_field(form: dict[str, str], name: str) -> int:
    try:
        return int(form.get(name, ""))
    except ValueError:
        raise InvalidInput({name: f"{name} must be a whole number."}) from None


def query_cursor(request: Request) -> str | None:
    return request.query_params.get("cursor") or None


def path_id(request: Request, name: str = "id") -> str:
    return str(request.path_params[name])


Context = dict[str, Any]

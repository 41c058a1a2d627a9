"""The admin's Delivery page: the delivery settings in force, editable; apply (render → nginx -t → swap →
reload) and roll back to any earlier config."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from streamer.accounts.roles import Role
from streamer.delivery import apply as applying
from streamer.delivery import tunables
from streamer.delivery.render import NginxLayout
from streamer.settings import Settings
from streamer.storage.base import Store
from streamer.web.guards import role_required
from streamer.web.playback import delivery_settings
from streamer.web.templating import templates

PAGE = "/admin/delivery"
BOOLEAN_FIELDS = frozenset(
    name for name in tunables.EDITABLE if Settings.model_fields[name].annotation in (bool, "bool")
)


def overrides_from_form(configured: Settings, form: Mapping[str, str]) -> dict[str, str]:
    """The submitted values that differ from the configured ones: those are the overrides."""
    defaults = {item.name: item.default for item in tunables.describe(configured, {})}
    return {
        name: form[name].strip() for name in tunables.EDITABLE if name in form and form[name].strip() != defaults[name]
    }


async def page(request: Request, status: int = 200, **extra: Any) -> Response:
    settings: Settings = request.app.state.settings
    store: Store = request.app.state.store
    overrides = extra.pop("overrides", None)
    if overrides is None:
        overrides = await store.delivery.get_overrides()
    try:
        items = tunables.describe(settings, overrides)
    except tunables.InvalidDeliverySetting:
        items = tunables.describe(settings, {})
    history = await store.delivery.history(20)
    context = {
        "items": items,
        "submitted": extra.pop("submitted", {}),
        "booleans": BOOLEAN_FIELDS,
        "history": history,
        "authors": await author_names(store, {config.author for config in history}),
        "config_path": NginxLayout.for_settings(settings).conf,
        "applied": request.query_params.get("applied", ""),
        "reload": request.query_params.get("reload", ""),
        **extra,
    }
    return templates.TemplateResponse(request, "admin/delivery.html", context, status_code=status)


async def author_names(store: Store, ids: set[str]) -> dict[str, str]:
    """Who applied each config, by name; the command line is `cli`."""
    names = {}
    for author in ids:
        user = await store.users.get(author)
        names[author] = user.email if user else author
    return names


@role_required(Role.ADMIN)
async def show(request: Request) -> Response:
    return await page(request)


@role_required(Role.ADMIN)
async def apply(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    form = {key: str(value) for key, value in (await request.form()).items()}
    overrides = overrides_from_form(settings, form)
    return await _apply(request, overrides, form=form)


@role_required(Role.ADMIN)
async def rollback(request: Request) -> Response:
    config = await request.app.state.store.delivery.get_config(request.path_params["config_id"])
    if config is None:
        return await page(request, 404, error="No such config in the history.")
    overrides: dict[str, str] = json.loads(config.overrides)
    return await _apply(request, overrides, note=f"rollback to {config.id[:12]}")


async def _apply(
    request: Request, overrides: dict[str, str], form: Mapping[str, str] | None = None, note: str = ""
) -> Response:
    settings: Settings = request.app.state.settings
    try:
        applied = await applying.apply(settings, request.app.state.store, overrides, request.user.id, note=note)
    except tunables.InvalidDeliverySetting as error:
        return await page(request, 400, error=str(error), submitted=form or {})
    except applying.ConfigRejected as error:
        return await page(request, 400, error="nginx refused this configuration; nothing was changed.",
                          nginx_error=str(error), submitted=form or {})  # fmt: skip
    delivery_settings(request).invalidate()
    outcome = "reloaded" if applied.reloaded else ("failed" if applied.reload_error else "not-running")
    return RedirectResponse(f"{PAGE}?applied={applied.config.id[:12]}&reload={outcome}", status_code=303)


routes = [
    Route(PAGE, show, methods=["GET"]),
    Route(PAGE, apply, methods=["POST"]),
    Route(PAGE + "/rollback/{config_id}", rollback, methods=["POST"]),
]

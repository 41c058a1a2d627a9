"""Small helpers shared by the account pages."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from streamer.web.auth import accounts_of
from streamer.web.templating import templates


def page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    """Render `templates/accounts/<name>.html`; never cached (forms carry CSRF tokens and personal data)."""
    settings = accounts_of(request).settings
    context.setdefault("min_length", settings.password_min_length)
    context.setdefault("providers", getattr(request.app.state, "oidc_providers", []))
    response = templates.TemplateResponse(request, f"accounts/{name}.html", context, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def message(request: Request, heading: str, text: str = "", status: int = 200, **context: Any) -> Response:
    return page(request, "message", status, heading=heading, text=text, **context)


async def form_fields(request: Request, *names: str) -> dict[str, str]:
    """The named text fields of a posted form ('' when absent or not text)."""
    async with request.form() as form:
        values = {name: form.get(name) for name in names}
    return {name: value if isinstance(value, str) else "" for name, value in values.items()}

"""The one Jinja2 environment for every page; templates live in the top-level templates/ folder."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup
from starlette.requests import Request
from starlette.templating import Jinja2Templates

ROOT = Path(__file__).resolve().parent.parent.parent
templates = Jinja2Templates(directory=ROOT / "templates")


def csrf_field(request: Request) -> Markup:
    """The hidden CSRF input for a form; the accounts feature's CSRF middleware supplies the token."""
    token = request.scope.get("csrf_token", "")
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(token)


templates.env.globals["csrf_field"] = csrf_field

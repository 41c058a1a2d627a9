"""nginx's config, rendered from Settings and the link contract in streamer/signing.py.

Paths, ports, the hash expression and the location pattern all come from code; the template only arranges them.
"""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from streamer import signing
from streamer.settings import Settings

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "nginx"
STATIC_ROOT = ROOT / "static"
TEMPLATE = "streamer.conf.j2"
# The app's own body limit for everything but uploads (forms, JSON).
UPLOAD_SLACK = 1024 * 1024
TEMP_FOLDERS = ("body", "proxy", "fastcgi", "uwsgi", "scgi")

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,  # noqa: S701 - the output is an nginx config, not HTML
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class NginxLayout:
    """nginx's prefix folder: the active config, its history, pid file, logs and temp folders."""

    prefix: Path

    @classmethod
    def for_settings(cls, settings: Settings) -> NginxLayout:
        return cls((settings.data_dir / "nginx").resolve())

    @property
    def conf(self) -> Path:
        return self.prefix / "nginx.conf"

    @property
    def candidate(self) -> Path:
        return self.prefix / "nginx.conf.candidate"

    @property
    def history(self) -> Path:
        return self.prefix / "history"

    @property
    def pid(self) -> Path:
        return self.prefix / "nginx.pid"

    @property
    def logs(self) -> Path:
        return self.prefix / "logs"

    @property
    def error_log(self) -> Path:
        return self.logs / "error.log"

    @property
    def access_log(self) -> Path:
        return self.logs / "access.log"

    @property
    def temp(self) -> Path:
        return self.prefix / "tmp"

    def prepare(self) -> None:
        """Create the folders nginx writes to."""
        for folder in (self.prefix, self.history, self.logs, *(self.temp / name for name in TEMP_FOLDERS)):
            folder.mkdir(parents=True, exist_ok=True)


def render(settings: Settings, layout: NginxLayout) -> str:
    """The full nginx.conf for `settings` (already the effective delivery settings)."""
    return _environment.get_template(TEMPLATE).render(**context(settings, layout))


def context(settings: Settings, layout: NginxLayout) -> dict[str, Any]:
    origins = [origin for origin in settings.delivery_cors_origins.split(",") if origin]
    return {
        "s": settings,
        "layout": layout,
        "user": worker_user(settings.media_root),
        "types": signing.MEDIA_TYPES | STATIC_TYPES,
        "listen": f"{_bracketed(settings.nginx_listen)}:{settings.nginx_port}",
        "tls": settings.nginx_tls_cert is not None and settings.nginx_tls_key is not None,
        "cors_any": "*" in origins,
        "cors_origins": [origin for origin in origins if origin != "*"],
        "app_address": f"{_bracketed(settings.host)}:{settings.port}",
        "link_prefix": signing.LINK_PREFIX,
        "location_pattern": signing.LOCATION_PATTERN,
        "md5_expression": signing.nginx_md5_expression(signing.link_secret(settings.secret_key), settings.link_bind_ip),
        "hls_root": (settings.media_root / "hls").resolve(),
        "static_root": STATIC_ROOT,
        "hls_js_root": ROOT / "node_modules" / "hls.js" / "dist",
        "gzip_types": " ".join(sorted({signing.MEDIA_TYPES[ext] for ext in ("m3u8", "vtt")})),
        "upload_body_max": settings.tus_max_size + UPLOAD_SLACK,
    }


# Beyond the media types signing.py allows under /v: what /static holds.
STATIC_TYPES = {
    "html": "text/html",
    "css": "text/css",
    "js": "application/javascript",
    "mjs": "application/javascript",
    "map": "application/json",
    "json": "application/json",
    "svg": "image/svg+xml",
    "png": "image/png",
    "ico": "image/x-icon",
    "woff2": "font/woff2",
}


def worker_user(media_root: Path) -> str | None:
    """Started as root, nginx would drop its workers to `nobody`, who may not read the media: run them as the
    owner of the media folder instead. Not root: None (nginx keeps the current user)."""
    if os.geteuid() != 0:
        return None
    folder = media_root if media_root.exists() else Path.cwd()
    return pwd.getpwuid(folder.stat().st_uid).pw_name


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host

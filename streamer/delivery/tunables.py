"""The effective delivery settings: Settings defaults overlaid with the overrides an admin applied.

The fields themselves (type, default, help) are defined once, in Settings; this module only names which of
them an admin may change at run time and validates overrides with Settings' own rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from streamer.settings import Settings, env_name

# Settings an admin may change from the delivery page or `streamer nginx apply`. The listen address and
# port stay with the operator: changing them would strand the public URL.
EDITABLE = (
    "link_ttl",
    "link_duration_factor",
    "link_bind_ip",
    "delivery_cache_max_age",
    "delivery_cors_origins",
    "delivery_rate_after",
    "delivery_rate",
    "delivery_conn_limit",
    "delivery_sendfile",
    "delivery_tcp_nopush",
    "delivery_aio_threads",
    "delivery_open_file_cache",
    "delivery_gzip_playlists",
    "delivery_access_log_json",
    "nginx_workers",
    "nginx_server_name",
    "nginx_tls_cert",
    "nginx_tls_key",
)


class InvalidDeliverySetting(ValueError):
    """An override names an unknown setting or has a value Settings rejects; the message names it."""


@dataclass(frozen=True)
class Tunable:
    name: str
    env: str
    value: str
    default: str
    help: str
    overridden: bool


def effective(settings: Settings, overrides: Mapping[str, str]) -> Settings:
    """Settings with `overrides` (field name -> text, as typed in a form) applied and validated.

    An empty text resets a field to its configured value. Raises InvalidDeliverySetting.
    """
    unknown = sorted(set(overrides) - set(EDITABLE))
    if unknown:
        raise InvalidDeliverySetting(f"not a delivery setting: {', '.join(unknown)}")
    changes = {name: value for name, value in overrides.items() if value.strip() != ""}
    values = settings.model_dump(by_alias=True) | changes
    try:
        result = Settings(**values)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "settings"
        raise InvalidDeliverySetting(f"{name}: {str(first['msg']).removeprefix('Value error, ')}") from None
    if (result.nginx_tls_cert is None) != (result.nginx_tls_key is None):
        raise InvalidDeliverySetting("nginx_tls_cert and nginx_tls_key go together: set both or neither")
    return result


def cleaned(overrides: Mapping[str, str]) -> dict[str, str]:
    """The overrides worth storing: known names with a non-empty value, trimmed."""
    return {name: value.strip() for name, value in overrides.items() if name in EDITABLE and value.strip()}


def describe(configured: Settings, overrides: Mapping[str, str]) -> list[Tunable]:
    """Every editable setting with its effective value, for the admin page and `streamer nginx settings`."""
    current = effective(configured, overrides)
    fields = Settings.model_fields
    return [
        Tunable(
            name=name,
            env=env_name(name, fields[name].alias),
            value=_text(getattr(current, name)),
            default=_text(getattr(configured, name)),
            help=fields[name].description or "",
            overridden=name in overrides,
        )
        for name in EDITABLE
    ]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)

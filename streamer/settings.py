"""The one place that reads the environment: a frozen Settings built from STREAMER_* variables.

Every field has a type, a default and a help text (its description); docs/configuration.md lists them all,
and a test fails when one is missing there. Later features add their fields in their own section below.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

DEFAULT_SECRET_KEY = "insecure-development-key-change-me"
ENV_FILE_VARIABLE = "STREAMER_ENV_FILE"


class SettingsError(Exception):
    """The configuration cannot be used; the message names the setting and the problem."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STREAMER_", frozen=True, extra="ignore")

    # --- core ---
    env: Literal["development", "test", "production"] = Field(
        "development", description="Deployment environment; `production` refuses the default secret key."
    )
    secret_key: str = Field(
        DEFAULT_SECRET_KEY,
        description="The one secret every signature derives its own key from (sessions, CSRF, links).",
    )
    data_dir: Path = Field(
        Path("data"), description="Where the SQLite file, rendered configs, mail and logs are written."
    )
    media_root_override: Path | None = Field(
        None,
        alias="STREAMER_MEDIA_ROOT",
        description="Uploads and HLS output (`uploads/`, `hls/`); defaults to `<data_dir>/media`.",
    )
    database_url: str = Field(
        "sqlite:///<data_dir>/streamer.db",
        description="`sqlite:///path/to/file.db` or `cassandra://host1,host2:9042/keyspace`.",
    )
    public_url: str = Field(
        "http://127.0.0.1:8080", description="The address people use to reach the site; links in mails use it."
    )
    host: str = Field("127.0.0.1", description="Address the app server (uvicorn) listens on.")
    port: int = Field(8000, ge=0, le=65535, description="Port the app server (uvicorn) listens on.")
    log_level: Literal["debug", "info", "warning", "error"] = Field("info", description="Log verbosity.")

    # --- cassandra ---
    cassandra_local_dc: str = Field(
        "datacenter1", description="Local datacenter for the driver's DC-aware load balancing."
    )
    cassandra_replication_factor: int = Field(
        1, ge=1, description="Replication factor used when `streamer db migrate` creates the keyspace."
    )
    cassandra_read_consistency: str = Field("LOCAL_QUORUM", description="Consistency level for reads.")
    cassandra_write_consistency: str = Field("LOCAL_QUORUM", description="Consistency level for writes.")
    cassandra_connect_timeout: float = Field(
        10.0, gt=0, description="Seconds to wait for a Cassandra contact point before giving up."
    )
    cassandra_request_timeout: float = Field(10.0, gt=0, description="Seconds before a query times out.")

    # --- analytics ---
    analytics_heartbeat_interval: float = Field(
        10.0, ge=2, description="Seconds between the player's heartbeats while it plays."
    )
    analytics_view_token_hours: float = Field(
        12.0, gt=0, le=24, description="How long a view token (issued with the watch page) accepts heartbeats."
    )
    analytics_raw_ttl_days: int = Field(
        30, ge=1, description="Days raw heartbeats are kept (rollups and view rows are kept for good)."
    )
    analytics_min_beat_spacing: float = Field(
        2.0, ge=0, description="Seconds that must pass between two accepted heartbeats of one view (else 429)."
    )
    analytics_ip_rate: float = Field(
        20.0, gt=0, description="Heartbeats per second one client address may send, sustained (else 429)."
    )
    analytics_ip_burst: int = Field(60, ge=1, description="Heartbeats one client address may send in a burst.")
    analytics_max_playback_rate: float = Field(
        2.0, gt=0, description="Fastest playback speed the player offers; bounds the watched time a beat may claim."
    )
    analytics_slack_seconds: float = Field(
        5.0, ge=0, description="Tolerance added to the watched-time and position checks of a heartbeat."
    )
    analytics_batch_size: int = Field(2000, ge=1, description="Most heartbeats written to the store in one batch.")
    analytics_batch_delay_ms: float = Field(
        50.0, ge=0, description="Milliseconds a heartbeat may wait for others to share its batch."
    )
    analytics_batch_writers: int = Field(2, ge=1, description="Batches of heartbeats written concurrently.")
    analytics_max_pending: int = Field(
        20000, ge=1, description="Heartbeats queued for writing at most; past that the ingest answers 503."
    )
    analytics_rollup_interval: float = Field(
        300.0, gt=0, description="Seconds between two rollups run by `streamer worker`."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # load_settings() alone reads the process environment, so tests can pass their own.
        return (init_settings, dotenv_settings)

    @model_validator(mode="after")
    def _production_needs_a_secret(self) -> Settings:
        if self.env == "production" and self.secret_key == DEFAULT_SECRET_KEY:
            raise ValueError("STREAMER_SECRET_KEY must be set to a long random value when STREAMER_ENV=production")
        if len(self.secret_key) < 16:
            raise ValueError("STREAMER_SECRET_KEY must be at least 16 characters")
        return self

    @property
    def media_root(self) -> Path:
        return self.media_root_override or self.data_dir / "media"

    @property
    def effective_database_url(self) -> str:
        return self.database_url.replace("<data_dir>", str(self.data_dir))

    def masked(self) -> dict[str, str]:
        """The effective settings as `STREAMER_*` names and printable values, secrets masked."""
        shown: dict[str, str] = {}
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if _is_secret(name) and value:
                value = "********"
            shown[env_name(name, info.alias)] = "" if value is None else str(value)
        shown["STREAMER_MEDIA_ROOT"] = str(self.media_root)
        shown["STREAMER_DATABASE_URL"] = _mask_url(self.effective_database_url)
        return shown


def _is_secret(name: str) -> bool:
    return any(word in name for word in ("secret", "password", "api_key"))


def _mask_url(url: str) -> str:
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://********@{rest.rsplit('@', 1)[1]}"


def env_name(field_name: str, alias: str | None = None) -> str:
    return alias or f"STREAMER_{field_name.upper()}"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build Settings from the environment (and the env file named by STREAMER_ENV_FILE, if any).

    Raises SettingsError with one line naming the offending setting.
    """
    source = dict(os.environ if environ is None else environ)
    env_file = source.get(ENV_FILE_VARIABLE)
    if env_file and not Path(env_file).is_file():
        raise SettingsError(f"{ENV_FILE_VARIABLE}: no such file {env_file}")
    values = {key: value for key, value in source.items() if key.startswith("STREAMER_")}
    try:
        return _build(values, env_file)
    except ValidationError as error:
        raise SettingsError(_one_line(error)) from None


def _build(values: dict[str, str], env_file: str | None) -> Settings:
    fields: dict[str, Any] = {_field_for(key): value for key, value in values.items() if _field_for(key)}
    return Settings(_env_file=env_file, **fields)


def _field_for(env_key: str) -> str:
    for name, info in Settings.model_fields.items():
        if env_name(name, info.alias) == env_key:
            return info.alias or name
    return ""


def _one_line(error: ValidationError) -> str:
    first = error.errors()[0]
    location = first["loc"][0] if first["loc"] else ""
    names = {name: env_name(name, info.alias) for name, info in Settings.model_fields.items()}
    setting = names.get(str(location), str(location).upper()) if location else "settings"
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{setting}: {message}"

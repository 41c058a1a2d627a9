"""The one place that reads the environment: a frozen Settings built from STREAMER_* variables.

Every field has a type, a default and a help text (its description); docs/configuration.md lists them all,
and a test fails when one is missing there. Later features add their fields in their own section below.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from transcoder.ladder import parse_ladder
from transcoder.plan import X264_PRESETS

_ORIGIN = r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?"
DEFAULT_SECRET_KEY = "insecure-development-key-change-me"
ENV_FILE_VARIABLE = "STREAMER_ENV_FILE"


class SettingsError(Exception):
    """The configuration cannot be used; the message names the setting and the problem."""


class OidcProvider(BaseModel):
    """One OpenID Connect provider (an entry of STREAMER_OIDC_PROVIDERS)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")
    label: str = Field(min_length=1, max_length=60)
    discovery_url: str = Field(pattern=r"^https?://")
    client_id: str = Field(min_length=1)
    client_secret: str = ""
    scope: str = "openid email profile"


_PROVIDERS = TypeAdapter(list[OidcProvider])


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

    # --- pipeline ---
    tus_max_size: int = Field(
        20 * 1024**3, gt=0, description="Largest upload accepted, in bytes (sent as `Tus-Max-Size`); 20 GiB."
    )
    upload_expiry_hours: float = Field(
        24.0, gt=0, description="Hours an unfinished upload is kept after its last byte arrived; then deleted."
    )
    ladder: str = Field(
        "1080:5000,720:2800,480:1400,360:800",
        description="HLS renditions as `HEIGHT:KBPS` pairs; a source never gets rungs taller than itself.",
    )
    max_duration_seconds: float = Field(
        4 * 3600.0, gt=0, description="Longest video accepted, in seconds; longer uploads fail with a reason."
    )
    max_width: int = Field(3840, gt=0, description="Widest picture accepted (the long side), in pixels.")
    max_height: int = Field(2160, gt=0, description="Tallest picture accepted (the short side), in pixels.")
    x264_preset: str = Field(
        "veryfast", description="x264 speed/quality preset for every rendition (`ultrafast` … `veryslow`)."
    )
    worker_lease_seconds: float = Field(
        60.0,
        ge=3,
        description="How long a worker's claim on a job lasts unless renewed; a dead worker's job "
        "is claimed again after this.",
    )
    worker_max_attempts: int = Field(3, ge=1, description="Claims a job gets before its video is marked failed.")
    worker_retry_backoff_seconds: float = Field(
        30.0, ge=0, description="Wait before the first retry of a failed job; doubles with every attempt."
    )
    worker_poll_seconds: float = Field(
        2.0, gt=0, description="How often an idle worker looks for new jobs, in seconds."
    )

    # --- delivery ---
    nginx_bin: str = Field("nginx", description="The nginx program that serves media and proxies the app.")
    nginx_listen: str = Field("127.0.0.1", description="Address nginx listens on (the public entry point).")
    nginx_port: int = Field(8080, ge=1, le=65535, description="Port nginx listens on.")
    nginx_server_name: str = Field(
        "_", pattern=r"^[A-Za-z0-9_.*~-]+( [A-Za-z0-9_.*~-]+)*$", description="nginx `server_name` (`_`: any)."
    )
    nginx_tls_cert: Path | None = Field(None, description="TLS certificate (PEM); with a key, nginx serves HTTPS.")
    nginx_tls_key: Path | None = Field(None, description="TLS private key (PEM) for `STREAMER_NGINX_TLS_CERT`.")
    nginx_workers: str = Field("auto", pattern=r"^(auto|[1-9][0-9]?)$", description="nginx worker processes.")
    trusted_proxies: str = Field(
        "127.0.0.1", description="Addresses whose `X-Forwarded-For` the app believes: nginx, as the app sees it."
    )
    link_ttl: int = Field(
        3600, ge=60, description="Seconds a playback link lives at least; long videos get their duration on top."
    )
    link_duration_factor: float = Field(
        2.0, ge=0, description="A link also lives this many times the video's duration (room for pauses)."
    )
    link_bind_ip: bool = Field(False, description="Bind playback links to the viewer's IP address.")
    delivery_cache_max_age: int = Field(
        86400, ge=0, description="`Cache-Control: private, max-age` (seconds) for segments and playlists."
    )
    delivery_cors_origins: str = Field(
        "",
        pattern=rf"^(|\*|{_ORIGIN}(,{_ORIGIN})*)$",
        description="Comma-separated origins allowed to fetch media cross-site (`*` for any); empty: none.",
    )
    delivery_rate_after: str = Field(
        "8m", pattern=r"^[0-9]{1,9}[kKmMgG]?$", description="Bytes sent at full speed before the rate applies."
    )
    delivery_rate: str = Field(
        "0", pattern=r"^[0-9]{1,9}[kKmMgG]?$", description="Per-connection rate limit for media (`0`: none)."
    )
    delivery_conn_limit: int = Field(0, ge=0, description="Media connections allowed per IP address (0: no limit).")
    delivery_sendfile: bool = Field(True, description="nginx `sendfile` for media.")
    delivery_tcp_nopush: bool = Field(True, description="nginx `tcp_nopush` (full packets with sendfile).")
    delivery_aio_threads: bool = Field(
        True, description="nginx `aio threads`: disk reads off the event loop (Debian's nginx has no file AIO)."
    )
    delivery_open_file_cache: int = Field(
        10000, ge=0, description="Open file descriptors nginx keeps cached (0: no cache)."
    )
    delivery_gzip_playlists: bool = Field(True, description="gzip playlists and WebVTT files.")
    delivery_access_log_json: bool = Field(True, description="Write nginx's access log as JSON lines.")

    # --- accounts ---
    smtp_url: str = Field(
        "",
        description="`smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`; empty: mails are "
        "written as .eml files to `<data_dir>/mail/`.",
        json_schema_extra={"secret": True},
    )
    mail_from: str = Field("streamer <no-reply@localhost>", description="The From address of every mail.")
    password_min_length: int = Field(8, ge=8, le=64, description="Shortest password accepted (NIST: at least 8).")
    password_hash_memory_kib: int = Field(
        19456, ge=7168, description="argon2id memory cost in KiB (OWASP minimum: 19456 with time cost 2)."
    )
    password_hash_time_cost: int = Field(2, ge=1, le=10, description="argon2id iterations.")
    password_hash_parallelism: int = Field(1, ge=1, le=16, description="argon2id lanes.")
    session_idle_timeout: int = Field(
        7200, ge=60, description="Seconds of inactivity that end a session without remember-me."
    )
    session_absolute_timeout: int = Field(
        43200, ge=300, description="Seconds after login that a session without remember-me ends regardless."
    )
    remember_me_max_age: int = Field(
        30 * 86400, ge=3600, description="Seconds a remember-me session (and its cookie's Max-Age) lasts."
    )
    verify_token_ttl: int = Field(86400, ge=300, description="Seconds an email verification link stays valid.")
    reset_token_ttl: int = Field(3600, ge=300, description="Seconds a password reset link stays valid.")
    login_max_failures_per_account: int = Field(
        5, ge=1, description="Failed logins for one address within the throttle window before it is locked."
    )
    login_max_failures_per_ip: int = Field(
        30, ge=1, description="Failed logins from one IP address within the throttle window before it is locked."
    )
    login_throttle_window: int = Field(900, ge=1, description="Seconds failed logins (and mail requests) count.")
    mail_max_per_address: int = Field(
        3, ge=1, description="Reset and verification mails to one address within an hour; more are dropped."
    )
    oidc_providers: str = Field(
        "",
        description='JSON list of OpenID Connect providers: `[{"name": "google", "label": "Google", '
        '"discovery_url": "https://accounts.google.com/.well-known/openid-configuration", '
        '"client_id": "…", "client_secret": "…"}]`.',
        json_schema_extra={"secret": True},
    )

    # --- memberships ---
    stripe_secret_key: str = Field(
        "",
        description="Stripe secret API key (`sk_live_…` or `sk_test_…`); empty: online payments are off and "
        "admins grant access by hand or with invite codes.",
    )
    stripe_webhook_secret: str = Field(
        "",
        description="Signing secret (`whsec_…`) of the Stripe webhook endpoint `POST /api/stripe/webhook`; "
        "every delivery is verified against it.",
    )
    stripe_api_base: str = Field(
        "",
        description="Another address for the Stripe API, e.g. `http://127.0.0.1:12111` for stripe-mock; "
        "empty: Stripe itself.",
    )
    membership_grace_days: int = Field(
        3, ge=0, le=60, description="Days a member keeps access after a renewal payment fails, while Stripe retries it."
    )
    membership_currency: str = Field(
        "usd", pattern=r"^[a-z]{3}$", description="Currency of new plans: a lower-case ISO 4217 code."
    )

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
        10.0,
        ge=0,
        description="Milliseconds a heartbeat may wait for others to share its batch once a writer is free.",
    )
    analytics_batch_writers: int = Field(2, ge=1, description="Batches of heartbeats written concurrently.")
    analytics_max_pending: int = Field(
        20000, ge=1, description="Heartbeats queued for writing at most; past that the ingest answers 503."
    )
    analytics_rollup_interval: float = Field(
        300.0,
        gt=0,
        description="Seconds between two analytics rollups (today and yesterday) run by `streamer worker`.",
    )

    @field_validator("ladder")
    @classmethod
    def _ladder_parses(cls, value: str) -> str:
        parse_ladder(value)  # raises ValueError naming the bad entry
        return value

    @field_validator("x264_preset")
    @classmethod
    def _preset_is_known(cls, value: str) -> str:
        if value not in X264_PRESETS:
            raise ValueError(f"unknown x264 preset {value!r}; choose one of {', '.join(X264_PRESETS)}")
        return value

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

    @field_validator("nginx_tls_cert", "nginx_tls_key")
    @classmethod
    def _plain_path(cls, value: Path | None) -> Path | None:
        # These paths are written into nginx's config: no spaces, quotes or semicolons.
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_./@+-]+", str(value)):
            raise ValueError(f"{value} has characters nginx paths here may not use (letters, digits, _./@+-)")
        return value

    @model_validator(mode="after")
    def _production_needs_a_secret(self) -> Settings:
        if self.env == "production" and self.secret_key == DEFAULT_SECRET_KEY:
            raise ValueError("STREAMER_SECRET_KEY must be set to a long random value when STREAMER_ENV=production")
        if len(self.secret_key) < 16:
            raise ValueError("STREAMER_SECRET_KEY must be at least 16 characters")
        _check_argon2_cost(self.password_hash_memory_kib, self.password_hash_time_cost)
        self._check_oidc_providers()
        return self

    def _check_oidc_providers(self) -> None:
        try:
            providers = self.oidc_provider_list
        except ValidationError as error:
            detail = error.errors()[0]
            where = ".".join(str(part) for part in detail["loc"])
            raise ValueError(f"STREAMER_OIDC_PROVIDERS: {where}: {detail['msg']}") from None
        names = [provider.name for provider in providers]
        if len(set(names)) != len(names):
            raise ValueError("STREAMER_OIDC_PROVIDERS: two providers have the same name")

    @property
    def oidc_provider_list(self) -> list[OidcProvider]:
        """The configured OpenID Connect providers (none when STREAMER_OIDC_PROVIDERS is empty)."""
        return _PROVIDERS.validate_json(self.oidc_providers) if self.oidc_providers.strip() else []

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
            if (_is_secret(name) or _marked_secret(info.json_schema_extra)) and value:
                value = "********"
            shown[env_name(name, info.alias)] = "" if value is None else str(value)
        shown["STREAMER_MEDIA_ROOT"] = str(self.media_root)
        shown["STREAMER_DATABASE_URL"] = _mask_url(self.effective_database_url)
        return shown


# OWASP Password Storage Cheat Sheet: equally strong argon2id settings (memory KiB for a time cost).
OWASP_ARGON2_MIN_MEMORY = {1: 47104, 2: 19456, 3: 12288, 4: 9216}
OWASP_ARGON2_MIN_MEMORY_LONG = 7168  # time cost 5 and more


def _check_argon2_cost(memory_kib: int, time_cost: int) -> None:
    floor = OWASP_ARGON2_MIN_MEMORY.get(time_cost, OWASP_ARGON2_MIN_MEMORY_LONG)
    if memory_kib < floor:
        raise ValueError(
            f"STREAMER_PASSWORD_HASH_MEMORY_KIB must be at least {floor} with time cost {time_cost} (OWASP minimum)"
        )


def _is_secret(name: str) -> bool:
    return any(word in name for word in ("secret", "password", "api_key"))


def _marked_secret(extra: object) -> bool:
    return isinstance(extra, dict) and extra.get("secret") is True


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

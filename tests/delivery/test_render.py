"""The rendered nginx config follows the settings, and every combination passes real `nginx -t`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from streamer import signing
from streamer.delivery import nginx
from streamer.delivery.render import NginxLayout, render
from streamer.settings import Settings, SettingsError, load_settings
from tests.components import require_program


def rendered(tmp_path: Path, **env: str) -> tuple[str, Settings]:
    settings = load_settings({"STREAMER_DATA_DIR": str(tmp_path), **env})
    return render(settings, NginxLayout.for_settings(settings)), settings


def nginx_accepts(tmp_path: Path, text: str) -> None:
    layout = NginxLayout((tmp_path / "nginx").resolve())
    layout.prepare()
    candidate = layout.prefix / "candidate.conf"
    candidate.write_text(text)
    nginx.check(require_program("nginx"), layout, candidate)


def test_the_defaults_render_a_config_nginx_accepts(tmp_path: Path) -> None:
    text, settings = rendered(tmp_path)
    assert f'location ~ "{signing.LOCATION_PATTERN}"' in text
    assert "listen 127.0.0.1:8080;" in text
    assert "server 127.0.0.1:8000;" in text
    assert "aio threads;" in text
    assert "video/iso.segment m4s;" in text
    assert f"client_max_body_size {settings.tus_max_size + 1024 * 1024};" in text
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        assert f"{tmp_path.resolve()}/nginx/tmp/{folder};" in text
    nginx_accepts(tmp_path, text)


def test_every_switch_turned_the_other_way_still_passes(tmp_path: Path) -> None:
    text, _ = rendered(
        tmp_path,
        STREAMER_DELIVERY_SENDFILE="false",
        STREAMER_DELIVERY_TCP_NOPUSH="false",
        STREAMER_DELIVERY_AIO_THREADS="false",
        STREAMER_DELIVERY_OPEN_FILE_CACHE="0",
        STREAMER_DELIVERY_GZIP_PLAYLISTS="false",
        STREAMER_DELIVERY_ACCESS_LOG_JSON="false",
        STREAMER_DELIVERY_CONN_LIMIT="4",
        STREAMER_DELIVERY_RATE="512k",
        STREAMER_DELIVERY_RATE_AFTER="2m",
        STREAMER_DELIVERY_CORS_ORIGINS="https://school.example,http://localhost:3000",
        STREAMER_LINK_BIND_IP="true",
        STREAMER_NGINX_SERVER_NAME="video.example www.video.example",
    )
    expected = [
        "sendfile off;",
        "limit_conn streamer_media_per_ip 4;",
        "limit_rate 512k;",
        "limit_rate_after 2m;",
        '"https://school.example" $http_origin;',
        "$remote_addr|",
        "server_name video.example www.video.example;",
    ]
    for line in expected:
        assert line in text
    for absent in ("aio threads;", "open_file_cache max", "gzip on;", "escape=json"):
        assert absent not in text
    nginx_accepts(tmp_path, text)


def test_tls_turns_on_https_with_the_given_certificate(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    text, _ = rendered(tmp_path, STREAMER_NGINX_TLS_CERT=str(cert), STREAMER_NGINX_TLS_KEY=str(key))
    assert "listen 127.0.0.1:8080 ssl http2;" in text
    assert f"ssl_certificate {cert};" in text
    nginx_accepts(tmp_path, text)


def test_any_origin_is_a_wildcard(tmp_path: Path) -> None:
    text, _ = rendered(tmp_path, STREAMER_DELIVERY_CORS_ORIGINS="*")
    assert 'default "*";' in text


def test_the_raw_secret_key_never_appears(tmp_path: Path) -> None:
    text, settings = rendered(tmp_path, STREAMER_SECRET_KEY="a-very-secret-key-0123456789")
    assert settings.secret_key not in text
    assert signing.link_secret(settings.secret_key) in text


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("STREAMER_DELIVERY_RATE", "1m; return 200"),
        ("STREAMER_NGINX_SERVER_NAME", "x; include /etc/passwd"),
        ("STREAMER_DELIVERY_CORS_ORIGINS", 'https://a.example" $x'),
        ("STREAMER_NGINX_TLS_CERT", "/tmp/a b;"),
        ("STREAMER_NGINX_WORKERS", "auto; user root"),
    ],
)
def test_values_that_would_inject_directives_are_refused(tmp_path: Path, variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        load_settings({"STREAMER_DATA_DIR": str(tmp_path), variable: value})

"""`streamer nginx …` and `streamer sign` on a real nginx binary (nginx -t) and a SQLite store."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from streamer import signing
from streamer.cli import main
from streamer.settings import DEFAULT_SECRET_KEY, load_settings
from streamer.storage import open_store
from streamer.storage.records import VideoRecord, VideoStatus, utcnow
from tests.components import require_program

pytestmark = pytest.mark.e2e


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    require_program("nginx")
    environ = {"STREAMER_DATA_DIR": str(tmp_path), "STREAMER_NGINX_PORT": "18080"}
    assert CliRunner().invoke(main, ["db", "migrate"], env=environ).exit_code == 0
    return environ


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def test_render_to_stdout_holds_the_derived_secret_never_the_raw_key(env: dict[str, str]) -> None:
    code, config = run(env, "nginx", "render", "--stdout")
    assert code == 0
    assert f'secure_link_md5 "$sl_expires|$sl_video|-|{signing.link_secret(DEFAULT_SECRET_KEY)}"' in config
    assert DEFAULT_SECRET_KEY not in config
    assert f'location ~ "{signing.LOCATION_PATTERN}"' in config


def test_render_installs_a_checked_config_and_check_leaves_it_alone(env: dict[str, str], tmp_path: Path) -> None:
    assert run(env, "nginx", "check") == (0, "nginx: configuration is valid\n")
    assert not (tmp_path / "nginx" / "nginx.conf").exists()
    code, _ = run(env, "nginx", "render")
    assert (code, (tmp_path / "nginx" / "nginx.conf").is_file()) == (0, True)


def test_apply_records_history_and_a_rejected_config_prints_nginx_error(env: dict[str, str]) -> None:
    code, output = run(env, "nginx", "apply", "delivery_rate=2m", "link_ttl=900")
    assert code == 0
    assert "nginx is not running" in output
    code, output = run(env, "nginx", "apply", "nginx_tls_cert=/missing.pem", "nginx_tls_key=/missing.key")
    assert code == 1
    assert 'cannot load certificate "/missing.pem"' in output
    code, output = run(env, "nginx", "settings")
    assert "* delivery_rate=2m" in output
    assert "* link_ttl=900" in output
    assert "  nginx_tls_cert=\n" in output
    code, output = run(env, "nginx", "history")
    assert output.count("\n") == 1
    assert '{"delivery_rate": "2m", "link_ttl": "900"}' in output


def test_reset_and_rollback(env: dict[str, str]) -> None:
    run(env, "nginx", "apply", "delivery_rate=2m")
    first = run(env, "nginx", "history")[1].split()[0]
    run(env, "nginx", "apply", "--reset", "delivery_rate")
    assert "* delivery_rate" not in run(env, "nginx", "settings")[1]
    assert run(env, "nginx", "rollback", first)[0] == 0
    assert "* delivery_rate=2m" in run(env, "nginx", "settings")[1]
    assert f"(rollback to {first})" in run(env, "nginx", "history")[1]


def test_unknown_settings_are_refused(env: dict[str, str]) -> None:
    code, output = run(env, "nginx", "apply", "nginx_port=80")
    assert (code, "not a delivery setting: nginx_port" in output) == (1, True)


def test_sign_prints_a_url_that_verifies(env: dict[str, str]) -> None:
    with_video(env, "vid42")
    code, output = run(env, "sign", "vid42", "--ttl", "120")
    assert code == 0
    url = output.splitlines()[0]
    assert url.startswith("http://127.0.0.1:8080/v/")
    path = urlsplit(url).path
    assert signing.verify(path, signing.link_secret(DEFAULT_SECRET_KEY), time.time())
    link = signing.parse(path)
    assert link is not None
    assert time.time() + 100 < link.expires <= time.time() + 121


def test_sign_insists_on_an_ip_exactly_when_links_are_bound(env: dict[str, str]) -> None:
    with_video(env, "vid43")
    assert "links are not IP-bound" in run(env, "sign", "vid43", "--ip", "10.0.0.1")[1]
    run(env, "nginx", "apply", "link_bind_ip=true")
    assert "links are IP-bound: pass --ip" in run(env, "sign", "vid43")[1]
    code, output = run(env, "sign", "vid43", "--ip", "10.0.0.1")
    assert code == 0
    path = urlsplit(output.splitlines()[0]).path
    assert signing.verify(path, signing.link_secret(DEFAULT_SECRET_KEY), time.time(), client_ip="10.0.0.1")
    assert "no video nope" in run(env, "sign", "nope", "--ip", "10.0.0.1")[1]


def with_video(env: dict[str, str], video_id: str) -> None:
    async def create() -> None:
        store = await open_store(load_settings(env))
        now = utcnow()
        await store.videos.create(VideoRecord(video_id, "owner", "t", VideoStatus.READY, now, now))
        await store.close()

    asyncio.run(create())

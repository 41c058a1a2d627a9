from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from streamer import launcher
from streamer.demo import Demo
from streamer.settings import load_settings


def test_children_stop_nginx_first_then_app_then_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    supervisor = launcher.Supervisor()
    for name in ("app", "nginx", "worker"):
        supervisor.add(launcher.spawn(name, [sys.executable, "-c", "import time; time.sleep(30)"]))
    stopped: list[str] = []
    original = launcher.Child.stop

    def record(child: launcher.Child, timeout: float = 10) -> None:
        stopped.append(child.name)
        original(child, timeout)

    monkeypatch.setattr(launcher.Child, "stop", record)
    supervisor.stop_all()
    assert stopped == ["nginx", "app", "worker"]
    assert all(child.process.returncode == -signal.SIGTERM for child in supervisor.children)


def test_a_child_that_exits_by_itself_ends_the_wait_with_status_1() -> None:
    supervisor = launcher.Supervisor()
    supervisor.add(launcher.spawn("worker", [sys.executable, "-c", "raise SystemExit(3)"]))
    said: list[str] = []
    assert supervisor.wait(said.append) == 1
    assert said == ["worker exited with status 3; stopping the rest"]


def test_a_stop_request_ends_the_wait_with_status_0() -> None:
    supervisor = launcher.Supervisor()
    child = supervisor.add(launcher.spawn("app", [sys.executable, "-c", "import time; time.sleep(30)"]))
    supervisor.stopping.set()
    assert supervisor.wait(print) == 0
    supervisor.stop_all()
    assert child.process.returncode is not None


def test_a_program_that_cannot_start_is_one_clear_error() -> None:
    with pytest.raises(launcher.LaunchError, match="cannot start app"):
        launcher.spawn("app", ["/nonexistent/program"])


@pytest.mark.parametrize(
    ("listen", "local"), [("0.0.0.0", "127.0.0.1"), ("::", "::1"), ("127.0.0.5", "127.0.0.5")]
)  # fmt: skip
def test_a_wildcard_listen_address_is_reached_on_loopback(listen: str, local: str) -> None:
    assert launcher.local_address(listen) == local


def test_the_banner_says_where_to_go_and_shows_the_password_once() -> None:
    settings = load_settings({"STREAMER_PUBLIC_URL": "http://127.0.0.1:8080/"})
    prepared = launcher.Prepared(Path("/d/nginx/nginx.conf"), Demo("a@example.org", "pw-123", "vid1"))
    text = launcher.banner(settings, prepared, with_worker=True)
    assert "streamer is running at http://127.0.0.1:8080\n" in text
    assert "http://127.0.0.1:8080/watch/vid1" in text
    assert "http://127.0.0.1:8080/login" in text
    assert "pw-123" in text
    later = launcher.Prepared(prepared.config, Demo("a@example.org", None, "vid1"))
    assert "shown only this once" not in launcher.banner(settings, later, with_worker=False)
    assert "http://127.0.0.1:8080/password/forgot" in launcher.banner(settings, later, with_worker=False)
    assert "not installed yet" in launcher.banner(settings, later, with_worker=False)

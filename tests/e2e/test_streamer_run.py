"""`streamer run` end to end: real nginx, uvicorn, worker, ffmpeg; a demo video that plays through nginx, an upload
through nginx that the worker transcodes and that then plays too; Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from tusclient.client import TusClient

from tests.browser_session import csrf_token_in
from tests.components import port_open, require_program
from tests.delivery.conftest import free_port
from tests.media import make

pytestmark = pytest.mark.e2e


class Run:
    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.env = env
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamer", "run", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self.output = ""

    def wait_for(self, text: str, timeout: float = 90) -> str:
        """Read output until `text` shows up (or the process ends)."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while text not in self.output and time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output += line.decode()
        assert text in self.output, self.output
        return self.output

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        rest, _ = self.process.communicate(timeout=30)
        self.output += rest.decode()
        return self.process.returncode

    def stop(self) -> None:
        """Whatever happened in the test: Ctrl-C (it stops its children), then kill."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.communicate()


@pytest.fixture
def runs() -> Iterator[Callable[..., Run]]:
    """Starts `streamer run`; every run still going at the end of the test is stopped."""
    started: list[Run] = []

    def start(env: dict[str, str], *args: str) -> Run:
        started.append(Run(env, *args))
        return started[-1]

    yield start
    for run in started:
        run.stop()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    require_program("nginx")
    require_program("ffmpeg")
    nginx_port = free_port()
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith("STREAMER_")},
        "STREAMER_DATA_DIR": str(tmp_path / "data"),
        "STREAMER_PORT": str(free_port()),
        "STREAMER_NGINX_PORT": str(nginx_port),
        "STREAMER_NGINX_WORKERS": "1",
        "STREAMER_PUBLIC_URL": f"http://127.0.0.1:{nginx_port}",
    }


def signed_master(env: dict[str, str], video_id: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "streamer", "sign", video_id], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def log_in(client: httpx.Client, email: str, password: str) -> None:
    """Through the login form, as a person would."""
    token = csrf_token_in(client.get("/login").text)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 303, response.text


def upload_through_nginx(client: httpx.Client, base: str, source: Path) -> str:
    """A tus upload to nginx's /uploads/ with the session cookie and CSRF header, as the upload page sends it."""
    headers = {
        "Cookie": "; ".join(f"{name}={value}" for name, value in client.cookies.items()),
        "X-CSRF-Token": csrf_token_in(client.get("/studio/upload").text),
    }
    uploader = TusClient(f"{base}/uploads/", headers=headers).uploader(
        str(source), chunk_size=64 * 1024, metadata={"filename": source.name, "title": "Uploaded"}
    )
    uploader.upload()
    assert uploader.url is not None
    return uploader.url.rstrip("/").rsplit("/", 1)[-1]  # an upload's id is its video's id


def wait_until_ready(client: httpx.Client, video_id: str, timeout: float = 120) -> str:
    """The video's status once the worker inside `streamer run` is done with it (or the timeout passes)."""
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        status = client.get(f"/api/videos/{video_id}/status").json()["status"]
        if status in ("ready", "failed"):
            break
        time.sleep(0.5)
    return status


def decodes(url: str) -> tuple[int, bytes]:
    done = subprocess.run(["ffmpeg", "-v", "error", "-i", url, "-f", "null", "-"], capture_output=True, check=False)
    return done.returncode, done.stderr


def test_run_brings_up_nginx_app_and_a_demo_that_plays_then_stops_on_ctrl_c(
    env: dict[str, str], runs: Callable[..., Run]
) -> None:
    run = runs(env)
    banner = run.wait_for("Ctrl-C stops everything.")
    base = env["STREAMER_PUBLIC_URL"]
    assert f"streamer is running at {base}" in banner
    video_id = re.search(rf"{re.escape(base)}/watch/([0-9a-f]+)", banner)
    assert video_id is not None
    assert "demo-admin@example.org" in banner
    assert httpx.get(base + "/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{base}/watch/{video_id[1]}").status_code in (303, 200)
    assert httpx.get(base + "/static/css/site.css").status_code == 200
    assert decodes(signed_master(env, video_id[1])) == (0, b"")
    password = re.search(r"password +(\S+) +\(shown only this once\)", banner)
    assert password is not None, banner
    with httpx.Client(base_url=base) as admin:
        log_in(admin, "demo-admin@example.org", password[1])
        assert admin.get(f"/watch/{video_id[1]}").status_code == 200
        assert admin.get("/admin/delivery").status_code == 200
        playback = admin.get(f"/api/videos/{video_id[1]}/playback").json()
        uploaded = upload_through_nginx(admin, base, make(Path(env["STREAMER_DATA_DIR"]).parent, "small.mp4"))
        assert wait_until_ready(admin, uploaded) == "ready"
        uploaded_playback = admin.get(f"/api/videos/{uploaded}/playback").json()
    assert decodes(playback["master_url"]) == (0, b"")
    assert decodes(uploaded_playback["master_url"]) == (0, b"")
    assert run.interrupt() == 0
    assert "streamer: stopped" in run.output
    assert not port_open("127.0.0.1", int(env["STREAMER_NGINX_PORT"]))
    assert not port_open("127.0.0.1", int(env["STREAMER_PORT"]))

    again = runs(env)
    banner = again.wait_for("Ctrl-C stops everything.", timeout=60)
    assert f"/watch/{video_id[1]}" in banner, "the demo video is made once"
    assert "shown only this once" not in banner
    assert again.interrupt() == 0


def test_a_second_run_on_the_same_data_dir_is_refused_while_nginx_runs(
    env: dict[str, str], runs: Callable[..., Run]
) -> None:
    first = runs(env, "--no-demo")
    first.wait_for("Ctrl-C stops everything.")
    second = subprocess.run(
        [sys.executable, "-m", "streamer", "run", "--no-demo"],
        env=env | {"STREAMER_PORT": str(free_port())},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert first.interrupt() == 0
    assert second.returncode == 1
    assert "already runs" in second.stderr

"""Real processes for end-to-end tests: the app under uvicorn and the worker, on loopback, killable."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).parent.parent


def child_env(settings_env: dict[str, str]) -> dict[str, str]:
    keep = {key: value for key, value in os.environ.items() if not key.startswith("STREAMER_")}
    return {**keep, **settings_env, "PYTHONPATH": str(ROOT)}


class AppServer:
    """The app in a child process on a socket bound here (port 0, so never a port clash). `restart()` keeps
    the port; `kill()` is SIGKILL, an app crash."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self._env, self._log = env, log
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> AppServer:
        fd = self._socket.fileno()
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tests.app_server", str(fd)],
                env=child_env(self._env),
                cwd=ROOT,
                pass_fds=(fd,),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_healthy()
        return self

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def _wait_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"the app exited with {self._process.returncode}: {self._log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the app did not answer within {timeout} s")

    def kill(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(10)

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> None:
        self.kill()
        self.start()

    def close(self) -> None:
        self.stop()
        self._socket.close()


def start_worker(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    """`streamer worker` as a child process with these STREAMER_* settings, output to `log`."""
    streamer = str(Path(sys.executable).parent / "streamer")
    with log.open("ab") as out:
        return subprocess.Popen([streamer, "worker", *args], env=child_env(env), stdout=out, stderr=subprocess.STDOUT)

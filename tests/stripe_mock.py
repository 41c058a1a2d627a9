"""stripe-mock (github.com/stripe/stripe-mock) on a free loopback port, for the tests that call the Stripe API.
`make stripe-mock` builds it into .cache/go/bin/; without it these tests fail under CI=true and skip elsewhere."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.components import port_open, unavailable

BINARY = Path(__file__).parent.parent / ".cache" / "go" / "bin" / "stripe-mock"
API_KEY = "sk_test_123"
START_SECONDS = 20.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


_RUNNING: list[str] = []  # test modules that import the fixture share one process


@pytest.fixture(scope="session")
def stripe_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a running stripe-mock; stopped at the end of the session."""
    if _RUNNING:
        yield _RUNNING[0]
        return
    if not BINARY.is_file():
        unavailable("stripe-mock", f"{BINARY} is missing; run `make stripe-mock`")
    port = free_port()
    log = tmp_path_factory.mktemp("stripe-mock") / "stripe-mock.log"
    # v0.197.0 also serves HTTPS on [::]:12112 unless told where: keep it on loopback, on a port of its choosing.
    argv = [str(BINARY), "-http-addr", f"127.0.0.1:{port}", "-https-addr", "127.0.0.1:"]
    with log.open("wb") as output:
        process = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait(process, port, log)
        _RUNNING.append(f"http://127.0.0.1:{port}")
        yield _RUNNING[0]
    finally:
        _RUNNING.clear()
        process.terminate()
        process.wait(timeout=10)


def _wait(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not port_open("127.0.0.1", port):
        if process.poll() is not None or time.monotonic() > deadline:
            unavailable("stripe-mock", f"did not start on 127.0.0.1:{port}: {log.read_text()[-500:]}")
        time.sleep(0.05)

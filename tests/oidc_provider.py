"""A REAL OpenID Connect provider for tests: navikt's mock-oauth2-server (Maven Central, Java 17), installed into
.cache/ by scripts/oidc-mock and started on a free loopback port. Under CI=true a missing provider fails the run."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.components import unavailable
from tests.smtp import free_port

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "oidc-mock"
JAVA = Path(os.environ.get("OIDC_MOCK_JAVA", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"))
START_TIMEOUT = 90.0


@dataclass(frozen=True)
class MockProvider:
    base: str

    @property
    def issuer(self) -> str:
        return f"{self.base}/default"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


def _fetch() -> None:
    if not JAVA.exists():
        unavailable("mock-oauth2-server", f"no Java 17 at {JAVA}; `make test` installs it")
    fetched = subprocess.run([str(SCRIPT), "fetch"], capture_output=True, text=True, timeout=600, check=False)
    if fetched.returncode != 0:
        unavailable("mock-oauth2-server", f"scripts/oidc-mock fetch failed: {fetched.stderr[-2000:]}")


def _wait_alive(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"mock-oauth2-server exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/isalive", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    pytest.fail(f"mock-oauth2-server did not come up in {START_TIMEOUT} s: {log.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProvider]:
    """The provider, with interactive login: POST the authorize URL with `username` (the subject) and `claims`."""
    _fetch()
    port = free_port()
    log = tmp_path_factory.mktemp("oidc") / "mock-oauth2-server.log"
    env = os.environ | {"OIDC_MOCK_PORT": str(port), "JSON_CONFIG": '{"interactiveLogin": true}'}
    with log.open("wb") as output:
        process = subprocess.Popen([str(SCRIPT), "run"], env=env, stdout=output, stderr=subprocess.STDOUT)
    provider = MockProvider(base=f"http://127.0.0.1:{port}")
    try:
        _wait_alive(process, provider.base, log)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

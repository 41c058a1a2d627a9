"""Real components for tests: a missing one fails the run under CI=true and is skipped (with the reason)
only on a developer machine."""

from __future__ import annotations

import os
import shutil
import socket
from typing import NoReturn

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(component: str, reason: str) -> NoReturn:
    message = f"{component} is not available: {reason}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: real components are required)", pytrace=False)
    pytest.skip(message)


def require_program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        unavailable(name, f"`{name}` is not on PATH; `make test` installs it")
    return path


def port_open(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def cassandra_address() -> tuple[str, int]:
    host, _, port = os.environ.get("STREAMER_TEST_CASSANDRA", "127.0.0.1:9042").partition(":")
    return host, int(port or 9042)

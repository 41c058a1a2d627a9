"""Running nginx: argument lists built by pure functions, one runner that raises NginxError with stderr."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from streamer.delivery.render import NginxLayout

STDERR_TAIL = 2000


class NginxError(Exception):
    """nginx refused: holds the command and the tail of what it printed."""

    def __init__(self, command: list[str], stderr: str) -> None:
        self.command = command
        self.stderr = stderr[-STDERR_TAIL:].strip()
        super().__init__(f"{' '.join(command)} failed: {self.stderr or 'no output'}")


def base_argv(nginx: str, layout: NginxLayout, conf: Path | None = None) -> list[str]:
    """nginx pointed at the prefix folder and a config; `-e stderr` keeps even the first log line out of /var."""
    return [nginx, "-p", f"{layout.prefix}/", "-c", str(conf or layout.conf), "-e", "stderr"]


def check_argv(nginx: str, layout: NginxLayout, conf: Path) -> list[str]:
    return [*base_argv(nginx, layout, conf), "-t", "-q"]


def reload_argv(nginx: str, layout: NginxLayout) -> list[str]:
    return [*base_argv(nginx, layout), "-s", "reload"]


def foreground_argv(nginx: str, layout: NginxLayout) -> list[str]:
    """nginx as a child process: master in the foreground, stopped with SIGQUIT (graceful) or SIGTERM."""
    return [*base_argv(nginx, layout), "-g", "daemon off;"]


def run(command: list[str], timeout: float = 30) -> str:
    """Run an nginx command to completion; returns stderr (nginx reports there). Raises NginxError."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise NginxError(command, str(error)) from None
    if done.returncode != 0:
        raise NginxError(command, done.stderr)
    return done.stderr


def check(nginx: str, layout: NginxLayout, conf: Path) -> None:
    """`nginx -t` on `conf`. Raises NginxError with nginx's own complaint."""
    layout.prepare()
    run(check_argv(nginx, layout, conf))


def running_pid(layout: NginxLayout) -> int | None:
    """The master's pid when nginx of this prefix is running, else None."""
    try:
        pid = int(layout.pid.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def reload(nginx: str, layout: NginxLayout, timeout: float = 10) -> bool:
    """Ask a running nginx to re-read its config and wait until it has: new workers serve, the old ones only
    finish what they had (graceful). Returns False when no nginx of this prefix runs.

    Raises NginxError when the signal cannot be sent or nginx does not take up the config in time (then the
    master keeps the old one and says why in its error log).
    """
    master = running_pid(layout)
    if master is None:
        return False
    before = set(children(master))
    command = reload_argv(nginx, layout)
    run(command)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _reloaded(master, before):
            return True
        time.sleep(0.02)
    raise NginxError(command, f"nginx did not start new workers within {timeout}s; see {layout.error_log}")


def children(master: int) -> dict[int, str]:
    """The master's child processes and their titles (Linux /proc)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master:
                title = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                found[int(stat.parent.name)] = title.strip()
        except (OSError, IndexError, ValueError):
            continue
    return found


def _reloaded(master: int, before: set[int]) -> bool:
    current = children(master)
    started = set(current) - before
    draining = all("shutting down" in title for pid, title in current.items() if pid in before)
    return bool(started) and draining


@dataclass
class NginxProcess:
    """nginx started as a child (master in the foreground) on the layout's active config."""

    process: subprocess.Popen[bytes]
    layout: NginxLayout

    @classmethod
    def start(
        cls,
        nginx: str,
        layout: NginxLayout,
        ready: tuple[str, int],
        timeout: float = 10,
        preexec: Callable[[], None] | None = None,
    ) -> NginxProcess:
        """Start nginx (in its own session) and wait until `ready` (host, port) accepts connections.

        Raises NginxError with what nginx printed when it exits or does not listen in time.
        """
        layout.prepare()
        command = foreground_argv(nginx, layout)
        log = (layout.logs / "stderr.log").open("ab")
        process = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True, preexec_fn=preexec)
        log.close()
        started = cls(process, layout)
        started.wait_listening(command, ready, timeout)
        return started

    def wait_listening(self, command: list[str], address: tuple[str, int], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise NginxError(command, self.stderr_tail())
            try:
                socket.create_connection(address, timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise NginxError(command, f"not listening on {address[0]}:{address[1]} after {timeout}s")

    def stderr_tail(self) -> str:
        path = self.layout.logs / "stderr.log"
        return path.read_text(errors="replace")[-STDERR_TAIL:] if path.exists() else ""

    def stop(self, timeout: float = 10) -> None:
        """Graceful stop (SIGQUIT lets workers finish), then SIGTERM/SIGKILL if it lingers."""
        if self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGQUIT, timeout), (signal.SIGTERM, 3.0), (signal.SIGKILL, 3.0)):
            self.process.send_signal(sig)
            try:
                self.process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

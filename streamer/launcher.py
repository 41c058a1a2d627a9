"""`streamer run`: everything on one machine — nginx, the app and a worker as child processes.

Children run in their own sessions, so Ctrl-C reaches only this supervisor, which then stops them in order:
nginx first (no new requests), then the app, then the worker. Each child also dies with the supervisor
(PR_SET_PDEATHSIG), so a killed `streamer run` leaves nothing listening behind.
"""

from __future__ import annotations

import asyncio
import ctypes
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from streamer.delivery import apply as applying
from streamer.delivery import nginx
from streamer.delivery.render import NginxLayout
from streamer.demo import Demo, ensure_demo
from streamer.settings import Settings
from streamer.storage import open_store

PR_SET_PDEATHSIG = 1
STOP_TIMEOUT = 10.0
# nginx first, so nothing new arrives; then the app; the worker last (it may be mid-job).
STOP_ORDER = ("nginx", "app", "worker")


class LaunchError(Exception):
    """A child did not come up; the message says which and why."""


def die_with_parent() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def streamer_argv(*args: str) -> list[str]:
    """This installation's `streamer` command, whatever PATH says."""
    return [sys.executable, "-m", "streamer", *args]


def app_argv() -> list[str]:
    return streamer_argv("serve")


def worker_argv() -> list[str]:
    return streamer_argv("worker")


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    stop_signal: signal.Signals

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(self.stop_signal)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def spawn(name: str, argv: Sequence[str], stop_signal: signal.Signals = signal.SIGTERM) -> Child:
    try:
        process = subprocess.Popen(list(argv), start_new_session=True, preexec_fn=die_with_parent)
    except OSError as error:
        raise LaunchError(f"cannot start {name} ({argv[0]}): {error}") from None
    return Child(name, process, stop_signal)


def wait_http_ok(child: Child, url: str, timeout: float) -> None:
    """Wait until `url` answers 200, or raise LaunchError when the child exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            raise LaunchError(f"{child.name} exited with status {child.process.returncode} while starting")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own loopback address
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise LaunchError(f"{child.name} did not answer {url} within {timeout:.0f}s")


@dataclass
class Supervisor:
    """Holds the children; `wait` returns when one exits by itself or a stop signal arrives."""

    children: list[Child] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def add(self, child: Child) -> Child:
        self.children.append(child)
        return child

    def handle_signals(self) -> None:
        def request_stop(signum: int, frame: FrameType | None) -> None:
            self.stopping.set()

        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, request_stop)

    def wait(self, report: Callable[[str], None]) -> int:
        """0 after a stop signal; 1 when a child exited on its own (reported)."""
        while not self.stopping.wait(0.2):
            for child in self.children:
                if child.process.poll() is not None:
                    report(f"{child.name} exited with status {child.process.returncode}; stopping the rest")
                    return 1
        return 0

    def stop_all(self) -> None:
        """In STOP_ORDER, each gracefully (then killed after STOP_TIMEOUT)."""
        for child in sorted(self.children, key=lambda child: STOP_ORDER.index(child.name)):
            child.stop()


def start_nginx(settings: Settings, supervisor: Supervisor) -> Child:
    """nginx on the installed config. Raises LaunchError (with nginx's words) when it does not come up."""
    layout = NginxLayout.for_settings(settings)
    if (pid := nginx.running_pid(layout)) is not None:
        raise LaunchError(f"nginx for {layout.prefix} already runs (pid {pid}); stop it or use another data dir")
    try:
        started = nginx.NginxProcess.start(
            settings.nginx_bin, layout, (local_address(settings.nginx_listen), settings.nginx_port),
            preexec=die_with_parent,
        )  # fmt: skip
    except nginx.NginxError as error:
        raise LaunchError(f"nginx did not start: {error.stderr or error}") from None
    return supervisor.add(Child("nginx", started.process, signal.SIGQUIT))


def local_address(listen: str) -> str:
    """Where to reach a server listening on `listen` from this machine."""
    return "127.0.0.1" if listen in ("0.0.0.0", "*", "") else "::1" if listen == "::" else listen  # noqa: S104


@dataclass(frozen=True)
class Prepared:
    config: Path
    demo: Demo | None


async def prepare(settings: Settings, with_demo: bool) -> Prepared:
    """Migrate, install a checked nginx config into the data folder, and make the demo when asked."""
    store = await open_store(settings)
    try:
        await store.migrate()
        config = await applying.install(settings, store)
        demo = await ensure_demo(settings, store) if with_demo else None
    finally:
        await store.close()
    return Prepared(config, demo)


def run(settings: Settings, echo: Callable[[str], None], *, with_demo: bool = True, with_worker: bool = True) -> int:
    """Prepare, start app → nginx → worker, print where to go, and wait for Ctrl-C. Returns the exit status.

    Raises LaunchError when a child does not come up (the ones already started are stopped).
    """
    prepared = asyncio.run(prepare(settings, with_demo))
    supervisor = Supervisor()
    supervisor.handle_signals()
    try:
        app = supervisor.add(spawn("app", app_argv()))
        wait_http_ok(app, f"http://{_url_host(local_address(settings.host))}:{settings.port}/healthz", 60)
        start_nginx(settings, supervisor)
        if with_worker:
            supervisor.add(spawn("worker", worker_argv()))
        echo(banner(settings, prepared, with_worker))
        return supervisor.wait(echo)
    finally:
        supervisor.stop_all()
        echo("streamer: stopped")


def banner(settings: Settings, prepared: Prepared, with_worker: bool) -> str:
    base = settings.public_url.rstrip("/")
    lines = ["", f"streamer is running at {base}", ""]
    demo = prepared.demo
    if demo is not None:
        lines.append(f"  watch the demo video   {base}/watch/{demo.video_id}")
        lines.append(f"  log in                 {base}/login")
        lines.append(f"  email                  {demo.email}")
        if demo.password:
            lines.append(f"  password               {demo.password}   (shown only this once)")
        else:
            lines.append(f"  password               shown when it was made; forgot it? {base}/password/forgot")
            mail = settings.data_dir / "mail"
            lines.append(f"                         (without STREAMER_SMTP_URL, the mail lands in {mail})")
    lines.append(f"  nginx config           {prepared.config}  (logs beside it in logs/)")
    lines.append(f"  app (behind nginx)     http://{_url_host(settings.host)}:{settings.port}")
    lines.append(f"  worker                 {'running' if with_worker else 'not installed yet'}")
    return "\n".join([*lines, "", "Ctrl-C stops everything.", ""])


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host

"""Wait for (or probe) a Cassandra node's CQL port; used by scripts/cassandra.

wait_ready.py --probe --host H --port P
    one try: exit 0 if `SELECT release_version FROM system.local` answers,
    2 if nothing listens on the port, 3 if something listens but CQL does not answer.

wait_ready.py --host H --port P --timeout S [--pid-file F] [--log L] [--started-at T] [--record R]
    poll until the query answers (exit 0), the JVM named in the pid file dies
    (exit 1, pointing at the log) or the timeout passes (exit 1). With --started-at (epoch
    seconds of the JVM's start) it prints how long the node took until CQL answered, and
    keeps that figure in the --record file so that a later wait on the same node repeats it.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
import time

EXIT_OK, EXIT_FAIL, EXIT_CLOSED, EXIT_NO_CQL = 0, 1, 2, 3


def port_open(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def release_version(host: str, port: int) -> str | None:
    """The node's release_version, or None if it does not answer CQL (yet)."""
    from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
    from cassandra.policies import WhiteListRoundRobinPolicy

    # this node only, whatever its data center is called
    profile = ExecutionProfile(load_balancing_policy=WhiteListRoundRobinPolicy([host]), request_timeout=5)
    cluster = Cluster(
        [host],
        port=port,
        protocol_version=5,
        connect_timeout=5,
        control_connection_timeout=5,
        execution_profiles={EXEC_PROFILE_DEFAULT: profile},
    )
    try:
        session = cluster.connect()
        row = session.execute("SELECT release_version FROM system.local").one()
        return str(row.release_version)
    except Exception:  # NoHostAvailable, OperationTimedOut, connection resets while starting
        return None
    finally:
        cluster.shutdown()


def start_to_cql(args: argparse.Namespace, started_at: float) -> float:
    """Seconds from the JVM's start until CQL first answered (measured now or by an earlier wait)."""
    if args.record and os.path.exists(args.record):
        with open(args.record) as f:
            try:
                return float(f.read())
            except ValueError:
                pass
    seconds = time.time() - started_at
    if args.record:
        with open(args.record, "w") as f:
            f.write(f"{seconds:.1f}\n")
    return seconds


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9042)
    ap.add_argument("--probe", action="store_true")
    ap.add_argument("--timeout", type=float, default=180.0)
    ap.add_argument("--pid-file")
    ap.add_argument("--log", default="the node's log")
    ap.add_argument("--started-at", type=float, help="epoch seconds the JVM was started")
    ap.add_argument("--record", help="file keeping the seconds from start until CQL first answered")
    args = ap.parse_args()

    # The driver logs every refused connection while the node starts; keep the output short.
    logging.getLogger("cassandra").setLevel(logging.CRITICAL)

    if args.probe:
        if not port_open(args.host, args.port):
            return EXIT_CLOSED
        return EXIT_OK if release_version(args.host, args.port) else EXIT_NO_CQL

    pid = None
    if args.pid_file and os.path.exists(args.pid_file):
        with open(args.pid_file) as f:
            pid = int(f.read().strip())

    t0 = time.monotonic()
    deadline = t0 + args.timeout
    while True:
        if pid is not None and not alive(pid):
            print(f"Cassandra JVM {pid} died before CQL answered; see {args.log}", file=sys.stderr)
            return EXIT_FAIL
        if port_open(args.host, args.port):
            version = release_version(args.host, args.port)
            if version:
                waited = time.monotonic() - t0
                msg = f"Cassandra {version} answers CQL on {args.host}:{args.port}"
                if args.started_at:
                    msg += f"; start to CQL: {start_to_cql(args, args.started_at):.1f} s"
                print(f"{msg} (this wait: {waited:.1f} s)")
                return EXIT_OK
        if time.monotonic() >= deadline:
            print(
                f"timed out after {args.timeout:.0f} s waiting for CQL on {args.host}:{args.port}; see {args.log}",
                file=sys.stderr,
            )
            return EXIT_FAIL
        time.sleep(0.5)


if __name__ == "__main__":
    sys.exit(main())

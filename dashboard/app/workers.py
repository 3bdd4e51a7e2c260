"""`serve --workers N`: N dashboard server processes on consecutive ports, sharing one store.

One Streamlit process runs every session's reruns in its own Python interpreter, so one process uses
about one CPU however many analysts are connected (issue #20: p95 5.8 s a page at 20 sessions). Several
processes behind a reverse proxy spread the sessions; the proxy must keep each browser on one process
(a Streamlit session lives in the process that holds its WebSocket, and so do its downloads), as the
README's nginx configuration does with a cookie (section "Team server").

The store is prepared once here, before any worker starts (migrated to the current schema, or the
demo store built), so that N processes do not all do it at their first page view. SQLite in WAL mode
lets the processes read while one writes; migrations take the write lock (store.migrate).
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time


def prepare_store(env: dict[str, str]) -> None:
    """Migrate the store the workers will open, or build the demo store when the default one is missing."""
    from dashboard.store import default_path, open_store
    path = env.get("DASHBOARD_DB")
    if path:
        open_store(path).conn.close()
        return
    from dashboard.ingest.demo import build_demo_store, needs_demo
    if needs_demo(default_path()):
        print(f"building the demo store at {default_path()} …", file=sys.stderr, flush=True)
        build_demo_store(default_path())


def run(commands: list[list[str]], env: dict[str, str], cwd: str) -> int:
    """Start one process per command and wait. Ctrl-C or SIGTERM stops them all; when one exits on its
    own, the others are stopped too and its exit status is returned (a service manager restarts the set)."""
    procs: list[subprocess.Popen] = []

    def stop(signum, frame):
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGTERM, stop)
    status = 0
    try:
        procs = [subprocess.Popen(cmd, env=env, cwd=cwd) for cmd in commands]
        while True:
            exited = [p for p in procs if p.poll() is not None]
            if exited:
                status = exited[0].returncode or 1   # a server never ends by itself when all is well
                print(f"error: a server process (port {_port(exited[0].args)}) exited with status "
                      f"{exited[0].returncode}; stopping the others", file=sys.stderr, flush=True)
                break
            time.sleep(0.5)
    except KeyboardInterrupt:
        status = 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop(procs)
    return status


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:   # a server still draining its sessions
            p.kill()
            p.wait(15)


def _port(cmd) -> str:
    args = list(cmd)
    return args[args.index("--server.port") + 1] if "--server.port" in args else "?"

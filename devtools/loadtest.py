"""The team server's load test (issue #20): N sessions against one process and against several behind nginx.

    python -m devtools.loadtest [--sessions 20,50] [--seconds 60] [--processes 1,3] [--db STORE ...]
                               [--pg-cluster] [--results-dir benchmarks/results]

For every store (`--db`, repeatable: a SQLite file or a postgresql:// URL; default the demo store, built
in a temporary folder), every process count and every session count, in that order, one after another:
starts `python -m dashboard serve --workers P` on free loopback ports — one process as the issue measured
it (no proxy, the local admin), P > 1 with `--auth proxy` behind nginx running the README's own
configuration (devtools/nginx.py), every session signed in as one viewer —, warms each process with one pass over the pages (a server
that has been up a while), then has the sessions load the pages in turn for the given seconds over
Streamlit's WebSocket protocol (benchmarks/load.py) and stops everything. `--pg-cluster` adds a
throw-away PostgreSQL cluster holding a copy of the first SQLite store (devtools/pgcluster.py,
`dashboard migrate`). A PostgreSQL store whose pages cannot be read on this version (probed with
`python -m dashboard articles --db URL`) is reported as "not yet" rather than run.

Prints one Markdown table (errors, p50 and p95 per page) and writes it with every figure to
`<results-dir>/<date>-load.json` and `.md`. Only loopback addresses are contacted; the runs are bounded
in time (a 20,50 × 1,3 run at 60 s takes about 5 minutes): run it on a machine nobody else is timing.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from devtools import nginx

ROOT = Path(__file__).resolve().parent.parent
PAGE_NAMES = {"": "overview", "timeline": "timeline", "articles": "articles", "events": "events"}
TARGET_P95_MS = 2000        # issue #20: 20 sessions for 60 s, p95 per page ≤ 2 s with several processes
BEFORE_P95_MS = 5800        # issue #20: one process, 15–20 sessions, before this work


def _load_module():
    spec = importlib.util.spec_from_file_location("load", ROOT / "benchmarks" / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


load = _load_module()


def free_ports(n: int) -> int:
    """The first of n consecutive free loopback ports."""
    for base in range(20000, 60000, 97):
        ok = True
        for port in range(base, base + n):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    ok = False
                    break
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no free loopback ports")


def wait_healthy(port: int, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited with status {proc.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server on port {port} did not answer within {seconds:.0f} s")


def warm(port: int) -> None:
    """One session loads every page once on this process: its caches and imports, as after a while in use
    (signed in as the proxy's user, which a process started with --auth proxy believes from loopback)."""
    url = f"http://127.0.0.1:{port}"

    async def one():
        import websockets
        async with websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, origin=url, open_timeout=30,
                                      additional_headers={"X-Forwarded-User": nginx.USER}) as ws:
            for page, query in load.PAGES:
                await load.load_page(ws, page, query, timeout=120)
    asyncio.run(one())


class Servers:
    """`serve --workers P` on loopback; with P > 1 behind the README's nginx. url: where sessions connect."""

    def __init__(self, db: str, processes: int):
        self.db, self.processes = db, processes
        self.proc: subprocess.Popen | None = None
        self.proxy: nginx.Proxy | None = None
        self.log = tempfile.TemporaryFile()

    def __enter__(self) -> "Servers":
        base = free_ports(self.processes)
        ports = list(range(base, base + self.processes))
        # several processes as the README runs them: signed in by the proxy (nginx.Proxy's fixed user)
        auth = ["--auth", "proxy"] if self.processes > 1 else []
        self.proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--workers", str(self.processes),
                                      "--port", str(base), "--db", self.db, *auth], cwd=ROOT,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        try:
            for port in ports:
                wait_healthy(port, self.proc)
            for port in ports:
                warm(port)
            if self.processes > 1:
                self.proxy = nginx.Proxy(ports)
                self.url = self.proxy.start()
            else:
                self.url = f"http://127.0.0.1:{base}"
        except BaseException:
            self.__exit__()
            raise
        return self

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def __exit__(self, *exc) -> None:
        if self.proxy:
            self.proxy.stop()
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()      # serve stops its workers on SIGTERM
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def pages_read(db: str) -> str | None:
    """None when the dashboard reads this store, else why not (a PostgreSQL store before the PG query layer)."""
    done = subprocess.run([sys.executable, "-m", "dashboard", "articles", "--db", db, "--limit", "1", "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    if done.returncode == 0:
        return None
    said = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
    return f"the pages cannot read this store on this version ({said[:90]}…)"


def engine(db: str) -> str:
    return "postgresql" if db.startswith(("postgresql://", "postgres://")) else "sqlite"


def run_all(dbs: list[str], sessions: list[int], seconds: float, processes: list[int]) -> list[dict]:
    rows = []
    for db in dbs:
        skip = pages_read(db) if engine(db) == "postgresql" else None
        for p in processes:
            if skip:
                rows += [{"engine": engine(db), "processes": p, "sessions": s, "not_yet": skip} for s in sessions]
                continue
            with Servers(db, p) as servers:
                for s in sessions:
                    print(f"… {engine(db)}, {p} process{'es' * (p > 1)}, {s} sessions, {seconds:g} s", file=sys.stderr, flush=True)
                    result = load.run(sessions=s, seconds=seconds, db=None, url=servers.url)
                    rows.append({"engine": engine(db), "processes": p, "proxy": "nginx" if p > 1 else None, **result})
    return rows


def table(rows: list[dict]) -> str:
    pages = ["overview", "timeline", "articles", "events"]
    head = ("| store | processes | sessions | page loads | errors | p50 ms | p95 ms | "
            + " | ".join(f"p95 {p}" for p in pages) + " |")
    lines = [head, "|" + "---|" * (7 + len(pages))]
    for r in rows:
        lead = f"| {r['engine']} | {r['processes']}{' (nginx)' if r.get('proxy') else ''} | {r['sessions']} |"
        if "not_yet" in r:
            lines.append(lead + f" not yet: {r['not_yet']} |" + " |" * (4 + len(pages)))
            continue
        per = {PAGE_NAMES.get(k, k): v for k, v in r["p95_ms_per_page"].items()}
        lines.append(lead + f" {r['page_loads']} | {r['errors']} | {r['p50_ms']} | {r['p95_ms']} | "
                     + " | ".join(str(per.get(p, "–")) for p in pages) + " |")
    return "\n".join(lines)


def _ints(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("every number must be at least 1")
    return values


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m devtools.loadtest", description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=_ints, default=[20, 50], help="session counts, comma-separated (default 20,50)")
    ap.add_argument("--seconds", type=float, default=60, help="how long each run loads pages (default 60)")
    ap.add_argument("--processes", type=_ints, default=[1, 3], help="process counts, comma-separated (default 1,3)")
    ap.add_argument("--db", action="append", metavar="STORE",
                    help="a SQLite file or postgresql:// URL (repeatable; default: the demo store, built afresh)")
    ap.add_argument("--pg-cluster", action="store_true",
                    help="also a throw-away PostgreSQL cluster holding a copy of the first SQLite store")
    ap.add_argument("--results-dir", type=Path, default=ROOT / "benchmarks" / "results")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="loadtest-"))
    cluster = None
    try:
        # serve runs in the project folder: a relative SQLite path names the file from here
        dbs = [d if engine(d) == "postgresql" else str(Path(d).resolve()) for d in args.db or []]
        if not dbs:
            from dashboard.ingest.demo import build_demo_store
            build_demo_store(work / "demo.db")
            dbs = [str(work / "demo.db")]
        if args.pg_cluster:
            from devtools import pgcluster
            first = next((d for d in dbs if engine(d) == "sqlite"), None)
            try:
                cluster = pgcluster.Cluster()
                url = cluster.start()
                done = subprocess.run([sys.executable, "-m", "dashboard", "migrate", "--from", first, "--to", url],
                                      cwd=ROOT, capture_output=True, text=True, timeout=600)
                if done.returncode:
                    raise pgcluster.Unavailable(f"migrate failed: {done.stderr.strip()[-300:]}")
                dbs.append(url)
            except pgcluster.Unavailable as exc:
                print(f"note: no PostgreSQL cluster ({exc})", file=sys.stderr)
        # the machine's other work, which the figures include: noted beside them
        load_before = [round(x, 2) for x in os.getloadavg()]
        rows = run_all(dbs, args.sessions, args.seconds, args.processes)
        load_after = [round(x, 2) for x in os.getloadavg()]
    finally:
        if cluster:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    md = table(rows)
    print(md)
    command = "python -m devtools.loadtest " + " ".join(argv if argv is not None else sys.argv[1:])
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stem = args.results_dir / f"{dt.date.today().isoformat()}-load"
    machine = f"{os.cpu_count()} CPUs, load average {load_before} before, {load_after} after"
    stem.with_suffix(".json").write_text(json.dumps({"command": command, "machine": machine, "target_p95_ms": TARGET_P95_MS,
                                                     "before_p95_ms": BEFORE_P95_MS, "runs": rows}, indent=1) + "\n",
                                         encoding="utf-8")
    stem.with_suffix(".md").write_text(f"`{command}` ({dt.date.today().isoformat()}; {machine})\n\n{md}\n", encoding="utf-8")
    print(machine, file=sys.stderr)
    print(f"written: {stem}.json, {stem}.md", file=sys.stderr)
    return 1 if any(r.get("errors") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

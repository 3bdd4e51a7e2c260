"""Load test: N concurrent sessions of the real dashboard server over loopback.

    python benchmarks/load.py [--sessions 20] [--seconds 30] [--db data/relations.db] [--port 0]

Starts `python -m dashboard serve` on a free loopback port (or uses --url of a running
one), opens N Streamlit sessions over the app's own websocket protocol, and has each
one load the pages in turn (Overview, Timeline for a pair, Articles with a keyword,
Events) until the time is up. A page load is timed from the rerun request to the
script-finished message. Errors are connection failures, exceptions shown on a page
and runs that did not finish. Prints sessions, page loads, errors and p50/p95/max.
Only loopback addresses are ever contacted; the loop is bounded in time.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("", ""),  # the default page (Overview)
    ("timeline", "pair=BLR-RUS"),
    ("articles", "pair=BLR-LTU&q=Astravets"),
    ("events", "pair=BLR-POL"),
    ("articles", "q=Lukashenka%20sanctions"),
]


async def load_page(ws, page: str, query: str, timeout: float, problems: list | None = None) -> tuple[float, bool]:
    """Ask for one page run; (seconds, ok). ok is False on an exception element or no finish."""
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    problems = problems if problems is not None else []
    t0 = time.perf_counter()
    await ws.send(msg.SerializeToString())
    ok = True
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout)
        fm = ForwardMsg()
        fm.ParseFromString(raw)
        kind = fm.WhichOneof("type")
        if kind == "delta" and fm.delta.WhichOneof("type") == "new_element" \
                and fm.delta.new_element.WhichOneof("type") == "exception":
            ok = False
            exc = fm.delta.new_element.exception
            problems.append(f"{exc.type}: {exc.message[:200]}")
        if kind == "page_not_found":
            ok = False
        if kind == "script_finished":
            # ScriptFinishedStatus: 0 finished, 3 fragment finished; 1 compile error, 2 stopped early
            return time.perf_counter() - t0, ok and fm.script_finished in (0, 3)


async def session(url: str, deadline: float, times: list, errors: list, idx: int, per_page: dict) -> None:
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                      origin=url, open_timeout=30) as ws:
            i = idx
            while time.time() < deadline:
                page, query = PAGES[i % len(PAGES)]
                i += 1
                try:
                    problems: list[str] = []
                    dt, ok = await load_page(ws, page, query, timeout=60, problems=problems)
                    times.append(dt)
                    per_page.setdefault(page, []).append(dt)
                    if not ok:
                        errors.append(f"{page}?{query}: {'; '.join(problems) or 'run not finished'}")
                except (asyncio.TimeoutError, websockets.ConnectionClosed) as exc:
                    errors.append(f"{page}?{query}: {type(exc).__name__}")
                    return
    except Exception as exc:  # a session that cannot connect is an error, not a crash of the test
        errors.append(f"connect: {type(exc).__name__}: {exc}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(sessions: int, seconds: float, db: str | None, url: str | None = None) -> dict:
    """Run the load test; returns {sessions, page_loads, errors, error_samples, p50_ms, p95_ms, max_ms}."""
    proc = None
    if url is None:
        port = _free_port()
        cmd = [sys.executable, "-m", "dashboard", "serve", "--port", str(port)] + (["--db", db] if db else [])
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=dict(os.environ, **({"DASHBOARD_DB": db} if db else {})))
        url = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
    assert url.startswith(("http://127.", "http://localhost")), "load tests only target loopback"
    times: list[float] = []
    errors: list[str] = []
    per_page: dict[str, list[float]] = {}
    try:
        async def main():
            deadline = time.time() + seconds
            await asyncio.gather(*(session(url, deadline, times, errors, i, per_page) for i in range(sessions)))
        asyncio.run(main())
    finally:
        if proc:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:  # a server still draining its sessions
                proc.kill()
                proc.wait(10)
    ms = sorted(t * 1000 for t in times)
    return {"sessions": sessions, "seconds": seconds, "page_loads": len(ms), "errors": len(errors),
            "error_samples": errors[:5], "p50_ms": round(statistics.median(ms), 1) if ms else None,
            "p95_ms": percentile(ms, 0.95), "max_ms": round(ms[-1], 1) if ms else None,
            "p50_ms_per_page": {p: round(statistics.median(v) * 1000, 1) for p, v in sorted(per_page.items())},
            "p95_ms_per_page": {p: percentile(sorted(t * 1000 for t in v), 0.95) for p, v in sorted(per_page.items())}}


def percentile(ms: list[float], p: float) -> float | None:
    """The p-th quantile of the sorted list `ms` (the value below which a fraction p of the loads fall)."""
    return round(ms[min(len(ms) - 1, int(p * len(ms)))], 1) if ms else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--db", help="store to serve (default: the demo store)")
    ap.add_argument("--url", help="an already running server on loopback, e.g. http://127.0.0.1:8501")
    args = ap.parse_args()
    result = run(args.sessions, args.seconds, args.db, args.url)
    print(json.dumps(result, indent=1))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

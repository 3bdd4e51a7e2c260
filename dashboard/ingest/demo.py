"""The embedded demo store: built from the corpus in `data/demo/` on first launch."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from dashboard.ingest import import_paths
from dashboard.store import PROJECT_ROOT, open_store

DEMO_CORPUS = PROJECT_ROOT / "data" / "demo"
# The demo pages are ours, written for the dashboard from public facts: they have no outlet, and page-text
# files name their file as the source. An analyst reads "Demo corpus" there, not "001_stewart-leaves-minsk.txt".
DEMO_SOURCE = "Demo corpus"


def build_demo_store(path: str | os.PathLike, *, corpus: Path = DEMO_CORPUS,
                     progress: Callable[[int, int, str], None] | None = None):
    """Build a store at `path` from `corpus`, with its near-duplicate links stored; returns the ImportReport.

    The store is built in a temporary file beside `path` and moved into place at
    the end, so an interrupted build never leaves a half-filled store behind.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".demo-", suffix=".db", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        db = open_store(tmp)
        report = import_paths(db, [corpus], progress=progress)
        with db.conn:
            db.conn.execute("UPDATE articles SET source = ?", [DEMO_SOURCE])
        # as `python -m dashboard duplicates` would: the republished copies then count their events once
        from dashboard.queries.similar import store_near_duplicates
        store_near_duplicates(db)
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.execute("PRAGMA journal_mode = DELETE")
        db.conn.close()
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, tmp + "-wal", tmp + "-shm"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return report


def needs_demo(path: str | os.PathLike) -> bool:
    """True when `path` does not exist yet or holds no articles."""
    p = Path(path)
    if not p.exists() or p.stat().st_size == 0:
        return True
    db = open_store(p)
    try:
        return db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    finally:
        db.conn.close()

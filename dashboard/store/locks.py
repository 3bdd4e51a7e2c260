"""A transaction that holds SQLite's write lock from its first statement (BEGIN IMMEDIATE).

Several processes share one store (`serve --workers`, a CLI import beside a server): a step that reads
"is this still to do?" and then writes (a migration, filling a derived table) must read under the lock,
or two processes both do it. `wait=False` tries once (busy_timeout 0): a reader's optional write (syncing
the stored vocabulary) must never make a page wait for an import.
"""
from __future__ import annotations

import contextlib
import sqlite3


@contextlib.contextmanager
def write_lock(conn: sqlite3.Connection, *, wait: bool = True):
    """`with write_lock(conn):` — BEGIN IMMEDIATE, COMMIT when the block ends, ROLLBACK when it raises.
    The statements inside run one by one in that transaction (the connection's own implicit transactions
    are off meanwhile). Raises sqlite3.OperationalError ("database is locked") when `wait` is False and
    another connection writes."""
    level, conn.isolation_level = conn.isolation_level, None
    patience = None
    if not wait:
        patience = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.isolation_level = level
        if patience is not None:
            conn.execute(f"PRAGMA busy_timeout = {int(patience)}")

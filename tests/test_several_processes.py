"""Several dashboard processes on one SQLite store (issue #20, item 5): every one of them migrates an
older store safely when they start at once, and `serve --workers` starts and stops its processes."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

from conftest import ROOT

import dashboard.store as store
from dashboard.store import MIGRATIONS, SCHEMA_VERSION, _configure, _statements, current_version, open_store


def _old_store(path, version: int) -> None:
    """A store at schema `version`, as an older dashboard left it."""
    conn = sqlite3.connect(path)
    _configure(conn, False)
    for v in range(version):
        conn.executescript("BEGIN;" + MIGRATIONS[v] + f"DELETE FROM schema_version; INSERT INTO schema_version VALUES ({v + 1}); COMMIT;")
    conn.close()


def test_a_step_another_process_applied_meanwhile_is_not_applied_again(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    _old_store(path, 2)
    mine = store.sqlite_utils.Database(sqlite3.connect(path))
    _configure(mine.conn, False)
    open_store(path).conn.close()                    # another process: the store is now at SCHEMA_VERSION
    stale = iter([2])                                # what this process read before the other one committed
    real = store.current_version
    monkeypatch.setattr(store, "current_version", lambda db: next(stale, None) or real(db))
    store.migrate(mine)                              # v2 → v3 adds published_date: "duplicate column" before
    assert current_version(mine) == SCHEMA_VERSION
    assert [r[0] for r in mine.execute("SELECT version FROM schema_version")] == [SCHEMA_VERSION]
    mine.conn.close()


def test_three_processes_opening_an_old_store_at_once_all_open_it(tmp_path):
    path = tmp_path / "old.db"
    _old_store(path, 2)
    script = ("import sys, time\nfrom dashboard.store import open_store\nwhile time.time() < float(sys.argv[2]): pass\n"
              "db = open_store(sys.argv[1]); print(db.execute('SELECT version FROM schema_version').fetchone()[0])")
    import time
    start = str(time.time() + 3)                      # all three past their imports, then at once
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), start], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [(p.returncode, out.strip()) for p, (out, _) in zip(procs, outs)] == [(0, str(SCHEMA_VERSION))] * 3, outs


def test_migration_scripts_split_into_whole_statements():
    trigger = "CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); DELETE FROM c; END;"
    assert _statements("CREATE TABLE a (x); " + trigger) == ["CREATE TABLE a (x);", trigger]
    assert _statements("") == []
    assert _statements("SELECT 'a;b'") == ["SELECT 'a;b';"]

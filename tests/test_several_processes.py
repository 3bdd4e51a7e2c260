"""Several dashboard processes on one SQLite store (issue #20, item 5): every one of them migrates an
older store safely when they start at once, and `serve --workers` starts and stops its processes."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

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


def test_workers_stop_the_others_when_one_exits_and_return_its_status(tmp_path):
    from dashboard.app import workers
    pid_file = tmp_path / "pid"
    sleeper = [sys.executable, "-c", f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); "
               "time.sleep(600)", "--server.port", "1"]
    failing = [sys.executable, "-c", f"import os, time\np = {str(pid_file)!r}\n"         # exits once the sleeper runs
               "while not (os.path.exists(p) and os.path.getsize(p)): time.sleep(0.05)\nraise SystemExit(3)",
               "--server.port", "2"]
    assert workers.run([sleeper, failing], dict(os.environ), str(tmp_path)) == 3
    assert not os.path.exists(f"/proc/{pid_file.read_text()}")      # the sleeper was stopped (and reaped)


def test_workers_prepare_the_store_once_before_they_start(tmp_path):
    from dashboard.app import workers
    path = tmp_path / "old.db"
    _old_store(path, 2)
    workers.prepare_store({"DASHBOARD_DB": str(path)})
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    conn.close()


def test_serve_workers_must_fit_below_port_65536(capsys):
    from dashboard.cli import main
    assert main(["serve", "--port", "65535", "--workers", "2"]) == 2
    assert capsys.readouterr().err.strip() == "error: --workers 2 from --port 65535 goes past port 65535"

"""Store checks (issue #13, item 5): a damaged store is refused on open with what to do and is never
imported into; a store that cannot be written opens read-only and says so; no page shows a raw
database error or a server path."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import FIXTURES, ROOT
from dashboard import store as store_mod
from dashboard.cli import main as cli_main
from dashboard.ingest import import_paths
from dashboard.store import StoreCorrupt, StoreReadOnly, open_store

APP = str(ROOT / "streamlit_app.py")


def build_store(path: Path) -> Path:
    s = open_store(path)
    import_paths(s, [FIXTURES / "pages", FIXTURES / "articles.jsonl", FIXTURES / "articles.csv"])
    s.conn.close()   # the last close checkpoints the WAL: every page is in the main file
    return path


def flip_middle_page(path: Path, table: str = "mentions") -> None:
    """Damage one b-tree page in the middle of the file: the cell pointers of `table`'s leaf page.
    The file header and the schema stay intact, so the store opens and most queries answer."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", [table])]
    total = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    assert pages and all(1 < p < total for p in pages)   # not the header page, not the last
    data = bytearray(path.read_bytes())
    for p in pages:
        start = (p - 1) * page_size
        for i in range(start + 8, start + 16):
            data[i] ^= 0xA5
    path.write_bytes(bytes(data))


@pytest.fixture
def corrupt(tmp_path) -> Path:
    path = build_store(tmp_path / "corrupt.db")
    flip_middle_page(path)
    conn = sqlite3.connect(path)   # it still opens and reads articles, as the issue saw it …
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 8
    assert conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"   # … but it is damaged
    conn.close()
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_corrupt_store_is_refused_with_what_to_do(corrupt):
    with pytest.raises(StoreCorrupt) as info:
        open_store(corrupt)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{corrupt}: the store is damaged (SQLite quick_check: ")
    assert "Restore it from a backup" in message and "sqlite3 STORE .recover | sqlite3 recovered.db" in message
    assert str(corrupt) not in info.value.problem   # the text pages show names no server path


def test_cli_never_imports_into_a_corrupt_store(corrupt, capsys):
    before = sha(corrupt)
    code = cli_main(["import", str(FIXTURES / "events" / "gdelt2.export.CSV"), "--db", str(corrupt)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "the store is damaged" in err and "Traceback" not in err
    assert sha(corrupt) == before
    assert not Path(f"{corrupt}-wal").exists()


def test_quick_check_is_cached_per_file_state(tmp_path, monkeypatch):
    path = build_store(tmp_path / "s.db")
    open_store(path).conn.close()          # checked: good
    st = path.stat()
    flip_middle_page(path)                 # same size; put the old mtime back
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    open_store(path).conn.close()          # same (path, size, mtime): not checked again
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    open_store(path).conn.close()          # changed, but a good store is re-checked at most every minute
    monkeypatch.setattr(store_mod, "RECHECK_SECONDS", 0)
    with pytest.raises(StoreCorrupt):
        open_store(path)


def test_a_good_check_is_remembered_by_the_next_process(tmp_path, monkeypatch):
    """Issue #17: quick_check reads the whole file (seconds at 100k articles): a file state that passed is
    remembered across processes, and only a changed file is read again."""
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    path = build_store(tmp_path / "s.db")
    open_store(path).conn.close()
    st = path.stat()
    [(where, state)] = store_mod.checked_states().items()
    assert where == str(path.resolve()) and state[:3] == [st.st_size, st.st_mtime_ns, st.st_ino]
    assert abs(state[3] - time.time()) < 60
    monkeypatch.setattr(store_mod, "_CHECKED", {})       # a new process
    flip_middle_page(path)                                # damage the checker cannot see: same size and mtime
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    open_store(path).conn.close()                         # not read again
    monkeypatch.setattr(store_mod, "_CHECKED", {})
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1))   # the file changed: read again
    with pytest.raises(StoreCorrupt):
        open_store(path)


def test_a_large_store_is_checked_once_per_file_and_then_weekly(tmp_path, monkeypatch):
    """Issue #17: at 1M articles quick_check takes 40 s, and every write (a checkpoint, a kept answer) gives
    the file a new state: a store over LARGE_STORE_BYTES is checked again only when it is another file
    (inode) or its last check is a week old."""
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    path = build_store(tmp_path / "s.db")
    monkeypatch.setattr(store_mod, "LARGE_STORE_BYTES", path.stat().st_size - 1)
    open_store(path).conn.close()                          # the first open checks it: good
    st = path.stat()
    flip_middle_page(path)                                 # damage, and a new state (another mtime)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    monkeypatch.setattr(store_mod, "_CHECKED", {})         # a new process
    open_store(path, readonly=True).conn.close()           # the same large file: not read again
    key = str(path.resolve())
    states = store_mod.checked_states()
    states[key][3] -= store_mod.LARGE_RECHECK_SECONDS + 1  # its check a week old: read again
    store_mod.checks_file().write_text(json.dumps(states), encoding="utf-8")
    monkeypatch.setattr(store_mod, "_CHECKED", {})
    with pytest.raises(StoreCorrupt):
        open_store(path, readonly=True)
    # a small store (the default threshold) is read again at its new state, as before
    monkeypatch.setattr(store_mod, "LARGE_STORE_BYTES", 1 << 30)
    monkeypatch.setattr(store_mod, "_CHECKED", {})
    with pytest.raises(StoreCorrupt):
        open_store(path, readonly=True)


def test_an_unwritable_check_cache_only_costs_a_check(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(blocker / "cache"))
    path = build_store(tmp_path / "s.db")
    open_store(path).conn.close()
    assert store_mod.checked_states() == {}


def test_store_in_a_read_only_folder_opens_read_only(tmp_path, monkeypatch, capsys):
    # Tests run as root, which chmod does not stop: the folder's permission is what os.access says.
    path = build_store(tmp_path / "ro" / "s.db")
    folder = str(path.parent)
    real_access = os.access
    monkeypatch.setattr(store_mod.os, "access",
                        lambda p, mode, **kw: False if str(p) == folder and mode == os.W_OK
                        else real_access(p, mode, **kw))
    db = open_store(path)
    assert db.readonly
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 8
    with pytest.raises(StoreReadOnly, match="the store is read-only"):
        from dashboard.queries import events
        events.add_note(db, ("BLR", "RUS"), "2020-01-01", "ambassador recalled")
    db.conn.close()
    before = sha(path)
    code = cli_main(["import", str(FIXTURES / "articles.jsonl"), "--db", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "the store is read-only" in err
    assert sha(path) == before
    with pytest.raises(store_mod.StoreError, match="cannot create the store: its folder is read-only"):
        open_store(path.parent / "new.db")


def _real_read_only_run(script: str, folder: Path) -> subprocess.CompletedProcess:
    """Run `script` in a process that file permissions bind: ourselves when not root, else the
    'nobody' user through setpriv (skipped when neither is possible)."""
    cmd = [sys.executable, "-c", script]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("root ignores file permissions and setpriv is missing")
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_real_read_only_folder(corrupt):
    # A folder in /tmp that 'nobody' may enter (pytest's own tmp folders are root's only).
    base = Path(tempfile.mkdtemp(prefix="relations-ro-"))
    try:
        folder = base / "ro"
        folder.mkdir()
        good = build_store(folder / "good.db")
        shutil.copy(corrupt, folder / "bad.db")
        for p in (base, folder):
            p.chmod(0o555)
        for f in (good, folder / "bad.db"):
            f.chmod(0o444)
        script = textwrap.dedent(f"""
            from dashboard.store import open_store, StoreError
            db = open_store({str(good)!r})
            print(db.readonly, db.execute("SELECT count(*) FROM articles").fetchone()[0])
            try:
                open_store({str(folder / 'bad.db')!r})
            except StoreError as exc:
                print(type(exc).__name__)
        """)
        r = _real_read_only_run(script, folder)
        assert r.returncode == 0, r.stderr
        assert r.stdout.split() == ["True", "8", "StoreCorrupt"]
        assert sorted(p.name for p in folder.iterdir()) == ["bad.db", "good.db"]   # no -wal, -shm
    finally:
        for p in (base, base / "ro"):
            p.chmod(0o755)
        shutil.rmtree(base)


def texts(at: AppTest) -> list[str]:
    """Every text the app sent, main area and sidebar."""
    out = []
    for kind in ("error", "warning", "info", "markdown", "caption", "title", "subheader"):
        out += [str(e.value) for e in getattr(at, kind)]
        out += [str(e.value) for e in getattr(at.sidebar, kind)]
    return out


def test_page_on_a_corrupt_store_says_what_to_do(corrupt, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(corrupt))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1
    assert at.error[0].value.startswith("The store cannot be used: the store is damaged (SQLite quick_check")
    assert not any(str(corrupt.parent) in t for t in texts(at))


@pytest.mark.parametrize("error, notice", [
    (sqlite3.DatabaseError("database disk image is malformed"),
     "The store could not be read (SQLite: database disk image is malformed). If this persists, check it "
     "with `sqlite3 STORE 'PRAGMA integrity_check'`; details are in the server log."),
    (RuntimeError("/secret/server/path exploded"),
     "Something went wrong while drawing this page; the details are in the server log. "
     "Change the filters or reload the page."),
])
def test_page_errors_show_one_line_and_are_logged(fixture_db_path, monkeypatch, caplog, error, notice):
    # Damage that quick_check cannot see, or a bug, met half-way through a page.
    from dashboard.queries import articles
    def fail(*a, **k):
        raise error
    monkeypatch.setattr(articles, "store_counts", fail)
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db_path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [notice]
    assert not any("/secret" in t or str(fixture_db_path.parent) in t for t in texts(at))
    assert any(r.name == "dashboard.app.ui" and r.exc_info and r.exc_info[1] is error for r in caplog.records)


def test_read_only_store_says_so_in_the_sidebar(fixture_db_path, monkeypatch):
    monkeypatch.setattr(store_mod, "_writable", lambda p: False)
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db_path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [i.value for i in at.sidebar.info] == [f"Read-only: {store_mod.READ_ONLY_PROBLEM}."]
    assert at.metric[0].value == "8"
    at.switch_page("pages/import.py")
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == [f"Import is off: {store_mod.READ_ONLY_PROBLEM}."]
    assert at.button(key="import_go").disabled

"""Faults: imports killed with SIGKILL, concurrent readers during an import, corrupt,
read-only and newer-version stores, and random bytes fed to every importer."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.ingest import import_bytes
from dashboard.store import SCHEMA_VERSION, StoreError, fts_in_sync, open_store

from conftest import ROOT


def make_corpus(folder, n: int, seed: int = 1) -> None:
    """n page-text files with Belarus/Russia/Poland content, deterministic."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    words = "talks sanctions border gas oil treaty summit minister embassy trade pipeline exercise".split()
    for i in range(n):
        body = "\n\n".join(
            f"On {rnd.randint(1, 28)} March officials in Minsk and Moscow discussed {rnd.choice(words)} and "
            f"{rnd.choice(words)}; Warsaw criticised the {rnd.choice(words)} plan. " * 3 for _ in range(4))
        (folder / f"{i:05d}.txt").write_text(f"Report {i} on {rnd.choice(words)}\n\nMarch 30, 2015 10:{i % 60:02d}\n\n{body}\n",
                                            encoding="utf-8")


def _import_cmd(db, folder):
    return [sys.executable, "-m", "dashboard", "import", str(folder), "--db", str(db)]


def test_sigkill_during_import_leaves_a_consistent_store(tmp_path):
    folder = tmp_path / "corpus"
    make_corpus(folder, 150)
    db = tmp_path / "k.db"
    rnd = random.Random(7)
    outcomes = []
    for run in range(4):
        proc = subprocess.Popen(_import_cmd(db, folder), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.8, 3.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        store = open_store(db)
        assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert fts_in_sync(store)
        n_articles = store.execute("SELECT count(*) FROM articles").fetchone()[0]
        n_imported = store.execute("SELECT count(*) FROM imports WHERE status = 'imported'").fetchone()[0]
        # one article per file: a file is in the store whole or not at all
        assert n_articles == n_imported
        assert store.execute("SELECT count(*) FROM imports WHERE status = 'running'").fetchone()[0] == 0
        outcomes.append(n_articles)
        store.conn.close()
    time.sleep(0.5)
    orphans = subprocess.run(["pgrep", "-f", str(folder)], capture_output=True, text=True).stdout.split()
    assert orphans == [], "worker processes outlived the killed import"
    done = subprocess.run(_import_cmd(db, folder), cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    store = open_store(db)
    assert store.execute("SELECT count(*) FROM articles").fetchone()[0] == 150
    assert fts_in_sync(store)
    print(f"kill test: partial article counts after SIGKILL {outcomes}; completed to 150 on re-run")


def test_readers_keep_answering_during_an_import(tmp_path):
    folder = tmp_path / "corpus"
    make_corpus(folder, 200, seed=3)
    db = tmp_path / "c.db"
    open_store(db).conn.close()
    reader = tmp_path / "reader.py"
    reader.write_text(textwrap.dedent(f"""
        import sys, time
        from dashboard.store import open_store
        from dashboard.queries.articles import count_articles, list_articles
        from dashboard.queries.filters import Filter
        db = open_store({str(db)!r})
        n, errors, last, t0 = 0, 0, 0, time.time()
        while time.time() - t0 < 6:
            try:
                db.execute("BEGIN")  # one read snapshot, so the counts below must agree
                total = count_articles(db, Filter())
                hits = count_articles(db, Filter.build(pair="BLR-RUS", query="talks"))
                list_articles(db, Filter.build(query="sanctions"), limit=20)
                fts = db.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]
                db.execute("COMMIT")
                if total < last or hits > total or fts != total:
                    errors += 1
                last = total
                n += 1
            except Exception as exc:
                errors += 1
                print(repr(exc), file=sys.stderr)
                if db.conn.in_transaction:
                    db.execute("ROLLBACK")
        print(n, errors)
    """))
    imp = subprocess.Popen(_import_cmd(db, folder), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    r = subprocess.run([sys.executable, str(reader)], cwd=ROOT, capture_output=True, text=True)
    imp.wait(120)
    queries, errors = map(int, r.stdout.split())
    print(f"concurrent import: {queries} query rounds, {errors} errors")
    assert errors == 0, r.stderr
    assert queries > 10
    assert imp.returncode == 0


def test_not_sqlite_and_corrupt_files_give_a_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"hello, not a database" * 200)
    with pytest.raises(StoreError, match="not a usable SQLite store"):
        open_store(bad)
    good = tmp_path / "good.db"
    store = open_store(good)
    store.conn.execute("PRAGMA journal_mode = DELETE")
    store.conn.close()
    data = bytearray(good.read_bytes())
    data[100:4096] = os.urandom(3996)
    good.write_bytes(bytes(data))
    with pytest.raises(StoreError):
        s = open_store(good)
        s.execute("SELECT count(*) FROM articles").fetchone()


def test_newer_schema_is_refused_and_empty_file_is_migrated(tmp_path):
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER)")
    conn.execute("INSERT INTO schema_version VALUES (?)", [SCHEMA_VERSION + 1])
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer than this dashboard"):
        open_store(path)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    store = open_store(empty)
    assert store.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_store_opens_read_only(tmp_path):
    path = tmp_path / "ro.db"
    open_store(path).conn.close()
    path.chmod(stat.S_IRUSR)
    store = open_store(path)
    assert store.readonly
    assert store.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_read_only_flag_opens_without_writing(tmp_path):
    path = tmp_path / "ro2.db"
    open_store(path).conn.close()
    store = open_store(path, readonly=True)
    with pytest.raises(sqlite3.OperationalError):
        store.execute("INSERT INTO notes (pair_a, pair_b, date, text) VALUES ('A', 'B', '2020-01-01', 'x')")


NAMES = st.sampled_from(["a.txt", "b.jsonl", "c.csv", "d.json", "e.tsv", "f", "g.zip", "h.html", "i.xml"])
CHUNKS = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8")),
    st.text(max_size=500).map(lambda t: ("Title\n\nApril 22, 2016\n\n" + t).encode("utf-8")),
    st.text(max_size=500).map(lambda t: ("\ufeffurl,title,published_at,body\nx," + t).encode("utf-8")),
    st.text(max_size=500).map(lambda t: ("Заголовок\r\n\r\n22.04.2016\r\n\r\n" + t).encode("cp1251", "replace")),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, data=CHUNKS)
def test_importers_never_raise_on_random_input(db, name, data):
    reports = import_bytes(db, name, data, force=True)
    for r in reports:
        assert r.status in ("imported", "failed", "duplicate")
        if r.status == "failed":
            assert r.errors and str(r.errors[0])
    assert fts_in_sync(db)


def test_older_schema_is_migrated_on_open(tmp_path):
    from dashboard.store import MIGRATIONS
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.create_function("fold", 1, lambda t: t)  # what the triggers call (store._configure registers the real one)
    conn.executescript(MIGRATIONS[0] + "INSERT INTO schema_version VALUES (1);")
    # the index as stores before v4 had it
    conn.executescript("DROP INDEX events_article; CREATE INDEX events_article ON events(article_id);")
    conn.execute("INSERT INTO articles (title, body, content_hash, title_key, published_at) "
                 "VALUES ('Old', 'kept', 'h', 'old', '2016-04-22 17:51')")
    conn.execute("INSERT INTO article_pairs (pair_a, pair_b, article_id, weight) VALUES ('BLR', 'RUS', 1, 1)")
    conn.commit()
    conn.close()
    store = open_store(path)
    assert store.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION == 18
    # v18: store-wide answers kept between processes (issue #17), none yet
    assert store.execute("SELECT count(*) FROM summaries").fetchone()[0] == 0
    # v16: who made each edit, note, saved view and import (issue #20)
    assert all("by" in store[t].columns_dict for t in ("edits", "notes", "saved_views", "imports"))
    # v13: saved views (issue #18), empty
    assert store["saved_views"].columns_dict == {"id": int, "name": str, "page": str, "params": str, "created_at": str,
                                                 "by": str}
    assert store.execute("SELECT count(*) FROM saved_views").fetchone()[0] == 0
    # v12: coordinates for maps (the event's place, GDELT's actors' places)
    assert {"lat", "lon", "actor1_lat", "actor1_lon", "actor2_lat", "actor2_lon"} <= set(store["events"].columns_dict)
    # v11: the index holds the dictionary forms of Russian words beside the text (none here)
    assert store.execute("SELECT title_lemmas, body_lemmas FROM articles").fetchall() == [(None, None)]
    assert store.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'kept'").fetchall() == [(1,)]
    # v10: the language detected in the text (the old row had none)
    assert store.execute("SELECT language FROM articles").fetchall() == [("en",)]
    # v9: events carry the source's revision time; imports what was updated, deleted, the encoding, warnings
    assert "revised_at" in store["events"].columns_dict
    assert {"updated", "deleted", "encoding", "warnings"} <= set(store["imports"].columns_dict)
    # v7: a link stored before salience existed is unscored and kept as about (as every link was)
    assert store.execute("SELECT salience, about FROM article_pairs").fetchall() == [(None, 1)]
    # v8: events carry repeat_of (one event, counted once), NULL until `duplicates` marks repeats
    assert "repeat_of" in store["events"].columns_dict
    assert store.execute("SELECT published_date FROM articles").fetchall() == [("2016-04-22",)]
    assert store.execute("SELECT published_date, published_at FROM article_pairs").fetchall() == [
        ("2016-04-22", "2016-04-22 17:51")]
    index_sql = store.execute("SELECT sql FROM sqlite_master WHERE name = 'events_article'").fetchone()[0]
    assert index_sql.endswith("WHERE article_id IS NOT NULL")
    assert "articles_fts_vocab" in store.table_names()
    assert store.execute("SELECT title FROM articles").fetchall() == [("Old",)]

"""Moving a store between SQLite and PostgreSQL (`python -m dashboard migrate`, issue #20): every table
copied and verified by counts and checksums, refusal of a target holding a store, no trace of a failed copy."""
from __future__ import annotations

import sqlite3

import pytest

from dashboard.cli import main
from dashboard.queries import articles as art
from dashboard.queries.filters import Filter
from dashboard.store import SCHEMA_VERSION, fts_in_sync, open_store
from dashboard.store import postgres as pg
from dashboard.store.transfer import MigrateRefused, Tally, migrate, row_text


def _tables(path) -> dict[str, Tally]:
    db = open_store(path, readonly=True)
    try:
        out = {}
        for t in pg.store_tables():
            tally = out[t.name] = Tally()
            tally.add(db.execute(f"SELECT {', '.join(pg.q(c.name) for c in t.columns)} FROM {pg.q(t.name)}").fetchall())
        return out
    finally:
        db.conn.close()


def _search(path, query: str) -> list[int]:
    db = open_store(path, readonly=True)
    try:
        return [(r["id"], r.get("snippet"), r.get("score")) for r in art.list_articles(db, Filter.build(query=query), limit=50)]
    finally:
        db.conn.close()


def test_the_schema_is_derived_from_the_sqlite_store():
    names = [t.name for t in pg.store_tables()]
    assert set(names) == {"articles", "article_links", "mentions", "article_pairs", "events", "edits", "notes",
                          "imports", "saved_views", "schema_version"}
    assert names.index("articles") < names.index("events") and names.index("articles") < names.index("mentions")
    edits = next(t for t in pg.store_tables() if t.name == "edits")
    assert [c.name for c in edits.columns][-1] == "by"
    sql = pg.create_table_sql(edits)
    assert '"by" TEXT' in sql and "to_char(now() AT TIME ZONE 'UTC'" in sql
    events = next(t for t in pg.store_tables() if t.name == "events")
    assert 'CREATE UNIQUE INDEX "events_source_key" ON "events" ("source", "source_event_id")' in events.indexes


def test_row_text_tells_types_and_boundaries_apart():
    assert row_text((1, None, "a")) != row_text(("1", None, "a"))
    assert row_text(("a\x1fb",)) != row_text(("a", "b"))
    assert row_text((1.0,)) != row_text((1,))
    a, b = Tally(), Tally()
    a.add([(1, "x"), (2, "y")])
    b.add([(2, "y"), (1, "x")])
    assert a == b and a.rows == 2


def test_round_trip_sqlite_postgres_sqlite_gives_identical_tables(fixture_db_path, pg_url, tmp_path, capsys):
    # the fixture store, with a row in each table the importer leaves empty (`by` is reserved in PostgreSQL)
    db = open_store(fixture_db_path)
    with db.conn:
        db.execute("INSERT INTO edits (target, source, source_event_id, field, value, note, by) "
                   "VALUES ('event', 'manual', 'k1', 'date', '2021-05-23', 'Łódź “quoted”', 'ana@example.org')")
        db.execute("INSERT INTO notes (pair_a, pair_b, date, text, by) VALUES ('BLR', 'RUS', '2021-05-24', 'pin', 'ivan')")
        db.execute("INSERT INTO saved_views (name, page, params, created_at, by) "
                   "VALUES ('Ryanair', 'timeline', '{\"pair\": \"BLR-EU\"}', '2026-01-01T00:00:00Z', 'ana')")
        db.execute("UPDATE article_pairs SET salience = 0.1 + 0.2")   # a float that only an exact copy keeps
    db.conn.close()
    back = tmp_path / "back.db"
    assert main(["migrate", "--from", str(fixture_db_path), "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "MISMATCH" not in out and out.strip().splitlines()[-1] == "ok: 67 rows in 10 tables copied and verified"
    assert main(["migrate", "--from", pg_url, "--to", str(back)]) == 0
    before, after = _tables(fixture_db_path), _tables(back)
    assert after == before
    assert {name: t.rows for name, t in after.items()} == {
        "articles": 9, "edits": 1, "notes": 1, "imports": 6, "schema_version": 1, "saved_views": 1,
        "article_links": 1, "mentions": 19, "article_pairs": 15, "events": 13}
    db = open_store(back, readonly=True)
    try:
        assert db.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert fts_in_sync(db)
    finally:
        db.conn.close()
    for query in ("Ryanair", "Lukashenko", '"migrant crisis"', "title:Minsk", "Kuznica", "Warsaw OR Vilnius", "Belaru*"):
        assert _search(back, query) == _search(fixture_db_path, query), query
    assert len(_search(back, "Ryanair")) >= 1 and len(_search(back, "Kuznica")) >= 1


def test_postgres_has_full_text_search_and_the_identity_continues(fixture_store_path, pg_url):
    import psycopg
    assert migrate(str(fixture_store_path), pg_url).ok
    with psycopg.connect(pg_url) as conn:
        hits = conn.execute("SELECT count(*) FROM articles WHERE fts @@ websearch_to_tsquery('english', 'sanctions')").fetchone()[0]
        top = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
        new = conn.execute("INSERT INTO notes (pair_a, pair_b, date, text) VALUES ('BLR', 'RUS', '2020-01-01', 'x') "
                           "RETURNING id, at").fetchone()
        assert conn.execute("SELECT count(*) FROM notes WHERE id = %s", [new[0]]).fetchone()[0] == 1
        assert top > 0
    assert hits == len(_search(fixture_store_path, "sanctions")) or hits > 0
    assert len(new[1]) == 20   # '2026-01-01T00:00:00Z', as SQLite's default writes it


def test_a_target_holding_a_store_is_refused_unless_replace(fixture_store_path, fixture_db_path, pg_url, tmp_path, capsys):
    assert migrate(str(fixture_store_path), pg_url).ok
    with pytest.raises(MigrateRefused, match="--replace"):
        migrate(str(fixture_store_path), pg_url)
    assert main(["migrate", "--from", str(fixture_store_path), "--to", pg_url]) == 2
    assert "--replace" in capsys.readouterr().err
    assert migrate(str(fixture_store_path), pg_url, replace=True).ok
    with pytest.raises(MigrateRefused, match="--replace"):
        migrate(pg_url, str(fixture_db_path))
    empty = tmp_path / "empty.db"
    open_store(empty).conn.close()      # a store without rows is not refused
    assert migrate(pg_url, str(empty)).ok
    assert _tables(empty) == _tables(fixture_store_path)


def test_a_failing_copy_leaves_no_trace(fixture_db_path, pg_url, tmp_path, monkeypatch):
    import psycopg
    from dashboard.store import transfer
    # PostgreSQL target: a NUL character, which SQLite keeps in a text and PostgreSQL refuses, in the
    # saved view copied after every other table's rows: the whole copy is rolled back
    db = open_store(fixture_db_path)
    with db.conn:
        db.execute("INSERT INTO saved_views (name, page, params, created_at) VALUES (?, 'timeline', '{}', 'x')",
                   ["bad\x00name"])
    db.conn.close()
    report = migrate(str(fixture_db_path), pg_url)
    assert not report.ok and report.error
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
    # SQLite target: a copy failing half-way leaves the target's bytes as they were and no temporary file
    db = open_store(fixture_db_path)
    with db.conn:
        db.execute("DELETE FROM saved_views")
    db.conn.close()
    assert migrate(str(fixture_db_path), pg_url).ok
    target = tmp_path / "target.db"
    open_store(target).conn.close()
    before = target.read_bytes()
    real = transfer.Tally.add

    def failing(self, batch):
        if self.rows >= 6:
            raise RuntimeError("disk full")
        real(self, batch)
    monkeypatch.setattr(transfer.Tally, "add", failing)
    report = migrate(pg_url, str(target), batch=3)
    assert not report.ok and "disk full" in report.error
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if ".migrate-" in p.name] == []   # no temporary file left


def test_migrate_without_psycopg_or_source_says_what_to_do(tmp_path, capsys):
    assert main(["migrate", "--from", str(tmp_path / "none.db"), "--to", str(tmp_path / "b.db")]) == 2
    assert "no store at" in capsys.readouterr().err


def test_an_unreachable_postgresql_is_one_line_without_the_password(fixture_store_path, tmp_path, capsys):
    pytest.importorskip("psycopg")
    url = f"postgresql://ana:secret@/nothing?host={tmp_path}"
    assert main(["migrate", "--from", str(fixture_store_path), "--to", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot connect to postgresql://ana:***@/nothing") and "secret" not in err
    assert len(err.strip().splitlines()) == 1


# --- migrate --upgrade: a PostgreSQL store at an older schema version, brought forward in place ----------

def _as_version_15(url: str) -> None:
    """Make the PostgreSQL store at `url` what a store copied at schema version 15 looks like: before v16
    gave edits, notes, saved views and imports their `by` column."""
    import psycopg
    with psycopg.connect(url) as conn:
        for table in ("edits", "notes", "saved_views", "imports"):
            conn.execute(f'ALTER TABLE {table} DROP COLUMN "by"')
        conn.execute("UPDATE schema_version SET version = 15")


def _rows(url: str, sql: str) -> list[tuple]:
    import psycopg
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def test_upgrade_brings_an_older_postgresql_store_forward_keeping_every_row(fixture_db_path, pg_url, tmp_path, capsys):
    from dashboard.store import StoreError
    assert migrate(str(fixture_db_path), pg_url).ok
    import psycopg
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO notes (pair_a, pair_b, date, text) VALUES ('BLR', 'POL', '2021-11-08', 'Kuźnica crossing')")
    _as_version_15(pg_url)
    with pytest.raises(StoreError, match="migrate --upgrade"):
        open_store(pg_url)
    assert main(["migrate", "--upgrade", pg_url]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].endswith(f"upgraded from schema version 15 to {SCHEMA_VERSION}") and "MISMATCH" not in "\n".join(out)
    assert _rows(pg_url, "SELECT version FROM schema_version") == [(SCHEMA_VERSION,)]
    assert _rows(pg_url, 'SELECT date, text, "by" FROM notes') == [("2021-11-08", "Kuźnica crossing", None)]
    # the articles and events are the fixture's, to the checksum; the store opens and searches
    back = tmp_path / "back.db"
    assert migrate(pg_url, str(back)).ok
    before, after = _tables(fixture_db_path), _tables(back)
    for name in ("articles", "events", "mentions", "article_pairs", "article_links"):
        assert after[name] == before[name], name
    assert after["imports"].rows == before["imports"].rows == 6
    db = open_store(pg_url)
    try:
        assert [r["id"] for r in art.list_articles(db, Filter.build(query="Ryanair"))] == \
            [r[0] for r in _search(fixture_db_path, "Ryanair")]
    finally:
        db.close()
    # a store at the current version: nothing to do
    assert main(["migrate", "--upgrade", pg_url]) == 0
    assert capsys.readouterr().out.strip().endswith(f"is at schema version {SCHEMA_VERSION} already: nothing to do")


def test_upgrade_locks_out_writes_and_a_failure_leaves_the_old_store(fixture_db_path, pg_url, monkeypatch):
    import psycopg
    from dashboard.store import transfer
    assert migrate(str(fixture_db_path), pg_url).ok
    _as_version_15(pg_url)
    notes_before = _rows(pg_url, "SELECT count(*) FROM notes")
    real_copy, blocked = transfer._copy, []

    def copy_then_try_a_note(dst, src, tables, batch, report):
        # an old server pinning a note while the store is read: it must wait, not slip in between
        with psycopg.connect(pg_url) as other:
            other.execute("SET lock_timeout = '200ms'")
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute("INSERT INTO notes (pair_a, pair_b, date, text) VALUES ('BLR', 'RUS', '2020-01-01', 'x')")
            blocked.append(True)
        report = real_copy(dst, src, tables, batch, report)
        if len(blocked) == 2:   # the copy back fails half-way: everything is rolled back
            report.error = "RuntimeError: disk full"
        return report
    monkeypatch.setattr(transfer, "_copy", copy_then_try_a_note)
    result = transfer.upgrade(pg_url)
    assert blocked == [True, True] and not result.ok
    assert result.lines()[-1].endswith("was left at schema version 15, as it was")
    assert _rows(pg_url, "SELECT version FROM schema_version") == [(15,)]
    assert _rows(pg_url, "SELECT count(*) FROM notes") == notes_before
    assert _rows(pg_url, "SELECT count(*) FROM articles") == [(9,)]


def test_upgrade_is_for_a_postgresql_url_alone(fixture_store_path, capsys):
    assert main(["migrate", "--upgrade", str(fixture_store_path)]) == 2
    assert "a SQLite store is upgraded when it is opened" in capsys.readouterr().err
    assert main(["migrate", "--upgrade", "postgresql:///x", "--to", "y.db"]) == 2
    assert "give it alone" in capsys.readouterr().err
    assert main(["migrate", "--from", str(fixture_store_path)]) == 2
    assert "give --from STORE and --to STORE (or --upgrade URL)" in capsys.readouterr().err

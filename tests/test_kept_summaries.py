"""Issue #17: store-wide answers (actor counts, totals, top pairs, sources) are kept in the store with the
version they were computed at, so a new process (a CLI call, a server start) reads them instead of reading
every event again: paid once per change of the store, not once per process."""
from __future__ import annotations

import pytest

from dashboard.ingest import import_paths
from dashboard.queries import articles as art
from dashboard.queries import events as ev
from dashboard.store import open_store, version
from dashboard.store.version import memo


def _new_process(monkeypatch):
    """What a new process starts with: no memo in memory."""
    monkeypatch.setattr(version, "_MEMO", {})


def _nothing_computed():
    raise AssertionError("computed again although the store holds the answer")


def test_a_new_process_reads_the_kept_answer(fixture_db, monkeypatch):
    counts = art.actor_counts(fixture_db)
    assert (counts["BLR"], counts["LTU"]) == (21, 7)
    _new_process(monkeypatch)
    monkeypatch.setattr(art, "_actor_counts", lambda db: _nothing_computed())
    assert art.actor_counts(fixture_db) == counts
    assert fixture_db.execute("SELECT name FROM summaries ORDER BY name").fetchall() == [("actor_counts",)]


@pytest.mark.parametrize("value", [
    {"BLR": 3, "RUS": 2},
    [("BLR", "RUS", 7), ("LTU", "POL", 1)],
    [{"pair_a": "BLR", "pair_b": "RUS", "articles": 2, "events": None, "params": {"pair": "BLR-RUS"}}],
    ["acled", "gdelt"],
    12,
    (),
])
def test_kept_answers_come_back_exactly(fixture_db, monkeypatch, value):
    assert memo(fixture_db, "shape", ("x", 3, None), lambda: value, keep=True) == value
    _new_process(monkeypatch)
    got = memo(fixture_db, "shape", ("x", 3, None), _nothing_computed, keep=True)
    assert got == value and type(got) is type(value)
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        assert all(type(r) is tuple for r in got)


def test_a_data_change_computes_again(fixture_db, monkeypatch, tmp_path):
    assert art.actor_counts(fixture_db)["LTU"] == 7
    extra = tmp_path / "extra.jsonl"
    extra.write_text('{"title": "Belarus and Lithuania talk again", "body": "Belarus and Lithuania met on '
                     '5 May 2020 in Vilnius.", "published_at": "2020-05-06", "url": "http://example.org/x"}\n')
    import_paths(fixture_db, [extra])
    _new_process(monkeypatch)
    assert art.actor_counts(fixture_db)["LTU"] == 7 + 1 + 1      # one more article, one more event
    assert fixture_db.execute("SELECT count(*) FROM summaries WHERE name = 'actor_counts'").fetchone()[0] == 1


def test_a_read_only_store_computes_and_keeps_nothing(fixture_db_path, monkeypatch):
    store = open_store(fixture_db_path, readonly=True)
    try:
        assert ev.sources_present(store) == ["extracted"]
        assert store.execute("SELECT count(*) FROM summaries").fetchone()[0] == 0
    finally:
        store.conn.close()


def test_a_busy_store_does_not_make_the_page_wait(fixture_db_path):
    writer = open_store(fixture_db_path)
    reader = open_store(fixture_db_path)
    try:
        writer.conn.execute("BEGIN IMMEDIATE")       # another process is importing
        assert art.store_counts(reader)["articles"] > 0
        assert reader.execute("PRAGMA busy_timeout").fetchone()[0] > 0   # its patience is given back
        writer.conn.rollback()
        assert reader.execute("SELECT count(*) FROM summaries").fetchone()[0] == 0
    finally:
        writer.conn.close()
        reader.conn.close()


def test_the_whole_stores_pair_matrix_is_kept_and_a_filtered_one_is_not(fixture_db, monkeypatch):
    from dashboard.queries import pairs
    from dashboard.queries.filters import Filter
    whole = pairs.pair_rows(fixture_db, Filter())
    dated = pairs.pair_rows(fixture_db, Filter.build(date_from="2021-01-01"))
    assert whole and whole[0]["events"] >= dated[0]["events"]
    assert fixture_db.execute("SELECT name FROM summaries").fetchall() == [("pair_rows",)]   # one: the whole store's
    _new_process(monkeypatch)
    monkeypatch.setattr(pairs, "_pair_rows", lambda db, f: _nothing_computed())
    assert pairs.pair_rows(fixture_db, Filter.build(pair="BLR-RUS")) == whole   # the pair does not narrow the matrix


def test_the_import_command_computes_the_pages_store_wide_answers(tmp_path, monkeypatch):
    """The first page run after an import does not compute the totals, actors, pair matrix, busiest pairs
    and sources: the import command did, once (queries.totals)."""
    from conftest import FIXTURES
    from dashboard.cli import main
    from dashboard.queries import pairs
    from dashboard.queries.filters import Filter
    path = tmp_path / "s.db"
    assert main(["import", str(FIXTURES / "pages"), "--db", str(path)]) == 0
    db = open_store(path)
    names = {r[0] for r in db.execute("SELECT name FROM summaries")}
    assert names == {"store_counts", "actor_counts", "explorations", "top_pairs", "pair_rows", "sources",
                     "top_pairs_with_events"}
    _new_process(monkeypatch)
    for module, name in ((art, "_store_counts"), (art, "_actor_counts"), (art, "_explorations"),
                         (pairs, "_pair_rows")):
        monkeypatch.setattr(module, name, lambda *a, **k: _nothing_computed())
    monkeypatch.setattr(db, "execute", _no_events_read(db.execute))
    assert art.store_counts(db)["articles"] >= 1 and art.actor_counts(db)["BLR"] >= 1
    assert pairs.pair_rows(db, Filter()) and ev.sources_present(db) == ["extracted"]
    assert ev.top_pairs_by_events(db, 12)
    db.conn.close()


def _no_events_read(execute):
    def guarded(sql, *args, **kw):
        assert "FROM events" not in sql, sql
        return execute(sql, *args, **kw)
    return guarded

"""The same answers from SQLite and PostgreSQL (issue #20): one store — the fixture store and a few articles
written for the keyword language — read through the same queries on both engines (`--db postgresql://…`).

`store` runs a test once per engine (PostgreSQL in a throw-away cluster, skipped where the server binaries
or psycopg are absent), with exact values; the comparisons read both engines and assert equal rows: events
by every filter, timelines per day, week, month, quarter and year, the pair matrix, articles, both CSVs and
keyword search (as sets of articles: the ranking differs, ARCHITECTURE.md "Two engines").
"""
from __future__ import annotations

import json
import shutil

import pytest

from dashboard.cli import main
from dashboard.ingest import import_paths
from dashboard.queries import articles as art
from dashboard.queries import events as ev
from dashboard.queries import pairs, timeline, views
from dashboard.queries.export import csv_bytes
from dashboard.queries.filters import Filter
from dashboard.store import dialect, open_store
from dashboard.store.pgstore import placeholders
from dashboard.store.transfer import migrate

# Articles for the keyword language: accents, Cyrillic, spellings, hyphens, possessives, phrases, prefixes.
EXTRA = [
    {"url": "https://example.org/engines/1", "title": "Energy co-operation: a summit in Łódź", "published_at": "2022-03-01",
     "body": "Lithuania hosted no one; Łódź did. Negotiations on energy co-operation went on for a week in Łódź."},
    {"url": "https://example.org/engines/2", "title": "Лукашенко встретился с Путиным", "published_at": "2022-03-02",
     "body": "Президент Беларуси Лукашенко встретился с Путиным в Москве и обсудил санкции."},
    {"url": "https://example.org/engines/3", "title": "Minsk's answer to the sanctions", "published_at": "2022-03-03",
     "body": "Belarus said Lukashenka would answer the European Union's sanctions. Minsk's reply came later."},
    {"url": "https://example.org/engines/4", "title": "Café diplomacy in Vilnius", "published_at": "2022-03-04",
     "body": "Diplomats negotiated over coffee in Vilnius; Lithuania and Poland sanctioned two firms."},
    {"url": "https://example.org/engines/5", "title": "A mayor's spelling", "published_at": "2022-03-05",
     "body": "The mayor, Bondarenka, spoke at length about roads."},
]

QUERIES = ["Lukashenka", "Lukashenko", "Лукашенко", "sanction*", "negotiat*", '"dairy ban"', "Minsk OR Vilnius",
           "Belarus -Russia", "title:Ryanair", "title:(Minsk OR Łódź)", "milk NOT dairy", "Łódź", "Lodz", "cafe",
           "co-operation", "Minsk's", '"European Union"', "body:sanctions Minsk", "(Poland OR Lithuania) -Belarus",
           "санкции", "Путиным", "Bondarenko"]

FILTERS = [Filter.build(), Filter.build(pair="BLR-RUS"), Filter.build(pair="BLR-LTU", date_from="2016-11-22"),
           Filter.build(pair="BLR-RUS", direction="ab"), Filter.build(pair="BLR-RUS", direction="ba"),
           Filter.build(quad="3,4"), Filter.build(sources="extracted", date_to="2016-12-31"),
           Filter.build(pair="BLR-RUS", hide_uncertain=True), Filter.build(date_from="2009-06-14", date_to="2009-06-17"),
           Filter.build(pair="BLR-EU", any_mention=True), Filter.build(query="Lukashenko"),
           Filter.build(pair="BLR-RUS", query="summit OR ban"), Filter.build(language="en")]


@pytest.fixture(scope="session")
def both_path(fixture_store_path, tmp_path_factory):
    """The fixture store with EXTRA imported, as a SQLite file."""
    folder = tmp_path_factory.mktemp("engines")
    path = folder / "both.db"
    shutil.copyfile(fixture_store_path, path)
    extra = folder / "extra.jsonl"
    extra.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in EXTRA), encoding="utf-8")
    db = open_store(path)
    import_paths(db, [extra])
    db.conn.close()
    return path


@pytest.fixture(scope="session")
def both_url(both_path, pg_cluster):
    """The same store copied into a database of the throw-away cluster (store.transfer), read through --db."""
    import psycopg
    with psycopg.connect(pg_cluster.url("postgres"), autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "engines"')
        conn.execute('CREATE DATABASE "engines"')
    url = pg_cluster.url("engines")
    assert migrate(str(both_path), url).ok
    return url


@pytest.fixture(scope="session")
def lite(both_path):
    db = open_store(both_path, readonly=True)
    yield db
    db.conn.close()


@pytest.fixture(scope="session")
def pgdb(both_url):
    db = open_store(both_url)
    yield db
    db.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request):
    return request.getfixturevalue("lite" if request.param == "sqlite" else "pgdb")


# --- each engine, exact values -----------------------------------------------------------------------

def test_a_postgresql_url_opens_the_postgresql_dialect(lite, pgdb):
    assert dialect.of(lite) is dialect.SQLITE and dialect.of(pgdb) is dialect.POSTGRES
    assert placeholders("SELECT '?', \"a?\" FROM t WHERE x = ? AND y LIKE '%a'") == \
        "SELECT '?', \"a?\" FROM t WHERE x = %s AND y LIKE '%%a'"


def test_events_of_a_pair_by_direction_and_quadclass(store):
    rows = ev.list_events(store, Filter.build(pair="BLR-RUS", date_to="2021-12-31"), limit=None)
    assert [(r["id"], r["date"], r["actor1"], r["quad_class"]) for r in rows] == [
        (5, "2009-06-06", "RUS", 4), (6, "2009-06-14", "BLR", 4), (7, "2009-06-14", "BLR", 3),
        (10, "2009-06-14", "BLR", 1), (11, "2009-06-14", "BLR", 3), (8, "2009-06-17", "RUS", 1),
        (9, "2009-06-17", "BLR", 1)]
    assert ev.count_events(store, Filter.build(pair="BLR-RUS", direction="ab", date_to="2021-12-31")) == 5
    assert ev.count_events(store, Filter.build(pair="BLR-RUS", direction="ba", date_to="2021-12-31")) == 2
    assert ev.count_events(store, Filter.build(quad="4", date_to="2021-12-31")) == 2


def test_timeline_by_week_counts_and_goldstein(store):
    assert timeline.timeline(store, Filter.build(pair="BLR-RUS", date_to="2021-12-31"), "week") == ("week", [
        {"period": "2009-06-01", "events": 1, "q1": 0, "q2": 0, "q3": 0, "q4": 1, "mean_goldstein": -8.0, "articles": 0},
        {"period": "2009-06-08", "events": 4, "q1": 1, "q2": 0, "q3": 2, "q4": 1, "mean_goldstein": -1.75, "articles": 0},
        {"period": "2009-06-15", "events": 2, "q1": 2, "q2": 0, "q3": 0, "q4": 0, "mean_goldstein": 4.0, "articles": 2},
        {"period": "2011-11-21", "events": 0, "q1": 0, "q2": 0, "q3": 0, "q4": 0, "mean_goldstein": None, "articles": 1}])


def test_pair_matrix(store):
    assert [(r["pair_a"], r["pair_b"], r["events"], r["q3"], r["mean_goldstein"], r["articles"])
            for r in pairs.pair_rows(store, Filter.build(date_to="2021-12-31"))] == [
        ("BLR", "RUS", 7, 2, -1.0, 3), ("BLR", "LTU", 4, 4, -2.75, 3), ("BLR", "POL", 1, 0, 1.0, 1),
        ("BLR", "EU", 0, 0, None, 1), ("BLR", "GRC", 0, 0, None, 1)]


FOUND = {"Lukashenka": [3, 4, 11, 12], "Лукашенко": [3, 4, 11, 12], "sanction*": [12, 13], "negotiat*": [10, 13],
         '"dairy ban"': [3, 4], "Belarus -Russia": [1, 2, 11, 12], "title:(Minsk OR Łódź)": [1, 2, 3, 6, 7, 9, 10, 12],
         "Lodz": [10], "Łódź": [10], "cafe": [13], "co-operation": [10], "Minsk's": [12], "санкции": [11],
         "(Poland OR Lithuania) -Belarus": [10, 13], "milk NOT dairy": [],
         "Bondarenko": [14]}   # a close spelling from the index's own vocabulary (FTS5's; PostgreSQL's ts_stat)


def test_keyword_search_with_variants_accents_and_cyrillic(store):
    found = {q: sorted(r["id"] for r in art.list_articles(store, Filter.build(query=q), limit=100)) for q in FOUND}
    assert found == FOUND
    top = art.list_articles(store, Filter.build(query="Ryanair"), limit=5)
    assert [r["title"] for r in top] == ["Ryanair flight forced to land in Minsk"] and top[0]["score"] > 0
    assert "Ryanair" in top[0]["matched_via"]


def test_the_cli_reads_a_postgresql_store_with_db(both_url, capsys):
    assert main(["timeline", "--db", both_url, "--pair", "BLR-LTU", "--period", "month", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "period,events,q1,q2,q3,q4,mean_goldstein,articles", "2016-11-01,4,0,0,4,0,-2.75,2", "2021-05-01,0,0,0,0,0,,1"]
    assert main(["import", "--db", both_url, "x.jsonl"]) == 2
    assert "written only by `python -m dashboard migrate`" in capsys.readouterr().err


def test_imports_into_postgresql_are_refused_in_one_sentence(pgdb, tmp_path):
    from dashboard.store import StoreError
    with pytest.raises(StoreError, match="imports run on a SQLite store"):
        import_paths(pgdb, [tmp_path])


# --- both engines, the same rows ----------------------------------------------------------------------

@pytest.mark.parametrize("f", FILTERS, ids=lambda f: json.dumps(f.to_params()))
def test_events_and_their_csv_are_the_same(lite, pgdb, f):
    assert ev.list_events(pgdb, f, limit=None) == ev.list_events(lite, f, limit=None)
    assert ev.count_events(pgdb, f) == ev.count_events(lite, f)
    assert (csv_bytes(ev.iter_events_and_notes(pgdb, f), ev.EVENT_COLUMNS)
            == csv_bytes(ev.iter_events_and_notes(lite, f), ev.EVENT_COLUMNS))


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: json.dumps(f.to_params()))
@pytest.mark.parametrize("period", timeline.PERIODS)
def test_timelines_are_the_same(lite, pgdb, f, period):
    assert timeline.timeline(pgdb, f, period) == timeline.timeline(lite, f, period)
    assert timeline.timeline(pgdb, f, period, rollup=False) == timeline.timeline(lite, f, period)
    assert timeline.top_events(pgdb, f, period) == timeline.top_events(lite, f, period)


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: json.dumps(f.to_params()))
def test_pair_matrices_are_the_same(lite, pgdb, f):
    assert pairs.pair_rows(pgdb, f) == pairs.pair_rows(lite, f)


PLAIN = [Filter.build(), Filter.build(pair="BLR-RUS"), Filter.build(pair="BLR-LTU", date_from="2016-11-22"),
         Filter.build(date_from="2021-01-01", date_to="2022-03-02"), Filter.build(pair="BLR-EU", any_mention=True),
         Filter.build(language="ru"), Filter.build(pair="BLR-RUS", order="oldest")]


@pytest.mark.parametrize("f", PLAIN, ids=lambda f: json.dumps(f.to_params()))
def test_article_lists_and_their_csv_are_the_same(lite, pgdb, f):
    assert art.list_articles(pgdb, f, limit=100) == art.list_articles(lite, f, limit=100)
    assert art.count_articles(pgdb, f) == art.count_articles(lite, f)
    assert (csv_bytes(art.iter_articles(pgdb, f), art.EXPORT_COLUMNS)
            == csv_bytes(art.iter_articles(lite, f), art.EXPORT_COLUMNS))


def _found(db, f: Filter) -> tuple:
    rows = art.list_articles(db, f, limit=100)
    csv = {r["id"]: (r["title"], r["actors"]) for r in art.iter_articles(db, f)}
    return sorted(r["id"] for r in rows), art.count_articles(db, f), ev.count_events(db, f), csv


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("pair", [None, "BLR-RUS"])
def test_keyword_search_finds_the_same_articles(lite, pgdb, query, pair):
    f = Filter.build(query=query, pair=pair)
    assert _found(pgdb, f) == _found(lite, f)
    assert _found(pgdb, f.with_(variants=False)) == _found(lite, f.with_(variants=False))


def test_the_keyword_queries_find_something(lite):
    found = {q: len(art.list_articles(lite, Filter.build(query=q), limit=100)) for q in QUERIES}
    assert sum(1 for n in found.values() if n) >= len(QUERIES) - 3, found


# --- writes: analyst edits and notes -------------------------------------------------------------------

def test_edits_and_notes_give_the_same_rows_on_both_engines(fixture_db_path, pg_url):
    assert migrate(str(fixture_db_path), pg_url).ok
    lite_w, pg_w = open_store(fixture_db_path), open_store(pg_url)
    try:
        answers = []
        for db in (lite_w, pg_w):
            note = ev.add_note(db, ("RUS", "BLR"), "2009-06-10", "pinned here", by="ana")
            ev.edit_event(db, 5, {"cameo_code": "040", "note": "checked", "actor2": "POL"}, by="ivan")
            ev.edit_event(db, 6, {"date": "2009-06-15"}, by="ana")
            f = Filter.build(pair="BLR-RUS")
            saved = [views.save_view(db, "Dairy war", "timeline", {"pair": "BLR-RUS"}, by="ana"),
                     views.save_view(db, "Dairy war", "events", {"pair": "BLR-RUS"}, by="ivan"),
                     views.save_view(db, "Border", "timeline", {"pair": "BLR-LTU"}, by="ana")]
            gone = views.delete_view(db, saved[2][0])
            listed = [{k: v for k, v in r.items() if k != "created_at"} for r in views.list_views(db)]
            answers.append((saved, gone, listed, note, ev.list_notes(db, f), list(ev.iter_events_and_notes(db, f)),
                            ev.list_events(db, Filter.build(pair="POL-RUS"), limit=None),
                            [{k: v for k, v in e.items() if k != "at"} for e in ev.event_edits(db, 5)],
                            timeline.timeline(db, f, "week"), pairs.pair_rows(db, Filter.build())))
        assert answers[1] == answers[0]
        assert answers[0][:2] == ([(1, False), (1, True), (2, False)], True) and len(answers[0][2]) == 1
        answers = [a[3:] for a in answers]
        assert answers[0][0] == 1 and answers[0][3][0]["actor2"] == "POL" and answers[0][3][0]["note"] == "checked"
        assert [(r["period"], r["events"]) for r in answers[0][5][1]] == [("2009-06-08", 3), ("2009-06-15", 3), ("2011-11-21", 0)]
    finally:
        lite_w.conn.close()
        pg_w.close()


# --- the pages -------------------------------------------------------------------------------------------

def _timeline_page(where: str, monkeypatch) -> list[str]:
    """What the Timeline page shows (subheaders, captions, Markdown) for BLR→RUS until 2021, on the store `where`."""
    from streamlit.testing.v1 import AppTest
    from conftest import ROOT
    monkeypatch.setenv("DASHBOARD_DB", where)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    for k, v in {"pair": "BLR-RUS", "direction": "ab", "from": "2009-01-01", "to": "2021-12-31"}.items():
        at.query_params[k] = v
    at.switch_page("pages/timeline.py")
    at.run()
    assert not at.exception and not at.error, (at.exception, at.error)
    return [e.value for e in list(at.subheader) + list(at.caption) + list(at.markdown)]


def test_the_timeline_page_draws_the_same_on_both_engines(both_path, both_url, monkeypatch):
    on_sqlite = _timeline_page(str(both_path), monkeypatch)
    assert "Events (5)" in on_sqlite and any("Belarus acting on Russia" in v for v in on_sqlite)
    assert _timeline_page(both_url, monkeypatch) == on_sqlite


def test_rerun_threads_reuse_one_postgresql_session(both_url, pgdb):
    """Streamlit runs each rerun on a new thread, and store.thread_db opens a store per thread: a thread's
    connection goes back to the pool when the thread ends and the next thread's store takes it, so ten
    reruns one after another use one server session; a connection left inside a transaction is closed,
    never handed on."""
    import gc
    import threading
    import time
    from dashboard.store import pgstore, thread_db
    gc.collect()            # the stores of earlier tests' threads come back to the pool now, not mid-test
    pgstore.close_idle()
    pids = []
    for _ in range(10):
        t = threading.Thread(target=lambda: pids.append(thread_db(both_url).execute("SELECT pg_backend_pid()").fetchone()[0]))
        t.start()
        t.join()
        gc.collect()
    assert len(pids) == 10 and len(set(pids)) == 1   # one server session for the ten reruns
    # a store dropped inside an open transaction: its connection is closed, not kept
    store = pgstore.PgStore(both_url)
    pid = store.execute("SELECT pg_backend_pid()").fetchone()[0]
    assert pid == pids[0]
    raw = store.raw
    raw.autocommit = False
    store.execute("SELECT 1")
    del store
    gc.collect()
    assert raw.closed and raw not in pgstore._idle[both_url]
    pgstore.close_idle()   # and the kept one ends when the pool is closed
    alive = "SELECT count(*) FROM pg_stat_activity WHERE pid = ?"
    for _ in range(50):   # a server process ends a moment after its client closed the connection
        if pgdb.execute(alive, [pid]).fetchone()[0] == 0:
            break
        time.sleep(0.1)
    assert pgdb.execute(alive, [pid]).fetchone()[0] == 0

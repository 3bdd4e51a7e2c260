"""JSON Lines and CSV article tables, and simple event tables (shared case C12)."""
from __future__ import annotations

import json

from dashboard.queries.articles import count_articles
from dashboard.queries.filters import Filter
from dashboard.ingest import import_paths

from conftest import FIXTURES


def test_jsonl_good_rows_land_and_bad_rows_are_reported(db):
    report = import_paths(db, [FIXTURES / "articles.jsonl"])
    f = report.files[0]
    assert (f.format, f.status, f.imported, f.failed) == ("jsonl", "imported", 2, 3)
    assert [str(e) for e in f.errors] == [
        "line 3, field title: missing title",
        "line 4: invalid JSON (Expecting value)",
        "line 5, field published_at: no parseable date in 'someday'",
    ]
    assert report.exit_code == 1
    rows = db.execute("SELECT url, published_at, extra FROM articles ORDER BY url").fetchall()
    assert rows[0][:2] == ("https://example.org/a/1", "2021-11-22")
    assert rows[1][:2] == ("https://example.org/a/2", "2021-05-24 09:30")
    assert json.loads(rows[1][2]) == {"extra_col": "kept"}


def test_csv_with_quoted_newlines(db):
    report = import_paths(db, [FIXTURES / "articles.csv"])
    f = report.files[0]
    assert (f.format, f.imported, f.failed) == ("csv", 2, 0)
    title, body = db.execute("SELECT title, body FROM articles WHERE url = 'https://example.org/c/1'").fetchone()
    assert title == "Minsk, Moscow sign gas deal"
    assert body == 'Line one\nLine two, with "quoted" words'


def test_reimport_by_url_adds_nothing(db, tmp_path):
    import_paths(db, [FIXTURES / "articles.jsonl"])
    copy = tmp_path / "copy.jsonl"
    copy.write_text((FIXTURES / "articles.jsonl").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    f = import_paths(db, [copy]).files[0]
    assert (f.imported, f.duplicates) == (0, 2)


def test_event_table_with_bom_in_header_c12(db):
    report = import_paths(db, [FIXTURES / "events_bom.csv"])
    assert report.files[0].imported == 1
    cols = [r[1] for r in db.execute("PRAGMA table_info(events)")]
    assert "\ufeffdate" not in cols
    assert db.execute("SELECT source, date, actor1, actor2, pair_a, pair_b, evidence FROM events").fetchall() == [
        ("manual", "2023-11-21", "ARM", "AZE", "ARM", "AZE", "Border talks resume")]
    from dashboard.queries.events import count_events
    assert count_events(db, Filter.build(pair="AZE-ARM", date_from="2023-11-01", date_to="2023-11-30")) == 1


def test_pair_filter_is_unordered(fixture_store):
    assert count_articles(fixture_store, Filter.build(pair="BLR-LTU")) == count_articles(fixture_store, Filter.build(pair="LTU-BLR")) > 0


def test_unclosed_quote_in_csv_costs_its_row_only(db, tmp_path):
    """A quote opened and never closed made the csv module read the rows after it as one value: they
    were lost while the report blamed a missing date. The row is reported and the rest read again."""
    path = tmp_path / "mixed.csv"
    path.write_text('url,title,published_at,body\n'
                    'https://h/1,Good row one,2020-01-02,Body one\n'
                    'https://h/2,"unterminated,2020-01-03,Body\n'
                    'https://h/3,Good row three,2020-01-04,Body three\n'
                    'https://h/4,"Quoted, fine",2020-01-05,"Body\nwith a line break"\n'
                    'https://h/5,Good row five,2020-01-06,Body five\n', encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.status, f.imported, f.failed) == ("imported", 4, 1)
    assert f.error_lines() == [f"{path}: line 3, field title: a quote opened in this row is not closed: lines 3–6 "
                               "were read as one value; the rows after it are read again"]
    assert [r[0] for r in db.execute("SELECT title FROM articles ORDER BY published_at")] == [
        "Good row one", "Good row three", "Quoted, fine", "Good row five"]
    assert db.execute("SELECT body FROM articles WHERE url = 'https://h/4'").fetchone()[0] == "Body\nwith a line break"


def test_one_pretty_printed_json_object_is_one_article(db, tmp_path):
    """A .json file holding one object over several lines was read as JSON Lines: every line a row error
    ("Extra data"). It is that one record; a broken one fails the file with one message naming the line."""
    good = tmp_path / "one.json"
    good.write_text('{\n  "title": "Minsk and Vilnius talk",\n  "published_at": "2024-01-02",\n'
                    '  "body": "Belarus and Lithuania held talks."\n}\n', encoding="utf-8")
    f = import_paths(db, [good]).files[0]
    assert (f.status, f.imported, f.failed) == ("imported", 1, 0)
    assert db.execute("SELECT title, published_at FROM articles").fetchall() == [("Minsk and Vilnius talk", "2024-01-02")]
    bad = tmp_path / "cut.json"
    bad.write_text('{\n  "title": "Cut short",\n  "published_at": "2024-01-02",\n', encoding="utf-8")
    f = import_paths(db, [bad]).files[0]
    assert (f.status, f.imported) == ("failed", 0)
    assert [str(e) for e in f.errors] == [
        "line 4: neither JSON Lines nor one JSON object: Expecting property name enclosed in double quotes"]


def test_json_lines_with_a_broken_first_line_keep_their_good_rows(db, tmp_path):
    path = tmp_path / "first_bad.jsonl"
    path.write_text('{"title": "cut\n{"title": "Good one", "published_at": "2024-01-02", "body": "Belarus."}\n',
                    encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.imported, f.failed) == (1, 1)

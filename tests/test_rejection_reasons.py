"""When every row of a file is rejected the report shows the first reasons, and the `imports` row keeps
them (issue #16 item 4)."""
from __future__ import annotations

import json

import pytest

from dashboard.ingest import import_paths


def test_rejection_reasons_kept_when_every_row_fails(db, tmp_path):
    # photo posts: no headline and no text to take one from
    posts = [{"message_id": i, "photo": f"photos/{i}.jpg", "date": "2024-11-08T10:00:00+00:00"} for i in range(30)]
    path = tmp_path / "telegram.json"
    path.write_text(json.dumps(posts), encoding="utf-8")
    report = import_paths(db, [path])
    f = report.files[0]
    assert (f.status, f.imported, f.failed) == ("failed", 0, 30)
    lines = f.error_lines()
    assert lines[0] == f"{path}: file: no row could be imported (30 rejected: 30 × field title: missing title)"
    assert lines[1:] == [f"{path}: line {i}, field title: missing title" for i in range(1, 21)]
    summary = report.summary()
    assert "line 1, field title: missing title" in summary and "… and 10 more errors" in summary
    status, failed, errors = db.execute("SELECT status, failed, errors FROM imports").fetchone()
    assert (status, failed) == ("failed", 30)
    kept = json.loads(errors)
    assert len(kept) == 21 and kept[0]["line"] == 0
    assert kept[1] == {"line": 1, "field": "title", "message": "missing title"}


def test_rejection_reasons_of_a_streamed_table(db, tmp_path):
    rows = "".join(f"X{i},someday,2020,Protests,Peaceful protest,Protesters (Belarus),,Belarus,n,0\n" for i in range(25))
    path = tmp_path / "acled.csv"
    path.write_text("event_id_cnty,event_date,year,event_type,sub_event_type,actor1,actor2,country,notes,fatalities\n"
                    + rows, encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.status, f.failed) == ("failed", 25)
    assert f.error_lines()[0] == (f"{path}: file: no row could be imported (25 rejected, among the first 20: "
                                  "20 × field event_date: no parseable date in 'someday')")
    assert f.error_lines()[1] == f"{path}: line 2, field event_date: no parseable date in 'someday'"
    assert len(f.error_lines()) == 21 and f.more_errors() == 5
    assert len(json.loads(db.execute("SELECT errors FROM imports").fetchone()[0])) == 21


# ----------------------------------------------------------------------------- impossible dates in figures

@pytest.mark.parametrize("raw, why", [
    ("2023-13-01", "not a date: '2023-13-01': month 13 does not exist (year-month-day)"),
    ("2023/13/01", "not a date: '2023/13/01': month 13 does not exist (year-month-day)"),
    ("2023-13-01T10:00:00Z", "not a date: '2023-13-01': month 13 does not exist (year-month-day)"),
    ("31.02.2020", "not a date: '31.02.2020' is not a calendar date"),
    ("9999-12-31", "not a date: '9999-12-31': year 9999 is outside 1800–2200"),
])
def test_an_impossible_date_in_figures_is_an_error_not_another_order(tmp_path, raw, why):
    """A new user's 2023-13-01 became 13 January: our rules refused it and dateparser then read it
    year-day-month. A date written in figures that is no calendar date is an error naming why."""
    from dashboard.ingest import import_paths
    from dashboard.store import open_store
    arts = tmp_path / "a.jsonl"
    arts.write_text(json.dumps({"title": "T", "body": "B", "published_at": raw}) + "\n"
                    + json.dumps({"title": "Good", "body": "B", "published_at": "2023-11-21"}) + "\n")
    evs = tmp_path / "e.csv"
    evs.write_text(f"date,actor1,actor2,headline\n{raw},BLR,RUS,Bad\n20231121,BLR,POL,Compact\n")
    db = open_store(tmp_path / "s.db")
    report = import_paths(db, [arts, evs])
    errors = [(e.line, e.field, e.message) for f in report.files for e in f.errors]
    assert (1, "published_at", why) in errors and (2, "date", why) in errors
    assert db.execute("SELECT published_date FROM articles").fetchall() == [("2023-11-21",)]
    assert db.execute("SELECT date, actor1, actor2 FROM events").fetchall() == [("2023-11-21", "BLR", "POL")]


def test_json_nested_too_deeply_is_a_row_error_and_good_rows_land(tmp_path):
    """A value nested past Python's recursion limit failed the whole file with a raw RecursionError."""
    from dashboard.ingest import import_paths
    from dashboard.store import open_store
    deep = "[" * 5000 + "]" * 5000
    lines = tmp_path / "a.jsonl"
    lines.write_text(f'{{"title": "x", "body": {deep}, "published_at": "2023-11-21"}}\n'
                     '{"title": "Good", "body": "b", "published_at": "2023-11-21"}\n')
    array = tmp_path / "b.json"
    array.write_text("[" * 100_000 + "]" * 100_000)
    db = open_store(tmp_path / "s.db")
    report = import_paths(db, [lines, array])
    why = "nested too deeply (more than about 1,000 arrays or objects inside each other)"
    assert [(e.line, e.message) for e in report.files[0].errors] == [(1, f"invalid JSON ({why})")]
    assert report.files[1].errors[0].message == f"invalid JSON: {why}"
    assert db.execute("SELECT title FROM articles").fetchall() == [("Good",)]


def test_json_lines_whose_first_line_is_an_array_keep_their_good_lines(tmp_path):
    """A JSON Lines file starting with "[" was read as one JSON array: its good lines were lost and the
    error named line 2 ("Extra data"). A broken JSON array still fails as one file."""
    from dashboard.ingest import import_paths
    from dashboard.store import open_store
    good = json.dumps({"title": "Good", "body": "b", "published_at": "2021-05-24"})
    nested, bare, broken = tmp_path / "n.jsonl", tmp_path / "b.jsonl", tmp_path / "c.json"
    nested.write_text("[" * 5000 + "]" * 5000 + "\n" + good + "\n")
    bare.write_text("[[1]]\n" + good.replace("Good", "Good too") + "\n")
    broken.write_text('[\n {"title": "a",\n')
    db = open_store(tmp_path / "s.db")
    report = import_paths(db, [nested, bare, broken])
    assert [[(e.line, e.message) for e in f.errors] for f in report.files] == [
        [(1, "invalid JSON (nested too deeply (more than about 1,000 arrays or objects inside each other))")],
        [(1, "not a JSON object")],
        [(3, "invalid JSON: Expecting property name enclosed in double quotes")]]
    assert db.execute("SELECT title FROM articles ORDER BY id").fetchall() == [("Good",), ("Good too",)]


def test_a_postgresql_password_is_never_shown():
    from dashboard.store.postgres import shown_url
    assert shown_url("postgresql://a:pw@h/db") == "postgresql://a:***@h/db"
    assert (shown_url("postgresql://analysts@/relations?host=/tmp/pg&password=SECRET&sslmode=require")
            == "postgresql://analysts@/relations?host=/tmp/pg&password=***&sslmode=require")
    assert shown_url("postgres://x@/d?PASSWORD=s") == "postgres://x@/d?PASSWORD=***"

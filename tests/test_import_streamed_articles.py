"""Large JSON Lines and CSV article tables are read line by line (issue #17): the same rows, errors,
duplicates and one transaction per file as a file read whole, without holding the file in memory."""
from __future__ import annotations

import json

import pytest

import dashboard.ingest as ingest
from dashboard.ingest import import_paths
from dashboard.ingest.tabular import parse_csv_lines, parse_jsonl_lines
from dashboard.store import fts_in_sync

from conftest import FIXTURES


@pytest.fixture
def streamed(monkeypatch):
    """Every article table streamed, however small."""
    monkeypatch.setattr(ingest, "ARTICLE_STREAM_BYTES", 0)


def _lines(n: int):
    """JSON Lines of n articles, then a line that fails the test if the parser ever reads it."""
    for i in range(n):
        yield json.dumps({"url": f"https://s/{i}", "title": f"Title {i}", "published_at": "2021-01-02",
                          "body": "Minsk and Moscow met."}) + "\n"
    raise AssertionError("read past the records asked for")


def test_jsonl_parser_yields_records_before_the_file_ends():
    records = parse_jsonl_lines(_lines(60), "f.jsonl")
    first = [next(records) for _ in range(55)]    # the 50 objects that decide the columns, and more
    assert [r.url for r in first[:2]] == ["https://s/0", "https://s/1"]
    assert first[54].line == 55


def test_csv_parser_yields_rows_before_the_file_ends():
    def lines():
        yield "url,title,published_at,body\n"
        yield 'https://c/1,"Two\n'
        yield 'lines",2021-01-02,Body one\n'
        yield "https://c/2,Second,2021-01-03,Body two\n"
        raise AssertionError("read past the rows asked for")
    rows = parse_csv_lines(lines(), "f.csv")
    first = next(rows)
    assert (first.title, first.line) == ("Two lines", 2)
    assert next(rows).line == 4


def test_streamed_jsonl_reports_as_a_whole_file(db, streamed):
    report = import_paths(db, [FIXTURES / "articles.jsonl"])
    f = report.files[0]
    assert (f.format, f.status, f.imported, f.failed) == ("jsonl", "imported", 2, 3)
    assert [str(e) for e in f.errors] == [
        "line 3, field title: missing title",
        "line 4: invalid JSON (Expecting value)",
        "line 5, field published_at: no parseable date in 'someday'",
    ]
    assert fts_in_sync(db)


def test_streamed_csv_reads_again_after_an_unclosed_quote(db, tmp_path, streamed):
    path = tmp_path / "mixed.csv"
    path.write_text('url,title,published_at,body\r\n'
                    'https://h/1,Good row one,2020-01-02,Body one\r\n'
                    'https://h/2,"unterminated,2020-01-03,Body\r\n'
                    'https://h/3,Good row three,2020-01-04,Body three\r\n'
                    'https://h/4,"Quoted, fine",2020-01-05,"Body\r\nwith a line break"\r\n'
                    'https://h/5,Good row five,2020-01-06,Body five\r\n', encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.status, f.imported, f.failed) == ("imported", 4, 1)
    assert f.error_lines() == [f"{path}: line 3, field title: a quote opened in this row is not closed: lines 3–6 "
                               "were read as one value; the rows after it are read again"]
    assert db.execute("SELECT body FROM articles WHERE url = 'https://h/4'").fetchone()[0] == "Body\nwith a line break"


def test_streamed_file_dedupes_and_indexes_in_batches(db, tmp_path, streamed, monkeypatch):
    """More articles than one FTS flush: every article indexed once; a repeated URL is a duplicate."""
    monkeypatch.setattr(ingest, "FTS_FLUSH_ROWS", 3)
    rows = [{"url": f"https://d/{i % 8}", "title": f"Minsk talks {i % 8}", "published_at": "2021-03-04",
             "body": f"Minsk and Moscow met on 3 March, round {i % 8}."} for i in range(10)]
    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.status, f.imported, f.duplicates) == ("imported", 8, 2)
    assert db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'minsk'").fetchone()[0] == 8
    assert fts_in_sync(db)


def test_streamed_file_that_fails_leaves_nothing(db, tmp_path, streamed):
    path = tmp_path / "none.jsonl"
    path.write_text('{"title": "no date"}\n{"title": ""}\n', encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.status, f.imported, f.failed) == ("failed", 0, 2)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert db.execute("SELECT status FROM imports").fetchall() == [("failed",)]


def test_a_json_array_is_read_whole(db, tmp_path, streamed):
    path = tmp_path / "array.json"
    path.write_text(json.dumps([{"title": "Minsk", "published_at": "2021-01-02", "body": "Minsk."}]), encoding="utf-8")
    assert ingest.article_stream_format(str(path), path.read_bytes()) is None
    f = import_paths(db, [path]).files[0]
    assert (f.format, f.imported) == ("jsonl", 1)


def test_row_errors_kept_are_bounded(db, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_ERRORS_SCANNED", 5)
    path = tmp_path / "bad.jsonl"
    path.write_text('{"title": "ok", "published_at": "2021-01-02", "body": "x"}\n'
                    + '{"title": ""}\n' * 12, encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.imported, f.failed, len(f.errors)) == (1, 12, 5)
    assert f.more_errors() == 7

"""Issue #13 items 3, 4 and 8: line endings, decoding line by line, capped report messages.

Every fixture is written here into tmp_path and imported twice, through the CLI's
`import_paths` and through `uploads.import_uploads` (what the Import page calls), each into
its own store; both must report the same thing.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.ingest import import_paths
from dashboard.ingest.records import MAX_MESSAGE, RowError, cap_message
from dashboard.store import open_store
from dashboard.app.uploads import import_uploads, report_rows

EV = Path(__file__).resolve().parent / "fixtures" / "events"


def _gdelt_rows() -> list[str]:
    return (EV / "gdelt2.export.CSV").read_text(encoding="utf-8").splitlines()


# name → content; "\n" is the line end (rewritten per style), "\r" a carriage return inside a value.
def _fixtures() -> dict[str, str]:
    gdelt = _gdelt_rows()
    return {
        "page.txt": "Minsk and Moscow talk gas\nApril 22, 2016 17:51\n\nFirst paragraph.\nStill the first.\n\n"
                    "Second paragraph.\n",
        "articles.jsonl": '{"title": "One", "published_at": "2021-05-24", "body": "a\rb"}\n'
                          '{"title": "Two", "published_at": "2021-05-25", "body": "c"}\n',
        "articles.csv": 'url,title,published_at,body\nhttps://e.org/1,T1,2011-11-25,"x\ry"\n'
                        "https://e.org/2,T2,2011-11-26,z\n",
        "events.csv": 'date,country_a,country_b,headline\n2023-11-21,ARM,AZE,"Border\rtalks"\n'
                      "2023-11-22,ARM,AZE,Other\n",
        "day.export.CSV": "\n".join([gdelt[0].replace("Minsk, Horad Minsk, Belarus", "Minsk\rcentre")] + gdelt[1:])
                          + "\n",
        "acled.csv": (EV / "acled_sample.csv").read_text(encoding="utf-8")
                     .replace("protesters gathered", "protesters\rgathered"),
        "icews.tab": (EV / "icews_sample.tab").read_text(encoding="utf-8").replace("\tConsult\t", '\t"Con\rsult"\t'),
    }


STYLES = {"LF": "\n", "CRLF": "\r\n", "CR": "\r"}
# (format, imported, failed) per style. In a CR file a carriage return ends a line even inside a value:
# the JSON object and the raw GDELT row holding one are cut in two (CSV keeps quoted line breaks).
EXPECTED = {
    "page.txt": ("page-text", 1, 0),
    "articles.jsonl": ("jsonl", 2, 0),
    "articles.csv": ("csv", 2, 0),
    "events.csv": ("csv", 2, 0),
    "day.export.CSV": ("gdelt", 3, 0),
    "acled.csv": ("acled", 5, 3),
    "icews.tab": ("icews", 5, 3),
}
EXPECTED_CR = {**EXPECTED, "articles.jsonl": ("jsonl", 1, 2), "day.export.CSV": ("gdelt", 2, 2)}


def _both(tmp_path: Path, name: str, data: bytes):
    """(CLI report, page report, CLI store, page store) of one file."""
    path = tmp_path / name
    path.write_bytes(data)
    cli_db = open_store(tmp_path / f"cli-{name}.db")
    page_db = open_store(tmp_path / f"page-{name}.db")
    [cli] = import_paths(cli_db, [path]).files
    [page] = import_uploads(page_db, [(name, data)])
    return cli, page, cli_db, page_db


def _seen(f) -> tuple:
    return f.status, f.format, f.imported, f.duplicates, f.failed, f.rows_read, [str(e) for e in f.errors]


def _stored(db) -> list:
    return (db.execute("SELECT title, body FROM articles ORDER BY title").fetchall()
            + db.execute("SELECT source, source_event_id, evidence, geo FROM events ORDER BY 1, 2").fetchall())


@pytest.mark.parametrize("style", STYLES)
def test_cli_and_page_read_every_line_ending_alike(tmp_path, style):
    expected = EXPECTED_CR if style == "CR" else EXPECTED
    for name, text in _fixtures().items():
        cli, page, cli_db, page_db = _both(tmp_path, name, text.replace("\n", STYLES[style]).encode("utf-8"))
        assert _seen(cli) == _seen(page), name
        assert (cli.format, cli.imported, cli.failed) == expected[name], (name, cli.errors)
        assert _stored(cli_db) == _stored(page_db), name


@pytest.mark.parametrize("style", STYLES)
def test_a_carriage_return_inside_a_quoted_field_is_kept_as_a_line_break(tmp_path, style):
    fixtures = _fixtures()
    for name, sql, want in [
        ("articles.csv", "SELECT body FROM articles WHERE title = 'T1'", "x\ny"),
        ("events.csv", "SELECT evidence FROM events WHERE date = '2023-11-21'", "Border\ntalks"),
        ("acled.csv", "SELECT evidence FROM events WHERE source_event_id = 'BLR100'",
         'On 9 May 2020, protesters\ngathered in Minsk, "demanding" the release of a blogger.'),
    ]:
        _, _, cli_db, _ = _both(tmp_path, name, fixtures[name].replace("\n", STYLES[style]).encode("utf-8"))
        assert cli_db.execute(sql).fetchone()[0] == want, name


def test_a_raw_gdelt_row_keeps_its_carriage_return_when_lines_end_in_lf(tmp_path):
    cli, _, cli_db, page_db = _both(tmp_path, "day.export.CSV", _fixtures()["day.export.CSV"].encode("utf-8"))
    assert cli.failed == 0
    for db in (cli_db, page_db):
        assert db.execute("SELECT count(*) FROM events WHERE geo = 'Minsk\rcentre [FIPS BO]'").fetchone()[0] == 1


def test_a_bare_cr_gdelt_file_streams_row_by_row(tmp_path):
    rows = [_gdelt_rows()[0].split("\t") for _ in range(300)]
    for i, row in enumerate(rows):
        row[0] = str(500_000_000 + i)
    data = "\r".join("\t".join(r) for r in rows).encode("utf-8") + b"\r"
    cli, page, _, _ = _both(tmp_path, "old-mac.export.CSV", data)
    assert _seen(cli) == _seen(page) == ("imported", "gdelt", 300, 0, 0, 300, [])


@pytest.mark.parametrize("name, header, row", [
    ("articles.csv", "url,title,published_at,body", "https://e.org/{i},T{i},2011-11-2{i},a{cr}b"),
    ("acled.csv", "event_id_cnty,event_date,notes", "BLR{i},2020-05-0{i},a{cr}b"),
])
def test_a_carriage_return_outside_quotes_costs_only_its_row(tmp_path, name, header, row):
    lines = [header] + [row.format(i=i, cr="\r" if i == 2 else " ") for i in (1, 2, 3)]
    cli, page, _, _ = _both(tmp_path, name, ("\n".join(lines) + "\n").encode("utf-8"))
    assert _seen(cli) == _seen(page)
    assert (cli.status, cli.imported, cli.failed) == ("imported", 2, 1)
    assert [str(e) for e in cli.errors] == [
        "line 3: a carriage return (CR) inside an unquoted field: quote the field or remove the CR"]


# --- item 4: an invalid byte costs at most its line -----------------------------------------------

def _with_bad_byte(text: str, good: str, bad: bytes) -> tuple[bytes, int]:
    """`text` in UTF-8 with `good` (once) replaced by `bad`; and the byte offset of the bad byte."""
    data = text.encode("utf-8")
    at = data.index(good.encode("utf-8"))
    return data.replace(good.encode("utf-8"), bad), at + bad.index(next(b for b in bad if b >= 0x80).to_bytes(1, "big"))


def _bad_line(line: int, offset: int, shown: str) -> str:
    return (f"line {line}: bytes not valid UTF-8 at byte offset {offset} ({shown}) read as Windows-1252 "
            f"(U+FFFD where it has no character); the rest of the line kept")


@pytest.mark.parametrize("name, text, line, imported", [
    ("articles.csv", "url,title,published_at,body\nhttps://e.org/1,Лукашенко в Минске,2011-11-25,тело\n"
                     "https://e.org/2,Brasília,2011-11-26,z\nhttps://e.org/3,T3,2011-11-27,ok\n", 3, 3),
    ("articles.jsonl", '{"title": "Лукашенко", "published_at": "2021-05-24", "body": "тело"}\n'
                       '{"title": "Brasília", "published_at": "2021-05-25", "body": "c"}\n'
                       '{"title": "T3", "published_at": "2021-05-26", "body": "d"}\n', 2, 3),
    ("page.txt", "Лукашенко in Brasília\nApril 22, 2016 17:51\n\nПервый абзац.\n", 1, 1),
])
def test_one_invalid_byte_costs_nothing_but_itself_and_is_reported(tmp_path, name, text, line, imported):
    data, offset = _with_bad_byte(text, "Brasília", b"Bras\xedlia")
    cli, page, cli_db, page_db = _both(tmp_path, name, data)
    assert _seen(cli) == _seen(page)
    assert (cli.status, cli.imported, cli.failed) == ("imported", imported, 0)
    assert [str(e) for e in cli.errors] == [_bad_line(line, offset, "0xED")]
    titles = [t for t, in cli_db.execute("SELECT title FROM articles")]
    assert "Лукашенко в Минске" in titles or "Лукашенко" in titles or "Лукашенко in Brasília" in titles
    assert any("Brasília" in t for t in titles)
    stored = json.loads(cli_db.execute("SELECT errors FROM imports").fetchone()[0])
    assert stored == [{"line": line, "field": None, "message": _bad_line(line, offset, "0xED")[len(f"line {line}: "):]}]


def test_a_byte_windows_1252_lacks_becomes_a_replacement_character(tmp_path):
    text = "url,title,published_at,body\nhttps://e.org/1,T1,2011-11-25,zQy\n"
    data, offset = _with_bad_byte(text, "zQy", b"z\x81y")
    cli, page, cli_db, _ = _both(tmp_path, "articles.csv", data)
    assert _seen(cli) == _seen(page)
    assert [str(e) for e in cli.errors] == [_bad_line(2, offset, "0x81")]
    assert cli_db.execute("SELECT body FROM articles").fetchone()[0] == "z\ufffdy"


def test_bad_bytes_in_a_streamed_gdelt_file_are_reported_with_line_and_offset(tmp_path):
    rows = _gdelt_rows()
    text = "\n".join(rows[:1] + [rows[1].replace("Kyiv", "K\u00e9iv")] + rows[2:]) + "\n"
    data, offset = _with_bad_byte(text, "K\u00e9iv", b"K\xe9iv")
    cli, page, cli_db, _ = _both(tmp_path, "day.export.CSV", data)
    assert _seen(cli) == _seen(page)
    assert (cli.status, cli.imported, cli.failed) == ("imported", 3, 0)
    assert [str(e) for e in cli.errors] == [_bad_line(2, offset, "0xE9")]
    assert cli_db.execute("SELECT count(*) FROM events WHERE geo LIKE 'K\u00e9iv%'").fetchone()[0] == 1


def test_a_legacy_file_is_still_decoded_whole(tmp_path):
    text = "url,title,published_at,body\n" + "".join(
        f"https://e.org/{i},Лукашенко и Путин {i},2011-11-2{i},Переговоры в Минске\n" for i in range(1, 6))
    for codec in ("cp1251", "koi8_r"):
        cli, page, cli_db, _ = _both(tmp_path, f"{codec}.csv", text.encode(codec))
        assert _seen(cli) == _seen(page)
        assert (cli.imported, cli.failed, cli.errors) == (5, 0, [])
        assert cli_db.execute("SELECT title FROM articles ORDER BY title").fetchone()[0] == "Лукашенко и Путин 1"


# --- item 8: report messages are capped ----------------------------------------------------------

def test_cap_message():
    assert cap_message("x" * MAX_MESSAGE) == "x" * MAX_MESSAGE
    assert cap_message("x" * 1000) == "x" * 300 + "… (700 more characters cut)"
    assert RowError(1, "header", "y" * 5000).message == "y" * 300 + "… (4,700 more characters cut)"


def test_a_10_mb_header_line_is_not_echoed_whole(tmp_path):
    header = "url," + "h" * 10_000_000 + ",body"
    cli, page, cli_db, page_db = _both(tmp_path, "huge.csv", (header + "\nx,y,z\n").encode("utf-8"))
    assert _seen(cli) == _seen(page)
    [err] = cli.errors
    assert (cli.status, err.line, err.field) == ("failed", 1, "header")
    full = f"no title/date columns in header {['url', 'h' * 10_000_000, 'body']}"
    assert err.message == full[:300] + f"… ({len(full) - 300:,} more characters cut)" and len(full) > 10_000_000
    assert len(report_rows([page])[0]["problem"]) < 400
    for db in (cli_db, page_db):
        assert len(db.execute("SELECT errors FROM imports").fetchone()[0]) < 500

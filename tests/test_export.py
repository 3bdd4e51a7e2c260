"""CSV export: BOM for Excel (C10), quoting (C11), formula guard, file names."""
from __future__ import annotations

import io

import pandas as pd

from dashboard.queries.export import csv_bytes, export_filename, safe_cell
from dashboard.queries.filters import Filter


def test_bom_and_cyrillic_round_trip_c10():
    rows = [{"title": "Переговоры в Минске"}, {"title": "Georgia–Armenia rail link"}]
    data = csv_bytes(rows, ["title"])
    assert data[:3] == b"\xef\xbb\xbf"
    assert b"sep=" not in data
    assert data.decode("utf-8-sig") == "title\r\nПереговоры в Минске\r\nGeorgia–Armenia rail link\r\n"
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["title"].tolist() == ["Переговоры в Минске", "Georgia–Armenia rail link"]


def test_plain_utf8_has_no_bom():
    assert csv_bytes([{"a": "x"}], ["a"], bom=False) == b"a\r\nx\r\n"


def test_newlines_quotes_commas_stay_in_one_record_c11():
    rows = [{"title": "Minsk, Moscow", "body": 'Line one\r\nLine two, with "quoted" words'}]
    data = csv_bytes(rows, ["title", "body"])
    assert data.decode("utf-8-sig") == 'title,body\r\n"Minsk, Moscow","Line one\r\nLine two, with ""quoted"" words"\r\n'
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert len(back) == 1
    assert back.loc[0, "body"] == 'Line one\r\nLine two, with "quoted" words'


def test_formula_cells_are_neutralised_numbers_are_not():
    assert [safe_cell(v) for v in ("=1+1", "+7", "-x", "@SUM(A1)", "\tx", "\rx", "plain")] == [
        "'=1+1", "'+7", "'-x", "'@SUM(A1)", "'\tx", "'\rx", "plain"]
    assert safe_cell(-3.5) == -3.5 and safe_cell(-2) == -2 and safe_cell(None) == ""
    data = csv_bytes([{"t": '=HYPERLINK("http://evil")', "g": -7.0}], ["t", "g"], bom=False)
    assert data == b"t,g\r\n\"'=HYPERLINK(\"\"http://evil\"\")\",-7.0\r\n"


def test_file_name_carries_the_filter():
    f = Filter.build(pair="RUS-BLR", date_from="2015-01-01", date_to="2016-12-31")
    assert export_filename("articles", f.slug()) == "articles_BLR-RUS_2015-01-01_2016-12-31.csv"
    assert export_filename("articles", Filter().slug()) == "articles_all.csv"
    # every option of the filter is in the name: two exports of different rows never share one
    g = Filter.build(pair="BLR-RUS", date_from="2020-01-01", date_to="2020-12-31", sources="gdelt,acled", quad="4,3",
                     direction="ba", hide_uncertain=True)
    assert export_filename("events", g.slug()) == "events_BLR-RUS_2020-01-01_2020-12-31_RUS-on-BLR_acled+gdelt_quad3+4_certain.csv"

"""GDELT exports with renamed columns are recognised as GDELT, and tables that are not event exports
are named as such (issue #16 item 6)."""
from __future__ import annotations

import re

import pytest

from dashboard.ingest import detect_format, gdelt, import_paths

from conftest import FIXTURES, SHARED

EV = FIXTURES / "events"
COLS = "source_event_id, date, actor1, actor2, cameo_code, root_code, quad_class, goldstein, num_mentions, avg_tone, geo, url"


def _renamed_header(line: str) -> str:
    """A pandas rename of the codebook's names: Global_Event_ID, Day, Actor_1_Country_Code …"""
    def one(name: str) -> str:
        name = name.strip('"')
        if name == "SQLDATE":
            return "Day"
        if name == "GLOBALEVENTID":
            return "Global_Event_ID"
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z0-9])", "_", name).replace("Geo__", "Geo_")
    return ",".join(one(n) for n in line.split(","))


def test_gdelt_renamed_columns_import_like_the_codebook_names(db, tmp_path):
    text = (EV / "gdelt_r_export.csv").read_text(encoding="utf-8")
    head, rest = text.split("\n", 1)
    renamed = _renamed_header(head)
    assert renamed.startswith(",Global_Event_ID,Day,Month_Year,Year,Fraction_Date,Actor_1_Code,Actor_1_Name,"
                              "Actor_1_Country_Code")
    path = tmp_path / "gdelt_renamed.csv"
    path.write_text(renamed + "\n" + rest, encoding="utf-8")
    assert detect_format(path.name, path.read_text(encoding="utf-8")) == "gdelt"
    f = import_paths(db, [path]).files[0]
    assert (f.format, f.status, f.imported, f.failed) == ("gdelt", "imported", 3, 1)   # line 5 is short, as in the original
    renamed_rows = db.execute(f"SELECT {COLS} FROM events ORDER BY source_event_id").fetchall()
    db.execute("DELETE FROM events")
    import_paths(db, [EV / "gdelt_r_export.csv"])
    assert renamed_rows == db.execute(f"SELECT {COLS} FROM events ORDER BY source_event_id").fetchall()
    assert len(renamed_rows) == f.imported > 0


def test_gdelt_renamed_columns_header_rules():
    assert gdelt.header_of("Event_ID,Date,Actor1_Country,Actor2_Country,CAMEO_Code,Goldstein")[1] == [
        "GLOBALEVENTID", "SQLDATE", "Actor1CountryCode", "Actor2CountryCode", "EventCode", "GoldsteinScale"]
    # an analyst's event table is not GDELT: too few GDELT columns besides id and date
    assert gdelt.header_of("event_id,date,actor1,actor2,headline") is None
    assert detect_format("mine.csv", "event_id,date,actor1,actor2,headline\nE1,2023-11-21,ARM,AZE,Talks\n") == "csv"


@pytest.mark.parametrize("text, hint", [
    ('"",Description,GoldsteinScale,cameoCode\n"1",MAKE PUBLIC STATEMENT,0,01\n', "GoldsteinScale, cameoCode"),
    ("year,actor1,actor2,count\n2023,BLR,RUS,14\n", "actor1, actor2"),
    ("date,country_a,events\n2023-11-21,BLR,4\n", "country_a"),
    ("globaleventid\teventtimedate\tmentiontimedate\tmentiontype\n1\t20170101073000\t20170101073000\t1\n",
     "globaleventid"),
])
def test_gdelt_renamed_columns_not_an_event_export(db, tmp_path, text, hint):
    path = tmp_path / "table.csv"
    path.write_text(text, encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert f.status == "failed"
    assert f.errors[0].message.startswith(f"not an event export: its header names event columns ({hint})")


def test_gdelt_renamed_columns_mentions_named(db, tmp_path):
    path = tmp_path / "20170101073000.mentions.CSV"
    path.write_text("613300832\t20170101073000\t20170101073000\t1\tchinatopix.com\thttp://x.example/a\t7\t1075\t"
                    "1117\t1140\t1\t100\t1655\t-4.9\t\t\n", encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert f.status == "failed"
    assert f.errors[0].message.startswith("not an event export: a GDELT Mentions table")


def test_gdelt_renamed_columns_article_table_keeps_its_message(db, tmp_path):
    path = tmp_path / "plover.csv"
    path.write_text("event,mode,event_def\nAGREE,,To agree\n", encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert f.errors[0].message.startswith("no title/date columns in header")


REAL = SHARED / "data" / "cyrnguyen__NoSQLProject" / "20170101073000.export.CSV"


@pytest.mark.skipif(not REAL.exists(), reason="../shared/data is absent")
def test_gdelt_renamed_columns_real_export_through_pandas_names(db, tmp_path):
    """The real GDELT 2.0 export written out as pandas would with renamed columns and its index."""
    names = gdelt.layouts()["v2_61"]
    renamed = ",".join([""] + [_renamed_header(n) for n in names])
    import csv
    import io
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    rows = [ln.split("\t") for ln in REAL.read_text(encoding="utf-8").splitlines() if ln]
    for i, r in enumerate(rows):
        w.writerow([i] + r)
    path = tmp_path / "gdelt_pandas.csv"
    path.write_text(renamed + "\n" + out.getvalue(), encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.format, f.rows_read, f.imported, f.failed) == ("gdelt", 720, 720, 0)

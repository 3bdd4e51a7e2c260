"""Issue #18 item 4: tables for people — dates at their precision, CAMEO and QuadClass names beside their
codes, warnings in words, readable column labels, evidence in view, a link to the article."""
from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from dashboard.app import tables
from dashboard.queries.filters import Filter

from conftest import ROOT


def test_dates_are_shown_at_their_precision():
    assert tables.shown_date("2011-11-01", "month") == "Nov 2011"
    assert tables.shown_date("2009-01-01", "year") == "2009"
    assert tables.shown_date("2011-11-14", "week") == "week of 2011-11-14"
    assert tables.shown_date("2011-11-14", "day") == "2011-11-14"
    assert tables.shown_date(None, "day") == "" and tables.shown_date("garbage", "year") == "garbage"


def test_codes_come_with_their_names():
    assert tables.cameo_label("040") == "040 Consult, not specified below"
    assert tables.cameo_label("999") == "999" and tables.cameo_label(None) == ""
    assert tables.quad_label(4) == "4 Material conflict" and tables.quad_label(None) == ""
    assert "040" in tables.cameo_choices() and tables.cameo_choices() == sorted(tables.cameo_choices())


def test_links_are_this_apps_article_view_or_http_only():
    f = Filter.build(pair="BLR-RUS", date_from="2009-01-01", query="milk war")
    assert tables.article_link(3, f) == "articles?pair=BLR-RUS&from=2009-01-01&q=milk+war&article=3"
    assert tables.article_link(None, f) is None
    assert tables.web_link("https://example.org/a") == "https://example.org/a"
    assert [tables.web_link(u) for u in ("javascript:alert(1)", "data:text/html,x", "/etc/passwd", None)] == [None] * 4


def test_warnings_in_words():
    e = {"year_inferred": 1, "confidence": 0.3, "warning": "office holders rule out 2015"}
    assert tables.warnings(e) == ["year inferred", "low confidence 0.30", "office holders rule out 2015"]
    assert tables.warnings({"year_inferred": 0, "confidence": None, "warning": None}) == []


def test_events_page_table_is_for_people(monkeypatch, fixture_store_path):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_store_path))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.query_params["pair"] = "BLR-RUS"
    at.query_params["q"] = "milk"
    at.switch_page("pages/events.py")
    at.run()
    assert not at.exception
    grid = at.dataframe[0]
    config = json.loads(grid.proto.columns)
    labels = [config[k]["label"] for k in grid.value.columns]
    assert labels[:6] == ["ID", "Date", "Actor", "Target", "Event type (CAMEO)", "Evidence"]
    assert not [label for label in labels if "_" in label]    # no raw column names
    assert config["article"]["type_config"]["type"] == "link"
    row = grid.value.iloc[0]
    assert row["event_type"].split(" ", 1)[0].isdigit() and " " in row["event_type"]
    assert row["quad"][0] in "1234" and row["quad"][2:] in ("Verbal cooperation", "Material cooperation",
                                                          "Verbal conflict", "Material conflict")
    assert row["evidence"] and row["title"]
    assert row["article"].startswith("articles?pair=BLR-RUS&q=milk&article=")


def test_short_tables_draw_no_empty_rows():
    """A fixed 440 px drew the 7 events of a month over a screenful of empty rows; a long table still scrolls."""
    assert tables.table_height(7) == 35 * 8 + 3
    assert tables.table_height(0) == 35 * 2 + 3
    assert tables.table_height(100) == 440 and tables.table_height(100, 420) == 420

"""Issue #18: the sidebar's dates can be typed and applied with Enter (Streamlit's own date field applies
typing only when it loses focus). The typed box reads days, months, years and ranges."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.queries.filters import parse_typed_dates

from conftest import ROOT

APP = str(ROOT / "streamlit_app.py")


@pytest.mark.parametrize("text, want", [
    ("2011-11-01 … 2011-11-30", ("2011-11-01", "2011-11-30")),
    ("2011-11-01 to 2011-11-30", ("2011-11-01", "2011-11-30")),
    ("2011-11-01..2011-11-30", ("2011-11-01", "2011-11-30")),
    ("2011-11-01 - 2011-11-30", ("2011-11-01", "2011-11-30")),
    ("2011-11-01–2011-11-05", ("2011-11-01", "2011-11-05")),
    ("2011-11-05", ("2011-11-05", "2011-11-05")),
    ("2011-11", ("2011-11-01", "2011-11-30")),
    ("2012-02", ("2012-02-01", "2012-02-29")),
    ("9999-12", ("9999-12-01", "9999-12-31")),
    ("2011", ("2011-01-01", "2011-12-31")),
    ("2011-11 … 2012-02", ("2011-11-01", "2012-02-29")),
    ("2012-02-01 … 2011-11-03", ("2011-11-03", "2012-02-01")),   # the wrong order is swapped
    ("  ", (None, None)),
])
def test_typed_dates_are_read(text, want):
    assert parse_typed_dates(text) == want


@pytest.mark.parametrize("text, message", [
    ("2011-02-30", "'2011-02-30' is not a date (day is out of range for month)"),
    ("yesterday", "a date is YYYY-MM-DD, YYYY-MM or YYYY, got 'yesterday'"),
    ("2011 … 2012 … 2013", "type one date or two (from … to), got '2011 … 2012 … 2013'"),
])
def test_unreadable_typed_dates_say_why(text, message):
    with pytest.raises(ValueError) as exc:
        parse_typed_dates(text)
    assert str(exc.value) == message


def _app(monkeypatch, store) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(store))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/events.py")
    return at.run()


def test_typed_dates_set_the_filter_the_calendar_and_the_url(monkeypatch, fixture_db_path):
    at = _app(monkeypatch, fixture_db_path)
    at.text_input(key="dates_typed").set_value("2011-11").run()   # what Enter sends
    assert not at.exception
    assert at.date_input(key="dates").value == (dt.date(2011, 11, 1), dt.date(2011, 11, 30))
    assert at.query_params["from"] == "2011-11-01" and at.query_params["to"] == "2011-11-30"
    assert at.text_input(key="dates_typed").value == "2011-11-01 … 2011-11-30"


def test_a_typing_error_keeps_the_dates_and_says_so(monkeypatch, fixture_db_path):
    at = _app(monkeypatch, fixture_db_path)
    at.text_input(key="dates_typed").set_value("2011").run()
    at.text_input(key="dates_typed").set_value("2011-13-01").run()
    assert [e.value for e in at.sidebar.error] == [
        r"Dates not applied: \'2011\-13\-01\' is not a date \(month must be in 1\.\.12\)."]
    assert at.date_input(key="dates").value == (dt.date(2011, 1, 1), dt.date(2011, 12, 31))
    assert at.text_input(key="dates_typed").value == "2011-13-01"      # the analyst's typing stays to correct
    at.date_input(key="dates").set_value((dt.date(2011, 3, 1), dt.date(2011, 3, 31))).run()
    assert not at.sidebar.error                                         # the calendar replaces it
    assert at.text_input(key="dates_typed").value == "2011-03-01 … 2011-03-31"


def test_calendar_dates_show_in_the_typed_box(monkeypatch, fixture_db_path):
    at = _app(monkeypatch, fixture_db_path)
    assert at.text_input(key="dates_typed").value == ""
    at.date_input(key="dates").set_value((dt.date(2009, 1, 1), dt.date(2009, 6, 30))).run()
    assert at.text_input(key="dates_typed").value == "2009-01-01 … 2009-06-30"
    at.text_input(key="dates_typed").set_value("").run()               # emptied: all dates
    assert at.date_input(key="dates").value == ()
    assert "from" not in at.query_params


def test_a_link_with_one_end_keeps_the_other_open(monkeypatch, fixture_db_path):
    """A new user's `?to=2011-11-30` showed that day only: the open end is the store's first (last) date."""
    from dashboard.queries import articles as art
    from dashboard.store import open_store
    store = open_store(fixture_db_path, readonly=True)
    lo, hi = art.date_bounds(store)
    store.conn.close()
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db_path))
    for params, want in (({"to": "2011-11-30"}, (lo, "2011-11-30")), ({"from": "2009-06-01"}, ("2009-06-01", hi))):
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        for k, v in {"pair": "BLR-RUS", **params}.items():
            at.query_params[k] = v
        at.switch_page("pages/events.py")
        at.run()
        assert not at.exception
        assert at.date_input(key="dates").value == tuple(dt.date.fromisoformat(d) for d in want)
        assert (at.query_params["from"], at.query_params["to"]) == want


def test_a_long_paste_is_refused_with_its_length():
    with pytest.raises(ValueError) as exc:
        parse_typed_dates("2011-11-01 " * 500)
    assert str(exc.value).startswith("that is 5,499 characters, not one or two dates: '2011-11-01 2011-11-01")

"""The filter object, URL parameters and the date-range picker (C16)."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.queries.filters import Filter, parse_pair


def test_pairs_are_unordered():
    assert parse_pair("RUS-BLR") == parse_pair("blr-rus") == parse_pair("BLR,RUS") == ("BLR", "RUS")
    assert parse_pair("") is None
    for bad in ("BLR", "BLR-BLR", "BLR-RUS-POL", "12-34"):
        with pytest.raises(ValueError):
            parse_pair(bad)


def test_url_round_trip_and_lenient_reading():
    f = Filter.build(pair="RUS-BLR", date_from="2016-12-31", date_to="2015-01-01", query="Iskander")
    assert f.to_params() == {"pair": "BLR-RUS", "from": "2015-01-01", "to": "2016-12-31", "q": "Iskander"}
    g, notices = Filter.from_params(f.to_params())
    assert g == f and notices == []
    h, notices = Filter.from_params({"pair": "nonsense", "from": "2015-13-40", "q": "x"})
    assert h == Filter.build(query="x")
    assert len(notices) == 2


def test_date_range_picker_one_tuple_and_empty_c16():
    pytest.importorskip("streamlit")
    from dashboard.app.ui import date_range
    assert date_range(()) == (None, None, None)
    assert date_range(None) == (None, None, None)
    assert date_range((dt.date(2023, 11, 1),)) == ("2023-11-01", "2023-11-01", "Pick an end date; showing the start day only.")
    assert date_range((dt.date(2023, 11, 1), dt.date(2023, 11, 30))) == ("2023-11-01", "2023-11-30", None)

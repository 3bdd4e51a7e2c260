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


def test_direction_and_uncertain_round_trip_url_and_cli():
    f = Filter.build(pair="RUS-BLR", sources="gdelt", quad="1", direction="ba", hide_uncertain=True)
    assert f.to_params() == {"pair": "BLR-RUS", "source": "gdelt", "quad": "1", "direction": "ba", "uncertain": "hide"}
    g, notices = Filter.from_params(f.to_params())
    assert g == f and notices == []
    _, notices = Filter.from_params({"direction": "up", "uncertain": "maybe"})
    assert [n.split(":")[0] for n in notices] == ["Ignored direction='up'", "Ignored uncertain='maybe'"]
    from dashboard.cli import _event_filter, build_parser
    args = build_parser().parse_args(["events", "--pair", "BLR-RUS", "--source", "gdelt", "--quad", "1",
                                      "--direction", "ba", "--hide-uncertain"])
    assert _event_filter(args) == f
    assert f.slug() == "BLR-RUS_RUS-on-BLR_gdelt_quad1_certain"


def test_one_table_gives_the_sql_and_the_sentence():
    from dashboard.queries import clauses
    f = Filter.build(pair="RUS-BLR", date_from="2015-01-01", date_to="2016-12-31", query="Iskander",
                     direction="ab", hide_uncertain=True)
    assert clauses.describe(f) == ("BLR–RUS, Belarus acting on Russia, 2015-01-01 to 2016-12-31, keyword Iskander, "
                                   "certain events only")
    assert clauses.describe(Filter()) == "all pairs, all dates"
    assert clauses.describe(Filter.build(date_to="2016-12-31", sources="gdelt,acled", quad="4", variants=False,
                                         query="gas")) == (
        "all pairs, until 2016-12-31, keyword gas (as typed), sources acled, gdelt, QuadClass 4")
    w = clauses.where(None, f.with_(query=""))
    assert w.params == ["BLR", "RUS", "BLR", "2015-01-01", "2016-12-31"] and "e.actor1 = ?" in w.sql
    notes = clauses.where(None, f.with_(query=""), clauses.NOTES)   # notes have a pair and a date, nothing else
    assert notes.sql == "n.pair_a = ? AND n.pair_b = ? AND n.date >= ? AND n.date <= ?"
    # a direction needs a pair; a repeated report (store.repeats) is never counted
    assert clauses.where(None, Filter.build(direction="ab")).sql == "e.repeat_of IS NULL"

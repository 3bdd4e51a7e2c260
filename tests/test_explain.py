"""#18 item 7, "explain this period": a period's top event types, actors and words against the pair's usual,
the same from the library, the CLI and the Timeline page."""
from __future__ import annotations

import csv
import io

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.cli import main
from dashboard.queries.explain import EXPLAIN_COLUMNS, explain_period, explain_rows, summary
from dashboard.queries.filters import Filter

from conftest import ROOT


def _rows(x):
    return [tuple(r[c] for c in EXPLAIN_COLUMNS) for r in explain_rows(x)]


def test_a_day_of_the_milk_war_against_the_pairs_other_dates(fixture_store):
    x = explain_period(fixture_store, Filter.build(pair="BLR-RUS"), "2009-06-14", "2009-06-14")
    # 4 events that day, 3 on other days; the two articles reporting them (published the day after and
    # later) are the period's, the 2011 gas deal is the usual
    assert (x["events"], x["usual_events"], x["articles"], x["usual_articles"]) == (4, 3, 2, 1)
    assert _rows(x) == [
        ("event type", "11", "Disapprove", 2, 0.5, 0, 0.0),
        ("event type", "04", "Consult", 1, 0.25, 1, 0.333),
        ("event type", "16", "Reduce relations", 1, 0.25, 1, 0.333),
        # "Belarusian", "Lukashenko", "Moscow" name actors (BLR, RUS): not words of the period
        ("term", "ban", "", 2, 1.0, 0, 0.0),
        ("term", "dairy", "", 2, 1.0, 0, 0.0),
        ("term", "milk", "", 2, 1.0, 0, 0.0),
        ("term", "president", "", 2, 1.0, 0, 0.0),
        ("term", "summit", "", 2, 1.0, 0, 0.0)]
    assert summary(x) == ("2009-06-14 … 2009-06-14: 4 events, 2 articles; usually (the filter's other dates) "
                          "3 events, 1 article")


def test_other_actors_and_the_filters_options_apply(fixture_store):
    x = explain_period(fixture_store, Filter.build(pair="BLR-LTU"), "2016-11-01", "2016-11-30", limit=1)
    assert _rows(x) == [("event type", "11", "Disapprove", 3, 0.75, 0, None),
                        ("actor", "POL", "Poland", 1, 0.5, 0, 0.0),
                        ("term", "plant", "", 2, 1.0, 0, 0.0)]
    # the direction is the Filter's: only BLR acting on LTU (one 111 "Criticize or denounce")
    x = explain_period(fixture_store, Filter.build(pair="BLR-LTU", direction="ab"), "2016-11-01", "2016-11-30")
    assert (x["events"], x["event_types"][0]["item"], x["event_types"][0]["in_period"]) == (1, "11", 1)
    with pytest.raises(ValueError):
        explain_period(fixture_store, Filter.build(pair="BLR-LTU"), "2016-11-30", "2016-11-01")


def test_cli_explain_prints_the_same_rows(capsys, fixture_store_path, fixture_store):
    assert main(["explain", "--db", str(fixture_store_path), "--pair", "RUS-BLR", "--first", "2009-06-14",
                 "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    want = _rows(explain_period(fixture_store, Filter.build(pair="BLR-RUS"), "2009-06-14", "2009-06-14"))
    assert [tuple(r.values()) for r in rows] == [tuple("" if v is None else str(v) for v in w) for w in want]
    assert err.strip() == ("2009-06-14 … 2009-06-14: 4 events, 2 articles; usually (the filter's other dates) "
                           "3 events, 1 article")


def test_timeline_explains_the_selected_period(monkeypatch, fixture_store_path):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_store_path))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.query_params["pair"], at.query_params["sel"] = "BLR-RUS", "2009-06-14..2009-06-14"
    at.switch_page("pages/timeline.py")
    at.run()
    assert not at.exception
    at.toggle(key="tl_explain").set_value(True).run()
    assert not at.exception
    assert any(c.value.startswith("2009\\-06\\-14 … 2009\\-06\\-14\\: 4 events, 2 articles") for c in at.caption)
    table = next(d.value for d in at.dataframe if "in_period" in d.value.columns)
    assert table["item"].tolist() == ["11", "04", "16", "ban", "dairy", "milk", "president", "summit"]
    assert table["in_period"].tolist() == [2, 1, 1, 2, 2, 2, 2, 2]


def test_month_names_are_no_terms(db):
    from dashboard.queries.explain import DATE_WORDS
    assert {"march", "mar", "friday", "fri"} <= DATE_WORDS and "ban" not in DATE_WORDS

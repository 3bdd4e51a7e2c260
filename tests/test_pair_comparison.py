"""Two pairs on one timeline (issue #18): timeline.timeline_compare, `timeline --compare` and the Timeline
page's "Compare with another pair" (compare= in the URL), on the shared fixture store.

The fixture store's events: BLR-RUS 7 in June 2009 (4 with an inferred year), BLR-LTU 4 in November 2016
(one inferred), BLR-POL 2 (Nov 2021, Feb 2022); BLR-EU has an article but no event.
"""
from __future__ import annotations

import csv
import io
import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app.charts import compare_figure, plain
from dashboard.cli import main
from dashboard.queries import timeline as tl
from dashboard.queries.filters import Filter

from test_app import app, open_page  # noqa: F401  (the app fixture)
from test_figures_escape import foreign_tags

RUS_LTU = [
    {"period": "2009-04-01", "pair": "BLR-RUS", "events": 7, "q1": 3, "q2": 0, "q3": 2, "q4": 2, "mean_goldstein": -1.0},
    {"period": "2016-10-01", "pair": "BLR-LTU", "events": 4, "q1": 0, "q2": 0, "q3": 4, "q4": 0, "mean_goldstein": -2.75},
]


def test_two_pairs_by_the_period_of_their_union_span(fixture_store):
    # BLR-RUS alone spans 2009-06-06 … 2011-11-25 (a month chart); with BLR-LTU to 2021: quarters for both
    assert tl.timeline(fixture_store, Filter.build(pair="BLR-RUS"))[0] == "month"
    assert tl.timeline_compare(fixture_store, Filter.build(pair="BLR-RUS"), "BLR-LTU") == ("quarter", RUS_LTU)
    # the other pair as a tuple or in any order and case; rows keep the filter's pair first within a period
    assert tl.timeline_compare(fixture_store, Filter.build(pair="BLR-RUS"), ("LTU", "BLR"), "quarter") == ("quarter", RUS_LTU)
    assert tl.timeline_compare(fixture_store, Filter.build(pair="BLR-LTU"), "pol-blr", "year") == ("year", [
        {"period": "2016-01-01", "pair": "BLR-LTU", "events": 4, "q1": 0, "q2": 0, "q3": 4, "q4": 0, "mean_goldstein": -2.75},
        {"period": "2021-01-01", "pair": "BLR-POL", "events": 1, "q1": 1, "q2": 0, "q3": 0, "q4": 0, "mean_goldstein": 1.0},
        {"period": "2022-01-01", "pair": "BLR-POL", "events": 1, "q1": 1, "q2": 0, "q3": 0, "q4": 0, "mean_goldstein": 0.0},
    ])
    assert list(RUS_LTU[0]) == list(tl.COMPARE_COLUMNS)


def test_same_filter_for_both_pairs_except_the_direction(fixture_store):
    f = Filter.build(pair="BLR-RUS", hide_uncertain=True)
    both = tl.timeline_compare(fixture_store, f, "BLR-LTU", "quarter")
    assert both == ("quarter", [
        {"period": "2009-04-01", "pair": "BLR-RUS", "events": 2, "q1": 1, "q2": 0, "q3": 1, "q4": 0, "mean_goldstein": -0.5},
        {"period": "2016-10-01", "pair": "BLR-LTU", "events": 3, "q1": 0, "q2": 0, "q3": 3, "q4": 0, "mean_goldstein": -3.0},
    ])
    # a direction would mean "BLR acts on RUS" for one pair and nothing for the other: dropped for both
    assert tl.timeline_compare(fixture_store, f.with_(direction="ab"), "BLR-LTU", "quarter") == both
    # dates and QuadClass apply to both
    assert tl.timeline_compare(fixture_store, Filter.build(pair="BLR-RUS", quad="1", date_from="2009-06-01",
                                                           date_to="2016-12-31"), "BLR-LTU", "year") == ("year", [
        {"period": "2009-01-01", "pair": "BLR-RUS", "events": 3, "q1": 3, "q2": 0, "q3": 0, "q4": 0, "mean_goldstein": 3.0}])


def test_other_pair_without_events_and_bad_arguments(fixture_store):
    period, rows = tl.timeline_compare(fixture_store, Filter.build(pair="BLR-RUS"), "BLR-EU")
    assert [r["pair"] for r in rows] == ["BLR-RUS"]
    for f, other in ((Filter.build(), "BLR-EU"), (Filter.build(pair="BLR-RUS"), "RUS-BLR"),
                     (Filter.build(pair="BLR-RUS"), "BLR"), (Filter.build(pair="BLR-RUS"), "")):
        with pytest.raises(ValueError):
            tl.timeline_compare(fixture_store, f, other)
    with pytest.raises(ValueError, match="period"):
        tl.timeline_compare(fixture_store, Filter.build(pair="BLR-RUS"), "BLR-LTU", "minute")


def test_compare_period_coarsens_a_period_with_too_many_bars(fixture_store):
    assert tl.compare_period(fixture_store, Filter.build(pair="BLR-RUS"), "BLR-LTU", "auto") == ("quarter", None)
    period, note = tl.compare_period(fixture_store, Filter.build(pair="BLR-RUS"), "BLR-LTU", "day")
    assert period == "month" and note.startswith("Day bars from 2009-06-06 to 2021-05-24 would be")


def test_cli_compare(capsys, fixture_store_path):
    db = str(fixture_store_path)
    assert main(["timeline", "--db", db, "--pair", "BLR-RUS", "--compare", "ltu-blr", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert list(csv.DictReader(io.StringIO(out))) == [{k: str(v) for k, v in r.items()} for r in RUS_LTU]
    assert "period: quarter" in err
    assert main(["timeline", "--db", db, "--pair", "BLR-RUS", "--compare", "BLR-LTU", "--direction", "ab",
                 "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == RUS_LTU and "--direction does not apply" in err
    for args, message in ((["--compare", "BLR-LTU"], "--compare needs --pair"),
                          (["--pair", "BLR-RUS", "--compare", "BLR-RUS"], "--compare: give a pair other"),
                          (["--pair", "BLR-RUS", "--compare", "BLX-LTU"], "--compare: unknown actor code BLX"),
                          (["--pair", "BLR-RUS", "--compare", "x"], "--compare: pair must be"),
                          (["--pair", "BLR-RUS", "--compare", "BLR-LTU", "--by-source"], "cannot be combined")):
        assert main(["timeline", "--db", db, *args]) == 2
        assert message in capsys.readouterr().err


def test_figure_escapes_pair_codes():
    evil = '<a href="https://evil.example">X</a>'
    rows = [{"period": "2021-01-01", "pair": p, "events": 2, "q1": 1, "q2": 0, "q3": 1, "q4": 0, "mean_goldstein": 1.5}
            for p in ("BLR-RUS", evil)]
    assert foreign_tags(compare_figure(rows, "year", ["BLR-RUS", evil]).to_plotly_json()) == []
    names = [t["name"] for t in compare_figure(rows, "year", ["BLR-RUS", evil]).to_plotly_json()["data"]]
    assert names == ["BLR-RUS events", "BLR-RUS mean Goldstein", f"{plain(evil, 40)} events",
                     f"{plain(evil, 40)} mean Goldstein"]


def _compare_chart(at: AppTest) -> dict | None:
    charts = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    mine = [c for c in charts if any("mean Goldstein" in (t.get("name") or "") and "-" in (t.get("name") or "")
                                     for t in c["data"])]
    return mine[0] if mine else None


def test_page_compare_from_the_url(app):
    open_page(app, "pages/timeline.py", pair="BLR-RUS", compare="ltu-blr")
    assert not app.exception
    assert app.selectbox(key="tl_compare_pair").value == "BLR-LTU"
    spec = _compare_chart(app)
    assert [t["name"] for t in spec["data"]] == ["BLR-RUS events", "BLR-RUS mean Goldstein", "BLR-LTU events",
                                                 "BLR-LTU mean Goldstein"]
    assert spec["data"][0]["y"] == [7] and spec["data"][2]["y"] == [4]
    assert app.query_params["compare"] == "BLR-LTU"
    assert any("direction switch does not apply" in c.value for c in app.caption)
    # none chosen: no chart, nothing in the URL
    app.selectbox(key="tl_compare_pair").set_value("").run()
    assert not app.exception and _compare_chart(app) is None and "compare" not in app.query_params


def test_page_compare_with_a_pair_without_events(app):
    open_page(app, "pages/timeline.py", pair="BLR-RUS", compare="BLR-EU")
    assert not app.exception
    assert _compare_chart(app) is None
    assert any("has no events for these filters" in i.value for i in app.info)


def test_bad_compare_in_a_link_is_ignored_with_a_notice(app):
    open_page(app, "pages/timeline.py", pair="BLR-RUS", compare="<b>x</b>")
    assert not app.exception
    notices = " ".join(w.value for w in app.sidebar.warning)
    assert "Ignored compare" in notices and "<b>" not in notices
    assert app.selectbox(key="tl_compare_pair").value == ""
    assert _compare_chart(app) is None and "compare" not in app.query_params
    app.query_params.clear()
    open_page(app, "pages/timeline.py", pair="BLR-RUS", compare="RUS-BLR")
    assert "that is the pair already shown" in " ".join(w.value for w in app.sidebar.warning)


def test_a_compare_pair_the_store_does_not_hold_is_said(app):
    """A new user's compare=XXX-YYY stayed in the URL with no notice."""
    open_page(app, "pages/timeline.py", pair="BLR-RUS", compare="XXX-YYY")
    assert not app.exception
    assert [w.value for w in app.sidebar.warning] == [
        "Ignored compare\\=\\'XXX\\-YYY\\'\\: no article or event involves XXX or YYY\\."]
    assert _compare_chart(app) is None and "compare" not in app.query_params

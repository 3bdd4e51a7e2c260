"""The Timeline page's note form and its "Compare sources side by side" switch, through AppTest (issue #18)."""
from __future__ import annotations

import json
from datetime import date

from streamlit.testing.v1 import AppTest

from dashboard.ingest.records import EventRecord
from dashboard.ingest.write import write_events
from dashboard.queries import timeline as tl
from dashboard.queries.filters import Filter
from dashboard.store import open_store

from conftest import ROOT


def _timeline(monkeypatch, path, **params) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page("pages/timeline.py")
    return at.run()


def _notes(path) -> list[tuple]:
    store = open_store(path, readonly=True)
    try:
        return [tuple(r) for r in store.conn.execute("SELECT date, text FROM notes ORDER BY id")]
    finally:
        store.conn.close()


def test_pin_note_without_a_text_says_what_is_missing(monkeypatch, fixture_db_path):
    """The button used to do nothing, silently, when the note could not be pinned."""
    at = _timeline(monkeypatch, fixture_db_path, pair="BLR-RUS")
    assert not at.exception and not at.warning
    pin = next(b for b in at.button if b.label == "Pin note")
    pin.click().run()   # no date, no text
    assert [w.value for w in at.warning] == ["Give the note a date and a text."]
    at.date_input(key="note_day").set_value(date(1950, 5, 1))
    at.text_input(key="note_text").set_value("   ")
    next(b for b in at.button if b.label == "Pin note").click().run()   # a date, but a blank text
    assert not at.exception
    assert [w.value for w in at.warning] == ["Give the note a date and a text."]
    assert _notes(fixture_db_path) == []
    # with both, it is pinned and the warning goes
    at.date_input(key="note_day").set_value(date(1950, 5, 1))
    at.text_input(key="note_text").set_value("Early note")
    next(b for b in at.button if b.label == "Pin note").click().run()
    assert not at.exception and not at.warning
    assert _notes(fixture_db_path) == [("1950-05-01", "Early note")]
    assert [s.value for s in at.success] == ["Pinned to 1950\\-05\\-01\\: Early note"]   # escaped Markdown


def _add_gdelt(path) -> None:
    store = open_store(path)
    rows = [("2009-06-10", "BLR", "RUS", 1, 3.0), ("2009-06-20", "BLR", "RUS", 4, -9.0),
            ("2009-06-21", "RUS", "BLR", 3, -4.0),     # the other direction: left out by direction=ab
            ("2010-01-05", "BLR", "RUS", 1, 2.0)]      # after the dates
    with store.conn:
        write_events(store, [EventRecord(source="gdelt", source_event_id=f"g{i}", date=d, actor1=a, actor2=b,
                                         quad_class=q, goldstein=g, avg_tone=1.0)
                             for i, (d, a, b, q, g) in enumerate(rows)])
    store.conn.close()


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_compare_sources_draws_one_series_per_source_from_the_same_filter(monkeypatch, fixture_db_path):
    _add_gdelt(fixture_db_path)
    at = _timeline(monkeypatch, fixture_db_path, pair="BLR-RUS", **{"from": "2009-06-01", "to": "2009-06-30"},
                   direction="ab", period="week")
    assert not at.exception
    assert len(_charts(at)) == 1    # off by default: the timeline alone
    at.toggle(key="tl_compare").set_value(True).run()
    assert not at.exception
    charts = _charts(at)
    assert len(charts) == 2
    by_source = charts[0]
    names = [t["name"] for t in by_source["data"]]
    assert names == ["extracted events", "extracted mean Goldstein", "gdelt events", "gdelt mean Goldstein"]
    bars = {t["name"]: dict(zip(t["x"], t["y"])) for t in by_source["data"] if t["type"] == "bar"}
    # direction ab and the dates apply: Belarus acting on Russia in June 2009, by week
    assert bars == {"extracted events": {"2009-06-08": 4, "2009-06-15": 1},
                    "gdelt events": {"2009-06-08": 1, "2009-06-15": 1}}
    gdelt_line = next(t for t in by_source["data"] if t["name"] == "gdelt mean Goldstein")
    assert dict(zip(gdelt_line["x"], gdelt_line["y"])) == {"2009-06-08": 3.0, "2009-06-15": -9.0}
    # the same Filter as the query and the CLI's `timeline --by-source`, and the timeline's totals
    store = open_store(fixture_db_path, readonly=True)
    try:
        f = Filter.build(pair="BLR-RUS", date_from="2009-06-01", date_to="2009-06-30", direction="ab")
        _, rows = tl.timeline_by_source(store, f, "week")
    finally:
        store.conn.close()
    assert {(r["source"], r["period"]): r["events"] for r in rows} == {
        (src, p): n for src, per in bars.items() for p, n in per.items() for src in [src.split()[0]]}
    timeline = charts[1]
    totals = {}
    for t in timeline["data"]:
        if t["type"] == "bar":   # a bar per QuadClass (and one for events without one), stacked
            for x, y in zip(t["x"], t["y"]):
                totals[x[:10]] = totals.get(x[:10], 0) + (y or 0)
    assert sorted((k, v) for k, v in totals.items() if v) == [("2009-06-08", 5), ("2009-06-15", 2)]
    # switched off, the sources chart goes
    at.toggle(key="tl_compare").set_value(False).run()
    assert len(_charts(at)) == 1

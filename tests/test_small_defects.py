"""Issue #18 item 5: the small defects an analyst met clicking through the pages."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard.app.charts import goldstein_points, timeline_figure
from dashboard.app.uploads import summary
from dashboard.queries import similar
from dashboard.store import open_store

from conftest import ROOT


def test_import_summary_counts_in_the_right_number():
    one = {"files": 1, "imported": 1, "duplicates": 0, "failed": 1, "files_failed": 1, "files_duplicate": 0}
    assert summary(one) == ("1 file: 1 record imported, 0 duplicates, 1 row rejected, 1 file failed, "
                            "0 files already imported.")
    many = {"files": 3, "imported": 1204, "duplicates": 2, "failed": 0, "files_failed": 0, "files_duplicate": 2}
    assert summary(many).startswith("3 files: 1,204 records imported, 2 duplicates, 0 rows rejected")


def test_stub_caption_has_no_empty_part(monkeypatch, fixture_store_path):
    # the fixture's teaser stub has a date and no source: it read "2009-06-15 09:05 ·  · known only from a teaser"
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_store_path))
    store = open_store(fixture_store_path, readonly=True)
    stub = store.execute("SELECT id FROM articles WHERE is_stub = 1 AND source IS NULL").fetchone()[0]
    store.conn.close()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.query_params["article"] = str(stub)
    at.switch_page("pages/articles.py")
    at.run()
    assert not at.exception
    caption = next(c.value for c in at.caption if "teaser" in c.value)
    assert caption == "2009\\-06\\-15 09\\:05 · known only from a teaser"
    assert "·  ·" not in caption and "· ·" not in caption


def test_goldstein_line_breaks_over_periods_without_events():
    rows = [{"period": p, "events": n, "q1": n, "q2": 0, "q3": 0, "q4": 0, "mean_goldstein": g, "articles": a}
            for p, n, g, a in (("2020-01-01", 2, 3.0, 0), ("2020-02-01", 1, -1.0, 0),   # adjacent: joined
                               ("2020-05-01", 1, 2.0, 0),                                # March, April missing
                               ("2020-06-01", 0, None, 3),                               # articles, no events
                               ("2020-07-01", 1, 1.0, 1))]
    xs, ys = goldstein_points(rows, "month")
    assert list(zip(xs, ys)) == [("2020-01-01", 3.0), ("2020-02-01", -1.0), ("2020-03-01", None),
                                 ("2020-05-01", 2.0), ("2020-06-01", None), ("2020-07-01", 1.0)]
    line = next(t for t in timeline_figure(rows, "month").to_plotly_json()["data"] if t.get("name") == "Mean Goldstein")
    assert line["connectgaps"] is False and list(line["y"]) == ys


def test_similar_names_shared_words_as_the_article_spells_them(fixture_store):
    # typos ("Vilnus", "strats") and another spelling ("Lukashenka") are found, but the shared words are the
    # article's, never the analyst's own typos
    hits = similar.lookup(fixture_store, "Vilnus protests as Minsk strats the Astravets reactor")
    assert hits[0]["title"] == "Vilnius protests as Minsk starts the Astravets reactor"
    shared = hits[0]["shared_terms"]
    assert "vilnus" not in shared and "strats" not in shared
    assert "vilnius" in shared or "starts" in shared


def test_long_spans_are_not_drawn_by_day(fixture_store):
    from dashboard.queries import timeline as tl
    from dashboard.queries.filters import Filter
    f = Filter.build(pair="BLR-RUS")
    # the events fill 12 days of June 2009, the pair's articles run to 2011-11-25: the chart covers both, so
    # "auto" now draws months (it drew 903 day bars, the coverage stretched over them)
    assert tl.drawn_span(fixture_store, f) == ("2009-06-06", "2011-11-25")
    assert tl.readable_period(fixture_store, f, "auto") == ("month", None)
    assert tl.timeline(fixture_store, f)[0] == "month"
    # a day kept from a short range while the dates widen is drawn by the finest period with <= MAX_BARS bars
    assert tl.readable_period(fixture_store, f, "day") == (
        "week", "Day bars from 2009-06-06 to 2011-11-25 would be 903 bars: drawn by week. Narrow the dates to see days.")
    assert tl.readable_period(fixture_store, f, "week") == ("week", None)
    june = f.with_(date_from="2009-06-01", date_to="2009-06-30")
    assert tl.readable_period(fixture_store, june, "auto") == tl.readable_period(fixture_store, june, "day") == ("day", None)
    assert [tl.bars("2009-06-14", "2011-11-25", p) for p in tl.PERIODS] == [895, 129, 30, 11, 3]


def test_timeline_page_says_when_it_draws_coarser_bars(monkeypatch, fixture_store_path):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_store_path))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.query_params["pair"], at.query_params["period"] = "BLR-RUS", "day"
    at.switch_page("pages/timeline.py")
    at.run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert "Day bars from 2009-06-06 to 2011-11-25 would be 903 bars: drawn by week. Narrow the dates to see days." in captions
    assert any(c.startswith("Periods: week.") for c in captions)
    assert at.selectbox(key="tl_period").value == "day" and at.query_params["period"] == "day"


def test_coverage_steps_do_not_bridge_periods_without_articles():
    from dashboard.app.charts import coverage_points
    rows = [{"period": "2009-06-15", "articles": 2}, {"period": "2009-06-22", "articles": 1},
            {"period": "2011-11-21", "articles": 1}]
    # each step ends with its week; adjacent weeks join; the gap to 2011 is drawn at 0
    assert coverage_points(rows, "week") == (["2009-06-15", "2009-06-22", "2009-06-29", "2011-11-21", "2011-11-28"],
                                             [2, 1, 0, 1, 0])
    fig = timeline_figure([dict(r, events=0, q1=0, q2=0, q3=0, q4=0, mean_goldstein=None) for r in rows], "week")
    coverage = next(t for t in fig.data if t.name == "Articles (coverage)")
    assert list(coverage.y) == [2, 1, 0, 1, 0]
    # an outline: a filled area would be drawn over the bars (plotly puts scatters above bars) and grey them
    assert coverage.fill is None and coverage.line.dash == "dot" and coverage.line.width > 0


def test_cli_import_report_counts_in_the_right_number(db):
    from dashboard.ingest import import_paths
    from conftest import FIXTURES
    first = import_paths(db, [FIXTURES / "articles.jsonl"]).summary().splitlines()[-1]
    assert first == ("1 file: imported 2 records, 0 duplicates, 3 failed rows, 0 failed files, "
                     "0 files skipped as already imported; 0 links, 1 event")
    again = import_paths(db, [FIXTURES / "articles.jsonl"]).summary().splitlines()[-1]
    assert again == ("1 file: imported 0 records, 0 duplicates, 0 failed rows, 0 failed files, "
                     "1 file skipped as already imported; 0 links, 0 events")

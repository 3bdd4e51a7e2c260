"""Timeline aggregates, the chart's degenerate cases (C18, C19), and GDELT counts checked against the raw file."""
from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date

import pytest

from dashboard.queries import timeline as tl
from dashboard.app.charts import sources_figure, timeline_figure
from dashboard.cli import main as cli_main
from dashboard.queries.filters import Filter
from dashboard.ingest import import_paths
from dashboard.ingest.records import EventRecord
from dashboard.ingest.write import write_events

from conftest import SHARED


def _events(db, rows):
    with db.conn:
        write_events(db, [EventRecord(source=s, source_event_id=str(i), date=d, actor1=a, actor2=b, quad_class=q,
                                      goldstein=g, avg_tone=t) for i, (s, d, a, b, q, g, t) in enumerate(rows)])


def test_periods_and_auto_choice():
    assert [tl.period_start("2015-11-25", p) for p in tl.PERIODS] == [
        "2015-11-25", "2015-11-23", "2015-11-01", "2015-10-01", "2015-01-01"]
    assert tl.period_end("2015-10-01", "quarter") == "2015-12-31"
    assert tl.auto_period("2015-01-01", "2015-02-01") == "day"
    assert tl.auto_period("2015-01-01", "2015-12-01") == "week"
    assert tl.auto_period("2010-01-01", "2015-12-01") == "month"
    assert tl.auto_period("2000-01-01", "2024-12-01") == "year"


def test_month_rows_count_quadclass_and_mean_goldstein(db):
    _events(db, [("gdelt", "2015-11-21", "RUS", "BLR", 1, 5.0, -1.0), ("gdelt", "2015-11-25", "BLR", "RUS", 1, 7.0, 2.0),
                 ("acled", "2015-11-30", "BLR", "RUS", 4, None, None), ("gdelt", "2015-12-02", "RUS", "BLR", 3, -4.0, -3.0),
                 ("gdelt", "2015-11-02", "RUS", "USA", 3, -2.0, 0.0)])
    period, rows = tl.timeline(db, Filter.build(pair="BLR-RUS"), "month")
    assert period == "month"
    assert rows == [
        {"period": "2015-11-01", "events": 3, "q1": 2, "q2": 0, "q3": 0, "q4": 1, "mean_goldstein": 6.0, "articles": 0},
        {"period": "2015-12-01", "events": 1, "q1": 0, "q2": 0, "q3": 1, "q4": 0, "mean_goldstein": -4.0, "articles": 0}]
    _, ab = tl.timeline(db, Filter.build(pair="BLR-RUS", direction="ab"), "month")
    assert [r["events"] for r in ab] == [2]
    _, by = tl.timeline_by_source(db, Filter.build(pair="BLR-RUS"), "month")
    assert by == [
        {"period": "2015-11-01", "source": "acled", "events": 1, "mean_goldstein": None, "mean_tone": None},
        {"period": "2015-11-01", "source": "gdelt", "events": 2, "mean_goldstein": 6.0, "mean_tone": 0.5},
        {"period": "2015-12-01", "source": "gdelt", "events": 1, "mean_goldstein": -4.0, "mean_tone": -3.0}]
    assert [t.name for t in sources_figure(by, "month", tone=True).data] == [
        "acled events", "gdelt events", "gdelt mean Goldstein", "gdelt mean AvgTone"]


def test_no_events_single_event_and_integer_dates_c19(db):
    period, rows = tl.timeline(db, Filter.build(pair="ARM-AZE"), "auto")
    assert rows == []
    _events(db, [("manual", "2023-11-21", "ARM", "AZE", 1, 3.0, None)])
    period, rows = tl.timeline(db, Filter.build(pair="ARM-AZE", date_from="2023-11-21", date_to="2023-11-21"), "auto")
    assert (period, [r["period"] for r in rows]) == ("day", ["2023-11-21"])
    fig = timeline_figure(rows, period)
    assert fig.layout.xaxis.type == "date"
    assert fig.data[0].x == ("2023-11-21",)
    lo, hi = fig.layout.xaxis.range
    assert date.fromisoformat(lo) < date(2023, 11, 21) < date.fromisoformat(hi)
    # one event: ticks on whole numbers (plotly's own 0.2 steps would read 0, 0, 0, 1, 1, 1)
    assert (fig.layout.yaxis.dtick, fig.layout.yaxis.tickformat) == (1, ",d")
    assert timeline_figure([{**rows[0], "events": 500, "q1": 500}], period).layout.yaxis.dtick is None


def test_calendar_dates_do_not_shift_with_tz_c18(db, monkeypatch, tmp_path):
    import time
    feed = tmp_path / "f.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                    '<item><title>Minsk and Moscow talk</title><link>https://e.org/1</link>'
                    '<pubDate>Tue, 21 Nov 2023 01:30:00 +0300</pubDate><description>Minsk and Moscow.</description></item>'
                    '</channel></rss>', encoding="utf-8")
    for zone in ("UTC", "America/New_York"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        _events(db, [("gdelt", "2023-11-21", "BLR", "RUS", 1, 1.0, None)])
        _, rows = tl.timeline(db, Filter.build(pair="BLR-RUS"), "day")
        assert [r["period"] for r in rows if r["events"]] == ["2023-11-21"]
    monkeypatch.delenv("TZ")
    time.tzset()


def test_cli_timeline_matches_the_chart_rows(capsys, db, tmp_path):
    _events(db, [("gdelt", "2015-11-21", "RUS", "BLR", 1, 5.0, None), ("gdelt", "2015-11-25", "BLR", "RUS", 1, 7.0, None)])
    path = db.execute("PRAGMA database_list").fetchone()[2]
    cli_main(["timeline", "--db", path, "--pair", "RUS-BLR", "--period", "month", "--format", "csv"])
    out = capsys.readouterr().out
    assert out == "period,events,q1,q2,q3,q4,mean_goldstein,articles\r\n2015-11-01,2,2,0,0,0,6.0,0\r\n"


GDELT2 = SHARED / "data" / "arekziobrowski__gdelt-big-data" / "20191024143000.export.CSV"


def test_gdelt_timeline_counts_match_the_raw_file(db, capsys):
    if not GDELT2.exists():
        pytest.skip("../shared/data is not present")
    import_paths(db, [GDELT2])
    want = Counter()
    with open(GDELT2, encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            a, b = row[7], row[17]
            if {a, b} == {"BLR", "RUS"}:
                want[row[1][:4] + "-" + row[1][4:6] + "-01"] += 1
    path = db.execute("PRAGMA database_list").fetchone()[2]
    cli_main(["timeline", "--db", path, "--pair", "BLR-RUS", "--source", "gdelt", "--period", "month", "--format", "csv"])
    got = {r["period"]: int(r["events"]) for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert got == dict(want) and sum(got.values()) == 8


def test_feed_item_keeps_its_own_calendar_date_c18(db, tmp_path):
    feed = tmp_path / "c18.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                    '<item><title>Minsk and Moscow sign a deal</title><link>https://e.org/c18</link>'
                    '<pubDate>Tue, 21 Nov 2023 01:30:00 +0300</pubDate>'
                    '<description>Minsk and Moscow signed a trade deal yesterday.</description></item>'
                    '</channel></rss>', encoding="utf-8")
    import_paths(db, [feed])
    assert db.execute("SELECT published_at, published_date FROM articles").fetchone() == ("2023-11-20 22:30", "2023-11-21")
    from dashboard.queries.articles import count_articles
    assert count_articles(db, Filter.build(date_from="2023-11-21", date_to="2023-11-21")) == 1
    _, rows = tl.timeline(db, Filter.build(pair="BLR-RUS"), "day")
    assert [r["period"] for r in rows if r["articles"]] == ["2023-11-21"]
    # "yesterday" resolves against the local date: 20 November
    assert db.execute("SELECT date FROM events WHERE source = 'extracted'").fetchall() == [("2023-11-20",)]
    # the list says which day the item was published where it was published, beside the UTC time
    from dashboard.queries.articles import list_articles
    from dashboard.app.ui import when
    [row] = list_articles(db, Filter.build(date_from="2023-11-21", date_to="2023-11-21"))
    assert when(row["published_at"], row["published_date"]) == "2023-11-20 22:30 UTC · 21 Nov 2023 where published"
    assert when("2016-04-22 17:51", "2016-04-22") == "2016-04-22 17:51" and when(None) == "no date"


@pytest.mark.parametrize("direction", [None, "ab", "ba"])
@pytest.mark.parametrize("hide_uncertain", [False, True])
def test_count_list_csv_and_chart_agree_for_every_direction_and_certainty(fixture_db, direction, hide_uncertain):
    """Issue #14: the Timeline showed "Events (13)" above one listed event, with a CSV of 1 row, for
    BLR–RUS B→A on these fixtures (direction reached the list and the CSV but not the count)."""
    from dashboard.queries import events as ev
    from dashboard.queries.export import csv_bytes
    f = Filter.build(pair="BLR-RUS", direction=direction, hide_uncertain=hide_uncertain)
    total = ev.count_events(fixture_db, f)
    listed = ev.list_events(fixture_db, f, limit=None)
    csv_rows = list(csv.reader(io.StringIO(csv_bytes(ev.iter_events(fixture_db, f), ev.EVENT_COLUMNS).decode("utf-8-sig"))))
    _, rows = tl.timeline(fixture_db, f, "day")
    assert total == len(listed) == len(csv_rows) - 1 == sum(r["events"] for r in rows if r["period"])
    actor = {None: None, "ab": "BLR", "ba": "RUS"}[direction]
    assert all(e["actor1"] == actor for e in listed) if actor else True
    if hide_uncertain:
        assert not any(e["year_inferred"] or (e["confidence"] or 1) < tl.MIN_CONFIDENCE for e in listed)


def test_the_bug_case_counts_one_event_not_thirteen(fixture_db):
    from dashboard.queries import events as ev
    both = Filter.build(pair="BLR-RUS")
    ba = both.with_(direction="ba")
    assert ev.count_events(fixture_db, both) > ev.count_events(fixture_db, ba) == len(ev.list_events(fixture_db, ba))


def test_events_csv_carries_the_pairs_notes_in_date_order(fixture_db, fixture_db_path, capsys):
    """Issue #18 item 3: notes are in the events CSV, as rows of their own (source 'note'), from the pages'
    download and from `events --notes` alike; any day since 1900 can hold one."""
    from dashboard.queries import events as ev
    ev.add_note(fixture_db, ("RUS", "BLR"), "1950-05-01", "=early")
    ev.add_note(fixture_db, ("BLR", "RUS"), "2009-06-10", "milk war")
    ev.add_note(fixture_db, ("BLR", "POL"), "2009-06-10", "another pair")
    f = Filter.build(pair="BLR-RUS")
    rows = list(ev.iter_events_and_notes(fixture_db, f))
    assert [(r["date"], r["note"]) for r in rows if r["source"] == ev.NOTE_SOURCE] == [
        ("1950-05-01", "=early"), ("2009-06-10", "milk war")]
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert [r for r in rows if r["source"] != ev.NOTE_SOURCE] == ev.list_events(fixture_db, f, limit=None)
    # the dates bound the notes as they bound the events; without a pair there are none
    within = list(ev.iter_events_and_notes(fixture_db, f.with_(date_from="2009-01-01")))
    assert [r["note"] for r in within if r["source"] == ev.NOTE_SOURCE] == ["milk war"]
    assert not [r for r in ev.iter_events_and_notes(fixture_db, Filter()) if r["source"] == ev.NOTE_SOURCE]
    cli_main(["events", "--db", str(fixture_db_path), "--pair", "RUS-BLR", "--notes", "--format", "csv"])
    out = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["date"], r["note"]) for r in out if r["source"] == "note"] == [("1950-05-01", "'=early"), ("2009-06-10", "milk war")]
    assert len(out) == len(rows)


def test_note_pins_are_labelled_and_stay_visible_when_a_bar_is_selected():
    rows = [{"period": "2021-01-01", "events": 2, "q1": 1, "q2": 0, "q3": 1, "q4": 0, "mean_goldstein": 1.5, "articles": 0}]
    spec = timeline_figure(rows, "year", notes=[{"date": "2021-03-02", "text": "Ambassador recalled after the crackdown"}]).to_plotly_json()
    pins = next(t for t in spec["data"] if t.get("name") == "Notes")
    assert pins["text"] == ["Ambassador recalled after the c…"] and pins["mode"] == "markers+text"
    assert pins["unselected"]["marker"]["opacity"] == 1
    # a click selects a bar: Streamlit keeps clickmode "event+select" only while dragging does not select
    assert spec["layout"]["clickmode"] == "event+select" and spec["layout"]["dragmode"] != "select"


def _day_rows(*periods):
    return [{"period": p, "events": 1, "q1": 1, "q2": 0, "q3": 0, "q4": 0, "mean_goldstein": 2.0, "articles": 1}
            for p in periods]


def _bars(fig):
    return [t for t in fig.to_plotly_json()["data"] if t["type"] == "bar"]


def test_day_bars_span_their_day_and_the_axis_spans_the_filters_dates():
    # one event on 23 Nov, the next on 28 Nov: plotly alone drew the first 4 days wide, centred on midnight
    fig = timeline_figure(_day_rows("2011-11-23", "2011-11-28"), "day", date_from="2011-11-01", date_to="2011-11-30",
                          notes=[{"date": "2011-11-23", "text": "talks"}])
    for bar in _bars(fig):
        assert (list(bar["x"]), list(bar["width"]), list(bar["offset"])) == (
            ["2011-11-23", "2011-11-28"], [86_400_000, 86_400_000], [0, 0])
    # the coverage steps start and end on the same midnights as the bars
    coverage = next(t for t in fig.data if t.name == "Articles (coverage)")
    assert list(coverage.x) == ["2011-11-23", "2011-11-24", "2011-11-28", "2011-11-29"]
    line = next(t for t in fig.data if t.name == "Mean Goldstein")
    pins = next(t for t in fig.data if t.name == "Notes")
    assert (line.xperiod, line.xperiodalignment, pins.xperiod, pins.xperiodalignment) == (
        86_400_000, "middle", 86_400_000, "middle")
    assert (fig.layout.shapes[0].x0, fig.layout.shapes[0].x1) == ("2011-11-23 12:00", "2011-11-23 12:00")
    axis = fig.layout.xaxis
    # 00:00 of 1 Nov to the end of 30 Nov; ticks whole days apart, labelled with days, never hours
    assert (axis.range, axis.dtick, axis.tick0, axis.tickformat) == (
        ("2011-11-01", "2011-12-01"), 3 * 86_400_000, "2011-11-01", "%d %b %Y")
    # a single event: its bar is still one day wide, the axis still the filter's month
    fig = timeline_figure(_day_rows("2011-11-23"), "day", date_from="2011-11-01", date_to="2011-11-30")
    assert [(list(b["width"]), list(b["offset"])) for b in _bars(fig)][0] == ([86_400_000], [0])
    assert fig.layout.xaxis.range == ("2011-11-01", "2011-12-01")
    # a week of days: a tick every day
    fig = timeline_figure(_day_rows("2011-11-23"), "day", date_from="2011-11-21", date_to="2011-11-27")
    assert (fig.layout.xaxis.range, fig.layout.xaxis.dtick) == (("2011-11-21", "2011-11-28"), 86_400_000)


def test_month_bars_span_their_months_days():
    # February (28 days) and May (31), with a gap between them; no filter dates: the axis spans the data's months
    fig = timeline_figure(_day_rows("2011-02-01", "2011-05-01"), "month")
    for bar in _bars(fig):
        assert (list(bar["x"]), list(bar["width"]), list(bar["offset"])) == (
            ["2011-02-01", "2011-05-01"], [28 * 86_400_000, 31 * 86_400_000], [0, 0])
    line = next(t for t in fig.data if t.name == "Mean Goldstein")
    assert (line.xperiod, line.xperiodalignment) == ("M1", "middle")
    axis = fig.layout.xaxis
    assert (axis.range, axis.dtick, axis.tickformat) == (("2011-02-01", "2011-06-01"), "M1", "%b %Y")
    # one month alone, filter dates given: the axis is the filter's dates, the bar the whole of May
    fig = timeline_figure(_day_rows("2011-05-01"), "month", date_from="2011-01-01", date_to="2011-12-31")
    assert list(_bars(fig)[0]["width"]) == [31 * 86_400_000]
    assert (fig.layout.xaxis.range, fig.layout.xaxis.dtick) == (("2011-01-01", "2012-01-01"), "M1")


def test_side_by_side_bars_share_their_period():
    rows = [{**r, "source": s, "mean_tone": None} for s in ("acled", "gdelt") for r in _day_rows("2011-11-07")]
    bars = _bars(sources_figure(rows, "week", date_from="2011-11-01", date_to="2011-11-30"))
    assert [(list(b["width"]), list(b["offset"])) for b in bars] == [([302_400_000], [0]), ([302_400_000], [302_400_000])]


def test_without_a_pair_the_article_column_counts_every_article(fixture_store):
    """A new user's `timeline` without --pair showed 0 articles in every period of a store of 99."""
    from dashboard.queries.timeline import timeline
    _, rows = timeline(fixture_store, Filter.build(), "year")
    by_year = dict(fixture_store.execute("SELECT substr(published_date, 1, 4) || '-01-01', count(*) FROM articles "
                                         "WHERE published_date IS NOT NULL GROUP BY 1").fetchall())
    assert {r["period"]: r["articles"] for r in rows if r["articles"]} == by_year
    assert sum(r["articles"] for r in rows) == fixture_store.execute(
        "SELECT count(*) FROM articles WHERE published_date IS NOT NULL").fetchone()[0] > 0

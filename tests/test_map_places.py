"""The Map page and `places`: where the filtered events happen, from the coordinates of imported event
data (issue #18), drawn on a plain grid with no tiles from the internet."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.cli import main as cli_main
from dashboard.app.charts import places_figure
from dashboard.ingest import import_paths
from dashboard.queries import places
from dashboard.queries.filters import Filter
from dashboard.store import open_store

from conftest import FIXTURES, ROOT
from test_app import open_page

EVENTS = [FIXTURES / "events" / "acled_api.json", FIXTURES / "events" / "ngecEvents.20230109.fixture.txt"]


@pytest.fixture
def located(tmp_path):
    path = tmp_path / "located.db"
    store = open_store(path)
    import_paths(store, EVENTS)
    yield store, path
    store.conn.close()


def test_places_group_events_by_location_busiest_first(located):
    db, _ = located
    rows, total, without = places.place_rows(db, Filter())
    assert (total, without) == (7, 7)
    assert [r["place"] for r in rows] == ["Avdiivka, Donetsk, Ukraine", "Minsk, Belarus", "Berlin, Germany",
                                          "Brussels, Belgium", "Kyiv, Ukraine", "Luanda, Angola", "Vilnius, Lithuania"]
    assert rows[1] == {"place": "Minsk, Belarus", "lat": 53.9, "lon": 27.5667, "events": 3, "q1": 1, "q2": 0,
                       "q3": 0, "q4": 2, "mean_goldstein": -1.0, "first_day": "2020-05-09", "last_day": "2023-01-05"}


def test_places_follow_the_filter(located):
    db, _ = located
    rows, total, _ = places.place_rows(db, Filter.build(quad=(4,), date_from="2023-01-01"))
    assert [(r["place"], r["events"]) for r in rows] == [
        ("Avdiivka, Donetsk, Ukraine", 1), ("Kyiv, Ukraine", 1), ("Minsk, Belarus", 1), ("Vilnius, Lithuania", 1)]
    assert places.place_rows(db, Filter.build(pair=("BLR", "POL")))[:2] == ([], 0)


def test_places_cli_prints_the_pages_rows(located, capsys):
    db, path = located
    assert cli_main(["places", "--db", str(path), "--format", "json", "--quad", "4"]) == 0
    assert json.loads(capsys.readouterr().out) == places.place_rows(db, Filter.build(quad=(4,)), limit=None)[0]
    assert cli_main(["places", "--db", str(path), "--limit", "2"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines()[0].split() == list(places.PLACE_COLUMNS) and len(out.out.splitlines()) == 3
    assert out.err.strip() == "2 of 7 places; 7 matching events without a location"


def test_map_draws_no_tiles_and_escapes_place_names():
    row = {"place": "<img src=x onerror=alert(1)>, Minsk", "lat": 53.9, "lon": 27.56, "events": 2, "q1": 0,
           "q2": 0, "q3": 1, "q4": 1, "mean_goldstein": -4.0, "first_day": "2023-01-01", "last_day": "2023-01-02"}
    fig = places_figure([row])
    assert [t.type for t in fig.data] == ["scatter"]     # cartesian: nothing for plotly to fetch (no geo, no tiles)
    assert fig.data[0].name == "Verbal conflict"         # q3 and q4 tie: the milder one names the colour
    assert "<img" not in fig.data[0].text[0] and "&lt;img" in fig.data[0].text[0]
    assert "<img" not in fig.data[0].hovertext[0]


def test_map_page_draws_places_and_says_what_has_no_location(monkeypatch, located):
    _, path = located
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    at = open_page(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60), "pages/map.py")
    assert not at.exception
    assert at.title[0].value == "Map of events"
    assert len(at.get("plotly_chart")) == 1
    assert list(at.dataframe[0].value["place"])[:2] == ["Avdiivka, Donetsk, Ukraine", "Minsk, Belarus"]
    assert any("7 matching events have no location" in c.value for c in at.caption)


def test_map_page_empty_state_on_articles_only(monkeypatch, fixture_store_path):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_store_path))
    at = open_page(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60), "pages/map.py")
    assert not at.exception
    assert at.info[0].value.startswith("No event with a location matches these filters.")

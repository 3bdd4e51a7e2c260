"""Issue #18 item 7: who interacts with whom — the `pairs` CLI and the Pairs page, from one query."""
from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from dashboard.cli import main as cli_main
from dashboard.queries import events as ev
from dashboard.queries import pairs
from dashboard.queries.filters import Filter

from conftest import ROOT


def test_each_pairs_counts_are_its_timelines(fixture_store):
    rows = pairs.pair_rows(fixture_store, Filter())
    assert rows and [r["events"] for r in rows] == sorted((r["events"] for r in rows), reverse=True)
    for r in rows:
        pair = (r["pair_a"], r["pair_b"])
        assert r["pair_a"] < r["pair_b"]
        assert r["events"] == ev.count_events(fixture_store, Filter(pair=pair)) == sum(r[f"q{q}"] for q in (1, 2, 3, 4))
    # the Filter's options apply as on the Timeline; the pair (what the rows are) and the direction do not
    certain = {(r["pair_a"], r["pair_b"]): r["events"] for r in pairs.pair_rows(fixture_store, Filter(hide_uncertain=True))}
    assert certain[("BLR", "RUS")] == ev.count_events(fixture_store, Filter(pair=("BLR", "RUS"), hide_uncertain=True))
    assert pairs.pair_rows(fixture_store, Filter(pair=("BLR", "RUS"), direction="ab")) == rows
    assert pairs.pair_rows(fixture_store, Filter(date_from="2100-01-01")) == []


def test_pairs_cli_prints_the_pages_rows(capsys, fixture_store, fixture_store_path):
    assert cli_main(["pairs", "--db", str(fixture_store_path), "--format", "json", "--hide-uncertain"]) == 0
    assert json.loads(capsys.readouterr().out) == pairs.pair_rows(fixture_store, Filter(hide_uncertain=True))
    assert cli_main(["pairs", "--db", str(fixture_store_path), "--limit", "1"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines()[0].split() == list(pairs.PAIR_COLUMNS) and len(out.out.splitlines()) == 2
    assert cli_main(["pairs", "--db", str(fixture_store_path), "--format", "csv", "--quad", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(pairs.PAIR_COLUMNS) and all(",0,0,0," in l for l in lines[1:])   # q1..q3 empty


def test_pairs_page_draws_the_matrix_and_the_table(monkeypatch, fixture_store_path, fixture_store):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_store_path))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/pairs.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Country pairs"
    assert len(at.get("plotly_chart")) == 1
    table = at.dataframe[0].value
    rows = pairs.pair_rows(fixture_store, Filter())
    assert list(table["pair"]) == [f"{r['pair_a']}–{r['pair_b']}" for r in rows]
    assert list(table["events"]) == [r["events"] for r in rows]


def test_matrix_leaves_out_an_actor_whose_partners_are_not_shown():
    """A new user's trial: CAN was among the 15 most active actors while its only partner was not, so its row and
    column were empty. Only actors with a pair inside the chosen set are drawn."""
    rows = [{"pair_a": "BLR", "pair_b": "RUS", "events": 9}, {"pair_a": "POL", "pair_b": "RUS", "events": 5},
            {"pair_a": "CAN", "pair_b": "GBR", "events": 4}, {"pair_a": "BLR", "pair_b": "POL", "events": 0}]
    assert pairs.matrix_actors(rows, 3) == ["RUS", "BLR", "POL"]
    assert pairs.matrix_actors(rows, 4) == ["RUS", "BLR", "POL"]      # CAN (4) in the set, GBR (4) not: CAN left out
    assert pairs.matrix_actors(rows, 5) == ["RUS", "BLR", "POL", "CAN", "GBR"]


def test_matrix_fits_a_phone_screen(fixture_store):
    """On a phone (390 px) the matrix had its colour bar beside it and horizontal column codes: the columns
    overlapped. The colour bar now lies under the matrix, the column codes above it, free to turn upright."""
    from dashboard.app.charts import pairs_figure
    rows = pairs.pair_rows(fixture_store, Filter())
    fig = pairs_figure(rows, pairs.matrix_actors(rows, 15))
    bar = fig.data[0].marker.colorbar
    assert (bar.orientation, bar.yanchor) == ("h", "top")
    assert fig.layout.xaxis.side == "top" and fig.layout.xaxis.tickangle is None
    assert max(fig.data[0].marker.size) <= 30

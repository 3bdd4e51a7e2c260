"""Imported text reaches plotly figures only escaped: plotly draws <a href>, <span style>, <b> and <br>
in hover text, legend names, titles and annotations (issue #13, item 7)."""
from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from dashboard.queries import events as ev
from dashboard.queries import timeline as tl
from dashboard.app.charts import plain, sources_figure, timeline_figure
from dashboard.queries.filters import Filter
from dashboard.ingest import import_paths
from dashboard.store import open_store

EVIL = ('<a href="https://evil.example">talks</a> <span style="font-size:120px;color:red">HUGE</span> '
        '<img src=x onerror=alert(1)> <b>bold</b>')
ARTICLES = json.dumps({
    "url": "https://example.org/h/1", "published_at": "2021-03-01", "source": "<b>src</b>",
    "title": '<a href="https://evil.example">Belarus</a> and Russia <span style="font-size:120px;color:red">BIG</span>',
    "body": f"On 1 March 2021 Belarus signed an agreement with Russia {EVIL}.\n\n"
            "Russia threatened Belarus with sanctions <a href=https://evil.example>here</a> on 3 March 2021."}) + "\n"
# A manual event table: hostile headline (evidence), CAMEO code and actor code.
EVENTS = ("date,country_a,country_b,cameo_code,quad_class,goldstein,headline\n"
          '2021-03-02,BLR,RUS,<span style=font-size:120px>046</span>,1,3.4,"'
          + EVIL.replace('"', '""') + '"\n'
          '2021-03-05,BLR,<A HREF=X>RUS</A>,042,1,1.0,"<span style=""color:red"">actor</span>"\n')
HOSTILE_PAIR = ("<A HREF=X>RUS</A>", "BLR")  # sorted, as Filter holds it
# The only tags a figure may hold are our own: line breaks and plotly's <extra> box.
OUR_TAGS = re.compile(r"<br>|</?extra>")


def strings(node):
    """Every string value in a figure's JSON, recursively."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)


def foreign_tags(spec: dict) -> list[str]:
    """Strings of the figure that still hold a '<' plotly could read as a tag."""
    return [s for s in strings(spec) if "<" in OUR_TAGS.sub("", s)]


@pytest.fixture
def hostile_db_path(tmp_path):
    (tmp_path / "hostile.jsonl").write_text(ARTICLES, encoding="utf-8")
    (tmp_path / "hostile_events.csv").write_text(EVENTS, encoding="utf-8")
    path = tmp_path / "hostile.db"
    store = open_store(path)
    report = import_paths(store, [tmp_path / "hostile.jsonl", tmp_path / "hostile_events.csv"])
    assert [f.status for f in report.files] == ["imported", "imported"]
    ev.add_note(store, ("BLR", "RUS"), "2021-03-02", EVIL)
    store.conn.close()
    return path


def test_plain_escapes_markup_and_cuts_long_text():
    assert plain('<a href="x">A & B</a>') == '&lt;a href="x"&gt;A &amp; B&lt;/a&gt;'
    assert plain("x" * 500) == "x" * 199 + "…"
    assert plain("<" * 300, 10) == "&lt;" * 9 + "…"


def test_figure_builders_escape_hover_notes_title_and_sources():
    rows = [{"period": "2021-01-01", "events": 2, "q1": 1, "q2": 0, "q3": 1, "q4": 0, "mean_goldstein": 1.5,
             "articles": 1}]
    fig = timeline_figure(rows, "year", hover={"2021-01-01": [EVIL, "2021-03-02 BLR→RUS 046"]},
                          notes=[{"date": "2021-03-02", "text": EVIL}], title=EVIL)
    spec = fig.to_plotly_json()
    assert foreign_tags(spec) == []
    bar = next(t for t in spec["data"] if t.get("name") == "Verbal cooperation")
    assert bar["customdata"][0][2] == plain(EVIL) + "<br>2021-03-02 BLR→RUS 046"
    src_rows = [{"period": "2021-01-01", "source": EVIL, "events": 1, "mean_goldstein": 2.0, "mean_tone": -1.0}]
    assert foreign_tags(sources_figure(src_rows, "year", tone=True).to_plotly_json()) == []


def _page_figures(at: AppTest, page: str, **state) -> list[dict]:
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_every_page_figure_shows_imported_text_literally(monkeypatch, hostile_db_path):
    monkeypatch.setenv("DASHBOARD_DB", str(hostile_db_path))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    figures = _page_figures(at, "pages/overview.py")
    at.query_params["pair"] = "BLR-RUS"
    figures += _page_figures(at, "pages/timeline.py", tl_compare=True, tl_tone=True)
    # Overview's timeline; Timeline's sources and main charts.
    assert len(figures) == 3
    assert [s for spec in figures for s in foreign_tags(spec)] == []
    text = "\n".join(s for spec in figures for s in strings(spec))
    # The hostile text is there, shown as text: evidence and CAMEO code in the hover, the note's marker.
    assert '&lt;a href="https://evil.example"&gt;talks&lt;/a&gt;' in text
    assert "&lt;span style=font-size:120px&gt;046&lt;/span&gt;" in text
    assert plain(EVIL) in text


def test_hostile_actor_code_is_escaped_in_its_pairs_timeline(hostile_db_path):
    # The URL and the sidebar refuse such a code as a pair, so the Timeline page's own calls are made here.
    store = open_store(hostile_db_path)
    f = Filter(pair=HOSTILE_PAIR)
    used, rows = tl.timeline(store, f, "auto")
    hover = tl.top_events(store, f, used)
    spec = timeline_figure(rows, used, hover=hover, notes=ev.list_notes(store, f)).to_plotly_json()
    store.conn.close()
    assert foreign_tags(spec) == []
    line = '2021-03-05 BLR→&lt;A HREF=X&gt;RUS&lt;/A&gt; 042: &lt;span style="color:red"&gt;actor&lt;/span&gt;'
    assert line in strings(spec)


def test_pair_matrix_shows_hostile_actor_codes_literally(monkeypatch, hostile_db_path):
    # The Pairs page draws every actor code in its axis labels and hover text: escaped, as every figure's text.
    monkeypatch.setenv("DASHBOARD_DB", str(hostile_db_path))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    figures = _page_figures(at, "pages/pairs.py")
    assert len(figures) == 1 and foreign_tags(figures[0]) == []
    assert "&lt;A HREF=X&gt;RUS&lt;/A&gt;" in set(strings(figures[0]))

"""Saved views (issue #18): a named filter set stored in the store, listed on the Overview, `views` on the CLI."""
from __future__ import annotations

import json
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from dashboard.cli import main
from dashboard.queries import views
from dashboard.store import StoreReadOnly, open_store

APP = str(ROOT / "streamlit_app.py")


def test_save_list_replace_delete(db):
    id1, replaced = views.save_view(db, "  BLR–RUS   sanctions ", "timeline",
                                    {"pair": "BLR-RUS", "period": "year", "q": ""})
    assert not replaced
    id2, _ = views.save_view(db, "Map of 2021", "map", {"from": "2021-01-01"})
    listed = views.list_views(db)
    # saved last first; the name trimmed (inner runs of spaces made one); empty values dropped
    assert [v["name"] for v in listed] == ["Map of 2021", "BLR–RUS sanctions"]
    assert listed[1]["params"] == {"pair": "BLR-RUS", "period": "year"}
    assert listed[1]["url"] == "/timeline?pair=BLR-RUS&period=year"
    assert listed[1]["created_at"].endswith("Z")
    # the same name again replaces that view, keeping its id
    again, replaced = views.save_view(db, "BLR–RUS sanctions", "events", {"pair": "BLR-RUS", "quad": "4"})
    assert (again, replaced) == (id1, True)
    assert db.execute("SELECT count(*) FROM saved_views").fetchone()[0] == 2
    v, f, notices = views.open_view(db, id1)
    assert v["page"] == "events" and f.pair == ("BLR", "RUS") and f.quad == (4,) and notices == []
    assert views.delete_view(db, id2) is True
    assert views.delete_view(db, id2) is False
    assert [v["id"] for v in views.list_views(db)] == [id1]


@pytest.mark.parametrize("name", ["", "   ", "\n\t", "x" * 81])
def test_bad_names_are_refused(db, name):
    with pytest.raises(ValueError, match="name"):
        views.save_view(db, name, "timeline", {})
    assert views.list_views(db) == []


def test_bad_pages_params_and_ids_are_refused(db):
    assert views.save_view(db, "x" * 80, "overview", {})[0] >= 1   # 80 characters is the limit, inclusive
    with pytest.raises(ValueError, match="page must be one of"):
        views.save_view(db, "a", "../secrets", {})
    with pytest.raises(ValueError, match="parameter must be text"):
        views.save_view(db, "a", "timeline", {"pair": {"nested": 1}})
    with pytest.raises(ValueError, match="at most"):
        views.save_view(db, "a", "similar", {"text": "x" * 9_000})
    for bad in ("abc", "0", "-1", str(2 ** 64)):
        with pytest.raises(ValueError, match="view id"):
            views.delete_view(db, bad)


def test_stale_or_hostile_saved_values_are_ignored_as_in_a_shared_link(db):
    """A row edited by hand (or written by an older version) is read as a link is: bad values are named and
    ignored, never trusted; a params column that is not a JSON object opens the page with no filter."""
    db.execute("INSERT INTO saved_views (name, page, params, created_at) VALUES (?, ?, ?, ?)",
               ["hostile", "timeline", json.dumps({"pair": "<script>", "from": "2020-13-01", "q": "milk"}),
                "2020-01-01T00:00:00Z"])
    db.execute("INSERT INTO saved_views (name, page, params, created_at) VALUES (?, ?, ?, ?)",
               ["broken", "nowhere", "{not json", "2020-01-01T00:00:00Z"])
    db.conn.commit()
    by_name = {v["name"]: v for v in views.list_views(db)}
    assert by_name["broken"]["params"] == {} and by_name["broken"]["page"] == "overview"
    _, f, notices = views.open_view(db, by_name["hostile"]["id"])
    assert f.pair is None and f.date_from is None and f.query == "milk"
    assert [n.split("=")[0] for n in notices] == ["Ignored pair", "Ignored from"]


def test_read_only_store_refuses_to_save(tmp_path):
    path = tmp_path / "s.db"
    open_store(path).conn.close()
    store = open_store(path, readonly=True)
    with pytest.raises(StoreReadOnly):
        views.save_view(store, "a", "timeline", {})


def test_name_is_unique_in_the_table(db):
    views.save_view(db, "a", "timeline", {})
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO saved_views (name, page, params, created_at) VALUES ('a', 'map', '{}', 'now')")


def test_cli_lists_and_deletes(tmp_path, capsys):
    path = tmp_path / "s.db"
    store = open_store(path)
    vid, _ = views.save_view(store, "Border, 2021", "timeline", {"pair": "BLR-POL", "q": "border crisis"})
    store.conn.close()
    assert main(["views", "--db", str(path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [{"id": vid, "name": "Border, 2021", "page": "timeline",
                     "url": "/timeline?pair=BLR-POL&q=border+crisis", "created_at": rows[0]["created_at"],
                     "by": None}]
    assert main(["views", "--db", str(path), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].lstrip("\ufeff") == "id,name,page,url,created_at,by"
    assert '"Border, 2021"' in out
    assert main(["views", "--db", str(path)]) == 0
    captured = capsys.readouterr()
    assert "Border, 2021" in captured.out and "1 saved view" in captured.err
    assert main(["views", "--db", str(path), "--delete", str(vid)]) == 0
    assert main(["views", "--db", str(path), "--delete", str(vid)]) == 1
    assert "no saved view has id" in capsys.readouterr().err
    assert main(["views", "--db", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    with pytest.raises(SystemExit) as exc:
        main(["views", "--db", str(path), "--delete", "abc"])
    assert exc.value.code == 2


@pytest.fixture
def app(monkeypatch, fixture_db_path):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db_path))
    return AppTest.from_file(APP, default_timeout=60)


def _saved_links(at: AppTest) -> list:
    return [p for p in at.get("page_link") if p.proto.icon == ":material/bookmark:"]


def test_save_from_the_sidebar_then_listed_on_the_overview(app, fixture_db_path):
    app.run()
    assert not app.exception
    assert "No saved views yet: set filters, then 'Save this view' in the sidebar." in [c.value for c in app.caption]
    # the Timeline with a pair, dates and its own period, as a link opens it
    for k, v in {"pair": "BLR-LTU", "from": "2009-01-01", "to": "2024-12-31", "period": "year"}.items():
        app.query_params[k] = v
    app.switch_page("pages/timeline.py")
    app.run()
    assert not app.exception
    app.text_input(key="view_name").input("Astravets <b>years</b> *") .run()
    app.button(key="view_save").click().run()
    assert not app.exception
    # the analyst's text is escaped in the message's Markdown
    assert [s.value for s in app.success] == ["Saved the view “Astravets \\<b\\>years\\</b\\> \\*”: the Overview lists it."]
    store = open_store(fixture_db_path, readonly=True)
    try:
        (v,) = views.list_views(store)
    finally:
        store.conn.close()
    assert v["page"] == "timeline"
    assert v["params"] == {"pair": "BLR-LTU", "from": "2009-01-01", "to": "2024-12-31", "period": "year"}
    # saving the name again replaces it, and says so
    app.button(key="view_save").click().run()
    assert [s.value for s in app.success][0].startswith("Replaced the view")

    app.switch_page("pages/overview.py")
    app.run()
    assert not app.exception
    (link,) = _saved_links(app)
    assert link.proto.label == "Astravets \\<b\\>years\\</b\\> \\*"   # Markdown escaped: never HTML
    assert link.proto.page == "timeline"
    assert link.proto.query_string == "pair=BLR-LTU&from=2009-01-01&to=2024-12-31&period=year"
    # delete from the Overview
    app.button(key=f"view_delete_{v['id']}").click().run()
    assert not app.exception
    assert _saved_links(app) == []
    assert "No saved views yet: set filters, then 'Save this view' in the sidebar." in [c.value for c in app.caption]


def test_save_on_the_overview_through_the_entry_point(app, fixture_db_path):
    """Run through streamlit_app.py (st.navigation): the view is saved after the page ran, with the URL it wrote."""
    app.query_params["pair"] = "BLR-RUS"
    app.query_params["q"] = "milk"
    app.run()
    app.text_input(key="view_name").input("milk war").run()
    app.button(key="view_save").click().run()
    assert not app.exception
    store = open_store(fixture_db_path, readonly=True)
    try:
        (v,) = views.list_views(store)
    finally:
        store.conn.close()
    assert (v["name"], v["page"], v["params"]) == ("milk war", "overview", {"pair": "BLR-RUS", "q": "milk"})
    (link,) = _saved_links(app.run())
    assert link.proto.query_string == "pair=BLR-RUS&q=milk"


def test_an_empty_name_is_refused_in_the_sidebar(app):
    app.run()
    app.button(key="view_save").click().run()
    assert not app.exception
    assert [w.value for w in app.warning] == ["Not saved: a view needs a name."]


def test_a_read_only_store_lists_views_but_offers_no_save_or_delete(monkeypatch, fixture_db_path):
    store = open_store(fixture_db_path)
    views.save_view(store, "kept", "timeline", {"pair": "BLR-RUS"})
    store.conn.close()
    import dashboard.app.ui as ui_module   # the app sees the store as read-only (its file cannot be made so as root)
    real = ui_module.thread_db

    def read_only(path):
        db = real(path)
        db.readonly = True
        return db
    monkeypatch.setattr(ui_module, "thread_db", read_only)
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db_path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [p.proto.label for p in _saved_links(at)] == ["kept"]
    assert at.button(key="view_save").disabled
    assert [b.disabled for b in at.button if b.key.startswith("view_delete_")] == [True]

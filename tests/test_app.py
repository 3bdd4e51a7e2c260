"""The Streamlit pages through AppTest, on stores built from our fixtures."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT

APP = str(ROOT / "streamlit_app.py")


@pytest.fixture
def app(monkeypatch, fixture_db_path):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db_path))
    at = AppTest.from_file(APP, default_timeout=60)
    return at


def open_page(at: AppTest, script: str, **params) -> AppTest:
    """Run the entry point once (st.navigation registers the pages), then show `script` with URL params."""
    at.run()
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(script)
    return at.run()


def _event_count(at: AppTest, **filters) -> int:
    """The number of events the CLI and the queries give for `filters`, on the store `at` serves."""
    import os
    from dashboard.queries import events as ev
    from dashboard.queries.filters import Filter
    from dashboard.store import open_store
    store = open_store(os.environ["DASHBOARD_DB"], readonly=True)
    try:
        return ev.count_events(store, Filter.build(**filters))
    finally:
        store.conn.close()


def test_overview_renders_counts(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Relations Dashboard"
    assert app.metric[0].value == "8"  # 3 pages + 2 JSONL + 2 CSV + 1 XSS fixture; the stub is counted apart
    # the tiles are the store's, and say so (a new user read them as the filtered counts)
    assert app.caption[0].value.startswith("The whole store, whatever the filters")


def test_articles_page_filters_by_pair_and_keyword(app):
    open_page(app, "pages/articles.py", pair="BLR-LTU", q="Astravets")
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "Vilnius protests as Minsk starts the Astravets reactor" in text
    assert app.selectbox(key="actor_a").value == "BLR"
    assert app.selectbox(key="actor_b").value == "LTU"


def test_articles_page_language_box_from_a_link_and_in_the_url(app):
    """Issue #19: the Language box filters the list, a link sets it, the URL carries it; a Russian word in
    another form finds the Russian article."""
    open_page(app, "pages/articles.py", language="ru")
    assert not app.exception
    assert app.selectbox(key="articles_language").value == "ru" and app.query_params["language"] == "ru"
    text = " ".join(m.value for m in app.markdown)
    assert text.startswith("**1** articles") and "Minsk and Vilnius argue over the Ostrovets plant" in text
    assert " · ru" in text
    app.selectbox(key="articles_language").set_value("").run()
    assert "language" not in app.query_params
    assert app.markdown[0].value.startswith("**9** articles")
    app.text_input(key="q").set_value("Вильнюсом").run()
    assert any("Minsk and Vilnius argue over the Ostrovets plant" in m.value for m in app.markdown)
    assert [c.value for c in app.caption][:2] == [
        "Query read as: all of\\: вильнюсом \\(any form\\) \\(\\+4 spellings\\)",   # escaped Markdown
        "Also matched for Вильнюсом: Vilnius, Wilno, Вильнюс, Вільнюс"]


def test_articles_page_no_match_state(app):
    open_page(app, "pages/articles.py", q="zzzzqqq")
    assert not app.exception
    assert "No articles match these filters" in app.info[0].value


def test_punctuation_only_query_shows_hint_not_everything(app):
    open_page(app, "pages/articles.py", q="((")
    assert not app.exception
    assert any("No searchable words" in w.value for w in app.warning)


def test_empty_store_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "empty.db"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert "The store is empty" in at.info[0].value


def test_untrusted_html_is_escaped_in_markdown():
    from dashboard.app.render import marked_markdown, md_escape
    assert md_escape('<script>alert(1)</script> :red[x]') == "\\<script\\>alert\\(1\\)\\</script\\> \\:\u200bred\\[x\\]"
    assert marked_markdown("a \ue000<b>\ue001 c") == r"a :orange-background[\<b\>] c"


def test_similar_page_runs_only_the_open_tab(app, monkeypatch):
    # The title index behind "More like this" takes seconds on a large store: a visit to paste a
    # text must not build it. The other tabs run when they are opened.
    from dashboard.queries import similar
    calls = []
    real = similar.more_like_this
    monkeypatch.setattr(similar, "more_like_this", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    open_page(app, "pages/similar.py")
    assert not app.exception
    assert calls == [] and [t.key for t in app.text_area] == ["similar_text"]
    app.session_state["similar_tab"] = "More like this"
    app.run()
    assert not app.exception
    assert len(calls) == 1 and app.selectbox(key="similar_article").value == calls[0]
    assert [t.key for t in app.text_area] == []


def test_overview_of_an_events_only_store(monkeypatch, tmp_path):
    # GDELT rows and no articles: the pairs, the actors and the suggestions come from the events.
    from dashboard.ingest import import_paths
    from dashboard.store import open_store
    from conftest import FIXTURES
    path = tmp_path / "events.db"
    store = open_store(path)
    import_paths(store, [FIXTURES / "events" / "gdelt2.export.CSV"])
    pairs = store.execute("SELECT count(DISTINCT pair_a || pair_b) FROM events "
                          "WHERE pair_b IS NOT NULL AND pair_a <> pair_b").fetchone()[0]
    store.conn.close()
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert at.metric[0].value == "0" and int(at.metric[2].value) >= 2
    assert len(at.dataframe[0].value) == pairs > 0
    assert any("events only" in c.value for c in at.caption)
    assert any(s.value == "Suggested explorations" for s in at.subheader)


def test_articles_page_order_oldest_first(app):
    open_page(app, "pages/articles.py", pair="BLR-LTU")
    assert not app.exception
    # with a pair the page opens on the articles most about it; newest and oldest first remain
    assert app.radio(key="order_pair").options == ["most about the pair", "newest first", "oldest first"]
    app.radio(key="order_pair").set_value("date").run()
    newest = [m.value for m in app.markdown if m.value.startswith("**") and "articles" not in m.value]
    app.radio(key="order_pair").set_value("oldest").run()
    assert not app.exception
    oldest = [m.value for m in app.markdown if m.value.startswith("**") and "articles" not in m.value]
    assert len(newest) >= 2 and oldest == newest[::-1]


def test_timeline_direction_shows_both_selected_without_a_direction(app):
    """A fresh Timeline shows "both" selected (a radio holding None is drawn with nothing selected)."""
    open_page(app, "pages/timeline.py", pair="BLR-RUS")
    assert not app.exception
    assert app.radio(key="tl_direction").value == "both"


def test_timeline_direction_from_a_shared_link_reaches_count_list_and_url(app):
    """Issue #14: the count of both directions stood above the one listed event for BLR–RUS B→A; the URL now
    carries the direction."""
    open_page(app, "pages/timeline.py", pair="BLR-RUS", direction="ba")
    assert not app.exception
    assert app.radio(key="tl_direction").value == "ba"
    one_way = _event_count(app, pair=("BLR", "RUS"), direction="ba")
    assert 0 < one_way < _event_count(app, pair=("BLR", "RUS"))
    assert [s.value for s in app.subheader if s.value.startswith("Events")] == [f"Events ({one_way})"]
    assert any(c.value == "BLR–RUS, Russia acting on Belarus, all dates" for c in app.caption)
    assert app.query_params["direction"] == "ba"
    app.run()   # a rerun keeps it (the URL is the session's own, not a new shared link)
    assert app.radio(key="tl_direction").value == "ba" and app.query_params["direction"] == "ba"
    app.radio(key="tl_direction").set_value("both").run()
    assert "direction" not in app.query_params
    assert [s.value for s in app.subheader if s.value.startswith("Events")] == [f"Events ({_event_count(app, pair=('BLR', 'RUS'))})"]


def test_url_carries_each_pages_own_state(app, monkeypatch):
    """Issue #18 item 6: the page number of a list, the Events page's QuadClass and the Similar page's text
    are in the URL, and a link with them opens the same view."""
    from dashboard.app import ui
    monkeypatch.setattr(ui, "PAGE_SIZE", 2)
    open_page(app, "pages/articles.py", page="2")
    assert not app.exception
    assert app.number_input(key="articles_page").value == 2 and app.query_params["page"] == "2"
    assert any("(page 2 of" in c.value for c in app.caption)
    app.number_input(key="articles_page").set_value(3).run()
    assert app.query_params["page"] == "3"
    app.text_input(key="q").set_value("Minsk").run()     # another filter: back to its first page
    assert app.number_input(key="articles_page").value == 1 and "page" not in app.query_params

    app.query_params.clear()
    open_page(app, "pages/events.py", pair="BLR-RUS", quad="4")
    assert not app.exception
    assert app.multiselect(key="quad").value == [4] and app.query_params["quad"] == "4"
    assert app.markdown[0].value.startswith(f"**{_event_count(app, pair='BLR-RUS', quad='4')}** events")

    app.query_params.clear()
    open_page(app, "pages/similar.py", text="Vilnus protests as Minsk strats")
    assert not app.exception
    assert app.text_area(key="similar_text").value == "Vilnus protests as Minsk strats"
    assert any("Vilnius protests as Minsk starts the Astravets reactor" in m.value for m in app.markdown)
    assert app.query_params["text"] == "Vilnus protests as Minsk strats"


def test_the_open_article_rides_only_in_the_urls_of_the_pages_that_show_it(app):
    """An article opened on the Articles page is in its URL; the Timeline's URL does not carry it, and
    Articles shows it again when the analyst goes back there."""
    open_page(app, "pages/articles.py", q="minsk warsaw", article="9")
    assert not app.exception and app.query_params["article"] == "9"
    app.switch_page("pages/timeline.py").run()
    assert not app.exception and "article" not in app.query_params
    assert app.query_params["q"] == "minsk warsaw"
    app.switch_page("pages/articles.py").run()
    assert app.query_params["article"] == "9" and app.session_state["article"] == 9


def test_bad_page_state_in_a_link_is_ignored_with_a_notice(app):
    open_page(app, "pages/timeline.py", pair="BLR-RUS", period="minute", sel="2009-06-30..2009-06-01", page="0",
              quad="9")
    assert not app.exception
    notices = " ".join(w.value for w in app.sidebar.warning)
    for key in ("period", "sel", "page", "quad"):
        assert f"Ignored {key}" in notices, key
    assert "Ignored page\\=\\'0\\'\\: a page is a whole number from 1\\." in notices   # (escaped Markdown)
    # said in the page too: the sidebar is below the fold on a laptop and folded away on a phone
    assert [w.value for w in app.main.warning if "could not be used" in w.value] == [
        "This link had 4 values that could not be used and were ignored; the sidebar lists them."]
    assert app.selectbox(key="tl_period").value == "auto"
    assert not any(m.value.startswith("**Selected:**") for m in app.markdown)


def test_articles_list_shows_score_and_why_and_the_order_rides_in_the_url(app):
    """#18 item 5: each row says its score and why it matched (articles.annotate, as the CSV); the order the
    analyst picks is the Filter's: in the URL, and a link's order is the radio's."""
    open_page(app, "pages/articles.py", q="Lukashenka")
    assert not app.exception
    assert [c.value for c in app.caption if c.value.startswith("score")] == [
        "score 3\\.54 · matched\\: title\\: Lukashenko \\(variant of Lukashenka\\); "
        "body\\: Lukashenko \\(variant of Lukashenka\\)",
        "score 1\\.04 · matched\\: body\\: Lukashenka"]
    assert app.radio(key="order_keyword").value == "rank" and "order" not in app.query_params
    app.radio(key="order_keyword").set_value("oldest").run()
    assert app.query_params["order"] == "oldest"
    titles = [m.value.split("**")[1] for m in app.markdown if m.value.startswith("**") and "articles" not in m.value]
    # 2009-06-14 before 2009-06-19
    assert titles == ["Lukashenko skips Moscow summit over dairy ban",
                      "Moscow lifts the dairy ban, but the “milk war” leaves Minsk wary"]
    at = AppTest.from_file(APP, default_timeout=60)
    open_page(at, "pages/articles.py", pair="BLR-RUS", order="oldest")
    assert not at.exception and at.radio(key="order_pair").value == "oldest"


def test_opened_article_highlights_keywords_and_lists_its_events(app):
    open_page(app, "pages/articles.py", q="minsk warsaw", article="9")
    assert not app.exception
    assert app.header[0].value == ("\\<script\\>alert\\(1\\)\\</script\\> :orange-background[Minsk] and "
                                   ":orange-background[Warsaw] trade notes")
    assert ("Keywords highlighted · score 1.25 · matched: title\\: Minsk, Warsaw; body\\: Minsk, Warsaw"
            in [c.value for c in app.caption])
    body = [m.value for m in app.markdown if m.value.startswith("Officials")]
    assert body == ["Officials in :orange-background[Minsk] said \\<img src\\=x onerror\\=alert\\(2\\)\\> and "
                    "\\*\\*bold\\*\\* \\:\u200bred\\[text\\] \\[link\\]\\(javascript\\:\u200balert\\(3\\)\\) "
                    "nothing more about :orange-background[Warsaw]\\."]
    assert "Events in this article (1)" in [s.value for s in app.subheader]
    table = app.dataframe[0].value
    assert list(table.columns) == ["when", "actor1", "actor2", "event_type", "quad", "goldstein", "evidence", "warnings"]
    assert table.iloc[0][["when", "event_type", "quad"]].tolist() == [
        "week of 2022-02-01", "010 Make statement, not specified below", "1 Verbal cooperation"]


def test_overview_latest_articles_say_the_day_where_published(monkeypatch, tmp_path):
    """A new user's trial: a feed item of 01:30 +03:00 on 21 November was listed as '2023-11-20 22:30' (UTC)
    while the date filter finds it on the 21st; the Overview now says both, as the Articles list does."""
    from dashboard.ingest import import_paths
    from dashboard.store import open_store
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                    '<item><title>Minsk and Moscow sign a deal</title><link>https://e.org/c18</link>'
                    '<pubDate>Tue, 21 Nov 2023 01:30:00 +0300</pubDate>'
                    '<description>Minsk and Moscow signed a trade deal.</description></item>'
                    '</channel></rss>', encoding="utf-8")
    store = open_store(tmp_path / "store.db")
    import_paths(store, [feed])
    store.conn.close()
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "store.db"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    shown = [m.value.replace("\\", "") for m in at.markdown if "Minsk and Moscow" in m.value]
    assert shown == ["**Minsk and Moscow sign a deal**  \n2023-11-20 22:30 UTC · 21 Nov 2023 where published · BLR, RUS"]


def test_a_links_page_past_the_end_is_said(app):
    """A new user's `page=99999` quietly showed page 1."""
    open_page(app, "pages/articles.py", pair="BLR-RUS", page="99999")
    assert not app.exception
    assert [c.value for c in app.caption if "past the last page" in c.value] == [
        "Page 99,999 of the link is past the last page (1): showing page 1."]


def test_the_order_names_the_ranking_of_the_store_engine(app):
    """BM25 on SQLite's FTS5; a PostgreSQL store ranks by ts_rank_cd and the radio says so (store.dialect)."""
    from dashboard.store import dialect
    open_page(app, "pages/articles.py", q="Lukashenka")
    assert app.radio(key="order_keyword").options[0] == "best match (BM25)"
    assert (dialect.SQLITE.ranking, dialect.POSTGRES.ranking) == ("BM25", "ts_rank_cd")

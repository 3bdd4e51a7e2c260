"""#18 item 5: the Articles list, its CSV and the CLI carry score, why-it-matched and snippet, made by one
function (articles.annotate) in the screen's order; an opened article's keywords are marked and its events listed."""
from __future__ import annotations

import csv
import io

from dashboard.app.render import balance_marks, marked_paragraphs_markdown, unmarked_len
from dashboard.app.tables import article_event_rows
from dashboard.queries import articles as art
from dashboard.queries import events as ev
from dashboard.queries.export import csv_bytes
from dashboard.queries.filters import Filter
from dashboard.queries.search import SNIPPET_CLOSE as C, SNIPPET_OPEN as O

COLUMNS = ("id", "published_at", "title", "actors", "url", "source", "section", "is_stub",
           "language", "score", "matched_via", "snippet")


def _csv(db, f: Filter) -> list[dict]:
    return list(csv.DictReader(io.StringIO(csv_bytes(art.iter_articles(db, f), art.EXPORT_COLUMNS, bom=False).decode())))


def test_list_and_csv_carry_score_and_why_in_the_screens_order(fixture_store):
    f = Filter.build(query="Lukashenka")
    page = [(r["id"], r["score"], r["matched_via"]) for r in art.list_articles(fixture_store, f, limit=25)]
    # best match first; the variant the index holds names the query word it stands for
    assert page == [(4, 3.54, "title: Lukashenko (variant of Lukashenka); body: Lukashenko (variant of Lukashenka)"),
                    (3, 1.04, "body: Lukashenka")]
    rows = _csv(fixture_store, f)
    assert tuple(rows[0]) == COLUMNS == art.EXPORT_COLUMNS
    assert [(int(r["id"]), float(r["score"]), r["matched_via"]) for r in rows] == page
    # the CSV's snippet is the page's, without the match markers
    assert rows[0]["snippet"] == ("Belarusian President Lukashenko stayed away from the summit in Moscow yesterday, "
                                  "protesting against the Russian ban on Belarusian milk.")
    assert art.list_articles(fixture_store, f, limit=1)[0]["snippet"].count(O) == 1


def test_a_transliterated_match_says_which_word_it_stands_for(fixture_store):
    rows = art.list_articles(fixture_store, Filter.build(query="Minsk"), limit=25)
    assert (rows[0]["id"], rows[0]["score"], rows[0]["matched_via"]) == (2, 2.2, "title: Minsk; body: Минск (variant of Minsk)")
    # a word in nearly every article weighs nothing in BM25: the others tie at 0, later import first
    assert [(r["id"], r["score"]) for r in rows[1:]] == [(7, 0.0), (6, 0.0), (9, 0.0), (1, 0.0), (3, 0.0)]


def test_pair_verdict_and_order_follow_the_filter(fixture_store):
    f = Filter.build(pair="BLR-RUS", query="milk")
    assert [(r["id"], r["score"], r["matched_via"]) for r in art.list_articles(fixture_store, f)] == [
        (3, 1.95, "title: milk; body: milk; pair: about BLR-RUS, salience 10.0"),
        (4, 1.29, "body: milk; pair: about BLR-RUS, salience 8.0")]
    # without a keyword: no score, the pair's verdict, the body's start as snippet; most about the pair first
    rows = _csv(fixture_store, Filter.build(pair="BLR-RUS"))
    assert [(r["id"], r["score"], r["matched_via"]) for r in rows] == [
        ("3", "", "pair: about BLR-RUS, salience 10.0"), ("4", "", "pair: about BLR-RUS, salience 8.0"),
        ("7", "", "pair: about BLR-RUS, salience 5.0")]
    assert rows[2]["snippet"] == 'Line one\nLine two, with "quoted" words'
    # the order the screen was switched to is the Filter's, so the CSV follows it too
    oldest = _csv(fixture_store, Filter.build(pair="BLR-RUS", order="oldest"))
    assert [r["id"] for r in oldest] == ["4", "3", "7"]
    assert Filter.build(pair="BLR-RUS", order="oldest").slug() == "BLR-RUS_oldest"
    assert Filter.build(order="auto").order is None and Filter.build(order="rank").to_params() == {"order": "rank"}


def test_csv_formula_guard_holds_for_the_new_columns(fixture_store):
    rows = _csv(fixture_store, Filter.build(query="formula"))
    assert [(r["id"], r["title"], r["score"], r["matched_via"], r["snippet"]) for r in rows] == [
        ("8", "'=HYPERLINK(\"\"http://evil\"\")", "2.66", "body: Formula", "Formula title test")]


def test_opened_article_marks_the_keywords(fixture_store):
    m = art.article_matches(fixture_store, 9, Filter.build(query="minsk warsaw"))
    assert m == {"title": f"<script>alert(1)</script> {O}Minsk{C} and {O}Warsaw{C} trade notes",
                 "body": f"Officials in {O}Minsk{C} said <img src=x onerror=alert(2)> and **bold** :red[text] "
                         f"[link](javascript:alert(3)) nothing more about {O}Warsaw{C}.",
                 "score": 1.25, "matched_via": "title: Minsk, Warsaw; body: Minsk, Warsaw"}
    # every character of the text is escaped: no HTML, no emphasis, no directive, no link
    assert marked_paragraphs_markdown(m["body"]) == (
        "Officials in :orange-background[Minsk] said \\<img src\\=x onerror\\=alert\\(2\\)\\> and \\*\\*bold\\*\\* "
        "\\:\u200bred\\[text\\] \\[link\\]\\(javascript\\:\u200balert\\(3\\)\\) nothing more about "
        ":orange-background[Warsaw]\\.")
    assert art.article_matches(fixture_store, 9, Filter.build(query="Vilnius")) is None   # not a match
    assert art.article_matches(fixture_store, 9, Filter.build()) is None                  # no keyword


def test_a_mark_cut_between_parts_is_closed_and_reopened():
    assert balance_marks([f"a {O}b", f"c{C} d", "e"]) == [f"a {O}b{C}", f"{O}c{C} d", "e"]
    assert unmarked_len(f"a {O}b{C}") == 3
    assert marked_paragraphs_markdown(f"one {O}two\n\nthree{C} four") == \
        "one :orange-background[two]\n\n:orange-background[three] four"


def test_opened_article_lists_its_events_with_dates_at_their_precision(fixture_store):
    assert article_event_rows(ev.article_events(fixture_store, 9)) == [{
        "when": "week of 2022-02-01", "actor1": "BLR", "actor2": "POL",
        "event_type": "010 Make statement, not specified below", "quad": "1 Verbal cooperation", "goldstein": 0.0,
        "evidence": "Officials in Minsk said <img src=x onerror=alert(2)> and **bold** :red[text] "
                    "[link](javascript:alert(3)) nothing more about Warsaw.",
        "warnings": "low confidence 0.40"}]
    assert [(r["when"], r["event_type"], r["quad"]) for r in article_event_rows(ev.article_events(fixture_store, 3))] == [
        ("2009-06-06", "163 Impose embargo, boycott, or sanctions", "4 Material conflict"),
        ("2009-06-14", "161 Reduce or break diplomatic relations", "4 Material conflict"),
        ("2009-06-14", "112 Accuse, not specified below", "3 Verbal conflict"),
        ("2009-06-17", "040 Consult, not specified below", "1 Verbal cooperation"),
        ("2009-06-17", "0354 Express intent to ease economic sanctions, boycott, or embargo", "1 Verbal cooperation")]
    assert ev.article_events(fixture_store, 8) == []


def test_a_links_order_is_read_or_ignored_with_a_notice():
    assert Filter.from_params({"order": "oldest"}) == (Filter.build(order="oldest"), [])
    assert Filter.from_params({"order": "bogus", "pair": "BLR-RUS"}) == (
        Filter.build(pair="BLR-RUS"), ["Ignored order='bogus': order must be auto, rank, salience, date, oldest, got 'bogus'"])

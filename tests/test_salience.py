"""What an article is about (issue #15, item 2): each article–pair link's salience, the about
flag the pair filter's default reads, and the reasons the article view gives. Inputs are ours."""
from __future__ import annotations

from dashboard.analysis import actors, salience
from dashboard.ingest.records import ArticleRecord
from dashboard.ingest.write import analysis, write_article

# A page on Belarus and the USA that lists five other countries in passing: the kind of page
# that came back for 28 pairs.
ENVOY_TITLE = "Belarus frees 14 prisoners after US envoy's visit to Minsk"
ENVOY_BODY = (
    "Belarus released 14 political prisoners on Thursday after a United States envoy met President "
    "Lukashenko in Minsk, officials said.\n\n"
    "The envoy thanked Belarus for the release. Washington said it would ease some sanctions on the "
    "Belarusian potash industry in return.\n\n"
    "The freed prisoners included a journalist who had worked for a Polish broadcaster. Lithuania, Poland "
    "and Latvia have long called for their release, and Germany and France welcomed the move.\n\n"
    "Belarus has held more than a thousand political prisoners since the 2020 election, rights groups say. "
    "The United States closed its embassy in Minsk in 2022.")


def _links(title: str, body: str, published: str = "2025-06-20") -> dict[tuple[str, str], salience.Link]:
    _, rows, _ = analysis(title, body, published)
    found, counts = actors.scan(f"{title}\n\n{body}", len(title) + 2)
    return {x.pair: x for x in salience.links(title, body, found, counts, rows)}


def _about(title: str, body: str) -> set[tuple[str, str]]:
    return {p for p, x in _links(title, body).items() if x.about}


def test_countries_listed_in_passing_are_not_what_the_page_is_about():
    links = _links(ENVOY_TITLE, ENVOY_BODY)
    assert len(links) == 21            # every pair of the seven actors is still linked ("any mention")
    assert {p for p, x in links.items() if x.about} == {("BLR", "USA")}
    assert links["DEU", "FRA"].salience < salience.rules().about_min


def test_pair_in_title_and_lede_outranks_pairs_of_the_last_paragraph():
    links = _links(ENVOY_TITLE, ENVOY_BODY)
    best = max(links.values(), key=lambda x: x.salience)
    assert best.pair == ("BLR", "USA")
    f = best.facts
    assert f.in_title == (True, True) and f.in_lede and f.sentences >= 2 and sum(f.events.values()) >= 1


def test_one_passing_mention_of_a_neighbour_is_not_about_the_pair():
    title = "Belarus raises pensions by six percent"
    body = ("Belarus will raise state pensions by six percent from January, the labour ministry said on Monday.\n\n"
            "The increase follows a similar rise last year. Prices in Belarus rose faster than wages in the spring, "
            "partly because of imports from Russia.\n\n"
            "The ministry said the budget could afford the rise without new borrowing.")
    links = _links(title, body)
    assert ("BLR", "RUS") in links and not links["BLR", "RUS"].about


def test_page_without_countries_in_its_title_is_about_the_pair_its_body_is_about():
    title = "Milk dispute escalates"
    body = ("Russia banned imports of dairy products from Belarus on Saturday. Belarus protested against the ban "
            "and recalled its ambassador from Moscow.\n\n"
            "Russia said the Belarusian products did not meet its rules. Minsk called the ban political. "
            "Belarus and Russia have quarrelled over gas prices before.\n\n"
            "Kazakhstan said it would keep buying Belarusian milk.")
    assert _about(title, body) == {("BLR", "RUS")}


def test_wire_story_in_one_block_has_a_lede_of_its_first_sentences():
    # No paragraph breaks: the whole text would otherwise be the lede.
    title = "Talks in Minsk"
    body = ("Belarus and Russia held talks in Minsk on Tuesday. The ministers discussed oil supplies. "
            "They agreed to meet again. Officials gave no details. Separately, Poland and Germany held "
            "consultations on border crossings.")
    links = _links(title, body)
    assert links["BLR", "RUS"].facts.in_lede
    assert not links["DEU", "POL"].facts.in_lede


def test_near_tie_between_two_pairs_keeps_both_as_about():
    title = "Poland and Lithuania ask Belarus to reopen crossings"
    body = ("Poland and Lithuania asked Belarus on Monday to reopen the border crossings it closed last week. "
            "Poland criticised Belarus for the closure, and Lithuania criticised Belarus too.\n\n"
            "Belarus said the crossings would stay closed.")
    about = _about(title, body)
    assert ("BLR", "POL") in about and ("BLR", "LTU") in about


def test_reasons_say_where_the_pair_appears_and_who_acts_on_whom():
    text = salience.reasons(_links(ENVOY_TITLE, ENVOY_BODY)["BLR", "USA"])
    assert text.startswith("BLR–USA (about the pair")
    assert "both in the title" in text and "both in the lede" in text
    assert "acts on" in text and "mentions" in text
    passing = salience.reasons(_links(ENVOY_TITLE, ENVOY_BODY)["DEU", "FRA"])
    assert "mentions only" in passing


def test_salience_table_names_every_feature_and_the_about_rule():
    r = salience.rules()
    assert set(r.points) == {"title", "lede", "sentence", "event", "share"}
    assert 0 < r.about_ratio <= 1 and r.about_min > 0


def test_stored_links_carry_salience_and_the_about_flag(db):
    write_article(db, ArticleRecord(title=ENVOY_TITLE, body=ENVOY_BODY, published_at="2025-06-20"))
    rows = db.execute("SELECT pair_a, pair_b, salience, about FROM article_pairs ORDER BY salience DESC").fetchall()
    assert len(rows) == 21 and all(r[2] is not None for r in rows)
    assert [(a, b) for a, b, _, about in rows if about] == [("BLR", "USA")]
    # the pair filter's default reads the partial index of the about-links alone
    plan = " ".join(r[-1] for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT article_id FROM article_pairs WHERE pair_a = 'BLR' AND pair_b = 'USA' "
        "AND about = 1 ORDER BY published_at DESC"))
    assert "article_pairs_about" in plan and "TEMP B-TREE" not in plan
    by_salience = " ".join(r[-1] for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT article_id FROM article_pairs WHERE pair_a = 'BLR' AND pair_b = 'USA' "
        "AND about = 1 ORDER BY salience DESC, published_at DESC, article_id DESC"))
    assert "article_pairs_salience" in by_salience and "TEMP B-TREE" not in by_salience


def test_article_view_says_why_the_article_matched_the_pair(db):
    from dashboard.queries.about import article_links
    article_id, _, _ = write_article(db, ArticleRecord(title=ENVOY_TITLE, body=ENVOY_BODY, published_at="2025-06-20"))
    (link,) = article_links(db, article_id, ("USA", "BLR"))
    assert link["pair"] == "BLR-USA" and link["about"] and link["salience"] > 3
    assert "both in the title" in link["reasons"] and "acts on" in link["reasons"]
    every = article_links(db, article_id)
    assert every[0]["pair"] == "BLR-USA" and len(every) == 21   # most salient first


def test_links_stored_before_salience_say_they_are_not_scored_until_reextract(db, tmp_path):
    from dashboard.cli import main
    from dashboard.queries.about import article_links
    article_id, _, _ = write_article(db, ArticleRecord(title=ENVOY_TITLE, body=ENVOY_BODY, published_at="2025-06-20"))
    # what the v7 migration leaves for links of an older store
    db.execute("UPDATE article_pairs SET salience = NULL, about = 1")
    db.conn.commit()
    assert "reextract" in article_links(db, article_id, ("DEU", "FRA"))[0]["reasons"]
    db.conn.close()
    assert main(["reextract", "--db", str(tmp_path / "store.db")]) == 0
    from dashboard.store import open_store
    store = open_store(tmp_path / "store.db")
    about = store.execute("SELECT pair_a, pair_b FROM article_pairs WHERE about = 1").fetchall()
    assert about == [("BLR", "USA")]
    assert store.execute("SELECT count(*) FROM article_pairs WHERE salience IS NULL").fetchone()[0] == 0
    store.conn.close()


def _cli_ids(argv: list[str]) -> list[int]:
    import contextlib
    import io
    import json

    from dashboard.cli import main
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    return [r["id"] for r in json.loads(out.getvalue())]


def test_pair_filter_returns_articles_about_the_pair_and_any_mention_on_request(db, tmp_path):
    article_id, _, _ = write_article(db, ArticleRecord(title=ENVOY_TITLE, body=ENVOY_BODY, published_at="2025-06-20"))
    db.conn.commit()
    store = ["--db", str(tmp_path / "store.db"), "--format", "json"]
    assert _cli_ids(["articles", "--pair", "USA-BLR", *store]) == [article_id]
    assert _cli_ids(["articles", "--pair", "BLR-POL", *store]) == []
    assert _cli_ids(["articles", "--pair", "BLR-POL", "--any-mention", *store]) == [article_id]
    assert _cli_ids(["articles", "--pair", "BLR-USA", "--order", "salience", *store]) == [article_id]


def test_timeline_counts_articles_about_the_pair_unless_any_mention(db):
    from dashboard.queries import timeline as tl
    from dashboard.queries.filters import Filter
    write_article(db, ArticleRecord(title=ENVOY_TITLE, body=ENVOY_BODY, published_at="2025-06-20"))
    f = Filter.build(pair="DEU-FRA")
    assert sum(n for _, n in tl._article_volume(db, f, "year")) == 0
    assert sum(n for _, n in tl._article_volume(db, f.with_(any_mention=True), "year")) == 1
    from dashboard.queries import clauses
    w = clauses.where(db, f, clauses.PAIR_ARTICLES)
    assert "about = 1" in w.sql and "about the pair" in clauses.describe(f, clauses.PAIR_ARTICLES)
    assert "about" not in clauses.where(db, f.with_(any_mention=True), clauses.PAIR_ARTICLES).sql
    # events are not articles: the option never changes which events a pair has
    assert clauses.where(db, f, clauses.EVENTS).sql == clauses.where(db, f.with_(any_mention=True), clauses.EVENTS).sql


def test_any_mention_travels_in_the_url():
    from dashboard.queries.filters import Filter
    f = Filter.build(pair="BLR-POL", any_mention=True)
    assert f.to_params() == {"pair": "BLR-POL", "mentions": "any"}
    back, notices = Filter.from_params(f.to_params())
    assert back == f and not notices
    assert Filter.from_params({"pair": "BLR-POL"})[0].any_mention is False
    _, notices = Filter.from_params({"pair": "BLR-POL", "mentions": "some"})
    assert notices and "mentions=any" in notices[0]

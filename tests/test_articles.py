"""Article queries (count, page, export order) against plain SQL answering the same questions.

The pages' queries are written for speed (FTS5 drives the loop with a keyword, the pair's
dated index without one); these tests hold them to the obvious formulation on the demo corpus.
"""
from __future__ import annotations

import itertools

import pytest

from dashboard.app.render import marked_markdown
from dashboard.queries import articles as art
from dashboard.ingest.demo import build_demo_store
from dashboard.queries.filters import Filter
from dashboard.queries.search import SNIPPET_CLOSE, SNIPPET_OPEN, parse_query
from dashboard.store import open_store

PAIRS = (None, ("BLR", "RUS"), ("BLR", "LTU"), ("BLR", "POL"), ("LTU", "POL"))
DATES = ((None, None), ("2014-01-01", None), (None, "2015-12-31"), ("2020-08-09", "2020-12-31"))
QUERIES = ("", "sanctions", "Lukashenka", "border -migrants", "nuclear power plant", "potash OR gas", "sanction*",
           '"air defence"', "title:Minsk")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("articles") / "demo.db"
    build_demo_store(path)
    store = open_store(path)
    yield store
    store.conn.close()


def _reference(db, f: Filter) -> list[tuple]:
    """(id, published_at, bm25) of every article matching f, by the plain formulation."""
    q = parse_query(f.query, variants=f.variants, db=db)
    where, params = ["1=1"], []
    if f.pair:
        about = "" if f.any_mention else " AND about = 1"   # the pair's default: articles about it
        where.append(f"a.id IN (SELECT article_id FROM article_pairs WHERE pair_a = ? AND pair_b = ?{about})")
        params += list(f.pair)
    if f.date_from:
        where.append("a.published_date >= ?")
        params.append(f.date_from)
    if f.date_to:
        where.append("a.published_date <= ?")
        params.append(f.date_to)
    if q.match:
        sql = ("SELECT a.id, a.published_at, bm25(articles_fts, 10.0, 1.0) FROM articles_fts "
               "JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? AND " + " AND ".join(where))
        return db.execute(sql, [q.match] + params).fetchall()
    return db.execute("SELECT a.id, a.published_at, 0 FROM articles a WHERE " + " AND ".join(where), params).fetchall()


def _filters():
    for pair, (d1, d2), q in itertools.product(PAIRS, DATES, QUERIES):
        yield Filter.build(pair=pair, date_from=d1, date_to=d2, query=q)
        if pair:
            yield Filter.build(pair=pair, date_from=d1, date_to=d2, query=q, any_mention=True)


def test_counts_and_pages_match_the_plain_query(demo):
    checked = nonempty = 0
    for f in _filters():
        ref = _reference(demo, f)
        newest = [r[0] for r in sorted(ref, key=lambda r: (r[1] or "", r[0]), reverse=True)]
        oldest = [r[0] for r in sorted(ref, key=lambda r: (r[1] is not None, r[1] or "", r[0]))]
        assert art.count_articles(demo, f) == len(ref), f
        assert [r["id"] for r in art.iter_articles(demo, f, order="date")] == newest, f
        # the export's default is the screen's order, page after page (#18 item 5)
        screen = [r["id"] for k in range(0, len(ref) + 7, 7) for r in art.list_articles(demo, f, limit=7, offset=k)]
        assert [r["id"] for r in art.iter_articles(demo, f)] == screen, f
        assert [r["id"] for r in art.iter_articles(demo, f.with_(order="oldest"))] == oldest, f
        assert [r["id"] for r in art.iter_articles(demo, f, order="oldest")] == oldest, f
        # pages of 7 put together give the whole list, in the same order
        pages = [r["id"] for k in range(0, len(ref) + 7, 7) for r in art.list_articles(demo, f, limit=7, offset=k,
                                                                                          order="date")]
        assert pages == newest, f
        if f.query:
            ranked = [r[0] for r in sorted(ref, key=lambda r: (r[2], -r[0]))]
            assert [r["id"] for r in art.list_articles(demo, f, limit=1000)] == ranked, f
            assert [r["id"] for r in art.iter_articles(demo, f, order="rank")] == ranked, f
        checked += 1
        nonempty += bool(ref)
    assert checked == len(list(_filters()))
    assert nonempty >= 60       # the filters above do select rows: the comparisons are not vacuous


def test_keyword_page_has_marked_snippets(demo):
    rows = art.list_articles(demo, Filter.build(pair="BLR-LTU", query="Astravets"), limit=3)
    assert rows and all(SNIPPET_OPEN in r["snippet"] and SNIPPET_CLOSE in r["snippet"] for r in rows)
    # the Articles page draws the marks as highlighted, escaped Markdown
    assert all(":orange-background[" in marked_markdown(r["snippet"]) for r in rows)


def test_pair_articles_default_to_most_about_the_pair_first(demo):
    f = Filter.build(pair="BLR-RUS")
    rows = art.list_articles(demo, f, limit=1000)
    sal = dict(demo.execute("SELECT article_id, salience FROM article_pairs WHERE pair_a = 'BLR' AND pair_b = 'RUS'"))
    assert len(rows) == art.count_articles(demo, f) > 1
    assert [sal[r["id"]] for r in rows] == sorted((sal[r["id"]] for r in rows), reverse=True)
    assert [r["id"] for r in art.iter_articles(demo, f, order="salience")] == [r["id"] for r in rows]


def test_unknown_export_order_is_refused(demo):
    with pytest.raises(ValueError):
        list(art.iter_articles(demo, Filter.build(), order="random"))


def test_large_page_is_fetched_in_parts(demo, monkeypatch):
    # SQLite caps bound parameters: a large page of a keyword query goes in chunks
    f = Filter.build(query="Belarus")
    whole = [r["id"] for r in art.list_articles(demo, f, limit=1000)]
    real = art._chunks
    monkeypatch.setattr(art, "_chunks", lambda ids, size=500: real(ids, 5))
    assert [r["id"] for r in art.list_articles(demo, f, limit=1000)] == whole and len(whole) > 10

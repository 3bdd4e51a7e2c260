"""The embedded demo store: built from data/demo the way the first launch builds it."""
from __future__ import annotations

import pytest

from dashboard.ingest.demo import DEMO_CORPUS, build_demo_store, needs_demo
from dashboard.store import open_store


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    report = build_demo_store(path)
    assert report.exit_code == 0, report.summary()
    db = open_store(path)
    yield db
    db.conn.close()


def test_demo_has_sixty_full_articles_dated_2008_to_2024(demo):
    full, lo, hi = demo.execute("SELECT count(*), min(published_at), max(published_at) FROM articles WHERE is_stub = 0").fetchone()
    assert full >= 60
    assert "2008-01-01" <= lo and hi < "2025-01-01"
    assert demo.execute("SELECT count(*) FROM articles WHERE published_at < '2008-01-01' OR published_at >= '2025-01-01' "
                        "OR published_at IS NULL").fetchone()[0] == 0
    assert demo.execute("SELECT count(*) FROM article_links WHERE kind = 'editorial_similar'").fetchone()[0] >= 20


def test_demo_pairs_have_events_over_many_years(demo):
    busy = demo.execute("SELECT count(*) FROM (SELECT pair_a, pair_b FROM events WHERE pair_b IS NOT NULL "
                        "GROUP BY pair_a, pair_b HAVING count(*) >= 10)").fetchone()[0]
    assert busy >= 8
    for pair in (("BLR", "RUS"), ("BLR", "POL"), ("BLR", "LTU"), ("BLR", "EU")):
        years = demo.execute("SELECT count(DISTINCT substr(date, 1, 4)) FROM events WHERE pair_a = ? AND pair_b = ?",
                             list(pair)).fetchone()[0]
        assert years >= 5, pair


def test_demo_has_a_near_duplicate_group(demo):
    similar = pytest.importorskip("dashboard.queries.similar")
    groups = similar.near_duplicates(demo)
    assert len(groups) >= 1
    titles = [{a["title"] for a in g} for g in groups]
    assert any(any("dairy" in t.lower() for t in g) for g in titles)


def test_first_launch_builds_only_when_missing(tmp_path):
    path = tmp_path / "first.db"
    assert needs_demo(path)
    build_demo_store(path, corpus=DEMO_CORPUS)
    assert not needs_demo(path)
    assert not list(tmp_path.glob(".demo-*"))


def test_demo_articles_name_the_demo_not_a_file(demo):
    """Page-text files have no outlet and name their file as the source; the demo's pages are ours, and the
    analyst reads "Demo corpus" in every list, not "001_stewart-leaves-minsk.txt"."""
    from dashboard.ingest.demo import DEMO_SOURCE
    assert demo.execute("SELECT DISTINCT source FROM articles").fetchall() == [(DEMO_SOURCE,)]
    assert demo.execute("SELECT count(*) FROM articles WHERE url LIKE '%.txt'").fetchone()[0] == 0

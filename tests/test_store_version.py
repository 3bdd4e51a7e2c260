"""One store-version key for every cache (issue #14), and re-extraction as a streaming library function."""
from __future__ import annotations

from dashboard.ingest.records import ArticleRecord
from dashboard.ingest.reextract import reextract
from dashboard.ingest.write import write_article
from dashboard.queries import articles as art
from dashboard.queries import events as ev
from dashboard.store import open_store
from dashboard.store.version import memo, store_version


def test_version_moves_with_articles_events_edits_and_other_connections(fixture_db, fixture_db_path):
    v0 = store_version(fixture_db)
    assert store_version(fixture_db) is v0          # unchanged store: the cached answer
    other = open_store(fixture_db_path)
    assert store_version(other) == v0               # the same store seen from another connection
    with other.conn:
        write_article(other, ArticleRecord(title="Belarus and Russia sign a treaty", body="Minsk, 3 May 2016.", published_at="2016-05-03"))
    v1 = store_version(fixture_db)                  # another connection's commit is seen
    assert v1.articles == v0.articles + 1 and v1.index != v0.index
    event_id = fixture_db.execute("SELECT min(id) FROM events").fetchone()[0]
    ev.edit_event(fixture_db, event_id, {"note": "checked"})
    assert store_version(fixture_db).edits != v1.edits
    other.conn.close()


def test_memo_recomputes_only_after_a_change(fixture_db):
    calls = []
    def compute():
        calls.append(1)
        return len(calls)
    assert memo(fixture_db, "t", (), compute) == memo(fixture_db, "t", (), compute) == 1
    with fixture_db.conn:
        write_article(fixture_db, ArticleRecord(title="A new article", body="Nothing.", published_at="2016-05-03"))
    assert memo(fixture_db, "t", (), compute) == 2
    assert art.article_total(fixture_db) == fixture_db.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_reextract_streams_in_batches_and_keeps_edits(fixture_db):
    before = sorted(fixture_db.execute("SELECT source_event_id, cameo_code FROM events WHERE source = 'extracted'"))
    event_id = fixture_db.execute("SELECT min(id) FROM events WHERE source = 'extracted'").fetchone()[0]
    ev.edit_event(fixture_db, event_id, {"note": "kept"})
    seen = []
    n, events = reextract(fixture_db, batch=3, progress=seen.append)
    assert n == fixture_db.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert seen == list(range(3, n, 3)) + [n]       # one call per batch of 3 articles
    assert events == len(before)
    assert sorted(fixture_db.execute("SELECT source_event_id, cameo_code FROM events WHERE source = 'extracted'")) == before
    assert fixture_db.execute("SELECT count(*) FROM edits WHERE field = 'note' AND value = 'kept'").fetchone()[0] == 1

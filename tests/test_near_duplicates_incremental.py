"""Incremental near-duplicate passes (similar.update_near_duplicates, store.blocks): after any imports,
changes and deletions, the stored links and groups are exactly those of one whole pass over the store."""
from __future__ import annotations

import random
import string

import pytest

from dashboard.ingest.records import ArticleRecord
from dashboard.ingest.write import write_article
from dashboard.queries import similar

VOCAB = sorted({"".join(random.Random(i).choices(string.ascii_lowercase, k=7)) for i in range(3000)})
CROWD_TITLES = ("The border talks", "Talks at the border", "Border: talks", "Talks, border",
                "Border talks?", "On the border, talks")


def _words(rng, n):
    return [rng.choice(VOCAB) for _ in range(n)]


def _copy(rng, words):
    words = list(words)
    for pos in (0, 30, 60, 90):
        words[pos] = rng.choice(VOCAB)
    return words


def _write(db, records) -> list[int]:
    db.conn.execute("BEGIN IMMEDIATE")
    ids = [write_article(db, ArticleRecord(title=t, published_at="2021-03-01", body=" ".join(b), is_stub=stub))[0]
           for t, b, stub in records]
    db.conn.execute("COMMIT")
    return ids


def _links(db):
    return sorted(db.conn.execute("SELECT from_id, to_id, score FROM article_links WHERE kind = 'near_duplicate'"))


def _groups(db):
    return [[d["id"] for d in g] for g in similar.stored_near_duplicates(db)]


@pytest.fixture
def small_buckets(monkeypatch):
    # a crowd of 7 articles with one short headline then crosses MAX_BUCKET
    monkeypatch.setattr(similar, "MAX_BUCKET", 5)


def test_import_a_pass_import_b_incremental_pass_equals_one_whole_pass(db, small_buckets):
    rng = random.Random(17)
    originals = [(" ".join(_words(rng, 5)), _words(rng, 120), False) for _ in range(45)]
    page = _words(rng, 120)
    a = originals[:30] + [(f"Copy {i} " + " ".join(_words(rng, 4)), _copy(rng, originals[i][1]), False)
                          for i in range(8)]
    a += [("Border talks", page, False), ("Border talks a", page[:15], True)]
    a += [(CROWD_TITLES[i], _words(rng, 120), False) for i in range(2)]
    ids_a = _write(db, a)
    first = similar.update_near_duplicates(db)
    assert first.whole and first.reason == "first pass"
    stub_pair = (ids_a[-4], ids_a[-3])
    linked = {(x, y) for x, y, _ in _links(db)}
    assert stub_pair in linked                      # the stub and its page share only their title key
    assert {(ids_a[i], ids_a[30 + i]) for i in range(8)} <= linked

    b = originals[30:] + [(f"Later copy {i} " + " ".join(_words(rng, 4)), _copy(rng, originals[i][1]), False)
                          for i in list(range(8, 13)) + list(range(30, 34))]
    b += [(CROWD_TITLES[i], _words(rng, 120), False) for i in range(2, 5)]      # 7 hold the title key now
    ids_b = _write(db, b)
    db.conn.execute("BEGIN IMMEDIATE")
    db.conn.execute("UPDATE articles SET body = ? WHERE id = ?", [" ".join(_words(rng, 120)), ids_a[30]])
    db.conn.execute("DELETE FROM articles WHERE id = ?", [ids_a[31]])
    db.conn.execute("COMMIT")

    inc = similar.update_near_duplicates(db)
    assert not inc.whole and inc.compared == len(ids_b) + 1     # the new ones and the changed one
    links, groups = _links(db), _groups(db)
    assert stub_pair not in {(x, y) for x, y, _ in links}      # its one key is now held by 7 > MAX_BUCKET
    assert (ids_a[8], ids_b[15]) in {(x, y) for x, y, _ in links}   # a new copy of a stored article

    whole = similar.update_near_duplicates(db, whole=True)
    assert whole.whole and whole.reason == "--all"
    assert _links(db) == links
    assert _groups(db) == groups
    assert similar.near_duplicate_pairs(db) == links


def test_a_bucket_shrinking_back_under_the_cap_restores_the_pair(db, small_buckets):
    rng = random.Random(3)
    page = _words(rng, 120)
    ids = _write(db, [("Border talks", page, False), ("Border talks a", page[:15], True)]
                 + [(t, _words(rng, 120), False) for t in CROWD_TITLES[:4]])
    similar.update_near_duplicates(db)
    assert _links(db) == []                          # 6 articles hold the title key
    db.conn.execute("BEGIN IMMEDIATE")
    db.conn.execute("DELETE FROM articles WHERE id = ?", [ids[-1]])
    db.conn.execute("COMMIT")
    inc = similar.update_near_duplicates(db)
    assert not inc.whole and inc.compared == 0
    assert [(x, y) for x, y, _ in _links(db)] == [(ids[0], ids[1])]
    links = _links(db)
    similar.update_near_duplicates(db, whole=True)
    assert _links(db) == links


def test_nothing_new_changes_nothing_and_another_threshold_is_a_whole_pass(db):
    rng = random.Random(5)
    body = _words(rng, 120)
    _write(db, [("One headline here now", body, False), ("Another headline there", _copy(rng, body), False)])
    similar.update_near_duplicates(db)
    links = _links(db)
    assert len(links) == 1
    again = similar.update_near_duplicates(db)
    assert (again.whole, again.compared, again.added, again.removed) == (False, 0, 0, 0)
    assert _links(db) == links
    other = similar.update_near_duplicates(db, threshold=99)
    assert other.whole and "threshold" in other.reason
    assert _links(db) == []
    assert db.conn.execute("SELECT count(*) FROM near_dup_articles WHERE pending > 0").fetchone()[0] == 0
    assert db.conn.execute("SELECT count(DISTINCT article_id) FROM near_dup_keys").fetchone()[0] == 2


def test_blocking_keys_are_the_same_in_every_process():
    # stored keys are compared across runs: they must not use Python's per-process str hash
    assert similar._key(similar.KIND_TITLE, ["border", "talks"]) == 4131886216408274438   # blake2b, kind 3
    a = similar._batch_keys([(1, "Border talks", "word " * 40, 0)], similar._stop_memo())
    b = similar._batch_keys([(1, "Border talks", "word " * 40, 0)], similar._stop_memo())
    assert a[0].tolist() == b[0].tolist()


def test_a_store_from_before_v17_has_every_article_pending_and_its_first_pass_is_whole(tmp_path):
    import sqlite3
    from dashboard.store import MIGRATIONS, open_store
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.create_function("fold", 1, lambda t: t)
    conn.executescript(MIGRATIONS[0] + "INSERT INTO schema_version VALUES (1);")
    rng = random.Random(9)
    body = " ".join(_words(rng, 120))
    for i, b in enumerate((body, body.replace(body.split()[50], "changed", 1))):
        conn.execute("INSERT INTO articles (title, body, content_hash, title_key, published_at) VALUES (?, ?, ?, ?, ?)",
                     [f"Headline number {i} here", b, f"h{i}", f"headline {i}", "2021-06-01"])
    conn.commit()
    conn.close()
    db = open_store(path)
    assert db.conn.execute("SELECT article_id, pending, keys FROM near_dup_articles ORDER BY 1").fetchall() == [
        (1, 1, None), (2, 1, None)]
    first = similar.update_near_duplicates(db)
    assert first.whole and first.compared == 2
    assert [(x, y) for x, y, _ in _links(db)] == [(1, 2)]
    db.conn.close()


def test_a_store_that_skipped_the_v17_migration_gets_its_tables_at_the_first_pass(db):
    # main reached v18 with v17 a reserved placeholder: such stores have no near_dup tables
    rng = random.Random(4)
    body = _words(rng, 120)
    _write(db, [("One headline here now", body, False), ("Another headline there", _copy(rng, body), False)])
    db.conn.executescript("DROP TRIGGER near_dup_ai; DROP TRIGGER near_dup_au; DROP TRIGGER near_dup_ad;"
                          "DROP TABLE near_dup_keys; DROP TABLE near_dup_articles; DROP TABLE near_dup_state;")
    first = similar.update_near_duplicates(db)
    assert first.whole and first.compared == 2 and len(_links(db)) == 1
    _write(db, [("A third headline", _copy(rng, body), False)])
    assert similar.update_near_duplicates(db).compared == 1      # the insert trigger is back
    assert len(_links(db)) == 3

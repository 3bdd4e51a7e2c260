"""The stored vocabulary and title keys (schema v14, store.vocab): the same answers as reading the whole index.

Spelling variants and `similar` read their letter/length group from the store instead of the whole FTS
vocabulary per process (issue #17 item 2). These tests compare the stored path with the whole scan on the
shared fixture store and on a generated corpus, and check that every writer keeps the tables exact.
"""
from __future__ import annotations

import shutil

import pytest
from rapidfuzz import fuzz, process

from dashboard.ingest import import_paths
from dashboard.ingest.reextract import reextract
from dashboard.queries import search, similar
from dashboard.store import flush_fts, open_store
from dashboard.store import vocab as stored_vocab


def _whole_vocab(conn) -> search._Vocab:
    return search._Vocab(conn.execute("SELECT term, doc FROM articles_fts_vocab"))


def _old_fuzzy(word: str, voc: search._Vocab) -> list[str]:
    """_fuzzy as it was before v14: the whole letter bucket of the whole vocabulary."""
    if len(word) < search.FUZZY_MIN_LEN or not word.isalpha():
        return []
    stem = search._stem(word)
    bucket = voc.buckets.get(stem[:1], [])
    found = []
    for term, score, _ in process.extract(stem, bucket, scorer=fuzz.ratio,
                                          score_cutoff=search.FUZZY_MIN_RATIO, limit=25):
        if term == stem or abs(len(term) - len(stem)) > 2:
            continue
        if not search._vowel_edits_only(stem, term) or search._stem(term) != term:
            continue
        found.append((-score, -voc.docs.get(term, 0), term))
    return [t for _, _, t in sorted(found)[:search.FUZZY_MAX]]


def _exact(conn) -> None:
    assert not stored_vocab.pending(conn)
    assert conn.execute("SELECT term, docs FROM vocab ORDER BY term").fetchall() == \
        conn.execute("SELECT term, doc FROM articles_fts_vocab ORDER BY term").fetchall()
    for term, first, n in conn.execute("SELECT term, first, len FROM vocab"):
        assert (first, n) == (stored_vocab.first_letter(term), len(term))
    keys = conn.execute("SELECT id, key FROM title_keys ORDER BY id").fetchall()
    assert keys == [(i, similar.title_key(t)) for i, t in conn.execute("SELECT id, title FROM articles ORDER BY id")]


def _query_words(conn) -> list[str]:
    """Words to look up: every letters-only term of 6+ letters, the title words, and each with a vowel
    changed (so that close spellings exist)."""
    words = {t for (t,) in conn.execute("SELECT term FROM vocab WHERE len >= 6 AND first IS NOT NULL")}
    for (title,) in conn.execute("SELECT title FROM articles"):
        words.update(w for w in similar.normalise(title).split() if len(w) >= 6)
    swap = str.maketrans("aeiou", "eioua")
    words |= {w.translate(swap) for w in list(words)}
    return sorted(w for w in words if w.isalpha())


def _same_variants(conn) -> int:
    voc_old, voc_new = _whole_vocab(conn), search._StoredVocab(conn)
    hits = 0
    for w in _query_words(conn):
        old = _old_fuzzy(w, voc_old)
        assert search._fuzzy(w, voc_new) == old, w
        assert search._fuzzy(w, voc_old) == old, w
        hits += bool(old)
    return hits


@pytest.fixture
def generated_db(tmp_path):
    from devtools.generate import generate
    out = tmp_path / "corpus"
    generate(400, 50, 11, out)
    store = open_store(tmp_path / "gen.db")
    import_paths(store, [out / "articles.jsonl"])
    yield store
    store.conn.close()


def test_stored_vocabulary_equals_the_index_and_gives_the_same_variants_on_the_fixture_store(fixture_store_path, tmp_path):
    path = tmp_path / "copy.db"
    shutil.copyfile(fixture_store_path, path)
    db = open_store(path)
    _exact(db.conn)
    assert _same_variants(db.conn) > 0
    db.conn.close()


def test_generated_corpus_same_variants_and_queries(generated_db, monkeypatch):
    conn = generated_db.conn
    _exact(conn)
    assert _same_variants(conn) > 20
    texts = ["Lukashenka sanctions", "Bondarenko", "minstry of foriegn affairs", "Лукашенко", "Washingtn talks"]
    stored = [search.parse_query(t, db=generated_db) for t in texts]
    monkeypatch.setattr(stored_vocab, "ready", lambda db: False)
    whole = [search.parse_query(t, db=generated_db) for t in texts]
    assert [(q.match, q.also_matched, q.notices) for q in stored] == [(q.match, q.also_matched, q.notices) for q in whole]


def test_similar_reads_the_stored_tables_with_the_same_results(generated_db, monkeypatch):
    db = generated_db
    ids = [i for (i,) in db.conn.execute("SELECT id FROM articles ORDER BY id LIMIT 25")]
    titles = [t for (t,) in db.conn.execute("SELECT title FROM articles ORDER BY id LIMIT 15")]
    lookups = titles + [t.replace("a", "e", 1) for t in titles] + ["Lukashanko sanctons Minsk"]

    def run():
        similar._INDEXES.clear()
        similar._RESULTS.clear()
        idx = similar.prepared_index(db)
        keys = [similar.title_key(t) for t in titles]
        return (idx.stored, [similar.more_like_this(db, i) for i in ids], [similar.lookup(db, t) for t in lookups],
                [idx.title_candidates(k, 5) for k in keys], [idx.corrections(w) for w in ("sanctons", "minstry", "belarus")])

    stored = run()
    monkeypatch.setattr(stored_vocab, "ready", lambda db: False)
    whole = run()
    assert stored[0] is True and whole[0] is False
    assert stored[1:] == whole[1:]
    assert any(stored[1]) and any(stored[2])


def test_every_writer_keeps_the_tables_exact(generated_db):
    db, conn = generated_db, generated_db.conn
    ids = [i for (i,) in conn.execute("SELECT id FROM articles ORDER BY id")]
    with conn:   # deletes and an in-place rewrite: staged by the triggers, counted by flush_fts
        conn.execute("DELETE FROM articles WHERE id IN (?, ?, ?)", ids[:3])
        conn.execute("UPDATE articles SET title = 'Zyxwvut quorbled', body = 'Quorbled zyxwvut talks.' WHERE id = ?",
                     [ids[5]])
        flush_fts(db)
    _exact(conn)
    assert conn.execute("SELECT docs FROM vocab WHERE term = 'quorbl'").fetchone() == (1,)
    # a writer that does not sync: the next reader does (store.vocab.ready)
    with conn:
        conn.execute("UPDATE articles SET body = 'Nothing but plumbified words.' WHERE id = ?", [ids[6]])
    assert stored_vocab.pending(conn)
    assert stored_vocab.ready(db)
    _exact(conn)
    reextract(db)
    _exact(conn)


def test_a_store_that_skipped_v14_gets_the_tables_at_open(fixture_store_path, tmp_path):
    path = tmp_path / "v16.db"
    shutil.copyfile(fixture_store_path, path)
    db = open_store(path)
    before = db.conn.execute("SELECT term, docs FROM vocab ORDER BY term").fetchall()
    for name in ("vocab_ai", "vocab_ad", "vocab_au", "title_keys_ai", "title_keys_au", "title_keys_ad"):
        db.conn.execute(f"DROP TRIGGER {name}")
    db.conn.executescript("DROP TABLE vocab_in_terms; DROP TABLE vocab_out_terms; DROP TABLE vocab_in;"
                          " DROP TABLE vocab_out; DROP TABLE vocab; DROP TABLE title_keys;")
    assert db.conn.execute("SELECT version FROM schema_version").fetchone()[0] >= 15
    db.conn.close()
    ro = open_store(path, readonly=True)   # read-only and without the tables: the whole index is read
    assert not stored_vocab.ready(ro)
    q_ro = search.parse_query("Lukashenko", db=ro)
    ro.conn.close()
    db = open_store(path)
    assert db.conn.execute("SELECT term, docs FROM vocab ORDER BY term").fetchall() == before
    _exact(db.conn)
    assert search.parse_query("Lukashenko", db=db).match == q_ro.match
    db.conn.close()


def test_ratio_lengths_hold_every_length_that_can_reach_the_cutoff():
    for n in range(1, 60):
        for cutoff in (50, 80, 85):
            lo, hi = search.ratio_lengths(n, cutoff)
            for m in range(0, 4 * n + 10):
                if fuzz.ratio("a" * n, "a" * m) >= cutoff:
                    assert lo <= m <= hi, (n, m, cutoff)


def test_a_crowded_letter_group_gives_the_whole_scans_best_25(tmp_path):
    """More than 25 terms reach the cutoff and the best of them are too long to be variants: the whole
    scan's best 25 are all dropped, so the answer is empty; a group read only at lengths within 2 would
    answer with the two-vowel spellings instead. The stored group must hold every length that can score."""
    from itertools import combinations
    base = "bartolomkavintz"                      # 15 letters; FTS5's porter leaves it as it is
    vowels = [i for i, c in enumerate(base) if c in "aeiou"]
    two_swaps = []
    for i, j in combinations(vowels, 2):
        w = list(base)
        w[i] = "u" if w[i] != "u" else "o"
        w[j] = "u" if w[j] != "u" else "o"
        two_swaps.append("".join(w))
    longer = [base + a + b + "z" for a in "bcdfg" for b in "hklmn"]    # 25 terms 3 letters longer
    db = open_store(tmp_path / "crowded.db")
    with db.conn:
        for i, w in enumerate(two_swaps + longer):
            db.conn.execute("INSERT INTO articles (title, body, content_hash, title_key, published_at) "
                            "VALUES (?, ?, ?, ?, '2021-01-01')", [w, w, f"h{i}", w])
        flush_fts(db)
    _exact(db.conn)
    stem = search._stem(base)
    assert stem == base
    scored = process.extract(stem, [t for t in two_swaps + longer], scorer=fuzz.ratio,
                             score_cutoff=search.FUZZY_MIN_RATIO, limit=None)
    assert len(scored) > 25 and {t for t, _, _ in scored[:25]} == set(longer)
    whole = _old_fuzzy(base, _whole_vocab(db.conn))
    assert search._fuzzy(base, search._StoredVocab(db.conn)) == whole == []
    narrow = [t for t in two_swaps if search._vowel_edits_only(stem, t)]
    assert narrow        # what a group of lengths within 2 would have offered
    db.conn.close()

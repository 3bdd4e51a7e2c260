"""The near-duplicate pass (dashboard.queries.similar.near_duplicate_pairs): blocking, verification, normalise's fast path.

Speed itself is measured by dashboard/bench.py; these tests pin what the fast paths must not change.
"""
from __future__ import annotations

import random
import string
import time
import unicodedata

import pytest

from dashboard.queries import similar
from dashboard.ingest.records import ArticleRecord
from dashboard.ingest.write import write_article
from dashboard.analysis.textnorm import fold

VOCAB = sorted({"".join(random.Random(i).choices(string.ascii_lowercase, k=7)) for i in range(3000)})


def _reference_normalise(text) -> str:
    """normalise as the module docstring defines it, without the ASCII fast path."""
    if not text:
        return ""
    s = fold(unicodedata.normalize("NFKC", str(text))).casefold()
    s = unicodedata.normalize("NFC", similar._MARKS.sub("", unicodedata.normalize("NFKD", s)))
    return similar._NONWORD.sub(" ", s).strip()


def test_normalise_fast_path_equals_the_definition():
    rng = random.Random(7)
    alphabet = string.printable + "\x00\x01\x7f_`’ŁłßİıĲé\u0301\ufeff\u00a0\u2019ﬁ①ΣςЖ"
    samples = ["A_b`c\x00d", "TAB\tand\nnew-line", "it`s", "\x00", "__", "Ünïcödé Straße", "x" * 300]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(5000)]
    for text in samples:
        similar._NORM_MEMO.clear()
        assert similar.normalise(text) == _reference_normalise(text), repr(text)


def _body(rng: random.Random, n: int = 120) -> list[str]:
    return [rng.choice(VOCAB) for _ in range(n)]


@pytest.fixture
def copies_db(db):
    """40 unrelated articles and, for 15 of them, a copy with 4 words replaced (one in the lead)."""
    rng = random.Random(11)
    records, planted = [], []
    for i in range(40):
        records.append((f"Original {i} {' '.join(_body(rng, 5))}", _body(rng)))
    for i in range(15):
        words = list(records[i][1])
        for pos in (0, 30, 60, 90):    # position 0: the lead key cannot pair them, only the bands
            words[pos] = rng.choice(VOCAB)
        records.append((f"Copy {i} {' '.join(_body(rng, 5))}", words))   # another headline
        planted.append((i, 40 + i))
    db.conn.execute("BEGIN IMMEDIATE")
    ids = [write_article(db, ArticleRecord(title=t, published_at="2021-03-01", body=" ".join(b)))[0]
           for t, b in records]
    db.conn.execute("COMMIT")
    return db, {tuple(sorted((ids[a], ids[b]))) for a, b in planted}


def test_lsh_constants_catch_resemblance_07_with_p_099():
    p = 1 - (1 - 0.7 ** similar.LSH_ROWS) ** similar.LSH_BANDS
    assert p >= 0.99
    assert 1 - (1 - 0.05 ** similar.LSH_ROWS) ** similar.LSH_BANDS < 1e-3


def test_copies_are_candidates_and_unrelated_bodies_are_not(copies_db):
    db, planted = copies_db
    rows = dict(db.conn.execute("SELECT id, body FROM articles").fetchall())
    for a, b in planted:
        sa, sb = similar._shingles(similar.normalise(rows[a])), similar._shingles(similar.normalise(rows[b]))
        assert len(sa & sb) / len(sa | sb) >= 0.7
    cand = similar._candidate_pairs(db)
    assert planted <= cand
    assert len(cand - planted) <= 2
    # batches: shingles never span two bodies, keys do not depend on the batch
    assert similar._candidate_pairs(db, batch=7) == cand
    found = similar.near_duplicate_pairs(db)
    assert {(a, b) for a, b, _ in found} == planted
    assert all(a < b and 90 <= s <= 100 for a, b, s in found)


def test_verification_in_chunks_gives_the_same_pairs(copies_db, monkeypatch):
    db, _ = copies_db
    whole = similar.near_duplicate_pairs(db)
    monkeypatch.setattr(similar, "VERIFY_ARTICLES", 3)
    assert similar.near_duplicate_pairs(db) == whole
    assert similar.near_duplicate_pairs(db, threshold=150) == []
    assert len(similar.near_duplicate_pairs(db, threshold=0)) >= len(whole)


def test_score_cutoff_keeps_every_pair_at_or_above_the_threshold():
    rng = random.Random(3)
    arts = []
    for i in range(30):
        body = _body(rng, rng.choice([10, 25, 120]))
        arts.append({"title": " ".join(_body(rng, 6)), "body": " ".join(body), "is_stub": 0})
        edited = list(body)
        for _ in range(rng.randint(0, 12)):
            edited[rng.randrange(len(edited))] = rng.choice(VOCAB)
        cut = edited[:max(3, int(len(edited) * rng.choice([1, 0.8, 0.3])))]
        arts.append({"title": arts[-1]["title"] if rng.random() < 0.7 else " ".join(_body(rng, 6)),
                     "body": " ".join(cut) if rng.random() < 0.9 else "", "is_stub": int(rng.random() < 0.3)})
    for a in arts:
        for b in arts:
            for threshold in (50, 90):
                full = similar.pair_score(a, b, threshold)
                fast = similar._score(similar._prepared(a["title"], a["body"], a["is_stub"]),
                                      similar._prepared(b["title"], b["body"], b["is_stub"]), threshold, threshold)
                assert (fast >= threshold) == (full >= threshold)
                if full >= threshold:
                    assert fast == full


def test_same_headline_other_text_is_rejected_fast_and_a_shortened_copy_still_counts():
    rng = random.Random(5)
    body = " ".join(_body(rng, 800))
    a = {"title": "Talks resume in Minsk", "body": body, "is_stub": 0}
    other = {"title": "Talks resume in Minsk", "body": " ".join(_body(rng, 700)), "is_stub": 0}
    t = time.perf_counter()
    assert similar.pair_score(a, other) < 90
    assert time.perf_counter() - t < 0.2           # partial_ratio over these bodies takes ≈ 0.7 s
    shortened = {"title": "TALKS RESUME IN MINSK", "body": body[:int(len(body) * 0.6)], "is_stub": 0}
    assert similar.pair_score(a, shortened) >= 90


def test_a_boilerplate_paragraph_shared_by_many_gives_no_pairs_but_the_copy_is_found(db):
    """30 articles open with the same 30-word wire template (one big lead bucket); one is copied."""
    rng = random.Random(5)
    template = _body(rng, 30)
    bodies = [template + _body(rng, 120) for _ in range(30)]
    copy = list(bodies[0])
    copy[100] = rng.choice(VOCAB)
    bodies.append(copy)
    db.conn.execute("BEGIN IMMEDIATE")
    ids = [write_article(db, ArticleRecord(title=" ".join(_body(rng, 5)), published_at="2021-03-01",
                                       body=" ".join(b)))[0]
           for i, b in enumerate(bodies)]
    db.conn.execute("COMMIT")
    pair = tuple(sorted((ids[0], ids[-1])))
    cand = similar._candidate_pairs(db)
    assert pair in cand
    assert len(cand) <= 3              # not the 465 pairs of the shared template
    assert {(a, b) for a, b, _ in similar.near_duplicate_pairs(db)} == {pair}

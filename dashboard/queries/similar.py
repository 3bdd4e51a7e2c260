"""Fuzzy similarity between articles: "more like this", paste-to-find, near-duplicate groups.

* `more_like_this(db, article_id)` — the articles most like one article.
* `lookup(db, text)` — paste a title or a paragraph (typos, other word order,
  other transliteration, missing words) → the articles it most likely comes from.
* `near_duplicates(db)` / `store_near_duplicates(db)` — groups of republished or
  lightly edited copies, stored as `article_links` of kind `near_duplicate`.

Normalisation (shared case C06: rapidfuzz 3 has NO default processor)
----------------------------------------------------------------------
`normalise` = NFKC → `textnorm.fold` (tables/fold.tsv: Ł→L, ø→o, ß→ss, every
apostrophe …) → casefold → combining diacritics removed (Chișinău → chisinau,
whatever the input's normal form) → every run of punctuation, underscores and
white space becomes one space. It is passed explicitly as ``processor=normalise``
to every rapidfuzz scorer call that compares article text. Three bulk passes
are the exception, and say so in the code: the title scan (100,000 titles) and
the typo look-up (index terms) compare strings that went through `normalise`
once, when the index was built, with a query normalised once per call, and the
near-duplicate verification (`_score`) compares articles normalised once per pass;
they pass ``processor=None`` explicitly — renormalising 100,000 titles on every
call would cost more than the whole 150 ms budget, and renormalising both bodies
for every candidate pair was most of the near-duplicate pass. normalise is
idempotent, so the scores are those with ``processor=normalise``.

Terms
-----
A term is what the store's FTS5 index holds: the porter stem of a word, as the
index tokenizer (store.FTS_TOKENIZE) makes it. Words are cut by `normalise`,
stemmed by asking an in-memory FTS5 table with the same tokenizer (cached), and
weighted tf-idf: ``w = (1 + ln tf) · ln(1 + N / df)``, N the number of articles,
df the number of articles whose FTS row holds the term (``fts5vocab``). Title
words count 1 + TITLE_TF_BOOST times. English stop words (STOPWORDS) and
one-character words are not terms.

Candidates (never a comparison with every article's body)
---------------------------------------------------------
1. FTS5: one OR query of the text's most distinctive terms (highest weight
   first, at most FTS_MAX_TERMS terms and FTS_MAX_POSTINGS summed document
   frequencies, so a query never walks huge posting lists), ranked by
   ``bm25(articles_fts, FTS_TITLE_WEIGHT, 1)``: the best FTS_CANDIDATES rows.
   For lookup, each term also brings its spelling variants (dashboard.queries.search:
   tables/variants.tsv, Cyrillic transliteration) and, when the index lacks it,
   up to TYPO_ALTERNATIVES index terms within fuzz.ratio ≥ TYPO_MIN_RATIO.
2. The cached title index: rapidfuzz ``process.cdist`` with ``fuzz.ratio`` of
   the text's and every title's sorted content words (order-free, typo-tolerant):
   the best TITLE_CANDIDATES titles scoring ≥ TITLE_SCAN_CUTOFF (lookup of texts
   up to LONG_WORDS words; more_like_this takes half as many).
3. For more_like_this, the articles the editors linked (editorial_similar).

Scores (0–100, one decimal, higher is more alike)
-------------------------------------------------
Title likeness ("coverage"): the idf-weighted share of one side's distinct title
content words that have a partner on the other side — a word (or one of its
spellings) whose fuzz.ratio with it, processor normalise, is ≥ WORD_MATCH.

more_like_this(A), candidate B:
    title = 100 · (coverage of A's title words in B's + coverage of B's in A's) / 2
    body  = 100 · cosine of the tf-idf term vectors of A and B (title + body)
    score = MLT_TITLE_WEIGHT · title + (1 − MLT_TITLE_WEIGHT) · body
lookup(text), candidate B:
    title = 100 · (LOOKUP_QUERY_SIDE · coverage of the text's words in B's title
                   + (1 − LOOKUP_QUERY_SIDE) · coverage of B's title words in the text)
    text  = 100 · Σ w(t) over the text's terms found in B (itself, a variant or a
            typo correction) / Σ w(t) over all the text's terms
    score = wt · title + (1 − wt) · text, wt = LOOKUP_TITLE_WEIGHT_SHORT for texts
            of ≤ SHORT_WORDS content words, LOOKUP_TITLE_WEIGHT_LONG from LONG_WORDS
            on, linear between (a pasted title is judged by titles, a paragraph by words)
Both: when token_sort_ratio(A's title or the text, B's title), processor normalise,
is ≥ SAME_TITLE — the same headline up to case, punctuation, word order or a
letter — the score is raised to it (C06: the shouted copy of a headline scores 100
even when the copies' bodies differ a little). Ties: more_like_this lists editors'
links first, lookup full articles before stubs; then the lower id.
near-duplicates: see `pair_score` and `near_duplicate_pairs`.

Sources of the constants: MLT_TITLE_WEIGHT, TITLE_TF_BOOST and the lookup weights
were chosen on the project's quality set (dashboard/gold/similar_queries.tsv and the
editorial links of data/demo; `python -m devtools.evaluate_similar`): with title
weight 0.35 the editorial recall@10 was 0.88, with 0.1 it is 0.95. The set does not
separate the lookup weights (top-1 ≥ 0.998 for a short-text title weight of 0.3–0.9
and LOOKUP_QUERY_SIDE 0.5–1.0; 1.0 loses one dropped-word query), so they stay at
values that keep the text's own words decisive. WORD_MATCH / TYPO_MIN_RATIO = 80 accept one edit in
a 5-letter word and the transliterations of tables/variants.tsv that differ by one
or two letters (Lukashenka/Lukashenko 90, Byalyatski/Bialiatski 80). Candidate
counts, FTS_MAX_POSTINGS and the cache sizes are budgets measured on a synthetic
100,000-article store (titles and bodies drawn from a Zipf-distributed word list,
2 % lightly edited copies, 1 % teaser stubs): lookup and more_like_this p50 under
100 ms per call once the index is prepared (≈ 2 s, once per store state); the
near-duplicate pass ≈ 25 s on one core (benchmark store of dashboard/bench.py; the
LSH constants are explained in `near_duplicate_pairs`).
"""
from __future__ import annotations

import functools
import hashlib
import math
import re
import sqlite3
import threading
import unicodedata
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

from rapidfuzz import fuzz, process

from dashboard.queries.search import fts_probe, parse_query, ratio_lengths
from dashboard.store import StoreError, blocks, dialect, repeats
from dashboard.store import vocab as stored_vocab
from dashboard.store.version import store_version
from dashboard.analysis.textnorm import fold
from dashboard.analysis.language import ENGLISH_STOPWORDS


class _Numpy:
    """numpy, imported at its first use: `explain` and the pages import this module for its word
    lists, and an ordinary command must not pay numpy's load (issue #17)."""

    def __getattr__(self, name: str):
        import numpy
        globals()["np"] = numpy     # later uses read the module itself
        return getattr(numpy, name)


np = _Numpy()

# --- constants (see the module docstring for where each one acts) -----------------
TITLE_TF_BOOST = 2            # a title word counts 1 + 2 times in the term vector
FTS_CANDIDATES = 100          # rows of the OR query re-ranked per call
FTS_MAX_TERMS = 24            # terms in the OR query at most
FTS_MAX_POSTINGS = 8_000      # summed df of those terms: ≈ 30 ms of bm25 on the 100k synthetic store
FTS_TITLE_WEIGHT = 5.0        # bm25 column weight of the title (body 1)
TITLE_CANDIDATES = 50         # titles taken from the title scan
TITLE_SCAN_CUTOFF = 50        # fuzz.ratio below which a title is not a candidate
SAME_TITLE = 95               # token_sort_ratio from which two titles are the same headline
MLT_TITLE_WEIGHT = 0.1        # more_like_this: weight of the title likeness (body cosine 0.9)
LOOKUP_TITLE_WEIGHT_SHORT = 0.6   # lookup: title weight for a title-like text …
LOOKUP_TITLE_WEIGHT_LONG = 0.1    # … and for a paragraph
SHORT_WORDS = 15              # content words up to which a text is title-like
LONG_WORDS = 45               # content words from which a text is a paragraph
LOOKUP_MAX_CHARS = 10_000     # a pasted text is read up to here
TYPO_MIN_LEN = 4              # words shorter than this are not corrected
TYPO_MIN_RATIO = 80           # fuzz.ratio of a word's stem and an index term
TYPO_MAX_LEN_DIFF = 2
TYPO_MAX_WORDS = 8            # at most this many unknown words are corrected per call
TYPO_ALTERNATIVES = 2
SHARED_TERMS = 5
WORD_MATCH = 80               # fuzz.ratio of two words that count as one (typo, transliteration)
LOOKUP_QUERY_SIDE = 0.75      # lookup title score: weight of the text's words found in the title
INDEX_CACHE_SIZE = 4          # prepared title indexes kept (one per store state)
DOC_CACHE_SIZE = 4_000        # articles' term vectors kept per index (~10 kB each)
RESULT_CACHE_SIZE = 256       # more_like_this / lookup results kept

# near-duplicates
NEAR_DUP_THRESHOLD = 90
SHINGLE = 3                   # content words (stop words dropped) per body shingle
LSH_BANDS = 20                # a body's min-hashes form 20 blocking keys (bands) …
LSH_ROWS = 4                  # … of 4 min-hashes each: pairs of Jaccard J meet with p = 1 − (1 − J⁴)²⁰
LEAD_WORDS = 30               # a body's first 30 words are one more blocking key
MIN_BODY_WORDS = 20           # bodies shorter than this are compared with their titles too
MAX_BUCKET = 100              # a blocking key held by more articles is not discriminative: it pairs none
CONFIRMING_KEYS = 2           # a pair is a candidate when it shares this many keys (each held by at most
                              # MAX_BUCKET articles): copies share most of their 20 bands (≥ 4 on the
                              # benchmark's); one stray band or one headline-less-a-word key is chance, and
                              # such chance pairs grow with the square of the store (7,000 of 9,091 at 100k)
SHORT_BODY_WORDS = 100        # … or one key when one of the two is a stub or has fewer body words: a
                              # teaser shares its headline, or its lead, or a band with its page, not two
NEAR_DUP_BATCH = 2_000        # articles read from SQLite (and hashed with numpy) per step
CONTAINED = 0.5               # share of the shorter body's shingles the longer must hold for partial_ratio
                              # to count: a shortened copy holds ~all, one with 10 % of its words replaced
                              # ≈ 0.9³ = 0.73; unrelated synthetic bodies ≤ 0.15 (their stock sentences).
                              # Spares partial_ratio (up to 0.9 s a pair) on same-headline, other-text pairs
VERIFY_ARTICLES = 5_000       # candidate articles whose normalised texts are held at once (≈ 40 MB)

# Bounds on hostile records: rapidfuzz's scorers take time quadratic in the length of the texts
# (≈ 0.2 s for two 100,000-character bodies, ≈ 20 s at 1 MB), and a title's words are compared
# word by word. The other importers cut titles at 400 characters and real bodies stay far below
# 100,000 characters, so only absurd records are compared on a prefix.
TITLE_MAX_CHARS = 1_000       # a title is compared on its first 1,000 characters
BODY_MAX_CHARS = 100_000      # a body is compared (fuzz.ratio) on its first 100,000 normalised characters
PARTIAL_MAX_CHARS = 2_000     # partial_ratio: the shorter body's first 2,000 within the longer's first 4,000

# English stop words: one list with the language detection's (analysis.language)
STOPWORDS = ENGLISH_STOPWORDS



# Columns of the CLI / CSV outputs (dicts returned below hold these keys and a few more).
SIMILAR_COLUMNS = ("id", "score", "published_at", "title", "shared_terms", "is_stub")
MORE_LIKE_THIS_COLUMNS = ("id", "score", "published_at", "title", "shared_terms", "editorial", "is_stub")
DUPLICATE_COLUMNS = ("group", "id", "score", "published_at", "title", "is_stub", "source")


class UnknownArticle(ValueError):
    """more_like_this was asked about an article id the store does not hold."""


# --- normalisation ------------------------------------------------------------------
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_NONWORD = re.compile(r"[\W_]+")


# byte → its lower-case form if it is an ASCII letter or digit, else a space
_ASCII_WORDS = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or 48 <= c <= 57 else 32
                     for c in range(256))

_NORM_MEMO: dict[str, str] = {}
_NORM_MEMO_MAX = 200_000
_NORM_MEMO_LEN = 256          # strings up to this length (words, titles) are memoised


def normalise(text) -> str:
    """The comparison form of `text`: NFKC, fold (tables/fold.tsv), casefold, no combining
    diacritics, runs of punctuation / underscores / white space → one space, stripped.

    Accepts str or None (→ ""); other values are converted with str(). Idempotent.
    "RUSSIA, CHINA SIGN ENERGY DEAL" and "Russia, China sign energy deal" both give
    "russia china sign energy deal"; NFD and NFC "Chișinău" both give "chisinau".
    Pass it as ``processor=normalise`` to rapidfuzz (which has no default processor).
    Short strings (≤ 256 characters) are memoised, so using it as a processor over
    already normalised words costs a dictionary look-up.
    """
    if not text:
        return ""
    if not isinstance(text, str):
        text = str(text)
    short = len(text) <= _NORM_MEMO_LEN
    if short:
        hit = _NORM_MEMO.get(text)
        if hit is not None:
            return hit
    if not (text.isascii() and "`" not in text):
        # (ASCII without the fold table's one ASCII entry: NFKC, NFC and fold change nothing but NULs)
        text = fold(unicodedata.normalize("NFKC", text)).casefold()
        if not text.isascii():
            text = unicodedata.normalize("NFC", _MARKS.sub("", unicodedata.normalize("NFKD", text)))
    if text.isascii():
        # A byte table lower-cases and blanks every non-alphanumeric byte ~10x faster than the
        # regex: the near-duplicate pass normalises every body. Same result (test_similar checks it).
        s = " ".join(text.encode().translate(_ASCII_WORDS, b"\x00").decode().split())
    else:
        s = _NONWORD.sub(" ", text).strip()
    if short:
        if len(_NORM_MEMO) >= _NORM_MEMO_MAX:
            _NORM_MEMO.clear()
        _NORM_MEMO[text] = s
    return s


def _content_words(norm: str) -> list[str]:
    return [w for w in norm.split() if len(w) > 1 and w not in STOPWORDS]


def _title(title: str | None) -> str:
    """The part of a title that is compared (TITLE_MAX_CHARS)."""
    return (title or "")[:TITLE_MAX_CHARS]


def _title_key(norm_title: str) -> str:
    """Sorted content words of a normalised title: the string the title scan compares."""
    words = _content_words(norm_title) or norm_title.split()
    return " ".join(sorted(words))


def title_key(title: str | None) -> str:
    """The title key of an article's title, as the store keeps it (store.vocab, table title_keys)."""
    return _title_key(normalise(_title(title)))


# --- stems, asked of FTS5 itself --------------------------------------------------
_STEMS: dict[str, tuple[str, ...]] = {}
_STEMS_MAX = 1_000_000




def _stems(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """word → the index terms FTS5 makes of it (usually one porter stem), for `words`. Cached."""
    cache = _STEMS
    out: dict[str, tuple[str, ...]] = {}
    missing = []
    for w in set(words):
        v = cache.get(w)
        if v is None:
            missing.append(w)
        else:
            out[w] = v
    if missing:
        if len(cache) + len(missing) > _STEMS_MAX:
            cache.clear()
        conn = fts_probe()
        found: dict[int, list[str]] = {}
        with conn:
            conn.executemany("INSERT INTO p(rowid, x) VALUES (?, ?)", enumerate(missing))
            for doc, term in conn.execute("SELECT doc, term FROM pv ORDER BY doc, offset"):
                found.setdefault(doc, []).append(term)
            conn.execute("DELETE FROM p")
        for i, w in enumerate(missing):
            out[w] = cache[w] = tuple(found.get(i, ()))
    return out


def _bag(text: str, tf: Counter, inc: int = 1, surface: dict | None = None) -> Counter:
    """Add the terms of `text` (content words → stems) to `tf`, each occurrence counting `inc`."""
    words = Counter(normalise(text).split())
    stems = _stems(words)
    for w, n in words.items():
        if len(w) < 2 or w in STOPWORDS:
            continue
        for s in stems[w]:
            tf[s] += n * inc
            if surface is not None:
                surface.setdefault(s, w)
    return tf


def _terms(title: str, body: str, surface: dict | None = None) -> Counter:
    """Term frequencies of an article: body words once, title words 1 + TITLE_TF_BOOST times."""
    tf = _bag(title, Counter(), 1 + TITLE_TF_BOOST, surface)
    return _bag(body, tf, 1, surface)


# --- the prepared, cached index of a store -------------------------------------------
class _Index:
    """Titles (normalised, keyed) and the FTS vocabulary (term → df) of one store state.

    Read from the store's own tables when they are in step with the index (store.vocab, schema v14):
    document frequencies are looked up per term and memoised, the title scan reads the title keys whose
    length can reach its cutoff, typo corrections their letter and length group. Otherwise (a read-only
    store without those tables) the whole vocabulary and every title are read here, once per state."""

    def __init__(self, db, key):
        conn = db.conn
        self.key = key
        self._local = threading.local()
        self.bind(db)
        self.stored = stored_vocab.ready(db)
        if self.stored:
            self.n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            self.ids, self.keys = None, None
            self.df = _StoredDF(self)
            self.by_shape = None
        else:
            rows = conn.execute("SELECT id, title FROM articles ORDER BY id").fetchall()
            self.ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            self.keys = [_title_key(normalise(_title(r[1]))) for r in rows]
            self.n = len(rows)
            try:
                conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.similar_vocab "
                             "USING fts5vocab(main, articles_fts, 'row')")
                self.df = dict(conn.execute("SELECT term, doc FROM temp.similar_vocab"))
            except sqlite3.Error:
                self.df = {}
            by_shape: dict[tuple[str, int], list[str]] = {}
            for term in self.df:
                if len(term) >= TYPO_MIN_LEN - TYPO_MAX_LEN_DIFF and term.isalpha():
                    by_shape.setdefault((term[0], len(term)), []).append(term)
            self.by_shape = by_shape
        self._docs: OrderedDict[tuple, _Doc] = OrderedDict()
        self._idf: dict[str, float] = {}
        self._lock = threading.Lock()

    def bind(self, db) -> "_Index":
        """Read the stored tables through `db` in this thread (the index is shared by threads; a
        connection never crosses one)."""
        self._local.conn = db.conn
        return self

    @property
    def conn(self) -> sqlite3.Connection:
        return self._local.conn

    def doc(self, row: dict) -> "_Doc":
        """The terms of an article row (dict with id, title, body), cached (DOC_CACHE_SIZE)."""
        key = (row["id"], hash(row["title"]), hash(row["body"]))
        with self._lock:
            d = self._docs.get(key)
            if d is not None:
                self._docs.move_to_end(key)
                return d
        d = _Doc(self, row["title"], row["body"] or "")
        with self._lock:
            self._docs[key] = d
            while len(self._docs) > DOC_CACHE_SIZE:
                self._docs.popitem(last=False)
        return d

    def idf(self, term: str) -> float:
        """ln(1 + N / df); a term the index lacks counts as df = 1. Memoised."""
        v = self._idf.get(term)
        if v is None:
            v = self._idf[term] = math.log(1 + self.n / max(self.df.get(term, 0), 1))
        return v

    def weights(self, tf: Counter) -> dict[str, float]:
        """Term → (1 + ln tf) · idf."""
        if self.stored:
            self.df.prefetch(t for t in tf if t not in self._idf)
        idf = self.idf
        return {t: (1 + math.log(c)) * idf(t) for t, c in tf.items()}

    def title_candidates(self, query_key: str, limit: int) -> list[int]:
        """Article ids whose sorted title words are closest to `query_key` (fuzz.ratio ≥
        TITLE_SCAN_CUTOFF): the best `limit`, ties to the lower id."""
        if not query_key or self.n == 0:
            return []
        if self.stored:
            lo, hi = ratio_lengths(len(query_key), TITLE_SCAN_CUTOFF)
            # one pass in id order (store.vocab: the window holds most titles, an index costs more)
            rows = self.conn.execute("SELECT id, key FROM title_keys WHERE len BETWEEN ? AND ? ORDER BY id",
                                     (lo, hi)).fetchall()
            ids, keys = [r[0] for r in rows], [r[1] for r in rows]
        else:
            ids, keys = self.ids, self.keys
        if not keys:
            return []
        # Both sides were normalise()d once (index build / caller): processor=None on purpose.
        scores = process.cdist([query_key], keys, scorer=fuzz.ratio, processor=None,
                               score_cutoff=TITLE_SCAN_CUTOFF, dtype=np.uint8, workers=1)[0]
        hits = np.flatnonzero(scores)
        # the best first, ties to the earlier (lower) id: a stable sort over id order
        best = hits[np.argsort(-scores[hits].astype(np.int16), kind="stable")][:max(int(limit), 0)]
        return sorted(int(ids[i]) for i in best)

    def corrections(self, term: str) -> list[str]:
        """Index terms that `term` (a stem the index lacks) is probably a typo of."""
        if len(term) < TYPO_MIN_LEN or not term.isalpha():
            return []
        lo, hi = len(term) - TYPO_MAX_LEN_DIFF, len(term) + TYPO_MAX_LEN_DIFF
        if self.stored:
            rows = self.conn.execute("SELECT term, docs FROM vocab WHERE first = ? AND len BETWEEN ? AND ? "
                                     "ORDER BY len, term", (term[0], lo, hi)).fetchall()
            self.df.memo.update(rows)
            pool = [r[0] for r in rows]
        else:
            pool = []
            for n in range(lo, hi + 1):
                pool.extend(self.by_shape.get((term[0], n), ()))
        if not pool:
            return []
        # Index terms are lower-case folded stems and `term` came through normalise():
        # processor=None on purpose (see the module docstring).
        hits = process.extract(term, pool, scorer=fuzz.ratio, processor=None,
                               score_cutoff=TYPO_MIN_RATIO, limit=10)
        hits.sort(key=lambda h: (-h[1], -self.df.get(h[0], 0)))
        return [h[0] for h in hits[:TYPO_ALTERNATIVES]]


class _StoredDF:
    """term → the number of articles holding it, read from the stored vocabulary and memoised; the
    `dict.get` of the whole-scan index."""

    def __init__(self, idx: _Index):
        self.idx = idx
        self.memo: dict[str, int | None] = {}

    def get(self, term: str, default=None):
        if term in self.memo:
            v = self.memo[term]
        else:
            row = self.idx.conn.execute("SELECT docs FROM vocab WHERE term = ?", (term,)).fetchone()
            v = self.memo[term] = row[0] if row else None
        return default if v is None else v

    def prefetch(self, terms: Iterable[str]) -> None:
        """Look up many terms in a few statements (an article's terms before its weights)."""
        missing = [t for t in dict.fromkeys(terms) if t not in self.memo]
        for i in range(0, len(missing), 500):
            part = missing[i:i + 500]
            found = dict(self.idx.conn.execute(
                f"SELECT term, docs FROM vocab WHERE term IN ({', '.join('?' * len(part))})", part))
            for t in part:
                self.memo[t] = found.get(t)


class _Doc:
    """One article's terms (tf), its title words and weights; tf-idf weights and norm on demand."""
    __slots__ = ("idx", "tf", "title_words", "title_w", "_w", "_norm")

    def __init__(self, idx: _Index, title: str, body: str):
        self.idx = idx
        self.tf = _terms(title, body)
        self.title_words, self.title_w = _title_words(idx, title)
        self._w = None
        self._norm = 1.0

    @property
    def w(self) -> dict[str, float]:
        if self._w is None:
            self._w = self.idx.weights(self.tf)
            self._norm = math.sqrt(sum(v * v for v in self._w.values())) or 1.0
        return self._w

    @property
    def norm(self) -> float:
        self.w
        return self._norm


_cache_lock = threading.Lock()
_INDEXES: OrderedDict[tuple, _Index] = OrderedDict()


def _index_key(db) -> tuple:
    """The title index depends on the articles only: (store, FTS5 structure cookie) of store_version,
    so an event import or an edit keeps it."""
    v = store_version(db)
    return v.store, v.articles, v.index


_RESULTS: OrderedDict[tuple, list] = OrderedDict()


def _cached(db, name: str, args: tuple, compute) -> list[dict]:
    """Results of `compute()` kept per (connection state, name, args); RESULT_CACHE_SIZE entries.

    Streamlit reruns a page on every click: the same article's list comes back at once.
    Callers get copies, so editing a result never edits the cache."""
    ck = (store_version(db), name, args)
    with _cache_lock:
        hit = _RESULTS.get(ck)
        if hit is not None:
            _RESULTS.move_to_end(ck)
    if hit is None:
        hit = compute()
        with _cache_lock:
            _RESULTS[ck] = hit
            while len(_RESULTS) > RESULT_CACHE_SIZE:
                _RESULTS.popitem(last=False)
    return [{k: (list(v) if isinstance(v, list) else v) for k, v in d.items()} for d in hit]


def prepared_index(db) -> _Index:
    """The prepared title index of `db`, built once per state of its articles (_index_key).

    Reads the title keys and the vocabulary (term → document frequency) the store keeps
    (store.vocab): building costs a count of the articles. Without those tables (a read-only
    store made before v14) it holds every title's key and the whole vocabulary: about 2 s for
    100,000 articles. Later calls on an unchanged store return the cached object, bound to the
    caller's connection. INDEX_CACHE_SIZE store states are kept. Thread-safe.
    """
    key = _index_key(db)
    with _cache_lock:
        idx = _INDEXES.get(key)
        if idx is not None:
            _INDEXES.move_to_end(key)
            return idx.bind(db)
    idx = _Index(db, key)
    with _cache_lock:
        _INDEXES[key] = idx
        while len(_INDEXES) > INDEX_CACHE_SIZE:
            _INDEXES.popitem(last=False)
    return idx


# --- shared pieces ---------------------------------------------------------------------
def _fts_candidates(db, terms: list[tuple[int, list[str]]], limit: int) -> list[int]:
    """Ids from one FTS5 OR query, best bm25 first.

    terms: [(document frequency, [MATCH strings: the term's spellings])], most
    distinctive first. Terms are taken while at most FTS_MAX_TERMS and their summed
    document frequencies stay within FTS_MAX_POSTINGS (the first term always, unless
    it alone exceeds 4 × FTS_MAX_POSTINGS: then it is not distinctive and the title
    scan finds the candidates). Returns [] when nothing is left or FTS5 refuses the query.
    """
    picked, postings, n = [], 0, 0
    for df, forms in terms:
        df = max(df, 1)
        if n >= FTS_MAX_TERMS or postings + df > (FTS_MAX_POSTINGS if n else 4 * FTS_MAX_POSTINGS):
            continue
        postings += df
        n += 1
        picked.extend(forms)
    picked = list(dict.fromkeys(f for f in picked if f))
    if not picked:
        return []
    match = " OR ".join('"' + f.replace('"', '""') + '"' for f in picked)
    try:
        rows = db.conn.execute(
            f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
            f"ORDER BY bm25(articles_fts, {FTS_TITLE_WEIGHT}, 1.0, {FTS_TITLE_WEIGHT}, 1.0) LIMIT ?", [match, int(limit)]).fetchall()
    except sqlite3.Error:
        return []
    return [r[0] for r in rows]


_ROW_COLS = ("id", "title", "body", "published_at", "is_stub", "source")


def _fetch(db, ids: Iterable[int]) -> list[dict]:
    ids = list(dict.fromkeys(int(i) for i in ids))
    out = []
    for k in range(0, len(ids), 500):
        chunk = ids[k:k + 500]
        sql = f"SELECT {', '.join(_ROW_COLS)} FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
        out += [dict(zip(_ROW_COLS, r)) for r in db.conn.execute(sql, chunk)]
    return out


def _title_words(idx: _Index, title: str) -> tuple[list[str], np.ndarray]:
    """A title's distinct content words and their weights (idf of their terms)."""
    words = list(dict.fromkeys(_content_words(normalise(_title(title)))))
    stems = _stems(words)
    weights = np.array([max([idx.idf(s) for s in stems[w]] or [idx.idf(w)]) for w in words], dtype=float)
    return words, weights


def _coverage(a_forms: list[list[str]], wa: np.ndarray, b_words: list[str], wb: np.ndarray) -> tuple[float, float]:
    """(share of A's word weight found in B, share of B's found in A), each 0–1.

    A word is found when fuzz.ratio (processor normalise) of one of its spellings
    (a_forms[i]: the word and its variants) and a word of the other side is ≥ WORD_MATCH.
    """
    if not a_forms or not b_words:
        return 0.0, 0.0
    flat = [f for forms in a_forms for f in forms]
    owner = np.array([i for i, forms in enumerate(a_forms) for _ in forms])
    m = process.cdist(flat, b_words, scorer=fuzz.ratio, processor=normalise,
                      score_cutoff=WORD_MATCH, dtype=np.uint8, workers=1)
    hit_flat = m.max(axis=1) > 0
    hit_a = np.zeros(len(a_forms), dtype=bool)
    np.logical_or.at(hit_a, owner, hit_flat)
    hit_b = m.max(axis=0) > 0
    return float(wa[hit_a].sum() / (wa.sum() or 1)), float(wb[hit_b].sum() / (wb.sum() or 1))


def _same_title(a: str, b: str) -> float:
    """token_sort_ratio of two titles (processor normalise): ≥ SAME_TITLE means the same headline."""
    return fuzz.token_sort_ratio(_title(a), _title(b), processor=normalise)


def _editorial(db, article_id: int) -> set[int]:
    return {r[0] for r in db.conn.execute(
        "SELECT to_id FROM article_links WHERE from_id = ? AND kind = 'editorial_similar' "
        "UNION SELECT from_id FROM article_links WHERE to_id = ? AND kind = 'editorial_similar'",
        [int(article_id), int(article_id)])}


def _out(row: dict, score: float, **extra) -> dict:
    d = {"id": row["id"], "score": round(min(max(score, 0.0), 100.0), 1), "published_at": row["published_at"],
         "title": row["title"], "is_stub": bool(row["is_stub"]), "source": row["source"]}
    d.update(extra)
    return d


def _sqlite_only(db) -> None:
    """Similar articles read FTS5's own vocabulary and index (fts5vocab, bm25 over its columns): not yet
    ported to PostgreSQL (issue #20). Raises StoreError, which pages and CLI show as one line."""
    if dialect.of(db) is not dialect.SQLITE:
        raise StoreError("similar articles and near-duplicates read SQLite's FTS5 index and are not available "
                         "on a PostgreSQL store yet: run them on the SQLite store")


# --- more like this -----------------------------------------------------------------------
def more_like_this(db, article_id: int, limit: int = 10) -> list[dict]:
    """The `limit` articles most like article `article_id`, best first.

    db: a store from store.open_store (sqlite_utils.Database). limit: ≥ 0.
    Returns dicts: id, score (0–100, one decimal; formula in the module docstring),
    title_score and body_score (its two parts, 0–100), published_at, title, is_stub,
    source, shared_terms (up to SHARED_TERMS words that contribute most to the body
    score, most first) and editorial (True when the editors linked the two articles
    as similar, in either direction). The article itself is never listed; articles
    scoring 0 are dropped. Candidates come from FTS5, the title index and the
    editorial links (never a scan of every body); p50 ≈ 75 ms on 100,000 articles
    (synthetic store; the first call on a store state also prepares the index, ≈ 2 s).
    Raises UnknownArticle (a ValueError) when the id is not in the store.
    """
    _sqlite_only(db)
    try:
        article_id = int(article_id)
    except (TypeError, ValueError):
        raise UnknownArticle(f"no article with id {article_id!r}") from None
    return _cached(db, "more_like_this", (article_id, int(limit)), lambda: _more_like_this(db, article_id, limit))


def _more_like_this(db, article_id: int, limit: int) -> list[dict]:
    rows = _fetch(db, [article_id])
    if not rows:
        raise UnknownArticle(f"no article with id {article_id}")
    src = rows[0]
    idx = prepared_index(db)
    surface: dict[str, str] = {}
    w = idx.weights(_terms(src["title"], src["body"], surface))
    ranked = sorted((t for t in w if idx.df.get(t, 0) >= 2), key=lambda t: -w[t])
    cand = _fts_candidates(db, [(idx.df.get(t, 0), [surface[t]]) for t in ranked], FTS_CANDIDATES + 1)
    cand += idx.title_candidates(_title_key(normalise(_title(src["title"]))), TITLE_CANDIDATES // 2)
    editorial = _editorial(db, src["id"])
    cand += sorted(editorial)
    a = idx.doc(src)
    ta_forms = [[x] for x in a.title_words]
    out = []
    for row in _fetch(db, (c for c in cand if c != src["id"])):
        b = idx.doc(row)
        wb = b.w
        contrib = {t: w[t] * wb[t] for t in w.keys() & wb.keys()}
        body = 100.0 * sum(contrib.values()) / (a.norm * b.norm)
        cov_a, cov_b = _coverage(ta_forms, a.title_w, b.title_words, b.title_w)
        title = 100.0 * (cov_a + cov_b) / 2
        score = MLT_TITLE_WEIGHT * title + (1 - MLT_TITLE_WEIGHT) * body
        same = _same_title(src["title"], row["title"])
        if same >= SAME_TITLE:
            score = max(score, same)
        if score <= 0:
            continue
        # ties by term: contrib's keys come from a set intersection, whose order changed per process
        shared = [surface[t] for t, _ in sorted(contrib.items(), key=lambda kv: (-kv[1], kv[0]))[:SHARED_TERMS]]
        out.append(_out(row, score, title_score=round(title, 1), body_score=round(body, 1),
                        shared_terms=shared, editorial=row["id"] in editorial))
    out.sort(key=lambda d: (-d["score"], not d["editorial"], d["id"]))
    return out[:max(int(limit), 0)]


# --- lookup ---------------------------------------------------------------------------------
def _variants(words: list[str]) -> dict[str, list[str]]:
    """word → curated spelling variants and transliterations (dashboard.queries.search)."""
    try:
        q = parse_query(" ".join(words), variants=True, db=None)
        also = getattr(q, "also_matched", {}) or {}
    except Exception:  # the variants are a help, never a failure
        return {}
    out: dict[str, list[str]] = {}
    for word, vs in also.items():
        out[normalise(word)] = [v for v in (normalise(x) for x in vs) if v]
    return out


def _lookup_weight(n_words: int) -> float:
    """The title's weight in a lookup score, by the text's number of content words."""
    if n_words <= SHORT_WORDS:
        return LOOKUP_TITLE_WEIGHT_SHORT
    if n_words >= LONG_WORDS:
        return LOOKUP_TITLE_WEIGHT_LONG
    f = (n_words - SHORT_WORDS) / (LONG_WORDS - SHORT_WORDS)
    return LOOKUP_TITLE_WEIGHT_SHORT + f * (LOOKUP_TITLE_WEIGHT_LONG - LOOKUP_TITLE_WEIGHT_SHORT)


def lookup(db, text: str, limit: int = 10) -> list[dict]:
    """The articles a pasted title or paragraph most likely comes from, best first.

    text: any length (read up to LOOKUP_MAX_CHARS characters); blank or punctuation
    only → []. Tolerates typos (an unknown word is matched to close index terms,
    fuzz.ratio ≥ TYPO_MIN_RATIO; title words match at fuzz.ratio ≥ WORD_MATCH),
    word order, missing words, case, punctuation, Unicode forms and the spelling
    variants / transliterations of dashboard.queries.search (Lukashenka = Lukashenko).
    Returns dicts: id, score (0–100, one decimal; formula in the module docstring),
    title_score, text_score (its parts, 0–100), published_at, title, is_stub, source,
    shared_terms (the text's words found in the article, most distinctive first).
    Articles scoring 0 are dropped. Raises nothing for odd input (sqlite3 errors of a
    broken store propagate). p50 ≈ 60 ms (paragraph) to 90 ms (title) on 100,000 articles
    once the index is prepared; repeated calls on an unchanged store come from a cache.
    """
    _sqlite_only(db)
    text = (text or "")[:LOOKUP_MAX_CHARS]
    return _cached(db, "lookup", (text, int(limit)), lambda: _lookup(db, text, limit))


def _shared_word(term: str, typed: str, alternatives: set[str], have, title_words: list[str],
                 spelled: dict[str, str]) -> str:
    """How a term of the pasted text that the article holds is named among its shared words: as typed when the
    article has it as typed; else as the article spells it (a title word of the matched term), else as the
    variant was written, else the index term it was corrected to — never the analyst's own typo or spelling."""
    if term in have:
        return typed
    matched = alternatives & set(have)
    words = _stems(title_words)
    for word in title_words:
        if matched.intersection(words[word]):
            return word
    return next((spelled[m] for m in sorted(matched) if m in spelled), min(matched) if matched else typed)


def _lookup(db, text: str, limit: int) -> list[dict]:
    norm = normalise(text)
    words = _content_words(norm) or [x for x in norm.split() if len(x) > 1]
    if not words:
        return []
    idx = prepared_index(db)
    stems = _stems(words)
    tf: Counter = Counter()
    surface: dict[str, str] = {}
    for wd in words:
        for s in stems[wd]:
            tf[s] += 1
            surface.setdefault(s, wd)
    if not tf:
        return []
    # each term's alternatives (index terms) and spellings (MATCH strings, title words)
    alts: dict[str, set[str]] = {t: {t} for t in tf}
    forms: dict[str, list[str]] = {t: [surface[t]] for t in tf}
    by_idf = sorted(tf, key=lambda t: -idx.idf(t))
    variant_map = _variants([surface[t] for t in by_idf[:FTS_MAX_TERMS]])
    spelled: dict[str, str] = {}   # an alternative index term → a word spelling it (a variant as written)
    for t in by_idf[:FTS_MAX_TERMS]:
        for v in variant_map.get(surface[t], []):
            vwords = v.split()
            vstems = _stems(vwords)
            for vw in vwords:
                for s in vstems[vw]:
                    if s not in alts[t]:
                        alts[t].add(s)
                        forms[t].append(vw)
                        spelled.setdefault(s, vw)
    corrected = 0
    for t in by_idf:
        if corrected >= TYPO_MAX_WORDS:
            break
        if idx.df.get(t, 0) == 0 and len(alts[t]) == 1:
            corrected += 1
            for fix in idx.corrections(t):
                alts[t].add(fix)
                forms[t].append(fix)
    # a term weighs what its rarest known spelling weighs (a typo weighs what its correction weighs)
    w: dict[str, float] = {}
    for t, c in tf.items():
        known = [a for a in alts[t] if idx.df.get(a)]
        w[t] = (1 + math.log(c)) * (max(idx.idf(a) for a in known) if known else idx.idf(t))
    total = sum(w.values()) or 1.0
    ranked = sorted(tf, key=lambda t: -w[t])
    cand = _fts_candidates(db, [(sum(idx.df.get(a, 0) for a in alts[t]), forms[t]) for t in ranked],
                           FTS_CANDIDATES)
    if len(words) <= LONG_WORDS:
        cand += idx.title_candidates(_title_key(norm), TITLE_CANDIDATES)
    wt = _lookup_weight(len(words))
    # the text's words for the title comparison: distinct words with their spellings and weights
    q_forms: dict[str, list[str]] = {}
    q_w: dict[str, float] = {}
    for wd in dict.fromkeys(words):
        ts = stems[wd]
        q_forms[wd] = list(dict.fromkeys([wd] + [f for t in ts for f in forms.get(t, [])]))
        q_w[wd] = max([w.get(t, 0.0) for t in ts] + [idx.idf(wd)])
    qa_forms, qa_w = list(q_forms.values()), np.array(list(q_w.values()), dtype=float)
    out = []
    for row in _fetch(db, cand):
        b = idx.doc(row)
        have = b.tf.keys()
        found = [t for t in ranked if not alts[t].isdisjoint(have)]
        text_score = 100.0 * sum(w[t] for t in found) / total
        cov_q, cov_t = _coverage(qa_forms, qa_w, b.title_words, b.title_w)
        title = 100.0 * (LOOKUP_QUERY_SIDE * cov_q + (1 - LOOKUP_QUERY_SIDE) * cov_t)
        score = wt * title + (1 - wt) * text_score
        same = _same_title(text, row["title"])
        if same >= SAME_TITLE:
            score = max(score, same)
        if score <= 0:
            continue
        shared = [_shared_word(t, surface[t], alts[t], have, b.title_words, spelled) for t in found[:SHARED_TERMS]]
        out.append(_out(row, score, title_score=round(title, 1), text_score=round(text_score, 1),
                        shared_terms=list(dict.fromkeys(shared))))
    out.sort(key=lambda d: (-d["score"], d["is_stub"], d["id"]))
    return out[:max(int(limit), 0)]


# --- near-duplicates ---------------------------------------------------------------------
_N_HASHES = LSH_BANDS * LSH_ROWS


@functools.cache
def _lsh_constants():
    """(shingle multipliers, hash a, hash b, row multipliers, band salts): made at first use, so that
    importing this module does not load numpy."""
    rng = np.random.default_rng(20_240_601)   # fixed: the blocking keys are the same on every run
    hash_a = rng.integers(1, 2**63, _N_HASHES, dtype=np.uint64) | np.uint64(1)
    hash_b = rng.integers(0, 2**63, _N_HASHES, dtype=np.uint64)
    shingle_mul = rng.integers(1, 2**63, SHINGLE - 1, dtype=np.uint64) | np.uint64(1)
    row_mul = rng.integers(1, 2**63, LSH_ROWS, dtype=np.uint64) | np.uint64(1)
    band_salt = rng.integers(0, 2**63, LSH_BANDS, dtype=np.uint64)
    return shingle_mul, hash_a, hash_b, row_mul, band_salt
_MIN_SHINGLES = 3             # bodies of fewer than SHINGLE + 2 content words get no band keys
_WORD_MEMO_MAX = 1_000_000    # distinct words whose hash is kept during a pass (≈ 100 MB at most)


def _word_hash(word: str) -> int:
    """A stable, non-zero 64-bit hash of a word (blake2b: Python's str hash changes between runs)."""
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little") or 1


def _stop_memo() -> dict[str, int]:
    # stop words hash to 0, which _band_keys drops before making shingles
    return dict.fromkeys(STOPWORDS, 0)


def _band_keys(hashes: list[int], counts: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """LSH band keys of a batch of bodies: (row numbers, keys), int64 arrays of equal length.

    hashes: the word hashes of the batch's bodies one after the other (0 = stop word);
    counts: the number of words of each body. A body with at least _MIN_SHINGLES shingles
    (ordered SHINGLE-grams of its content words) gets LSH_BANDS keys, each the hash of
    LSH_ROWS of its _N_HASHES min-hashes; done for the whole batch at once (numpy).
    """
    _SHINGLE_MUL, _HASH_A, _HASH_B, _ROW_MUL, _BAND_SALT = _lsh_constants()
    empty = np.empty(0, dtype=np.int64)
    h = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
    row = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    content = h != 0
    h, row = h[content], row[content]
    n = len(h) - (SHINGLE - 1)
    if n <= 0:
        return empty, empty
    sh = h[SHINGLE - 1:].copy()
    for i in range(SHINGLE - 1):
        sh += h[i:i + n] * _SHINGLE_MUL[i]
    inside = row[:n] == row[SHINGLE - 1:]          # a shingle never spans two bodies
    sh, srow = sh[inside], row[:n][inside]
    if not len(sh):
        return empty, empty
    starts = np.flatnonzero(np.r_[True, srow[1:] != srow[:-1]])
    enough = np.diff(np.r_[starts, len(sh)]) >= _MIN_SHINGLES
    mins = np.empty((len(starts), _N_HASHES), dtype=np.uint64)
    tmp = np.empty(len(sh), dtype=np.uint64)
    for k in range(_N_HASHES):
        np.multiply(sh, _HASH_A[k], out=tmp)
        tmp += _HASH_B[k]
        mins[:, k] = np.minimum.reduceat(tmp, starts)
    mins = mins[enough].reshape(-1, LSH_BANDS, LSH_ROWS)
    keys = (mins * _ROW_MUL).sum(axis=2, dtype=np.uint64) + _BAND_SALT
    return np.repeat(srow[starts][enough], LSH_BANDS), keys.ravel().view(np.int64)


KIND_BITS = 60                # a key's top bits say its kind; the other 60 are its hash
KIND_BAND, KIND_LEAD, KIND_TITLE, KIND_TITLE_LESS_ONE = 0, 1, 3, 4
_HASH_MASK = (1 << KIND_BITS) - 1


def _key(kind: int, words) -> int:
    """A stable blocking key (blake2b: the keys are stored, and Python's str hash changes between runs)."""
    h = hashlib.blake2b("\x1f".join(words).encode(), digest_size=8).digest()
    return (int.from_bytes(h, "little") & _HASH_MASK) | (kind << KIND_BITS)


def _batch_keys(rows: list[tuple], memo: dict[str, int]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Blocking keys of a batch of (id, title, body, is_stub) rows: (keys, ids, short ids): int64 arrays
    (see near_duplicate_pairs), each (key, id) once, and the ids of the stubs and short bodies
    (SHORT_BODY_WORDS). Only hashes are kept; the texts are dropped with the batch."""
    keys: list[int] = []
    ids: list[int] = []
    hashes: list[int] = []
    counts: list[int] = []
    short: list[int] = []
    get = memo.__getitem__
    for aid, title, body, is_stub in rows:
        words = normalise(body).split()
        if is_stub or len(words) < SHORT_BODY_WORDS:
            short.append(aid)
        if len(words) >= LEAD_WORDS:
            keys.append(_key(KIND_LEAD, words[:LEAD_WORDS]))
            ids.append(aid)
        try:
            hs = list(map(get, words))    # C-speed look-ups: bodies hold ~500 words each
        except KeyError:
            for w in words:
                if w not in memo:
                    memo[w] = _word_hash(w)
            hs = list(map(get, words))
        hashes += hs
        counts.append(len(hs))
        tw = sorted(set(_content_words(normalise(_title(title)))))
        if tw:
            keys.append(_key(KIND_TITLE, tw))
            ids.append(aid)
        if len(tw) >= 4:   # one word changed or dropped in a headline
            keys.extend(_key(KIND_TITLE_LESS_ONE, tw[:i] + tw[i + 1:]) for i in range(len(tw)))
            ids.extend([aid] * len(tw))
    rownum, band = _band_keys(hashes, counts)
    row_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    keys_a = np.concatenate([np.array(keys, dtype=np.int64), band & np.int64(_HASH_MASK)])
    ids_a = np.concatenate([np.array(ids, dtype=np.int64), row_ids[rownum]])
    return (*_distinct(keys_a, ids_a), short)


def _distinct(keys: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (key, id) pairs once each, sorted by key then id."""
    order = np.lexsort((ids, keys))
    keys, ids = keys[order], ids[order]
    keep = np.r_[True, (keys[1:] != keys[:-1]) | (ids[1:] != ids[:-1])] if len(keys) else np.empty(0, bool)
    return keys[keep], ids[keep]


def store_keys(db, batch: int = NEAR_DUP_BATCH, where: str = "",
               params=()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The blocking keys of the articles (all, or those `where` selects): (keys, ids) sorted and distinct,
    and the sorted ids of the short ones (stubs, bodies under SHORT_BODY_WORDS words).

    Streams the articles from SQLite `batch` rows at a time and keeps only int64 (key, id)
    pairs: ≈ LSH_BANDS + 10 of them (≈ 0.5 kB) per article.
    """
    memo = _stop_memo()
    key_parts, id_parts, short = [], [], []
    cur = db.conn.execute(f"SELECT id, title, body, is_stub FROM articles {where}", list(params))
    while True:
        rows = cur.fetchmany(batch)
        if not rows:
            break
        if len(memo) > _WORD_MEMO_MAX:
            memo = _stop_memo()
        k, i, sh = _batch_keys(rows, memo)
        key_parts.append(k)
        id_parts.append(i)
        short += sh
    short_ids = np.array(sorted(short), dtype=np.int64)
    if not key_parts:
        return np.empty(0, np.int64), np.empty(0, np.int64), short_ids
    return (*_distinct(np.concatenate(key_parts), np.concatenate(id_parts)), short_ids)


def candidates_from_keys(keys: np.ndarray, ids: np.ndarray, short: np.ndarray) -> set[tuple[int, int]]:
    """Candidate pairs (a < b) of distinct (key, id) pairs sorted by key: pairs sharing CONFIRMING_KEYS
    keys, or one key when one of the two is `short` (sorted ids), each key held by 2 to MAX_BUCKET
    articles.

    Bounded blocks: a key held by more than MAX_BUCKET articles pairs none, so an article meets at
    most MAX_BUCKET − 1 others per key and the pairs grow with the store, not its square. Every bucket
    of one size is expanded at once (numpy): pair codes a·2³² + b, counted by np.unique.
    """
    if not len(keys):
        return set()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    usable = (sizes >= 2) & (sizes <= MAX_BUCKET)
    shared, once = [], []
    for size in np.unique(sizes[usable]).tolist():
        st = starts[usable & (sizes == size)]
        members = ids[st[:, None] + np.arange(size)]
        a, b = np.triu_indices(size, 1)
        codes = (members[:, a] << 32) + members[:, b]
        shared.append(codes.ravel())
        codes = codes.ravel()
        once.append(codes[np.isin(codes >> 32, short) | np.isin(codes & 0xFFFFFFFF, short)])
    if not shared:
        return set()
    codes, counts = np.unique(np.concatenate(shared), return_counts=True)
    picked = np.union1d(codes[counts >= CONFIRMING_KEYS], np.concatenate(once))
    return set(zip((picked >> 32).tolist(), (picked & 0xFFFFFFFF).tolist()))


def _candidate_pairs(db, batch: int = NEAR_DUP_BATCH) -> set[tuple[int, int]]:
    """Candidate pairs (a < b) of the whole store (candidates_from_keys of store_keys)."""
    return candidates_from_keys(*store_keys(db, batch))


def _prepared(title, body, is_stub) -> tuple[str, str, int, bool]:
    """What pair scoring needs of an article, normalised once: (title, body, body words, stub).
    The texts are cut at TITLE_MAX_CHARS and BODY_MAX_CHARS (see there)."""
    nt, nb = normalise(_title(title)), normalise(body)[:BODY_MAX_CHARS]
    return nt, nb, (nb.count(" ") + 1 if nb else 0), bool(is_stub)


def _shingles(norm_body: str) -> set[tuple[str, ...]]:
    words = [w for w in norm_body.split() if w not in STOPWORDS]
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _partial(short: str, long: str, cutoff: float) -> float:
    """partial_ratio of the shorter normalised body inside the longer, 0 when fewer than
    CONTAINED of the shorter's shingles occur in the longer (see the constant)."""
    sh = _shingles(short)
    if len(sh) >= _MIN_SHINGLES and len(sh & _shingles(long)) < CONTAINED * len(sh):
        return 0.0
    # partial_ratio's time grows with the cube of the lengths on repetitive text (0.25 s at
    # 2,000 characters in 4,000, 3 s at 4,000, minutes at 20,000): the shorter body's opening
    # is aligned within the longer's, as a teaser or a cut copy starts where its original does.
    return fuzz.partial_ratio(short[:PARTIAL_MAX_CHARS], long[:2 * PARTIAL_MAX_CHARS], processor=None,
                              score_cutoff=cutoff)


def _score(a: tuple, b: tuple, threshold: float, cutoff: float = 0) -> float:
    """pair_score of two `_prepared` articles. With cutoff = threshold, rapidfuzz may stop early
    and a pair below the threshold may score lower than pair_score says (0), never one above."""
    ta, ba, na, sa = a
    tb, bb, nb, sb = b
    short, long = (ba, bb) if len(ba) <= len(bb) else (bb, ba)
    # processor=None: both sides went through normalise in _prepared (idempotent, so the
    # scores equal those with processor=normalise)
    if not sa and not sb and min(na, nb) >= MIN_BODY_WORDS:
        score = fuzz.ratio(ba, bb, processor=None, score_cutoff=cutoff)
        if score < threshold:
            title = fuzz.token_sort_ratio(ta, tb, processor=None, score_cutoff=cutoff)
            if title >= threshold:
                score = max(score, min(title, _partial(short, long, cutoff)))
        return float(score)
    title = fuzz.token_sort_ratio(ta, tb, processor=None, score_cutoff=cutoff)
    if na and nb:
        return float(min(title, _partial(short, long, cutoff))) if title >= cutoff else 0.0
    return float(title)


def pair_score(a: dict, b: dict, threshold: float = NEAR_DUP_THRESHOLD) -> float:
    """How much two articles look like copies of one text, 0–100.

    a, b: dicts with title, body, is_stub. Every comparison is a rapidfuzz scorer on
    `normalise`d text. Both full articles with bodies of ≥ MIN_BODY_WORDS words:
    fuzz.ratio of the bodies (Indel similarity); when that is below `threshold` but
    the titles agree (token_sort_ratio ≥ threshold), a shortened copy still counts:
    min(title, partial_ratio of the shorter body inside the longer). A stub or a
    short body: min(token_sort_ratio of the titles, partial_ratio of the shorter
    body inside the longer); a missing body leaves the title alone to decide.
    partial_ratio counts as 0 when fewer than CONTAINED (0.5) of the shorter body's
    shingles (ordered SHINGLE-grams of content words) occur in the longer: such
    bodies are other texts (the check spares partial_ratio, up to 0.9 s a pair). Absurdly long
    texts are compared on a prefix (TITLE_MAX_CHARS, BODY_MAX_CHARS, PARTIAL_MAX_CHARS).
    Raises KeyError when a dict has no title.
    """
    return _score(_prepared(a["title"], a.get("body"), a.get("is_stub")),
                  _prepared(b["title"], b.get("body"), b.get("is_stub")), threshold)


def _texts(db, ids: Iterable[int]) -> dict[int, tuple]:
    """id → `_prepared` article, for the ids that exist."""
    ids = list(ids)
    out = {}
    for k in range(0, len(ids), 500):
        chunk = ids[k:k + 500]
        sql = f"SELECT id, title, body, is_stub FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
        out.update((r[0], _prepared(r[1], r[2], r[3])) for r in db.conn.execute(sql, chunk))
    return out


def near_duplicate_pairs(db, threshold: float = NEAR_DUP_THRESHOLD) -> list[tuple[int, int, float]]:
    """Verified near-duplicate pairs [(id_a, id_b, score)], id_a < id_b, score ≥ threshold.

    threshold: 0–100 (a pair_score); score: pair_score rounded to one decimal. No
    all-pairs comparison: two articles become a candidate pair when they share
    CONFIRMING_KEYS (2) blocking keys each held by at most MAX_BUCKET articles, or one
    when one of the two is a stub or a body under SHORT_BODY_WORDS words
    (candidates_from_keys; 205 candidates at 10,000 benchmark articles, 2,027 at 100,000, 6,027 at
    300,000, recall of the planted copies 1.0 at each).
    The keys:
      * one of LSH_BANDS bands of LSH_ROWS min-hashes of their bodies' shingles (ordered
        SHINGLE-grams of content words). Bodies whose shingle sets have Jaccard resemblance
        J share a band with p = 1 − (1 − J^LSH_ROWS)^LSH_BANDS = 1 − (1 − J⁴)²⁰: 0.996 at
        J = 0.7, 0.94 at 0.6, 0.73 at 0.5, 1.2e-4 at 0.05. Source of (4, 20): 4 rows need
        b ≥ ln 0.01 / ln(1 − 0.7⁴) = 16.8 bands for p ≥ 0.99 at J = 0.7; 20 leaves a margin.
        On the benchmark store (dashboard/bench.py, 10,000 articles) the planted copies have
        J ≥ 0.76 (p ≥ 0.9997) and unrelated bodies J ≤ 0.07 (99.99 % ≤ 0.056; the generator's
        stock sentences). The earlier 6 bands × 2 rows met at J = 0.05 with p = 0.015:
        501,275 candidates at 100,000 articles; one shared key of 20 × 4, 9,091.
      * their first LEAD_WORDS body words;
      * their set of title content words, or that set less one word (titles of ≥ 4
        content words) — stubs, short bodies and shortened copies.
    Each candidate pair is verified with the rules of `pair_score`, on articles normalised
    once per chunk of VERIFY_ARTICLES and with the threshold as rapidfuzz's score_cutoff
    (it stops early on pairs that cannot reach it; pairs that do score what pair_score
    gives). Deterministic, and the same in every process (the keys are stored: see
    update_near_duplicates): the min-hashes come from blake2b word hashes and a fixed seed,
    the other keys are blake2b hashes of their words. Time ≈ 25 s for
    100,000 articles (benchmark store, one core; 2 s for 10,000); memory: int64 keys and
    ids (≈ 0.5 kB per article), one batch of NEAR_DUP_BATCH texts, and the normalised texts
    of at most VERIFY_ARTICLES candidate articles — peak RSS ≈ 350 MB at 100,000 articles.
    """
    _sqlite_only(db)
    return _verified(db, _candidate_pairs(db), threshold)


def _groups(db, pairs: list[tuple[int, int, float]]) -> list[list[dict]]:
    parent: dict[int, int] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    best: dict[int, float] = {}
    for x, y, s in pairs:
        parent[find(x)] = find(y)
        best[x] = max(best.get(x, 0), s)
        best[y] = max(best.get(y, 0), s)
    comps: dict[int, list[int]] = {}
    for x in parent:
        comps.setdefault(find(x), []).append(x)
    rows = {r["id"]: r for r in _fetch(db, parent)}
    groups = []
    for members in comps.values():
        g = sorted((rows[m] for m in members if m in rows), key=lambda r: (r["published_at"] or "", r["id"]))
        if len(g) >= 2:
            groups.append([_out(r, best[r["id"]]) for r in g])
    groups.sort(key=lambda g: (-len(g), g[0]["published_at"] or "", g[0]["id"]))
    for n, g in enumerate(groups, 1):
        for d in g:
            d["group"] = n
    return groups


def near_duplicates(db, threshold: float = NEAR_DUP_THRESHOLD) -> list[list[dict]]:
    """Groups of near-duplicate articles (republished or lightly edited copies), read-only.

    threshold: minimum `pair_score` (0–100) of a pair; groups are the connected
    components of the pairs, so every member is within threshold of at least one
    other member. Stubs (is_stub=1) group with their full page (title + teaser).
    Returns groups, largest first (then oldest); each a list of dicts id, score
    (the member's best pair score), published_at, title, is_stub, source, group
    (1-based group number), oldest first. Raises nothing on an empty store ([]).
    """
    return _groups(db, near_duplicate_pairs(db, threshold))


def stored_near_duplicates(db) -> list[list[dict]]:
    """The groups of the `near_duplicate` links already in the store (fast: no recomputation).

    Same shape as near_duplicates; [] when none were stored (see store_near_duplicates,
    `python -m dashboard duplicates`).
    """
    pairs = [(a, b, s) for a, b, s in db.conn.execute(
        "SELECT from_id, to_id, coalesce(score, 0) FROM article_links WHERE kind = 'near_duplicate'")]
    return _groups(db, pairs)


def store_near_duplicates(db, threshold: float = NEAR_DUP_THRESHOLD,
                          whole: bool = False) -> tuple[list[list[dict]], int]:
    """Bring the stored `near_duplicate` links up to date and return (all their groups, as
    near_duplicates returns them, number of links stored). See update_near_duplicates."""
    update_near_duplicates(db, threshold, whole)
    return stored_near_duplicates(db), db.conn.execute(
        "SELECT count(*) FROM article_links WHERE kind = 'near_duplicate'").fetchone()[0]


@dataclass
class PassReport:
    """What one update_near_duplicates did: `whole` (True: every article compared with every other),
    `compared` (articles keyed and compared in this pass), `added` / `removed` (links), `reason`."""
    whole: bool
    compared: int = 0
    added: int = 0
    removed: int = 0
    reason: str = ""


def update_near_duplicates(db, threshold: float = NEAR_DUP_THRESHOLD, whole: bool = False) -> PassReport:
    """Store the near-duplicate pairs as article_links (from_id < to_id, score = pair_score) and their
    blocking keys (store.blocks), so that the links are always those a whole pass over the store gives.

    Incremental by default: only the articles imported, changed or deleted since the last pass
    (`pending`) are keyed and compared with the store through the stored keys — what a whole pass
    would give, exactly (tests/test_near_duplicates_incremental.py): the candidate rule depends on a
    pair's shared keys and on whether each is held by at most MAX_BUCKET articles, so besides the new
    articles' pairs only the pairs inside a bucket that crossed MAX_BUCKET are looked at again. A
    whole pass (`whole`, or the first, or another threshold than the last pass's) recomputes every
    key and replaces every link. Editorial links are untouched. In the same transaction the extracted
    events reported more than once by a group are marked as repeats of their earliest report
    (store.repeats). Raises sqlite3.OperationalError on a read-only store, StoreError on PostgreSQL.
    """
    _sqlite_only(db)
    conn = db.conn
    blocks.ensure(conn)
    last = blocks.last_threshold(conn)
    reason = ("--all" if whole else "first pass" if last is None
              else f"threshold {threshold:g} differs from the last pass's {last:g}" if last != float(threshold)
              else "")
    if reason:
        return _whole_pass(db, threshold, reason)
    conn.execute("BEGIN IMMEDIATE")
    try:
        report = _incremental_pass(db, threshold)
        blocks.set_state(conn, threshold, _now())
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return report


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _verified(db, pairs: Iterable[tuple[int, int]], threshold: float) -> list[tuple[int, int, float]]:
    """The candidate pairs (a < b) scoring at least `threshold`: [(a, b, score rounded to 0.1)], sorted.

    Articles are normalised once per chunk of VERIFY_ARTICLES, and the threshold is rapidfuzz's
    score_cutoff (it stops early on pairs that cannot reach it; pairs that do score what pair_score gives)."""
    cutoff = min(max(float(threshold), 0.0), 100.0)
    pairs = sorted(pairs)
    out = []
    start = 0
    while start < len(pairs):
        ids: set[int] = set()
        end = start
        while end < len(pairs) and len(ids) < VERIFY_ARTICLES:
            ids.update(pairs[end])
            end += 1
        texts = _texts(db, ids)
        for x, y in pairs[start:end]:
            if x in texts and y in texts:
                s = _score(texts[x], texts[y], threshold, cutoff)
                if s >= threshold:
                    out.append((x, y, round(s, 1)))
        start = end
    return out


def _whole_pass(db, threshold: float, reason: str) -> PassReport:
    """Every article keyed and compared with every other; keys and links replaced."""
    conn = db.conn
    was = blocks.pending(conn)                 # read before the texts: a change after it stays pending
    keys, ids, short = store_keys(db)
    pairs = _verified(db, candidates_from_keys(keys, ids, short), threshold)
    order = np.argsort(ids, kind="stable")
    by_article = np.split(keys[order], np.flatnonzero(np.diff(ids[order])) + 1) if len(ids) else []
    keyed = np.unique(ids).tolist()
    conn.execute("BEGIN IMMEDIATE")
    try:
        removed = conn.execute("DELETE FROM article_links WHERE kind = 'near_duplicate'").rowcount
        conn.executemany("INSERT OR REPLACE INTO article_links (from_id, to_id, kind, score) "
                         "VALUES (?, ?, 'near_duplicate', ?)", pairs)
        conn.execute("DELETE FROM near_dup_keys")
        conn.executemany("INSERT INTO near_dup_keys (key, article_id) VALUES (?, ?)",
                         zip(keys.tolist(), ids.tolist()))
        conn.executemany("UPDATE near_dup_articles SET keys = ?, pending = max(pending - ?, 0) WHERE article_id = ?",
                         ((k.tobytes(), was.get(a, (0,))[0], a) for a, k in zip(keyed, by_article)))
        conn.execute("UPDATE near_dup_articles SET short = 0 WHERE short = 1")
        conn.executemany("UPDATE near_dup_articles SET short = 1 WHERE article_id = ?", ((a,) for a in short.tolist()))
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS near_dup_keyed (id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.near_dup_keyed")
        conn.executemany("INSERT INTO temp.near_dup_keyed VALUES (?)", ((a,) for a in keyed))
        # articles without keys (no words) and those gone: what was read of them is done
        conn.executemany("UPDATE near_dup_articles SET keys = NULL, pending = max(pending - ?, 0) "
                         "WHERE article_id = ? AND article_id NOT IN (SELECT id FROM temp.near_dup_keyed)",
                         ((n, a) for a, (n, _) in was.items()))
        conn.execute("DELETE FROM near_dup_articles WHERE pending = 0 "
                     "AND article_id NOT IN (SELECT id FROM articles)")
        conn.execute("DROP TABLE temp.near_dup_keyed")
        # the groups decide which reports repeat an event (store.repeats): one event, counted once
        repeats.mark_all(db)
        blocks.set_state(conn, threshold, _now())
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return PassReport(True, len(keyed), len(pairs), removed, reason)


def _usable(size: int) -> bool:
    return 2 <= size <= MAX_BUCKET


def _is_candidate(shared: Iterable[int], size, short: bool) -> bool:
    """candidates_from_keys's rule for one pair, given its shared keys, a key → bucket size function and
    whether one of the two is short."""
    n = 0
    for k in shared:
        if _usable(size(k)):
            if short:
                return True
            n += 1
    return n >= CONFIRMING_KEYS


def _members(conn, keys: list[int]) -> dict[int, list[int]]:
    """key → the articles holding it (the stored keys), for `keys`."""
    out: dict[int, list[int]] = {k: [] for k in keys}
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        for k, a in conn.execute(f"SELECT key, article_id FROM near_dup_keys WHERE key IN ({','.join('?' * len(chunk))})",
                                 chunk):
            out[k].append(a)
    return out


def _incremental_pass(db, threshold: float) -> PassReport:
    """The pending articles keyed and compared with the store, in the caller's write transaction."""
    conn = db.conn
    pend = blocks.pending(conn)
    if not pend:
        return PassReport(False)
    old = {a: (np.frombuffer(k, dtype=np.int64).tolist() if k else []) for a, (_, k) in pend.items()}
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS near_dup_pending (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.near_dup_pending")
    conn.executemany("INSERT INTO temp.near_dup_pending VALUES (?)", ((a,) for a in pend))
    keys, ids, short = store_keys(db, where="WHERE id IN (SELECT id FROM temp.near_dup_pending)")
    short_new = set(short.tolist())
    conn.execute("DROP TABLE temp.near_dup_pending")
    new: dict[int, list[int]] = {}
    for k, a in zip(keys.tolist(), ids.tolist()):
        new.setdefault(a, []).append(k)
    touched = sorted({k for ks in old.values() for k in ks} | set(keys.tolist()))
    before = _members(conn, touched)
    after = {k: set(m) for k, m in before.items()}
    for a, ks in old.items():
        for k in ks:
            after[k].discard(a)
    for a, ks in new.items():
        for k in ks:
            after[k].add(a)
    size_before = {k: len(m) for k, m in before.items()}
    size_after = {k: len(m) for k, m in after.items()}

    # the pending articles' candidates: partners counted over their keys held by at most MAX_BUCKET
    fresh: set[tuple[int, int]] = set()
    for a, ks in new.items():
        shared: dict[int, int] = {}
        for k in ks:
            if not _usable(size_after[k]):
                continue
            for b in after[k]:
                if b != a:
                    shared[b] = shared.get(b, 0) + 1
        # one key is enough when one of the two is short
        once = set(shared) if a in short_new else {b for b, n in shared.items() if n < CONFIRMING_KEYS}
        if once and a not in short_new:
            once &= short_new | _short_stored(conn, once - set(pend))
        fresh.update((min(a, b), max(a, b)) for b, n in shared.items() if n >= CONFIRMING_KEYS or b in once)

    # pairs of stored articles inside a bucket that crossed MAX_BUCKET: their shared keys changed weight
    crossed = [k for k in touched if _usable(size_before[k]) != _usable(size_after[k])]
    gained: set[tuple[int, int]] = set()
    lost: list[tuple[int, int]] = []
    if crossed:
        stay = {b for k in crossed for b in after[k] if b not in pend}
        held = {a: set(np.frombuffer(k, dtype=np.int64).tolist()) for a, k in _blobs(conn, stay).items()}
        short_stay = _short_stored(conn, held)
        pairs = {(x, y) for k in crossed for x in after[k] if x in held for y in after[k] if y in held and x < y}
        other = sorted({j for x, y in pairs for j in held[x] & held[y]} - set(size_after))
        unchanged = {k: len(m) for k, m in _members(conn, other).items()}
        for x, y in sorted(pairs):
            shared_keys = held[x] & held[y]
            either = x in short_stay or y in short_stay
            was = _is_candidate(shared_keys, lambda k: size_before.get(k, unchanged.get(k, 0)), either)
            now = _is_candidate(shared_keys, lambda k: size_after.get(k, unchanged.get(k, 0)), either)
            if now and not was:
                gained.add((x, y))
            elif was and not now:
                lost.append((x, y))

    # the key tables follow the articles
    conn.executemany("DELETE FROM near_dup_keys WHERE key = ? AND article_id = ?",
                     ((k, a) for a, ks in old.items() for k in ks))
    conn.executemany("INSERT INTO near_dup_keys (key, article_id) VALUES (?, ?)",
                     ((k, a) for a, ks in new.items() for k in ks))
    conn.executemany("UPDATE near_dup_articles SET keys = ?, short = ?, pending = max(pending - ?, 0) "
                     "WHERE article_id = ?",
                     ((np.array(new[a], dtype=np.int64).tobytes() if a in new else None, int(a in short_new), n, a)
                      for a, (n, _) in pend.items()))
    conn.execute("DELETE FROM near_dup_articles WHERE pending = 0 AND keys IS NULL "
                 "AND article_id NOT IN (SELECT id FROM articles)")

    # links: those of the pending articles are recomputed, those of a bucket that crossed are kept or dropped
    removed_links = []
    for i in range(0, len(pend), 500):
        chunk = list(pend)[i:i + 500]
        marks = ",".join("?" * len(chunk))
        removed_links += conn.execute(
            f"SELECT from_id, to_id FROM article_links WHERE kind = 'near_duplicate' AND "
            f"(from_id IN ({marks}) OR to_id IN ({marks}))", chunk + chunk).fetchall()
    removed_links += [p for p in lost if conn.execute(
        "SELECT 1 FROM article_links WHERE from_id = ? AND to_id = ? AND kind = 'near_duplicate'", p).fetchone()]
    conn.executemany("DELETE FROM article_links WHERE from_id = ? AND to_id = ? AND kind = 'near_duplicate'",
                     removed_links)
    found = _verified(db, fresh | gained, threshold)
    conn.executemany("INSERT OR REPLACE INTO article_links (from_id, to_id, kind, score) "
                     "VALUES (?, ?, 'near_duplicate', ?)", found)
    # the groups whose links changed: a deleted article's links went with it (ON DELETE CASCADE), so its
    # former partners are found through its keys (a linked pair shared a key held by ≤ MAX_BUCKET)
    touched_articles = set(pend) | {a for p in removed_links for a in p} | {a for x, y, _ in found for a in (x, y)}
    touched_articles |= {b for a, ks in old.items() for k in ks if _usable(size_before[k]) for b in before[k]}
    touched_articles &= {a for (a,) in _existing(conn, touched_articles)}
    repeats.mark_groups(db, touched_articles)
    return PassReport(False, len(new), len(found), len(set(removed_links)))


def _existing(conn, ids: Iterable[int]) -> list[tuple[int]]:
    ids = list(ids)
    out = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out += conn.execute(f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    return out


def _short_stored(conn, ids: Iterable[int]) -> set[int]:
    """Those of `ids` stored as short (stubs, short bodies) at their keying."""
    ids = list(ids)
    out: set[int] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update(a for (a,) in conn.execute(
            f"SELECT article_id FROM near_dup_articles WHERE article_id IN ({','.join('?' * len(chunk))}) "
            "AND short = 1", chunk))
    return out


def _blobs(conn, ids: Iterable[int]) -> dict[int, bytes]:
    ids = list(ids)
    out = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update((a, k) for a, k in conn.execute(
            f"SELECT article_id, keys FROM near_dup_articles WHERE article_id IN ({','.join('?' * len(chunk))}) "
            "AND keys IS NOT NULL", chunk))
    return out

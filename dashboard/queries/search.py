"""Analyst keyword query → a safe FTS5 MATCH expression, a reading and notices.

The query language (keyword box, CLI ``--query``, URL ``q=``)
-------------------------------------------------------------
``talks sanctions``       all words must match (order and case ignored)
``"exact phrase"``        the words next to each other, in that order; also
                          « », “ ”, „ “ quotes. A missing closing quote is
                          added at the end (with a notice). Quoting a single
                          word makes it exact: no spelling variants, no
                          possessive widening.
``russia OR belarus``     either
``-russia``, ``NOT russia``  exclude (minus at the start of a word)
``sanction*``             words starting with "sanction" (at least 2 letters)
``( … )``                 grouping; ``-( … )`` and ``title:( … )`` work too
``title:minsk``           the word in the title (``body:`` for the body);
                          ``title:"exact phrase"``, ``title:sanction*``

AND / OR / NOT are operators only when written in upper case **and** the
query also has a lower-case word (or a word of a script without case). A
query written wholly in capitals — a pasted headline — is plain words:
``TALKS AND SANCTIONS: ARMENIA NOT INVITED`` needs all six words, "and" and
"not" included. ``NEAR`` is never an operator, and ``OR`` alone is a word.
Lower-case ``or`` / ``not`` are words too (a notice says so).

Words are cut where FTS5's unicode61 tokenizer cuts them, on the text after
``textnorm.fold`` (so Ł/ø/Đ/ı/ß and the apostrophes ’ ʼ ‘ meet their plain
forms, as in the index). A typed word that the tokenizer splits becomes a
phrase of its parts:

* hyphens — ``Belarusian-Russian`` is the phrase "belarusian russian" (which
  matches "Belarusian-Russian", "Belarusian Russian") **or** the joined word
  "belarusianrussian"; so ``co-operation`` finds "co-operation",
  "co operation" and "cooperation". (Joined form only for letters-only parts.)
* apostrophes — ``Côte d'Ivoire`` / ``Cote d’Ivoire``: "cote" and the phrase
  "d ivoire". ``'``, ``’``, ``ʼ`` all behave the same.
* possessive ``'s`` — a word ending in 's (``Minsk’s``, ``Georgia's``)
  matches the possessive phrase "minsk s": Minsk's, Minsk’s and Minskʼs
  alike (shared case C01: ``Georgia's`` → exactly {A5, A7}). Decision: the
  possessive is searched as typed, and a notice suggests the plain word for
  every mention ("Minsk"). Switch: POSSESSIVE_ALSO_PLAIN = True makes a bare
  possessive also match the plain word, ranked after the possessive form.
* other punctuation inside a word (``U.S.``, ``10:30``, ``2023-11-21``) →
  a phrase of the parts.

Porter stemming (the index uses ``porter unicode61 remove_diacritics 2``):
``sanction`` finds "sanctions" and "sanctioned"; known side effect: ``news``
also finds "new". A prefix is matched against stemmed words, so a prefix
longer than a word's stem would miss it ("negotiat*" vs the stem "negoti");
a prefix therefore also tries the stems of its usual completions
(negotiat+ion → "negoti*").

Russian words in any form (issue #19): the index also holds the dictionary
forms of the Russian words of title and body (columns ``title_lemmas`` and
``body_lemmas``, made by ``analysis.lemmas`` at import). A term whose words are
all Cyrillic also matches their dictionary forms (``analysis.lemmas.query_lemmas``):
``санкциями`` → "санкция" finds "санкции", "санкций"; a phrase matches the
phrase of dictionary forms ("экономическими санкциями" finds "экономические
санкции"). Not for a prefix (``санкц*`` already finds every ending) nor a
quoted single word (``"санкциями"`` is that form only). A word typed in the
dictionary form needs nothing added: unfiltered terms read every column.
``title:`` and ``body:`` read the column and its dictionary forms
(COLUMN_SETS). Snippets come from the original text; for a page matched only
by another form of the word, queries.articles cuts one around that form and
marks it (``Query.lemmas``). The reading says
"(any form)". Variants (below) of a Russian word are looked up by its
dictionary forms too (``Вашингтоном`` → the group of Вашингтон, Washington),
and a Latin name finds its Cyrillic spelling in any case through
``tables/variants.tsv`` (``Putin`` → Путин → "Путина").

Name variants (``variants=True``): a bare query word (not quoted, not a
prefix, not part of a hyphenated or possessive phrase except for its base)
also matches

a. the other members of its group in ``tables/variants.tsv``
   (Lukashenka ↔ Lukashenko ↔ Лукашенко …);
b. with ``db``: words of the index's own vocabulary (table ``vocab``, the rows of ``articles_fts_vocab``,
   porter stems) that are close: same first letter, fuzz.ratio ≥ 85 against
   the word's stem, the word at least 6 letters, lengths within 2, and every
   edit a vowel-like letter (a e i o u y j, Cyrillic vowels, ь ъ) — so
   Bondarenko finds "bondarenka" and Lukashenka "lukashenko", but
   "protest" never finds "protect", nor "ministry" "minister". At most 3 such words, read from the
   vocabulary the store keeps (store.vocab: the word's letter and length group), or from the whole index,
   read once per data change, when a read-only store lacks that table;
c. for a Cyrillic word: its Latin transliterations (``tables/translit.tsv``,
   Russian and Ukrainian/Belarusian schemes) — with ``db`` only those the
   index holds (plus close ones as in b), without ``db`` all of them — and
   their groups in (a).

``Query.also_matched`` maps each query word (as typed) to what was added.

Special inputs (never an exception):

* blank or white space → filter off (match None, no_words False);
* characters but no word (``"``, ``(``, ``*``, ``-``, ``:``, emoji-only …)
  → no_words True (0 rows) with the hint "No searchable words";
* only exclusions (``-russia``) → no_words True with a notice: FTS5 cannot
  list "everything but"; an exclusion alone inside an OR branch is left out
  with a notice;
* operators that cannot be read (``Russia OR``, ``AND talks``, ``NOT`` at
  the end, ``NOT -x``, brackets nested deeper than MAX_DEPTH) → the literal
  words, operator words included, brackets ignored, ``-word`` still
  excluding, with a notice; a missing ``)`` or ``"`` is closed at the end
  and a stray ``)`` ignored, each with a notice;
* SQL or FTS5 syntax typed as text (``x'); DROP TABLE articles;--``,
  ``NEAR(a b)``, ``{title}: x``, ``^x``) is only words.

Caps: the text is read up to MAX_CHARS characters, MAX_TERMS terms,
MAX_PHRASE_WORDS words in one phrase, MAX_DEPTH levels of brackets and
MAX_VARIANTS added spellings per word; a notice says when one applied.

Safety: nothing typed reaches SQL as text. Every term in ``Query.match`` is a
double-quoted FTS5 string (inner quotes doubled); the only other tokens are
AND, OR, NOT, brackets, ``*``, ``:`` and the column sets ``{title title_lemmas}``
and ``{body body_lemmas}`` (COLUMN_SETS). The
caller binds it: ``WHERE articles_fts MATCH ?``. ``parse_query`` never raises.
"""
from __future__ import annotations

import functools
import re
import sqlite3
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.store import FTS_TOKENIZE  # the index's tokenizer: the probe below must cut words alike
from dashboard.store import vocab as stored_vocab
from dashboard.store.version import store_version
from dashboard.analysis.lemmas import is_cyrillic_word, query_lemmas
from dashboard.analysis.textnorm import fold

from dashboard.knowledge import read_table

SNIPPET_OPEN = "\ue000"
SNIPPET_CLOSE = "\ue001"

MAX_CHARS = 5_000
MAX_TERMS = 24
MAX_PHRASE_WORDS = 32
MAX_DEPTH = 8
MAX_VARIANTS = 10
FUZZY_MIN_LEN = 6
FUZZY_MIN_RATIO = 85
FUZZY_MAX = 3
MIN_PREFIX = 2
POSSESSIVE_ALSO_PLAIN = False
COLUMNS = ("title", "body")
# The index columns a column filter reads: the text and the dictionary forms of its Russian words (v11).
COLUMN_SETS = {"title": "{title title_lemmas}", "body": "{body body_lemmas}"}
VOCAB_TABLE = "articles_fts_vocab"

_APOSTROPHES = "’ʼ‘`´′＇‛"
_DQUOTES = "“”„‟«»″〝〞＂"
_MINUS = "-−"
_HYPHENS = "-‐‑"
_OPS = ("AND", "OR", "NOT")
_VOWELISH = set("aeiouyj" "аеёиоуыэюяіїєўьъ")


@dataclass
class Query:
    """How a keyword box text was read.

    text: the text as given ("" for None).
    match: the FTS5 MATCH expression to bind as a parameter
      (``WHERE articles_fts MATCH ?``), or None when the keyword filter is off
      (blank input) or nothing searchable remains.
    no_words: True when the text had characters but no searchable word (or
      only exclusions): the caller shows 0 rows.
    reading: a sentence for the analyst ("all of: talks, sanctions;
      excluding: invited").
    notices: likely slips, caps and fallbacks, one sentence each.
    also_matched: query word as typed → spellings that were added
      (curated spellings as written in variants.tsv; index words as stored,
      i.e. lower-case porter stems; transliterations lower-case).
    variant_of: signature (see `signature`) of each added spelling → the query
      word as typed, so a matched word can say which query word it stands for.
    lemmas: the dictionary forms the query's Russian words (not those it excludes) added, for
      marking another form of them in a snippet (analysis.lemmas.find_forms).
    """
    text: str
    match: str | None = None
    no_words: bool = False
    reading: str = ""
    notices: list[str] = field(default_factory=list)
    also_matched: dict[str, list[str]] = field(default_factory=dict)
    variant_of: dict[str, str] = field(default_factory=dict)
    lemmas: frozenset[str] = frozenset()   # dictionary forms of the Russian words searched for (not excluded)
    tsquery: str | None = None   # the same query for PostgreSQL's to_tsquery (store.dialect), None with match

    @property
    def active(self) -> bool:
        """True when the keyword filter restricts rows (match set, or no_words → 0 rows)."""
        return self.match is not None or self.no_words


# ---------------------------------------------------------------------------
# The tokenizer, asked directly: a private in-memory FTS5 table per thread.

_local = threading.local()


def fts_probe() -> sqlite3.Connection:
    """This thread's in-memory FTS5 table with the store's tokenizer (`p`) and its vocabulary (`pv`):
    how a word is stemmed is asked of FTS5 itself, never re-implemented (search and similar use it)."""
    conn = getattr(_local, "probe", None)
    if conn is None:
        conn = sqlite3.connect(":memory:")
        conn.execute(f"CREATE VIRTUAL TABLE p USING fts5(x, tokenize='{FTS_TOKENIZE}')")
        conn.execute("CREATE VIRTUAL TABLE pv USING fts5vocab(p, 'instance')")
        _local.probe = conn
    return conn


@functools.lru_cache(maxsize=50_000)
def _fts_tokens(text: str) -> tuple[str, ...]:
    """The tokens (porter stems, lower case) FTS5 makes of `text` (already folded)."""
    try:
        conn = fts_probe()
        with conn:
            conn.execute("INSERT INTO p(rowid, x) VALUES (1, ?)", (text,))
            toks = tuple(t for (t,) in conn.execute("SELECT term FROM pv ORDER BY offset"))
            conn.execute("DELETE FROM p")
        return toks
    except (sqlite3.Error, UnicodeError):
        return tuple(text.lower().split())


def _stem(word: str) -> str:
    toks = _fts_tokens(word)
    return toks[0] if len(toks) == 1 else word.lower()


@functools.lru_cache(maxsize=65_536)
def _is_token_char(c: str) -> bool:
    """True when unicode61 keeps `c` inside a word (asked of FTS5 itself)."""
    if c < "\x80":
        return c.isalnum()
    cat = unicodedata.category(c)
    if cat == "Cs":
        return False
    try:
        conn = fts_probe()
        with conn:
            conn.execute("INSERT INTO p(rowid, x) VALUES (1, ?)", ("a" + c + "a",))
            n = conn.execute("SELECT count(*) FROM pv").fetchone()[0]
            conn.execute("DELETE FROM p")
        return n == 1
    except (sqlite3.Error, UnicodeError):
        return cat[0] in "LN" or cat in ("Co", "Mn")


def _split(text: str) -> tuple[list[str], list[str]]:
    """Word parts of `text` as the tokenizer cuts them, and the separators between them.

    A run of combining marks alone (after a space) makes no token: a separator.
    """
    runs: list[list] = []            # [is_word, text]
    for c in text:
        w = _is_token_char(c)
        if runs and runs[-1][0] == w:
            runs[-1][1] += c
        else:
            runs.append([w, c])
    for r in runs:
        if r[0] and all(unicodedata.category(c)[0] == "M" for c in r[1]):
            r[0] = False
    parts: list[str] = []
    seps: list[str] = []
    sep = ""
    for w, t in runs:
        if w:
            if parts:
                seps.append(sep)
            parts.append(t)
            sep = ""
        else:
            sep += t
    return parts, seps


def _norm(part: str) -> str:
    """A word part as it goes into the MATCH string: folded, lower case."""
    return fold(part).lower()


def _key(word: str) -> str:
    """Comparison key for variant look-up: folded, lower case, no diacritics."""
    s = unicodedata.normalize("NFKD", fold(word).lower())
    return unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.combining(c)))


def _q(words: list[str]) -> str:
    """A double-quoted FTS5 string (inner quotes doubled)."""
    return '"' + " ".join(words).replace('"', '""') + '"'


def _has_cyrillic(s: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in s)


def _lowerish(s: str) -> bool:
    """True when `s` has a lower-case letter or a letter of a script without case."""
    return any(c.islower() or (c.isalpha() and not c.isupper() and not c.istitle()) for c in s)


# ---------------------------------------------------------------------------
# Tables

@functools.cache
def _variant_groups() -> dict[str, tuple[str, ...]]:
    """Key of a spelling → every spelling of its groups (tables/variants.tsv)."""
    out: dict[str, list[str]] = {}
    for cells in read_table("variants.tsv"):
        group = [c for c in cells if c]
        for member in group:
            if " " in member:
                continue
            lst = out.setdefault(_key(member), [])
            for other in group:
                if other not in lst:
                    lst.append(other)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def _translit_table() -> tuple[dict[str, str], dict[str, str]]:
    ru: dict[str, str] = {}
    ukbe: dict[str, str] = {}
    for cells in read_table("translit.tsv"):
        cells = cells + ["", ""]
        if len(cells[0]) != 1:
            continue
        ru[cells[0]] = cells[1]
        ukbe[cells[0]] = cells[2]
    return ru, ukbe


def _transliterate(word: str) -> list[str]:
    """Latin spellings of a (lower-case, folded) Cyrillic word, one per scheme, distinct."""
    out = []
    for table in _translit_table():
        t = "".join(table.get(c, c) for c in word)
        if t and t != word and t not in out and not _has_cyrillic(t):
            out.append(t)
    return out


# ---------------------------------------------------------------------------
# The index's own vocabulary (for fuzzy variants): the stored one (store.vocab, schema v14), else the
# whole FTS vocabulary read once per connection state (a read-only store without the stored tables).

class _StoredVocab:
    """The vocabulary table kept beside the index (store.vocab): a look-up per term, a letter and length
    group per fuzzy word. The same rows as the index's fts5vocab table, so the same answers."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def has(self, term: str) -> bool:
        return self.conn.execute("SELECT 1 FROM vocab WHERE term = ?", (term,)).fetchone() is not None

    def group(self, first: str, lo: int, hi: int) -> list[tuple[str, int]]:
        """(term, docs) of the letters-only terms starting with `first`, lengths lo…hi, in index order."""
        return self.conn.execute("SELECT term, docs FROM vocab WHERE first = ? AND len BETWEEN ? AND ? "
                                 "ORDER BY term", (first, lo, hi)).fetchall()


class _Vocab:
    """The whole vocabulary in memory (the fallback; the fuzzy test compares the two)."""

    def __init__(self, rows):
        self.docs: dict[str, int] = {}
        self.buckets: dict[str, list[str]] = {}
        for term, doc in rows:
            if not isinstance(term, str):
                continue
            self.docs[term] = doc
            if len(term) >= FUZZY_MIN_LEN - 2 and term.isalpha():
                self.buckets.setdefault(term[0], []).append(term)

    def has(self, term: str) -> bool:
        return term in self.docs

    def group(self, first: str, lo: int, hi: int) -> list[tuple[str, int]]:
        return [(t, self.docs[t]) for t in self.buckets.get(first, ()) if lo <= len(t) <= hi]


_vocab_lock = threading.Lock()
# store → (the connection of an in-memory store, or on PostgreSQL the time it was read; its fingerprint; the vocabulary)
_vocab_cache: OrderedDict[str, tuple[sqlite3.Connection | float | None, object, _Vocab]] = OrderedDict()


def _vocab(db, stored: bool = True) -> _StoredVocab | _Vocab | None:
    """The vocabulary of `db`'s articles_fts (None when unavailable): the stored table when it is in step
    with the index (store.vocab.ready), else the whole index read once per data change. Never raises."""
    if getattr(db, "dialect", None) is not None:   # PostgreSQL (issue #20): its own index's words
        return _pg_vocab(db)
    conn = getattr(db, "conn", db)
    if not isinstance(conn, sqlite3.Connection):
        return None
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'").fetchone():
            return None
        if stored and stored_vocab.ready(db):
            return _StoredVocab(conn)
        table = VOCAB_TABLE
        try:
            conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB_TABLE} "
                         "USING fts5vocab(articles_fts, 'row')")
        except sqlite3.Error:  # read-only store: a temp table over main's index
            conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{VOCAB_TABLE} "
                         "USING fts5vocab(main, articles_fts, 'row')")
            table = f"temp.{VOCAB_TABLE}"
        # Keyed on the store and its articles (store.version.store_version), not on the connection:
        # Streamlit runs each rerun on a new thread with a new connection, and reading the
        # vocabulary of a large index costs about a second (BENCHMARKS.md). The version is cheap
        # on every call: one PRAGMA data_version while nothing changed, else a few index look-ups
        # (the FTS5 structure record's cookie, which every write to the index changes, where
        # count(*) over articles costs ~7 ms at 100k and misses stubs upgraded in place).
        v = store_version(conn)
        key, fp = v.store, (v.articles, v.index)
        memory = key.startswith("memory:")
        with _vocab_lock:
            hit = _vocab_cache.get(key)
            if hit and (not memory or hit[0] is conn) and hit[1] == fp:
                _vocab_cache.move_to_end(key)
                return hit[2]
        voc = _Vocab(conn.execute(f"SELECT term, doc FROM {table}"))
        with _vocab_lock:
            _vocab_cache[key] = (conn if memory else None, fp, voc)
            _vocab_cache.move_to_end(key)
            while len(_vocab_cache) > 8:
                _vocab_cache.popitem(last=False)
        return voc
    except (sqlite3.Error, UnicodeError, AttributeError, TypeError):
        return None


def ratio_lengths(n: int, cutoff: float) -> tuple[int, int]:
    """The lengths a string can have and still reach fuzz.ratio ≥ `cutoff` against one of length `n`
    (ratio = 100 · (1 − distance / total length), distance ≥ the difference of the lengths), one more
    each way against rounding: a group read by length holds every term the whole list would score."""
    ok = [m for m in range(0, 4 * n + 4) if 200 * min(n, m) >= cutoff * (n + m)]
    return (max(ok[0] - 1, 0), ok[-1] + 1) if ok else (n, n)


# PostgreSQL's vocabulary (issue #20): the lexemes of the `fts` column with their document counts (ts_stat
# reads every article's tsvector). Kept per store while its largest article id stays, for at most
# PG_VOCAB_SECONDS: PostgreSQL has no cheap mark of "the index changed" (the WAL position moves with every
# write in the cluster), and a stub upgraded in place may wait that long to lend its words to variants.
PG_VOCAB_SQL = "SELECT word, ndoc FROM ts_stat('SELECT fts FROM articles')"
PG_VOCAB_SECONDS = 60.0


def _pg_vocab(db) -> _Vocab | None:
    import time
    try:
        v = store_version(db)
        key, fp = v.store, v.articles
        with _vocab_lock:
            hit = _vocab_cache.get(key)
            if hit and hit[1] == fp and time.monotonic() - hit[0] < PG_VOCAB_SECONDS:
                _vocab_cache.move_to_end(key)
                return hit[2]
        voc = _Vocab(db.execute(PG_VOCAB_SQL).fetchall())
        with _vocab_lock:
            _vocab_cache[key] = (time.monotonic(), fp, voc)
            while len(_vocab_cache) > 8:
                _vocab_cache.popitem(last=False)
        return voc
    except Exception:  # noqa: BLE001 — psycopg.Error and the like: variants without the index's words
        return None


def _vowel_edits_only(a: str, b: str) -> bool:
    from rapidfuzz.distance import Levenshtein
    for op in Levenshtein.editops(a, b):
        if op.tag == "replace" and not (a[op.src_pos] in _VOWELISH and b[op.dest_pos] in _VOWELISH):
            return False
        if op.tag == "insert" and b[op.dest_pos] not in _VOWELISH:
            return False
        if op.tag == "delete" and a[op.src_pos] not in _VOWELISH:
            return False
    return True


def _fuzzy(word: str, voc) -> list[str]:
    """Index terms close to `word` (a lower-case key): see module docstring (b).

    Reads only the terms of the stem's first letter whose length can reach FUZZY_MIN_RATIO, in index
    order: rapidfuzz's best 25 of them are the best 25 of the whole letter (ties go to the earlier term
    either way), so the answer is the whole scan's (test_stored_vocab)."""
    if len(word) < FUZZY_MIN_LEN or not word.isalpha():
        return []
    from rapidfuzz import fuzz, process
    stem = _stem(word)
    lo, hi = ratio_lengths(len(stem), FUZZY_MIN_RATIO)
    rows = voc.group(stem[:1], max(lo, FUZZY_MIN_LEN - 2), hi)
    docs = dict(rows)
    found = []
    for term, score, _ in process.extract(stem, [t for t, _ in rows], scorer=fuzz.ratio,
                                          score_cutoff=FUZZY_MIN_RATIO, limit=25):
        if term == stem or abs(len(term) - len(stem)) > 2:
            continue
        if not _vowel_edits_only(stem, term) or _stem(term) != term:
            continue
        found.append((-score, -docs.get(term, 0), term))
    return [t for _, _, t in sorted(found)[:FUZZY_MAX]]


# ---------------------------------------------------------------------------
# Syntax tree

@dataclass
class _Term:
    raw: str                          # as typed (apostrophes and quotes normalised)
    parts: list[str]                  # word parts as typed
    seps: list[str] = field(default_factory=list)
    quoted: bool = False
    prefix: bool = False
    column: str | None = None
    neg: bool = False
    forms: list[tuple[list[str], bool]] = field(default_factory=list)  # (words, prefix) alternatives
    extra: str = ""                   # reading addition
    n_variants: int = 0
    any_form: bool = False            # Russian words: their dictionary forms were added
    lemma_words: set = field(default_factory=set)   # the words of those forms

    @property
    def words(self) -> list[str]:
        return [_norm(p) for p in self.parts]


@dataclass
class _Group:
    kind: str                         # "and" | "or"
    pos: list = field(default_factory=list)
    negs: list = field(default_factory=list)
    column: str | None = None
    neg: bool = False


@dataclass
class _Tok:
    kind: str                         # LP RP TERM OP
    term: _Term | None = None
    op: str = ""
    neg: bool = False
    column: str | None = None


class _Fallback(Exception):
    """The operators cannot be read: search the literal words instead."""


def _take_modifiers(chunk: str) -> tuple[str, bool, str | None]:
    neg, column = False, None
    while True:
        if chunk and chunk[0] in _MINUS and not neg:
            neg, chunk = True, chunk.lstrip(_MINUS)
            continue
        m = re.match(r"(?i)(" + "|".join(COLUMNS) + "):", chunk)
        if m and column is None:
            column, chunk = m.group(1).lower(), chunk[m.end():]
            continue
        return chunk, neg, column


def _lex(s: str, notices: list[str]) -> list:
    """Raw items: ('LP'|'RP', mods), ('PHRASE', content, closed, prefix, mods), ('CHUNK', text)."""
    items: list = []
    i, n = 0, len(s)
    pending: tuple[bool, str | None] | None = None
    while i < n:
        c = s[i]
        if c.isspace():
            i += 1
            pending = None
            continue
        mods = pending or (False, None)
        pending = None
        if c == "(":
            items.append(("LP", mods))
            i += 1
        elif c == ")":
            items.append(("RP", mods))
            i += 1
        elif c == '"':
            j = s.find('"', i + 1)
            closed = j >= 0
            content = s[i + 1:j] if closed else s[i + 1:]
            i = j + 1 if closed else n
            prefix = False
            if closed and i < n and s[i] == "*":
                prefix = True
                while i < n and s[i] == "*":
                    i += 1
            if not closed and _split(content)[0]:
                notices.append("The closing quote was missing: the phrase was closed at the end.")
            items.append(("PHRASE", content, closed, prefix, mods))
        else:
            j = i
            while j < n and not s[j].isspace() and s[j] not in '()"':
                j += 1
            chunk = s[i:j]
            i = j
            rest, neg, column = _take_modifiers(chunk)
            if not rest and (neg or column) and i < n and s[i] in '("':
                pending = (neg, column)   # applies to the bracket or phrase right after
                continue
            items.append(("CHUNK", chunk))
    return items


def _chunk_term(chunk: str, notices: list[str]) -> _Term | None:
    rest, neg, column = _take_modifiers(chunk)
    if not rest or not _split(rest)[0]:
        if column and not rest:            # "title:" followed by a space: the word itself
            rest, neg, column = chunk.lstrip(_MINUS), chunk[:1] in _MINUS, None
            word = rest.rstrip(":")
            notices.append(f"'{rest}' needs a word right after it ({word}:Minsk); searched for the word {word}.")
        else:
            return None
    prefix = rest.endswith("*")
    body = rest.rstrip("*")
    parts, seps = _split(body)
    if not parts:
        return None
    if prefix and len(_norm(parts[-1])) < MIN_PREFIX and len(parts) == 1:
        notices.append(f"'{rest}': a prefix needs at least {MIN_PREFIX} letters; searched as the word {parts[-1]}.")
        prefix = False
    return _Term(raw=rest, parts=parts, seps=seps, prefix=prefix, column=column, neg=neg)


def _phrase_term(content: str, prefix: bool, mods) -> _Term | None:
    parts, seps = _split(content)
    if not parts:
        return None
    return _Term(raw=f'"{content}"', parts=parts, seps=seps, quoted=True, prefix=prefix,
                 neg=mods[0], column=mods[1])


def _tokens(items: list, notices: list[str]) -> tuple[list[_Tok], bool]:
    """Items → parser tokens. Returns (tokens, operators_on)."""
    toks: list[_Tok] = []
    opwords: list[str] = []
    for it in items:
        if it[0] in ("LP", "RP"):
            toks.append(_Tok(it[0], neg=it[1][0], column=it[1][1]))
        elif it[0] == "PHRASE":
            t = _phrase_term(it[1], it[3], it[4])
            if t is not None:
                toks.append(_Tok("TERM", t))
        else:
            chunk = it[1]
            if chunk in _OPS:
                opwords.append(chunk)
                toks.append(_Tok("OP", _Term(raw=chunk, parts=[chunk]), op=chunk))
                continue
            t = _chunk_term(chunk, notices)
            if t is not None:
                toks.append(_Tok("TERM", t))
    ops_on = any(_lowerish("".join(t.term.parts)) for t in toks if t.kind == "TERM")
    if opwords and not ops_on:
        if all(t.kind == "OP" for t in toks):
            if len(opwords) == 1:
                notices.append(f"{opwords[0]} on its own is searched as a word.")
            else:
                notices.append(f"{' '.join(opwords)} on their own are searched as words.")
        else:
            notices.append("No word is in lower case (a headline pasted in capitals?): AND, OR and NOT are "
                           "searched as words. To use them as operators, type the other words in lower case.")
        toks = [_Tok("TERM", t.term) if t.kind == "OP" else t for t in toks]
    if ops_on:
        seen = set()
        for t in toks:
            if t.kind == "TERM" and not t.term.quoted and not t.term.neg and t.term.raw in ("or", "not", "Or", "Not"):
                w = t.term.raw.lower()
                if w in seen:
                    continue
                seen.add(w)
                if w == "or":
                    notices.append("Lower-case 'or' is searched as a word; write OR for either.")
                else:
                    notices.append("Lower-case 'not' is searched as a word; write NOT word or -word to exclude.")
    if any(t.kind == "TERM" and not t.term.quoted and t.term.raw == "NEAR" for t in toks) and ops_on:
        notices.append("NEAR is searched as a word (this search has no NEAR operator).")
    return toks, ops_on


def _cap(toks: list[_Tok], notices: list[str]) -> list[_Tok]:
    total = sum(1 for t in toks if t.kind == "TERM")
    if total > MAX_TERMS:
        seen, cut = 0, len(toks)
        for k, t in enumerate(toks):
            if t.kind == "TERM":
                seen += 1
                if seen == MAX_TERMS:
                    cut = k + 1
                    break
        toks = toks[:cut]
        while toks and toks[-1].kind in ("OP", "LP"):
            toks.pop()
        notices.append(f"Only the first {MAX_TERMS} of {total} words were searched "
                       f"(a search uses at most {MAX_TERMS}).")
    for t in toks:
        if t.kind == "TERM" and len(t.term.parts) > MAX_PHRASE_WORDS:
            notices.append(f"The phrase {t.term.raw[:40]}… was cut to its first {MAX_PHRASE_WORDS} words.")
            t.term.parts = t.term.parts[:MAX_PHRASE_WORDS]
            t.term.seps = t.term.seps[:MAX_PHRASE_WORDS - 1]
    return toks


def _balance(toks: list[_Tok], notices: list[str]) -> list[_Tok]:
    out, depth, deepest, stray = [], 0, 0, 0
    for t in toks:
        if t.kind == "LP":
            depth += 1
            deepest = max(deepest, depth)
        elif t.kind == "RP":
            if depth == 0:
                stray += 1
                continue
            depth -= 1
        out.append(t)
    if stray:
        notices.append("An unmatched ')' was ignored." if stray == 1 else f"{stray} unmatched ')' were ignored.")
    if depth:
        notices.append("A '(' was not closed: it was closed at the end.")
        out.extend(_Tok("RP") for _ in range(depth))
    if deepest > MAX_DEPTH:
        raise _Fallback(f"brackets are nested more than {MAX_DEPTH} deep")
    return out


def _drop_dangling(toks: list[_Tok], notices: list[str]) -> list[_Tok]:
    """Operators with nothing to join are left out, so a search typed halfway ("Russia OR",
    "AND Belarus", "sanctions NOT") still finds the words it has."""
    out: list[_Tok] = []
    dropped: list[str] = []
    for k, t in enumerate(toks):
        if t.kind == "OP":
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            after_nothing = t.op != "NOT" and (not out or out[-1].kind in ("OP", "LP"))
            before_nothing = nxt is None or nxt.kind == "RP" or (nxt.kind == "OP" and nxt.op != "NOT")
            if after_nothing or before_nothing:
                dropped.append(t.op)
                continue
        out.append(t)
    if dropped:
        notices.append(f"{', '.join(dropped)} with no word on one side was left out.")
    return out


class _Parser:
    def __init__(self, toks: list[_Tok]):
        self.toks = toks
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def parse(self):
        node = self.parse_or()
        if self.peek() is not None:  # cannot happen after _balance; be safe
            raise _Fallback("the brackets do not match")
        return node

    def _operand_follows(self) -> bool:
        t = self.peek()
        return t is not None and t.kind in ("TERM", "LP")

    def parse_or(self):
        branches = [self.parse_and()]
        while (t := self.peek()) is not None and t.kind == "OP" and t.op == "OR":
            self.i += 1
            if not self._operand_follows() or self._empty(branches[0]):
                raise _Fallback("OR needs a word on each side")
            branches.append(self.parse_and())
        if len(branches) == 1:
            return branches[0]
        return _Group("or", pos=branches)

    @staticmethod
    def _empty(node) -> bool:
        return isinstance(node, _Group) and node.kind == "and" and not node.pos and not node.negs

    def parse_and(self):
        g = _Group("and")
        while (t := self.peek()) is not None:
            if t.kind == "RP" or (t.kind == "OP" and t.op == "OR"):
                break
            if t.kind == "OP" and t.op == "AND":
                self.i += 1
                if not (g.pos or g.negs) or not self._operand_follows():
                    raise _Fallback("AND needs a word on each side")
                continue
            if t.kind == "OP" and t.op == "NOT":
                self.i += 1
                if not self._operand_follows():
                    raise _Fallback("NOT needs a word after it")
                node = self.parse_primary()
                if getattr(node, "neg", False):
                    raise _Fallback("NOT and - together exclude twice")
                g.negs.append(node)
                continue
            node = self.parse_primary()
            (g.negs if getattr(node, "neg", False) else g.pos).append(node)
        return g

    def parse_primary(self):
        t = self.peek()
        self.i += 1
        if t.kind == "TERM":
            return t.term
        if t.kind == "LP":
            node = self.parse_or()
            nt = self.peek()
            if nt is None or nt.kind != "RP":
                raise _Fallback("the brackets do not match")
            self.i += 1
            if isinstance(node, _Term):
                node = _Group("and", pos=[node])
            node.neg = t.neg
            node.column = t.column
            return node
        raise _Fallback(f"'{t.op or t.kind}' is out of place")


def _literal(toks: list[_Tok]) -> _Group:
    """Fallback: every word (operators included) must match; brackets ignored; -word still excludes."""
    g = _Group("and")
    for t in toks:
        if t.kind in ("TERM", "OP") and t.term is not None:
            (g.negs if t.term.neg else g.pos).append(t.term)
    return g


def _unique(nodes: list) -> list:
    """A word typed twice in one group is one condition ("Lukashenka Lukashenka …" pasted from a URL
    listed it once per copy in the reading)."""
    seen, out = set(), []
    for n in nodes:
        key = (tuple(n.words), n.quoted, n.prefix, n.column, n.neg) if isinstance(n, _Term) else id(n)
        if key not in seen:
            seen.add(key)
            out.append(n)
    return out


def _simplify(node, notices: list[str], top: bool = False):
    """Drop empty groups; a group with only exclusions is dropped (with a notice) unless at the top."""
    if isinstance(node, _Term):
        return node
    pos = _unique([x for x in (_simplify(c, notices) for c in node.pos) if x is not None])
    negs = _unique([x for x in (_simplify(c, notices) for c in node.negs) if x is not None])
    if node.kind == "or":
        if not pos:
            return None
        if len(pos) == 1 and node.column is None and not node.neg:
            return pos[0]
        return _Group("or", pos=pos, column=node.column, neg=node.neg)
    if not pos:
        if negs and not top:
            notices.append("An exclusion inside a group needs a word to exclude from in the same "
                           f"group; it was left out: {_reading(negs[0])}.")
        if top:
            return _Group("and", pos=[], negs=negs)
        return None
    if len(pos) == 1 and not negs and node.column is None and not node.neg:
        return pos[0]
    return _Group("and", pos=pos, negs=negs, column=node.column, neg=node.neg)


# ---------------------------------------------------------------------------
# Forms and variants of each term

_PREFIX_COMPLETIONS = ("e", "es", "ed", "ing", "ion", "ions", "ive", "y", "ies", "al", "ally", "ly", "ment", "ness")


def _prefix_stems(p: str) -> list[str]:
    """Stems shorter than prefix `p` that its usual completions reduce to (negotiat → negoti)."""
    out = []
    if len(p) < 4 or not p.isalpha():
        return out
    for suf in _PREFIX_COMPLETIONS:
        s = _stem(p + suf)
        if s != p and p.startswith(s) and len(s) >= max(3, len(p) - 4) and s not in out:
            out.append(s)
    return out


class _Ctx:
    def __init__(self, variants: bool, db):
        self.variants = variants
        self.db = db
        self._voc: _StoredVocab | _Vocab | None = None
        self._voc_loaded = False
        self.also: dict[str, list[str]] = {}
        self.variant_of: dict[str, str] = {}
        self.notices: list[str] = []

    @property
    def voc(self) -> _StoredVocab | _Vocab | None:
        if not self._voc_loaded:
            self._voc_loaded = True
            self._voc = _vocab(self.db) if self.db is not None else None
        return self._voc


def signature(text: str) -> str:
    """The porter stems FTS5 makes of `text` (folded first, as the index is), space-joined: a matched
    passage ('Lukashenka', 'Union State') and the query form it matched have the same signature."""
    return " ".join(_fts_tokens(fold(text)))


def _variants_of(part: str, ctx: _Ctx) -> list[str]:
    """Spellings to add for the bare word `part` (display strings, distinct by stem)."""
    key = _key(part)
    voc = ctx.voc
    own = {_stem(key)}
    out: list[str] = []

    def add(v: str) -> None:
        words = [_norm(p) for p in _split(v)[0]]
        if not words:
            return
        sig = " ".join(_stem(w) for w in words)
        if sig in own:
            return
        own.add(sig)
        out.append(v)

    groups = _variant_groups()
    # a Russian word in another form ("Вашингтоном") is looked up by its dictionary forms too
    keys = [key] + ([x for x in query_lemmas(key) if x != key] if is_cyrillic_word(key) else [])
    for k in keys:
        for v in groups.get(k, ()):
            add(v)
    latin = [key]
    if _has_cyrillic(key):
        for t in (t for k in keys for t in _transliterate(k)):
            if t in latin:
                continue
            if voc is None or voc.has(_stem(t)):
                add(t)
            latin.append(t)
            for v in groups.get(t, ()):
                add(v)
    if voc is not None:
        for w in latin:
            for v in _fuzzy(w, voc):
                add(v)
    if len(out) > MAX_VARIANTS:
        ctx.notices.append(f"'{part}' has {len(out)} known spellings; the first {MAX_VARIANTS} were used.")
        out = out[:MAX_VARIANTS]
    return out


def _prepare(term: _Term, ctx: _Ctx) -> None:
    """Fill term.forms (alternatives OR-ed in the MATCH) and the reading extras."""
    _prepare_forms(term, ctx)
    _add_lemma_forms(term)


def _add_lemma_forms(term: _Term) -> None:
    """Russian words in any form (analysis.lemmas): every form of the term whose words are all
    Cyrillic also matches their dictionary forms, which the index holds in its lemma columns (v11).
    A one-word form adds each normal form of the word; a phrase, each word's reading in the index.
    Not for a prefix, nor a quoted single word (quoting one word asks for that form)."""
    if term.prefix or (term.quoted and len(term.words) == 1):
        return
    added = []
    for words, prefix in term.forms:
        if prefix or not all(is_cyrillic_word(w) for w in words):
            continue
        if len(words) == 1:
            alts = [[x] for x in query_lemmas(words[0])]
        else:
            alts = [[query_lemmas(w)[0] for w in words]]
        added += [(a, False) for a in alts if (a, False) not in term.forms and (a, False) not in added]
        term.lemma_words.update(w for a in alts for w in a)
    term.any_form = all(is_cyrillic_word(w) for w in term.words)
    term.forms += added


def _prepare_forms(term: _Term, ctx: _Ctx) -> None:
    words = term.words
    term.forms = [(words, term.prefix)]
    if term.quoted:
        return
    if term.prefix:
        if len(words) == 1:
            for s in _prefix_stems(words[0]):
                term.forms.append(([s], True))
        return
    if len(words) == 1:
        base_part = term.parts[0]
    elif (len(words) >= 2 and words[-1] == "s" and term.seps[-1] == "'"
          and not POSSESSIVE_ALSO_PLAIN):
        base_part = None
        plain = " ".join(term.parts[:-1])
        ctx.notices.append(f"{plain}'s is searched as the possessive; type {plain} to find every mention.")
    elif (len(words) >= 2 and words[-1] == "s" and term.seps[-1] == "'"
          and POSSESSIVE_ALSO_PLAIN):
        base_part = term.parts[-2] if len(words) == 2 else None
        term.forms.append((words[:-1], False))
        term.extra = " ".join(words[:-1])
    else:
        base_part = None
        if all(s in _HYPHENS for s in term.seps) and all(p.isalpha() for p in term.parts) and len(words) <= 4:
            joined = "".join(words)
            term.forms.append(([joined], False))
            term.extra = joined
    if base_part is not None and ctx.variants:
        added = _variants_of(base_part, ctx)
        if added:
            ctx.also.setdefault(base_part, [])
            for v in added:
                if v not in ctx.also[base_part]:
                    ctx.also[base_part].append(v)
                words_v = [_norm(p) for p in _split(v)[0]]
                term.forms.append((words_v, False))
                ctx.variant_of.setdefault(" ".join(_stem(w) for w in words_v), base_part)
            term.n_variants = len(added)


def _walk_terms(node):
    if isinstance(node, _Term):
        yield node
    elif isinstance(node, _Group):
        for c in node.pos + node.negs:
            yield from _walk_terms(c)


# ---------------------------------------------------------------------------
# Output

def _compile(node) -> str:
    if isinstance(node, _Term):
        alts = []
        for words, prefix in node.forms:
            s = _q(words) + (" *" if prefix else "")
            if s not in alts:
                alts.append(s)
        expr = alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"
        return f"{COLUMN_SETS[node.column]} : {expr}" if node.column else expr
    if node.kind == "or":
        expr = "(" + " OR ".join(_compile(c) for c in node.pos) + ")"
    else:
        pos = [_compile(c) for c in node.pos]
        expr = pos[0] if len(pos) == 1 else "(" + " AND ".join(pos) + ")"
        if node.negs:
            negs = [_compile(c) for c in node.negs]
            neg = negs[0] if len(negs) == 1 else "(" + " OR ".join(negs) + ")"
            expr = f"({expr} NOT {neg})"
    return f"{COLUMN_SETS[node.column]} : ({expr})" if node.column else expr


# The same tree for PostgreSQL (issue #20): a to_tsquery text over the store's configuration
# (store.postgres.TS_CONFIG), bound as a parameter. Every word is a quoted operand (inner quotes doubled,
# backslashes escaped); a phrase is its words joined by <->; a prefix is `:*` on the last word; a column
# filter is the weight of that column (title A, body B) on every operand under it.
TS_WEIGHTS = {"title": "A", "body": "B"}


def _ts_word(word: str, prefix: bool, weight: str) -> str:
    label = ("*" if prefix else "") + weight
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'" + (":" + label if label else "")


def _compile_ts(node, weight: str = "") -> str:
    if node.column:
        weight = TS_WEIGHTS[node.column]
    if isinstance(node, _Term):
        alts = []
        for words, prefix in node.forms:
            s = " <-> ".join(_ts_word(w, prefix and i == len(words) - 1, weight) for i, w in enumerate(words))
            s = s if len(words) == 1 else f"({s})"
            if s not in alts:
                alts.append(s)
        return alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")"
    if node.kind == "or":
        return "(" + " | ".join(_compile_ts(c, weight) for c in node.pos) + ")"
    pos = [_compile_ts(c, weight) for c in node.pos]
    expr = pos[0] if len(pos) == 1 else "(" + " & ".join(pos) + ")"
    if node.negs:
        negs = [_compile_ts(c, weight) for c in node.negs]
        expr = f"({expr} & !" + (negs[0] if len(negs) == 1 else "(" + " | ".join(negs) + ")") + ")"
    return expr


def _term_reading(t: _Term) -> str:
    words = t.words
    if t.quoted:
        s = f'"{" ".join(words)}"' + ("*" if t.prefix else "")
    elif t.prefix:
        s = "words starting with " + " ".join(words)
    elif len(words) == 1:
        s = words[0]
    else:
        s = f'"{" ".join(words)}"'
        if t.extra:
            s += f" or {t.extra}"
    if t.any_form:
        s += " (any form)"
    if t.n_variants:
        s += f" (+{t.n_variants} spelling{'s' if t.n_variants > 1 else ''})"
    if t.column:
        s += f" in the {t.column}"
    return s


def _reading(node, top: bool = False) -> str:
    if isinstance(node, _Term):
        return ("all of: " if top else "") + _term_reading(node)
    if node.kind == "or":
        inner = ", ".join(_reading(c) for c in node.pos)
        s = f"any of: {inner}" if top and not node.column else f"any of ({inner})"
    else:
        inner = ", ".join(_reading(c) for c in node.pos)
        ex = ", ".join(_reading(c) for c in node.negs)
        if top and not node.column:
            s = f"all of: {inner}" + (f"; excluding: {ex}" if ex else "")
        else:
            s = f"all of ({inner}" + (f"; excluding {ex}" if ex else "") + ")"
    if node.column:
        s += f" in the {node.column}"
    return s


def _prenormalise(text: str) -> str:
    s = re.sub("[\ud800-\udfff]", "\ufffd", text)          # lone surrogates cannot be encoded
    s = unicodedata.normalize("NFC", s).replace("\x00", " ").replace("\ufeff", "")
    s = s.translate({ord(c): "'" for c in _APOSTROPHES})
    s = s.translate({ord(c): '"' for c in _DQUOTES})
    return s


def _build(text: str, variants: bool, db, notices: list[str]) -> Query:
    q = Query(text)
    s = _prenormalise(text)
    if len(s) > MAX_CHARS:
        notices.append(f"Only the first {MAX_CHARS:,} characters were read.")
        s = s[:MAX_CHARS]
    items = _lex(s, notices)
    toks, ops_on = _tokens(items, notices)
    toks = _cap(toks, notices)
    if not any(t.kind in ("TERM", "OP") for t in toks):
        q.no_words = True
        q.reading = "no searchable words"
        q.notices = ["No searchable words: type a word or a name."]
        return q
    try:
        root = _Parser(_drop_dangling(_balance(toks, notices), notices)).parse()
    except _Fallback as exc:
        notices.append(f"Could not read the operators ({exc}): searched the plain words instead.")
        root = _literal([t for t in toks if t.kind in ("TERM", "OP")])
    root = _simplify(root, notices, top=True)
    if root is None or (isinstance(root, _Group) and not root.pos):
        negs = root.negs if isinstance(root, _Group) else []
        q.no_words = True
        if negs:
            ex = ", ".join(_reading(c) for c in negs)
            q.reading = f"only exclusions: {ex}"
            notices.append(f"Only exclusions were given ({ex}): add at least one word to search for. "
                           "No articles are shown until then.")
        else:
            q.reading = "no searchable words"
            notices.append("No searchable words: type a word or a name.")
        q.notices = notices
        return q
    ctx = _Ctx(variants, db)
    for term in _walk_terms(root):
        _prepare(term, ctx)
    q.match = _compile(root)
    q.tsquery = _compile_ts(root)
    q.reading = _reading(root, top=True)
    q.also_matched = ctx.also
    q.variant_of = ctx.variant_of
    q.lemmas = frozenset(w for t in _positive_terms(root) for w in t.lemma_words)
    q.notices = notices + ctx.notices
    return q


def _positive_terms(node):
    """The terms searched for: not under a NOT or a minus."""
    if isinstance(node, _Term):
        if not node.neg:
            yield node
    elif isinstance(node, _Group) and not node.neg:
        for c in node.pos:
            yield from _positive_terms(c)


def parse_query(text: str | None, *, variants: bool = True, db=None) -> Query:
    """Read the keyword box text into a Query. Never raises.

    text: what the analyst typed (None or blank → filter off: match None,
      no_words False). The language is described in the module docstring.
    variants: add spelling variants of bare query words (curated table,
      transliteration of Cyrillic, and — with `db` — close words of the index).
    db: a sqlite_utils.Database or sqlite3.Connection of the store, used only
      to read the index vocabulary (creates ``articles_fts_vocab`` if missing,
      or a temp one on a read-only store). Optional.

    Returns Query(text, match, no_words, reading, notices, also_matched):
      * match is an FTS5 expression of double-quoted strings joined by
        AND/OR/NOT, brackets, ``*`` and ``title :`` / ``body :``; bind it as a
        parameter: ``WHERE articles_fts MATCH ?``.
      * characters but no searchable word (``"``, ``(``, ``*``, ``-``, ``:``)
        or only exclusions → match None, no_words True and a notice.
      * operators that cannot be read (``Russia OR``) → the literal words,
        with a notice.
    Errors: none raised; a failure inside is reported as a notice and the
    literal words are searched (or no_words if even that fails).
    """
    text = "" if text is None else text
    if not isinstance(text, str):
        text = str(text)
    if not text.strip():
        return Query(text)
    notices: list[str] = []
    try:
        return _build(text, variants, db, notices)
    except Exception:  # noqa: BLE001 — the keyword box must never take the page down
        pass
    try:
        words = [_norm(p) for p in _split(_prenormalise(text)[:MAX_CHARS])[0]][:MAX_TERMS]
    except Exception:  # noqa: BLE001
        words = []
    if not words:
        return Query(text, no_words=True, reading="no searchable words",
                     notices=["No searchable words: type a word or a name."])
    return Query(text, match=" AND ".join(_q([w]) for w in words),
                 tsquery=" & ".join(_ts_word(w, False, "") for w in words),
                 reading="all of: " + ", ".join(words),
                 notices=["The query could not be read as written: searched the plain words instead."])

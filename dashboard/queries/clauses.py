"""One table of clauses turns a Filter into SQL WHERE parts and into the sentence the analyst reads.

Every query that filters rows — events (count, list, CSV), timeline aggregates, notes, the
articles behind a pair — takes its WHERE parts from `where`, so a count, the list under it
and the CSV beside it come from one Filter and cannot disagree. (The Timeline once showed
"Events (13)" above one listed event: direction travelled as an SQL string to the list and the
CSV but not to the count.) As Datasette's filters.py derives both the SQL and the human
description from one table of operators, each clause below gives its SQL and its words.
"""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.analysis.actors import actor_name
from dashboard.queries.filters import Filter
from dashboard.queries.search import parse_query
from dashboard.store import dialect

# Events below this confidence, or with an inferred year, are "uncertain" (marked ⚠ on the Timeline).
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Table:
    """What a clause needs to know of the rows it filters: the alias, the date column, and whether
    the rows are events (sources, QuadClass, direction, certainty and keywords apply to events only)."""
    alias: str
    date: str
    events: bool = False
    about: bool = False     # article_pairs: a pair keeps the articles ABOUT it unless Filter.any_mention


EVENTS = Table("e", "date", events=True)
NOTES = Table("n", "date")
PAIR_ARTICLES = Table("p", "published_date", about=True)   # article_pairs: one row per article and pair


@dataclass(frozen=True)
class Clause:
    sql: str
    params: tuple
    words: str


@dataclass
class Where:
    """SQL for `WHERE {sql}` with its parameters; `empty`: the keyword query can match nothing, so
    callers skip SQL and answer no rows."""
    sql: str
    params: list
    empty: bool = False


def _pair(f: Filter, t: Table, match: str | None) -> Clause | None:
    if f.pair and t.about:
        # `about = 1` written out (not bound): SQLite uses the partial index article_pairs_about only then
        if f.any_mention:
            return Clause(f"{t.alias}.pair_a = ? AND {t.alias}.pair_b = ?", tuple(f.pair),
                          "–".join(f.pair) + " (any mention)")
        return Clause(f"{t.alias}.pair_a = ? AND {t.alias}.pair_b = ? AND {t.alias}.about = 1", tuple(f.pair),
                      "–".join(f.pair) + " (articles about the pair)")
    if f.pair:
        return Clause(f"{t.alias}.pair_a = ? AND {t.alias}.pair_b = ?", tuple(f.pair), "–".join(f.pair))
    if t.about and not f.any_mention:   # every pair (the pair matrix): each one's articles about it
        return Clause(f"{t.alias}.about = 1", (), "all pairs (articles about each)")
    return Clause("", (), "all pairs")


def _direction(f: Filter, t: Table, match: str | None) -> Clause | None:
    if not (t.events and f.pair and f.direction):
        return None
    actor, target = f.pair if f.direction == "ab" else f.pair[::-1]
    return Clause(f"{t.alias}.actor1 = ?", (actor,), f"{actor_name(actor)} acting on {actor_name(target)}")


def _dates(f: Filter, t: Table, match: str | None) -> Clause | None:
    return date_clause(f.date_from, f.date_to, f"{t.alias}.{t.date}") or Clause("", (), "all dates")


def _keyword(f: Filter, t: Table, match: str | None) -> Clause | None:
    if not (t.events and f.query):
        return None
    words = f"keyword {f.query}" + ("" if f.variants else " (as typed)")
    if not match:   # a query of punctuation only: `empty` says so, the words still show it
        return Clause("", (), words)
    # `match` from where(): (the engine's SQL of the matching article ids, the keyword); else words only
    ids, keyword = match if isinstance(match, tuple) else (dialect.SQLITE.article_ids_matching(), match)
    return Clause(f"{t.alias}.article_id IN ({ids})", (keyword,), words)


LANGUAGE_WORDS = {"en": "articles in English", "ru": "articles in Russian", "other": "articles in other languages"}


def language_sql(language: str, column: str) -> str:
    """SQL true for the articles whose `column` (articles.language) is `language`; no parameter: the value
    is one of three constants (a Filter made without build() is checked here too). Raises ValueError."""
    if language not in ("en", "ru", "other"):
        raise ValueError(f"language must be en, ru or other, got {language!r}")
    return f"{column} NOT IN ('en', 'ru')" if language == "other" else f"{column} = '{language}'"


def language_clause(language: str | None, article_id: str) -> Clause | None:
    """The rows whose article (`article_id`: a column holding articles.id) is in `language`."""
    if not language:
        return None
    return Clause(f"{article_id} IN (SELECT id FROM articles WHERE {language_sql(language, 'language')})", (),
                  LANGUAGE_WORDS[language])


def _language(f: Filter, t: Table, match: str | None) -> Clause | None:
    if not (t.events or t.about):
        return None
    return language_clause(f.language, f"{t.alias}.article_id")


def _sources(f: Filter, t: Table, match: str | None) -> Clause | None:
    if not (t.events and f.sources):
        return None
    return Clause(f"{t.alias}.source IN ({', '.join('?' * len(f.sources))})", tuple(f.sources),
                  ("source " if len(f.sources) == 1 else "sources ") + ", ".join(f.sources))


def _quad(f: Filter, t: Table, match: str | None) -> Clause | None:
    if not (t.events and f.quad):
        return None
    return Clause(f"{t.alias}.quad_class IN ({', '.join('?' * len(f.quad))})", tuple(f.quad),
                  "QuadClass " + ", ".join(map(str, f.quad)))


def _certain(f: Filter, t: Table, match: str | None) -> Clause | None:
    if not (t.events and f.hide_uncertain):
        return None
    e = t.alias
    return Clause(f"{e}.year_inferred = 0 AND ({e}.confidence IS NULL OR {e}.confidence >= {MIN_CONFIDENCE})",
                  (), "certain events only")


def _once(f: Filter, t: Table, match: str | None) -> Clause | None:
    """An extracted event reported again by a near-duplicate article counts once (store.repeats):
    always on, one column of the timeline's covering index; no words, as it is not an option."""
    if not t.events:
        return None
    return Clause(f"{t.alias}.repeat_of IS NULL", (), "")


# In the order the sentence reads: "BLR–RUS, Belarus acting on Russia, 2015-01-01 to 2016-12-31, …".
CLAUSES = (_pair, _direction, _dates, _keyword, _language, _sources, _quad, _certain, _once)


# The clauses event_days (store.rollups) holds: its key columns are the pair, the date, the source and the
# QuadClass, and it counts first reports only (_once built in). A filter setting any other clause that
# applies to events — keyword, direction, uncertain events, language, or one added later — is answered
# from events. Without a pair it is not answered either: event_days leaves out events without a pair.
ROLLUP_CLAUSES = (_pair, _dates, _sources, _quad)
EVENT_DAYS = Table("r", "date", events=True)


def rollup_where(f: Filter) -> Where | None:
    """The WHERE parts over event_days `r` giving exactly the events `f` selects, or None when `f` sets
    a clause event_days cannot answer (then read events: where(db, f))."""
    if not f.pair:
        return None
    if any(rule(f, EVENTS, f.query or None) for rule in CLAUSES if rule not in ROLLUP_CLAUSES + (_once,)):
        return None
    parts = [c for c in (rule(f, EVENT_DAYS, None) for rule in ROLLUP_CLAUSES) if c and c.sql]
    return Where(" AND ".join(c.sql for c in parts), [p for c in parts for p in c.params])


def date_clause(date_from: str | None, date_to: str | None, column: str) -> Clause | None:
    """Inclusive bounds on an ISO date column: `column >= ? AND column <= ?` (either may be absent)."""
    parts, params = [], []
    if date_from:
        parts.append(f"{column} >= ?")
        params.append(date_from)
    if date_to:
        parts.append(f"{column} <= ?")
        params.append(date_to)
    if not parts:
        return None
    if date_from and date_to:
        words = f"{date_from} to {date_to}"
    else:
        words = f"from {date_from}" if date_from else f"until {date_to}"
    return Clause(" AND ".join(parts), tuple(params), words)


def where(db, f: Filter, table: Table = EVENTS) -> Where:
    """The WHERE parts of every clause of `f` that applies to `table`, and their parameters.

    The keyword query is parsed with `db`'s vocabulary (spelling variants) only for events."""
    q = parse_query(f.query, variants=f.variants, db=db) if table.events and f.query else None
    d = dialect.of(db)
    match = (d.article_ids_matching(), d.keyword(q)) if q and q.match else None
    clauses = [c for c in (rule(f, table, match) for rule in CLAUSES) if c and c.sql]
    sql = " AND ".join(c.sql for c in clauses) or "1=1"
    return Where(sql, [p for c in clauses for p in c.params], bool(q and q.no_words))


def describe(f: Filter, table: Table = EVENTS) -> str:
    """The filter as the analyst reads it: 'BLR–RUS, Belarus acting on Russia, 2015-01-01 to
    2016-12-31, keyword Iskander, certain events only' ('all pairs, all dates' when nothing is set)."""
    return ", ".join(c.words for c in (rule(f, table, f.query or None) for rule in CLAUSES) if c and c.words)

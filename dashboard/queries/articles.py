"""Queries over articles, shared by the pages and the CLI.

SQL does the filtering (pair through `article_pairs`, dates through the
`articles_published_date` index, keywords through FTS5 MATCH bound as a parameter,
with FTS5 driving the loop when a keyword is given); pages ask for one page of
rows at a time.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from dashboard.queries import clauses
from dashboard.queries.filters import Filter
from dashboard.queries.search import SNIPPET_CLOSE, SNIPPET_OPEN, Query, parse_query
from dashboard.store.version import memo

EXPORT_COLUMNS = ("id", "published_at", "title", "actors", "url", "source", "section", "is_stub", "language")
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
# bm25 weights of the index's columns (store.FTS_COLUMNS): the title's words, also in dictionary form, count 10×
BM25_WEIGHTS = f"{TITLE_WEIGHT}, {BODY_WEIGHT}, {TITLE_WEIGHT}, {BODY_WEIGHT}"
SNIPPET_TOKENS = 24


@dataclass
class Selection:
    """The SQL for a filter.

    query: the parsed keyword query (its `match` is bound as a parameter, never
    spliced); empty: the query can match nothing (punctuation only), so callers
    skip SQL; pair: the sorted actor pair or None; date_from/date_to: inclusive
    'YYYY-MM-DD' bounds on the article's calendar date (published_date) or None;
    any_mention: a pair keeps every article naming both, not only those about it;
    language: None or the articles' detected language ('en', 'ru', 'other').
    """
    query: Query
    empty: bool
    pair: tuple[str, str] | None = None
    date_from: str | None = None
    date_to: str | None = None
    any_mention: bool = False
    language: str | None = None

    def _language(self, article_id: str) -> str:
        c = clauses.language_clause(self.language, article_id)
        return f" AND {c.sql}" if c else ""

    @property
    def _about(self) -> str:
        # written out, not bound: SQLite reads the partial index article_pairs_about only then
        return "" if self.any_mention else " AND p.about = 1"

    def _dates(self, alias: str) -> tuple[str, list]:
        c = clauses.date_clause(self.date_from, self.date_to, f"{alias}.published_date")
        return (f" AND {c.sql}", list(c.params)) if c else ("", [])

    @property
    def by_pair(self) -> bool:
        """True when the rows come from `article_pairs p` in the order of its date index."""
        return bool(self.pair) and not self.query.match

    def source(self, articles: bool = True) -> tuple[str, list]:
        """FROM … WHERE … selecting the matching articles, and its parameters.

        With a keyword, FTS5 drives the loop and each match is checked against the
        pair by a covering-index look-up (CROSS JOIN fixes that order): walking the
        matches of a common word once costs ~10 ms at 100k articles, while letting
        SQLite start from the pair and probe FTS5 per article, or intersect two
        subqueries, costs 5–10× more. Without a keyword, a pair's articles come from
        the index `article_pairs_date`, which carries each article's dates (schema v5).
        `articles=False` leaves out the join to `articles a` (for counts and ranking:
        then only articles_fts.rowid or p.article_id is available).
        """
        join_a = " CROSS JOIN articles a ON a.id = {}" if articles else ""
        if not self.query.match:
            if not self.pair:
                dates, params = self._dates("a")
                lang = f" AND {clauses.language_sql(self.language, 'a.language')}" if self.language else ""
                return "FROM articles a WHERE 1=1" + dates + lang, params
            dates, params = self._dates("p")
            return ("FROM article_pairs p" + join_a.format("p.article_id") +
                    " WHERE p.pair_a = ? AND p.pair_b = ?" + self._about + dates + self._language("p.article_id"),
                    list(self.pair) + params)
        sql, params = "FROM articles_fts", []
        if self.pair:
            sql += (" CROSS JOIN article_pairs p ON p.pair_a = ? AND p.pair_b = ?"
                    " AND p.article_id = articles_fts.rowid" + self._about)
            params += list(self.pair)
            dates, date_params = self._dates("p")
        else:
            dates, date_params = self._dates("a")
            if dates:
                join_a = " CROSS JOIN articles a ON a.id = {}"
        sql += (join_a.format("articles_fts.rowid") + " WHERE articles_fts MATCH ?" + dates
                + self._language("articles_fts.rowid"))
        return sql, params + [self.query.match] + date_params

    def order(self, order: str) -> str:
        """ORDER BY terms for 'date' (newest first), 'oldest' or 'salience' (most about the pair first,
        then newest; 'date' without a pair) over this source (needs articles=True unless by_pair)."""
        t, i = ("p.published_at", "p.article_id") if self.by_pair else ("a.published_at", "a.id")
        if order == "salience" and self.pair:
            return f"p.salience DESC, {t} DESC, {i} DESC"
        return f"{t}, {i}" if order == "oldest" else f"{t} DESC, {i} DESC"


def select(db, f: Filter) -> Selection:
    """Translate a Filter into a Selection (parsed keyword query, pair, dates)."""
    q = parse_query(f.query, variants=f.variants, db=db)
    return Selection(q, q.no_words, tuple(f.pair) if f.pair else None, f.date_from or None, f.date_to or None,
                     f.any_mention, f.language)


def count_articles(db, f: Filter) -> int:
    """Number of articles matching `f`."""
    s = select(db, f)
    if s.empty:
        return 0
    sql, params = s.source(articles=False)
    return db.execute(f"SELECT count(*) {sql}", params).fetchone()[0]


def _actors_sql() -> str:
    return "(SELECT group_concat(actor, ', ') FROM (SELECT actor FROM mentions m WHERE m.article_id = a.id ORDER BY count DESC, actor))"


_PAGE_COLS = ("id", "published_at", "title", "actors", "url", "source", "section", "is_stub", "published_date",
              "language")

def list_articles(db, f: Filter, *, limit: int = 50, offset: int = 0, order: str = "auto") -> list[dict]:
    """One page of articles matching `f`, as dicts with keys
    id, published_at, title, actors, url, source, section, is_stub, published_date, language, snippet.

    order: 'rank' (BM25, title weighted 10× body; equal scores: later import first), 'date' (newest first), 'oldest',
    'salience' (with a pair: most about it first), or 'auto' (rank when a keyword is given, else salience
    with a pair, else date). `snippet` is raw text with
    search.SNIPPET_OPEN/CLOSE around matched words (render.marked_markdown shows it).
    """
    s = select(db, f)
    if s.empty:
        return []
    if order == "auto" or (order == "rank" and not s.query.match):
        order = "rank" if s.query.match else ("salience" if s.pair else "date")
    cols = (f"a.id, a.published_at, a.title, {_actors_sql()} AS actors, a.url, a.source, a.section, a.is_stub, "
            "a.published_date, a.language")
    page = [int(limit), int(offset)]
    if not s.query.match:
        src, params = s.source()
        out = []
        for r in db.execute(f"SELECT {cols}, substr(a.body, 1, 240) {src} ORDER BY {s.order(order)} LIMIT ? OFFSET ?",
                            params + page):
            d = dict(zip(_PAGE_COLS, r))
            snip = (r[-1] or "") + ("…" if len(r[-1] or "") >= 240 else "")
            d["snippet"] = snip
            out.append(d)
        return out
    if order == "rank":
        # Ties in BM25 (republished copies) go to the later import: ordering by a.published_at
        # would read every matching article row, doubling the time of a common word.
        by, (src, params) = "rank, articles_fts.rowid DESC", s.source(articles=False)
    else:
        by, (src, params) = s.order(order), s.source()
    rank = f"bm25(articles_fts, {BM25_WEIGHTS}) AS rank"
    snip = f"snippet(articles_fts, 1, ?, ?, '…', {SNIPPET_TOKENS})"
    marks = [SNIPPET_OPEN, SNIPPET_CLOSE]
    if "*" in s.query.match:
        # A prefix query re-expands its prefix at every FTS5 look-up by rowid: one pass
        # that also makes the snippets is cheaper than 50 look-ups.
        rows = db.execute(f"SELECT articles_fts.rowid, {snip}, {rank} {src} ORDER BY {by} LIMIT ? OFFSET ?",
                          marks + params + page).fetchall()
        ids, snippets = [r[0] for r in rows], {r[0]: r[1] for r in rows}
    else:
        # Rank first (no snippet work for rows off the page), then snippets for the page only.
        ids = [r[0] for r in db.execute(f"SELECT articles_fts.rowid, {rank} {src} ORDER BY {by} LIMIT ? OFFSET ?",
                                        params + page)]
        snippets = {}
        for chunk in _chunks(ids):
            snippets.update(db.execute(
                f"SELECT rowid, {snip} FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN ({_marks(chunk)})",
                marks + [s.query.match] + chunk).fetchall())
    if s.query.lemmas:
        _mark_other_forms(db, snippets, s.query.lemmas)
    found = {}
    for chunk in _chunks(ids):
        found.update((r[0], dict(zip(_PAGE_COLS, r)))
                     for r in db.execute(f"SELECT {cols} FROM articles a WHERE a.id IN ({_marks(chunk)})", chunk))
    out = []
    for i in ids:
        d = found[i]
        d["snippet"] = snippets.get(i) or ""
        out.append(d)
    return out


OTHER_FORM_BEFORE, OTHER_FORM_AFTER = 60, 160   # characters of the text shown around another form


def _mark_other_forms(db, snippets: dict[int, str], lemmas: frozenset[str]) -> None:
    """A page found only through another form of a Russian query word has an unmarked snippet (FTS5 cuts it
    from the body, where that form is not the query's): show the text around the first such form instead,
    the forms marked (analysis.lemmas.find_forms). Still the text as written."""
    from itertools import islice
    from dashboard.analysis.lemmas import MAX_CHARS, find_forms
    plain = [i for i, snip in snippets.items() if SNIPPET_OPEN not in (snip or "")]
    for chunk in _chunks(plain):
        for i, body in db.execute(f"SELECT id, substr(body, 1, {MAX_CHARS}) FROM articles WHERE id IN ({_marks(chunk)})",
                                  chunk).fetchall():
            spans = list(islice(find_forms(body or "", lemmas), 20))
            if not spans:
                continue
            start = max(0, spans[0][0] - OTHER_FORM_BEFORE)
            start = start if start == 0 or body[start - 1].isspace() else body.find(" ", start) + 1
            end = min(len(body), spans[0][1] + OTHER_FORM_AFTER)
            end = end if end == len(body) or body[end].isspace() else max(body.rfind(" ", 0, end), spans[0][1])
            out, pos = ["…" if start else ""], start
            for a, b in spans:
                if a < pos or b > end:
                    continue
                out += [body[pos:a], SNIPPET_OPEN, body[a:b], SNIPPET_CLOSE]
                pos = b
            out += [body[pos:end], "…" if end < len(body) else ""]
            snippets[i] = " ".join("".join(out).split())


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    # SQLite caps the number of bound parameters: a page asked for with a large limit goes in parts.
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


def iter_articles(db, f: Filter, *, limit: int | None = None, batch: int = 2000,
                  order: str = "date") -> Iterator[dict]:
    """Every article matching `f` (or the first `limit`), with EXPORT_COLUMNS keys.

    order: 'date' (newest first, the default: what the pages' CSV export writes), 'oldest', or
    'rank' (BM25 as list_articles; the same as 'date' without a keyword), or 'salience' (with a pair:
    most about it first; else 'date'). Streams in batches so
    that an export of the whole store stays in constant memory. Raises ValueError for another order.
    """
    if order not in ("date", "oldest", "rank", "salience"):
        raise ValueError(f"order must be date, oldest, rank or salience, got {order!r}")
    s = select(db, f)
    if s.empty:
        return
    src, params = s.source()
    by = s.order(order)
    if order == "rank" and s.query.match:
        by = f"bm25(articles_fts, {BM25_WEIGHTS}), articles_fts.rowid DESC"
    sql = (f"SELECT a.id, a.published_at, a.title, {_actors_sql()} AS actors, a.url, a.source, a.section, a.is_stub, "
           f"a.language {src} ORDER BY {by}")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cur = db.execute(sql, params)
    while True:
        rows = cur.fetchmany(batch)
        if not rows:
            return
        for r in rows:
            yield dict(zip(EXPORT_COLUMNS, r))


def get_article(db, article_id: int | str) -> dict | None:
    """The full article row as a dict (with `actors` as [(code, count, kind)]), or None (also for
    an id that is not a whole number 1 … 2**63-1, which no row can have)."""
    from dashboard.queries.filters import parse_id
    try:
        article_id = parse_id(article_id)
    except ValueError:
        return None
    cur = db.execute("SELECT * FROM articles WHERE id = ?", [article_id])
    row = cur.fetchone()
    if row is None:
        return None
    d = dict(zip([c[0] for c in cur.description], row))
    d["actors"] = [tuple(r) for r in db.execute(
        "SELECT actor, count, kind FROM mentions WHERE article_id = ? ORDER BY count DESC, actor", [int(article_id)])]
    return d


def titles(db, ids) -> dict[int, str]:
    """{article id: title} for the given ids (a page's events name their articles); unknown ids are left out."""
    ids = sorted({int(i) for i in ids if i})
    out = {}
    for chunk in _chunks(ids):
        out.update(db.execute(f"SELECT id, title FROM articles WHERE id IN ({_marks(chunk)})", chunk).fetchall())
    return out


def linked_articles(db, article_id: int) -> list[dict]:
    """Articles linked from or to `article_id`, each (article, kind) once: dicts id, title,
    published_at, is_stub, kind, direction ('to', 'from' or 'both'), score."""
    sql = """
    SELECT a.id, a.title, a.published_at, a.is_stub, l.kind, 'to' AS direction, l.score
      FROM article_links l JOIN articles a ON a.id = l.to_id WHERE l.from_id = ?
    UNION ALL
    SELECT a.id, a.title, a.published_at, a.is_stub, l.kind, 'from', l.score
      FROM article_links l JOIN articles a ON a.id = l.from_id WHERE l.to_id = ?
    ORDER BY 5, 3 DESC"""
    cols = ("id", "title", "published_at", "is_stub", "kind", "direction", "score")
    out: dict[tuple, dict] = {}
    for r in db.execute(sql, [int(article_id), int(article_id)]):
        d = dict(zip(cols, r))
        key = (d["id"], d["kind"])
        if key in out:
            out[key]["direction"] = "both"
        else:
            out[key] = d
    return list(out.values())


def top_pairs(db, limit: int = 10, f: Filter | None = None) -> list[dict]:
    """Pairs with the most articles (within the dates of `f`): dicts pair_a, pair_b, articles, events.

    Cached per store version (memo)."""
    dates = (f.date_from, f.date_to) if f else (None, None)
    return memo(db, "top_pairs", (limit, *dates), lambda: _top_pairs(db, limit, f))


def _top_pairs(db, limit: int, f: Filter | None) -> list[dict]:
    c = clauses.date_clause(f.date_from, f.date_to, "p.published_date") if f else None
    where, params = (c.sql, list(c.params)) if c else ("1=1", [])
    sql = f"""
    SELECT p.pair_a, p.pair_b, count(*) AS articles,
           -- a report repeated by a near-duplicate article counts once, as on the timeline
           (SELECT count(*) FROM events e WHERE e.pair_a = p.pair_a AND e.pair_b = p.pair_b
                                          AND e.repeat_of IS NULL) AS events
      FROM article_pairs p
     WHERE {where}
     GROUP BY p.pair_a, p.pair_b ORDER BY articles DESC, p.pair_a, p.pair_b LIMIT ?"""
    return [dict(zip(("pair_a", "pair_b", "articles", "events"), r)) for r in db.execute(sql, params + [limit])]


def article_total(db) -> int:
    """Number of articles in the store, teasers (stubs) included; cached per store version."""
    return memo(db, "article_total", (), lambda: db.execute("SELECT count(*) FROM articles").fetchone()[0])


def store_counts(db) -> dict[str, int]:
    """Totals for the overview: articles, stubs, events, links, actors, imports (cached per store version)."""
    return memo(db, "store_counts", (), lambda: _store_counts(db))


def _store_counts(db) -> dict[str, int]:
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "articles": one("SELECT count(*) FROM articles WHERE is_stub = 0"),
        "stubs": one("SELECT count(*) FROM articles WHERE is_stub = 1"),
        # an event repeated by near-duplicate copies counts once, as on the timeline
        "events": one("SELECT count(*) FROM events WHERE repeat_of IS NULL"),
        "links": one("SELECT count(*) FROM article_links"),
        "actors": one("SELECT count(DISTINCT actor) FROM mentions"),
        "imports": one("SELECT count(*) FROM imports WHERE status = 'imported'"),
    }


def date_bounds(db) -> tuple[str | None, str | None]:
    """Earliest and latest dates (YYYY-MM-DD) of articles and events in the store (indexed look-ups)."""
    found = [d for d in db.execute(
        "SELECT (SELECT min(published_date) FROM articles), (SELECT max(published_date) FROM articles), "
        "(SELECT min(date) FROM events), (SELECT max(date) FROM events)").fetchone() if d]
    return (min(found)[:10], max(found)[:10]) if found else (None, None)


def explorations(db, limit: int = 3) -> list[dict]:
    """Suggested explorations for the Overview (cached per store version): see _explorations."""
    return memo(db, "explorations", (limit,), lambda: _explorations(db, limit))


def _explorations(db, limit: int = 3) -> list[dict]:
    """Suggested explorations for the Overview: dicts label, page, params (URL query parameters).

    Curated ones from tables/explorations.tsv that match articles in this store come
    first; the rest are the busiest year of each most active pair.
    """
    from dashboard.knowledge import read_table
    out = []
    for label, pair, d1, d2, q, page in read_table("explorations.tsv", width=6):
        f = Filter.build(pair=pair, date_from=d1, date_to=d2, query=q)
        if count_articles(db, f):
            out.append({"label": label, "page": page, "params": f.to_params()})
        if len(out) >= limit:
            return out
    for p in top_pairs(db, limit=limit * 2):
        row = db.execute(
            "SELECT substr(p.published_date, 1, 4) y, count(*) n FROM article_pairs p "
            "WHERE p.pair_a = ? AND p.pair_b = ? GROUP BY y ORDER BY n DESC LIMIT 1", [p["pair_a"], p["pair_b"]]).fetchone()
        if not row or not row[0]:
            continue
        f = Filter.build(pair=(p["pair_a"], p["pair_b"]), date_from=f"{row[0]}-01-01", date_to=f"{row[0]}-12-31")
        if any(o["params"].get("pair") == f.pair_text for o in out):
            continue
        out.append({"label": f"{f.pair_text} in {row[0]}, its busiest year", "page": "timeline", "params": f.to_params()})
        if len(out) >= limit:
            break
    return out


def actor_counts(db) -> dict[str, int]:
    """Actor code → number of articles mentioning it plus number of events it takes part in.

    Lists the actors of event-only stores (GDELT, ACLED) too. Cached per store version
    (memo), because the GROUP BY over millions of events costs more than a page run should.
    """
    return memo(db, "actor_counts", (), lambda: _actor_counts(db))


def _actor_counts(db) -> dict[str, int]:
    counts: dict[str, int] = {}
    for sql in ("SELECT actor, count(*) FROM mentions GROUP BY actor",
                "SELECT pair_a, count(*) FROM events WHERE pair_a IS NOT NULL AND repeat_of IS NULL GROUP BY pair_a",
                "SELECT pair_b, count(*) FROM events WHERE pair_b IS NOT NULL AND repeat_of IS NULL GROUP BY pair_b"):
        for code, n in db.execute(sql):
            counts[code] = counts.get(code, 0) + n
    return counts

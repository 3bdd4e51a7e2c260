"""Queries over articles, shared by the pages and the CLI.

SQL does the filtering (pair through `article_pairs`, dates through the
`articles_published_date` index, keywords through FTS5 MATCH bound as a parameter,
with FTS5 driving the loop when a keyword is given); pages ask for one page of
rows at a time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from dashboard.queries import clauses
from dashboard.queries.filters import Filter, parse_order
from dashboard.queries.search import SNIPPET_CLOSE, SNIPPET_OPEN, Query, parse_query, signature
from dashboard.store import dialect, stream
from dashboard.store.version import memo

ARTICLE_COLUMNS = ("id", "published_at", "title", "actors", "url", "source", "section", "is_stub", "language")
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
# bm25 weights of the index's columns (store.FTS_COLUMNS): the title's words, also in dictionary form, count 10×
# (store.dialect.rank; on PostgreSQL the weights of ts_rank_cd)
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
    d: dialect.Dialect = dialect.SQLITE   # the store's engine (store.dialect): the FTS SQL differs

    @property
    def keyword(self) -> str | None:
        """The keyword query as the engine reads it (bound as a parameter)."""
        return self.d.keyword(self.query) if self.query.match else None

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
        d = self.d
        join_a = f" {d.join} articles a ON a.id = {{}}" if articles else ""
        if not self.query.match:
            if not self.pair:
                dates, params = self._dates("a")
                lang = f" AND {clauses.language_sql(self.language, 'a.language')}" if self.language else ""
                return "FROM articles a WHERE 1=1" + dates + lang, params
            dates, params = self._dates("p")
            return ("FROM article_pairs p" + join_a.format("p.article_id") +
                    " WHERE p.pair_a = ? AND p.pair_b = ?" + self._about + dates + self._language("p.article_id"),
                    list(self.pair) + params)
        fts, params = d.fts_from(self.keyword)
        sql = "FROM " + fts
        if self.pair:
            sql += (f" {d.join} article_pairs p ON p.pair_a = ? AND p.pair_b = ?"
                    f" AND p.article_id = {d.fts_id}" + self._about)
            params += list(self.pair)
            dates, date_params = self._dates("p")
        else:
            dates, date_params = self._dates("a")
            if dates:
                join_a = f" {d.join} articles a ON a.id = {{}}"
        match, match_params = d.fts_match(self.keyword)
        sql += (join_a.format(d.fts_id) + " WHERE " + match + dates + self._language(d.fts_id))
        return sql, params + match_params + date_params

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
                     f.any_mention, f.language, dialect.of(db))


def count_articles(db, f: Filter) -> int:
    """Number of articles matching `f`."""
    s = select(db, f)
    if s.empty:
        return 0
    sql, params = s.source(articles=False)
    return db.execute(f"SELECT count(*) {sql}", params).fetchone()[0]


def _actors_sql(d: dialect.Dialect = dialect.SQLITE) -> str:
    if d is dialect.SQLITE:   # its group_concat keeps the subquery's order
        return ("(SELECT group_concat(actor, ', ') FROM (SELECT actor FROM mentions m WHERE m.article_id = a.id "
                "ORDER BY count DESC, actor) AS ordered)")
    return (f"(SELECT {d.group_concat('m.actor', ', ', 'm.count DESC, m.actor')} FROM mentions m "
            "WHERE m.article_id = a.id)")


_PAGE_COLS = ("id", "published_at", "title", "actors", "url", "source", "section", "is_stub", "published_date",
              "language")
# The list's own columns: what the page shows under each title and the CSV carries (see `annotate`).
MATCH_COLUMNS = ("score", "matched_via", "snippet")
EXPORT_COLUMNS = ARTICLE_COLUMNS + MATCH_COLUMNS
PLAIN_SNIPPET_CHARS = 240


def resolve_order(s: "Selection", order: str | None) -> str:
    """The order a list is drawn in: `order` (from the call or the Filter), else the screen's default —
    'rank' with a keyword, 'salience' with a pair, else 'date'. 'rank' without a keyword and 'salience'
    without a pair fall back the same way. Raises ValueError for an unknown order."""
    order = parse_order(order)      # ValueError for an unknown one; 'auto' → None
    if order is None or (order == "rank" and not s.query.match) or (order == "salience" and not s.pair):
        order = "rank" if s.query.match else ("salience" if s.pair else "date")
    return order


def snippet_of(marked: str | None, words: int = SNIPPET_TOKENS) -> str:
    """A snippet cut from a body whose matches are marked (SNIPPET_OPEN/CLOSE): the `words` words from a
    little before the first mark, '…' where cut. For an engine whose snippet function costs more than its
    highlighting (store.dialect: PostgreSQL's ts_headline reads the body once for both)."""
    parts = (marked or "").split()
    if not parts:
        return ""
    first = next((i for i, w in enumerate(parts) if SNIPPET_OPEN in w), 0)
    start = max(0, min(first - words // 4, len(parts) - words))
    # a mark cut by the window is closed or opened again, so the markers stay paired
    text = " ".join(parts[start:start + words])
    if text.count(SNIPPET_OPEN) > text.count(SNIPPET_CLOSE):
        text += SNIPPET_CLOSE
    return ("…" if start else "") + text + ("…" if start + words < len(parts) else "")


def _marked_spans(text: str | None) -> list[str]:
    return re.findall(f"{SNIPPET_OPEN}(.*?){SNIPPET_CLOSE}", text or "", re.S)


def _words_matched(q: Query, marked: str | None) -> str:
    """'Lukashenka ×3 (variant of Lukashenko), sanctions': the passages FTS5 marked in one column, each
    once (as first spelled) with its count, and the query word an added spelling stands for."""
    found: dict[str, list] = {}
    for span in _marked_spans(marked):
        shown = " ".join(span.split())
        sig = signature(shown) or shown.casefold()
        if sig in found:
            found[sig][1] += 1
        else:
            found[sig] = [shown, 1]
    out = []
    for sig, (shown, n) in found.items():
        typed = q.variant_of.get(sig)
        out.append(shown + (f" ×{n}" if n > 1 else "")
                   + (f" (variant of {typed})" if typed and signature(typed) != sig else ""))
    return ", ".join(out)


def annotate(row: dict, q: Query, pair: tuple[str, str] | None, *, title_marked: str | None = None,
             body_marked: str | None = None, snippet: str | None = None, rank: float | None = None,
             pair_link: tuple | None = None) -> dict:
    """Add the list's own columns to an article row, for the page and the CSV alike:

    score: the keyword relevance, -BM25 with the title weighted TITLE_WEIGHT × the body, 2 decimals
      (higher is a better match; None without a keyword);
    matched_via: why the article is in the list, in words: the query's passages found in the title
      and the body (an added spelling names the query word it stands for), and with a pair whether
      the article is about it or only names both, with its salience ('' when nothing filters);
    snippet: the passage around the matches, SNIPPET_OPEN/CLOSE around each (render.marked_markdown),
      or without a keyword the body's first PLAIN_SNIPPET_CHARS characters.
    """
    row["score"] = None if rank is None else round(-rank, 2)
    parts = []
    if q.match:
        for col, marked in (("title", title_marked), ("body", body_marked)):
            words = _words_matched(q, marked)
            if words:
                parts.append(f"{col}: {words}")
    if pair and pair_link is not None:
        salience, about = pair_link
        verdict = f"about {pair[0]}-{pair[1]}" if about else f"names {pair[0]} and {pair[1]}"
        parts.append(f"pair: {verdict}" + (" (not scored)" if salience is None else f", salience {salience:.1f}"))
    row["matched_via"] = "; ".join(parts)
    row["snippet"] = snippet or ""
    return row


def plain_snippet(head: str | None) -> str:
    """The first PLAIN_SNIPPET_CHARS characters of a body (given a longer head), '…' when cut."""
    head = head or ""
    return head[:PLAIN_SNIPPET_CHARS] + ("…" if len(head) > PLAIN_SNIPPET_CHARS else "")


def _pair_links(db, s: Selection, ids: list[int]) -> dict[int, tuple]:
    """{article id: (salience, about)} of the selection's pair for `ids` (empty without a pair)."""
    out: dict[int, tuple] = {}
    if not s.pair:
        return out
    for chunk in _chunks(ids):
        for i, sal, about in db.execute(
                f"SELECT article_id, salience, about FROM article_pairs WHERE pair_a = ? AND pair_b = ? "
                f"AND article_id IN ({_marks(chunk)})", list(s.pair) + chunk):
            out[i] = (sal, bool(about))
    return out


def _fts_parts(d: dialect.Dialect) -> tuple[str, str, list, str, list]:
    """The engine's rank, snippet (and its parameters) and highlight of title and body (and theirs)."""
    snip, snip_params = d.snippet(SNIPPET_TOKENS)
    high, high_params = d.highlight()
    return d.rank(TITLE_WEIGHT, BODY_WEIGHT), snip, snip_params, high, high_params


def list_articles(db, f: Filter, *, limit: int = 50, offset: int = 0, order: str | None = None) -> list[dict]:
    """One page of articles matching `f`, as dicts with keys
    id, published_at, title, actors, url, source, section, is_stub, published_date, language, score, matched_via,
    snippet (see `annotate`).

    order: 'rank' (BM25, title weighted 10× body; equal scores: later import first), 'date' (newest first), 'oldest',
    'salience' (with a pair: most about it first), or None / 'auto' for f.order, else the screen's default
    (`resolve_order`). `snippet` is raw text with search.SNIPPET_OPEN/CLOSE around matched words
    (render.marked_markdown shows it).
    """
    s = select(db, f)
    if s.empty:
        return []
    order = resolve_order(s, order if order not in (None, "auto") else f.order)
    cols = (f"a.id, a.published_at, a.title, {_actors_sql(s.d)} AS actors, a.url, a.source, a.section, a.is_stub, "
            "a.published_date, a.language")
    page = [int(limit), int(offset)]
    if not s.query.match:
        src, params = s.source()
        rows = [dict(zip(_PAGE_COLS, r)) | {"_head": r[-1]} for r in db.execute(
            f"SELECT {cols}, substr(a.body, 1, {PLAIN_SNIPPET_CHARS + 1}) {src} ORDER BY {s.order(order)} "
            "LIMIT ? OFFSET ?", params + page)]
        links = _pair_links(db, s, [r["id"] for r in rows])
        return [annotate(r, s.query, s.pair, snippet=plain_snippet(r.pop("_head")), pair_link=links.get(r["id"]))
                for r in rows]
    d = s.d
    rank, snip, snip_params, high, high_params = _fts_parts(d)
    if order == "rank":
        # Ties in BM25 (republished copies) go to the later import: ordering by a.published_at
        # would read every matching article row, doubling the time of a common word.
        by, (src, params) = f"rank, {d.fts_id} DESC", s.source(articles=False)
    else:
        by, (src, params) = s.order(order), s.source()
    # Rank first (no snippet work for rows off the page), then snippet, score and the marked title and
    # body for the page only (FTS5 re-expands a prefix at each look-up by rowid: a page's worth is cheap).
    ids = [r[0] for r in db.execute(f"SELECT {d.fts_id}, {rank} AS rank {src} ORDER BY {by} LIMIT ? OFFSET ?",
                                    params + page)]
    snippets: dict[int, str] = {}
    extras: dict[int, tuple] = {}      # id → (rank, marked title, marked body)
    fts, fts_params = d.fts_from(s.keyword)
    match, match_params = d.fts_match(s.keyword)
    for chunk in _chunks(ids):
        for r in db.execute(f"SELECT {d.fts_id}, {snip}, {rank}, {high} FROM {fts} "
                            f"WHERE {match} AND {d.fts_id} IN ({_marks(chunk)})",
                            snip_params + high_params + fts_params + match_params + chunk):
            snippets[r[0]], extras[r[0]] = (r[1] if r[1] is not None else snippet_of(r[4])), r[2:]
    if s.query.lemmas:
        # a page found only through another form of a Russian word: its snippet shows that form, marked
        _mark_other_forms(db, snippets, s.query.lemmas)
    found = {}
    for chunk in _chunks(ids):
        found.update((r[0], dict(zip(_PAGE_COLS, r)))
                     for r in db.execute(f"SELECT {cols} FROM articles a WHERE a.id IN ({_marks(chunk)})", chunk))
    links = _pair_links(db, s, ids)
    out = []
    for i in ids:
        rank, title_marked, body_marked = extras.get(i, (None,) * 3)
        out.append(annotate(found[i], s.query, s.pair, title_marked=title_marked, body_marked=body_marked,
                            snippet=snippets.get(i), rank=rank, pair_link=links.get(i)))
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
                  order: str | None = None) -> Iterator[dict]:
    """Every article matching `f` (or the first `limit`), with EXPORT_COLUMNS keys, in the order of the
    Articles page: `order`, else f.order, else the screen's default (`resolve_order`: best match first
    with a keyword, most about the pair with a pair, else newest first). score, matched_via and snippet
    are made by `annotate`, as on the page; the CSV's snippet is plain text (the match markers removed).
    Streams in batches so that an export of the whole store stays in constant memory. Raises ValueError
    for an unknown order.
    """
    s = select(db, f)
    order = resolve_order(s, order if order not in (None, "auto") else f.order)
    if s.empty:
        return
    src, params = s.source()
    by = s.order(order)
    pair_cols = ", p.salience, p.about" if s.pair else ", NULL, NULL"
    base = (f"a.id, a.published_at, a.title, {_actors_sql(s.d)} AS actors, a.url, a.source, a.section, a.is_stub, "
            "a.language" + pair_cols)
    if s.query.match:
        # FTS5 drives the loop: snippet, rank and highlight read the current row's match at no look-up.
        rank, snip, snip_params, high, high_params = _fts_parts(s.d)
        if order == "rank":
            by = f"{rank}, {s.d.fts_id} DESC"
        sql = f"SELECT {base}, {snip}, {rank}, {high} {src} ORDER BY {by}"
        params = snip_params + high_params + params
    else:
        sql = f"SELECT {base}, substr(a.body, 1, {PLAIN_SNIPPET_CHARS + 1}) {src} ORDER BY {by}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cur = stream(db, sql, params) if limit is None else db.execute(sql, params)   # a page: one fetch
    try:
        yield from _export_rows(cur, s, batch)
    finally:
        cur.close()   # a PostgreSQL server-side cursor lives until closed


def _export_rows(cur, s: Selection, batch: int) -> Iterator[dict]:
    n = len(ARTICLE_COLUMNS)
    while True:
        rows = cur.fetchmany(batch)
        if not rows:
            return
        for r in rows:
            row = dict(zip(ARTICLE_COLUMNS, r[:n]))
            link = (r[n], r[n + 1]) if s.pair else None
            if s.query.match:
                snip, rank, title_marked, body_marked = r[n + 2:]
                snip = snip if snip is not None else snippet_of(body_marked)
                annotate(row, s.query, s.pair, title_marked=title_marked, body_marked=body_marked,
                         snippet=snip, rank=rank, pair_link=link)
            else:
                annotate(row, s.query, s.pair, snippet=plain_snippet(r[n + 2]), pair_link=link)
            row["snippet"] = unmark(row["snippet"])
            yield row


def unmark(text: str | None) -> str:
    """`text` without the SNIPPET_OPEN/CLOSE match markers (plain text for a CSV)."""
    return (text or "").replace(SNIPPET_OPEN, "").replace(SNIPPET_CLOSE, "")


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
    d.pop("fts", None)      # PostgreSQL's tsvector column (store.postgres): the index, not the article
    d["actors"] = [tuple(r) for r in db.execute(
        "SELECT actor, count, kind FROM mentions WHERE article_id = ? ORDER BY count DESC, actor", [int(article_id)])]
    return d


def article_matches(db, article_id: int, f: Filter) -> dict | None:
    """An opened article read against `f`'s keyword query: dicts title and body (the stored text with
    SNIPPET_OPEN/CLOSE around every passage FTS5 matched, as the list's snippet marks them), score and
    matched_via (`annotate`, as in the list and the CSV). None without a keyword, or when the article
    does not match it."""
    s = select(db, f)
    if not s.query.match:
        return None
    rank, _, _, high, high_params = _fts_parts(s.d)
    fts, fts_params = s.d.fts_from(s.keyword)
    match, match_params = s.d.fts_match(s.keyword)
    r = db.execute(f"SELECT {rank}, {high} FROM {fts} WHERE {match} AND {s.d.fts_id} = ?",
                   high_params + fts_params + match_params + [int(article_id)]).fetchone()
    if r is None:
        return None
    link = _pair_links(db, s, [int(article_id)]).get(int(article_id))
    row = annotate({}, s.query, s.pair, title_marked=r[1], body_marked=r[2], rank=r[0], pair_link=link)
    return {"title": r[1] or "", "body": r[2] or "", "score": row["score"], "matched_via": row["matched_via"]}


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
    # kept in the store only without dates: every date range an analyst tries would add a row
    return memo(db, "top_pairs", (limit, *dates), lambda: _top_pairs(db, limit, f), keep=dates == (None, None))


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
    return memo(db, "article_total", (), lambda: db.execute("SELECT count(*) FROM articles").fetchone()[0], keep=True)


def store_counts(db) -> dict[str, int]:
    """Totals for the overview: articles, stubs, events, links, actors, imports (cached per store version)."""
    return memo(db, "store_counts", (), lambda: _store_counts(db), keep=True)


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
    return memo(db, "explorations", (limit,), lambda: _explorations(db, limit), keep=True)


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
    return memo(db, "actor_counts", (), lambda: _actor_counts(db), keep=True)


def _actor_counts(db) -> dict[str, int]:
    counts: dict[str, int] = {}
    for sql in ("SELECT actor, count(*) FROM mentions GROUP BY actor",
                "SELECT pair_a, count(*) FROM events WHERE pair_a IS NOT NULL AND repeat_of IS NULL GROUP BY pair_a",
                "SELECT pair_b, count(*) FROM events WHERE pair_b IS NOT NULL AND repeat_of IS NULL GROUP BY pair_b"):
        for code, n in db.execute(sql):
            counts[code] = counts.get(code, 0) + n
    return counts

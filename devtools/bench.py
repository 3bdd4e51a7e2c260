"""`python -m dashboard bench`: how fast the product is on a synthetic corpus, against the targets of issue #17.

One run (BENCHMARKS.md says what each figure means):

1. generates a corpus with devtools.generate in a subprocess (cached in the work directory by size,
   events and seed), or reuses it;
2. imports its JSON Lines (articles/s, peak RSS of the importer and its workers) and its GDELT 2.0 file
   (rows/s) into a fresh store through `ingest.import_paths`, the importer the CLI uses, and measures the
   store on disk (KB per article); a sample of the page-text files goes into a scratch store (pages/s);
3. runs seeded analyst queries drawn without repeats (KINDS in turn), each REPEATS times warm, through
   the functions the pages call ("ours"), as tuned hand-written SQL doing the same work on the same
   indexes ("raw", whose answers must equal ours: `answers_differ`), and the naive way (pandas and
   rapidfuzz over everything; its peak RSS); p50/p95 per kind and the median of per-query ratios;
4. runs the first COLD_PER_KIND queries of each filter kind once in a fresh process (cold), and
   `python -m dashboard articles` end to end CLI_RUNS times;
5. times similar.near_duplicate_pairs once and checks it against the generator's republications; last (it
   changes the store), stores the blocking keys with a whole pass, imports 1,000 new articles (20 of them
   copies of stored ones) and times the incremental pass, with its recall;
6. runs each Streamlit page through AppTest in its own subprocess: its first run after a server start,
   its warm reruns, the process's peak RSS;
7. writes benchmarks/results/<YYYY-MM-DD>-<size>.json and prints Markdown tables with the targets.

Nothing in the bench process holds the corpus except the naive comparison (`--skip-naive` at 1M).
Timings are wall-clock (time.perf_counter); the machine (cores, memory, load average) is recorded beside them.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from dashboard.queries import articles as art
from dashboard.queries import events as ev
from devtools import generate as gen
from dashboard.queries import timeline as tl
from dashboard.queries.export import write_csv
from dashboard.queries.filters import Filter, next_day
from dashboard.queries import similar
from dashboard.queries.search import parse_query
from dashboard.store import PROJECT_ROOT, open_store

KINDS = ("pair_date", "pair_keyword", "keyword_variants", "timeline_month", "events_page", "csv_export",
         "similar", "lookup")
FILTER_KINDS = ("pair_date", "pair_keyword", "keyword_variants", "timeline_month", "events_page", "csv_export")
KEYWORD_PAIR_KINDS = ("pair_date", "pair_keyword", "keyword_variants")
PAGE_ROWS = 25                  # articles page size (ui.PAGE_SIZE)
REPEATS = 3                     # runs of each query, ours and raw interleaved; the median counts
FIRST_RUN_KINDS = ("similar", "lookup")   # similar.py memoises its answers: only the first run is a real one
EVENT_ROWS = 100                # events page size (pages/events.py)
EXPORT_ROWS = 10_000
PAGES_SAMPLE = 500              # page-text files imported to measure pages/s
DEFAULT_WORKDIR = Path(os.environ.get("TMPDIR", "/tmp")) / "relations-bench"
RESULTS_DIR = PROJECT_ROOT / "benchmarks" / "results"
APPTEST_TIMEOUT = 600
RSS_SAMPLE_S = 0.1
PAGE_WARM_RUNS = 3              # reruns of each page after its first (cold) run; the median counts
COLD_PER_KIND = 5               # distinct queries of each filter kind run once in a fresh process
CLI_RUNS = 5                    # end-to-end runs of `python -m dashboard articles`
IMPORT_WORKERS = os.cpu_count() or 1   # what `python -m dashboard import` uses by default
NEAR_DUP_TIMEOUT = 330          # seconds similar.near_duplicate_pairs may take before it is stopped (target 300)
CODE_FILES = ("dashboard/queries/articles.py", "dashboard/queries/events.py",
              "dashboard/queries/timeline.py", "dashboard/queries/search.py", "dashboard/queries/export.py",
              "dashboard/queries/similar.py", "dashboard/analysis/extract.py", "dashboard/analysis/actors.py",
              "dashboard/analysis/dates.py", "dashboard/store/__init__.py", "dashboard/ingest/__init__.py",
              "dashboard/ingest/write.py", "dashboard/ingest/gdelt.py", "dashboard/ingest/tabular.py",
              "devtools/generate.py", "devtools/bench.py")

KEYWORDS = ("sanctions", "gas", "potash", "Iskander", "visa", "border", "migrants", "loan", "election",
            "oil transit", "refinery", "pipeline", "ceasefire", "exercises", "nuclear power plant",
            "Union State", "sanction*", "gas OR oil", "border -migrants", '"air defence"')
VARIANT_WORDS = ("Lukashenka", "Lukashenko", "Ostrovets", "Astravyets", "Grodno", "Hrodna", "Kiev", "Odessa",
                 "Mogilev", "Gomel", "Zelenskiy", "Byelorussia", "Volkovysk", "Kharkov", "Lvov")

# The targets of issue #17: name, key (see `_target_value`), target, comparison, unit
TARGETS = (
    ("pair + keyword p50", "pair_keyword.p50", 50, "<=", "ms"),
    ("pair + keyword p95", "pair_keyword.p95", 200, "<=", "ms"),
    ("timeline per month p50", "timeline_month.p50", 30, "<=", "ms"),
    ("timeline per month p95", "timeline_month.p95", 100, "<=", "ms"),
    ("similar lookup p50 (the slower of more_like_this and lookup)", "similar_lookup", 150, "<=", "ms"),
    ("every page's run, warm (slowest page)", "page_warm", 500, "<=", "ms"),
    ("every page's first run after a server start (slowest page)", "page_first", 2000, "<=", "ms"),
    ("CLI articles end to end p50", "cli_articles", 400, "<=", "ms"),
    ("import with extraction", "import_articles", 1000, ">=", "articles/s"),
    ("import with extraction peak RSS", "import_rss", 400, "<=", "MB"),
    ("GDELT import", "import_gdelt", 50_000, ">=", "rows/s"),
    ("near-duplicate pass, whole store", "near_dup_whole", 300, "<=", "s"),
    ("near-duplicate pass, incremental per 1,000 new articles", "near_dup_incremental", 5, "<=", "s"),
    ("ours/tuned raw, median of per-query ratios (filter kinds)", "ours_raw_all", 1.3, "<=", "×"),
    ("store size per article (with its events)", "store_kb", 13.3, "<=", "KB"),
)


# --------------------------------------------------------------------------- queries

@dataclass
class Query:
    kind: str
    params: dict                       # JSON-able description
    filter: Filter | None = None
    article_id: int | None = None      # similar
    text: str | None = None            # lookup
    expect: int | None = None          # lookup: the article the text was taken from
    table: str = "events"              # csv_export: events | articles
    ours: float | None = None          # median of REPEATS runs, ms
    ours_first: float | None = None    # the first run (cold caches: the similarity index, the vocabulary)
    raw: float | None = None
    naive: float | None = None
    result: dict = field(default_factory=dict)


def _weighted_pair(rng: random.Random) -> tuple[str, str]:
    pairs = [(a, b) for a, b, _ in gen.PAIRS]
    a, b = rng.choices(pairs, weights=[w for _, _, w in gen.PAIRS])[0]
    return tuple(sorted((a, b)))


def _date_range(rng: random.Random) -> tuple[str, str]:
    y = rng.randint(gen.FIRST_YEAR, gen.LAST_YEAR - 1)
    span = rng.choice((0, 1, 2, 3, 5))
    m = rng.choice((1, 1, 4, 7))
    return f"{y}-{m:02d}-01", f"{min(y + span, gen.LAST_YEAR)}-12-31"


def _random_article(db, rng: random.Random, top: int) -> int:
    """A random stored (non-stub) article id, found through the primary key: no list of every id."""
    for _ in range(20):
        row = db.execute("SELECT id FROM articles WHERE id >= ? AND is_stub = 0 ORDER BY id LIMIT 1",
                         [rng.randint(1, max(top, 1))]).fetchone()
        if row:
            return row[0]
    return 0


def _draw(kind: str, i: int, rng: random.Random, db, top: int) -> Query:
    """One query of `kind` drawn with `rng` (see build_queries)."""
    pair = _weighted_pair(rng)
    if kind == "pair_date":
        d1, d2 = _date_range(rng)
        f = Filter.build(pair=pair, date_from=d1, date_to=d2)
    elif kind == "pair_keyword":
        d1, d2 = _date_range(rng) if rng.random() < 0.3 else (None, None)
        f = Filter.build(pair=pair, query=rng.choice(KEYWORDS), date_from=d1, date_to=d2)
    elif kind == "keyword_variants":
        d1, d2 = _date_range(rng) if rng.random() < 0.5 else (None, None)
        f = Filter.build(query=rng.choice(VARIANT_WORDS), variants=True, date_from=d1, date_to=d2)
    elif kind == "timeline_month":
        d1, d2 = _date_range(rng) if rng.random() < 0.5 else (None, None)
        f = Filter.build(pair=pair, date_from=d1, date_to=d2)
    elif kind == "events_page":
        d1, d2 = _date_range(rng) if rng.random() < 0.6 else (None, None)
        quad = rng.choice(((), (), (1,), (3, 4)))
        f = Filter.build(pair=pair, date_from=d1, date_to=d2, quad=quad)
    elif kind == "csv_export":
        d1, d2 = (f"{rng.randint(gen.FIRST_YEAR, gen.LAST_YEAR - 6)}-01-01", None) if rng.random() < 0.5 else (None, None)
        f = Filter.build(pair=pair, date_from=d1, date_to=d2)
        table = rng.choice(("events", "articles"))
        return Query(kind, {"table": table, **f.to_params()}, f, table=table)
    elif kind == "similar":
        aid = _random_article(db, rng, top)
        return Query(kind, {"article_id": aid}, article_id=aid)
    else:  # lookup: a title or a paragraph of a stored article, as an analyst pastes it
        aid = _random_article(db, rng, top)
        title, body = db.execute("SELECT title, body FROM articles WHERE id = ?", [aid]).fetchone() or ("", "")
        how = rng.choice(("title", "title_typo", "paragraph", "sentence"))
        paras = [p for p in (body or "").split("\n\n") if p.strip()] or [title or ""]
        if how == "title":
            text = title
        elif how == "title_typo":
            words = (title or "x").split() or ["x"]
            j = rng.randrange(len(words))
            w = words[j]
            if len(w) > 4:
                k = rng.randrange(1, len(w) - 1)
                words[j] = w[:k] + w[k + 1] + w[k] + w[k + 2:]
            text = " ".join(words)
        elif how == "paragraph":
            text = " ".join(rng.choice(paras).split()[:60])
        else:
            text = rng.choice(re.split(r"(?<=\.) ", rng.choice(paras)))
        return Query(kind, {"article_id": aid, "how": how, "text": text[:200]}, text=text, expect=aid)
    return Query(kind, f.to_params(), f)


DRAW_TRIES = 50   # draws per query before a repeat is accepted (a small corpus may not have enough distinct ones)


def build_queries(db, n: int, seed: int) -> list[Query]:
    """`n` analyst queries, KINDS round robin, drawn with random.Random(seed) (same store, same list),
    without repeats: a query already drawn for its kind is drawn again (up to DRAW_TRIES times), so that
    the figures are not a few queries counted many times (`distinct` per kind in the results)."""
    rng = random.Random(seed * 7919 + 17)
    top = db.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
    seen: set[str] = set()
    out: list[Query] = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        for _ in range(DRAW_TRIES):
            q = _draw(kind, i, rng, db, top)
            key = kind + json.dumps(q.params, sort_keys=True)
            if key not in seen:
                break
        seen.add(key)
        out.append(q)
    return out


# --------------------------------------------------------------------------- ours: the pages' functions

def _digest(rows) -> str:
    """A short fingerprint of an answer's rows (ids, snippets, counts …): ours and raw must give the same."""
    import hashlib
    return hashlib.sha1(json.dumps(rows, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()[:12]


def run_ours(db, q: Query) -> dict:
    """The query through the functions the pages call. `answer`: the fingerprint of what the page shows
    (compared with raw's; see `answers_differ`)."""
    f = q.filter
    if q.kind in KEYWORD_PAIR_KINDS:
        n = art.count_articles(db, f)
        rows = art.list_articles(db, f, limit=PAGE_ROWS, offset=0)
        return {"count": n, "page": len(rows),
                "answer": _digest([n] + [[r["id"], art.unmark(r["snippet"])] for r in rows])}
    if q.kind == "timeline_month":
        _, rows = tl.timeline(db, f, "month")
        return {"periods": len(rows), "events": sum(r["events"] for r in rows),
                "answer": _digest([[r["period"], r["events"], r["q1"], r["q2"], r["q3"], r["q4"], r["articles"]]
                                   for r in rows])}
    if q.kind == "events_page":
        n = ev.count_events(db, f)
        rows = ev.list_events(db, f, limit=EVENT_ROWS, offset=0)
        return {"count": n, "page": len(rows),
                "answer": _digest([n] + [[r["id"], r["other_reports"], r["note"]] for r in rows])}
    if q.kind == "csv_export":
        buf = io.StringIO(newline="")
        if q.table == "events":
            n = write_csv(ev.iter_events(db, f, limit=EXPORT_ROWS), ev.EVENT_COLUMNS, buf, bom=True)
        else:
            n = write_csv(art.iter_articles(db, f, limit=EXPORT_ROWS), art.EXPORT_COLUMNS, buf, bom=True)
        data = buf.getvalue()
        return {"rows": n, "bytes": len(data.encode("utf-8")), "answer": _digest(data)}
    if q.kind == "similar":
        res = similar.more_like_this(db, q.article_id)
        return {"results": len(res), "top": res[0]["id"] if res else None}
    res = similar.lookup(db, q.text)
    ranks = [r["id"] for r in res]
    return {"results": len(res), "hit1": bool(ranks and ranks[0] == q.expect), "hit10": q.expect in ranks}


# --------------------------------------------------------------------------- raw: tuned hand-written SQL
# The best query we can write by hand on the same indexes doing the same work as ours: the same rows in
# the same order with the same limits, snippets only for the page's rows, the CSV's formula guard. No
# function of dashboard.queries is called, so each query's ratio ours/raw is what the product's layers
# (Filter, Selection, dicts, annotate) cost over the SQL. similar and lookup have no such twin (ours is
# another algorithm): their raw is a plain FTS5 OR query, shown but not in the ours/raw target.

_ACTORS = ("(SELECT group_concat(actor, ', ') FROM (SELECT actor FROM mentions m WHERE m.article_id = a.id "
           "ORDER BY count DESC, actor))")
_BM25 = "bm25(articles_fts, 10.0, 1.0, 10.0, 1.0)"     # title 10 × body, and their dictionary-form columns
_RAW_SNIP = f"snippet(articles_fts, 1, '', '', '…', {art.SNIPPET_TOKENS})"
_RAW_OTHER = "(SELECT group_concat(r.article_id, ', ') FROM events r WHERE r.repeat_of = e.id)"
_RAW_NOTE = ("(SELECT value FROM edits d WHERE d.target = 'event' AND d.source = e.source AND "
             "d.source_event_id = e.source_event_id AND d.field = 'note' ORDER BY d.id DESC LIMIT 1)")
_RAW_BY = ("(SELECT d.by FROM edits d WHERE d.target = 'event' AND d.source = e.source AND "
           "d.source_event_id = e.source_event_id ORDER BY d.id DESC LIMIT 1)")
_EVENT_COLS = ", ".join("e." + c for c in ev.STORED_COLUMNS)
_STOP = frozenset("that this with from have were been their they which would about into over after than "
                  "there other more some only such when what will also most then them these those its".split())
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _dates_sql(f: Filter, col: str) -> tuple[str, list]:
    sql, params = "", []
    if f.date_from:
        sql += f" AND {col} >= ?"
        params.append(f.date_from)
    if f.date_to:
        sql += f" AND {col} <= ?"
        params.append(f.date_to)
    return sql, params


def _raw_event_where(f: Filter) -> tuple[str, list]:
    sql, params = "e.pair_a = ? AND e.pair_b = ?", list(f.pair)
    dsql, dparams = _dates_sql(f, "e.date")
    sql, params = sql + dsql, params + dparams
    if f.quad:
        sql += f" AND e.quad_class IN ({', '.join('?' * len(f.quad))})"
        params += list(f.quad)
    return sql + " AND e.repeat_of IS NULL", params     # a repeated report counts once


def _plain(head: str | None) -> str:
    head = head or ""
    return head[:art.PLAIN_SNIPPET_CHARS] + ("…" if len(head) > art.PLAIN_SNIPPET_CHARS else "")


def _match_words(text: str, limit: int) -> str:
    words = []
    for w in re.findall(r"[^\W\d_]{4,}", text.lower()):
        if w not in _STOP and w not in words:
            words.append(w)
    words = sorted(words, key=len, reverse=True)[:limit]
    return " OR ".join(f'"{w}"' for w in words)


def run_raw(conn: sqlite3.Connection, q: Query, match: str | None) -> dict:
    """The same question in tuned hand-written SQL. `match`: the FTS5 expression (the keyword box's
    reading, precomputed once per query outside the timing, as the vocabulary is)."""
    if q.kind in KEYWORD_PAIR_KINDS:
        return _raw_articles(conn, q, match)
    return _RAW[q.kind](conn, q)


def _raw_articles(conn: sqlite3.Connection, q: Query, match: str | None) -> dict:
    """The Articles page: count, then the first page in the page's order (best match first with a keyword,
    most about the pair first with a pair), its snippets made for the page's rows only."""
    f = q.filter
    cols = f"a.id, a.published_at, a.title, {_ACTORS}, a.url, a.source, a.section, a.is_stub, a.language"
    if match is None:   # a pair and dates: the covering index article_pairs_about / _salience
        dsql, dp = _dates_sql(f, "p.published_date")
        where = f"p.pair_a = ? AND p.pair_b = ? AND p.about = 1{dsql}"
        n = conn.execute(f"SELECT count(*) FROM article_pairs p WHERE {where}", list(f.pair) + dp).fetchone()[0]
        rows = conn.execute(f"SELECT {cols}, p.salience, substr(a.body, 1, {art.PLAIN_SNIPPET_CHARS + 1}) "
                            f"FROM article_pairs p CROSS JOIN articles a ON a.id = p.article_id WHERE {where} "
                            f"ORDER BY p.salience DESC, p.published_at DESC, p.article_id DESC LIMIT {PAGE_ROWS}",
                            list(f.pair) + dp).fetchall()
        return {"count": n, "page": len(rows), "answer": _digest([n] + [[r[0], _plain(r[-1])] for r in rows])}
    if f.pair:   # FTS5 drives the loop, the pair checked by a covering-index look-up
        dsql, dp = _dates_sql(f, "p.published_date")
        src = ("FROM articles_fts CROSS JOIN article_pairs p ON p.pair_a = ? AND p.pair_b = ? AND p.about = 1 "
               f"AND p.article_id = articles_fts.rowid WHERE articles_fts MATCH ?{dsql}")
        params = list(f.pair) + [match] + dp
    else:
        dsql, dp = _dates_sql(f, "a.published_date")
        src = ("FROM articles_fts" + (" CROSS JOIN articles a ON a.id = articles_fts.rowid" if dsql else "")
               + f" WHERE articles_fts MATCH ?{dsql}")
        params = [match] + dp
    n = conn.execute(f"SELECT count(*) {src}", params).fetchone()[0]
    ids = [r[0] for r in conn.execute(f"SELECT articles_fts.rowid {src} ORDER BY {_BM25}, articles_fts.rowid DESC "
                                      f"LIMIT {PAGE_ROWS}", params)]
    marks = ",".join("?" * len(ids))
    snips = dict(conn.execute(f"SELECT rowid, {_RAW_SNIP} FROM articles_fts WHERE articles_fts MATCH ? "
                              f"AND rowid IN ({marks})", [match] + ids)) if ids else {}
    rows = {r[0]: r for r in conn.execute(f"SELECT {cols} FROM articles a WHERE a.id IN ({marks})", ids)} if ids else {}
    return {"count": n, "page": len(rows), "answer": _digest([n] + [[i, snips.get(i) or ""] for i in ids])}


def _raw_timeline(conn: sqlite3.Connection, q: Query) -> dict:
    """The timeline per month: events by QuadClass (the covering index events_pair_date) and the pair's articles."""
    f = q.filter
    w, p = _raw_event_where(f)
    per = {r[0]: list(r) + [0] for r in conn.execute(
        "SELECT substr(e.date, 1, 7) || '-01' AS m, count(*), sum(e.quad_class = 1), sum(e.quad_class = 2), "
        "sum(e.quad_class = 3), sum(e.quad_class = 4) FROM events e "
        f"WHERE {w} AND e.date IS NOT NULL GROUP BY m", p)}
    dsql, dp = _dates_sql(f, "p.published_date")
    for m, n in conn.execute(
            "SELECT substr(p.published_date, 1, 7) || '-01', count(*) FROM article_pairs p "
            f"WHERE p.pair_a = ? AND p.pair_b = ? AND p.about = 1{dsql} AND p.published_date IS NOT NULL GROUP BY 1",
            list(f.pair) + dp):
        per.setdefault(m, [m, 0, 0, 0, 0, 0, 0])[6] = n
    rows = [[r[0], r[1]] + [x or 0 for x in r[2:6]] + [r[6]] for _, r in sorted(per.items())]
    return {"periods": len(rows), "events": sum(r[1] for r in rows), "answer": _digest(rows)}


def _raw_events(conn: sqlite3.Connection, q: Query) -> dict:
    """The events page: count and first page, each event with its other reports and latest note."""
    f = q.filter
    w, p = _raw_event_where(f)
    n = conn.execute(f"SELECT count(*) FROM events e WHERE {w}", p).fetchone()[0]
    rows = conn.execute(f"SELECT {_EVENT_COLS}, {_RAW_OTHER}, {_RAW_NOTE}, {_RAW_BY} FROM events e WHERE {w} "
                        f"ORDER BY e.date, e.id LIMIT {EVENT_ROWS}", p).fetchall()
    return {"count": n, "page": len(rows), "answer": _digest([n] + [[r[0], r[-2], r[-1]] for r in rows])}


def _guard(row) -> list:
    """The CSV's formula guard (export.safe_cell) written out: NULL → '', text a spreadsheet would run → "'" + text."""
    return ["" if v is None else ("'" + v if v.startswith(_FORMULA) else v) if isinstance(v, str) else v for v in row]


def _raw_csv(conn: sqlite3.Connection, q: Query) -> dict:
    """The CSV export of events or of a pair's articles, the same bytes as the page's download."""
    f = q.filter
    buf = io.StringIO(newline="")
    buf.write("\ufeff")
    wr = csv.writer(buf, lineterminator="\r\n")
    n = 0
    if q.table == "events":
        w, p = _raw_event_where(f)
        cur = conn.execute(f"SELECT {_EVENT_COLS}, {_RAW_OTHER}, {_RAW_NOTE}, {_RAW_BY} FROM events e WHERE {w} "
                           f"ORDER BY e.date, e.id LIMIT {EXPORT_ROWS}", p)
        wr.writerow(ev.EVENT_COLUMNS)
        while rows := cur.fetchmany(2000):
            wr.writerows(map(_guard, rows))
            n += len(rows)
    else:
        dsql, dp = _dates_sql(f, "p.published_date")
        cur = conn.execute(
            f"SELECT a.id, a.published_at, a.title, {_ACTORS}, a.url, a.source, a.section, a.is_stub, a.language, "
            f"p.salience, substr(a.body, 1, {art.PLAIN_SNIPPET_CHARS + 1}) FROM article_pairs p "
            f"CROSS JOIN articles a ON a.id = p.article_id WHERE p.pair_a = ? AND p.pair_b = ? AND p.about = 1{dsql} "
            f"ORDER BY p.salience DESC, p.published_at DESC, p.article_id DESC LIMIT {EXPORT_ROWS}",
            list(f.pair) + dp)
        wr.writerow(art.EXPORT_COLUMNS)
        about = f"pair: about {f.pair[0]}-{f.pair[1]}"
        while rows := cur.fetchmany(2000):
            wr.writerows(_guard(r[:9] + (None, about + (" (not scored)" if r[9] is None else f", salience {r[9]:.1f}"),
                                         _plain(r[10]))) for r in rows)
            n += len(rows)
    data = buf.getvalue()
    return {"rows": n, "bytes": len(data.encode("utf-8")), "answer": _digest(data)}


def _raw_similar(conn: sqlite3.Connection, q: Query) -> dict:
    """More like this, plainly: the title and lead's words as an FTS5 OR query."""
    title, lead = conn.execute("SELECT title, substr(body, 1, 400) FROM articles WHERE id = ?",
                               [q.article_id]).fetchone()
    m = _match_words(title + " " + lead, 12)
    rows = conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid != ? "
                        "ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT 10", [m, q.article_id]).fetchall() if m else []
    return {"results": len(rows)}


def _raw_lookup(conn: sqlite3.Connection, q: Query) -> dict:
    """A pasted text's words as an FTS5 OR query; is the expected article first, in the top 10?"""
    m = _match_words(q.text, 12)
    rows = conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
                        "ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT 10", [m]).fetchall() if m else []
    ids = [r[0] for r in rows]
    return {"results": len(ids), "hit1": bool(ids and ids[0] == q.expect), "hit10": q.expect in ids}


_RAW = {"timeline_month": _raw_timeline, "events_page": _raw_events, "csv_export": _raw_csv,
        "similar": _raw_similar, "lookup": _raw_lookup}


# --------------------------------------------------------------------------- naive: pandas + rapidfuzz

class Naive:
    """Every article and event loaded into pandas DataFrames; queries by boolean masks,
    str.contains and groupby; similarity by rapidfuzz over every title."""

    def __init__(self, conn: sqlite3.Connection):
        import pandas as pd
        self.pd = pd
        self.articles = pd.read_sql_query(
            "SELECT a.id, a.published_at, a.title, a.body, a.url, a.source, a.section, a.is_stub, "
            "(SELECT ',' || group_concat(p.pair_a || '-' || p.pair_b, ',') || ',' FROM article_pairs p "
            " WHERE p.article_id = a.id AND p.about = 1) AS pairs FROM articles a", conn)
        self.articles["pairs"] = self.articles["pairs"].fillna("")
        self.articles["text"] = (self.articles["title"] + "\n" + self.articles["body"]).str.lower()
        cols = ", ".join(c for c in ev.STORED_COLUMNS)
        self.events = pd.read_sql_query(f"SELECT {cols}, pair_a, pair_b FROM events WHERE repeat_of IS NULL", conn)
        self.titles = self.articles["title"].tolist()
        self.title_ids = self.articles["id"].tolist()

    def _article_mask(self, f: Filter):
        a = self.articles
        mask = a["id"] > -1
        if f.pair:
            mask &= a["pairs"].str.contains(f",{f.pair[0]}-{f.pair[1]},", regex=False)
        if f.date_from:
            mask &= a["published_at"] >= f.date_from
        if f.date_to:
            mask &= a["published_at"] < next_day(f.date_to)
        return mask

    def _keyword_mask(self, f: Filter, parsed):
        a = self.articles
        mask = a["id"] > -1
        for word in re.findall(r"[^\W_]+", f.query.lower()):
            alts = [word] + [v.lower() for v in parsed.also_matched.get(word, [])
                             + parsed.also_matched.get(word.capitalize(), [])]
            if len(alts) == 1:
                mask &= a["text"].str.contains(word, regex=False)
            else:
                mask &= a["text"].str.contains("|".join(map(re.escape, alts)), regex=True)
        return mask

    def _event_mask(self, f: Filter):
        e = self.events
        mask = (e["pair_a"] == f.pair[0]) & (e["pair_b"] == f.pair[1])
        if f.date_from:
            mask &= e["date"] >= f.date_from
        if f.date_to:
            mask &= e["date"] <= f.date_to
        if f.quad:
            mask &= e["quad_class"].isin(list(f.quad))
        return mask

    def run(self, q: Query, parsed) -> dict:
        from rapidfuzz import fuzz, process, utils
        f = q.filter
        if q.kind in KEYWORD_PAIR_KINDS:
            mask = self._article_mask(f)
            if f.query:
                mask &= self._keyword_mask(f, parsed)
            sub = self.articles[mask]
            page = sub.sort_values(["published_at", "id"], ascending=False).head(PAGE_ROWS)
            return {"count": int(len(sub)), "page": int(len(page))}
        if q.kind == "timeline_month":
            sub = self.events[self._event_mask(f) & self.events["date"].notna()]
            g = sub.groupby(sub["date"].str[:7]).agg(events=("id", "size"), goldstein=("goldstein", "mean"))
            quads = sub.groupby([sub["date"].str[:7], "quad_class"]).size().unstack(fill_value=0)
            arts = self.articles[self._article_mask(f)]
            per = arts.groupby(arts["published_at"].str[:7]).size()
            return {"periods": int(len(set(g.index) | set(per.index))), "events": int(g["events"].sum()),
                    "q": int(quads.shape[0])}
        if q.kind == "events_page":
            sub = self.events[self._event_mask(f)]
            page = sub.sort_values(["date", "id"]).head(EVENT_ROWS)
            return {"count": int(len(sub)), "page": int(len(page))}
        if q.kind == "csv_export":
            buf = io.StringIO()
            if q.table == "events":
                sub = self.events[self._event_mask(f)].sort_values(["date", "id"]).head(EXPORT_ROWS)
                sub[list(ev.STORED_COLUMNS)].to_csv(buf, index=False)
            else:
                sub = self.articles[self._article_mask(f)].sort_values(["published_at", "id"], ascending=False)
                sub.head(EXPORT_ROWS)[["id", "published_at", "title", "url", "source", "section", "is_stub"]].to_csv(
                    buf, index=False)
            return {"rows": int(len(sub.head(EXPORT_ROWS))), "bytes": len(buf.getvalue())}
        if q.kind == "similar":
            i = self.title_ids.index(q.article_id)
            res = process.extract(self.titles[i], self.titles, scorer=fuzz.token_set_ratio,
                                  processor=utils.default_process, limit=11)
            return {"results": len([r for r in res if r[2] != i][:10])}
        res = process.extract(q.text, self.titles, scorer=fuzz.token_set_ratio, processor=utils.default_process, limit=10)
        ids = [self.title_ids[r[2]] for r in res]
        return {"results": len(ids), "hit1": bool(ids and ids[0] == q.expect), "hit10": q.expect in ids}


# --------------------------------------------------------------------------- AppTest pages in subprocesses

_APPTEST_CHILD = r"""
import json, sys, time


def peak_mb():
    # VmHWM: this process's peak RSS since exec (or since the last reset below), in MB
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def reset_peak():
    try:  # Linux >= 4.0: writing 5 to clear_refs resets VmHWM to the current RSS
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


args = json.loads(sys.argv[1])
from streamlit.runtime.pages_manager import PagesManager
PagesManager.uses_pages_directory = False
from streamlit.testing.v1 import AppTest
# first run (cold): the process's first script run goes straight to the page, as the first browser
# visit of a deep link after a server start (Streamlit imports, the entry script, cold caches)
t0 = time.perf_counter()
at = AppTest.from_file(args["app"], default_timeout=args["timeout"])
for k, v in args["params"].items():
    at.query_params[k] = v
at.switch_page(args["page"])
at.run()
t1 = time.perf_counter()
first_peak = peak_mb()
reset = reset_peak()
warm = []
for _ in range(args["warm_runs"]):
    t = time.perf_counter()
    at.run()
    warm.append((time.perf_counter() - t) * 1000)
page_peak = peak_mb()
warm.sort()
print(json.dumps({"first_ms": (t1 - t0) * 1000, "warm_ms": warm[len(warm) // 2], "warm_runs_ms": warm,
                  "first_peak_mb": first_peak, "page_peak_mb": page_peak if reset else None,
                  "peak_rss_mb": max(x for x in (first_peak, page_peak) if x is not None),
                  "exceptions": [str(getattr(e, "message", "") or getattr(e, "value", ""))[:300] for e in at.exception],
                  "titles": [t.value for t in at.title][:2]}))
"""


def apptest_pages(store: Path, pair: tuple[str, str], keyword: str) -> dict[str, dict]:
    """Run each page through AppTest in its own process; time and peak RSS per page."""
    app_text = (PROJECT_ROOT / "streamlit_app.py").read_text(encoding="utf-8")
    pages = {"overview": {}, "timeline": {"pair": "-".join(pair)}, "events": {"pair": "-".join(pair)},
             "articles": {"pair": "-".join(pair), "q": keyword}, "similar": {"pair": "-".join(pair)}, "import": {}}
    out: dict[str, dict] = {}
    env = dict(os.environ, DASHBOARD_DB=str(store))
    for name, params in pages.items():
        rel = f"pages/{name}.py"
        if not (PROJECT_ROOT / rel).exists():
            out[name] = {"skipped": f"{rel} is not present"}
            continue
        if rel not in app_text:
            out[name] = {"skipped": f"{rel} is not registered in streamlit_app.py (st.navigation)"}
            continue
        arg = json.dumps({"app": str(PROJECT_ROOT / "streamlit_app.py"), "page": rel, "params": params,
                          "timeout": APPTEST_TIMEOUT, "warm_runs": PAGE_WARM_RUNS})
        p = subprocess.Popen([sys.executable, "-c", _APPTEST_CHILD, arg], cwd=PROJECT_ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        stdout, stderr = p.stdout.read(), p.stderr.read()
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        p.stdout.close()
        p.stderr.close()
        # ru_maxrss of a child is not its own peak here: Linux carries the parent's RSS at fork/exec into
        # it (exec_mmap saves the old mm's high-water mark), so the child reports VmHWM from /proc instead.
        rec: dict = {"params": params, "ru_maxrss_mb_includes_parent": round(usage.ru_maxrss / 1024, 1)}
        try:
            rec.update(json.loads(stdout.strip().splitlines()[-1]))
        except (IndexError, ValueError):
            rec["error"] = (stderr or stdout)[-800:]
        out[name] = rec
    return out


# --------------------------------------------------------------------------- near-duplicates in a subprocess

_NEARDUP_CHILD = r"""
import json, sys, time
from dashboard.store import open_store
from dashboard.queries import similar
db = open_store(sys.argv[1], readonly=True)
if hasattr(similar, "_candidate_pairs"):
    t = time.perf_counter()
    try:
        n = len(similar._candidate_pairs(db))
        print(json.dumps({"candidates": n, "candidates_s": round(time.perf_counter() - t, 1)}), flush=True)
    except Exception as exc:  # a private helper: its shape may change
        print(json.dumps({"candidates_error": repr(exc)[:200]}), flush=True)
t = time.perf_counter()
pairs = similar.near_duplicate_pairs(db)
print(json.dumps({"seconds": round(time.perf_counter() - t, 1), "pairs": [[a, b] for a, b, *_ in pairs]}), flush=True)
"""


def near_duplicates(store: Path, cdir: Path, timeout: float) -> dict:
    """Time similar.near_duplicate_pairs on the store (in a subprocess stopped after `timeout` s) and
    compare its pairs with the republications the generator planted (manifest.json)."""
    p = subprocess.Popen([sys.executable, "-c", _NEARDUP_CHILD, str(store)], cwd=PROJECT_ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t = time.perf_counter()
    try:
        out, err = p.communicate(timeout=timeout)
        finished = True
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        finished = False
    rec: dict = {"finished": finished, "wall_seconds": round(time.perf_counter() - t, 1)}
    for line in out.splitlines():
        try:
            rec.update(json.loads(line))
        except ValueError:
            pass
    if not finished:
        rec["note"] = f"stopped after {timeout} s"
    elif "pairs" not in rec:
        rec["error"] = err[-600:]
    if "pairs" in rec:
        manifest = json.loads((cdir / "manifest.json").read_text())
        found = {tuple(sorted(pr)) for pr in rec.pop("pairs")}
        truth = {tuple(sorted((i + 1, j + 1))) for i, j in manifest["near_duplicates"]}  # id = JSONL line
        rec.update({"found": len(found), "planted": len(truth),
                    "recall": round(len(truth & found) / max(len(truth), 1), 3), "other_pairs": len(found - truth)})
    return rec


INCREMENTAL_NEW = 1_000          # articles added to the store before the incremental near-duplicate pass
INCREMENTAL_CROSS = 20           # of them, republications of articles already in the store

_NEARDUP_INC_CHILD = r"""
import json, sys, time
from dashboard.store import open_store
from dashboard.queries import similar
from dashboard.ingest import import_paths
db = open_store(sys.argv[1])
t = time.perf_counter()
whole = similar.update_near_duplicates(db, whole=True)
print(json.dumps({"stored_whole_s": round(time.perf_counter() - t, 1)}), flush=True)
try:   # what the stored keys cost on disk (dbstat: SQLite built with SQLITE_ENABLE_DBSTAT_VTAB)
    kb = {n: round(b / 1024 / max(whole.compared, 1), 2) for n, b in db.conn.execute(
        "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'near_dup%' GROUP BY name")}
    print(json.dumps({"keys_kb_per_article": kb}), flush=True)
except Exception:
    pass
t = time.perf_counter()
rep = import_paths(db, [sys.argv[2]])
print(json.dumps({"import_new_s": round(time.perf_counter() - t, 1)}), flush=True)
t = time.perf_counter()
inc = similar.update_near_duplicates(db)
secs = time.perf_counter() - t
urls = dict(db.conn.execute("SELECT url, id FROM articles WHERE url IS NOT NULL AND url LIKE ?", ["%/inc-%"]))
links = [list(r) for r in db.conn.execute("SELECT from_id, to_id FROM article_links WHERE kind = 'near_duplicate'")]
print(json.dumps({"seconds": round(secs, 2), "whole": inc.whole, "compared": inc.compared, "added": inc.added,
                  "urls": urls, "links": links}), flush=True)
"""


def incremental_corpus(cdir: Path, workdir: Path, seed: int) -> tuple[Path, list[tuple[str, str]]]:
    """INCREMENTAL_NEW new articles as JSON Lines: a corpus of another seed (its own republications planted)
    whose last INCREMENTAL_CROSS articles are replaced by republications of the store's first articles.
    Returns (file, planted pairs as (url, url) — a store article's url or a new one's)."""
    out = workdir / f"incremental-s{seed}"
    m = gen.generate(INCREMENTAL_NEW, 0, seed + 1000, out)
    lines = (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:INCREMENTAL_NEW - INCREMENTAL_CROSS]
    recs = [json.loads(x) for x in lines]
    for i, r in enumerate(recs):     # other URLs than the store's (the generator numbers them from 0 again)
        r["url"] = r["url"].rsplit("/", 1)[0] + f"/inc-{i:06d}"
    planted = [(recs[i]["url"], recs[j]["url"]) for i, j in m["near_duplicates"] if i < len(recs)]
    g = gen._Gen(seed + 2000)
    with open(cdir / "articles.jsonl", encoding="utf-8") as fh:
        stored = [json.loads(next(fh)) for _ in range(INCREMENTAL_CROSS)]
    for k, r in enumerate(stored):
        title, paras = gen._republish(g, r["title"], r["body"].split("\n\n"), r["source"])
        recs.append({**r, "title": title, "body": "\n\n".join(paras),
                     "url": r["url"].rsplit("/", 1)[0] + f"/inc-x{k:06d}"})
        planted.append((r["url"], recs[-1]["url"]))
    path = out / "new.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    return path, planted


def near_duplicates_incremental(store: Path, cdir: Path, workdir: Path, seed: int, timeout: float) -> dict:
    """A whole pass storing the blocking keys, INCREMENTAL_NEW new articles imported, then the timed
    incremental pass (similar.update_near_duplicates); its recall of the republications planted among the
    new articles and between them and the store. Changes the store: run last."""
    path, planted = incremental_corpus(cdir, workdir, seed)
    p = subprocess.Popen([sys.executable, "-c", _NEARDUP_INC_CHILD, str(store), str(path)], cwd=PROJECT_ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    rec: dict = {"new_articles": INCREMENTAL_NEW}
    for line in out.splitlines():
        try:
            rec.update(json.loads(line))
        except ValueError:
            pass
    if "seconds" not in rec:
        rec["error"] = err[-600:]
        return rec
    urls = dict(rec.pop("urls"))
    links = {tuple(x) for x in rec.pop("links")}
    # the store's own articles are numbered by their JSONL line (id = line)
    ids = []
    for a, b in planted:
        ia = urls.get(a) or _store_id(cdir, a)
        ib = urls.get(b) or _store_id(cdir, b)
        ids.append(tuple(sorted((ia, ib))))
    rec.update({"planted": len(ids), "recall": round(sum(pr in links for pr in ids) / max(len(ids), 1), 3),
                "incremental_per_1000_s": round(rec["seconds"] * 1000 / INCREMENTAL_NEW, 2)})
    return rec


def _store_id(cdir: Path, url: str) -> int | None:
    """The store id of a corpus article (its JSONL line) from its url; only the first INCREMENTAL_CROSS
    lines are republished."""
    with open(cdir / "articles.jsonl", encoding="utf-8") as fh:
        for i in range(INCREMENTAL_CROSS):
            if json.loads(next(fh))["url"] == url:
                return i + 1
    return None


# --------------------------------------------------------------------------- helpers

def code_versions() -> dict:
    """sha1 (12 hex digits) of the modules measured: the other modules change while we measure."""
    import hashlib
    root = PROJECT_ROOT
    return {name: hashlib.sha1((root / name).read_bytes()).hexdigest()[:12]
            for name in CODE_FILES if (root / name).exists()}


def _pct(values: list[float]) -> dict:
    if not values:
        return {}
    s = sorted(values)
    p95 = s[max(0, math.ceil(0.95 * len(s)) - 1)]
    return {"p50": round(statistics.median(s), 2), "p95": round(p95, 2), "max": round(s[-1], 2), "n": len(s)}


def _timed(fn: Callable, *args) -> tuple[float, object]:
    t = time.perf_counter()
    r = fn(*args)
    return (time.perf_counter() - t) * 1000, r


def machine() -> dict:
    mem = {}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            k, v = line.split(":", 1)
            if k in ("MemTotal", "MemAvailable"):
                mem[k] = f"{int(v.split()[0]) / 1024 ** 2:.1f} GiB"
    except OSError:
        pass
    try:
        free = subprocess.run(["free", "-h"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        free = ""
    cpu = ""
    try:
        cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                    if ln.startswith("model name")), "")
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "free_h": free, "python": sys.version.split()[0],
            "sqlite": sqlite3.sqlite_version, "platform": platform.platform(), "loadavg": list(os.getloadavg())}


def corpus(workdir: Path, size: int, events: int, seed: int, log) -> tuple[Path, dict]:
    """The corpus directory for (size, events, seed), generated unless cached. Returns (dir, info)."""
    d = workdir / f"corpus-n{size}-e{events}-s{seed}-v{gen.FORMAT_VERSION}"
    man = d / "manifest.json"
    if man.exists():
        m = json.loads(man.read_text())
        if (m.get("articles"), m.get("events"), m.get("seed")) == (size, events, seed):
            log(f"corpus: cached {d}")
            return d, {"cached": True, "seconds": None, "near_duplicates": len(m["near_duplicates"])}
    if d.exists():
        shutil.rmtree(d)
    log(f"corpus: generating {size:,} articles and {events:,} GDELT rows into {d} …")
    t = time.perf_counter()
    # in a subprocess: whatever the generator keeps while it writes is not held by the bench process
    subprocess.run([sys.executable, "-m", "dashboard", "generate", "--articles", str(size), "--events", str(events),
                    "--seed", str(seed), "--out", str(d)], cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL)
    m = json.loads(man.read_text())
    secs = time.perf_counter() - t
    log(f"corpus: {secs:.1f} s")
    return d, {"cached": False, "seconds": round(secs, 1), "near_duplicates": len(m["near_duplicates"])}


# --------------------------------------------------------------------------- the run

def run(size: int = 100_000, events_per_article: int = 10, queries: int = 200, seed: int = 1,
        workdir: str | os.PathLike | None = None, keep: bool = False, skip_naive: bool = False,
        skip_apptest: bool = False, results_dir: str | os.PathLike | None = None, log=None) -> dict:
    """Run the benchmark (module docstring); returns the results dict, also written as JSON.

    Four stages: the corpus, the import, the queries, the pages; then the targets and the file."""
    log = log or (lambda s: print(s, file=sys.stderr, flush=True))
    t_start = time.perf_counter()
    workdir = Path(workdir) if workdir else DEFAULT_WORKDIR
    workdir.mkdir(parents=True, exist_ok=True)
    n_events = size * events_per_article
    res: dict = {"date": date.today().isoformat(), "size": size, "events_per_article": events_per_article,
                 "gdelt_rows": n_events, "n_queries": queries, "seed": seed, "machine": machine(),
                 "import_workers": IMPORT_WORKERS,
                 "code": code_versions(), "notes": []}
    cdir, res["generate"] = corpus_stage(workdir, size, n_events, seed, log)
    store = workdir / f"store-n{size}-s{seed}.db"
    db, res["import"] = import_stage(cdir, store, workdir, size, log)
    query_stage(db, res, queries, seed, skip_naive, log)
    res["fresh_connection"] = fresh_connection(store)
    db.conn.close()
    log(f"cold queries: {COLD_PER_KIND} per kind, each in a fresh process …")
    res["cold_queries"] = cold_queries(store, res["query_list"], COLD_PER_KIND)
    log(f"CLI: python -m dashboard articles × {CLI_RUNS} …")
    res["cli_articles"] = cli_articles(store, CLI_RUNS)
    log(f"near-duplicates (at most {NEAR_DUP_TIMEOUT} s) …")
    res["near_duplicates"] = near_duplicates(store, cdir, NEAR_DUP_TIMEOUT)
    if not skip_apptest:
        log("pages: AppTest runs …")
        res["pages"] = apptest_pages(store, ("BLR", "RUS"), "sanctions")
    log(f"near-duplicates: whole pass storing the keys, {INCREMENTAL_NEW:,} new articles, incremental pass …")
    res["near_duplicates"]["incremental"] = near_duplicates_incremental(store, cdir, workdir, seed, 3 * NEAR_DUP_TIMEOUT)
    res["near_duplicates"]["incremental_per_1000_s"] = res["near_duplicates"]["incremental"].get("incremental_per_1000_s")
    res["bench_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if keep:
        res["store"] = str(store)
    else:
        _remove_store(store)
    res["machine"]["loadavg_end"] = list(os.getloadavg())
    res["targets"] = check_targets(res)
    res["total_seconds"] = round(time.perf_counter() - t_start, 1)
    res["results_file"] = str(write_results(res, results_dir))
    return res


def corpus_stage(workdir: Path, size: int, n_events: int, seed: int, log) -> tuple[Path, dict]:
    """Stage 1: the corpus directory (generated or cached) and what it took, with its file sizes."""
    cdir, info = corpus(workdir, size, n_events, seed, log)
    info["bytes"] = {"articles.jsonl": (cdir / "articles.jsonl").stat().st_size,
                     "gdelt.export.CSV": (cdir / "gdelt.export.CSV").stat().st_size}
    return cdir, info


def import_stage(cdir: Path, store: Path, workdir: Path, size: int, log):
    """Stage 2: import the JSONL articles and the GDELT rows into a fresh store (the one the
    queries use) and a sample of the page files into a scratch store. Returns (db, results)."""
    _remove_store(store)
    db = open_store(store)
    from dashboard.analysis import actors as _actors, extract as _extract  # warm the gazetteer and lexicon outside the timing
    _actors.mentions("Belarus and Russia")
    _extract.extract_events("Belarus met Russia on 5 May.", "2020-05-06 10:00")
    with RssSampler() as rss:
        out = {"articles": _import_articles(db, cdir / "articles.jsonl", size, log)}
    out["articles"]["peak_rss_mb"] = rss.peak_mb
    out["articles"]["rss_start_mb"] = rss.start_mb
    out["articles"]["peak_rss_note"] = rss.note + "; includes the bench process's own memory (rss_start_mb)"
    with RssSampler() as rss:
        out["gdelt"] = _import_gdelt(db, cdir / "gdelt.export.CSV", log)
    out["gdelt"]["peak_rss_mb"] = rss.peak_mb
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out["store_bytes"] = sum(Path(f"{store}{s}").stat().st_size for s in ("", "-wal")
                             if Path(f"{store}{s}").exists())
    n_articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    # the store's whole size (articles, their extracted events, the GDELT rows, indexes) per article
    out["store_kb_per_article"] = round(out["store_bytes"] / 1000 / max(n_articles, 1), 2)
    tables = _store_tables(db)
    if tables is not None:
        out["store_tables"] = tables
    out["pages_sample"] = _import_pages_sample(cdir, workdir, log)
    return db, out


def _import_articles(db, path: Path, size: int, log) -> dict:
    from dashboard.ingest import import_paths
    log(f"import: {path} …")
    t = time.perf_counter()
    rep = import_paths(db, [path], workers=IMPORT_WORKERS)
    secs = time.perf_counter() - t
    tot = rep.totals()
    extracted = db.execute("SELECT count(*) FROM events WHERE source = 'extracted'").fetchone()[0]
    log(f"import: {size:,} articles in {secs:.1f} s ({size / secs:,.0f}/s), {extracted:,} events extracted")
    return {"seconds": round(secs, 1), "imported": tot["imported"], "failed": tot["failed"],
            "duplicates": tot["duplicates"], "per_s": round(size / secs, 1), "events_extracted": extracted}


def _import_gdelt(db, path: Path, log) -> dict:
    from dashboard.ingest import import_paths
    log(f"import: {path} …")
    t = time.perf_counter()
    rep = import_paths(db, [path], workers=IMPORT_WORKERS)
    secs = time.perf_counter() - t
    f0 = rep.files[0]
    log(f"import: {f0.rows_read:,} GDELT rows in {secs:.1f} s ({f0.rows_read / secs:,.0f}/s)")
    return {"seconds": round(secs, 1), "rows": f0.rows_read, "imported": f0.imported,
            "failed": f0.failed, "per_s": round(f0.rows_read / secs, 1)}


def _store_tables(db) -> dict | None:
    """Bytes per table from dbstat; None when this SQLite is built without it."""
    try:
        return {name: n for name, n in db.execute(
            "SELECT CASE WHEN name LIKE 'articles_fts%' THEN 'articles_fts (index)' "
            "WHEN name LIKE 'sqlite_autoindex%' THEN 'autoindexes' ELSE name END AS t, sum(pgsize) "
            "FROM dbstat GROUP BY t ORDER BY 2 DESC").fetchall()}
    except sqlite3.Error:
        return None


def _import_pages_sample(cdir: Path, workdir: Path, log) -> dict:
    """A sample of the page-text files, into a scratch store (pages/s; not the store the queries use)."""
    from dashboard.ingest import import_paths
    sample = _first_pages(cdir / "pages", PAGES_SAMPLE)
    scratch = workdir / "pages-sample.db"
    _remove_store(scratch)
    sdb = open_store(scratch)
    t = time.perf_counter()
    rep = import_paths(sdb, sample)
    secs = time.perf_counter() - t
    st = rep.totals()
    sdb.conn.close()
    _remove_store(scratch)
    log(f"import: {len(sample)} page files in {secs:.1f} s ({len(sample) / secs:,.0f}/s), "
        f"{st['files_failed']} failed")
    return {"files": len(sample), "seconds": round(secs, 1), "per_s": round(len(sample) / secs, 1),
            "files_failed": st["files_failed"], "failed_rows": st["failed"], "links": st["links"]}


def _first_pages(root: Path, n: int) -> list[Path]:
    """The first `n` page files in name order, one shard folder at a time (no list of every file)."""
    out: list[Path] = []
    for shard in sorted(p for p in root.iterdir() if p.is_dir()):
        out += sorted(shard.glob("*.txt"))[:n - len(out)]
        if len(out) >= n:
            break
    return out


class RssSampler:
    """Peak of the summed memory (PSS, else RSS) of this process and its child processes (the import's
    workers), sampled every RSS_SAMPLE_S from /proc while the `with` block runs. peak_mb is None where
    /proc is absent."""

    def __init__(self):
        import threading
        self.peak_mb: float | None = None
        self.start_mb: float | None = None      # the first sample: what the bench process held before
        self.note = f"sum of the importer's and its workers' PSS, sampled every {RSS_SAMPLE_S} s"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss_kb(pid) -> int:
        # PSS, not RSS: forked workers share their parent's pages copy-on-write, and summing RSS would
        # count those pages once per process; PSS splits each shared page among its sharers
        for name, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
            try:
                for line in Path(name).read_text().splitlines():
                    if line.startswith(key):
                        return int(line.split()[1])
            except (OSError, ValueError):
                continue
        return 0

    def _children(self) -> list[str]:
        out = []
        try:
            for task in Path("/proc/self/task").iterdir():
                out += (task / "children").read_text().split()
        except OSError:
            pass
        return out

    def _run(self):
        while True:
            kb = self._rss_kb("self") + sum(self._rss_kb(c) for c in self._children())
            if kb and self.start_mb is None:
                self.start_mb = round(kb / 1024, 1)
            if kb:
                self.peak_mb = max(self.peak_mb or 0, round(kb / 1024, 1))
            if self._stop.wait(RSS_SAMPLE_S):
                return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _remove_store(store: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)


def peak_rss_mb() -> float | None:
    """This process's peak RSS (VmHWM) in MB, since it started or since `reset_peak_rss`."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0: '5' into clear_refs); False when not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def query_stage(db, res: dict, queries: int, seed: int, skip_naive: bool, log) -> None:
    """Stage 3: time the seeded analyst queries ours, raw and naive; fills res["naive"] (load time and
    peak memory), res["queries"] (per kind) and res["query_list"] (per query)."""
    qs = build_queries(db, queries, seed)
    naive = None
    if not skip_naive:
        log("naive: loading every article and event into pandas …")
        reset = reset_peak_rss()
        before = peak_rss_mb()
        t = time.perf_counter()
        naive = Naive(db.conn)
        res["naive_load_seconds"] = round(time.perf_counter() - t, 1)
        res["naive"] = {"load_seconds": res["naive_load_seconds"], "rss_before_mb": before}
    log(f"queries: {len(qs)} …")
    for i, q in enumerate(qs):
        _time_query(db, q, i, naive)
    if naive is not None:
        # the bench process's peak while pandas held the corpus and ran its queries
        res["naive"]["peak_rss_mb"] = peak_rss_mb() if reset else None
        res["naive"]["peak_rss_note"] = "VmHWM of the bench process, reset before the load" if reset else \
            "not measured (/proc/self/clear_refs not writable)"
        naive = None    # the frames go before the next stages
    res["queries"] = {kind: _kind_summary(kind, [q for q in qs if q.kind == kind], not skip_naive)
                      for kind in KINDS}
    filt = [q.ours / q.raw for q in qs if q.kind in FILTER_KINDS and q.raw]
    res["ours_raw_all"] = round(statistics.median(filt), 2) if filt else None
    res["query_list"] = [{"kind": q.kind, "params": q.params, "ours_ms": round(q.ours, 2),
                          "ours_first_ms": round(q.ours_first, 2), "raw_ms": round(q.raw, 2),
                          "ours_raw": round(q.ours / q.raw, 3) if q.raw else None,
                          "naive_ms": round(q.naive, 2) if q.naive is not None else None, "result": q.result}
                         for q in qs]


def _time_query(db, q: Query, i: int, naive: "Naive | None") -> None:
    """Run query number ``i`` REPEATS times ours and raw (then once naive) and keep the times on it."""
    parsed = parse_query(q.filter.query, variants=q.filter.variants, db=db) if q.filter else None
    match = parsed.match if parsed else None
    ours_t, raw_t = [], []
    for r in range(REPEATS):
        # alternate who goes first so that neither always meets a warm cache
        for who in (("ours", "raw") if (i + r) % 2 == 0 else ("raw", "ours")):
            if who == "ours":
                ms, q.result["ours"] = _timed(run_ours, db, q)
                ours_t.append(ms)
            else:
                ms, q.result["raw"] = _timed(run_raw, db.conn, q, match)
                raw_t.append(ms)
    q.ours_first = ours_t[0]
    q.ours = q.ours_first if q.kind in FIRST_RUN_KINDS else statistics.median(ours_t)
    q.raw = statistics.median(raw_t)
    if naive is not None:
        q.naive, q.result["naive"] = _timed(naive.run, q, parsed)


def answers_differ(ks: list[Query]) -> list[Query]:
    """The queries whose answer (rows, order, snippets; the CSV's bytes) differs between ours and raw."""
    return [q for q in ks if q.result["ours"].get("answer") != q.result["raw"].get("answer")]


def _kind_summary(kind: str, ks: list[Query], with_naive: bool) -> dict:
    """Percentiles and ratios of one kind of query, its rows and hit rates, and its slowest query."""
    if not ks:
        return {"skipped": "no query of this kind"}
    rec = {"n": len(ks), "distinct": len({json.dumps(q.params, sort_keys=True) for q in ks}),
           "ours": _pct([q.ours for q in ks]), "ours_first": _pct([q.ours_first for q in ks]),
           "raw": _pct([q.raw for q in ks])}
    if with_naive and all(q.naive is not None for q in ks):
        rec["naive"] = _pct([q.naive for q in ks])
    ratios = sorted(q.ours / q.raw for q in ks if q.raw)
    rec["ours_raw"] = round(statistics.median(ratios), 2) if ratios else None   # median of per-query ratios
    rec["ours_raw_p95"] = round(ratios[max(0, math.ceil(0.95 * len(ratios)) - 1)], 2) if ratios else None
    if "naive" in rec:
        rec["naive_ours"] = round(statistics.median(q.naive / max(q.ours, 1e-6) for q in ks), 1)
    if kind in FILTER_KINDS:
        key = {"csv_export": "rows", "timeline_month": "events"}.get(kind, "count")
        rec["rows_differ_from_raw"] = sum(q.result["ours"].get(key) != q.result["raw"].get(key) for q in ks)
        bad = answers_differ(ks)
        rec["answers_differ"] = len(bad)
        if bad:
            rec["answers_differ_examples"] = [q.params for q in bad[:3]]
        rec["rows_p50"] = statistics.median([q.result["ours"].get(key) or 0 for q in ks])
    if kind == "lookup":
        rec["hit1"] = round(sum(q.result["ours"]["hit1"] for q in ks) / len(ks), 2)
        rec["hit10"] = round(sum(q.result["ours"]["hit10"] for q in ks) / len(ks), 2)
        rec["raw_hit10"] = round(sum(q.result["raw"]["hit10"] for q in ks) / len(ks), 2)
        if "naive" in rec:
            rec["naive_hit10"] = round(sum(q.result["naive"]["hit10"] for q in ks) / len(ks), 2)
    slow = max(ks, key=lambda q: q.ours)
    rec["slowest"] = {"ms": round(slow.ours, 1), "params": slow.params}
    return rec


# --------------------------------------------------------------------------- cold runs in fresh processes

_COLD_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from devtools import bench
from dashboard.queries.filters import Filter
from dashboard.store import open_store
args = json.loads(sys.argv[1])
t1 = time.perf_counter()
db = open_store(args["store"], readonly=True)
t2 = time.perf_counter()
p = dict(args["params"])
table = p.pop("table", "events")
f, _ = Filter.from_params(p)
q = bench.Query(args["kind"], args["params"], f, table=table)
t3 = time.perf_counter()
bench.run_ours(db, q)
t4 = time.perf_counter()
bench.run_ours(db, q)
t5 = time.perf_counter()
print(json.dumps({"import_ms": (t1 - t0) * 1000, "open_ms": (t2 - t1) * 1000, "first_ms": (t4 - t3) * 1000,
                  "second_ms": (t5 - t4) * 1000}))
"""


def cold_queries(store: Path, query_list: list[dict], per_kind: int) -> dict:
    """The first run of a query in a fresh process right after opening the store (empty caches: SQLite's
    page cache, the vocabulary, the parsed knowledge tables), for `per_kind` distinct queries of each filter
    kind, one process each. `first_ms` counts the query alone; `open_ms` the store's opening."""
    out: dict[str, dict] = {}
    for kind in FILTER_KINDS:
        recs = []
        for item in [x for x in query_list if x["kind"] == kind][:per_kind]:
            arg = json.dumps({"store": str(store), "kind": kind, "params": item["params"]})
            p = subprocess.run([sys.executable, "-c", _COLD_CHILD, arg], cwd=PROJECT_ROOT, capture_output=True,
                               text=True, timeout=600)
            try:
                recs.append(json.loads(p.stdout.strip().splitlines()[-1]))
            except (IndexError, ValueError):
                out.setdefault("errors", []).append(p.stderr[-400:])
        if recs:
            out[kind] = {"n": len(recs), "first": _pct([r["first_ms"] for r in recs]),
                         "second": _pct([r["second_ms"] for r in recs]),
                         "open_ms_p50": round(statistics.median(r["open_ms"] for r in recs), 1)}
    return out


def cli_articles(store: Path, runs: int, pair: str = "BLR-RUS", query: str = "sanctions") -> dict:
    """`python -m dashboard articles --db STORE --pair … --query …` end to end in a subprocess (interpreter
    start, imports, store opening, query, printing), `runs` times; the median and the spread."""
    cmd = [sys.executable, "-m", "dashboard", "articles", "--db", str(store), "--pair", pair, "--query", query]
    times, code = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
        times.append((time.perf_counter() - t) * 1000)
        code = code or p.returncode
    return {"command": f"python -m dashboard articles --db STORE --pair {pair} --query {query}", "runs": runs,
            "p50_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1),
            "max_ms": round(max(times), 1), "returncode": code}


def fresh_connection(store: Path) -> dict:
    """What a page run pays that the warm connection of the queries does not: Streamlit runs each
    script run in a new thread, so ui.db() (store.thread_db) opens a new connection and its caches
    start empty."""
    fresh = open_store(store)
    t = time.perf_counter()
    parse_query("Lukashenka", variants=True, db=fresh)
    ms = round((time.perf_counter() - t) * 1000, 1)
    fresh.conn.close()
    return {"parse_query_variants_ms": ms}


def write_results(res: dict, results_dir: str | os.PathLike | None) -> Path:
    """Write ``<date>-<size>.json`` into ``results_dir`` (default benchmarks/results)."""
    rdir = Path(results_dir) if results_dir else RESULTS_DIR
    rdir.mkdir(parents=True, exist_ok=True)
    path = rdir / f"{res['date']}-{res['size']}.json"
    path.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _target_value(res: dict, key: str):
    """The measured value for a TARGETS key, or None when it was not measured (feature absent, stage skipped)."""
    q = res.get("queries", {})
    pages = [v for v in (res.get("pages") or {}).values() if "warm_ms" in v]
    if "." in key:
        kind, stat = key.split(".")
        return (q.get(kind) or {}).get("ours", {}).get(stat)
    if key == "similar_lookup":
        vals = [(q.get(k) or {}).get("ours", {}).get("p50") for k in ("similar", "lookup")]
        vals = [v for v in vals if v is not None]
        return max(vals) if vals else None
    if key == "page_warm":
        return max((v["warm_ms"] for v in pages), default=None)
    if key == "page_first":
        return max((v["first_ms"] for v in pages), default=None)
    if key == "cli_articles":
        return (res.get("cli_articles") or {}).get("p50_ms")
    if key == "import_articles":
        return res["import"]["articles"]["per_s"]
    if key == "import_rss":
        return res["import"]["articles"].get("peak_rss_mb")
    if key == "import_gdelt":
        return res["import"]["gdelt"]["per_s"]
    if key == "near_dup_whole":
        nd = res.get("near_duplicates") or {}
        return nd.get("seconds") if nd.get("finished") else None
    if key == "near_dup_incremental":
        return (res.get("near_duplicates") or {}).get("incremental_per_1000_s")
    if key == "ours_raw_all":
        return res.get("ours_raw_all")
    if key == "store_kb":
        return res["import"].get("store_kb_per_article")
    raise KeyError(key)


def check_targets(res: dict) -> list[dict]:
    """Each target of TARGETS with its measured value and whether it is met (None: not measured; a
    near-duplicate pass stopped at its time limit counts as not met)."""
    out = []
    for name, key, target, cmp, unit in TARGETS:
        value = _target_value(res, key)
        ok = None if value is None else (value <= target if cmp == "<=" else value >= target)
        if key == "near_dup_whole" and value is None and (res.get("near_duplicates") or {}).get("finished") is False:
            ok = False
        out.append({"name": name, "target": f"{cmp} {target:,} {unit}", "value": value, "unit": unit, "ok": ok})
    return out


# --------------------------------------------------------------------------- report

def _fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool) or isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)


def markdown(res: dict) -> str:
    """The Markdown tables of a results dict."""
    m = res["machine"]
    lines = [f"### {res['size']:,} articles, {res['gdelt_rows']:,} GDELT rows, {res['n_queries']} queries "
             f"(seed {res['seed']}, {res['date']})", "",
             f"Machine: {m['nproc']} cores ({m.get('cpu') or '?'}), {m['memory'].get('MemTotal', '?')} RAM, "
             f"Python {m['python']}, SQLite {m['sqlite']}; load average {m['loadavg'][0]:.1f} at start, "
             f"{m.get('loadavg_end', [0])[0]:.1f} at the end. Total run {res.get('total_seconds', '?')} s.", "",
             "| target | goal | measured | met |", "|---|---|---|---|"]
    for t in res["targets"]:
        ok = "not measured" if t["ok"] is None else ("yes" if t["ok"] else "**no**")
        shown = "not measured" if t["value"] is None else f"{_fmt(t['value'])} {t['unit']}"
        lines.append(f"| {t['name']} | {t['target']} | {shown} | {ok} |")
    imp = res["import"]
    g = res["generate"]
    lines += ["", "| import and store | figure |", "|---|---|",
              f"| corpus generation | {'cached' if g['cached'] else str(g['seconds']) + ' s'} "
              f"({g['bytes']['articles.jsonl'] / 1e6:,.0f} MB JSONL, {g['bytes']['gdelt.export.CSV'] / 1e6:,.0f} MB GDELT) |",
              f"| JSONL with extraction | {imp['articles']['seconds']} s, {imp['articles']['per_s']:,} articles/s, "
              f"{imp['articles']['events_extracted']:,} events extracted, {imp['articles']['failed']} failed, "
              f"peak RSS {_fmt(imp['articles'].get('peak_rss_mb'))} MB (importer + workers; "
              f"{_fmt(imp['articles'].get('rss_start_mb'))} MB of it the bench process before the import) |",
              f"| GDELT 2.0 | {imp['gdelt']['seconds']} s, {imp['gdelt']['per_s']:,} rows/s, {imp['gdelt']['failed']} failed, "
              f"peak RSS {_fmt(imp['gdelt'].get('peak_rss_mb'))} MB |",
              f"| page-text sample | {imp['pages_sample']['files']} files in {imp['pages_sample']['seconds']} s, "
              f"{imp['pages_sample']['per_s']:,}/s, {imp['pages_sample']['files_failed']} failed |",
              f"| store on disk | {imp['store_bytes'] / 1e6:,.0f} MB, {_fmt(imp.get('store_kb_per_article'))} KB per article |"]
    if res.get("fresh_connection"):
        lines.append(f"| keyword with variants on a new connection (each page run opens one) | "
                     f"{res['fresh_connection']['parse_query_variants_ms']:,} ms in search.parse_query |")
    nv = res.get("naive")
    if nv:
        lines.append(f"| naive: load into pandas | {nv['load_seconds']} s; bench process peak RSS "
                     f"{_fmt(nv.get('peak_rss_mb'))} MB while pandas held the corpus ({_fmt(nv.get('rss_before_mb'))} MB before) |")
    cli = res.get("cli_articles")
    if cli:
        lines.append(f"| `{cli['command']}` end to end | p50 {_fmt(cli['p50_ms'])} ms over {cli['runs']} runs "
                     f"({_fmt(cli['min_ms'])}–{_fmt(cli['max_ms'])}), exit {cli['returncode']} |")
    nd = res.get("near_duplicates")
    if nd:
        cand = f", {nd['candidates']:,} candidate pairs" if "candidates" in nd else ""
        if "recall" in nd:
            lines.append(f"| similar.near_duplicate_pairs | {nd['seconds']} s{cand}, {nd['found']:,} pairs found, "
                         f"recall of the {nd['planted']:,} planted republications {nd['recall']:.0%} |")
        else:
            lines.append(f"| similar.near_duplicate_pairs | did not finish: {nd.get('note') or nd.get('error', '')[-200:]}"
                         f"{cand} |")
        inc = nd.get("incremental") or {}
        if "recall" in inc:
            lines.append(f"| `duplicates` incremental after {inc['new_articles']:,} new articles | {inc['seconds']} s "
                         f"({inc['compared']:,} compared; the whole pass storing the keys {inc.get('stored_whole_s')} s), "
                         f"recall of the {inc['planted']} planted republications {inc['recall']:.0%} |")
        elif inc:
            lines.append(f"| `duplicates` incremental | failed: {inc.get('error', '')[-200:]} |")
    lines += ["", "| kind | n (distinct) | ours p50 | ours p95 | raw p50 | raw p95 | ours/raw (median of per-query) "
              "| ours/raw p95 | cold p50 | cold p95 | naive p50 | naive/ours | answers ≠ raw |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    cold = res.get("cold_queries") or {}
    for kind, r in res["queries"].items():
        if "skipped" in r:
            lines.append(f"| {kind} | – | skipped: {r['skipped']} | | | | | | | | | | |")
            continue
        nv = r.get("naive", {})
        c = (cold.get(kind) or {}).get("first", {})
        lines.append(f"| {kind} | {r['n']} ({r['distinct']}) | {_fmt(r['ours']['p50'])} | {_fmt(r['ours']['p95'])} | "
                     f"{_fmt(r['raw']['p50'])} | {_fmt(r['raw']['p95'])} | {_fmt(r['ours_raw'])} | {_fmt(r['ours_raw_p95'])} | "
                     f"{_fmt(c.get('p50'))} | {_fmt(c.get('p95'))} | {_fmt(nv.get('p50'))} | {_fmt(r.get('naive_ours'))} | "
                     f"{_fmt(r.get('answers_differ'))} |")
    lines.append("")
    lines.append(f"Times in ms. Warm: each query ran {REPEATS} times in the bench process (ours and raw interleaved), "
                 "the median counts (for similar and lookup, which memoise their answers, the first run). Cold: the first "
                 f"run of the kind's first {COLD_PER_KIND} queries, each in a fresh process right after opening the store. "
                 "ours/raw: the median (and p95) of each query's ours/raw; similar and lookup's raw is a plain FTS5 query, "
                 "not the same work. answers ≠ raw: queries whose rows, order, snippets or CSV bytes differ. "
                 "Lookup hit rate (the pasted text's own article first / in the top 10): "
                 + ", ".join(f"{k} {res['queries']['lookup'].get(k)}" for k in ("hit1", "hit10", "raw_hit10", "naive_hit10")
                             if res["queries"].get("lookup", {}).get(k) is not None))
    pages = res.get("pages")
    if pages:
        lines += ["", "| page (AppTest) | first run after a server start ms | warm run ms | process peak RSS MB | "
                  "peak during the warm runs MB | exceptions |", "|---|---|---|---|---|---|"]
        for name, p in pages.items():
            if "skipped" in p or "error" in p:
                lines.append(f"| {name} | {p.get('skipped') or 'error: ' + p['error'][-200:].replace(chr(10), ' ')} | | | | |")
                continue
            lines.append(f"| {name} | {p['first_ms']:,.0f} | {p['warm_ms']:,.0f} | "
                         f"{p['peak_rss_mb']:,.0f} | {_fmt(p.get('page_peak_mb'))} | {len(p['exceptions'])} |")
    for n in res.get("notes", []):
        lines.append(f"\nNote: {n}")
    return "\n".join(lines)

"""`python -m dashboard bench`: how fast the product is on a synthetic corpus, against its targets.

One run:

1. generates a corpus with devtools.generate (cached in the work directory by size, events and
   seed), or reuses it;
2. imports its JSON Lines (parse + actor mentions + event extraction + FTS indexing: articles/s)
   and its GDELT 2.0 file (rows/s) into a fresh store through `ingest.import_paths`, the importer
   the CLI uses, and measures the store on disk; a sample of the page-text files is imported into
   a scratch store too (pages/s);
3. runs a fixed, seeded list of analyst queries (KINDS, round robin), each REPEATS times, through
   the functions the pages call (articles.count_articles/list_articles, timeline.timeline, events.count_events/
   list_events, export.write_csv over iter_events/iter_articles, similar.more_like_this,
   similar.lookup), and the same queries as hand-written SQL (the floor) and the naive way (every
   article in a pandas DataFrame, str.contains and groupby; rapidfuzz over every title), reporting
   p50/p95/max per kind in ms and the ratios ours/raw and naive/ours;
4. times similar.near_duplicates once and checks it against the generator's republications;
5. runs each Streamlit page through AppTest in its own subprocess against the store: the time of the
   page's script run and the peak RSS of that process (os.wait4 rusage);
6. writes benchmarks/results/<YYYY-MM-DD>-<size>.json and prints Markdown tables with the targets.

Everything runs in this process except the AppTest pages. Timings are wall-clock
(time.perf_counter); the machine (cores, memory, load average) is recorded beside them.
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
IMPORT_WORKERS = os.cpu_count() or 1   # what `python -m dashboard import` uses by default
NEAR_DUP_TIMEOUT = 200          # seconds similar.near_duplicate_pairs may take before it is stopped
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

# name, kind (or special key), target, comparison, unit
TARGETS = (
    ("pair + keyword p50", "pair_keyword", 50, "<=", "ms"),
    ("timeline aggregation p50", "timeline_month", 80, "<=", "ms"),
    ("events page p50", "events_page", 50, "<=", "ms"),
    ("similar (more_like_this) p50", "similar", 150, "<=", "ms"),
    ("paste-text lookup p50", "lookup", 150, "<=", "ms"),
    ("CSV export of 10,000 rows p50", "csv_export", 500, "<=", "ms"),
    ("import with extraction", "import_articles", 1000, ">=", "articles/s"),
    ("GDELT import", "import_gdelt", 50_000, ">=", "rows/s"),
    ("each page's AppTest run", "apptest_max", 1000, "<=", "ms"),
    ("dashboard process peak RSS", "apptest_rss", 400, "<=", "MB"),
)
RATIO_MAX_OURS_RAW = 1.5
RATIO_MIN_NAIVE_OURS = 10


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


def build_queries(db, n: int, seed: int) -> list[Query]:
    """`n` analyst queries, KINDS round robin, drawn with random.Random(seed) (same store, same list)."""
    rng = random.Random(seed * 7919 + 17)
    ids = [r[0] for r in db.execute("SELECT id FROM articles WHERE is_stub = 0 ORDER BY id")]
    out: list[Query] = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        pair = _weighted_pair(rng)
        if kind == "pair_date":
            d1, d2 = _date_range(rng)
            f = Filter.build(pair=pair, date_from=d1, date_to=d2)
        elif kind == "pair_keyword":
            d1, d2 = _date_range(rng) if rng.random() < 0.3 else (None, None)
            f = Filter.build(pair=pair, query=rng.choice(KEYWORDS), date_from=d1, date_to=d2)
        elif kind == "keyword_variants":
            f = Filter.build(query=rng.choice(VARIANT_WORDS), variants=True)
        elif kind == "timeline_month":
            d1, d2 = _date_range(rng) if rng.random() < 0.5 else (None, None)
            f = Filter.build(pair=pair, date_from=d1, date_to=d2)
        elif kind == "events_page":
            d1, d2 = _date_range(rng) if rng.random() < 0.6 else (None, None)
            quad = rng.choice(((), (), (1,), (3, 4)))
            f = Filter.build(pair=pair, date_from=d1, date_to=d2, quad=quad)
        elif kind == "csv_export":
            f = Filter.build(pair=rng.choice((("BLR", "RUS"), ("RUS", "UKR"), ("BLR", "POL"), ("RUS", "USA"))))
            q = Query(kind, {"table": "", **f.to_params()}, f, table="events" if i // len(KINDS) % 2 == 0 else "articles")
            q.params["table"] = q.table
            out.append(q)
            continue
        elif kind == "similar":
            aid = rng.choice(ids) if ids else 0
            out.append(Query(kind, {"article_id": aid}, article_id=aid))
            continue
        else:  # lookup: a title or a paragraph of a stored article, as an analyst pastes it
            aid = rng.choice(ids) if ids else 0
            title, body = db.execute("SELECT title, body FROM articles WHERE id = ?", [aid]).fetchone() or ("", "")
            how = rng.choice(("title", "title_typo", "paragraph", "sentence"))
            paras = [p for p in body.split("\n\n") if p.strip()] or [title]
            if how == "title":
                text = title
            elif how == "title_typo":
                words = title.split()
                j = rng.randrange(len(words))
                w = words[j]
                if len(w) > 4:
                    k = rng.randrange(1, len(w) - 1)
                    words[j] = w[:k] + w[k + 1] + w[k] + w[k + 2:]
                text = " ".join(words)
            elif how == "paragraph":
                text = " ".join(rng.choice(paras).split()[:60])
            else:
                sents = re.split(r"(?<=\.) ", rng.choice(paras))
                text = rng.choice(sents)
            out.append(Query(kind, {"article_id": aid, "how": how, "text": text[:200]}, text=text, expect=aid))
            continue
        out.append(Query(kind, f.to_params(), f))
    return out


# --------------------------------------------------------------------------- ours: the pages' functions

def run_ours(db, q: Query) -> dict:
    f = q.filter
    if q.kind in KEYWORD_PAIR_KINDS:
        n = art.count_articles(db, f)
        rows = art.list_articles(db, f, limit=PAGE_ROWS, offset=0)
        return {"count": n, "page": len(rows)}
    if q.kind == "timeline_month":
        _, rows = tl.timeline(db, f, "month")
        return {"periods": len(rows), "events": sum(r["events"] for r in rows)}
    if q.kind == "events_page":
        n = ev.count_events(db, f)
        rows = ev.list_events(db, f, limit=EVENT_ROWS, offset=0)
        return {"count": n, "page": len(rows)}
    if q.kind == "csv_export":
        buf = io.StringIO(newline="")
        if q.table == "events":
            n = write_csv(ev.iter_events(db, f, limit=EXPORT_ROWS), ev.EVENT_COLUMNS, buf, bom=True)
        else:
            n = write_csv(art.iter_articles(db, f, limit=EXPORT_ROWS), art.EXPORT_COLUMNS, buf, bom=True)
        return {"rows": n, "bytes": len(buf.getvalue().encode("utf-8"))}
    if q.kind == "similar":
        res = similar.more_like_this(db, q.article_id)
        return {"results": len(res), "top": res[0]["id"] if res else None}
    res = similar.lookup(db, q.text)
    ranks = [r["id"] for r in res]
    return {"results": len(res), "hit1": bool(ranks and ranks[0] == q.expect), "hit10": q.expect in ranks}


# --------------------------------------------------------------------------- raw: hand-written SQL

_ACTORS = ("(SELECT group_concat(actor, ', ') FROM (SELECT actor FROM mentions m WHERE m.article_id = a.id "
           "ORDER BY count DESC, actor))")
_STOP = frozenset("that this with from have were been their they which would about into over after than "
                  "there other more some only such when what will also most then them these those its".split())


def _raw_article_where(f: Filter) -> tuple[str, list]:
    sql, params = [], []
    if f.date_from:
        sql.append("a.published_at >= ?")
        params.append(f.date_from)
    if f.date_to:
        sql.append("a.published_at < ?")
        params.append(next_day(f.date_to))
    return "".join(" AND " + s for s in sql), params


def _raw_event_where(f: Filter) -> tuple[str, list]:
    sql, params = ["e.pair_a = ? AND e.pair_b = ? AND e.repeat_of IS NULL"], list(f.pair)   # one event, counted once
    if f.date_from:
        sql.append("e.date >= ?")
        params.append(f.date_from)
    if f.date_to:
        sql.append("e.date <= ?")
        params.append(f.date_to)
    if f.quad:
        sql.append(f"e.quad_class IN ({', '.join('?' * len(f.quad))})")
        params += list(f.quad)
    return " AND ".join(sql), params


def _match_words(text: str, limit: int) -> str:
    words = []
    for w in re.findall(r"[^\W\d_]{4,}", text.lower()):
        if w not in _STOP and w not in words:
            words.append(w)
    words = sorted(words, key=len, reverse=True)[:limit]
    return " OR ".join(f'"{w}"' for w in words)


def run_raw(conn: sqlite3.Connection, q: Query, match: str | None) -> dict:
    """The same question in hand-written SQL. `match`: the FTS5 expression (the keyword box's
    reading, precomputed) for keyword kinds."""
    if q.kind in KEYWORD_PAIR_KINDS:
        return _raw_articles(conn, q, match)
    return _RAW[q.kind](conn, q)


def _raw_articles(conn: sqlite3.Connection, q: Query, match: str | None) -> dict:
    """The articles page: count and first page, by pair and dates, or by keyword (FTS5, BM25)."""
    f = q.filter
    dw, dp = _raw_article_where(f)
    cols = f"a.id, a.published_at, a.title, {_ACTORS}, a.url, a.source, a.section, a.is_stub"
    if match is None:
        n = conn.execute("SELECT count(*) FROM article_pairs p JOIN articles a ON a.id = p.article_id "
                         f"WHERE p.pair_a = ? AND p.pair_b = ? AND p.about = 1{dw}", list(f.pair) + dp).fetchone()[0]
        rows = conn.execute(f"SELECT {cols}, substr(a.body, 1, 240) FROM article_pairs p "
                            f"JOIN articles a ON a.id = p.article_id WHERE p.pair_a = ? AND p.pair_b = ? AND p.about = 1{dw} "
                            f"ORDER BY a.published_at DESC, a.id DESC LIMIT {PAGE_ROWS}", list(f.pair) + dp).fetchall()
        return {"count": n, "page": len(rows)}
    pj, pw, pp = ("", "", [])
    if f.pair:
        pj, pw, pp = " JOIN article_pairs p ON p.article_id = articles_fts.rowid", \
            " AND p.pair_a = ? AND p.pair_b = ? AND p.about = 1", list(f.pair)
    aj = " JOIN articles a ON a.id = articles_fts.rowid" if dw else ""
    n = conn.execute(f"SELECT count(*) FROM articles_fts{pj}{aj} WHERE articles_fts MATCH ?{pw}{dw}",
                     [match] + pp + dp).fetchone()[0]
    rows = conn.execute(
        f"SELECT {cols}, snippet(articles_fts, 1, '\ue000', '\ue001', '…', 24), "
        f"bm25(articles_fts, {art.TITLE_WEIGHT}, {art.BODY_WEIGHT}) AS r FROM articles_fts "
        f"JOIN articles a ON a.id = articles_fts.rowid{pj} WHERE articles_fts MATCH ?{pw}{dw} "
        f"ORDER BY r, a.published_at DESC LIMIT {PAGE_ROWS}", [match] + pp + dp).fetchall()
    return {"count": n, "page": len(rows)}


def _raw_timeline(conn: sqlite3.Connection, q: Query) -> dict:
    """The timeline per month: events by QuadClass and the pair's articles."""
    f = q.filter
    w, p = _raw_event_where(f)
    rows = conn.execute(
        "SELECT substr(e.date, 1, 7), count(*), sum(e.quad_class = 1), sum(e.quad_class = 2), "
        "sum(e.quad_class = 3), sum(e.quad_class = 4), avg(e.goldstein) FROM events e "
        f"WHERE {w} AND e.date IS NOT NULL GROUP BY 1", p).fetchall()
    dw, dp = _raw_article_where(f)
    arts = conn.execute(
        "SELECT substr(a.published_at, 1, 7), count(*) FROM article_pairs p JOIN articles a ON a.id = p.article_id "
        f"WHERE p.pair_a = ? AND p.pair_b = ? AND p.about = 1{dw} GROUP BY 1", list(f.pair) + dp).fetchall()
    periods = {r[0] for r in rows} | {r[0] for r in arts if r[0]}
    return {"periods": len(periods), "events": sum(r[1] for r in rows)}


def _raw_events(conn: sqlite3.Connection, q: Query) -> dict:
    """The events page: count and first page with each event's latest note."""
    f = q.filter
    w, p = _raw_event_where(f)
    n = conn.execute(f"SELECT count(*) FROM events e WHERE {w}", p).fetchone()[0]
    cols = ", ".join("e." + c for c in ev.STORED_COLUMNS)
    rows = conn.execute(
        f"SELECT {cols}, {ev.other_reports_sql()}, (SELECT value FROM edits d WHERE d.target = 'event' AND d.source = e.source AND "
        f"d.source_event_id = e.source_event_id AND d.field = 'note' ORDER BY d.id DESC LIMIT 1) "
        f"FROM events e WHERE {w} ORDER BY e.date, e.id LIMIT {EVENT_ROWS}", p).fetchall()
    return {"count": n, "page": len(rows)}


def _raw_csv(conn: sqlite3.Connection, q: Query) -> dict:
    """The CSV export of events or of a pair's articles, as the page writes it."""
    f = q.filter
    buf = io.StringIO(newline="")
    buf.write("\ufeff")
    wr = csv.writer(buf, lineterminator="\r\n")
    if q.table == "events":
        w, p = _raw_event_where(f)
        cols = ", ".join("e." + c for c in ev.STORED_COLUMNS)
        cur = conn.execute(f"SELECT {cols}, {ev.other_reports_sql()}, NULL FROM events e WHERE {w} "
                           f"ORDER BY e.date, e.id LIMIT {EXPORT_ROWS}", p)
        wr.writerow(ev.EVENT_COLUMNS)
    else:
        cur = conn.execute(
            f"SELECT a.id, a.published_at, a.title, {_ACTORS}, a.url, a.source, a.section, a.is_stub "
            f"FROM article_pairs p JOIN articles a ON a.id = p.article_id WHERE p.pair_a = ? AND p.pair_b = ? "
            f"AND p.about = 1 ORDER BY a.published_at DESC, a.id DESC LIMIT {EXPORT_ROWS}", list(f.pair))
        wr.writerow(art.ARTICLE_COLUMNS)   # the raw baseline writes the stored columns only
    n = 0
    while rows := cur.fetchmany(2000):
        wr.writerows(rows)
        n += len(rows)
    return {"rows": n, "bytes": len(buf.getvalue().encode("utf-8"))}


def _raw_similar(conn: sqlite3.Connection, q: Query) -> dict:
    """More like this: the title and lead's words as an FTS5 OR query."""
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
t0 = time.perf_counter()
at = AppTest.from_file(args["app"], default_timeout=args["timeout"])
at.run()
t1 = time.perf_counter()
entry_peak = peak_mb()
reset = reset_peak()
for k, v in args["params"].items():
    at.query_params[k] = v
at.switch_page(args["page"])
t2 = time.perf_counter()
at.run()
t3 = time.perf_counter()
at.run()
t4 = time.perf_counter()
page_peak = peak_mb()
print(json.dumps({"entry_ms": (t1 - t0) * 1000, "page_ms": (t3 - t2) * 1000, "rerun_ms": (t4 - t3) * 1000,
                  "entry_peak_mb": entry_peak, "page_peak_mb": page_peak if reset else None,
                  "peak_rss_mb": max(x for x in (entry_peak, page_peak) if x is not None),
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
                          "timeout": APPTEST_TIMEOUT})
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
    m = gen.generate(size, events, seed, d)
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
    log(f"near-duplicates (at most {NEAR_DUP_TIMEOUT} s) …")
    res["near_duplicates"] = near_duplicates(store, cdir, NEAR_DUP_TIMEOUT)
    db.conn.close()
    if not skip_apptest:
        log("pages: AppTest runs …")
        res["pages"] = apptest_pages(store, ("BLR", "RUS"), "sanctions")
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
    out = {"articles": _import_articles(db, cdir / "articles.jsonl", size, log),
           "gdelt": _import_gdelt(db, cdir / "gdelt.export.CSV", log)}
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out["store_bytes"] = sum(Path(f"{store}{s}").stat().st_size for s in ("", "-wal")
                             if Path(f"{store}{s}").exists())
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
    sample = sorted((cdir / "pages").rglob("*.txt"))[:PAGES_SAMPLE]
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


def _remove_store(store: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)


def query_stage(db, res: dict, queries: int, seed: int, skip_naive: bool, log) -> None:
    """Stage 3: time the seeded analyst queries ours, raw and naive; fills res["naive_load_seconds"],
    res["queries"] (per kind) and res["query_list"] (per query)."""
    qs = build_queries(db, queries, seed)
    naive = None
    if not skip_naive:
        log("naive: loading every article and event into pandas …")
        t = time.perf_counter()
        naive = Naive(db.conn)
        res["naive_load_seconds"] = round(time.perf_counter() - t, 1)
    log(f"queries: {len(qs)} …")
    for i, q in enumerate(qs):
        _time_query(db, q, i, naive)
    res["queries"] = {kind: _kind_summary(kind, [q for q in qs if q.kind == kind], naive is not None)
                      for kind in KINDS}
    res["query_list"] = [{"kind": q.kind, "params": q.params, "ours_ms": round(q.ours, 2),
                          "ours_first_ms": round(q.ours_first, 2), "raw_ms": round(q.raw, 2),
                          "naive_ms": round(q.naive, 2) if q.naive is not None else None, "result": q.result}
                         for q in qs]


def _time_query(db, q: Query, i: int, naive: Naive | None) -> None:
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


def _kind_summary(kind: str, ks: list[Query], with_naive: bool) -> dict:
    """Percentiles and ratios of one kind of query, its rows and hit rates, and its slowest query."""
    if not ks:
        return {"skipped": "no query of this kind"}
    rec = {"n": len(ks), "ours": _pct([q.ours for q in ks]), "ours_first": _pct([q.ours_first for q in ks]),
           "raw": _pct([q.raw for q in ks])}
    if with_naive:
        rec["naive"] = _pct([q.naive for q in ks])
    rec["ours_raw"] = round(rec["ours"]["p50"] / max(rec["raw"]["p50"], 1e-6), 2)
    if with_naive:
        rec["naive_ours"] = round(rec["naive"]["p50"] / max(rec["ours"]["p50"], 1e-6), 1)
    if kind in FILTER_KINDS:
        key = {"csv_export": "rows", "timeline_month": "events"}.get(kind, "count")
        rec["rows_differ_from_raw"] = sum(q.result["ours"].get(key) != q.result["raw"].get(key) for q in ks)
        rec["rows_p50"] = statistics.median([q.result["ours"].get(key) or 0 for q in ks])
    if kind == "lookup":
        rec["hit1"] = round(sum(q.result["ours"]["hit1"] for q in ks) / len(ks), 2)
        rec["hit10"] = round(sum(q.result["ours"]["hit10"] for q in ks) / len(ks), 2)
        rec["raw_hit10"] = round(sum(q.result["raw"]["hit10"] for q in ks) / len(ks), 2)
        if with_naive:
            rec["naive_hit10"] = round(sum(q.result["naive"]["hit10"] for q in ks) / len(ks), 2)
    slow = max(ks, key=lambda q: q.ours)
    rec["slowest"] = {"ms": round(slow.ours, 1), "params": slow.params}
    return rec


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


def check_targets(res: dict) -> list[dict]:
    """Each target with its measured value and whether it is met (None when not measured)."""
    out = []
    q = res.get("queries", {})
    pages = {k: v for k, v in (res.get("pages") or {}).items() if "page_ms" in v}
    for name, key, target, cmp, unit in TARGETS:
        if key == "import_articles":
            value = res["import"]["articles"]["per_s"]
        elif key == "import_gdelt":
            value = res["import"]["gdelt"]["per_s"]
        elif key == "apptest_max":
            value = max((v["page_ms"] for v in pages.values()), default=None)
        elif key == "apptest_rss":
            value = max((v["peak_rss_mb"] for v in pages.values()), default=None)
        else:
            value = (q.get(key) or {}).get("ours", {}).get("p50")
        ok = None if value is None else (value <= target if cmp == "<=" else value >= target)
        out.append({"name": name, "target": f"{cmp} {target:,} {unit}", "value": value, "unit": unit, "ok": ok})
    for kind in FILTER_KINDS:
        r = (q.get(kind) or {}).get("ours_raw")
        out.append({"name": f"ours/raw {kind}", "target": f"<= {RATIO_MAX_OURS_RAW}", "value": r, "unit": "×",
                    "ok": None if r is None else r <= RATIO_MAX_OURS_RAW})
    for kind in KEYWORD_PAIR_KINDS:
        r = (q.get(kind) or {}).get("naive_ours")
        out.append({"name": f"naive/ours {kind}", "target": f">= {RATIO_MIN_NAIVE_OURS}", "value": r, "unit": "×",
                    "ok": None if r is None else r >= RATIO_MIN_NAIVE_OURS})
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
        ok = "–" if t["ok"] is None else ("yes" if t["ok"] else "**no**")
        lines.append(f"| {t['name']} | {t['target']} | {_fmt(t['value'])} {t['unit'] if t['value'] is not None else ''} | {ok} |")
    imp = res["import"]
    g = res["generate"]
    lines += ["", "| import | figure |", "|---|---|",
              f"| corpus generation | {'cached' if g['cached'] else str(g['seconds']) + ' s'} "
              f"({g['bytes']['articles.jsonl'] / 1e6:,.0f} MB JSONL, {g['bytes']['gdelt.export.CSV'] / 1e6:,.0f} MB GDELT) |",
              f"| JSONL with extraction | {imp['articles']['seconds']} s, {imp['articles']['per_s']:,} articles/s, "
              f"{imp['articles']['events_extracted']:,} events extracted, {imp['articles']['failed']} failed |",
              f"| GDELT 2.0 | {imp['gdelt']['seconds']} s, {imp['gdelt']['per_s']:,} rows/s, {imp['gdelt']['failed']} failed |",
              f"| page-text sample | {imp['pages_sample']['files']} files in {imp['pages_sample']['seconds']} s, "
              f"{imp['pages_sample']['per_s']:,}/s, {imp['pages_sample']['files_failed']} failed |",
              f"| store on disk | {imp['store_bytes'] / 1e6:,.0f} MB |"]
    if res.get("fresh_connection"):
        lines.append(f"| keyword with variants on a new connection (each page run opens one) | "
                     f"{res['fresh_connection']['parse_query_variants_ms']:,} ms in search.parse_query |")
    if res.get("naive_load_seconds") is not None:
        lines.append(f"| naive: load into pandas | {res['naive_load_seconds']} s |")
    nd = res.get("near_duplicates")
    if nd:
        cand = f", {nd['candidates']:,} candidate pairs" if "candidates" in nd else ""
        if "recall" in nd:
            lines.append(f"| similar.near_duplicate_pairs | {nd['seconds']} s{cand}, {nd['found']:,} pairs found, "
                         f"recall of the {nd['planted']:,} planted republications {nd['recall']:.0%} |")
        else:
            lines.append(f"| similar.near_duplicate_pairs | did not finish: {nd.get('note') or nd.get('error', '')[-200:]}"
                         f"{cand} |")
    lines += ["", "| kind | n | ours p50 | p95 | max | first-run max | raw p50 | ours/raw | naive p50 | naive/ours "
              "| answers ≠ raw |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for kind, r in res["queries"].items():
        if "skipped" in r:
            lines.append(f"| {kind} | – | skipped: {r['skipped']} | | | | | | | | |")
            continue
        nv = r.get("naive", {})
        lines.append(f"| {kind} | {r['n']} | {_fmt(r['ours']['p50'])} | {_fmt(r['ours']['p95'])} | "
                     f"{_fmt(r['ours']['max'])} | {_fmt(r['ours_first']['max'])} | {_fmt(r['raw']['p50'])} | {_fmt(r['ours_raw'])} | "
                     f"{_fmt(nv.get('p50'))} | {_fmt(r.get('naive_ours'))} | {_fmt(r.get('rows_differ_from_raw'))} |")
    lines.append("")
    lines.append(f"Times in ms; each query ran {REPEATS} times (ours and raw interleaved), p50/p95/max are over the "
                 "per-query medians (for similar and lookup, which memoise their answers, over the first runs), "
                 "first-run max is the slowest first run (cold caches); naive ran once. "
                 "Lookup hit rate (the pasted text's own article first / in the top 10): "
                 + ", ".join(f"{k} {res['queries']['lookup'].get(k)}" for k in ("hit1", "hit10", "raw_hit10", "naive_hit10")
                             if res["queries"].get("lookup", {}).get(k) is not None))
    pages = res.get("pages")
    if pages:
        lines += ["", "| page (AppTest) | page run ms | rerun ms | first run (cold) ms | process peak RSS MB | "
                  "peak during the page's runs MB | exceptions |", "|---|---|---|---|---|---|---|"]
        for name, p in pages.items():
            if "skipped" in p or "error" in p:
                lines.append(f"| {name} | {p.get('skipped') or 'error: ' + p['error'][-200:].replace(chr(10), ' ')} | | | | | |")
                continue
            lines.append(f"| {name} | {p['page_ms']:,.0f} | {p['rerun_ms']:,.0f} | {p['entry_ms']:,.0f} | "
                         f"{p['peak_rss_mb']:,.0f} | {_fmt(p.get('page_peak_mb'))} | {len(p['exceptions'])} |")
    for n in res.get("notes", []):
        lines.append(f"\nNote: {n}")
    return "\n".join(lines)

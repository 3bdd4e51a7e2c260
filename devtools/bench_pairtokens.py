"""Measurement prototype (issue #17): the pair as a token inside the FTS5 index.

Today a pair + keyword query lets FTS5 drive the loop and checks each keyword hit against
article_pairs (bench._raw_articles). Here a second, contentless FTS5 table `pt_fts` holds the same
four columns with the same tokenizer plus a column `pairs` with one token per pair the article is
about (`pblrrus`), so FTS5 intersects the two doclists itself:
`pt_fts MATCH '(<keyword>) AND pairs : pblrrus'`. The pair column has bm25 weight 0, so the order
is unchanged. For the benchmark's pair_keyword queries it compares count + first page ids (the
answer must be identical) and times both, warm, median of 3 runs per query.

    nice -n 10 python -m devtools.bench_pairtokens /tmp/pt100k.db   # a COPY: it adds a table

Not used by the product; see BENCHMARKS.md, "Pair tokens in the FTS index (prototype)".
"""
from __future__ import annotations

import argparse
import re
import statistics
import time

from devtools.bench import PAGE_ROWS, _BM25, _dates_sql, _pct, build_queries
from dashboard.queries.search import parse_query
from dashboard.store import open_store

TABLE = "pt_fts"
PT_BM25 = f"bm25({TABLE}, 10.0, 1.0, 10.0, 1.0, 0.0)"   # the page's weights, the pairs column 0


def pair_token(a: str, b: str) -> str:
    return "p" + (a + b).lower()


def tokenizer(conn) -> str:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]
    return re.search(r"tokenize\s*=\s*'([^']*)'", sql).group(1)


def table_bytes(conn) -> int:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE ?", [TABLE + "_%"])]
    marks = ",".join("?" * len(names))
    return conn.execute(f"SELECT sum(pgsize) FROM dbstat WHERE name IN ({marks})", names).fetchone()[0]


def build(conn, optimize: bool) -> dict:
    """Create and fill pt_fts (contentless) from articles and their about=1 pairs; time and size."""
    tok = tokenizer(conn)
    t = time.perf_counter()
    conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
    conn.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, body, title_lemmas, body_lemmas, pairs, "
                 f"content='', tokenize='{tok}')")
    conn.execute("CREATE TEMP TABLE pt_pairs AS SELECT article_id, group_concat('p' || lower(pair_a || pair_b), ' ') "
                 "AS toks FROM article_pairs WHERE about = 1 GROUP BY article_id")
    conn.execute("CREATE INDEX temp.pt_pairs_id ON pt_pairs(article_id)")
    conn.execute(f"INSERT INTO {TABLE}(rowid, title, body, title_lemmas, body_lemmas, pairs) "
                 "SELECT a.id, fold(a.title), fold(a.body), a.title_lemmas, a.body_lemmas, coalesce(p.toks, '') "
                 "FROM articles a LEFT JOIN pt_pairs p ON p.article_id = a.id")
    if optimize:
        conn.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
    conn.commit()
    secs = time.perf_counter() - t
    segs = conn.execute(f"SELECT count(DISTINCT segid) FROM {TABLE}_idx").fetchone()[0]
    base = conn.execute("SELECT count(DISTINCT segid) FROM articles_fts_idx").fetchone()[0]
    old = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'articles_fts_%'").fetchone()[0]
    return {"seconds": round(secs, 1), "bytes": table_bytes(conn), "articles_fts_bytes": old, "segments": segs,
            "articles_fts_segments": base, "tokenizer": tok}


def current(conn, f, match) -> tuple[int, list[int]]:
    """bench._raw_articles with a pair and a keyword: count and first page ids (no snippets, no rows)."""
    dsql, dp = _dates_sql(f, "p.published_date")
    src = ("FROM articles_fts CROSS JOIN article_pairs p ON p.pair_a = ? AND p.pair_b = ? AND p.about = 1 "
           f"AND p.article_id = articles_fts.rowid WHERE articles_fts MATCH ?{dsql}")
    params = list(f.pair) + [match] + dp
    n = conn.execute(f"SELECT count(*) {src}", params).fetchone()[0]
    ids = [r[0] for r in conn.execute(f"SELECT articles_fts.rowid {src} ORDER BY {_BM25}, articles_fts.rowid DESC "
                                      f"LIMIT {PAGE_ROWS}", params)]
    return n, ids


def pt_source(f, match) -> tuple[str, list]:
    """FROM … WHERE … of the pair-token query. Dates: from the pair's row of article_pairs (its primary key
    holds the article id; a row of a few dozen bytes, where an articles row carries the body)."""
    dsql, dp = _dates_sql(f, "p.published_date")
    src = (f"FROM {TABLE}" + (f" CROSS JOIN article_pairs p ON p.pair_a = ? AND p.pair_b = ? "
                              f"AND p.article_id = {TABLE}.rowid" if dsql else "") + f" WHERE {TABLE} MATCH ?{dsql}")
    return src, (list(f.pair) if dsql else []) + [f"({match}) AND pairs : {pair_token(*f.pair)}"] + dp


def pairtok(conn, f, match) -> tuple[int, list[int]]:
    """The same with the pair inside the MATCH (bm25 of pt_fts: its document lengths count the pair tokens)."""
    src, params = pt_source(f, match)
    n = conn.execute(f"SELECT count(*) {src}", params).fetchone()[0]
    ids = [r[0] for r in conn.execute(f"SELECT {TABLE}.rowid {src} ORDER BY {PT_BM25}, {TABLE}.rowid DESC "
                                      f"LIMIT {PAGE_ROWS}", params)]
    return n, ids


def hybrid(conn, f, match) -> tuple[int, list[int]]:
    """The count from pt_fts; the first page ranked by articles_fts's own bm25 over pt_fts's rows (exact):
    `+rowid` keeps FTS5 from looking each candidate up by rowid (a MATCH per row: seconds), so articles_fts
    scans the keyword's doclist and probes the candidates' list."""
    src, params = pt_source(f, match)
    n = conn.execute(f"SELECT count(*) {src}", params).fetchone()[0]
    ids = [r[0] for r in conn.execute(
        f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND +rowid IN (SELECT {TABLE}.rowid {src}) "
        f"ORDER BY {_BM25}, rowid DESC LIMIT {PAGE_ROWS}", [match] + params)] if n else []
    return n, ids


def timed(fn, *args) -> tuple[float, object]:
    t = time.perf_counter()
    r = fn(*args)
    return (time.perf_counter() - t) * 1000, r


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("db", help="a COPY of a benchmark store (a table pt_fts is added)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rebuild", action="store_true", help="build pt_fts again even if present")
    ap.add_argument("--optimize", action="store_true", help="merge pt_fts into one segment after building")
    a = ap.parse_args(argv)
    db = open_store(a.db)
    conn = db.conn
    if a.rebuild or not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [TABLE]).fetchone():
        print("build:", build(conn, a.optimize), flush=True)
    else:
        print("pt_fts present:", table_bytes(conn), "bytes,",
              conn.execute(f"SELECT count(DISTINCT segid) FROM {TABLE}_idx").fetchone()[0], "segments")
    qs = [q for q in build_queries(db, a.queries, seed=a.seed) if q.kind == "pair_keyword"]
    fns = {"current (FTS5 + article_pairs)": current, "pair tokens, pt_fts bm25": pairtok,
           "pair tokens, articles_fts bm25": hybrid}
    times = {k: [] for k in fns}
    same = {k: [0, 0] for k in fns}      # identical count + ids; identical count + id set (order aside)
    diffs, counts = [], []
    for i, q in enumerate(qs):
        match = parse_query(q.filter.query, variants=q.filter.variants, db=db).match
        for fn in fns.values():          # warm each once, not timed
            fn(conn, q.filter, match)
        runs = {k: [] for k in fns}
        res = {}
        for r in range(3):
            names = list(fns)[r % 3:] + list(fns)[:r % 3]    # rotate who goes first
            for k in names:
                ms, res[k] = timed(fns[k], conn, q.filter, match)
                runs[k].append(ms)
        base = res["current (FTS5 + article_pairs)"]
        counts.append(base[0])
        for k in fns:
            times[k].append(statistics.median(runs[k]))
            same[k][0] += res[k] == base
            same[k][1] += res[k][0] == base[0] and set(res[k][1]) == set(base[1])
            if res[k] != base:
                diffs.append((k, q.params, base[0], res[k][0], set(res[k][1]) == set(base[1])))
    print(f"pair_keyword queries: {len(qs)}")
    for k, ts in times.items():
        st = _pct(ts)     # the benchmark's percentiles
        print(f"{k:32s} p50 {st['p50']:6.1f} ms  p95 {st['p95']:6.1f} ms  max {st['max']:6.1f} ms  "
              f"identical {same[k][0]}/{len(qs)}, same count and id set {same[k][1]}/{len(qs)}")
    for d in diffs:
        print("  differs: %s %s count %d vs %d, same id set: %s" % d)
    slow = sorted(range(len(qs)), key=lambda j: -times["current (FTS5 + article_pairs)"][j])[:3]
    slow += sorted(range(len(qs)), key=lambda j: -times["pair tokens, articles_fts bm25"][j])[:3]
    for j in slow:     # three slowest today, three slowest exact pair tokens; ms in the order above
        print("  slow:", qs[j].params, "count", counts[j], " ".join(f"{t[j]:.1f}" for t in times.values()), "ms")
    cur_t, new_t = times["current (FTS5 + article_pairs)"], times["pair tokens, articles_fts bm25"]
    ratios = sorted(n / c for n, c in zip(new_t, cur_t))
    print(f"per-query exact pair tokens/current: median {statistics.median(ratios):.2f}, min {ratios[0]:.2f}, max {ratios[-1]:.2f}")


if __name__ == "__main__":
    main()

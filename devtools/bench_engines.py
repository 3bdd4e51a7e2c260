"""SQLite beside PostgreSQL on one store (issue #20): the benchmark's pair + keyword and timeline queries
through the pages' functions on both engines, p50 of each and whether they give the same rows.

    python -m devtools.bench_engines --corpus DIR --store STORE.db --url postgresql://…/DB [--queries 200]

DIR is a corpus of `python -m dashboard generate` (the benchmark's cache holds one per size). STORE.db is
imported from it unless it exists; the database at --url (empty, or holding an older copy: it is replaced)
receives the store through `migrate`. Each query runs once to warm, then three times; the median counts.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from dashboard.queries import articles as art
from dashboard.store import open_store
from dashboard.store.transfer import migrate
from devtools import bench

KINDS = ("pair_keyword", "timeline_month")


def prepare(corpus: Path, store: Path, url: str) -> None:
    """Import the corpus into `store` (unless it exists) and copy the store to `url`."""
    if not store.exists():
        from dashboard.ingest import import_paths
        db = open_store(store)
        import_paths(db, [corpus / "articles.jsonl"], workers=1)
        import_paths(db, [corpus / "gdelt.export.CSV"], workers=1)
        db.conn.close()
    report = migrate(str(store), url, replace=True)
    if not report.ok:
        raise SystemExit("\n".join(report.lines()))
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def _answer(db, q) -> object:
    res = bench.run_ours(db, q)
    if q.kind == "pair_keyword":   # the rows as a set: the ranking differs by design (ARCHITECTURE.md)
        return res["count"], sorted(r["id"] for r in art.list_articles(db, q.filter, limit=100_000))
    return res["answer"]


def compare(store: Path, url: str, queries: int, seed: int = 1) -> dict:
    lite, pg = open_store(store, readonly=True), open_store(url)
    drawn = [q for q in bench.build_queries(lite, queries, seed=seed) if q.kind in KINDS]
    out = {}
    for kind in KINDS:
        ks = [q for q in drawn if q.kind == kind]
        times: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
        same = 0
        for q in ks:
            for name, db in (("sqlite", lite), ("postgresql", pg)):
                bench.run_ours(db, q)
                runs = []
                for _ in range(3):
                    t = time.perf_counter()
                    bench.run_ours(db, q)
                    runs.append((time.perf_counter() - t) * 1000)
                times[name].append(statistics.median(runs))
            same += _answer(lite, q) == _answer(pg, q)
        out[kind] = {"queries": len(ks), "same_rows": same,
                     "sqlite_p50_ms": round(statistics.median(times["sqlite"]), 1),
                     "postgresql_p50_ms": round(statistics.median(times["postgresql"]), 1)}
    return out


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m devtools.bench_engines", description=__doc__.splitlines()[0])
    p.add_argument("--corpus", required=True, type=Path)
    p.add_argument("--store", required=True, type=Path)
    p.add_argument("--url", required=True)
    p.add_argument("--queries", type=int, default=200)
    args = p.parse_args()
    prepare(args.corpus, args.store, args.url)
    for kind, r in compare(args.store, args.url, args.queries).items():
        print(f"{kind}: {r['queries']} queries, same rows {r['same_rows']}/{r['queries']}, "
              f"p50 SQLite {r['sqlite_p50_ms']} ms, PostgreSQL {r['postgresql_p50_ms']} ms")


if __name__ == "__main__":
    main()

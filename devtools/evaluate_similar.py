"""Quality of dashboard.queries.similar on the project's own corpus.

    python -m devtools.evaluate_similar [--db FILE] [--misses]

Without --db, builds a temporary store from the project's fixtures
(tests/fixtures/pages, tests/fixtures/articles.jsonl, tests/fixtures/articles.csv)
and data/demo when present, then prints:

* lookup: top-1 and top-5 accuracy over dashboard/gold/similar_queries.tsv
  (perturbed titles → the article they name), overall and per kind of
  perturbation. A query is right when a result's title equals (after
  similar.normalise) the answer or one of the row's equally right titles.
  Rows whose answer is not in the store are skipped and counted.
* more_like_this: recall@10 of the editors' "Similar articles" links present in
  the store — for each editorial_similar link A → B, is B among the 10 articles
  more_like_this(A) lists?

With --db FILE, evaluates that store (building it there from the same sources
first when it is missing or empty). --misses lists the queries that failed top-1.
Exit status 0; 2 when the store cannot be opened.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from dashboard.queries import similar
from dashboard.store import PROJECT_ROOT, StoreError, open_store

GOLD = Path(__file__).parent / "gold" / "similar_queries.tsv"
SOURCES = (PROJECT_ROOT / "tests" / "fixtures" / "pages",
           PROJECT_ROOT / "tests" / "fixtures" / "articles.jsonl",
           PROJECT_ROOT / "tests" / "fixtures" / "articles.csv",
           PROJECT_ROOT / "data" / "demo")
K_TOP = 5
K_RECALL = 10


def load_gold(path: Path = GOLD) -> list[dict]:
    """Rows of the quality set: dicts kind, query, answer, also (list of titles), source.

    Lines starting with # and the header line are skipped. Raises OSError when the
    file cannot be read.
    """
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("kind\t"):
            continue
        cells = line.split("\t") + [""] * 5
        rows.append({"kind": cells[0], "query": cells[1], "answer": cells[2],
                     "also": [t for t in cells[3].split(" || ") if t], "source": cells[4]})
    return rows


def build_store(path: str | Path, sources=SOURCES):
    """Open (creating) the store at `path` and import every source that exists; returns the store."""
    from dashboard.ingest import import_paths
    db = open_store(path)
    import_paths(db, [p for p in sources if Path(p).exists()])
    return db


def evaluate_lookup(db, rows: list[dict], k: int = K_TOP) -> dict:
    """Top-1 / top-k accuracy of similar.lookup over `rows` (see load_gold).

    Returns {n, skipped, top1, topk, k, by_kind: {kind: (n, top1, topk)}, misses: [row + got]},
    accuracies as fractions 0–1 (0.0 when no row could be evaluated).
    """
    titles = {similar.normalise(t) for (t,) in db.execute("SELECT title FROM articles")}
    n = skipped = hit1 = hitk = 0
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses = []
    for row in rows:
        right = {similar.normalise(t) for t in [row["answer"]] + row["also"]}
        if similar.normalise(row["answer"]) not in titles:
            skipped += 1
            continue
        got = [similar.normalise(r["title"]) for r in similar.lookup(db, row["query"], limit=k)]
        n += 1
        one, anyk = bool(got) and got[0] in right, any(g in right for g in got)
        hit1 += one
        hitk += anyk
        kind = by_kind[row["kind"]]
        kind[0] += 1
        kind[1] += one
        kind[2] += anyk
        if not one:
            misses.append({**row, "got": got[:3]})
    return {"n": n, "skipped": skipped, "top1": hit1 / n if n else 0.0, "topk": hitk / n if n else 0.0,
            "k": k, "by_kind": {kd: tuple(v) for kd, v in sorted(by_kind.items())}, "misses": misses}


def evaluate_editorial(db, k: int = K_RECALL) -> dict:
    """Recall@k of editorial_similar links by more_like_this: {links, found, recall (0–1)}."""
    links = db.execute("SELECT from_id, to_id FROM article_links WHERE kind = 'editorial_similar'").fetchall()
    found = 0
    cache: dict[int, set[int]] = {}
    for a, b in links:
        if a not in cache:
            cache[a] = {r["id"] for r in similar.more_like_this(db, a, limit=k)}
        found += b in cache[a]
    return {"links": len(links), "found": found, "recall": found / len(links) if links else 0.0}


def report(db, *, misses: bool = False, out=None) -> dict:
    """Print the evaluation of `db` to `out` (stdout); returns {'lookup': …, 'editorial': …}."""
    out = out or sys.stdout
    gold = load_gold()
    lk = evaluate_lookup(db, gold)
    ed = evaluate_editorial(db)
    n_art = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"store: {n_art} articles; quality set: {len(gold)} queries, {lk['n']} evaluated, "
          f"{lk['skipped']} skipped (answer not in the store)", file=out)
    print(f"lookup   top-1 {lk['top1']:.3f}   top-{lk['k']} {lk['topk']:.3f}", file=out)
    for kind, (n, one, anyk) in lk["by_kind"].items():
        print(f"  {kind:<11} n={n:<4} top-1 {one / n:.3f}   top-{lk['k']} {anyk / n:.3f}", file=out)
    print(f"more_like_this recall@{K_RECALL} of editorial links: {ed['recall']:.3f} "
          f"({ed['found']} of {ed['links']})", file=out)
    if misses:
        for m in lk["misses"]:
            print(f"MISS [{m['kind']}] {m['query']!r} → want {m['answer']!r}, got {m['got'][:1]}", file=out)
    return {"lookup": lk, "editorial": ed}


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m devtools.evaluate_similar`."""
    p = argparse.ArgumentParser(prog="python -m devtools.evaluate_similar", description=__doc__.split("\n")[0])
    p.add_argument("--db", help="evaluate this store (built from the fixtures first when missing or empty)")
    p.add_argument("--misses", action="store_true", help="list the queries that failed top-1")
    args = p.parse_args(argv)
    try:
        if args.db:
            db = open_store(args.db)
            if db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0:
                db.conn.close()
                db = build_store(args.db)
            report(db, misses=args.misses)
            return 0
        with tempfile.TemporaryDirectory() as tmp:
            db = build_store(Path(tmp) / "evaluate.db")
            try:
                report(db, misses=args.misses)
            finally:
                db.conn.close()
        return 0
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

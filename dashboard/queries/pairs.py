"""Who interacts with whom: one row per pair of actors in the filtered data (the Pairs page and `pairs` CLI).

Events are counted through the Filter's clauses (dates, keyword, sources, QuadClass, certainty; not the
pair, which is what the rows are), a repeated report once, between two distinct actors; articles are those
about the pair (or, with any_mention, every article naming both) within the dates. Cached per store
version: the GROUP BY reads every event and article–pair link of the dates.
"""
from __future__ import annotations

from dashboard.queries import clauses
from dashboard.queries.filters import Filter
from dashboard.store import dialect
from dashboard.store.version import memo

PAIR_COLUMNS = ("pair_a", "pair_b", "events", "q1", "q2", "q3", "q4", "mean_goldstein", "articles")


def pair_rows(db, f: Filter, *, limit: int | None = None) -> list[dict]:
    """Dicts keyed by PAIR_COLUMNS, most events first (then most articles): q1..q4 count the events per
    QuadClass, mean_goldstein is their mean (None without one), articles the pair's articles. Pairs with
    articles and no events are listed with events 0."""
    f = f.with_(pair=None, direction=None)
    if f == Filter():
        # the whole store's matrix (the Overview's first view: every event read, 5 s at 1M articles) is kept
        # in the store for the next process; another filter's only in this process (any number of them)
        rows = memo(db, "pair_rows", (), lambda: _pair_rows(db, f), keep=True)
    else:
        rows = memo(db, "pair_rows", (f,), lambda: _pair_rows(db, f))
    return rows if limit is None else rows[:limit]


def _pair_rows(db, f: Filter) -> list[dict]:
    out: dict[tuple[str, str], dict] = {}
    w = clauses.where(db, f, clauses.EVENTS)
    if not w.empty:
        d = dialect.of(db)
        quads = ", ".join(d.count_if(f"e.quad_class = {k}") for k in (1, 2, 3, 4))
        sql = f"""SELECT e.pair_a, e.pair_b, count(*), {quads}, avg(e.goldstein)
                    FROM events e WHERE {w.sql} AND e.pair_b IS NOT NULL AND e.pair_a <> e.pair_b
                   GROUP BY e.pair_a, e.pair_b"""
        for a, b, n, q1, q2, q3, q4, g in db.execute(sql, w.params):
            out[(a, b)] = dict(zip(PAIR_COLUMNS, (a, b, n, q1 or 0, q2 or 0, q3 or 0, q4 or 0,
                                                  None if g is None else round(g, 2), 0)))
    w = clauses.where(db, f, clauses.PAIR_ARTICLES)
    sql = f"""SELECT p.pair_a, p.pair_b, count(*) FROM article_pairs p
               WHERE {w.sql} AND p.pair_a <> p.pair_b GROUP BY p.pair_a, p.pair_b"""
    for a, b, n in db.execute(sql, w.params):
        out.setdefault((a, b), dict(zip(PAIR_COLUMNS, (a, b, 0, 0, 0, 0, 0, None, 0))))["articles"] = n
    return sorted(out.values(), key=lambda r: (-r["events"], -r["articles"], r["pair_a"], r["pair_b"]))


def matrix_actors(rows: list[dict], limit: int) -> list[str]:
    """The `limit` most active actors (events with anyone) for the pair matrix, keeping only those that
    have a pair with events inside the set: an actor whose partners all fall outside would draw an
    empty row and column."""
    weight: dict[str, int] = {}
    for r in rows:
        for code in (r["pair_a"], r["pair_b"]):
            weight[code] = weight.get(code, 0) + r["events"]
    chosen = sorted((a for a in weight if weight[a]), key=lambda a: (-weight[a], a))[:limit]
    shown = set(chosen)
    linked = {c for r in rows if r["events"] and r["pair_a"] in shown and r["pair_b"] in shown
              for c in (r["pair_a"], r["pair_b"])}
    return [a for a in chosen if a in linked]

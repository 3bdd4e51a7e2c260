"""Where events happen: the filtered events that carry coordinates, one row per place (the Map page
and the `places` CLI command).

A place is a 0.1° cell (about 11 km north–south) of the events' WGS 84 coordinates (GDELT ActionGeo,
ACLED, ICEWS and POLECAT locations; extracted events have none): nearby reports of one town fall
together, and the page draws a few hundred dots, not a million. Its name is the commonest `geo` text of
its events (GDELT's FIPS suffix dropped). Every Filter option applies, the pair and direction included.
"""
from __future__ import annotations

from dashboard.queries import clauses
from dashboard.queries.filters import Filter
from dashboard.store import dialect
from dashboard.store.version import memo

PLACE_COLUMNS = ("place", "lat", "lon", "events", "q1", "q2", "q3", "q4", "mean_goldstein", "first_day", "last_day")
MAX_PLACES = 500     # the busiest places drawn; the count of all is reported beside them
CELL_DEGREES = 0.1


def place_rows(db, f: Filter, *, limit: int | None = MAX_PLACES) -> tuple[list[dict], int, int]:
    """(places, number of places, events without coordinates): dicts keyed by PLACE_COLUMNS, most events
    first, at most ``limit``; lat and lon are the mean position of the cell's events."""
    rows, without = memo(db, "place_rows", (f,), lambda: _place_rows(db, f))
    return (rows if limit is None else rows[:limit]), len(rows), without


def _place_rows(db, f: Filter) -> tuple[list[dict], int]:
    w = clauses.where(db, f, clauses.EVENTS)
    if w.empty:
        return [], 0
    # one row per cell and place name (few: a cell has one or two spellings), merged per cell here
    quads = ", ".join(dialect.of(db).count_if(f"e.quad_class = {k}") for k in (1, 2, 3, 4))
    sql = f"""SELECT round(e.lat / {CELL_DEGREES}), round(e.lon / {CELL_DEGREES}), e.geo, sum(e.lat), sum(e.lon),
                     count(*), {quads}, sum(e.goldstein), count(e.goldstein), min(e.date), max(e.date)
                FROM events e WHERE {w.sql} AND e.lat IS NOT NULL AND e.lon IS NOT NULL
               GROUP BY 1, 2, 3"""
    cells: dict[tuple, dict] = {}
    for y, x, geo, slat, slon, n, q1, q2, q3, q4, gsum, gn, first, last in db.execute(sql, w.params):
        c = cells.setdefault((y, x), {"names": {}, "lat": 0.0, "lon": 0.0, "n": 0, "q": [0, 0, 0, 0],
                                      "gsum": 0.0, "gn": 0, "first": first, "last": last})
        name = (geo or "").split(" [FIPS ", 1)[0].strip()
        if name:
            c["names"][name] = c["names"].get(name, 0) + n
        c["lat"] += slat
        c["lon"] += slon
        c["n"] += n
        c["q"] = [a + (b or 0) for a, b in zip(c["q"], (q1, q2, q3, q4))]
        c["gsum"] += gsum or 0.0
        c["gn"] += gn
        c["first"], c["last"] = min(c["first"], first), max(c["last"], last)
    out = [dict(zip(PLACE_COLUMNS, (_commonest(c["names"]), round(c["lat"] / c["n"], 4), round(c["lon"] / c["n"], 4),
                                    c["n"], *c["q"], round(c["gsum"] / c["gn"], 2) if c["gn"] else None,
                                    c["first"], c["last"])))
           for c in cells.values()]
    out.sort(key=lambda r: (-r["events"], r["place"], r["lat"], r["lon"]))
    without = db.execute(f"SELECT count(*) FROM events e WHERE {w.sql} AND (e.lat IS NULL OR e.lon IS NULL)",
                         w.params).fetchone()[0]
    return out, without


def _commonest(names: dict[str, int]) -> str:
    """The name most of a place's events give ('Minsk, Belarus'; GDELT's ' [FIPS BO]' suffix dropped)."""
    return min(names, key=lambda k: (-names[k], k)) if names else "(unnamed place)"

"""Per-pair, per-period aggregates of events for the timeline chart and the CLI.

Periods are calendar buckets named by their first day (ISO date): day, week
(ISO weeks, starting Monday), month, quarter, year. Event dates are calendar
dates as the source gives them (SQLDATE, or the date resolved in the article
text), never instants converted to UTC (shared case C18).
"""
from __future__ import annotations

from datetime import date

from dashboard.queries import events as ev
from dashboard.queries.filters import Filter

PERIODS = ("day", "week", "month", "quarter", "year")
DIRECTIONS = (None, "ab", "ba")
MIN_CONFIDENCE = 0.5

# SQL expressions giving the first day of the period containing a 'YYYY-MM-DD' value `{d}`.
PERIOD_SQL = {
    "day": "{d}",
    "week": "date({d}, '-6 days', 'weekday 1')",
    "month": "substr({d}, 1, 7) || '-01'",
    "quarter": "substr({d}, 1, 5) || printf('%02d', ((CAST(substr({d}, 6, 2) AS INTEGER) - 1) / 3) * 3 + 1) || '-01'",
    "year": "substr({d}, 1, 4) || '-01-01'",
}
TIMELINE_COLUMNS = ("period", "events", "q1", "q2", "q3", "q4", "mean_goldstein", "articles")


def auto_period(date_from: str | None, date_to: str | None) -> str:
    """The period that gives a readable number of bars for a span: ≤ 60 days → day,
    ≤ 1 year → week, ≤ 6 years → month, ≤ 15 years → quarter, else year."""
    if not date_from or not date_to:
        return "month"
    days = (date.fromisoformat(date_to) - date.fromisoformat(date_from)).days
    for limit, period in ((60, "day"), (366, "week"), (6 * 366, "month"), (15 * 366, "quarter")):
        if days <= limit:
            return period
    return "year"


def period_start(day: str, period: str) -> str:
    """The first day of the `period` containing ISO date `day` (Python twin of PERIOD_SQL)."""
    d = date.fromisoformat(day[:10])
    if period == "day":
        return d.isoformat()
    if period == "week":
        return date.fromordinal(d.toordinal() - d.weekday()).isoformat()
    if period == "month":
        return d.replace(day=1).isoformat()
    if period == "quarter":
        return d.replace(month=(d.month - 1) // 3 * 3 + 1, day=1).isoformat()
    if period == "year":
        return d.replace(month=1, day=1).isoformat()
    raise ValueError(f"period must be one of {PERIODS}, got {period!r}")


def _extra(direction: str | None, pair, include_uncertain: bool) -> tuple[str, list]:
    sql, params = "", []
    if direction in ("ab", "ba") and pair:
        sql += " AND e.actor1 = ?"
        params.append(pair[0] if direction == "ab" else pair[1])
    if not include_uncertain:
        sql += f" AND e.year_inferred = 0 AND (e.confidence IS NULL OR e.confidence >= {MIN_CONFIDENCE})"
    return sql, params


def span(db, f: Filter) -> tuple[str | None, str | None]:
    """First and last event dates matching `f` (for choosing an automatic period)."""
    w, p, empty = ev.where(db, f)
    if empty:
        return None, None
    return tuple(db.execute(f"SELECT min(e.date), max(e.date) FROM events e WHERE {w} AND e.date IS NOT NULL", p).fetchone())


def _query_parts(db, f: Filter, period: str, direction: str | None, include_uncertain: bool):
    """(period used, None when nothing can match, else (where, params, extra where, extra params, bucket SQL))."""
    if period == "auto":
        lo, hi = (f.date_from, f.date_to) if f.date_from and f.date_to else span(db, f)
        period = auto_period(lo, hi)
    if period not in PERIODS:
        raise ValueError(f"period must be one of auto, {', '.join(PERIODS)}, got {str(period)[:40]!r}")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be ab, ba or none, got {str(direction)[:40]!r}")
    w, p, empty = ev.where(db, f)
    if empty:
        return period, None
    extra, extra_p = _extra(direction, f.pair, include_uncertain)
    return period, (w, p, extra, extra_p, PERIOD_SQL[period].format(d="e.date"))


def timeline(db, f: Filter, period: str = "auto", *, direction: str | None = None,
             include_uncertain: bool = True) -> tuple[str, list[dict]]:
    """Aggregate events matching `f` per period: (period used, rows).

    rows: dicts keyed by TIMELINE_COLUMNS, oldest first — events (count), q1..q4
    (counts per QuadClass), mean_goldstein (None when no event has one), articles
    (articles of the pair published in the period: the coverage behind the events;
    periods with articles but no events appear with events = 0).
    direction: None (both), 'ab' (pair[0] acts on pair[1]) or 'ba'.
    include_uncertain: False drops events with an inferred year or confidence < 0.5.
    Raises ValueError for an unknown period.
    """
    period, q = _query_parts(db, f, period, direction, include_uncertain)
    if q is None:
        return period, []
    w, p, extra, extra_p, bucket = q
    sql = f"""SELECT {bucket} AS period, count(*),
                     sum(e.quad_class = 1), sum(e.quad_class = 2), sum(e.quad_class = 3), sum(e.quad_class = 4),
                     avg(e.goldstein)
                FROM events e WHERE {w} AND e.date IS NOT NULL {extra}
               GROUP BY period ORDER BY period"""
    rows = {r[0]: dict(zip(TIMELINE_COLUMNS, list(r) + [0])) for r in db.execute(sql, p + extra_p)}
    for r in rows.values():
        for k in ("q1", "q2", "q3", "q4"):
            r[k] = r[k] or 0
        if r["mean_goldstein"] is not None:
            r["mean_goldstein"] = round(r["mean_goldstein"], 2)
    if f.pair:
        abucket = PERIOD_SQL[period].format(d="p.published_date")
        aw, ap = "p.pair_a = ? AND p.pair_b = ?", list(f.pair)
        if f.date_from:
            aw += " AND p.published_date >= ?"
            ap.append(f.date_from)
        if f.date_to:
            aw += " AND p.published_date <= ?"
            ap.append(f.date_to)
        for per, n in db.execute(f"SELECT {abucket}, count(*) FROM article_pairs p "
                                 f"WHERE {aw} AND p.published_date IS NOT NULL GROUP BY 1", ap):
            rows.setdefault(per, dict(zip(TIMELINE_COLUMNS, [per, 0, 0, 0, 0, 0, None, 0])))["articles"] = n
    return period, [rows[k] for k in sorted(rows)]


def top_events(db, f: Filter, period: str, *, per_period: int = 3, direction: str | None = None,
               include_uncertain: bool = True) -> dict[str, list[str]]:
    """For hover text: period → up to `per_period` short event lines, strongest |Goldstein| first."""
    w, p, empty = ev.where(db, f)
    if empty:
        return {}
    extra, extra_p = _extra(direction, f.pair, include_uncertain)
    bucket = PERIOD_SQL[period].format(d="e.date")
    sql = f"""SELECT period, line FROM (
                SELECT {bucket} AS period,
                       e.date || ' ' || e.actor1 || '→' || coalesce(e.actor2, '?') || ' ' || coalesce(e.cameo_code, '')
                       || coalesce(': ' || substr(e.evidence, 1, 70) || CASE WHEN length(e.evidence) > 70 THEN '…' ELSE '' END, '')
                       AS line,
                       row_number() OVER (PARTITION BY {bucket} ORDER BY abs(coalesce(e.goldstein, 0)) DESC, e.id) AS rn
                  FROM events e WHERE {w} AND e.date IS NOT NULL {extra})
              WHERE rn <= ? ORDER BY period, rn"""
    out: dict[str, list[str]] = {}
    for per, line in db.execute(sql, p + extra_p + [per_period]):
        out.setdefault(per, []).append(line)
    return out


def period_end(start: str, period: str) -> str:
    """The last day of the period that begins on `start`."""
    d = date.fromisoformat(start)
    if period == "day":
        return start
    if period == "week":
        return date.fromordinal(d.toordinal() + 6).isoformat()
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    m = d.month - 1 + months
    nxt = date(d.year + m // 12, m % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1).isoformat()


SOURCE_COLUMNS = ("period", "source", "events", "mean_goldstein", "mean_tone")


def timeline_by_source(db, f: Filter, period: str = "auto", *, direction: str | None = None,
                       include_uncertain: bool = True) -> tuple[str, list[dict]]:
    """Per period and per source (extracted, gdelt, acled, icews, manual): (period used, rows).

    rows: dicts keyed by SOURCE_COLUMNS, ordered by period then source — events (count),
    mean_goldstein, mean_tone (GDELT's AvgTone, None for sources without it). For
    drawing the sources side by side; the filter's own `sources` still applies.
    """
    period, q = _query_parts(db, f, period, direction, include_uncertain)
    if q is None:
        return period, []
    w, p, extra, extra_p, bucket = q
    sql = f"""SELECT {bucket} AS period, e.source, count(*), avg(e.goldstein), avg(e.avg_tone)
                FROM events e WHERE {w} AND e.date IS NOT NULL {extra}
               GROUP BY period, e.source ORDER BY period, e.source"""
    rows = []
    for per, src, n, g, tone in db.execute(sql, p + extra_p):
        rows.append({"period": per, "source": src, "events": n,
                     "mean_goldstein": None if g is None else round(g, 2),
                     "mean_tone": None if tone is None else round(tone, 2)})
    return period, rows

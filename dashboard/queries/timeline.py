"""Per-pair, per-period aggregates of events for the timeline chart and the CLI.

Periods are calendar buckets named by their first day (ISO date): day, week
(ISO weeks, starting Monday), month, quarter, year. Event dates are calendar
dates as the source gives them (SQLDATE, or the date resolved in the article
text), never instants converted to UTC (shared case C18).
"""
from __future__ import annotations

from datetime import date

from dashboard.queries import clauses
from dashboard.queries import events as ev
from dashboard.queries.clauses import MIN_CONFIDENCE  # noqa: F401  (the Timeline page marks events below it)
from dashboard.queries.filters import Filter
from dashboard.store import dialect

PERIODS = ("day", "week", "month", "quarter", "year")

# SQL expressions giving the first day of the period containing a 'YYYY-MM-DD' value `{d}`: SQLite's here,
# each engine's in store.dialect (`_bucket`).
PERIOD_SQL = dialect.SQLITE.period_sql


def _bucket(db, period: str, column: str) -> str:
    return dialect.of(db).period_sql[period].format(d=column)
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


def span(db, f: Filter, *, rollup: bool = True) -> tuple[str | None, str | None]:
    """First and last event dates matching `f` (for choosing an automatic period): from event_days when it
    answers `f` (its key starts with the pair and the day: two index look-ups, where events need every
    event of the pair checked for repeats — 2.5 s for BLR-RUS at 1M articles), else from events."""
    r = clauses.rollup_where(f) if rollup and dialect.of(db).rollups else None
    if r is not None:
        return tuple(db.execute(f"SELECT min(r.date), max(r.date) FROM event_days r WHERE {r.sql}", r.params).fetchone())
    w = ev.where(db, f)
    if w.empty:
        return None, None
    return tuple(db.execute(f"SELECT min(e.date), max(e.date) FROM events e WHERE {w.sql} AND e.date IS NOT NULL",
                            w.params).fetchone())


def drawn_span(db, f: Filter, *, rollup: bool = True) -> tuple[str | None, str | None]:
    """First and last day the chart covers: the filter's dates when both are given, else the span of the
    events and, with a pair, of the pair's articles (the coverage drawn behind the bars). Direction and
    certainty are ignored, so that flipping them keeps the same bars."""
    if f.date_from and f.date_to:
        return f.date_from, f.date_to
    both = f.with_(direction=None, hide_uncertain=False)
    days = [d for d in span(db, both, rollup=rollup) if d]
    if f.pair:
        w = clauses.where(db, f, clauses.PAIR_ARTICLES)
        days += [d for d in db.execute(f"SELECT min(p.published_date), max(p.published_date) FROM article_pairs p "
                                       f"WHERE {w.sql}", w.params).fetchone() if d]
    return (min(days)[:10], max(days)[:10]) if days else (None, None)


def _period(db, f: Filter, period: str, *, rollup: bool = True) -> str:
    """The period to draw: `period`, or for 'auto' the one that suits the span the chart covers (drawn_span)."""
    if period == "auto":
        period = auto_period(*drawn_span(db, f, rollup=rollup))
    if period not in PERIODS:
        raise ValueError(f"period must be one of auto, {', '.join(PERIODS)}, got {str(period)[:40]!r}")
    return period


# More bars than this are no longer read one by one (a bar is a pixel wide or less at 1440 px):
# a period the analyst picked that would draw more is replaced by the next coarser one that draws fewer.
MAX_BARS = 400


def bars(lo: str, hi: str, period: str) -> int:
    """The number of `period`s from the one holding `lo` to the one holding `hi`, both included."""
    a, b = date.fromisoformat(period_start(lo, period)), date.fromisoformat(period_start(hi, period))
    if period in ("day", "week"):
        return (b - a).days // (1 if period == "day" else 7) + 1
    months = (b.year - a.year) * 12 + b.month - a.month
    return months // {"month": 1, "quarter": 3, "year": 12}[period] + 1


def readable_period(db, f: Filter, period: str) -> tuple[str, str | None]:
    """The period the Timeline draws for the analyst's choice `period` ('auto' or one of PERIODS): the
    same, unless it would draw more than MAX_BARS bars over the span the chart covers (a day chosen for
    a month, kept while the dates widen to ten years); then the finest coarser period that draws at most
    MAX_BARS, and a sentence saying so. Raises ValueError for an unknown period."""
    chosen = _period(db, f, period)
    lo, hi = drawn_span(db, f)
    if not lo or not hi:
        return chosen, None
    n = bars(lo, hi, chosen)
    if n <= MAX_BARS:
        return chosen, None
    coarser = next((p for p in PERIODS[PERIODS.index(chosen) + 1:] if bars(lo, hi, p) <= MAX_BARS), "year")
    return coarser, (f"{chosen.capitalize()} bars from {lo} to {hi} would be {n:,} bars: drawn by {coarser}. "
                     f"Narrow the dates to see {chosen}s.")


def mean(total, n) -> float | None:
    """The mean Goldstein of `n` scores summing to `total`, to two decimals (None without scores). The sum is
    first rounded to 6 decimals: event_days adds and takes away scores in another order than a sum over the
    events does, and the last bits of a float sum must not change the second decimal."""
    return round(round(total, 6) / n, 2) if n else None


def _event_counts(db, f: Filter, period: str, *, rollup: bool = True) -> list[tuple] | None:
    """[(period, events, q1, q2, q3, q4, sum of Goldstein, events with one)] for the events matching `f`:
    from event_days when it answers `f` exactly (clauses.rollup_where) and `rollup`, else from events.
    None when the keyword query can match nothing."""
    r = clauses.rollup_where(f) if rollup and dialect.of(db).rollups else None
    if r is not None:
        bucket = _bucket(db, period, "r.date")
        q = ", ".join(f"sum(CASE WHEN r.quad_class = {k} THEN r.events END)" for k in (1, 2, 3, 4))
        return db.execute(f"SELECT {bucket} AS period, sum(r.events), {q}, sum(r.goldstein_sum), sum(r.goldstein_n) "
                          f"FROM event_days r WHERE {r.sql} GROUP BY period ORDER BY period", r.params).fetchall()
    w = ev.where(db, f)
    if w.empty:
        return None
    bucket = _bucket(db, period, "e.date")
    quads = ", ".join(dialect.of(db).count_if(f"e.quad_class = {k}") for k in (1, 2, 3, 4))
    return db.execute(f"""SELECT {bucket} AS period, count(*), {quads}, sum(e.goldstein), count(e.goldstein)
                FROM events e WHERE {w.sql} AND e.date IS NOT NULL
               GROUP BY period ORDER BY period""", w.params).fetchall()


def timeline(db, f: Filter, period: str = "auto", *, rollup: bool = True) -> tuple[str, list[dict]]:
    """Aggregate events matching `f` per period: (period used, rows).

    rows: dicts keyed by TIMELINE_COLUMNS, oldest first — events (count), q1..q4
    (counts per QuadClass), mean_goldstein (None when no event has one), articles
    (articles of the pair published in the period, of any pair without one: the coverage behind the
    events; periods with articles but no events appear with events = 0).
    Every option of `f` applies to the events (direction, hide_uncertain, sources, QuadClass);
    the article volume follows the pair and dates only. Raises ValueError for an unknown period.
    The events are counted from the event_days rollup when it answers `f` (`rollup=False`: never, to compare).
    """
    period = _period(db, f, period, rollup=rollup)
    counts = _event_counts(db, f, period, rollup=rollup)
    if counts is None:
        return period, []
    rows = {}
    for per, n, q1, q2, q3, q4, total, scored in counts:
        rows[per] = dict(zip(TIMELINE_COLUMNS, (per, n, q1 or 0, q2 or 0, q3 or 0, q4 or 0, mean(total, scored), 0)))
    for per, n in _article_volume(db, f, period):
        rows.setdefault(per, dict(zip(TIMELINE_COLUMNS, [per, 0, 0, 0, 0, 0, None, 0])))["articles"] = n
    return period, [rows[k] for k in sorted(rows)]


def _article_volume(db, f: Filter, period: str) -> list[tuple[str, int]]:
    """[(period, articles of the pair published in it)]: the coverage behind the events. Without a pair,
    every article published in the period (within the dates): the coverage of all pairs."""
    if not f.pair:
        c = clauses.date_clause(f.date_from, f.date_to, "a.published_date")
        bucket = _bucket(db, period, "a.published_date")
        return db.execute(f"SELECT {bucket}, count(*) FROM articles a WHERE a.published_date IS NOT NULL"
                          + (f" AND {c.sql}" if c else "") + " GROUP BY 1", list(c.params) if c else []).fetchall()
    w = clauses.where(db, f, clauses.PAIR_ARTICLES)
    bucket = _bucket(db, period, "p.published_date")
    return db.execute(f"SELECT {bucket}, count(*) FROM article_pairs p "
                      f"WHERE {w.sql} AND p.published_date IS NOT NULL GROUP BY 1", w.params).fetchall()


def top_events(db, f: Filter, period: str, *, per_period: int = 3) -> dict[str, list[str]]:
    """For hover text: period → up to `per_period` short event lines, strongest |Goldstein| first."""
    w = ev.where(db, f)
    if w.empty:
        return {}
    bucket = _bucket(db, period, "e.date")
    sql = f"""SELECT period, line FROM (
                SELECT {bucket} AS period,
                       e.date || ' ' || e.actor1 || '→' || coalesce(e.actor2, '?') || ' ' || coalesce(e.cameo_code, '')
                       || coalesce(': ' || substr(e.evidence, 1, 70) || CASE WHEN length(e.evidence) > 70 THEN '…' ELSE '' END, '')
                       AS line,
                       row_number() OVER (PARTITION BY {bucket} ORDER BY abs(coalesce(e.goldstein, 0)) DESC, e.id) AS rn
                  FROM events e WHERE {w.sql} AND e.date IS NOT NULL
             ) AS ranked WHERE rn <= ? ORDER BY period, rn"""
    out: dict[str, list[str]] = {}
    for per, line in db.execute(sql, w.params + [per_period]):
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


def timeline_by_source(db, f: Filter, period: str = "auto") -> tuple[str, list[dict]]:
    """Per period and per source (extracted, gdelt, acled, icews, polecat, manual): (period used, rows).

    rows: dicts keyed by SOURCE_COLUMNS, ordered by period then source — events (count),
    mean_goldstein, mean_tone (GDELT's AvgTone, None for sources without it). For
    drawing the sources side by side; the filter's own `sources` still applies.
    """
    period = _period(db, f, period)
    w = ev.where(db, f)
    if w.empty:
        return period, []
    bucket = _bucket(db, period, "e.date")
    sql = f"""SELECT {bucket} AS period, e.source, count(*), avg(e.goldstein), avg(e.avg_tone)
                FROM events e WHERE {w.sql} AND e.date IS NOT NULL
               GROUP BY period, e.source ORDER BY period, e.source"""
    rows = []
    for per, src, n, g, tone in db.execute(sql, w.params):
        rows.append({"period": per, "source": src, "events": n,
                     "mean_goldstein": None if g is None else round(g, 2),
                     "mean_tone": None if tone is None else round(tone, 2)})
    return period, rows


COMPARE_COLUMNS = ("period", "pair", "events", "q1", "q2", "q3", "q4", "mean_goldstein")


def pair_code(pair: tuple[str, str]) -> str:
    """('BLR', 'RUS') → 'BLR-RUS' (how the comparison names a pair, and how the URL and the CLI take it)."""
    return f"{pair[0]}-{pair[1]}"


def _compare_filters(f: Filter, other_pair) -> tuple[Filter, Filter]:
    """The two filters of a comparison: `f` and `f` for `other_pair` (a tuple or text like 'BLR-EU'), both
    without a direction (A→B of one pair means nothing for the other). Raises ValueError without a pair in
    `f`, for a malformed other pair, or for the same pair twice."""
    from dashboard.queries.filters import parse_pair
    if not f.pair:
        raise ValueError("a comparison needs a pair to compare with another")
    other = parse_pair(other_pair) if isinstance(other_pair, str) or other_pair is None else tuple(sorted(other_pair))
    if not other:
        raise ValueError("give the other pair to compare with, e.g. BLR-EU")
    if other == f.pair:
        raise ValueError(f"compare with a pair other than {pair_code(f.pair)}")
    mine = f.with_(direction=None)
    return mine, mine.with_(pair=other)


def compare_period(db, f: Filter, other_pair, period: str = "auto") -> tuple[str, str | None]:
    """The period a comparison of `f`'s pair with `other_pair` is drawn by, and a sentence when it was made
    coarser: for 'auto' the period that suits the union of both pairs' drawn spans (drawn_span); a chosen
    period is kept unless it would draw more than MAX_BARS bars over that union, as readable_period does."""
    mine, theirs = _compare_filters(f, other_pair)
    days = [d for g in (mine, theirs) for d in drawn_span(db, g) if d]
    lo, hi = (min(days), max(days)) if days else (None, None)
    chosen = auto_period(lo, hi) if period == "auto" else period
    if chosen not in PERIODS:
        raise ValueError(f"period must be one of auto, {', '.join(PERIODS)}, got {str(period)[:40]!r}")
    if not lo or not hi or bars(lo, hi, chosen) <= MAX_BARS:
        return chosen, None
    n = bars(lo, hi, chosen)
    coarser = next((p for p in PERIODS[PERIODS.index(chosen) + 1:] if bars(lo, hi, p) <= MAX_BARS), "year")
    return coarser, (f"{chosen.capitalize()} bars from {lo} to {hi} would be {n:,} bars: the comparison is drawn "
                     f"by {coarser}.")


def timeline_compare(db, f: Filter, other_pair, period: str = "auto") -> tuple[str, list[dict]]:
    """`f`'s pair and `other_pair` ('BLR-EU' or a tuple) on one timeline: (period used, rows).

    Both pairs are read through the same Filter — dates, keyword, sources, QuadClass, uncertain events —
    except the direction, which is dropped for both (A→B of one pair has no meaning for the other), and
    by the same period: for 'auto' the one that suits the union of the two pairs' spans (compare_period;
    a chosen period is used as given). rows: dicts keyed by COMPARE_COLUMNS, one per period and pair with
    at least one event, ordered by period, `f`'s pair first; `pair` is written 'BLR-RUS'.
    Raises ValueError for a missing, malformed or repeated pair, or an unknown period.
    """
    mine, theirs = _compare_filters(f, other_pair)
    if period == "auto":
        period, _ = compare_period(db, f, other_pair, period)
    elif period not in PERIODS:
        raise ValueError(f"period must be one of auto, {', '.join(PERIODS)}, got {str(period)[:40]!r}")
    rows = []
    for order, g in enumerate((mine, theirs)):
        _, got = timeline(db, g, period)
        rows += [(r["period"], order, {c: pair_code(g.pair) if c == "pair" else r[c] for c in COMPARE_COLUMNS})
                 for r in got if r["events"]]
    return period, [r for _, _, r in sorted(rows, key=lambda t: t[:2])]

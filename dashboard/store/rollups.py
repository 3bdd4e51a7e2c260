"""event_days: the events counted per pair, day, source and QuadClass, so the timeline reads days, not events.

The Timeline's aggregate read every event of the pair in the dates (issue #17: p95 0.5 s at 3M events);
a pair's days are a few thousand rows however many events they hold. One row per (pair_a, pair_b, date,
source, quad_class) counts the events a timeline counts: first reports (repeat_of IS NULL) with a pair and
a date; quad_class NULL is kept as 0 (a key column cannot be NULL; no filter asks for QuadClass 0).
goldstein_sum / goldstein_n give the mean Goldstein (events without a score are counted in `events` only).

Kept exact by triggers on events, the one place every writer goes through (imports, extraction,
reextract, edits, deletions, store.repeats, a deleted article's cascade): a changed row takes away its
old contribution and adds its new one; a day whose count reaches 0 is deleted. It is derived data, so
`migrate` does not copy it (store.postgres.DERIVED_TABLES): a SQLite target rebuilds it from the events
it is given, through the same triggers. queries.clauses.rollup_where says which filters it answers.
"""
from __future__ import annotations

KEY = ("pair_a", "pair_b", "date", "source", "quad_class")
# What an events row contributes to its day (`{r}` is `new.`, `old.` or empty for the events table itself).
_KEY_SQL = "{r}pair_a, {r}pair_b, {r}date, {r}source, coalesce({r}quad_class, 0)"
_COUNTED = "{r}repeat_of IS NULL AND {r}pair_a IS NOT NULL AND {r}pair_b IS NOT NULL AND {r}date IS NOT NULL"
_KEY_MATCH = ("pair_a = {r}pair_a AND pair_b = {r}pair_b AND date = {r}date AND source = {r}source "
              "AND quad_class = coalesce({r}quad_class, 0)")
# The events columns a row's contribution depends on: only an update of one of them touches event_days.
DEPENDS_ON = ("pair_a", "pair_b", "date", "source", "quad_class", "goldstein", "repeat_of")


def _add(r: str) -> str:
    return (f"INSERT INTO event_days VALUES ({_KEY_SQL.format(r=r)}, 1, coalesce({r}goldstein, 0.0), "
            f"{r}goldstein IS NOT NULL) ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET events = events + 1, "
            "goldstein_sum = goldstein_sum + excluded.goldstein_sum, goldstein_n = goldstein_n + excluded.goldstein_n;")


def _subtract(r: str) -> str:
    match = _KEY_MATCH.format(r=r)
    return (f"UPDATE event_days SET events = events - 1, goldstein_sum = goldstein_sum - coalesce({r}goldstein, 0.0), "
            f"goldstein_n = goldstein_n - ({r}goldstein IS NOT NULL) WHERE {match};"
            f"DELETE FROM event_days WHERE {match} AND events <= 0;")


def _trigger(name: str, when: str, counted: str, body: str) -> str:
    return f"CREATE TRIGGER {name} AFTER {when} ON events WHEN {counted} BEGIN {body} END;"


_COLUMNS = ", ".join(DEPENDS_ON)
FILL = (f"INSERT INTO event_days SELECT {_KEY_SQL.format(r='')}, count(*), coalesce(sum(goldstein), 0.0), "
        f"count(goldstein) FROM events WHERE {_COUNTED.format(r='')} GROUP BY 1, 2, 3, 4, 5;")

# Schema v15: the table, filled from the stored events, and its triggers. The update triggers are two (the
# old row's share out, the new row's in), each with its own WHEN.
MIGRATION = (
    "CREATE TABLE event_days ("
    " pair_a TEXT NOT NULL, pair_b TEXT NOT NULL, date TEXT NOT NULL, source TEXT NOT NULL,"
    " quad_class INTEGER NOT NULL, events INTEGER NOT NULL, goldstein_sum REAL NOT NULL,"
    " goldstein_n INTEGER NOT NULL,"
    f" PRIMARY KEY ({', '.join(KEY)})) WITHOUT ROWID;"
    + FILL
    + _trigger("event_days_ai", "INSERT", _COUNTED.format(r="new."), _add("new."))
    + _trigger("event_days_ad", "DELETE", _COUNTED.format(r="old."), _subtract("old."))
    + _trigger("event_days_au_old", f"UPDATE OF {_COLUMNS}", _COUNTED.format(r="old."), _subtract("old."))
    + _trigger("event_days_au_new", f"UPDATE OF {_COLUMNS}", _COUNTED.format(r="new."), _add("new."))
)


def rebuilt(db) -> list[tuple]:
    """event_days as FILL computes it from events now, sorted by key (what the table must equal)."""
    return db.execute(FILL.replace("INSERT INTO event_days ", "").rstrip(";") + " ORDER BY 1, 2, 3, 4, 5").fetchall()


def stored(db) -> list[tuple]:
    """event_days as stored, sorted by key."""
    return db.execute("SELECT * FROM event_days ORDER BY 1, 2, 3, 4, 5").fetchall()


def rebuild(db) -> None:
    """Fill event_days again from events (a store whose triggers were bypassed; not needed otherwise)."""
    with db.conn:
        db.execute("DELETE FROM event_days")
        db.execute(FILL)

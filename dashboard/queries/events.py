"""Queries over events, shared by the Timeline and Events pages and the CLI,
and analyst edits that override extracted or imported values.

A keyword query restricts events to those whose article matches it (events from
GDELT/ACLED rows have no article text and drop out while a keyword is set).
An extracted event reported again by a near-duplicate article counts once: the repeat is
left out of every count, list and CSV (clauses) and named in its first report's other_reports.
"""
from __future__ import annotations

import heapq
from typing import Iterator

from dashboard.queries import clauses
from dashboard.knowledge.cameo import event_fields
from dashboard.queries.filters import Filter
from dashboard.store import check_writable, dialect, repeats, stream
from dashboard.store.version import memo

EVENT_COLUMNS = ("id", "date", "date_precision", "year_inferred", "actor1", "actor2", "cameo_code", "root_code",
                 "quad_class", "goldstein", "confidence", "warning", "source", "source_event_id", "article_id",
                 "evidence", "url", "lat", "lon", "other_reports", "note", "by")
# Columns computed per row rather than read from `events`: the other articles that reported the event
# (near-duplicates whose copy of it is a repeated report, store.repeats), the latest note, and who made
# the latest edit (schema v16; on a note's row, who pinned it).
COMPUTED_COLUMNS = ("other_reports", "note", "by")
STORED_COLUMNS = tuple(c for c in EVENT_COLUMNS if c not in COMPUTED_COLUMNS)


def where(db, f: Filter) -> clauses.Where:
    """The WHERE parts over events `e` for every option of `f` (clauses.where); `.empty` is True
    when the keyword query can match nothing."""
    return clauses.where(db, f, clauses.EVENTS)


def _note_sql(e: str = "e") -> str:
    return (f"(SELECT value FROM edits d WHERE d.target = 'event' AND d.source = {e}.source "
            f"AND d.source_event_id = {e}.source_event_id AND d.field = 'note' ORDER BY d.id DESC LIMIT 1)")


def _by_sql(e: str = "e") -> str:
    return (f"(SELECT d.by FROM edits d WHERE d.target = 'event' AND d.source = {e}.source "
            f"AND d.source_event_id = {e}.source_event_id ORDER BY d.id DESC LIMIT 1)")


def other_reports_sql(e: str = "e", d: dialect.Dialect = dialect.SQLITE) -> str:
    """The article ids of an event's repeated reports, '15, 17' (NULL when it has none): one look-up
    in the partial index events_repeat_of per row."""
    return f"(SELECT {d.group_concat('r.article_id', ', ')} FROM events r WHERE r.repeat_of = {e}.id)"


def count_events(db, f: Filter) -> int:
    """Number of events matching `f` (the same rows list_events and iter_events give)."""
    w = where(db, f)
    return 0 if w.empty else db.execute(f"SELECT count(*) FROM events e WHERE {w.sql}", w.params).fetchone()[0]


def list_events(db, f: Filter, *, limit: int | None = 100, offset: int = 0) -> list[dict]:
    """A page of events matching `f` (oldest first), as dicts keyed by EVENT_COLUMNS."""
    return list(iter_events(db, f, limit=limit, offset=offset))


def iter_events(db, f: Filter, *, limit: int | None = None, offset: int = 0, batch: int = 2000) -> Iterator[dict]:
    """Every event matching `f` (or `limit` of them), oldest first, streamed in batches."""
    w = where(db, f)
    if w.empty:
        return
    cols = (", ".join(f"e.{c}" for c in STORED_COLUMNS)
            + f", {other_reports_sql('e', dialect.of(db))}, {_note_sql()}, {_by_sql()}")
    sql = f"SELECT {cols} FROM events e WHERE {w.sql} ORDER BY e.date, e.id"
    params = list(w.params)
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset)]
    cur = stream(db, sql, params) if limit is None else db.execute(sql, params)   # a page: one fetch
    names = list(STORED_COLUMNS) + list(COMPUTED_COLUMNS)
    try:
        while rows := cur.fetchmany(batch):
            for r in rows:
                yield dict(zip(names, r))
    finally:
        cur.close()   # a PostgreSQL server-side cursor lives until closed


def article_events(db, article_id: int) -> list[dict]:
    """The events read from one article (its repeats of earlier reports included: the article did report
    them), in date order, as dicts keyed by EVENT_COLUMNS."""
    cols = (", ".join(f"e.{c}" for c in STORED_COLUMNS)
            + f", {other_reports_sql('e', dialect.of(db))}, {_note_sql()}, {_by_sql()}")
    names = list(STORED_COLUMNS) + list(COMPUTED_COLUMNS)
    return [dict(zip(names, r)) for r in db.execute(
        f"SELECT {cols} FROM events e WHERE e.article_id = ? ORDER BY e.date, e.id", [int(article_id)])]


# The `source` of an analyst's note in an events CSV: notes pinned to the pair's timeline are rows of their own.
NOTE_SOURCE = "note"


def iter_events_and_notes(db, f: Filter, *, batch: int = 2000) -> Iterator[dict]:
    """iter_events(f), with the notes pinned to f's pair within its dates (list_notes) as rows of their own,
    in date order: source 'note', the day in `date`, the text in `note`, who pinned it in `by`, every other
    column empty. Without
    a pair there are no notes (a note belongs to a pair's timeline). For the events CSV of the pages and
    of `events --notes`."""
    rows = iter_events(db, f, batch=batch)
    if not f.pair:
        yield from rows
        return
    notes = ({**dict.fromkeys(EVENT_COLUMNS), "date": n["date"], "source": NOTE_SOURCE, "note": n["text"],
              "by": n["by"]}
             for n in list_notes(db, f))
    yield from heapq.merge(rows, notes, key=lambda r: r["date"] or "")


def sources_present(db, pair: tuple[str, str] | None = None) -> list[str]:
    """The event sources (extracted, gdelt, …) in the store, or among `pair`'s events; cached per store version."""
    if pair:
        return memo(db, "pair_sources", tuple(pair), lambda: [r[0] for r in db.execute(
            "SELECT DISTINCT source FROM events WHERE pair_a = ? AND pair_b = ?", list(pair))], keep=True)
    return memo(db, "sources", (), lambda: [r[0] for r in db.execute("SELECT DISTINCT source FROM events ORDER BY source")],
                keep=True)


def top_pairs_by_events(db, limit: int = 8) -> list[tuple[str, str, int]]:
    """[(pair_a, pair_b, events)] of the pairs of two distinct actors with the most events (cached per store
    version: the GROUP BY reads every event)."""
    return memo(db, "top_pairs_with_events", (limit,), lambda: [tuple(r) for r in db.execute(
        "SELECT pair_a, pair_b, count(*) n FROM events WHERE pair_b IS NOT NULL AND pair_a <> pair_b AND repeat_of IS NULL "
        "GROUP BY pair_a, pair_b ORDER BY n DESC LIMIT ?", [limit])], keep=True)


EDITABLE_FIELDS = ("date", "actor1", "actor2", "cameo_code", "note")


def edit_event(db, event_id: int, changes: dict[str, str | None], by: str | None = None) -> None:
    """Save analyst edits of one event and apply them at once.

    changes: field → new value, fields from EDITABLE_FIELDS ('note' is stored beside
    the event and exported with it). A new CAMEO code also sets root_code, quad_class
    and goldstein from the CAMEO codebook (dashboard.knowledge.cameo). Edits are kept in `edits`, keyed on
    (source, source_event_id), so they survive re-import and re-extraction; `by` names who made them
    (dashboard.app.auth.by()).
    Raises ValueError for an unknown event or field, a malformed date, or a code that is
    not in the CAMEO codebook (such as "99"), and
    store.StoreReadOnly when the store was opened read-only.
    """
    from dashboard.queries.filters import parse_day, parse_id
    from dashboard.ingest.write import apply_edits
    check_writable(db)
    row = db.execute("SELECT source, source_event_id, article_id FROM events WHERE id = ?",
                     [parse_id(event_id, "event id")]).fetchone()
    if row is None:
        raise ValueError(f"no event with id {event_id}")
    source, key, article_id = row
    rows = []
    for fld, value in changes.items():
        if fld not in EDITABLE_FIELDS:
            raise ValueError(f"field {fld!r} cannot be edited; editable: {', '.join(EDITABLE_FIELDS)}")
        if fld == "date":
            value = parse_day(value)
        if fld in ("actor1", "actor2") and value:
            value = value.strip().upper()
        if fld == "cameo_code" and value:
            value = value.strip()
            # A made-up code ("99") would be saved with a guessed QuadClass and no Goldstein.
            rows += list(event_fields(value).items())
        rows.append((fld, value))
    with db.conn:
        db.conn.executemany(
            "INSERT INTO edits (target, source, source_event_id, field, value, by) VALUES ('event', ?, ?, ?, ?, ?)",
            [(source, key, f, None if v is None else str(v), by) for f, v in rows])
        apply_edits(db, source, [key])
        if source == "extracted" and article_id is not None:
            # an edited date, actor or code may make it the same event as another report, or no longer
            repeats.mark_group(db, article_id)


def add_note(db, pair: tuple[str, str], day: str, text: str, by: str | None = None) -> int:
    """Pin an analyst's note to a date on a pair's timeline (`by`: who); returns its id. Raises
    store.StoreReadOnly when the store was opened read-only."""
    from dashboard.queries.filters import parse_day
    check_writable(db)
    a, b = sorted(pair)
    with db.conn:
        return db.execute("INSERT INTO notes (pair_a, pair_b, date, text, by) VALUES (?, ?, ?, ?, ?)",
                          [a, b, parse_day(day), text.strip(), by]).lastrowid


def list_notes(db, f: Filter) -> list[dict]:
    """Notes pinned to the filter's pair within its dates: dicts id, date, text, pair_a, pair_b, by (who
    pinned it; None for notes from before schema v16)."""
    w = clauses.where(db, f, clauses.NOTES)
    sql = f"SELECT n.id, n.date, n.text, n.pair_a, n.pair_b, n.by FROM notes n WHERE {w.sql} ORDER BY n.date"
    return [dict(zip(("id", "date", "text", "pair_a", "pair_b", "by"), r)) for r in db.execute(sql, w.params)]


def event_edits(db, event_id: int) -> list[dict]:
    """The edits of one event, oldest first: dicts field, value, by, at (what the Events page lists under it)."""
    return [dict(zip(("field", "value", "by", "at"), r)) for r in db.execute(
        "SELECT d.field, d.value, d.by, d.at FROM edits d JOIN events e ON d.target = 'event' "
        "AND d.source = e.source AND d.source_event_id = e.source_event_id WHERE e.id = ? ORDER BY d.id",
        [int(event_id)])]

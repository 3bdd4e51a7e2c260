"""Queries over events, shared by the Timeline and Events pages and the CLI,
and analyst edits that override extracted or imported values.

A keyword query restricts events to those whose article matches it (events from
GDELT/ACLED rows have no article text and drop out while a keyword is set).
"""
from __future__ import annotations

from typing import Iterator

from dashboard.knowledge.cameo import event_fields
from dashboard.queries.filters import Filter
from dashboard.queries.search import parse_query
from dashboard.store import check_writable

EVENT_COLUMNS = ("id", "date", "date_precision", "year_inferred", "actor1", "actor2", "cameo_code", "root_code",
                 "quad_class", "goldstein", "confidence", "warning", "source", "source_event_id", "article_id",
                 "evidence", "url", "note")


def where(db, f: Filter, alias: str = "e") -> tuple[str, list, bool]:
    """(WHERE clause over events `alias`, parameters, empty) for the filter `f`.

    `empty` is True when the keyword query can match nothing.
    """
    e = alias
    clauses, params = ["1=1"], []
    if f.pair:
        clauses.append(f"{e}.pair_a = ? AND {e}.pair_b = ?")
        params += list(f.pair)
    if f.date_from:
        clauses.append(f"{e}.date >= ?")
        params.append(f.date_from)
    if f.date_to:
        clauses.append(f"{e}.date <= ?")
        params.append(f.date_to)
    if f.sources:
        clauses.append(f"{e}.source IN ({', '.join('?' * len(f.sources))})")
        params += list(f.sources)
    if f.quad:
        clauses.append(f"{e}.quad_class IN ({', '.join('?' * len(f.quad))})")
        params += list(f.quad)
    q = parse_query(f.query, variants=f.variants, db=db)
    if q.match:
        clauses.append(f"{e}.article_id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(q.match)
    return " AND ".join(clauses), params, q.no_words


def _note_sql(e: str = "e") -> str:
    return (f"(SELECT value FROM edits d WHERE d.target = 'event' AND d.source = {e}.source "
            f"AND d.source_event_id = {e}.source_event_id AND d.field = 'note' ORDER BY d.id DESC LIMIT 1)")


def count_events(db, f: Filter) -> int:
    """Number of events matching `f`."""
    w, p, empty = where(db, f)
    return 0 if empty else db.execute(f"SELECT count(*) FROM events e WHERE {w}", p).fetchone()[0]


def list_events(db, f: Filter, *, limit: int | None = 100, offset: int = 0, extra_where: str = "",
                extra_params: list | None = None) -> list[dict]:
    """A page of events matching `f` (oldest first), as dicts keyed by EVENT_COLUMNS."""
    return list(iter_events(db, f, limit=limit, offset=offset, extra_where=extra_where, extra_params=extra_params))


def iter_events(db, f: Filter, *, limit: int | None = None, offset: int = 0, extra_where: str = "",
                extra_params: list | None = None, batch: int = 2000) -> Iterator[dict]:
    """Every event matching `f` (or `limit` of them), oldest first, streamed in batches."""
    w, p, empty = where(db, f)
    if empty:
        return
    cols = ", ".join(f"e.{c}" for c in EVENT_COLUMNS if c != "note") + f", {_note_sql()} AS note"
    sql = f"SELECT {cols} FROM events e WHERE {w} {extra_where} ORDER BY e.date, e.id"
    params = p + (extra_params or [])
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset)]
    cur = db.execute(sql, params)
    names = [c for c in EVENT_COLUMNS if c != "note"] + ["note"]
    while rows := cur.fetchmany(batch):
        for r in rows:
            yield dict(zip(names, r))


EDITABLE_FIELDS = ("date", "actor1", "actor2", "cameo_code", "note")


def edit_event(db, event_id: int, changes: dict[str, str | None]) -> None:
    """Save analyst edits of one event and apply them at once.

    changes: field → new value, fields from EDITABLE_FIELDS ('note' is stored beside
    the event and exported with it). A new CAMEO code also sets root_code, quad_class
    and goldstein from the CAMEO codebook (dashboard.knowledge.cameo). Edits are kept in `edits`, keyed on
    (source, source_event_id), so they survive re-import and re-extraction.
    Raises ValueError for an unknown event or field, a malformed date, or a code that is
    not in the CAMEO codebook (such as "99"), and
    store.StoreReadOnly when the store was opened read-only.
    """
    from dashboard.queries.filters import parse_day, parse_id
    from dashboard.ingest.write import apply_edits
    check_writable(db)
    row = db.execute("SELECT source, source_event_id FROM events WHERE id = ?", [parse_id(event_id, "event id")]).fetchone()
    if row is None:
        raise ValueError(f"no event with id {event_id}")
    source, key = row
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
            "INSERT INTO edits (target, source, source_event_id, field, value) VALUES ('event', ?, ?, ?, ?)",
            [(source, key, f, None if v is None else str(v)) for f, v in rows])
        apply_edits(db, source, [key])


def add_note(db, pair: tuple[str, str], day: str, text: str) -> int:
    """Pin an analyst's note to a date on a pair's timeline; returns its id. Raises
    store.StoreReadOnly when the store was opened read-only."""
    from dashboard.queries.filters import parse_day
    check_writable(db)
    a, b = sorted(pair)
    with db.conn:
        return db.execute("INSERT INTO notes (pair_a, pair_b, date, text) VALUES (?, ?, ?, ?)",
                          [a, b, parse_day(day), text.strip()]).lastrowid


def list_notes(db, f: Filter) -> list[dict]:
    """Notes pinned to the filter's pair within its dates: dicts id, date, text, pair_a, pair_b."""
    sql, params = "SELECT id, date, text, pair_a, pair_b FROM notes WHERE 1=1", []
    if f.pair:
        sql += " AND pair_a = ? AND pair_b = ?"
        params += list(f.pair)
    if f.date_from:
        sql += " AND date >= ?"
        params.append(f.date_from)
    if f.date_to:
        sql += " AND date <= ?"
        params.append(f.date_to)
    return [dict(zip(("id", "date", "text", "pair_a", "pair_b"), r)) for r in db.execute(sql + " ORDER BY date", params)]

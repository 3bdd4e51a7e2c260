"""Writing parsed records into the store: articles with their stubs, links,
actor mentions, pairs and extracted events; events from structured sources.

All functions run inside the caller's transaction and use plain SQL, because
sqlite-utils' insert helpers commit on their own and would break the rule that
a file lands whole or not at all.
"""
from __future__ import annotations

import hashlib
import json
import re
from typing import Iterable

from dashboard.analysis import actors as actors_mod
from dashboard.analysis import extract as extract_mod
from dashboard.analysis import salience as salience_mod
from dashboard.store import dialect, repeats
from ..store import flush_fts
from dashboard.analysis.language import detect_language
from dashboard.analysis.lemmas import lemmatise
from dashboard.analysis.textnorm import fold, normalise_for_hash
from .records import INFERRED_YEAR, ArticleRecord, EventRecord


def content_hash(title: str, body: str, identity: str = "") -> str:
    """sha1 hex of the casefolded words of title and body: equal for the same text however spaced.

    A text with no letters or digits ("–", "•••", "***") has no words to compare: its hash is made of
    `identity` (the record's URL, else its source, line and raw text: see record_identity) so that
    such records are never taken for duplicates of each other (issue #16).
    """
    words = normalise_for_hash(title, body)
    if not any(ch.isalnum() for ch in words):
        return hashlib.sha1(f"no words\x1f{identity}\x1f{title}\x1f{body}".encode()).hexdigest()
    return hashlib.sha1(words.encode()).hexdigest()


def record_identity(rec: ArticleRecord) -> str:
    """What tells a record apart when its text has no words: its URL, else its source and line."""
    return f"url {rec.url}" if rec.url else f"source {rec.source}\x1fline {rec.line}"


def title_key(title: str) -> str:
    """Casefolded words of a title: how a stub is matched to its full page."""
    return " ".join(re.findall(r"\w+", fold(title).casefold()))


ARTICLE_COLUMNS = ("url", "source", "title", "published_at", "published_date", "date_note", "section", "author",
                   "language", "body", "is_stub", "content_hash", "title_key", "import_id", "extra",
                   "title_lemmas", "body_lemmas")


def _row(rec: ArticleRecord, import_id: int | None) -> dict:
    return {
        "url": rec.url, "source": rec.source, "title": rec.title, "published_at": rec.published_at,
        "published_date": rec.local_date or (rec.published_at[:10] if rec.published_at else None),
        "date_note": rec.date_note, "section": rec.section, "author": rec.author,
        "language": detect_language(rec.title, rec.body), "body": rec.body, "is_stub": int(rec.is_stub),
        "content_hash": content_hash(rec.title, rec.body, record_identity(rec)), "title_key": title_key(rec.title),
        "import_id": import_id, "extra": json.dumps(rec.extra, ensure_ascii=False) if rec.extra else None,
        # the dictionary forms of the Russian words, indexed beside the text (schema v11; search)
        "title_lemmas": lemmatise(rec.title), "body_lemmas": lemmatise(rec.body),
    }


def write_article(db, rec: ArticleRecord, import_id: int | None = None,
                  precomputed: tuple[dict, list[dict]] | None = None) -> tuple[int, str, int]:
    """Insert `rec` unless the store has it; return (article id, outcome, new stubs).

    outcome: 'imported' (new row), 'duplicate' (same url or same content hash, or a
    stub whose title is already stored), 'upgraded' (a stub replaced by its full page,
    keeping its id and links). Stubs of rec.similar are written and linked with
    kind `editorial_similar`; `new stubs` counts those that were not stored yet.
    """
    row = _row(rec, import_id)
    existing = stub = None
    if rec.url:
        existing = db.execute("SELECT id, is_stub FROM articles WHERE url = ?", [rec.url]).fetchone()
        if existing is not None and existing[1] and not rec.is_stub:
            # A stub that knew its page's URL: the full page upgrades it, never counts as its duplicate.
            stub, existing = existing, None
    if existing is None:
        existing = db.execute("SELECT id FROM articles WHERE content_hash = ?", [row["content_hash"]]).fetchone()
    if existing is None and rec.is_stub and row["title_key"]:   # a wordless title matches no page
        existing = db.execute("SELECT id FROM articles WHERE title_key = ? ORDER BY is_stub LIMIT 1",
                              [row["title_key"]]).fetchone()
    outcome = "duplicate"
    if existing is not None:
        article_id = existing[0]
    else:
        if stub is None and not rec.is_stub and row["title_key"]:
            stub = db.execute("SELECT id FROM articles WHERE title_key = ? AND is_stub = 1 LIMIT 1",
                              [row["title_key"]]).fetchone()
        if stub is not None:
            article_id = stub[0]
            flush_fts(db)   # the update trigger removes the stub's terms: they must be indexed
            sets = ", ".join(f"{c} = :{c}" for c in ARTICLE_COLUMNS)
            db.execute(f"UPDATE articles SET {sets} WHERE id = :id", {**row, "id": article_id})
            outcome = "upgraded"
        else:
            cols = ", ".join(ARTICLE_COLUMNS)
            vals = ", ".join(f":{c}" for c in ARTICLE_COLUMNS)
            article_id = db.execute(f"INSERT INTO articles ({cols}) VALUES ({vals})", row).lastrowid
            outcome = "imported"
        analyse_article(db, article_id, rec.title, rec.body, rec.local_date or rec.published_at, precomputed,
                        new=outcome == "imported")
    new_stubs = 0
    for stub_rec in rec.similar:
        stub_id, stub_outcome, _ = write_article(db, stub_rec, import_id)
        new_stubs += stub_outcome == "imported"
        if stub_id != article_id:
            db.execute("INSERT OR IGNORE INTO article_links (from_id, to_id, kind) VALUES (?, ?, 'editorial_similar')",
                       [article_id, stub_id])
    return article_id, outcome, new_stubs


def analysis(title: str, body: str, published_at: str | None) -> tuple[dict, list[dict], list[tuple]]:
    """The store-independent part of analysing an article: (actor counts, extracted event rows,
    pair links).

    Pure and picklable, so that importers can run it in worker processes:
    counts is actors.count_actors(title + body) (actor → (count, kind)); event rows
    are dicts of `events` columns without article_id; pair links are (pair_a, pair_b,
    salience, about) for every pair of counted actors (analysis.salience).
    """
    # One scan of title + body gives both the article's counts and the body's mentions.
    found, counts = actors_mod.scan(f"{title}\n\n{body}", len(title) + 2)
    rows = []
    if published_at:
        for ev in extract_mod.extract_events(body, published_at, mentions=found):
            a, b = sorted((ev.actor1, ev.actor2))
            rows.append({
                "source": "extracted", "source_event_id": ev.key, "date": ev.date,
                "date_precision": ev.date_precision, "year_inferred": int(ev.year_inferred),
                "actor1": ev.actor1, "actor2": ev.actor2, "pair_a": a, "pair_b": b,
                "cameo_code": ev.cameo_code, "root_code": ev.root_code, "quad_class": ev.quad_class,
                "goldstein": ev.goldstein, "evidence": ev.evidence, "char_start": ev.char_start,
                "char_end": ev.char_end, "spans": json.dumps(ev.spans), "confidence": ev.confidence,
                "warning": ev.warning,
            })
    pairs = [(*x.pair, x.salience, int(x.about)) for x in salience_mod.links(title, body, found, counts, rows)]
    return counts, rows, pairs


def analysis_batch(tasks: list[tuple[str, str, str | None]]) -> list[tuple[dict, list[dict], list[tuple]]]:
    """analysis() over a list of (title, body, published_at): one round trip to a worker process."""
    return [analysis(*t) for t in tasks]


def analyse_article(db, article_id: int, title: str, body: str, published_at: str | None,
                    precomputed: tuple[dict, list[dict], list[tuple]] | None = None, *, new: bool = False) -> None:
    """(Re)compute an article's actor mentions, pairs (with their salience) and extracted events,
    and store them.

    precomputed: the result of analysis() for the same text, when a worker already ran it.
    new: the article row was just inserted, so there is nothing of it to delete first.
    Analyst edits of the article's events are re-applied.
    """
    counts, rows, pairs = precomputed if precomputed is not None else analysis(title, body, published_at)
    if not new:
        db.execute("DELETE FROM mentions WHERE article_id = ?", [article_id])
        db.execute("DELETE FROM article_pairs WHERE article_id = ?", [article_id])
    db.conn.executemany("INSERT INTO mentions (article_id, actor, count, kind) VALUES (?, ?, ?, ?)",
                        [(article_id, a, n, k) for a, (n, k) in counts.items()])
    # The pairs carry the article's dates (schema v4): a pair + date filter reads one index.
    day, at, note = db.execute("SELECT published_date, published_at, date_note FROM articles WHERE id = ?",
                               [article_id]).fetchone()
    # salience and about (schema v7): the pair filter's default reads only the links an article is about.
    db.conn.executemany(
        "INSERT INTO article_pairs (pair_a, pair_b, article_id, weight, published_date, published_at, salience, about) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(a, b, article_id, min(counts[a][0], counts[b][0]), day, at, sal, about)
         for a, b, sal, about in pairs])
    store_article_events(db, article_id, _flag_inferred_year(rows, note), new=new)


def _flag_inferred_year(rows: list[dict], note: str | None) -> list[dict]:
    """The event rows of an article whose publication year was inferred (pagetext: a date line
    without a year): every date resolved against it shares the guess, so each says so."""
    if not note or INFERRED_YEAR not in note:
        return rows
    flag = "publication " + note[note.index(INFERRED_YEAR):]
    return [{**r, "year_inferred": 1, "warning": f"{r['warning']}; {flag}" if r.get("warning") else flag}
            for r in rows]


def store_article_events(db, article_id: int, rows: list[dict], *, new: bool = False) -> int:
    """Replace the article's extracted events with `rows` (from analysis()); edits re-applied."""
    if not new:
        db.execute("DELETE FROM events WHERE article_id = ? AND source = 'extracted'", [article_id])
    if rows:
        rows = [{**r, "article_id": article_id} for r in rows]
        cols = list(rows[0])
        db.conn.executemany(
            f"INSERT OR IGNORE INTO events ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})", rows)
        apply_edits(db, "extracted", [r["source_event_id"] for r in rows])
    if not new:   # a new article has no near-duplicate links yet; a rewritten one's repeats follow its events
        repeats.mark_group(db, article_id)
    return len(rows)


EVENT_COLUMNS = ("source", "source_event_id", "date", "date_precision", "actor1", "actor2", "pair_a", "pair_b",
                 "cameo_code", "root_code", "quad_class", "goldstein", "intensity", "avg_tone",
                 "num_mentions", "num_sources", "num_articles", "evidence", "geo", "url", "extra", "import_id",
                 "revised_at", "lat", "lon", "actor1_lat", "actor1_lon", "actor2_lat", "actor2_lon")


def event_rows(recs: Iterable[EventRecord], import_id: int | None = None) -> list[tuple]:
    """The rows of `recs` for INSERT_EVENTS: tuples in EVENT_COLUMNS order, with the sorted pair
    (pair_a, pair_b) and `extra` as JSON text. Pure: the streaming importer builds them in its
    parser process."""
    rows = []
    append = rows.append
    dumps = json.dumps
    for r in recs:
        a1, a2 = r.actor1, r.actor2
        if a1 and a2:
            pa, pb = (a1, a2) if a1 <= a2 else (a2, a1)
        else:
            pa, pb = a1 or a2, None
        x = r.extra
        append((r.source, r.source_event_id, r.date, r.date_precision, a1, a2, pa, pb,
                r.cameo_code, r.root_code, r.quad_class, r.goldstein, r.intensity, r.avg_tone,
                r.num_mentions, r.num_sources, r.num_articles, r.evidence, r.geo, r.url,
                (x if type(x) is str else dumps(x, ensure_ascii=False)) if x else None, import_id, r.revised_at,
                r.lat, r.lon, r.actor1_lat, r.actor1_lon, r.actor2_lat, r.actor2_lon))
    return rows


INSERT_EVENTS = (f"INSERT OR IGNORE INTO events ({', '.join(EVENT_COLUMNS)}) "
                 f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})")


def insert_event_rows(db, rows: list[tuple]) -> int:
    """Insert rows made by event_rows; existing (source, source_event_id) keys are left as they are.
    Returns the number of rows inserted."""
    # the cursor's rowcount, not total_changes: that counts the rows the event_days triggers write too
    return getattr(db, "conn", db).executemany(INSERT_EVENTS, rows).rowcount


_REVISED = EVENT_COLUMNS.index("revised_at")
# The columns a newer version of an event replaces (its key and source stay; `edited` is the edits' own).
_REVISABLE = [c for c in EVENT_COLUMNS if c not in ("source", "source_event_id")]
UPDATE_NEWER = (f"UPDATE events SET {', '.join(c + ' = ?' for c in _REVISABLE)} "
                "WHERE source = ? AND source_event_id = ? AND (revised_at IS NULL OR revised_at < ?)")


_COORDS = ("lat", "lon", "actor1_lat", "actor1_lon", "actor2_lat", "actor2_lon")
_COORD_POS = [EVENT_COLUMNS.index(c) for c in _COORDS]
FILL_COORDINATES = (f"UPDATE events SET {', '.join(c + ' = ?' for c in _COORDS)} WHERE source = ? AND "
                    "source_event_id = ? AND lat IS NULL AND lon IS NULL AND actor1_lat IS NULL AND actor2_lat IS NULL")


def fill_coordinates(db, rows: list[tuple]) -> None:
    """Give stored events without any coordinates (stored before schema v12, which added them) those of
    `rows` (from event_rows, already offered to insert_event_rows); nothing else of theirs changes and
    they are not counted as updated."""
    located = [[r[i] for i in _COORD_POS] + [r[0], r[1]] for r in rows
               if r[_COORD_POS[0]] is not None or r[_COORD_POS[2]] is not None or r[_COORD_POS[4]] is not None]
    if located:
        getattr(db, "conn", db).executemany(FILL_COORDINATES, located)


def upsert_event_rows(db, rows: list[tuple]) -> tuple[int, int]:
    """insert_event_rows, then "the newer version wins": a row whose revised_at (the source's version
    time) is later than the stored row's replaces its values, and the analysts' edits of it are applied
    again. Rows stored without coordinates get those of the new rows (fill_coordinates). Returns (rows
    inserted, rows updated); the rest were stored already, unchanged."""
    inserted = insert_event_rows(db, rows)
    if inserted == len(rows):
        return inserted, 0
    fill_coordinates(db, rows)
    return inserted, update_newer(db, rows)


def update_newer(db, rows: list[tuple]) -> int:
    """Replace the stored events that `rows` (from event_rows, already offered to insert_event_rows)
    carry in a newer version (a later revised_at), applying the analysts' edits again. Returns the
    number of rows updated."""
    revised = [r for r in rows if r[_REVISED] is not None]
    if not revised:
        return 0
    conn = getattr(db, "conn", db)
    pos = [EVENT_COLUMNS.index(c) for c in _REVISABLE]
    updated = conn.executemany(UPDATE_NEWER, [[r[i] for i in pos] + [r[0], r[1], r[_REVISED]] for r in revised]).rowcount
    if updated:
        by_source: dict[str, list[str]] = {}
        for r in revised:
            by_source.setdefault(r[0], []).append(r[1])
        for source, keys in by_source.items():
            for i in range(0, len(keys), 500):
                apply_edits(db, source, keys[i:i + 500])
    return updated


def delete_events(db, deletions: list) -> int:
    """Remove the events the source withdrew (records.Deletion); a row stored in a version newer than
    the deletion stays. Returns the number of rows deleted. The analysts' edits are kept (an overlay:
    they apply again if the event is published again)."""
    conn = getattr(db, "conn", db)
    return conn.executemany("DELETE FROM events WHERE source = ? AND source_event_id = ? "
                            "AND (? IS NULL OR revised_at IS NULL OR revised_at <= ?)",
                            [(d.source, d.source_event_id, d.deleted_at, d.deleted_at) for d in deletions]).rowcount


def write_events(db, recs: list[EventRecord], import_id: int | None = None) -> tuple[int, int]:
    """Insert events keyed on (source, source_event_id); an existing key is left as it is unless the
    record is a newer version of it (upsert_event_rows).

    Returns (rows inserted, rows updated); duplicates are the rest.
    """
    rekey_legacy(db, recs)
    return upsert_event_rows(db, event_rows(recs, import_id))


def rekey_legacy(db, recs: list[EventRecord]) -> None:
    """Give manual events stored under their old key (file:date:actor1:actor2, which merged different
    rows of a day and pair: issue #16) the content key of the first row that carries that old key, with
    their analysts' edits; the other rows of that old key then land as events of their own."""
    for r in recs:
        if not r.legacy_key or r.legacy_key == r.source_event_id:
            continue
        if db.execute("SELECT 1 FROM events WHERE source = ? AND source_event_id = ?",
                      [r.source, r.legacy_key]).fetchone() is None:
            continue
        if db.execute("SELECT 1 FROM events WHERE source = ? AND source_event_id = ?",
                      [r.source, r.source_event_id]).fetchone() is not None:
            continue
        for table in ("events", "edits"):
            db.execute(f"UPDATE {table} SET source_event_id = ? WHERE source = ? AND source_event_id = ?",
                       [r.source_event_id, r.source, r.legacy_key])


EDITABLE = {"date", "actor1", "actor2", "cameo_code", "root_code", "quad_class", "goldstein", "note"}


def apply_edits(db, source: str, keys: list[str] | None = None) -> None:
    """Apply stored analyst edits over the events of `source` (all, or those with `keys`).

    Edits are kept in `edits` and win over every extracted or imported value;
    the pair columns follow edited actors.
    """
    if db.execute("SELECT NOT EXISTS (SELECT 1 FROM edits)").fetchone()[0]:
        return
    sql = "SELECT source_event_id, field, value FROM edits WHERE target = 'event' AND source = ?"
    params: list = [source]
    if keys is not None:
        if not keys:
            return
        sql += f" AND source_event_id IN ({', '.join('?' * len(keys))})"
        params += keys
    for key, fieldname, value in db.execute(sql + " ORDER BY id", params).fetchall():
        if fieldname == "note":
            continue
        if fieldname not in EDITABLE:
            continue
        db.execute(f"UPDATE events SET {fieldname} = ?, edited = 1 WHERE source = ? AND source_event_id = ?",
                   [value, source, key])
        if fieldname in ("actor1", "actor2"):
            d = dialect.of(db)
            db.execute(f"UPDATE events SET pair_a = {d.smaller('actor1', 'actor2')}, "
                       f"pair_b = {d.larger('actor1', 'actor2')} "
                       "WHERE source = ? AND source_event_id = ?", [source, key])

"""One entry point for every importer: `import_paths(db, paths)`.

Each file is parsed by the first format whose `sniff` accepts it (by extension
and content, tables in FORMATS), and written in one transaction: a file that
fails leaves nothing behind and does not stop the others. Row-level errors in a
table skip that row and are reported with the line and field. A file whose
sha256 was imported before is skipped as a duplicate.

Event tables of the streaming formats (GDELT, ACLED, ICEWS, POLECAT: STREAM_FORMATS) are the exception to
"one transaction per file": they are read from disk (or from a `.zip` member) line by line and
written in batches of BATCH_ROWS rows, one commit per batch, so that a file of millions of rows
imports in constant memory. Their `imports` row is committed first with status 'running' and only
becomes 'imported' at the end; a run that is interrupted leaves the batches already committed, and
importing the file again resumes it (the same `imports` row is reused, and rows already stored are
skipped by the unique key (source, source_event_id), so nothing is duplicated).
"""
from __future__ import annotations

import gc
import concurrent.futures
import csv
import hashlib
import multiprocessing
import io
import json
import os
import sqlite3
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import acled, gdelt, icews, pagetext, polecat, tabular
from . import archive, feeds, html
from .encoding import Lines, choose_encoding, decode_whole, encoding_label, newline_of, normalise_newlines, pick_encoding
from ..knowledge.countries import is_actor_code
from ..store import defer_fts, flush_fts
from .records import ArticleRecord, Deletion, EventRecord, FileError, RowError
from .write import (delete_events, event_rows, fill_coordinates, insert_event_rows, update_newer, write_article,
                    write_events)

TEXT_EXTS = {".txt", ".text", ".md", ""}
TABLE_EXTS = {".csv", ".tsv", ".tab"}
JSON_EXTS = {".jsonl", ".ndjson", ".json"}
KNOWN_EXTS = TEXT_EXTS | TABLE_EXTS | JSON_EXTS | {".zip", ".html", ".htm", ".xml", ".rss", ".atom"}
MAX_ERRORS_KEPT = 20
# Analysts' tables hold whole article bodies in one cell; the csv module's default limit is 128 KiB.
csv.field_size_limit(1 << 30)
BATCH_ROWS = 10_000          # rows parsed (and sent from the parser process) at a time when streaming an event table
# Rows per transaction when streaming: a commit writes every index page the batch touched, and the
# random (pair, date) positions of GDELT rows touch thousands; 10,000-row commits were half of the
# import time of a store with a million events (BENCHMARKS.md).
COMMIT_ROWS = 100_000
HEAD_BYTES = 64 * 1024       # bytes read to recognise a file's format before streaming it
# SQLite page cache while streaming an event table: the events indexes of a store with millions of
# rows stay in memory between batches (the default 2 MiB re-reads them). A fixed amount: memory
# does not grow with the file.
IMPORT_CACHE_KIB = 128 * 1024
# Article tables (JSON Lines, CSV) larger than this are read line by line from disk (ingest.encoding.Lines)
# rather than decoded whole, which cost about seven times the file in memory (8.5 GB for a 1.15 GB
# file): one record at a time is parsed, and the workers analyse bounded chunks (_with_analysis).
# Smaller files are decoded whole, which also lets charset-normalizer look at all of a file whose
# encoding its first bytes do not settle.
ARTICLE_STREAM_BYTES = 16 << 20
# Articles written between two flushes of the deferred FTS index (store.flush_fts) and between two
# progress calls (on_rows) of a streamed article table.
FTS_FLUSH_ROWS = 5_000
PROGRESS_ROWS = 1_000
# Row errors of a file kept to count its commonest reasons ("no row could be imported: …"); the
# rest are only counted (`failed`), so a file of a million bad rows does not hold a million errors.
MAX_ERRORS_SCANNED = 1_000


@dataclass
class FileReport:
    """What happened to one file. status: imported | duplicate | failed | skipped.

    rows_read = imported + updated + duplicates + failed + filtered for event tables (filtered: rows
    left out by `countries` / `pair_only`; updated: stored events replaced by a newer version of the
    source, such as an ACLED row with a later `timestamp`; duplicates are then the rows stored
    already, unchanged). deleted: events removed by a source's deletions file. warnings: records
    that landed with a problem the analyst must see (a feed item whose date could not be read, an
    article stored without a date), `warned` counting them all. errors keeps at most MAX_ERRORS_KEPT RowErrors of a streamed file
    (`failed` counts them all). unknown_codes: actor codes or names kept as they are because they
    could not be mapped to ISO 3166-1 alpha-3 (code → rows), which is not a failure.
    """
    path: str
    format: str | None = None
    status: str = "imported"
    imported: int = 0
    duplicates: int = 0
    failed: int = 0
    links: int = 0
    events: int = 0
    rows_read: int = 0
    filtered: int = 0
    updated: int = 0
    deleted: int = 0
    warned: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)   # the first MAX_ERRORS_KEPT; `warned` counts all
    encoding: str | None = None     # the encoding a file not in UTF-8 was read in
    unknown_codes: dict[str, int] = field(default_factory=dict)

    def kept_errors(self) -> list[RowError]:
        """The errors shown and kept in `imports`: a failed file's own reason (line 0, first) and then
        the first MAX_ERRORS_KEPT row errors, so a file whose every row was rejected says why."""
        head = 1 if self.status == "failed" and self.errors and self.errors[0].line == 0 else 0
        return self.errors[:MAX_ERRORS_KEPT + head]

    def more_errors(self) -> int:
        """How many row errors kept_errors leaves out."""
        kept = self.kept_errors()
        head = len(kept) > 0 and self.status == "failed" and kept[0].line == 0
        return max(len(self.errors), self.failed + head) - len(kept)

    def error_lines(self) -> list[str]:
        """Messages naming the file, line and field (kept_errors)."""
        return [f"{self.path}: {e}" for e in self.kept_errors()]


@dataclass
class ImportReport:
    """The per-file reports of one import run."""
    files: list[FileReport] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 when any file failed or any row was rejected, else 0."""
        return 1 if any(f.status == "failed" or f.failed for f in self.files) else 0

    def totals(self) -> dict[str, int]:
        """Sums over files: imported, duplicates, failed (rows), links, events, filtered, and file counts."""
        t = {k: sum(getattr(f, k) for f in self.files)
             for k in ("imported", "duplicates", "failed", "links", "events", "filtered", "updated", "deleted")}
        t["files"] = len(self.files)
        t["files_failed"] = sum(f.status == "failed" for f in self.files)
        t["files_duplicate"] = sum(f.status == "duplicate" for f in self.files)
        return t

    def summary(self) -> str:
        """A plain-text report: one line per file, then the errors, then the totals."""
        lines = []
        for f in self.files:
            lines.append(f"{f.status:9} {f.path}  [{f.format or '?'}] imported {f.imported}, "
                         f"duplicates {f.duplicates}, failed {f.failed}, links {f.links}, events {f.events}"
                         + (f", filtered out {f.filtered}" if f.filtered else "")
                         + (f", updated {f.updated} (newer version), unchanged {f.duplicates}" if f.updated else "")
                         + (f", deleted {f.deleted}" if f.deleted else "")
                         + (f", warnings {f.warned}" if f.warned else "")
                         + (f", encoding {f.encoding}" if f.encoding else ""))
            lines += ["          " + e for e in f.error_lines()]
            lines += [f"          warning: {f.path}: {w}" for w in f.warnings[:MAX_ERRORS_KEPT]]
            if f.warned > MAX_ERRORS_KEPT:
                lines.append(f"          … and {f.warned - MAX_ERRORS_KEPT} more warnings")
            if f.more_errors() > 0:
                lines.append(f"          … and {f.more_errors()} more errors")
            if f.unknown_codes:
                top = sorted(f.unknown_codes.items(), key=lambda kv: (-kv[1], kv[0]))
                shown = ", ".join(f"{k} ({n})" for k, n in top[:15]) + (" …" if len(top) > 15 else "")
                lines.append(f"          kept as is, not mapped to ISO 3166-1: {shown}")
        t = self.totals()
        lines.append(f"{_n(t['files'], 'file')}: imported {_n(t['imported'], 'record')}, "
                     f"{_n(t['duplicates'], 'duplicate')}, {_n(t['failed'], 'failed row')}, "
                     f"{_n(t['files_failed'], 'failed file')}, "
                     f"{_n(t['files_duplicate'], 'file')} skipped as already imported; "
                     f"{_n(t['links'], 'link')}, {_n(t['events'], 'event')}"
                     + (f"; {_n(t['filtered'], 'row')} filtered out" if t["filtered"] else "")
                     + (f"; {_n(t['updated'], 'event')} updated to a newer version" if t["updated"] else "")
                     + (f"; {_n(t['deleted'], 'event')} deleted" if t["deleted"] else ""))
        return "\n".join(lines)


def _n(count: int, noun: str) -> str:
    """'1 file', '0 files', '3 failed rows': a count with its noun in the right number (#18: "1 files")."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --- formats -----------------------------------------------------------------------------

def _sniff_table(ext: str, text: str) -> bool:
    return ext in TABLE_EXTS


def _sniff_json(ext: str, text: str) -> bool:
    return ext in JSON_EXTS or text.lstrip()[:1] in ("{", "[")


def _sniff_page(ext: str, text: str) -> bool:
    return ext in TEXT_EXTS and pagetext.looks_like(text)


# name, sniff(ext, text), parse(text, name) — the first match wins; later issues add formats here.
FORMATS: list[tuple[str, Callable[[str, str], bool], Callable[[str, str], Iterable]]] = [
    ("acled-json", acled.sniff_json, acled.parse_json),
    ("jsonl", _sniff_json, tabular.parse_jsonl),
    ("gdelt", gdelt.sniff, gdelt.parse),
    ("acled", acled.sniff, acled.parse),
    ("acled-deleted", acled.sniff_deleted, acled.parse_deleted),
    ("icews", icews.sniff, icews.parse),
    ("polecat", polecat.sniff, polecat.parse),
    ("csv", _sniff_table, tabular.parse_csv),
    ("feed", feeds.sniff, feeds.parse),
    ("html", html.sniff, html.parse),
    ("page-text", _sniff_page, pagetext.parse),
]


# Formats read line by line and written in batches: parse_lines(lines, name, unknown Counter).
STREAM_FORMATS: dict[str, Callable[..., Iterable]] = {
    "gdelt": gdelt.parse_lines,
    "acled": acled.parse_lines,
    "icews": icews.parse_lines,
    "polecat": polecat.parse_lines,
}


# Article tables read line by line when large (ARTICLE_STREAM_BYTES): parse(lines, name).
ARTICLE_STREAMS: dict[str, Callable[..., Iterable]] = {
    "jsonl": tabular.parse_jsonl_lines,
    "csv": tabular.parse_csv_lines,
}


def detect_format(name: str, text: str) -> str | None:
    """The format name FORMATS picks for a file called `name` with content `text`, or None."""
    ext = Path(name).suffix.lower()
    for fmt, sniff, _ in FORMATS:
        if sniff(ext, text):
            return fmt
    if ext in TEXT_EXTS:
        # A .txt that fits nothing is most likely a broken page: let that parser say which line is wrong.
        return "page-text"
    return None


def _parser(fmt: str):
    return next(p for f, _, p in FORMATS if f == fmt)


# --- running -----------------------------------------------------------------------------

def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Files named in `paths`, folders walked recursively in sorted order (hidden files and folders
    skipped; symbolic links to folders not followed). One folder's names are held at a time, so a
    folder of a million pages is walked without a list of all its paths."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from _walk(p)
        else:
            yield p


def _walk(folder: Path) -> Iterator[Path]:
    """The files under `folder` in the order of their sorted paths (a folder's files right after it)."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(((e.name, e.is_dir(follow_symlinks=False), e.is_file()) for e in it
                              if not e.name.startswith(".")))
    except OSError:
        return
    for name, is_dir, is_file in entries:
        if is_dir:
            yield from _walk(folder / name)
        elif is_file:
            yield folder / name


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def import_bytes(db, name: str, data: bytes, *, force: bool = False, countries: Iterable[str] | None = None,
                 pair_only: bool = False, on_rows: Callable[[str, int, float | None], None] | None = None,
                 max_unpacked: int | None = None) -> list[FileReport]:
    """Import one file's bytes (`name` is shown in reports and picks the parser).

    A `.zip` is read as import_file reads one (ingest.archive's budget; max_unpacked as there), each
    member imported as its own file. Returns one FileReport per file. Never raises for bad input:
    problems are in the reports. countries / pair_only / on_rows: as in import_paths (event rows only).
    """
    opts = {"countries": countries, "pair_only": pair_only, "on_rows": on_rows}
    if name.lower().endswith(".zip"):
        return _import_archive(db, name, io.BytesIO(data), force=force, max_unpacked=max_unpacked, **opts)
    sha = hashlib.sha256(data).hexdigest()
    report = FileReport(name)
    if not force and db.execute("SELECT 1 FROM imports WHERE sha256 = ? AND status = 'imported'", [sha]).fetchone():
        report.status = "duplicate"
        return [report]
    started = _now()
    try:
        # errors: lines whose bad bytes were repaired; encoding: named when not UTF-8
        text, report.errors, report.encoding = decode_whole(data, name)
        report.format = detect_format(name, text)
        if report.format is None:
            raise FileError("unknown format: not a page-text article, JSON Lines, CSV or another known format")
        if report.format in STREAM_FORMATS:
            _import_stream(db, name, sha, started, report, io.StringIO(text), None, **opts)
        else:
            parse = _parser(report.format)
            _import_text(db, name, lambda: parse(text, Path(name).name), sha, started, report,
                         keep=_event_filter(countries, pair_only))
    except FileError as exc:
        _failed(db, name, sha, report, started, exc)
    return [report]


def _failed(db, name: str, sha: str, report: FileReport, started: str, exc: FileError) -> None:
    """Mark the file failed for `exc` and record it in `imports`."""
    report.status = "failed"
    # the rows' own reasons stay after the file's: "every row rejected" says what was wrong with them
    report.errors = [RowError(exc.line, exc.field, str(exc))] + report.errors[:MAX_ERRORS_KEPT]
    _record(db, name, sha, report, started)


def _event_filter(countries: Iterable[str] | None, pair_only: bool) -> Callable[[EventRecord], bool] | None:
    """The predicate an event must pass under --countries / --pair-only, or None when both are off.

    countries: both actors must be in the set (codes compared in upper case). pair_only: two
    distinct actors that are both countries or blocs (ISO 3166-1 alpha-3, EU, NATO).
    """
    wanted = frozenset(c.strip().upper() for c in countries if c.strip()) if countries else None
    if not wanted and not pair_only:
        return None
    is_country = is_actor_code

    def keep(ev: EventRecord) -> bool:
        a, b = ev.actor1, ev.actor2
        if wanted is not None and (a not in wanted or b not in wanted):
            return False
        if pair_only and (a == b or not is_country(a) or not is_country(b)):
            return False
        return True
    return keep


def _import_text(db, name: str, read: Callable[[], Iterable], sha: str, started: str, report: FileReport,
                 keep: Callable[[EventRecord], bool] | None = None, lines: Lines | None = None,
                 progress: Callable[[int], None] | None = None) -> None:
    """Write the records of one file (`read()`: its parser's iterator, consumed once) in a single
    transaction (events failing `keep` are counted in report.filtered and not written).

    Memory does not grow with the file: records are written as they are parsed, the FTS index is
    filled every FTS_FLUSH_ROWS articles, and at most MAX_ERRORS_SCANNED row errors are kept.
    lines: the streamed file's Lines, whose repaired lines are reported; progress(rows read) is
    called every PROGRESS_ROWS rows.
    """
    with defer_fts(db):
        _import_text_in_transaction(db, name, read, sha, started, report, keep, lines, progress)


def _import_text_in_transaction(db, name, read, sha, started, report, keep, lines, progress) -> None:
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        import_id = conn.execute(
            "INSERT INTO imports (path, sha256, format, started_at, status) VALUES (?, ?, ?, ?, 'running')",
            [name, sha, report.format, started]).lastrowid
        events: list[EventRecord] = []
        deletions: list[Deletion] = []
        unmapped: Counter = Counter()
        unindexed = 0
        # The file's articles are those inserted after `first` and the older stubs it upgraded: the
        # counts below read them by id, not by a scan of every stored article per file (a folder of
        # 40,000 pages spent most of its time there: quadratic).
        first = conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        upgraded: list[int] = []
        for item, pre in _with_analysis(read()):
            report.rows_read += 1
            if progress is not None and report.rows_read % PROGRESS_ROWS == 0:
                progress(report.rows_read)
            if isinstance(item, RowError):
                report.failed += 1
                if len(report.errors) < MAX_ERRORS_SCANNED:
                    report.errors.append(item)
            elif isinstance(item, ArticleRecord):
                article_id, outcome, new_stubs = write_article(db, item, import_id, pre)
                if outcome == "upgraded" and article_id <= first:
                    upgraded.append(article_id)     # an older stub this file's page replaced
                report.imported += new_stubs
                if outcome == "duplicate":
                    report.duplicates += 1
                else:
                    report.imported += 1
                    _warn(report, item)
                    unindexed += 1
                    if unindexed >= FTS_FLUSH_ROWS:
                        flush_fts(db)   # FTS5 holds a statement's terms in memory: index in bounded steps
                        unindexed = 0
            elif isinstance(item, EventRecord):
                unmapped.update(item.unmapped)
                if keep is not None and not keep(item):
                    report.filtered += 1
                    continue
                events.append(item)
                if len(events) >= 5000:
                    _flush_events(db, events, import_id, report)
            elif isinstance(item, Deletion):
                deletions.append(item)
        _flush_events(db, events, import_id, report)
        if lines is not None:   # a streamed file's repaired lines, first, as decode_whole reports them
            report.errors[:0] = lines.take_problems()
        report.unknown_codes = dict(unmapped)
        if deletions:
            report.deleted = delete_events(db, deletions)
            report.duplicates += len(deletions) - report.deleted   # withdrawn events not stored (or newer)
        if report.imported == 0 and report.duplicates == 0 and report.deleted == 0 and report.failed:
            raise FileError(f"no row could be imported ({report.failed} rejected{_top_reasons(report.errors, report.failed)})")
        report.links, events = _links_and_events(conn, import_id, first, upgraded)
        report.events += events
        conn.execute(
            "UPDATE imports SET finished_at = ?, status = 'imported', imported = ?, duplicates = ?, failed = ?, "
            "updated = ?, deleted = ?, errors = ?, warnings = ?, encoding = ? WHERE id = ?",
            [_now(), report.imported, report.duplicates, report.failed, report.updated, report.deleted,
             json.dumps([e.__dict__ for e in report.kept_errors()]),
             json.dumps([w.__dict__ for w in report.warnings]) if report.warned else None, report.encoding,
             import_id])
        flush_fts(db)
        conn.execute("COMMIT")
    except FileError:
        conn.execute("ROLLBACK")
        _nothing_kept(report)
        raise
    except Exception as exc:  # a bug or an unforeseen input must still leave no half-written file
        conn.execute("ROLLBACK")
        _nothing_kept(report)
        raise FileError(f"import failed: {type(exc).__name__}: {exc}") from exc


def _links_and_events(conn, import_id: int, first: int, upgraded: list[int]) -> tuple[int, int]:
    """(links from, extracted events of) the articles of import `import_id`: ids above `first`, and
    the stubs of `upgraded`, read through the primary key."""
    ids = ("SELECT id FROM articles WHERE id > ? AND import_id = ? "
           "UNION ALL SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?)) AND import_id = ?")
    args = [first, import_id, json.dumps(upgraded), import_id]
    links = conn.execute(f"SELECT count(*) FROM article_links WHERE from_id IN ({ids})", args).fetchone()[0]
    events = conn.execute(f"SELECT count(*) FROM events WHERE article_id IN ({ids})", args).fetchone()[0]
    return links, events


def _nothing_kept(report: FileReport) -> None:
    """A rolled-back file stored nothing: its report must not say it imported rows."""
    report.imported = report.duplicates = report.updated = report.deleted = 0
    report.links = report.events = 0


def _warn(report: FileReport, rec: ArticleRecord) -> None:
    """Count the record's warning (its own, or "stored without a date") into the report."""
    if rec.warning:
        message, fld = rec.warning, "published_at"
    elif rec.published_at is None and not rec.is_stub:
        note = rec.date_note or "none given"
        # a note that already says so ("…; stored without a date") is the message itself
        message = note.removeprefix("warning: ") if "stored without a date" in note \
            else f"stored without a date ({note})"
        fld = "published_at"
    else:
        return
    report.warned += 1
    if len(report.warnings) < MAX_ERRORS_KEPT:
        report.warnings.append(RowError(rec.line, fld, message))


def _top_reasons(errors: list[RowError], failed: int, n: int = 3) -> str:
    """': 1000 × field title: missing title; …' — the commonest reasons among the row errors kept
    (a streamed file keeps the first MAX_ERRORS_KEPT: then 'among the first 20: …')."""
    counts = Counter((e.field, e.message) for e in errors if e.line)
    if not counts:
        return ""
    top = counts.most_common(n)
    seen = sum(counts.values())
    return (": " if seen >= failed else f", among the first {seen}: ") + "; ".join(f"{k} × " + (f"field {f}: " if f else "") + m for (f, m), k in top) + (
        "; …" if len(counts) > n else "")


def _flush_events(db, events: list[EventRecord], import_id: int, report: FileReport) -> None:
    if events:
        new, updated = write_events(db, events, import_id)
        report.imported += new
        report.updated += updated
        report.duplicates += len(events) - new - updated
        report.events += new
        events.clear()


def _record(db, name: str, sha: str, report: FileReport, started: str) -> None:
    with db.conn:
        db.execute(
            "INSERT INTO imports (path, sha256, format, started_at, finished_at, status, failed, encoding, errors) "
            "VALUES (?, ?, ?, ?, ?, 'failed', ?, ?, ?)",
            [name, sha, report.format, started, _now(), report.failed or 1, report.encoding,
             json.dumps([e.__dict__ for e in report.kept_errors()])])


# --- streaming event tables -----------------------------------------------------------------

def _head_text(head: bytes) -> tuple[str, str] | None:
    """(text, encoding) of a file's first bytes, or None when they look binary (encoding.pick_encoding).
    The text's line ends are written as LF (encoding.normalise_newlines), as the streamed lines are."""
    encoding = pick_encoding(head)
    if encoding is None:
        return None
    return normalise_newlines(head.decode(encoding, errors="replace")), encoding


def stream_format(name: str, head: bytes) -> tuple[str, str] | None:
    """(format, encoding) when the file whose first bytes are `head` is one of STREAM_FORMATS, else None.

    The formats are tried in FORMATS order, so a file another format claims first is not streamed.
    """
    if name.lower().endswith(".zip"):
        return None
    decoded = _head_text(head)
    if decoded is None:
        return None
    fmt = detect_format(name, decoded[0])
    return (fmt, decoded[1]) if fmt in STREAM_FORMATS else None


def _import_stream(db, name: str, sha: str, started: str, report: FileReport, lines: Iterable[str],
                   progress_pos: Callable[[], float | None] | None, *, countries: Iterable[str] | None = None,
                   pair_only: bool = False, on_rows: Callable[[str, int, float | None], None] | None = None) -> None:
    """Parse `lines` with the streaming parser of report.format (in a forked parser process when
    import_paths was given workers > 1) and write the events in batches of BATCH_ROWS, committing
    every COMMIT_ROWS rows (constant memory).

    The `imports` row is committed first with status 'running' (an earlier 'running' row of the same
    sha256 is reused: the import resumes) and set to 'imported' or 'failed' at the end. Rows failing
    the countries / pair_only filter are counted in report.filtered. on_rows(name, rows read, fraction
    of the file read or None) is called after every batch. Never raises: a failure sets report.status
    to 'failed'; batches committed before it stay.
    """
    conn = db.conn
    import_id = _running_import(conn, name, sha, report.format, started)
    writer = _StreamWriter(db, report, import_id)
    unknown: Counter = Counter()
    parse = (report.format, lines, Path(name).name, _event_filter(countries, pair_only), import_id, progress_pos)
    batches = _batches_in_child(*parse) if _POOL is not None else _batches(*parse, unknown)
    status = "imported"
    try:
        with _bulk_load(conn):
            writer.write_all(batches, unknown, on_rows, name)
        if report.imported == 0 and report.duplicates == 0 and report.updated == 0 and report.filtered == 0 \
                and report.failed:
            raise FileError(f"no row could be imported ({report.failed} rejected{_top_reasons(report.errors, report.failed)})")
    except FileError as exc:
        status = "failed"
        report.errors.insert(0, RowError(exc.line, exc.field, str(exc)))
    except Exception as exc:  # a bug, a full disk, a decoding failure: the batches committed so far stay
        status = "failed"
        report.errors.insert(0, RowError(0, None, f"import failed after {report.rows_read} rows "
                                                  f"(re-import to resume): {type(exc).__name__}: {exc}"))
    report.status = status
    report.unknown_codes = dict(unknown)
    with conn:
        conn.execute(
            "UPDATE imports SET finished_at = ?, status = ?, imported = ?, duplicates = ?, failed = ?, updated = ?, "
            "encoding = ?, errors = ? WHERE id = ?",
            [_now(), status, report.imported, report.duplicates, report.failed, report.updated, report.encoding,
             json.dumps([e.__dict__ for e in report.kept_errors()]), import_id])


def _running_import(conn, name: str, sha: str, fmt: str, started: str) -> int:
    """The id of the file's `imports` row with status 'running', committed before any event: an
    earlier 'running' row of the same sha256 is reused, so that a re-import resumes it."""
    with conn:
        row = conn.execute("SELECT id FROM imports WHERE sha256 = ? AND status = 'running' ORDER BY id DESC LIMIT 1",
                           [sha]).fetchone()
        if row:
            conn.execute("UPDATE imports SET path = ?, format = ? WHERE id = ?", [name, fmt, row[0]])
            return row[0]
        return conn.execute(
            "INSERT INTO imports (path, sha256, format, started_at, status) VALUES (?, ?, ?, ?, 'running')",
            [name, sha, fmt, started]).lastrowid


@contextmanager
def _bulk_load(conn):
    """A larger page cache and no cyclic garbage collector while a streamed file is written."""
    # The records are acyclic and at most a batch of them is alive, so the cyclic garbage collector
    # only costs time here (about a tenth of a GDELT import).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    cache_pages = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        if gc_was_enabled:
            gc.enable()
        conn.execute(f"PRAGMA cache_size = {cache_pages}")


class _StreamWriter:
    """Writes the batches of one streamed file under its `imports` row, committing every COMMIT_ROWS
    rows, and keeps the report's counts equal to what is committed when a write fails."""

    def __init__(self, db, report: FileReport, import_id: int):
        self.db = db
        self.conn = db.conn
        self.report = report
        self.import_id = import_id
        self.pending = 0                # rows written since the last commit
        self.committed = (0, 0, 0, 0)   # report.imported, .duplicates, .events, .updated at the last commit

    def write_all(self, batches: Iterable[_Batch | Counter], unknown: Counter,
                  on_rows: Callable[[str, int, float | None], None] | None, name: str) -> None:
        """Count and write every batch, calling on_rows(name, rows read, fraction read) after each."""
        report = self.report
        try:
            for batch in batches:
                if type(batch) is Counter:  # the parser process's unknown codes, sent last
                    unknown.update(batch)
                    continue
                report.rows_read += batch.read
                report.failed += batch.failed
                report.filtered += batch.filtered
                report.errors += batch.errors[:MAX_ERRORS_KEPT - len(report.errors)]
                if batch.rows:
                    self.write(batch.rows)
                if batch.last:
                    self.commit()
                if on_rows:
                    on_rows(name, report.rows_read, batch.position)
        except sqlite3.Error:
            self.rollback()
            raise
        except BaseException:
            # The parser failed or the import was interrupted: the rows written since the last
            # commit are good rows, so they are kept and a re-import resumes after them.
            try:
                self.commit()
            except sqlite3.Error:
                self.rollback()
            raise

    def write(self, rows: list[tuple]) -> None:
        conn, report = self.conn, self.report
        if not conn.in_transaction:
            conn.execute("BEGIN IMMEDIATE")
        new = insert_event_rows(self.db, rows)
        updated = 0
        if new < len(rows):
            fill_coordinates(self.db, rows)
            updated = update_newer(self.db, rows)
        report.imported += new
        report.updated += updated
        report.duplicates += len(rows) - new - updated
        report.events += new
        self.pending += len(rows)
        if self.pending >= COMMIT_ROWS:
            self.commit()

    def commit(self) -> None:
        conn, report = self.conn, self.report
        if conn.in_transaction:
            conn.execute("UPDATE imports SET imported = ?, duplicates = ?, failed = ?, updated = ? WHERE id = ?",
                         [report.imported, report.duplicates, report.failed, report.updated, self.import_id])
            conn.execute("COMMIT")
        self.pending, self.committed = 0, (report.imported, report.duplicates, report.events, report.updated)

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.report.imported, self.report.duplicates, self.report.events, self.report.updated = self.committed


@dataclass
class _Batch:
    """Rows parsed from a streamed table, ready for insert_event_rows, and what was left out."""
    rows: list[tuple]
    read: int = 0                 # table rows read for this batch
    failed: int = 0
    filtered: int = 0
    errors: list[RowError] = field(default_factory=list)  # at most MAX_ERRORS_KEPT per file
    position: float | None = None  # fraction of the file read
    last: bool = False             # the file's last batch


def _batches(fmt: str, lines: Iterable[str], name: str, keep: Callable[[EventRecord], bool] | None,
             import_id: int, progress_pos: Callable[[], float | None] | None,
             unknown: Counter) -> Iterator[_Batch]:
    """Parse `lines` with STREAM_FORMATS[fmt] into _Batch objects: one every BATCH_ROWS table rows
    read (kept, failed or filtered out alike, so progress is reported even when a filter keeps few),
    and a last one (possibly empty, `last` set) at the end. Unknown actor codes are counted into
    `unknown`."""
    size = BATCH_ROWS
    recs: list[EventRecord] = []
    append = recs.append
    cur = _Batch([])
    kept_errors = 0
    read = 0
    for item in STREAM_FORMATS[fmt](lines, name, unknown):
        read += 1
        if type(item) is RowError:
            cur.failed += 1
            if kept_errors < MAX_ERRORS_KEPT:
                cur.errors.append(item)
                kept_errors += 1
        elif keep is None or keep(item):
            append(item)
        else:
            cur.filtered += 1
        if read >= size:
            cur.errors += _decoding_problems(lines, MAX_ERRORS_KEPT - kept_errors)
            cur.rows, cur.read = event_rows(recs, import_id), read
            cur.position = progress_pos() if progress_pos else None
            yield cur
            recs.clear()
            cur, read = _Batch([]), 0
    cur.errors += _decoding_problems(lines, MAX_ERRORS_KEPT - kept_errors)
    cur.rows, cur.read, cur.last = event_rows(recs, import_id), read, True
    cur.position = progress_pos() if progress_pos else None
    yield cur


def _decoding_problems(lines: Iterable[str], room: int) -> list[RowError]:
    """The lines whose bad bytes `lines` (an encoding.Lines) repaired since the last call, at most
    `room` of them; reported, not counted as failed rows."""
    return lines.take_problems()[:max(room, 0)] if isinstance(lines, Lines) else []


def _batches_in_child(*args) -> Iterator[_Batch | Counter]:
    """_batches(*args) run in a forked parser process, so that parsing overlaps with this process's
    writing (two cores: about twice the rows per second of one process). Yields the same batches,
    then the Counter of unknown codes. The pipe holds at most a batch or two, so memory stays
    constant; an error in the parser is raised here as RuntimeError with its message, and the
    parser ends with this process (PR_SET_PDEATHSIG) or when the generator is closed."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def run() -> None:
        _die_with_parent()
        gc.disable()
        unknown: Counter = Counter()
        try:
            for batch in _batches(*args, unknown):
                send.send(batch)
            send.send(unknown)
        except BaseException as exc:  # noqa: BLE001 — reported to the parent, which fails the file
            send.send(RuntimeError(f"{type(exc).__name__}: {exc}"))
        finally:
            send.close()

    child = ctx.Process(target=run, name="relations-parser", daemon=True)
    child.start()
    send.close()
    try:
        while True:
            try:
                msg = receive.recv()
            except EOFError:
                raise RuntimeError(f"the parser process ended early (exit code {child.exitcode})") from None
            if isinstance(msg, RuntimeError):
                raise msg
            yield msg
            if type(msg) is Counter:
                return
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()


# Worker processes for the analysis of articles (actors and events), set by import_paths(workers=N)
# for the length of one call. Only the command line asks for them: forking a threaded Streamlit
# server is not safe, so the dashboard's imports stay in one process.
_POOL: "concurrent.futures.ProcessPoolExecutor | None" = None
ANALYSIS_CHUNK = 256


def _with_analysis(items: Iterable) -> Iterator[tuple[object, tuple | None]]:
    """Pair parsed items with their precomputed analysis (write.analysis) when a pool is set.

    Articles are sent to the workers in chunks, one chunk ahead of the one being written, so
    the parent writes while the workers analyse; without a pool every item gets None.
    """
    if _POOL is None:
        for item in items:
            yield item, None
        return
    from .write import analysis_batch

    def submit(chunk):
        tasks = [(it.title, it.body, it.local_date or it.published_at) for it in chunk if isinstance(it, ArticleRecord)]
        return chunk, _POOL.submit(analysis_batch, tasks) if tasks else None

    def drain(pending):
        chunk, fut = pending
        results = iter(fut.result() if fut is not None else [])
        for it in chunk:
            yield it, next(results) if isinstance(it, ArticleRecord) else None

    pending, chunk = [], []
    for item in items:
        chunk.append(item)
        if len(chunk) >= ANALYSIS_CHUNK:
            pending.append(submit(chunk))
            chunk = []
            if len(pending) > _POOL._max_workers:
                yield from drain(pending.pop(0))
    if chunk:
        pending.append(submit(chunk))
    for p in pending:
        yield from drain(p)


def _sha256_of(opener: Callable[[], "io.BufferedIOBase"]) -> str:
    h = hashlib.sha256()
    with opener() as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _import_source(db, name: str, opener: Callable[[], "io.BufferedIOBase"], size: int | None, *,
                   force: bool, sha: str | None = None, max_whole: int | None = None,
                   **opts) -> list[FileReport]:
    """Import one file or zip member, opened (in binary) by `opener`, streaming it when it is one of
    STREAM_FORMATS and reading it whole (import_bytes) otherwise. sha: its sha256 when already known
    (an archive member is hashed while it is measured); max_whole: the most it may weigh to be read whole."""
    try:
        with opener() as f:
            head = f.read(HEAD_BYTES)
        found = stream_format(name, head)
        articles = article_stream_format(name, head) if found is None and size is not None \
            and size > ARTICLE_STREAM_BYTES else None
        if articles is not None:
            sha = sha or _sha256_of(opener)
            return [_import_article_stream(db, name, opener, head, size, sha, articles, force=force, **opts)]
        if found is None:
            if max_whole is not None and size is not None and size > max_whole:
                why = archive.too_big_to_read_whole(name, size)
                return [FileReport(name, None, "failed", errors=[RowError(0, None, why)])]
            with opener() as f:
                data = f.read()
            return import_bytes(db, name, data, force=force, **opts)
        sha = sha or _sha256_of(opener)
    except OSError as exc:
        return [FileReport(name, None, "failed", errors=[RowError(0, None, f"cannot read: {exc.strerror or exc}")])]
    fmt, encoding = found
    report = FileReport(name, fmt, encoding=encoding_label(encoding, choose_encoding(head)[1]))
    if not force and db.execute("SELECT 1 FROM imports WHERE sha256 = ? AND status = 'imported'", [sha]).fetchone():
        report.status = "duplicate"
        return [report]
    started = _now()
    with opener() as raw:
        # Lines end at "\n" (a stray "\r" inside a field does not split a row), or at "\r" in an old-Mac
        # file; undecodable bytes are repaired and reported line by line (ingest.encoding).
        lines = Lines(raw, encoding, newline_of(head.decode(encoding, errors="replace")), head)

        def position() -> float | None:
            try:
                return min(1.0, raw.tell() / size) if size else None
            except (OSError, ValueError):
                return None
        _import_stream(db, name, sha, started, report, lines, position, **opts)
    return [report]


def article_stream_format(name: str, head: bytes) -> tuple[str, str] | None:
    """(format, encoding) when the file whose first bytes are `head` is an article table that can be
    read line by line (ARTICLE_STREAMS: JSON Lines, not a JSON array; CSV/TSV), else None."""
    if name.lower().endswith(".zip"):
        return None
    decoded = _head_text(head)
    if decoded is None or not decoded[0].strip():
        return None
    fmt = detect_format(name, decoded[0])
    if fmt == "jsonl" and decoded[0].lstrip("\ufeff \t\r\n").startswith("["):
        return None
    return (fmt, decoded[1]) if fmt in ARTICLE_STREAMS else None


def _import_article_stream(db, name: str, opener: Callable[[], "io.BufferedIOBase"], head: bytes, size: int | None,
                           sha: str, found: tuple[str, str], *, force: bool, countries=None, pair_only=False,
                           on_rows=None) -> FileReport:
    """Import an article table read line by line (article_stream_format), in one transaction as a file
    read whole is: parsed one record at a time, so memory does not grow with the file."""
    fmt, encoding = found
    report = FileReport(name, fmt, encoding=encoding_label(encoding, choose_encoding(head)[1]))
    if not force and db.execute("SELECT 1 FROM imports WHERE sha256 = ? AND status = 'imported'", [sha]).fetchone():
        report.status = "duplicate"
        return report
    started = _now()
    try:
        with opener() as raw:
            lines = Lines(raw, encoding, newline_of(head.decode(encoding, errors="replace")), head)

            def progress(rows: int) -> None:
                try:
                    at = min(1.0, raw.tell() / size) if size else None
                except (OSError, ValueError):
                    at = None
                on_rows(name, rows, at)
            _import_text(db, name, lambda: ARTICLE_STREAMS[fmt](lines, Path(name).name), sha, started, report,
                         keep=_event_filter(countries, pair_only), lines=lines,
                         progress=progress if on_rows else None)
    except FileError as exc:
        _failed(db, name, sha, report, started, exc)
    except OSError as exc:
        _failed(db, name, sha, report, started, FileError(f"cannot read: {exc.strerror or exc}"))
    return report


def _import_archive(db, name: str, source, *, force: bool, max_unpacked: int | None = None,
                    **opts) -> list[FileReport]:
    """Import the members of a `.zip` (a path or a seekable binary file) that fit its budget
    (ingest.archive), each streamed on its own; what the budget refuses is reported as failed."""
    out = []
    for item in archive.members(name, source, max_unpacked):
        if isinstance(item, archive.Refused):
            out.append(FileReport(item.name, "zip", "failed", errors=[RowError(0, None, item.message)]))
        else:
            out += _import_source(db, item.name, item.open, item.size, force=force, sha=item.sha256,
                                  max_whole=archive.MAX_WHOLE_MEMBER, **opts)
    return out


def _check_importable(db) -> None:
    """Raise StoreError when the store takes no imports (`import_refused`: a PostgreSQL store, store.pgstore)."""
    refused = getattr(db, "import_refused", None)
    if refused:
        from dashboard.store import StoreError
        raise StoreError(refused)


def import_file(db, path: str | os.PathLike, name: str | None = None, *, force: bool = False,
                max_unpacked: int | None = None, **opts) -> list[FileReport]:
    """Import one file from disk, reported under `name` (default: the path; it also picks the parser).
    A `.zip` is read member by member within its budget (ingest.archive; max_unpacked: bytes, default
    $DASHBOARD_MAX_UNPACKED or 1 GiB). The CLI (import_paths) and the Import page both come here.
    opts: countries, pair_only, on_rows as in import_paths."""
    _check_importable(db)
    path = Path(path)
    name = name or str(path)
    if name.lower().endswith(".zip"):
        return _import_archive(db, name, path, force=force, max_unpacked=max_unpacked, **opts)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return [FileReport(name, None, "failed", errors=[RowError(0, None, f"cannot read: {exc.strerror}")])]
    return _import_source(db, name, lambda: open(path, "rb"), size, force=force, **opts)


def import_paths(db, paths: Iterable[str | os.PathLike], *, force: bool = False,
                 progress: Callable[[int, int, str], None] | None = None,
                 countries: Iterable[str] | None = None, pair_only: bool = False,
                 on_rows: Callable[[str, int, float | None], None] | None = None,
                 workers: int = 1, max_unpacked: int | None = None) -> ImportReport:
    """Import files and folders (recursively) into the store `db`.

    workers > 1 analyses articles (actors, events) of large files in that many forked worker
    processes while this process writes; only for single-threaded callers such as the CLI.

    progress(i, n, path) is called before each file. Returns the ImportReport;
    files that cannot be read are reported as failed, never raised.
    countries: keep only events whose two actors are both in this set of codes (e.g. {"BLR", "RUS"});
    pair_only: keep only events with two distinct country (or EU/NATO) actors. Rows left out are
    counted in FileReport.filtered; articles are not affected. GDELT, ACLED and ICEWS tables are
    streamed from disk in batches (see the module docstring); on_rows(path, rows read, fraction of
    the file read or None) is called after each batch of such a file. max_unpacked: the budget of
    each `.zip` in bytes (ingest.archive; default $DASHBOARD_MAX_UNPACKED, else 1 GiB).
    """
    _check_importable(db)
    paths = list(paths)
    total = sum(1 for _ in iter_files(paths)) if progress else 0   # walked twice: no list of every file
    files = iter_files(paths)
    report = ImportReport()
    opts = {"countries": countries, "pair_only": pair_only, "on_rows": on_rows}
    global _POOL
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        _warm_up()
        _POOL = concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                                       initializer=_die_with_parent)
        # Fork the workers now, while this process holds no file: forked later (at the first chunk),
        # each would start with a copy of the file being read (1 GB each at 40,000 articles).
        _POOL.submit(int).result()
    try:
        for i, path in enumerate(files):
            if progress:
                progress(i, total, str(path))
            try:
                report.files += import_file(db, path, force=force, max_unpacked=max_unpacked, **opts)
            except Exception as exc:  # one unforeseen input must not stop the files after it
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                report.files.append(FileReport(str(path), None, "failed", errors=[
                    RowError(0, None, f"import failed: {type(exc).__name__}: {exc}")]))
    finally:
        if _POOL is not None:
            _POOL.shutdown()
            _POOL = None
    if progress:
        progress(total, total, "")
    return report


def _die_with_parent() -> None:
    """In a worker: ask Linux to end this process when the importing parent dies (even by SIGKILL),
    so that an interrupted import leaves no orphan workers behind."""
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):  # not Linux: workers end when their queue closes
        pass


def _warm_up() -> None:
    """Load the gazetteer and the lexicon before forking, so each worker inherits them ready."""
    from .write import analysis
    analysis("Minsk and Moscow", "On 1 May Minsk and Moscow signed a treaty.", "2020-05-02")

"""One entry point for every importer: `import_paths(db, paths)`.

Each file is parsed by the first format whose `sniff` accepts it (by extension
and content, tables in FORMATS), and written in one transaction: a file that
fails leaves nothing behind and does not stop the others. Row-level errors in a
table skip that row and are reported with the line and field. A file whose
sha256 was imported before is skipped as a duplicate.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import pagetext, tabular
from .encoding import decode
from .records import ArticleRecord, EventRecord, FileError, RowError
from .write import write_article, write_events

TEXT_EXTS = {".txt", ".text", ".md", ""}
TABLE_EXTS = {".csv", ".tsv", ".tab"}
JSON_EXTS = {".jsonl", ".ndjson", ".json"}
KNOWN_EXTS = TEXT_EXTS | TABLE_EXTS | JSON_EXTS | {".zip", ".html", ".htm", ".xml", ".rss", ".atom"}
MAX_ERRORS_KEPT = 20


@dataclass
class FileReport:
    """What happened to one file. status: imported | duplicate | failed | skipped."""
    path: str
    format: str | None = None
    status: str = "imported"
    imported: int = 0
    duplicates: int = 0
    failed: int = 0
    links: int = 0
    events: int = 0
    rows_read: int = 0
    errors: list[RowError] = field(default_factory=list)

    def error_lines(self) -> list[str]:
        """Messages naming the file, line and field, at most MAX_ERRORS_KEPT of them."""
        return [f"{self.path}: {e}" for e in self.errors[:MAX_ERRORS_KEPT]]


@dataclass
class ImportReport:
    """The per-file reports of one import run."""
    files: list[FileReport] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 when any file failed or any row was rejected, else 0."""
        return 1 if any(f.status == "failed" or f.failed for f in self.files) else 0

    def totals(self) -> dict[str, int]:
        """Sums over files: imported, duplicates, failed (rows), links, events, and file counts."""
        t = {k: sum(getattr(f, k) for f in self.files) for k in ("imported", "duplicates", "failed", "links", "events")}
        t["files"] = len(self.files)
        t["files_failed"] = sum(f.status == "failed" for f in self.files)
        t["files_duplicate"] = sum(f.status == "duplicate" for f in self.files)
        return t

    def summary(self) -> str:
        """A plain-text report: one line per file, then the errors, then the totals."""
        lines = []
        for f in self.files:
            lines.append(f"{f.status:9} {f.path}  [{f.format or '?'}] imported {f.imported}, "
                         f"duplicates {f.duplicates}, failed {f.failed}, links {f.links}, events {f.events}")
            lines += ["          " + e for e in f.error_lines()]
            if len(f.errors) > MAX_ERRORS_KEPT:
                lines.append(f"          … and {len(f.errors) - MAX_ERRORS_KEPT} more errors")
        t = self.totals()
        lines.append(f"{t['files']} files: imported {t['imported']} records, {t['duplicates']} duplicates, "
                     f"{t['failed']} failed rows, {t['files_failed']} failed files, "
                     f"{t['files_duplicate']} files skipped as already imported; "
                     f"{t['links']} links, {t['events']} events")
        return "\n".join(lines)


# --- formats -----------------------------------------------------------------------------

def _sniff_table(ext: str, text: str) -> bool:
    return ext in TABLE_EXTS


def _sniff_json(ext: str, text: str) -> bool:
    return ext in JSON_EXTS or text.lstrip()[:1] in ("{", "[")


def _sniff_page(ext: str, text: str) -> bool:
    return ext in TEXT_EXTS and pagetext.looks_like(text)


# name, sniff(ext, text), parse(text, name) — the first match wins; later issues add formats here.
FORMATS: list[tuple[str, Callable[[str, str], bool], Callable[[str, str], Iterable]]] = [
    ("jsonl", _sniff_json, tabular.parse_jsonl),
    ("csv", _sniff_table, tabular.parse_csv),
    ("page-text", _sniff_page, pagetext.parse),
]


def detect_format(name: str, text: str) -> str | None:
    """The format name FORMATS picks for a file called `name` with content `text`, or None."""
    ext = Path(name).suffix.lower()
    for fmt, sniff, _ in FORMATS:
        if sniff(ext, text):
            return fmt
    return None


def _parser(fmt: str):
    return next(p for f, _, p in FORMATS if f == fmt)


# --- running -----------------------------------------------------------------------------

def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Files named in `paths`, folders walked recursively in sorted order (hidden files skipped)."""
    for p in map(Path, paths):
        if p.is_dir():
            for sub in sorted(p.rglob("*")):
                if sub.is_file() and not any(part.startswith(".") for part in sub.relative_to(p).parts):
                    yield sub
        else:
            yield p


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def import_bytes(db, name: str, data: bytes, *, force: bool = False) -> list[FileReport]:
    """Import one file's bytes (`name` is shown in reports and picks the parser).

    A `.zip` is opened and each member imported as its own file. Returns one
    FileReport per file. Never raises for bad input: problems are in the reports.
    """
    if name.lower().endswith(".zip"):
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            return [FileReport(name, "zip", "failed", errors=[RowError(0, None, "not a valid zip archive")])]
        out = []
        for info in zf.infolist():
            if not info.is_dir():
                out += import_bytes(db, f"{name}/{info.filename}", zf.read(info), force=force)
        return out
    sha = hashlib.sha256(data).hexdigest()
    report = FileReport(name)
    if not force and db.execute("SELECT 1 FROM imports WHERE sha256 = ? AND status = 'imported'", [sha]).fetchone():
        report.status = "duplicate"
        return [report]
    started = _now()
    try:
        text = decode(data, name)
        report.format = detect_format(name, text)
        if report.format is None:
            raise FileError("unknown format: not a page-text article, JSON Lines, CSV or another known format")
        _import_text(db, name, text, sha, started, report)
    except FileError as exc:
        report.status = "failed"
        report.errors = [RowError(exc.line, exc.field, str(exc))]
        _record(db, name, sha, report, started)
    return [report]


def _import_text(db, name: str, text: str, sha: str, started: str, report: FileReport) -> None:
    """Parse and write one decoded file in a single transaction."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        import_id = conn.execute(
            "INSERT INTO imports (path, sha256, format, started_at, status) VALUES (?, ?, ?, ?, 'running')",
            [name, sha, report.format, started]).lastrowid
        events: list[EventRecord] = []
        for item in _parser(report.format)(text, Path(name).name):
            report.rows_read += 1
            if isinstance(item, RowError):
                report.failed += 1
                report.errors.append(item)
            elif isinstance(item, ArticleRecord):
                _, outcome, new_stubs = write_article(db, item, import_id)
                report.imported += new_stubs
                if outcome == "duplicate":
                    report.duplicates += 1
                else:
                    report.imported += 1
            elif isinstance(item, EventRecord):
                events.append(item)
                if len(events) >= 5000:
                    _flush_events(db, events, import_id, report)
        _flush_events(db, events, import_id, report)
        if report.imported == 0 and report.duplicates == 0 and report.failed:
            raise FileError(f"no row could be imported ({report.failed} rejected)")
        report.links = conn.execute(
            "SELECT count(*) FROM article_links l JOIN articles a ON a.id = l.from_id WHERE a.import_id = ?",
            [import_id]).fetchone()[0]
        report.events += conn.execute(
            "SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id WHERE a.import_id = ?",
            [import_id]).fetchone()[0]
        conn.execute(
            "UPDATE imports SET finished_at = ?, status = 'imported', imported = ?, duplicates = ?, failed = ?, "
            "errors = ? WHERE id = ?",
            [_now(), report.imported, report.duplicates, report.failed,
             json.dumps([e.__dict__ for e in report.errors[:MAX_ERRORS_KEPT]]), import_id])
        conn.execute("COMMIT")
    except FileError:
        conn.execute("ROLLBACK")
        raise
    except Exception as exc:  # a bug or an unforeseen input must still leave no half-written file
        conn.execute("ROLLBACK")
        raise FileError(f"import failed: {type(exc).__name__}: {exc}") from exc


def _flush_events(db, events: list[EventRecord], import_id: int, report: FileReport) -> None:
    if events:
        new = write_events(db, events, import_id)
        report.imported += new
        report.duplicates += len(events) - new
        report.events += new
        events.clear()


def _record(db, name: str, sha: str, report: FileReport, started: str) -> None:
    with db.conn:
        db.execute(
            "INSERT INTO imports (path, sha256, format, started_at, finished_at, status, failed, errors) "
            "VALUES (?, ?, ?, ?, ?, 'failed', 1, ?)",
            [name, sha, report.format, started, _now(), json.dumps([e.__dict__ for e in report.errors])])


def import_paths(db, paths: Iterable[str | os.PathLike], *, force: bool = False,
                 progress: Callable[[int, int, str], None] | None = None) -> ImportReport:
    """Import files and folders (recursively) into the store `db`.

    progress(i, n, path) is called before each file. Returns the ImportReport;
    files that cannot be read are reported as failed, never raised.
    """
    files = list(iter_files(paths))
    report = ImportReport()
    for i, path in enumerate(files):
        if progress:
            progress(i, len(files), str(path))
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.files.append(FileReport(str(path), None, "failed", errors=[RowError(0, None, f"cannot read: {exc.strerror}")]))
            continue
        report.files += import_bytes(db, str(path), data, force=force)
    if progress:
        progress(len(files), len(files), "")
    return report

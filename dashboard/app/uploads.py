"""Files uploaded on the Import page: checks, labels, the import itself and the report rows.

No Streamlit here, so the logic is tested directly (AppTest cannot upload files).
Each upload is copied in chunks to an anonymous temporary file and imported from there by
`dashboard.ingest.import_file`, the function the CLI uses per file: the page and
`python -m dashboard import` report the same things, archives get the same budget
(`dashboard.ingest.archive`), and event tables stream from disk, so the import's memory does
not grow with the upload (Streamlit itself still holds the uploaded bytes once). Names are
used only as labels (directory parts and control characters removed), never as paths.
"""
from __future__ import annotations

import io
import re
import shutil
import tempfile
from pathlib import PurePosixPath, PureWindowsPath
from typing import BinaryIO, Callable, Iterable

from dashboard.ingest import MAX_ERRORS_KEPT, FileReport, import_file
from dashboard.ingest.archive import CHUNK, human, max_unpacked_setting
from dashboard.ingest.records import RowError

# The uploader's `type=` list: every extension dashboard.ingest reads (its FORMATS) plus .zip.
ACCEPTED_EXTENSIONS = ("txt", "jsonl", "ndjson", "json", "csv", "tsv", "tab", "html", "htm", "xml", "rss",
                       "atom", "zip")
# Streamlit's own default for server.maxUploadSize (MB); the project's value is set in
# .streamlit/config.toml and read at run time by max_upload_mb().
DEFAULT_MAX_UPLOAD_MB = 200
MAX_LABEL = 200

_control = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def max_upload_mb() -> int:
    """The per-file upload limit in MB: Streamlit's server.maxUploadSize, else DEFAULT_MAX_UPLOAD_MB."""
    try:
        from streamlit import config
        value = int(config.get_option("server.maxUploadSize"))
        return value if value > 0 else DEFAULT_MAX_UPLOAD_MB
    except Exception:  # streamlit missing or the option unreadable: the documented default
        return DEFAULT_MAX_UPLOAD_MB


def archive_limit() -> str:
    """The archive budget as the page states it ('1 GiB'), or why the configured one is unreadable."""
    try:
        return f"at most {human(max_unpacked_setting())} unpacked"
    except ValueError as exc:
        return f"none read until this is fixed: {exc}"


def upload_label(name: str | None) -> str:
    """The label an upload is reported under: its base name (no folders), control characters removed,
    at most MAX_LABEL characters, 'upload' when nothing is left."""
    base = PureWindowsPath(PurePosixPath(str(name or "")).name).name
    base = _control.sub("", base).strip()
    return base[:MAX_LABEL] or "upload"


def extension(name: str) -> str:
    """The lower-case extension of `name` without the dot ('' when there is none)."""
    suffix = PurePosixPath(name).suffix
    return suffix[1:].lower() if suffix else ""


def check_upload(name: str, size: int, max_bytes: int) -> str | None:
    """Why an upload is refused before import, or None when it may be imported.

    name: the upload's label; size: its length in bytes; max_bytes: the per-file limit in bytes.
    Refused: an extension not in ACCEPTED_EXTENSIONS, an empty file, a file over max_bytes.
    Archives are checked while they are read (dashboard.ingest.archive), as from the CLI.
    """
    ext = extension(name)
    if ext not in ACCEPTED_EXTENSIONS:
        shown = f".{ext}" if ext else "no extension"
        return (f"{shown} is not a file type the importer reads; accepted: "
                + ", ".join("." + e for e in ACCEPTED_EXTENSIONS))
    if not size:
        return "empty file"
    if size > max_bytes:
        return f"{size / 1024 ** 2:.1f} MB is over the {max_bytes / 1024 ** 2:.0f} MB upload limit"
    return None


def _name_and_stream(upload) -> tuple[str, BinaryIO]:
    """An upload's name and a binary stream of its content from the start."""
    if isinstance(upload, tuple):
        return upload[0], io.BytesIO(upload[1])
    if upload.seekable():
        upload.seek(0)  # a Streamlit UploadedFile may have been read already
    return upload.name, upload


def _spool(stream: BinaryIO, tmp: BinaryIO, max_bytes: int) -> int:
    """Copy `stream` into `tmp` in chunks, at most max_bytes + 1 bytes (enough to say it is too big);
    returns the bytes copied."""
    shutil.copyfileobj(_Capped(stream, max_bytes + 1), tmp, CHUNK)
    tmp.flush()
    return tmp.tell()


class _Capped:
    """A read-only view of `stream` that ends after `limit` bytes."""

    def __init__(self, stream: BinaryIO, limit: int):
        self._stream, self._left = stream, limit

    def read(self, n: int = -1) -> bytes:
        n = self._left if n < 0 else min(n, self._left)
        data = self._stream.read(n) if n else b""
        self._left -= len(data)
        return data


def import_upload(db, name: str, stream: BinaryIO, max_bytes: int, *,
                  max_unpacked: int | None = None) -> list[FileReport]:
    """Import one upload: `stream` (binary, file-like) is copied in chunks to a temporary file, which
    import_file reads as the CLI reads a file, reported under upload_label(name). max_unpacked: the
    budget of a .zip in bytes (default as the CLI's). Never raises for bad input."""
    label = upload_label(name)
    with tempfile.NamedTemporaryFile(prefix="relations-upload-") as tmp:
        size = _spool(stream, tmp, max_bytes)
        reason = check_upload(label, size, max_bytes)
        if reason:
            return [FileReport(label, None, "failed", failed=0, errors=[RowError(0, None, reason)])]
        return import_file(db, tmp.name, label, max_unpacked=max_unpacked)


def import_uploads(db, uploads: list, *, max_bytes: int | None = None,
                   progress: Callable[[int, int, str], None] | None = None,
                   max_unpacked: int | None = None) -> list[FileReport]:
    """Import uploaded files into the store `db`; one or more FileReports per upload, in order.

    uploads: (name, bytes) pairs or binary file-like objects with .name (Streamlit's
    UploadedFile), each imported by import_upload. max_bytes: the per-file limit (default
    max_upload_mb() MB). A refused upload (check_upload) is reported as a failed file with the
    reason and line 0; a .zip gives one report per member (and per refused member).
    progress(i, n, label) is called before each upload and once more with (n, n, '') at the end.
    Never raises for bad input.
    """
    if max_bytes is None:
        max_bytes = max_upload_mb() * 1024 ** 2
    n = len(uploads)
    reports: list[FileReport] = []
    for i, upload in enumerate(uploads):
        name, stream = _name_and_stream(upload)
        label = upload_label(name)
        if progress:
            progress(i, n, label)
        try:
            reports += import_upload(db, name, stream, max_bytes, max_unpacked=max_unpacked)
        except Exception as exc:  # one unforeseen upload must not stop the others, nor show a traceback
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            reports.append(FileReport(label, None, "failed", errors=[
                RowError(0, None, f"import failed: {type(exc).__name__}: {exc}")]))
    if progress:
        progress(n, n, "")
    return reports


def report_rows(reports: Iterable[FileReport]) -> list[dict]:
    """One table row per file: file, format, status, imported, duplicates, failed (rows), links,
    events, problem (the first error as 'line N: reason', '' when none)."""
    rows = []
    for r in reports:
        rows.append({
            "file": r.path, "format": r.format or "", "status": r.status, "imported": r.imported,
            "duplicates": r.duplicates, "failed": r.failed, "links": r.links, "events": r.events,
            "problem": str(r.errors[0]) if r.errors else ("already imported (same content)"
                                                          if r.status == "duplicate" else ""),
        })
    return rows


def error_rows(reports: Iterable[FileReport]) -> list[dict]:
    """Every reported problem as a row: file, line (0 = the whole file), field, reason;
    at most MAX_ERRORS_KEPT per file, as in the CLI report."""
    rows = []
    for r in reports:
        for e in r.errors[:MAX_ERRORS_KEPT]:
            rows.append({"file": r.path, "line": e.line, "field": e.field or "", "reason": e.message})
    return rows


def totals(reports: Iterable[FileReport]) -> dict[str, int]:
    """Sums over the reports: files, files_failed, files_duplicate, imported, duplicates, failed (rows)."""
    reports = list(reports)
    return {
        "files": len(reports),
        "files_failed": sum(r.status == "failed" for r in reports),
        "files_duplicate": sum(r.status == "duplicate" for r in reports),
        "imported": sum(r.imported for r in reports),
        "duplicates": sum(r.duplicates for r in reports),
        "failed": sum(r.failed for r in reports),
    }


def counted(n: int, one: str, many: str | None = None) -> str:
    """'1 file', '3 files', '1,204 records': a count with its noun in the right number."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def summary(t: dict[str, int]) -> str:
    """The one-line result of an import (totals()): '1 file: 4 records imported, 0 duplicates, …'."""
    return (f"{counted(t['files'], 'file')}: {counted(t['imported'], 'record')} imported, "
            f"{counted(t['duplicates'], 'duplicate')}, {counted(t['failed'], 'row')} rejected, "
            f"{counted(t['files_failed'], 'file')} failed, {counted(t['files_duplicate'], 'file')} already imported.")

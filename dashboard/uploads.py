"""Files uploaded on the Import page: checks, labels, the import itself and the report rows.

No Streamlit here, so the logic is tested directly (AppTest cannot upload files).
Every upload goes through `dashboard.ingest.import_bytes`, the function the CLI uses
per file, so the page and `python -m dashboard import` report the same things.
Uploads are never written to disk: their bytes go straight to the importer, and their
names are used only as labels (directory parts and control characters removed).
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath, PureWindowsPath
from typing import Callable, Iterable

from .ingest import MAX_ERRORS_KEPT, FileReport, import_bytes
from .ingest.records import RowError

# The uploader's `type=` list: every extension dashboard.ingest reads (its FORMATS) plus .zip.
ACCEPTED_EXTENSIONS = ("txt", "jsonl", "ndjson", "json", "csv", "tsv", "tab", "html", "htm", "xml", "rss",
                       "atom", "zip")
# Streamlit's own default for server.maxUploadSize (MB); the project's value is set in
# .streamlit/config.toml and read at run time by max_upload_mb().
DEFAULT_MAX_UPLOAD_MB = 200
# Our limits for archives, read member by member in memory by import_bytes: declared
# uncompressed size and member count (a "zip bomb" is refused before anything is read).
MAX_ZIP_UNCOMPRESSED_BYTES = 1024 ** 3
MAX_ZIP_MEMBERS = 10_000
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


def check_upload(name: str, data: bytes, max_bytes: int) -> str | None:
    """Why an upload is refused before import, or None when it may be imported.

    name: the upload's label; data: its bytes; max_bytes: the per-file limit in bytes.
    Refused: an extension not in ACCEPTED_EXTENSIONS, an empty file, a file over
    max_bytes, a .zip that is not an archive or whose members exceed MAX_ZIP_MEMBERS or
    MAX_ZIP_UNCOMPRESSED_BYTES (declared sizes).
    """
    ext = extension(name)
    if ext not in ACCEPTED_EXTENSIONS:
        shown = f".{ext}" if ext else "no extension"
        return (f"{shown} is not a file type the importer reads; accepted: "
                + ", ".join("." + e for e in ACCEPTED_EXTENSIONS))
    if not data:
        return "empty file"
    if len(data) > max_bytes:
        return f"{len(data) / 1024 ** 2:.1f} MB is over the {max_bytes / 1024 ** 2:.0f} MB upload limit"
    if ext == "zip":
        try:
            infos = [i for i in zipfile.ZipFile(io.BytesIO(data)).infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError):
            return "not a valid zip archive"
        if len(infos) > MAX_ZIP_MEMBERS:
            return f"the archive holds {len(infos)} files; at most {MAX_ZIP_MEMBERS} are imported at once"
        total = sum(i.file_size for i in infos)
        if total > MAX_ZIP_UNCOMPRESSED_BYTES:
            return (f"the archive unpacks to {total / 1024 ** 3:.1f} GB; at most "
                    f"{MAX_ZIP_UNCOMPRESSED_BYTES / 1024 ** 3:.0f} GB is imported at once")
    return None


def _name_and_bytes(upload) -> tuple[str, bytes]:
    if isinstance(upload, tuple):
        return upload[0], upload[1]
    return upload.name, upload.getvalue()  # streamlit UploadedFile (an in-memory BytesIO)


def import_uploads(db, uploads: list, *, max_bytes: int | None = None,
                   progress: Callable[[int, int, str], None] | None = None) -> list[FileReport]:
    """Import uploaded files into the store `db`; one or more FileReports per upload, in order.

    uploads: (name, bytes) pairs or objects with .name and .getvalue() (Streamlit's
    UploadedFile). max_bytes: the per-file limit (default max_upload_mb() MB). A refused
    upload (check_upload) is reported as a failed file with the reason and line 0; a
    .zip gives one report per member. progress(i, n, label) is called before each upload
    and once more with (n, n, '') at the end. Never raises for bad input.
    """
    if max_bytes is None:
        max_bytes = max_upload_mb() * 1024 ** 2
    n = len(uploads)
    reports: list[FileReport] = []
    for i, upload in enumerate(uploads):
        name, data = _name_and_bytes(upload)
        label = upload_label(name)
        if progress:
            progress(i, n, label)
        reason = check_upload(label, data, max_bytes)
        if reason:
            reports.append(FileReport(label, None, "failed", failed=0, errors=[RowError(0, None, reason)]))
            continue
        try:
            reports += import_bytes(db, label, data)
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

"""The toolkit the event-table importers share (GDELT, ACLED, ICEWS): missing-value spellings,
column-name matching, opening a delimited table at its header, reading its rows with their line
numbers, calendar dates from SQLDATE-style numbers, and CAMEO codes that lost their leading zeros.

It knows delimited text and CAMEO code shapes, not any one format: each importer keeps its own
columns and rules (gdelt.py, acled.py, icews.py), and country names and codes are in
dashboard.knowledge.countries.
"""
from __future__ import annotations

import csv
import functools
import json
import math
import re
from dataclasses import dataclass
from datetime import date as _date
from typing import Iterable, Iterator

from dashboard.knowledge.cameo import is_code
from .records import RowError

# How spreadsheets, R and pandas write a missing value.
MISSING = frozenset({"", "NA", "NaN", "nan", "NULL", "null", "None", "#N/A", "N/A"})


def norm_name(name: str) -> str:
    """A column name reduced for matching: lower case, letters and digits only ('Event.ID' → 'eventid')."""
    return re.sub(r"[^0-9a-z]", "", (name or "").replace("\ufeff", "").lower())


# --- values ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def normalise_cameo(code: str | None, base: str | None = None, root: str | None = None
                    ) -> tuple[str | None, str | None, str | None]:
    """(event code, base code, root code) as CAMEO strings, restoring leading zeros a re-export lost.

    `46` → `046`, `834` → `0834` (root 08), root `4` → `04`. The root decides when it is given;
    otherwise a code is padded when only the padded form is a CAMEO code (tables/cameo.tsv) or when
    it is shorter than an event code can be (event and base codes have at least 3 digits). Values
    such as `46.0` (a float column) are read as `46`. Non-numeric codes are returned unchanged.
    A missing root is taken from the code's first two digits.
    """
    def clean(v):
        if v is None:
            return None
        v = v.strip()
        if v in MISSING:
            return None
        if v.endswith(".0") and v[:-2].isdigit():
            v = v[:-2]
        return v

    code, base, root = clean(code), clean(base), clean(root)
    if root and root.isdigit() and len(root) < 2:
        root = root.zfill(2)

    def pad(c, minlen):
        if not c or not c.isdigit():
            return c
        if root:
            if c.startswith(root):
                return c
            if ("0" + c).startswith(root):
                return "0" + c
        if len(c) < minlen:
            return c.zfill(minlen)
        if not is_code(c) and is_code("0" + c):
            return "0" + c
        return c

    code, base = pad(code, 3), pad(base, 3)
    if not root and code and code.isdigit() and len(code) >= 2:
        root = code[:2]
    return code, base, root


@functools.lru_cache(maxsize=8192)
def parse_date(value: str) -> str:
    """'YYYY-MM-DD' from a GDELT SQLDATE: 20231121, 20231121.0, 2.0231121e7 or 2023-11-21.

    The number is a calendar date (%Y%m%d), never an epoch (shared cases C18/C19). DATEADDED-style
    values with a time (20191024143000) give their date. Raises ValueError for anything else or an
    impossible date (20230231).
    """
    v = value.strip()
    if len(v) == 10 and v[4] in "-/." and v[7] == v[4]:
        y, m, d = v[:4], v[5:7], v[8:]
    else:
        if not v.isdigit():
            try:
                f = float(v)
            except ValueError:
                raise ValueError(f"not a date: {value[:40]!r}") from None
            if f != int(f):
                raise ValueError(f"not a date: {value[:40]!r}")
            v = str(int(f))
        if len(v) == 14:
            v = v[:8]
        if len(v) != 8:
            raise ValueError(f"not a YYYYMMDD date: {value[:40]!r}")
        y, m, d = v[:4], v[4:6], v[6:]
    try:
        return _date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        raise ValueError(f"not a calendar date: {value[:40]!r}") from None


def coordinates(lat: str | None, lon: str | None, decimal_comma: bool = False) -> tuple[float | None, float | None]:
    """(latitude, longitude) in WGS 84 degrees from a row's two cells, or (None, None) when either is
    missing (one of MISSING), not a number, outside -90…90 / -180…180, or both are 0 (the placeholder
    R re-exports of GDELT and some tables write for "no location"). The row itself always lands: a
    coordinate is never a reason to reject an event. decimal_comma: '53,9' reads 53.9 (`;` files)."""
    a, b = (lat or "").strip(), (lon or "").strip()
    if a in MISSING or b in MISSING:
        return None, None
    if decimal_comma:
        a, b = a.replace(",", "."), b.replace(",", ".")
    try:
        y, x = float(a), float(b)
    except ValueError:
        return None, None
    if not (-90.0 <= y <= 90.0 and -180.0 <= x <= 180.0) or (y == 0.0 and x == 0.0):
        return None, None
    return y, x


# --- reading delimited text --------------------------------------------------------------

def first_line(text: str) -> str:
    """The first non-blank line of `text` (BOM removed)."""
    for line in text.split("\n", 50):
        line = line.replace("\ufeff", "").strip("\r")
        if line.strip():
            return line
    return ""


def read_head(lines: Iterable[str]) -> tuple[Iterator[str], int, str | None]:
    """Read a stream up to its first non-blank line: (the rest of the stream, that line's number,
    the line without BOM and line end — None for an empty stream)."""
    it = iter(lines)
    lineno = 0
    for raw in it:
        lineno += 1
        if raw.strip():
            return it, lineno, raw.replace("\ufeff", "").rstrip("\r\n")
    return it, lineno, None


INDEX_COLUMN_NAMES = ("", "x", "index", "unnamed0", "rownames")  # what R and pandas call a written-out index


def split_header(line: str, required: Iterable[str]) -> tuple[str, list[str]] | None:
    """(delimiter, column names) when `line`, split on tab, comma or semicolon, names every column in
    `required` (compared with `norm_name`); None otherwise."""
    req = {norm_name(r) for r in required}
    for delim in ("\t", ",", ";", "|"):
        if delim not in line:
            continue
        try:
            names = next(csv.reader([line], delimiter=delim))
        except (csv.Error, StopIteration):
            continue
        if req <= {norm_name(n) for n in names}:
            return delim, names
    return None


@dataclass
class HeadedTable:
    """A delimited table opened at its header: the data rows still to read (`rows`: (line, fields)),
    the header's line number and column names, norm_name → position (`index`), the header's width,
    and whether its first column is a written-out R/pandas index (`has_index`)."""
    rows: Iterator[tuple[int, list[str]] | RowError]
    header_line: int
    names: list[str]
    index: dict[str, int]
    width: int
    has_index: bool

    def named_rows(self, columns: Iterable[str]) -> Iterator[tuple[int, dict[str, str]] | RowError]:
        """(line, {column: value}) per data row, for each of `columns` (matched with norm_name; ""
        when the header lacks it or the value is one of MISSING, others stripped), or a RowError for
        a row whose field count fits neither the header nor the header plus an index column."""
        pos = {k: self.index.get(norm_name(k), self.width) for k in columns}
        for item in self.rows:
            if type(item) is RowError:
                yield item
                continue
            line, row = item
            fields = fit_row(row, self.width, self.has_index)
            if fields is None:
                yield RowError(line, None, f"{len(row)} fields, the header has {self.width}")
                continue
            fields = ["" if f.strip() in MISSING else f.strip() for f in fields]
            fields.append("")   # what a column absent from the header reads
            yield line, {k: fields[i] for k, i in pos.items()}


def open_table(lines: Iterable[str], required: Iterable[str], what: str) -> HeadedTable | RowError | None:
    """Open a delimited table with a header that names every `required` column (tab, comma,
    semicolon or bar, found by split_header). None for an empty stream; a RowError(line, 'header',
    "not an <what> header (…)") when the first non-blank line is not such a header."""
    required = tuple(required)
    it, lineno, head = read_head(lines)
    if head is None:
        return None
    found = split_header(head, required)
    if not found:
        return RowError(lineno, "header", f"not an {what} header ({', '.join(required)})")
    delim, names = found
    return HeadedTable(iter_delimited(it, delim, lineno + 1), lineno, names, column_index(names), len(names),
                       norm_name(names[0]) in INDEX_COLUMN_NAMES)


def iter_delimited(lines: Iterable[str], delimiter: str, start_line: int = 1
                   ) -> Iterator[tuple[int, list[str]] | RowError]:
    """(physical line where the record starts, fields) for each non-blank CSV record of `lines`, or a
    RowError for a record the csv module cannot read.

    `lines` are text lines (with or without '\\n'); quoted fields may span lines. `start_line` is the
    line number of the first of `lines`.
    """
    reader = csv.reader(lines, delimiter=delimiter)
    start = start_line
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # A lone "\r" outside quotes (lines end at "\n": see ingest.encoding); the reader goes on
            # with the next line, so only this record is lost.
            yield RowError(start, None, csv_problem(exc))
        else:
            if row and any(c.strip() for c in row):
                yield start, row
        start = start_line + reader.line_num


def csv_problem(exc: csv.Error) -> str:
    """The reason the csv module could not read a record, in the words of our reports."""
    if "new-line" in str(exc):
        return "a carriage return (CR) inside an unquoted field: quote the field or remove the CR"
    return f"unreadable CSV record: {exc}"


def column_index(names: list[str]) -> dict[str, int]:
    """norm_name(column) → position, the first occurrence winning."""
    out: dict[str, int] = {}
    for i, n in enumerate(names):
        out.setdefault(norm_name(n), i)
    return out


def fit_row(row: list[str], width: int, has_index: bool) -> list[str] | None:
    """The row's fields aligned to a header of `width` names, or None when the count is wrong.

    A row one field longer than the header is a row with an unnamed index column first (R's
    write.table): that field is dropped.
    """
    n = len(row)
    if n == width:
        return row
    if n == width + 1 and not has_index:
        return row[1:]
    return None


# A lone UTF-16 surrogate ("\ud800" escaped in JSON) is no character: UTF-8 cannot store it, and the
# whole file's transaction would fail on it. It becomes U+FFFD, as a decoder does with a bad byte.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_cell(v) -> str | None:
    """A JSON value as the text a table cell holds, for JSON article tables and ACLED's API JSON alike:
    NaN and Infinity (which Python's json and pandas write for a missing number) are missing values,
    never the text "nan"; a lone surrogate is U+FFFD."""
    if isinstance(v, str):
        return v if v.isascii() or not _LONE_SURROGATE.search(v) else _LONE_SURROGATE.sub("\ufffd", v)
    if v is None:
        return v
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return str(v)


def loads_json(text: str):
    """json.loads, lenient with raw control characters in strings (strict=False: a raw "\r" or tab inside a
    string is read as itself, as a quoted CSV field is); a value nested deeper than Python's recursion limit
    is a JSON error like any other, not a RecursionError that would fail the whole file."""
    try:
        return json.loads(text, strict=False)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply (more than about 1,000 arrays or objects inside each other)",
                                   text, 0) from None

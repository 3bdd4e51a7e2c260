"""Every CSV the product writes goes through `write_csv` (dashboard downloads and CLI alike).

- UTF-8, with a BOM when asked (the dashboard's default, so Excel reads Cyrillic right; shared case C10).
- Quotes, commas and newlines inside cells are quoted by the csv module (case C11); newlines are written as \\n.
- Text cells that begin with = + - @ tab or carriage return get a leading apostrophe so a
  spreadsheet does not run them as formulas (OWASP "CSV injection"); numbers stay numbers.
"""
from __future__ import annotations

import csv
import io
from typing import IO, Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value):
    """Neutralise one cell: None → '', text that a spreadsheet would run as a formula → "'" + text.

    int and float values are returned as they are, so -3.5 in a numeric column stays a number.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def write_csv(rows: Iterable[dict | Sequence], columns: Sequence[str], out: IO[str], *, bom: bool = False) -> int:
    """Write a header and `rows` (dicts keyed by column, or sequences in column order) to `out`.

    Returns the number of data rows written. `out` is a text stream; open files
    with newline='' so that the csv module controls line ends.
    """
    if bom:
        out.write(BOM)
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(columns)
    n = 0
    for row in rows:
        if isinstance(row, dict):
            row = [row.get(c) for c in columns]
        w.writerow([safe_cell(v) for v in row])
        n += 1
    return n


def csv_bytes(rows: Iterable[dict | Sequence], columns: Sequence[str], *, bom: bool = True) -> bytes:
    """The CSV of `rows` as UTF-8 bytes (with a BOM by default), for a download button."""
    buf = io.StringIO(newline="")
    write_csv(rows, columns, buf, bom=bom)
    return buf.getvalue().encode("utf-8")


def export_filename(kind: str, slug: str) -> str:
    """'articles' + 'BLR-RUS_2015-01-01_2016-12-31' → 'articles_BLR-RUS_2015-01-01_2016-12-31.csv'."""
    return f"{kind}_{slug}.csv"

"""Tables of knowledge (CAMEO, countries, gazetteer, lexicons) as readable data files in tables/,
and the one reader every module uses for them.

The format of every table: UTF-8, one record a line; a line whose FIRST character is `#` is a
comment (a `#` anywhere else is data); blank lines are skipped; `.tsv` files are split on TAB,
`.csv` files by the csv module (one record a line, no quoted line breaks); cells are stripped of
surrounding white space. A table whose column names are a data row (cameo.tsv, actions.tsv,
office_holders.csv) is read with `header=` naming them, so a table edited out of shape fails
loudly. Every error names the file and the line.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Callable, Sequence, TypeVar

TABLES_DIR = Path(__file__).resolve().parent / "tables"

T = TypeVar("T")


class TableError(ValueError):
    """A malformed row of a table in tables/: the message starts with 'tables/<name> line <n>:'."""


class Row(list):
    """The stripped cells of one data row, and the line it came from (1-based, for error messages)."""
    __slots__ = ("line",)


def table_error(name: str, line: int, message: str) -> TableError:
    return TableError(f"tables/{name} line {line}: {message}")


def _split(name: str, text: str) -> list[str]:
    if name.endswith(".csv"):
        return next(csv.reader([text]))
    return text.split("\t")


def read_table(name: str, *, header: Sequence[str] | None = None, width: int = 1) -> list[Row]:
    """The data rows of tables/<name> in file order (comments and blank lines skipped).

    header: the column names the table's first data row must hold; that row is checked and left
    out. width: the fewest cells a row may have. Raises TableError (a ValueError) naming the file
    and line for a wrong header or a short row, OSError when the table is missing.
    """
    rows: list[Row] = []
    wanted = list(header) if header is not None else None
    for n, text in enumerate((TABLES_DIR / name).read_text(encoding="utf-8").splitlines(), 1):
        if text.startswith("#") or not text.strip():
            continue
        row = Row(c.strip() for c in _split(name, text))
        row.line = n
        if wanted is not None:
            if row[:len(wanted)] != wanted:
                raise table_error(name, n, f"expected the header {' | '.join(wanted)}, got {' | '.join(row)}")
            wanted = None
            continue
        if len(row) < width:
            raise table_error(name, n, f"expected at least {width} tab-separated cells, got {len(row)}")
        rows.append(row)
    return rows


def parse_table(name: str, parse: Callable[[Row], T], *, header: Sequence[str] | None = None,
                width: int = 1) -> list[T]:
    """`parse(row)` for every data row of tables/<name> (see read_table); a ValueError, KeyError or
    IndexError raised by `parse` becomes a TableError naming the file and the line."""
    out = []
    for row in read_table(name, header=header, width=width):
        try:
            out.append(parse(row))
        except TableError:
            raise
        except (ValueError, KeyError, IndexError) as exc:
            raise table_error(name, row.line, str(exc) or type(exc).__name__) from None
    return out

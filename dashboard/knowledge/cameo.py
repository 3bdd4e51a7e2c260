"""The CAMEO codebook: event codes, names, root codes, QuadClass and Goldstein, from tables/cameo.tsv.

The one home of CAMEO knowledge: event extraction, the GDELT/ACLED/ICEWS importers, event edits,
the corpus generator and the charts all ask here. The QuadClass of a root is the table's own
column, not a rule re-typed in code: 1 verbal cooperation (roots 01-05), 2 material cooperation
(06-08), 3 verbal conflict (09-13), 4 material conflict (14-20). "00", "21", "99" and anything
else that is not one of the twenty roots is refused (ValueError), never guessed.
"""
from __future__ import annotations

import functools

from dashboard.knowledge import Row, parse_table

HEADER = ("code", "name", "goldstein", "root", "quad_class")

QUAD_NAMES = {1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict", 4: "Material conflict"}


def _row(cells: Row) -> dict:
    code, name, gold, root, quad = cells[:5]
    if not code.isdigit() or root != code[:2]:
        raise ValueError(f"code {code!r} and root {root!r} disagree (the root is the code's first two digits)")
    return {"code": code, "name": name, "goldstein": float(gold), "root": root, "quad_class": int(quad)}


@functools.cache
def codebook() -> dict[str, dict]:
    """CAMEO event code → {'code', 'name', 'goldstein', 'root', 'quad_class'}, every code of
    tables/cameo.tsv (the two-digit roots included). Do not mutate: use :func:`cameo` for a copy.
    Raises TableError naming the line of a malformed row."""
    return {r["code"]: r for r in parse_table("cameo.tsv", _row, header=HEADER, width=5)}


def is_code(code: str | None) -> bool:
    """True when `code` (as written, leading zero included) is a CAMEO event code of the codebook."""
    return code in codebook()


def cameo(code: str) -> dict:
    """The row of tables/cameo.tsv for a CAMEO event code (a string with its leading zero, e.g.
    "0312"): {'code', 'name', 'goldstein' (float, -10…+10), 'root' ('01'…'20'), 'quad_class'
    (1-4)}, a fresh dict per call. Source: the CAMEO event-code and Goldstein-scale lookups GDELT
    publishes. Raises KeyError for a code not in CAMEO."""
    row = codebook().get(str(code).strip())
    if row is None:
        raise KeyError(f"unknown CAMEO event code {code!r}")
    return dict(row)


def goldstein(code: str) -> float:
    """Goldstein scale value (-10 most conflictual … +10 most cooperative) of a CAMEO event code.
    Raises KeyError for a code not in CAMEO."""
    return cameo(code)["goldstein"]


def quad_class(root_code: str) -> int:
    """QuadClass of a CAMEO root '01'…'20' (a longer code is cut to its root): 1 verbal
    cooperation (01-05), 2 material cooperation (06-08), 3 verbal conflict (09-13), 4 material
    conflict (14-20). Raises ValueError for anything else ('00', '21', '99', '', letters)."""
    s = str(root_code).strip()
    row = codebook().get(s[:2]) if len(s) >= 2 else None
    if row is None:
        raise ValueError(f"not a CAMEO root code: {root_code!r} (roots are 01 to 20)")
    return row["quad_class"]


def quad_class_or_none(root_code: str | None) -> int | None:
    """quad_class(root_code), or None where that raises: for importers, where a row with a
    root outside 01-20 is kept without a QuadClass rather than refused."""
    try:
        return quad_class(root_code) if root_code else None
    except ValueError:
        return None


def event_fields(code: str) -> dict:
    """root_code, quad_class and goldstein the store keeps beside a CAMEO event code.
    Raises ValueError naming the code when it is not in the CAMEO codebook (such as '99')."""
    code = str(code).strip()
    if code not in codebook():
        raise ValueError(f"{code!r} is not a CAMEO event code (see dashboard/knowledge/tables/cameo.tsv; "
                         "codes are written with their leading zero, e.g. 042)")
    row = codebook()[code]
    return {"root_code": row["root"], "quad_class": row["quad_class"], "goldstein": row["goldstein"]}

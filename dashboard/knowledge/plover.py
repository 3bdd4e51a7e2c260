"""PLOVER, the event ontology POLECAT codes in: its 16 event types with names and QuadClass
(tables/plover_types.tsv), and the CAMEO↔PLOVER crosswalk (tables/cameo_plover.tsv), both read by
the one table reader (dashboard.knowledge).

CAMEO → PLOVER is the crosswalk's own direction: one row per CAMEO code. PLOVER → CAMEO, which puts
a POLECAT event on the same timeline as GDELT and ICEWS, is derived from the same rows, never typed
twice: the CAMEO root of a (type, mode) is the root most of the crosswalk's codes with that type and
mode fall under (ASSAULT/firearms → 19, ASSAULT/massacre → 20); for a mode the crosswalk does not list
(POLECAT's ASSAULT/drone) or no mode, the root most of the type's codes fall under (ASSAULT → 18,
ACCUSE → 11, RETREAT → 08). A tie goes to the lower root.
"""
from __future__ import annotations

import functools
from collections import Counter

from dashboard.knowledge import Row, parse_table
from dashboard.knowledge.cameo import QUAD_NAMES, codebook

TYPES_HEADER = ("event", "name", "quad_class", "description")
CROSSWALK_HEADER = ("cameo", "event", "mode", "context")


def _type_row(cells: Row) -> tuple[str, dict]:
    event, name, quad, description = (cells + [""] * 4)[:4]
    if not event.isupper() or not event.isalpha():
        raise ValueError(f"a PLOVER event type is written in capitals, got {event!r}")
    q = int(quad)
    if q not in QUAD_NAMES:
        raise ValueError(f"QuadClass {quad!r} is not 1-4")
    return event, {"event": event, "name": name, "quad_class": q, "description": description}


@functools.cache
def types() -> dict[str, dict]:
    """PLOVER event type (upper case) → {'event', 'name', 'quad_class', 'description'}, the 16 types of
    tables/plover_types.tsv in file order. Do not mutate. Raises TableError naming a bad line."""
    return dict(parse_table("plover_types.tsv", _type_row, header=TYPES_HEADER, width=3))


def _crosswalk_row(cells: Row) -> tuple[str, dict]:
    code, event, mode, context = (cells + [""] * 4)[:4]
    if not code.isdigit() or code[:2] not in codebook() or len(code) not in (3, 4):
        raise ValueError(f"{code!r} is not a CAMEO event code under one of the twenty roots")
    if event not in types():
        raise ValueError(f"{event!r} is not a PLOVER event type of tables/plover_types.tsv")
    contexts = tuple(c.strip() for c in context.split(";") if c.strip())
    return code, {"cameo": code, "event": event, "mode": mode, "contexts": contexts}


@functools.cache
def crosswalk() -> dict[str, dict]:
    """CAMEO code → {'cameo', 'event', 'mode', 'contexts' (tuple)}, every row of tables/cameo_plover.tsv.
    Raises TableError naming the line of a row whose code or type is unknown, or a code listed twice."""
    out: dict[str, dict] = {}
    for code, row in parse_table("cameo_plover.tsv", _crosswalk_row, header=CROSSWALK_HEADER, width=2):
        if code in out:
            raise ValueError(f"tables/cameo_plover.tsv: CAMEO {code} is listed twice")
        out[code] = row
    return out


def plover_of_cameo(code: str | None) -> dict | None:
    """The PLOVER type, mode and contexts of a CAMEO code (a copy of its crosswalk row), or None.
    A root ('18') or a code the crosswalk lacks is read through its parent: '18' → '180',
    '0315' → '031'."""
    if not code:
        return None
    code = str(code).strip()
    table = crosswalk()
    for c in (code, code[:3], code[:2] + "0" if len(code) == 2 else None):
        if c and c in table:
            return dict(table[c], contexts=tuple(table[c]["contexts"]))
    return None


def _most_common_root(codes: list[str]) -> str | None:
    if not codes:
        return None
    counts = Counter(c[:2] for c in codes)
    return min(counts, key=lambda r: (-counts[r], r))


@functools.cache
def _roots() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    by_type: dict[str, list[str]] = {}
    by_mode: dict[tuple[str, str], list[str]] = {}
    for code, row in crosswalk().items():
        by_type.setdefault(row["event"], []).append(code)
        if row["mode"]:
            by_mode.setdefault((row["event"], row["mode"]), []).append(code)
    return ({t: _most_common_root(c) for t, c in by_type.items()},
            {k: _most_common_root(c) for k, c in by_mode.items()})


def cameo_root(event_type: str | None, mode: str | None = None) -> str | None:
    """The CAMEO root ('01'…'20') a PLOVER (type, mode) sits under, derived from the crosswalk (see
    the module's docstring); None for a type that is not one of the 16. Case is ignored."""
    t = (event_type or "").strip().upper()
    by_type, by_mode = _roots()
    m = (mode or "").strip().lower()
    return by_mode.get((t, m)) or by_type.get(t)


def type_name(event_type: str | None) -> str | None:
    """'Assault' for 'ASSAULT' (any case), None for a value that is not a PLOVER type."""
    row = types().get((event_type or "").strip().upper())
    return row["name"] if row else None


def label(event_type: str | None, mode: str | None = None) -> str | None:
    """How a PLOVER type is shown beside its code: 'ASSAULT (Assault) · firearms'; None when unknown."""
    name = type_name(event_type)
    if name is None:
        return None
    text = f"{event_type.strip().upper()} ({name})"
    return f"{text} · {mode.strip()}" if mode and mode.strip() else text

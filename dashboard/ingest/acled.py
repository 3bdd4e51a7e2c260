"""ACLED event exports (CSV with a header row).

Columns read (any case): event_id_cnty, event_date, year, time_precision, event_type,
sub_event_type, actor1, assoc_actor_1, actor2, assoc_actor_2, country, admin1, location, latitude,
longitude, source, source_scale, notes, fatalities. Other columns are ignored. Missing values are
empty or `NA`.

Each row becomes an EventRecord with source 'acled' and key event_id_cnty (a row without one, as
real exports have, is keyed "data_id:<data_id>"; with neither it is a RowError). Dates: ISO
(2020-05-09), ACLED's own "09 May 2020", and the Excel-mangled "9-May-20" (a two-digit year is
completed from the row's `year`, else read as 20yy). time_precision 1/2/3 → day/week/month.
Actor countries come from the actor names — "Military Forces of Russia (2000-)" → RUS, "Protesters
(Belarus)" → BLR, through `knowledge.countries.country_from_name`; when actor1's name names no country, the row's
`country` is used for it (an ACLED event happens in that country). An actor2 that names no country
is left empty. QuadClass, an approximate CAMEO code and its root come from tables/acled_quadclass.tsv
(our own mapping of the ACLED types; see the comment there). ACLED has no Goldstein score: goldstein
stays empty. notes → evidence; fatalities and the other columns are kept in `extra`; latitude and
longitude also become the event's lat/lon (for maps; eventtable.coordinates).
Bad rows (wrong number of fields, unparseable date, non-numeric fatalities) yield a RowError.

API JSON: what ACLED's API returns, `{"status": 200, "success": true, "count": N, "data": [{…}, …]}`
(or the bare list of `data`, or its objects as JSON Lines), imports like its CSV (sniff_json / parse_json): each object of `data` is
one row, its keys the CSV's column names, numbers or strings alike, null for missing; the same
_record makes the event. A row's line is where its object starts in the file, and its messages name
the record ("data[3]") for files written on one line.

Revisions: ACLED revises events for weeks (fatalities, actors, notes) and says when in `timestamp`
(epoch seconds, or an ISO date-time): it becomes the record's revised_at, and a re-import replaces a
stored row only with a later one (ingest.write.update_newer; analyst edits applied again). Deletions:
ACLED publishes withdrawn events as a table `event_id_cnty, deleted_timestamp` (the API's `deleted`
endpoint); such a file (sniff_deleted / parse_deleted) removes those rows unless the stored version is
newer than the deletion.
"""
from __future__ import annotations

import functools
import io
import json
import re
from collections import Counter
from datetime import date as _date, datetime, timezone
from typing import Iterable, Iterator

from dashboard.knowledge import Row, parse_table
from dashboard.knowledge.cameo import cameo
from dashboard.knowledge.countries import country_from_name
from .encoding import value_newlines
from .eventtable import MISSING, HeadedTable, coordinates, first_line, json_cell, loads_json, open_table, parse_date, split_header
from .records import Deletion, EventRecord, FileError, RowError

SOURCE = "acled"
REQUIRED = ("event_id_cnty", "event_date")
PRECISION = {"1": "day", "2": "week", "3": "month"}
MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                      "nov", "dec"), start=1)}
_DMY = re.compile(r"^(\d{1,2})[-\s/.]+([A-Za-z]{3,9})\.?[-\s/.,]+(\d{2}|\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})$")
_PAREN = re.compile(r"\(([^()]*)\)")
_OF = re.compile(r"\bof\s+(?:the\s+)?([A-Z][^()]*?)\s*(?:\(|$)")


def _type_row(cells: Row) -> tuple[tuple[str, str], tuple[str | None, str | None, int | None]]:
    """One row of tables/acled_quadclass.tsv; its root and quad_class must be the CAMEO codebook's
    for its code (knowledge.cameo), so the two tables cannot drift apart."""
    et, st, code, root, quad = (cells + ["", "", ""])[:5]
    if not code:
        return (et.lower(), st.lower()), (None, None, None)
    row = cameo(code)
    if (root, quad) != (row["root"], str(row["quad_class"])):
        raise ValueError(f"CAMEO {code} has root {row['root']} and QuadClass {row['quad_class']} "
                         f"(tables/cameo.tsv), not {root} and {quad}")
    return (et.lower(), st.lower()), (code, row["root"], row["quad_class"])


@functools.cache
def type_table() -> dict[tuple[str, str], tuple[str | None, str | None, int | None]]:
    """(event_type, sub_event_type or '*') in lower case → (cameo code, root, quad_class), from
    tables/acled_quadclass.tsv (our approximation of ACLED types in CAMEO terms). Raises
    TableError naming the line of a row whose code is not in CAMEO or disagrees with it."""
    return dict(parse_table("acled_quadclass.tsv", _type_row, width=2))


def classify(event_type: str, sub_event_type: str) -> tuple[str | None, str | None, int | None] | None:
    """(cameo code, root, quad_class) for an ACLED (sub-)event type, or None when the table has no row.

    An exact row wins over the event type's `*` row. The values may be None where ACLED has no CAMEO
    counterpart ("Other", "Change to group/activity").
    """
    t = type_table()
    et, st = event_type.strip().lower(), sub_event_type.strip().lower()
    return t.get((et, st)) or t.get((et, "*"))


@functools.lru_cache(maxsize=4096)
def actor_country(name: str | None) -> str | None:
    """The country an ACLED actor name names, as ISO 3166-1 alpha-3 (or EU/NATO), else None.

    Looks at parenthesised parts that are not dates ("Protesters (Belarus)") and then at the words
    after "of" ("Military Forces of Russia (2000-)", "Government of Democratic Republic of Congo
    (2019-)"); names are resolved by knowledge.countries.country_from_name.
    """
    if not name:
        return None
    for inner in _PAREN.findall(name):
        inner = inner.strip()
        if inner and not inner[0].isdigit():
            code = country_from_name(inner)
            if code:
                return code
    for m in _OF.finditer(name):
        code = country_from_name(m.group(1))
        if code:
            return code
    return country_from_name(name)


@functools.lru_cache(maxsize=4096)
def parse_acled_date(value: str, year: str = "") -> str:
    """'YYYY-MM-DD' from an ACLED event_date: '2020-05-09', '09 May 2020', '9-May-20', '20200509',
    or '18/01/1997' (older ACLED files: day first; read month first only when the first number
    cannot be a month, as in '5/13/2020').

    A two-digit year takes its century from `year` (the row's year column) when that ends in the
    same two digits, else 20yy. Raises ValueError when the value is not such a date.
    """
    v = value.strip()
    m = _DMY.match(v)
    if not m:
        n = _NUMERIC.match(v)
        if n:
            a, b, y = (int(x) for x in n.groups())
            day, month = (b, a) if b > 12 >= a else (a, b)   # day first (ACLED's own), unless impossible
            if y < 100:
                yr = year.strip().split(".")[0]
                y = int(yr) if len(yr) == 4 and yr.isdigit() and int(yr) % 100 == y else 2000 + y
            try:
                return _date(y, month, day).isoformat()
            except ValueError:
                raise ValueError(f"not a calendar date: {value[:40]!r}") from None
        return parse_date(v)
    d, mon, y = m.groups()
    month = MONTHS.get(mon[:3].lower())
    if month is None:
        raise ValueError(f"not a date: {value[:40]!r}")
    if len(y) == 2:
        yr = year.strip().split(".")[0]
        y = yr if len(yr) == 4 and yr.isdigit() and yr.endswith(y) else "20" + y
    try:
        return _date(int(y), month, int(d)).isoformat()
    except ValueError:
        raise ValueError(f"not a calendar date: {value[:40]!r}") from None


def sniff(ext: str, text: str) -> bool:
    """FORMATS sniffer: a header naming event_id_cnty and event_date (any delimiter, any case)."""
    return split_header(first_line(text), REQUIRED) is not None


def parse(text: str, name: str) -> Iterator[EventRecord | RowError]:
    """Parse a whole decoded file; see parse_lines."""
    return parse_lines(io.StringIO(text), name)


COLUMNS = ("timestamp", "data_id", "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
           "assoc_actor_1", "actor2", "assoc_actor_2", "country", "admin1", "admin2", "location", "latitude",
           "longitude", "source", "source_scale", "notes", "fatalities")
EXTRA = ("event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "admin1",
         "location", "latitude", "longitude", "source", "source_scale")


def parse_lines(lines: Iterable[str], name: str, unknown: Counter | None = None
                ) -> Iterator[EventRecord | RowError]:
    """Events of an ACLED CSV given as text lines, streamed one row at a time.

    Yields one EventRecord or RowError per data row (quoted notes may span lines; the line is where
    the row starts). `unknown` counts event types missing from tables/acled_quadclass.tsv and
    `country` values that do not resolve (kept as they are). Yields a single RowError(1, 'header', …)
    when the first line is not an ACLED header.
    """
    unknown = unknown if unknown is not None else Counter()
    table = open_table(lines, REQUIRED, "ACLED")
    if isinstance(table, RowError):
        yield table
    if not isinstance(table, HeadedTable):
        return
    for item in table.named_rows(COLUMNS):
        yield item if type(item) is RowError else _record(item[1], item[0], unknown)


def _record(r: dict[str, str], line: int, unknown: Counter) -> EventRecord | RowError:
    key = r["event_id_cnty"] or (f"data_id:{r['data_id']}" if r["data_id"] else "")
    if not key:
        return RowError(line, "event_id_cnty", "missing event id (and no data_id)")
    try:
        day = parse_acled_date(r["event_date"], r["year"])
    except ValueError:
        return RowError(line, "event_date", f"no parseable date in {r['event_date'][:40]!r}")
    fat = r["fatalities"]
    try:
        fatalities = int(float(fat)) if fat else None
    except ValueError:
        return RowError(line, "fatalities", f"not a number: {fat[:40]!r}")
    kind = classify(r["event_type"], r["sub_event_type"])
    if kind is None:
        if r["event_type"]:
            unknown[f"ACLED type {r['event_type']}/{r['sub_event_type']}"] += 1
        kind = (None, None, None)
    code, root, quad = kind
    a1 = actor_country(r["actor1"])
    if a1 is None and r["country"]:
        a1 = country_from_name(r["country"])
        if a1 is None:
            unknown[r["country"]] += 1
            a1 = r["country"]
    a2 = actor_country(r["actor2"])
    extra = {k: r[k] for k in EXTRA if r[k]}
    if fatalities is not None:
        extra["fatalities"] = fatalities
    geo = ", ".join(x for x in (r["location"], r["admin2"], r["admin1"], r["country"]) if x) or None
    return EventRecord(
        source=SOURCE, source_event_id=key, date=day, actor1=a1, actor2=a2, cameo_code=code, root_code=root,
        quad_class=quad, evidence=value_newlines(r["notes"]) or None, date_precision=PRECISION.get(r["time_precision"], "day"),
        geo=geo, extra=extra or None, line=line, revised_at=parse_timestamp(r["timestamp"]),
        **dict(zip(("lat", "lon"), coordinates(r["latitude"], r["longitude"]))))


def parse_timestamp(value: str) -> int | None:
    """Epoch seconds from an ACLED `timestamp`: '1589305445', '1589305445.0', or an ISO date-time
    ('2020-05-12 17:44:05', UTC when no zone is given). None when missing or unreadable (the row
    still lands; it is then never taken for a newer version)."""
    v = (value or "").strip()
    if not v:
        return None
    try:
        return int(float(v))
    except ValueError:
        pass
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int(dt.timestamp())


DELETED_REQUIRED = ("event_id_cnty", "deleted_timestamp")


def sniff_deleted(ext: str, text: str) -> bool:
    """FORMATS sniffer for ACLED's deleted events: a header naming event_id_cnty and deleted_timestamp."""
    return split_header(first_line(text), DELETED_REQUIRED) is not None


def parse_deleted(text: str, name: str) -> Iterator[Deletion | RowError]:
    """One Deletion per row of an ACLED deletions table (event_id_cnty, deleted_timestamp), or a RowError
    for a row without an event id."""
    table = open_table(io.StringIO(text), DELETED_REQUIRED, "ACLED deletions")
    if isinstance(table, RowError):
        yield table
    if not isinstance(table, HeadedTable):
        return
    for item in table.named_rows(DELETED_REQUIRED):
        if type(item) is RowError:
            yield item
            continue
        line, r = item
        if not r["event_id_cnty"]:
            yield RowError(line, "event_id_cnty", "missing event id")
            continue
        yield Deletion(SOURCE, r["event_id_cnty"], parse_timestamp(r["deleted_timestamp"]), line)


# --- the API's JSON ------------------------------------------------------------------------

def sniff_json(ext: str, text: str) -> bool:
    """FORMATS sniffer for ACLED API JSON: an object or list whose first 64 KiB name event_id_cnty and
    event_date as keys."""
    head = text.lstrip("\ufeff \t\r\n")[:65536]
    return head[:1] in ("{", "[") and '"event_id_cnty"' in head and '"event_date"' in head


def _cell(v) -> str:
    """A JSON value as the CSV cell it would be: null, NaN and Infinity are missing; numbers as text."""
    v = (json_cell(v) or "").strip()
    return "" if v in MISSING else v


def _object_lines(text: str, start: int, n: int) -> list[int] | None:
    """The line on which each of the `n` objects of the JSON array opening at `start` begins, or None
    when the array cannot be walked (the caller then uses line 1)."""
    dec = json.JSONDecoder(strict=False)
    i = start + 1
    lines, line, last = [], 1 + text.count("\n", 0, i), i
    ws = " \t\r\n,"
    for _ in range(n):
        while i < len(text) and text[i] in ws:
            i += 1
        line += text.count("\n", last, i)
        last = i
        lines.append(line)
        try:
            _, i = dec.raw_decode(text, i)
        except json.JSONDecodeError:
            return None
    return lines


def parse_json(text: str, name: str) -> Iterator[EventRecord | RowError]:
    """Events of an ACLED API response (see the module's docstring): one EventRecord or RowError per
    object of `data`. Raises FileError for text that is not JSON or holds no `data` list (an API
    error response names its error)."""
    body = text.lstrip("\ufeff")
    try:
        doc = loads_json(body)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise FileError(f"invalid JSON: {exc.msg}", exc.lineno, None) from None
        yield from _json_lines(body)     # ACLED rows as JSON Lines, one object a line
        return
    offset = len(text) - len(body)
    if isinstance(doc, dict):
        data = doc.get("data")
        if not isinstance(data, list):
            why = doc.get("error") or doc.get("messages") or "no data list"
            raise FileError(f"an ACLED API response without a `data` list: {str(why)[:200]}", 1, "data")
        key = body.find('"data"')
        start = body.find("[", key) if key >= 0 else -1
    else:
        data, start = doc, body.find("[")
    lines = _object_lines(body, start, len(data)) if start >= 0 else None
    for i, obj in enumerate(data):
        line = (lines[i] if lines else 1) + text.count("\n", 0, offset)
        if not isinstance(obj, dict):
            yield RowError(line, None, f"data[{i}]: not a JSON object")
            continue
        yield _object_record(obj, line, f"data[{i}]: ")


def _object_record(obj: dict, line: int, where: str = "") -> EventRecord | RowError:
    """The event of one ACLED JSON object (keys the CSV's column names, any case)."""
    r = {k: "" for k in COLUMNS}
    for k, v in obj.items():
        k = str(k).strip().lower()
        if k in r:
            r[k] = _cell(v)
    unknown: Counter = Counter()
    rec = _record(r, line, unknown)
    if isinstance(rec, RowError):
        rec.message = f"{where}{rec.message}"
    else:
        rec.unmapped = tuple(k for k, n in unknown.items() for _ in range(n))
    return rec


def _json_lines(text: str) -> Iterator[EventRecord | RowError]:
    for no, ln in enumerate(text.split("\n"), start=1):
        if not ln.strip():
            continue
        try:
            obj = loads_json(ln)
        except json.JSONDecodeError as exc:
            yield RowError(no, None, f"invalid JSON ({exc.msg})")
            continue
        yield _object_record(obj, no) if isinstance(obj, dict) else RowError(no, None, "not a JSON object")

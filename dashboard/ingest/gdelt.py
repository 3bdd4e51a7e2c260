"""GDELT 1.0 and 2.0 event files, raw or re-saved by R, pandas or a spreadsheet.

Layouts (column names from the GDELT 1.0 Event "Column Labels Header Row" and the GDELT 2.0 Event
codebook, `tables/gdelt_columns.tsv`):
  v1_57  GDELT 1.0 backfile rows (before April 2013): 57 columns, no SOURCEURL;
  v1_58  GDELT 1.0 daily files: 58 columns, SOURCEURL last;
  v2_61  GDELT 2.0 15-minute exports: 61 columns (1.0 plus three ADM2 codes).
Raw files are tab-separated without a header (`.CSV`, `.txt`, or inside a `.zip`) and are recognised
by their content — 57, 58 or 61 fields, a numeric GLOBALEVENTID and an 8-digit SQLDATE — never by
their name. The layout is decided row by row, so a file mixing 57- and 58-column rows works.

Re-exports are recognised by a header naming GLOBALEVENTID and SQLDATE (any case, `_`/`.` ignored)
or, without a header, by the same content test on comma/semicolon rows; quoted fields, `NA` or empty
for missing values, an extra index column (`""` or unnamed first column), CAMEO codes that lost their
leading zeros (`46` → `046`, root `4` → `04`), dates written as numbers (`20120801`, `20120801.0`) and,
with `;` as delimiter, decimal commas are all handled. In a re-export `NA` always means missing (so the
FIPS code NA, Netherlands Antilles, cannot be told apart there).

`extra` keeps DATEADDED, the full CAMEO actor codes (Actor1Code/Actor2Code, e.g. BLRGOV),
EventBaseCode and IsRootEvent. ActionGeo_Lat/Long become the event's lat/lon, Actor1Geo_* and
Actor2Geo_* Lat/Long its actor1_lat … actor2_lon (for maps; eventtable.coordinates: a missing,
unreadable or out-of-range value, or the 0,0 an R re-export writes for none, stays empty and the row
still lands). The other columns are not stored.

Each data row yields one EventRecord (source 'gdelt') or one RowError (wrong number of fields,
unparseable SQLDATE, non-numeric GoldsteinScale or other numeric field), with its physical line.
Country codes go through `actor_country` (tables/cameo_countries.tsv); codes that are neither ISO
3166-1 alpha-3 nor in that table are kept as they are and counted in the caller's `unknown` Counter.
ActionGeo_CountryCode is a FIPS 10-4 code and is stored as FIPS in `geo` (`GA` is the Gambia, `GG`
Georgia: shared case C08); it is never read as ISO.

The helpers the ACLED and ICEWS importers share (header matching, delimited rows with line numbers,
dates, CAMEO codes that lost their zeros) are in eventtable.py; ISO codes and blocs in
dashboard.knowledge.countries.
"""
from __future__ import annotations

import csv
import functools
import io
from collections import Counter
from itertools import chain
from operator import itemgetter
from typing import Iterable, Iterator

from dashboard.knowledge import parse_table
from dashboard.knowledge.countries import BLOCS, cameo_country_codes, iso_codes
from .eventtable import (INDEX_COLUMN_NAMES, MISSING, column_index, coordinates, first_line, fit_row,
                         iter_delimited, norm_name, normalise_cameo, parse_date, read_head, split_header)
from .records import EventRecord, RowError

SOURCE = "gdelt"
LAYOUT_BY_COUNT = {57: "v1_57", 58: "v1_58", 61: "v2_61"}
# The fields the importer reads, in the order `_FIELDS` unpacks them.
FIELDS = ("GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor1CountryCode", "Actor1KnownGroupCode",
          "Actor2Code", "Actor2CountryCode", "Actor2KnownGroupCode", "IsRootEvent", "EventCode",
          "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions", "NumSources",
          "NumArticles", "AvgTone", "ActionGeo_FullName", "ActionGeo_CountryCode", "DATEADDED", "SOURCEURL",
          "ActionGeo_Lat", "ActionGeo_Long", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor2Geo_Lat", "Actor2Geo_Long")
NUMERIC = ("QuadClass", "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")


# --- tables ------------------------------------------------------------------------------

@functools.cache
def layouts() -> dict[str, tuple[str, ...]]:
    """Layout name → column names in order, from tables/gdelt_columns.tsv (GDELT 1.0/2.0 codebooks)."""
    cols: dict[str, dict[int, str]] = {}
    for layout, index, name in parse_table("gdelt_columns.tsv", lambda r: (r[0], int(r[1]), r[2]), width=3):
        cols.setdefault(layout, {})[index] = name
    return {k: tuple(v[i] for i in range(len(v))) for k, v in cols.items()}


@functools.cache
def _layout_getter(layout: str):
    names = layouts()[layout]
    pos = [names.index(f) if f in names else len(names) for f in FIELDS]  # absent → the "" appended to a row
    return itemgetter(*pos), len(names)


# --- countries ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=2048)
def map_code(code: str | None) -> tuple[str | None, str]:
    """(our code, kind) of one CAMEO country/region/group code.

    kind: 'iso' (an ISO code, unchanged), 'country' (mapped, e.g. ROM → ROU), 'region', 'group'
    (EEC → EU, NAT → NATO, others unchanged), 'unknown' (kept as is), 'missing' (empty, NA or 0).
    """
    if code is None:
        return None, "missing"
    code = code.strip()
    if code in MISSING or code == "0":
        return None, "missing"
    hit = cameo_country_codes().get(code)  # first: TMP is also a withdrawn ISO code, but we store TLS
    if hit:
        return hit
    if code in iso_codes():
        return code, "iso"
    return code, "unknown"


@functools.lru_cache(maxsize=8192)
def actor_country(country: str | None, group: str | None = None, actor_code: str | None = None
                  ) -> tuple[str | None, str | None]:
    """(actor code for the store, unknown code or None) from a GDELT actor's CAMEO codes.

    Order: Actor*CountryCode when it is a country (mapped through tables/cameo_countries.tsv);
    else Actor*KnownGroupCode when it is a bloc (EEC → EU, NAT → NATO: the EU is coded with the region
    EUR as its country); else the country code as it is (a region such as EUR, or an unknown code);
    else the known group; else the first three letters of Actor*Code when they are a country or known
    group code (`RUSGOV` → RUS). The second value is the code that is neither ISO nor in the table,
    to be reported (never counted as a failure).
    """
    c, ck = map_code(country)
    if ck in ("iso", "country"):
        return c, None
    g, gk = map_code(group)
    if g in BLOCS:
        return g, None
    if c is not None:
        return c, (c if ck == "unknown" else None)
    if g is not None:
        return g, (g if gk == "unknown" else None)
    if actor_code and len(actor_code) >= 3:
        prefix = actor_code[:3]
        if prefix.isupper():
            p, pk = map_code(prefix)
            if pk in ("iso", "country", "group", "region"):
                return p, None
    return None, None


# --- values ------------------------------------------------------------------------------

def _int(v: str) -> int:
    try:
        return int(v)
    except ValueError:
        f = float(v)
        if f != int(f):
            raise ValueError(f"not an integer: {v!r}") from None
        return int(f)


def _event_id(v: str) -> str:
    """A GLOBALEVENTID as digits: '881990832', '881990832.0' → '881990832'. Raises ValueError for
    anything else, including a spreadsheet's rounded '8.81991E+08' (the real id is lost)."""
    if v.isdigit():
        return v
    if "e" in v.lower():
        mantissa = v.lower().split("e")[0].replace(".", "").lstrip("+-0")
        if len(mantissa) < len(str(_int(v))):
            raise ValueError(f"event id rounded to {v!r}")
    return str(_int(v))


# --- format detection --------------------------------------------------------------------

def _raw_match(fields: list[str], offset: int = 0) -> bool:
    n = len(fields) - offset
    if n not in LAYOUT_BY_COUNT:
        return False
    eid, sqldate = fields[offset].strip().strip('"'), fields[offset + 1].strip().strip('"')
    return eid.isdigit() and len(sqldate.split(".")[0]) == 8 and sqldate.split(".")[0].isdigit()


def _content_mode(lines: list[str]) -> tuple[str, int] | None:
    """(delimiter, index offset) when the first of `lines`, or most of them, are GDELT rows without
    a header (a bad first row does not hide a GDELT file, nor a bad row further on)."""
    for delim in ("\t", ",", ";"):
        for offset in (0, 1):
            matches = [_raw_match(ln.split(delim) if delim == "\t" else _fields(ln, delim), offset) for ln in lines]
            if matches and (matches[0] or sum(matches) * 2 >= len(matches)):
                return delim, offset
    return None


def _fields(line: str, delim: str) -> list[str]:
    """The fields of one CSV line ([] when the csv module cannot read it, e.g. a CR outside quotes)."""
    try:
        return next(csv.reader([line], delimiter=delim), [])
    except csv.Error:
        return []


def _sample_lines(text: str, n: int = 20) -> list[str]:
    """The first `n` non-blank lines of `text` (a cut-short last line only weakens the majority vote)."""
    out = []
    for p in text.split("\n", 4 * n):
        p = p.replace("\ufeff", "").rstrip("\r")
        if p.strip():
            out.append(p)
            if len(out) == n:
                break
    return out


MIN_OTHER_COLUMNS = 3   # GDELT columns a header found through tables/gdelt_aliases.tsv must also name


@functools.cache
def aliases() -> dict[str, str]:
    """norm_name(alias) → codebook column name, from tables/gdelt_aliases.tsv."""
    known = {norm_name(n) for names in layouts().values() for n in names}

    def row(r):
        if norm_name(r[1]) not in known:
            raise ValueError(f"{r[1]!r} is not a GDELT column (tables/gdelt_columns.tsv)")
        return norm_name(r[0]), r[1]
    return dict(parse_table("gdelt_aliases.tsv", row, width=2))


@functools.cache
def _known_columns() -> frozenset[str]:
    return frozenset(norm_name(n) for names in layouts().values() for n in names)


def header_of(line: str) -> tuple[str, list[str]] | None:
    """(delimiter, column names with aliases resolved) when `line` is the header of a GDELT re-export:
    it names GLOBALEVENTID and SQLDATE (any case, `_`, `.` and spaces ignored), or names them through
    tables/gdelt_aliases.tsv (`Day`, `Event_ID` …) together with at least MIN_OTHER_COLUMNS other GDELT
    columns. None otherwise."""
    found = split_header(line, ("GLOBALEVENTID", "SQLDATE"))
    if found:
        return found
    alias = aliases()
    known = _known_columns()
    for delim in ("\t", ",", ";", "|"):
        if delim not in line:
            continue
        names = _fields(line, delim)
        canon = [alias.get(norm_name(n), n) for n in names]
        normed = [norm_name(n) for n in canon]
        if {"globaleventid", "sqldate"} <= set(normed) and \
                sum(n in known and n not in ("globaleventid", "sqldate") for n in set(normed)) >= MIN_OTHER_COLUMNS:
            return delim, canon
    return None


def looks_like(text: str) -> bool:
    """True when `text` (a whole file or its first 64 KB) is a GDELT event file: a header naming
    GLOBALEVENTID and SQLDATE (also through tables/gdelt_aliases.tsv: header_of), or rows of 57/58/61
    fields with a numeric id and an 8-digit date."""
    head = first_line(text)
    if not head:
        return False
    if header_of(head):
        return True
    sample = _sample_lines(text) or [head]
    return _content_mode(sample) is not None


def sniff(ext: str, text: str) -> bool:
    """FORMATS sniffer: the extension is ignored, the content decides (see looks_like)."""
    return looks_like(text)


# --- parsing -----------------------------------------------------------------------------

def parse(text: str, name: str) -> Iterator[EventRecord | RowError]:
    """Parse a whole decoded file; see parse_lines."""
    return parse_lines(io.StringIO(text), name)


def parse_lines(lines: Iterable[str], name: str, unknown: Counter | None = None
                ) -> Iterator[EventRecord | RowError]:
    """Events of a GDELT file given as an iterable of text lines, streamed one row at a time.

    Yields one EventRecord or RowError per data row (blank lines are not rows). `unknown` counts
    the actor country codes kept as they are because they are neither ISO 3166-1 alpha-3 nor in
    tables/cameo_countries.tsv. Raises nothing for bad rows; an empty input yields nothing.
    The first non-blank line is read at once (to choose the layout); the rest lazily.
    """
    unknown = unknown if unknown is not None else Counter()
    it, lineno, head = read_head(lines)
    if head is None:
        return iter(())
    header = header_of(head)
    if header:
        return _parse_header(it, lineno + 1, header[0], header[1], unknown)
    if "\t" in head or not (mode := _content_mode([head])):
        return _parse_raw(head, it, lineno, unknown)
    return _parse_headerless(head, it, lineno, mode[0], mode[1], unknown)


def _parse_raw(head: str, it: Iterator[str], lineno: int, unknown: Counter) -> Iterator[EventRecord | RowError]:
    """Tab-separated GDELT rows, the layout decided per row by its field count (the hot loop: keep it lean)."""
    get = {n: _layout_getter(layout)[0] for n, layout in LAYOUT_BY_COUNT.items()}.get
    record = _record_raw
    line = lineno - 1
    for raw in chain((head,), it):
        line += 1
        fields = raw.split("\t")
        last = fields[-1]
        if last.endswith("\n"):
            last = fields[-1] = last.rstrip("\r\n")
        n = len(fields)
        g = get(n)
        if g is None:
            if n == 1 and not last.strip():
                continue  # a blank line is not a row
            yield RowError(line, None, f"{n} fields; a GDELT event row has 57, 58 or 61 tab-separated fields")
            continue
        if n == 57:
            fields.append("")  # SOURCEURL, absent from backfile rows
        yield record(g(fields), line, unknown)


def _record_raw(v: tuple, line: int, unknown: Counter) -> EventRecord | RowError:
    """_record for a raw GDELT row, with the common case done inline."""
    (eid, sqldate, a1code, a1country, a1group, a2code, a2country, a2group, is_root,
     code, base, root, quad, gold, mentions, sources, articles, tone, geo_name, geo_cc, dateadded, url,
     lat, lon, lat1, lon1, lat2, lon2) = v
    if not eid.isdigit() or len(sqldate) != 8:
        return _record(v, line, unknown, False, False)
    try:
        day = parse_date(sqldate)
    except ValueError:
        return RowError(line, "SQLDATE", f"no parseable date in {sqldate[:40]!r}")
    a1, bad1 = actor_country(a1country, a1group, a1code)
    a2, bad2 = actor_country(a2country, a2group, a2code)
    try:
        rec = EventRecord(
            SOURCE, eid, day, a1, a2, code or None, root or (code[:2] if len(code) >= 2 else None),
            int(quad) if quad else None, float(gold) if gold else None, None, float(tone) if tone else None,
            int(mentions) if mentions else None, int(sources) if sources else None,
            int(articles) if articles else None, None, "day",
            (f"{geo_name} [FIPS {geo_cc}]" if geo_name else f"[FIPS {geo_cc}]") if geo_cc else (geo_name or None),
            url or None,
            # json.dumps costs a third of this function; these five fields are digits and letters in
            # every well-formed row, so the JSON is written directly when that holds.
            f'{{"dateadded": "{dateadded}", "actor1_code": "{a1code}", "actor2_code": "{a2code}", '
            f'"base_code": "{base}", "is_root_event": "{is_root}"}}'
            if (dateadded + a1code + a2code + base + is_root + "0").isalnum() else
            {"dateadded": dateadded, "actor1_code": a1code, "actor2_code": a2code, "base_code": base,
             "is_root_event": is_root},
            line)
    except ValueError:
        return _record(v, line, unknown, False, False)
    if lat or lat1 or lat2:
        rec.lat, rec.lon = coordinates(lat, lon)
        rec.actor1_lat, rec.actor1_lon = coordinates(lat1, lon1)
        rec.actor2_lat, rec.actor2_lon = coordinates(lat2, lon2)
    if bad1:
        unknown[bad1] += 1
    if bad2:
        unknown[bad2] += 1
    return rec


def _parse_headerless(head: str, it: Iterator[str], lineno: int, delim: str, offset: int,
                      unknown: Counter) -> Iterator[EventRecord | RowError]:
    """A comma/semicolon re-export without a header (optionally with an index column first)."""
    getters = {n: _layout_getter(layout) for n, layout in LAYOUT_BY_COUNT.items()}
    comma = delim == ";"
    for item in iter_delimited(chain([head + "\n"], it), delim, lineno):
        if type(item) is RowError:
            yield item
            continue
        line, row = item
        fields = row[offset:]
        g = getters.get(len(fields))
        if g is None:
            yield RowError(line, None, f"{len(row)} fields; a GDELT event row has 57, 58 or 61"
                                       + (" plus an index column" if offset else ""))
            continue
        fields.append("")
        yield _record(g[0](fields), line, unknown, True, comma)


def _parse_header(it: Iterator[str], first_data_line: int, delim: str, names: list[str],
                  unknown: Counter) -> Iterator[EventRecord | RowError]:
    """A re-export with a header row naming GDELT columns (any case)."""
    index = column_index(names)
    width = len(names)
    pos = [index.get(norm_name(f), width) for f in FIELDS]
    get = itemgetter(*pos)
    has_index = bool(names) and norm_name(names[0]) in INDEX_COLUMN_NAMES
    comma = delim == ";"
    for item in iter_delimited(it, delim, first_data_line):
        if type(item) is RowError:
            yield item
            continue
        line, row = item
        fields = fit_row(row, width, has_index)
        if fields is None:
            yield RowError(line, None, f"{len(row)} fields, the header has {width}")
            continue
        fields = [f.strip() for f in fields]
        fields.append("")
        yield _record(get(fields), line, unknown, True, comma)


def _record(v: tuple, line: int, unknown: Counter, reexport: bool, decimal_comma: bool) -> EventRecord | RowError:
    """One row's FIELDS values → EventRecord, or RowError naming the field at fault.

    reexport: `NA`-style missing values, float-looking numbers and lost CAMEO zeros are expected;
    decimal_comma: numbers may use a decimal comma (`;`-delimited files).
    """
    (eid, sqldate, a1code, a1country, a1group, a2code, a2country, a2group, is_root,
     code, base, root, quad, gold, mentions, sources, articles, tone, geo_name, geo_cc, dateadded, url,
     lat, lon, lat1, lon1, lat2, lon2) = v
    if reexport:
        (eid, sqldate, a1code, a1country, a1group, a2code, a2country, a2group, is_root,
         code, base, root, quad, gold, mentions, sources, articles, tone, geo_name, geo_cc, dateadded, url,
         lat, lon, lat1, lon1, lat2, lon2) = ("" if x in MISSING else x for x in v)
        if decimal_comma:
            gold, tone = gold.replace(",", "."), tone.replace(",", ".")
    if not eid:
        return RowError(line, "GLOBALEVENTID", "missing event id")
    try:
        eid = _event_id(eid)
    except ValueError:
        return RowError(line, "GLOBALEVENTID", f"not a numeric event id (or rounded by a spreadsheet): {eid[:40]!r}")
    if not sqldate:
        return RowError(line, "SQLDATE", "missing date")
    try:
        day = parse_date(sqldate)
    except ValueError:
        return RowError(line, "SQLDATE", f"no parseable date in {sqldate[:40]!r}")
    try:
        quad_i = _int(quad) if quad else None
        gold_f = float(gold) if gold else None
        mentions_i = _int(mentions) if mentions else None
        sources_i = _int(sources) if sources else None
        articles_i = _int(articles) if articles else None
        tone_f = float(tone) if tone else None
    except ValueError:
        return _numeric((quad, gold, mentions, sources, articles, tone), line)
    if reexport:
        code, base, root = normalise_cameo(code, base, root)
    elif not root:
        root = code[:2] if len(code) >= 2 else None
    a1, bad1 = actor_country(a1country, a1group, a1code)
    a2, bad2 = actor_country(a2country, a2group, a2code)
    if bad1:
        unknown[bad1] += 1
    if bad2:
        unknown[bad2] += 1
    extra = {"dateadded": dateadded, "actor1_code": a1code, "actor2_code": a2code, "base_code": base,
             "is_root_event": is_root}
    rec = EventRecord(
        SOURCE, eid, day, a1, a2, code or None, root or None, quad_i, gold_f, None, tone_f,
        mentions_i, sources_i, articles_i, None, "day",
        _geo(geo_name, geo_cc),
        url or None, extra, line)
    rec.lat, rec.lon = coordinates(lat, lon, decimal_comma)
    rec.actor1_lat, rec.actor1_lon = coordinates(lat1, lon1, decimal_comma)
    rec.actor2_lat, rec.actor2_lon = coordinates(lat2, lon2, decimal_comma)
    return rec


def _geo(name: str, fips: str) -> str | None:
    """'Minsk, Belarus (general), Belarus [FIPS BO]': the place name and its FIPS 10-4 country code."""
    if fips:
        return f"{name} [FIPS {fips}]" if name else f"[FIPS {fips}]"
    return name or None


def _numeric(values: tuple, line: int) -> RowError:
    """The RowError naming the first of the NUMERIC fields (`values`, in that order) that is not a number."""
    for name, x in zip(NUMERIC, values):
        if not x:
            continue
        try:
            float(x) if name in ("GoldsteinScale", "AvgTone") else _int(x)
        except ValueError:
            return RowError(line, name, f"not a number: {x[:40]!r}")
    return RowError(line, None, "a numeric field is not a number")

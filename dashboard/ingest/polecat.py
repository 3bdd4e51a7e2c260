"""POLECAT event files (the ICEWS successor, coded in PLOVER): the weekly `ngecEvents*.txt` releases
and the monthly files inside the yearly `.zip` archives, tab-separated with a header row.

Recognised by their header (never by the file name): Event ID, Event Date and Event Type, and a
Recipient column (Recipient Name / Country / Sector), in any case, spaces, `_` or `.` ignored, so the
`Event.ID` of R and the `event_id` of pandas match too. Columns read, each with the other names it is
known by: Event ID, Event Date, Event Type, Event Mode (Mode), Contexts (Context), Quad Code,
Intensity (Event Intensity), Actor Name, Actor Country, Actor Sector (Primary Actor Sector, Actor
Sectors), the same three for Recipient, Story ID, Publication Date, Feed, Source (Publisher), Place
Name (Placename), City, State, Country, Latitude, Longitude, Headline, Event Text. Other columns are
ignored; missing values are empty or `NA`. Trailing tabs (empty fields after the last column, which
some releases carry) are dropped.

Each row becomes an EventRecord with source 'polecat', key Event ID (unique across releases; a
re-import adds nothing). Event Type is one of the 16 PLOVER types (tables/plover_types.tsv, any
case); its QuadClass is POLECAT's own for the type (the file's Quad Code is kept in `extra` as
written). The CAMEO root comes from the crosswalk (knowledge.plover.cameo_root of type and mode):
root_code and cameo_code hold it (a root is a code of the CAMEO codebook), so POLECAT sits on the
same timeline, filters and charts as GDELT and ICEWS. Countries: Actor/Recipient Country through
knowledge.countries.resolve_country (ISO 3166-1 alpha-3 codes in any case, or names: "Russia",
"Russian Federation"); a value that is not one is kept as written and counted in `unknown` (the
report lists it), an ambiguous name ("Congo") too, never guessed.

Intensity: POLECAT scores each event's intensity on a -10 (most conflictual) … +10 (most cooperative)
scale, like ICEWS's Intensity and the CAMEO Goldstein scale: `intensity` keeps it as given and
`goldstein` is set to it when it lies in -10…+10 (else goldstein stays empty), so that charts of mean
Goldstein include POLECAT as they include ICEWS. Latitude/Longitude → lat/lon (eventtable.coordinates).

The evidence reads "ASSAULT (Assault) · firearms: Actor Name → Recipient Name — Event Text" (the
Headline when there is no Event Text), so the PLOVER type shows with its name wherever events are
listed; mode, contexts, quad code, sectors, story id, publication date, feed, source, headline and
place name are kept in `extra`. A row without Event ID, with an unreadable Event Date, a missing or
unknown Event Type, or a non-numeric Intensity is a RowError naming its line and field.
"""
from __future__ import annotations

import io
from collections import Counter
from typing import Iterable, Iterator

from dashboard.knowledge import plover
from dashboard.knowledge.countries import resolve_country
from .eventtable import MISSING, HeadedTable, coordinates, first_line, norm_name, open_table, parse_date, split_header
from .records import EventRecord, RowError

SOURCE = "polecat"
REQUIRED = ("Event ID", "Event Date", "Event Type")
# Our name of each column → the names files give it (the first is the codebook's).
COLUMNS: dict[str, tuple[str, ...]] = {
    "Event ID": ("Event ID",), "Event Date": ("Event Date",), "Event Type": ("Event Type",),
    "Event Mode": ("Event Mode", "Mode"), "Contexts": ("Contexts", "Context"), "Quad Code": ("Quad Code",),
    "Intensity": ("Intensity", "Event Intensity"),
    "Actor Name": ("Actor Name",), "Actor Country": ("Actor Country",),
    "Actor Sector": ("Actor Sector", "Primary Actor Sector", "Actor Sectors"),
    "Recipient Name": ("Recipient Name",), "Recipient Country": ("Recipient Country",),
    "Recipient Sector": ("Recipient Sector", "Primary Recipient Sector", "Recipient Sectors"),
    "Story ID": ("Story ID",), "Publication Date": ("Publication Date",), "Feed": ("Feed",),
    "Source": ("Source", "Publisher"), "Place Name": ("Place Name", "Placename"), "City": ("City",),
    "State": ("State",), "Country": ("Country",), "Latitude": ("Latitude",), "Longitude": ("Longitude",),
    "Headline": ("Headline",), "Event Text": ("Event Text",),
}
EXTRA = {"Event Mode": "mode", "Contexts": "contexts", "Quad Code": "quad_code", "Actor Name": "actor_name",
         "Actor Sector": "actor_sector", "Recipient Name": "recipient_name", "Recipient Sector": "recipient_sector",
         "Story ID": "story_id", "Publication Date": "publication_date", "Feed": "feed", "Source": "source",
         "Headline": "headline", "Place Name": "place_name", "Actor Country": "actor_country",
         "Recipient Country": "recipient_country"}


def _is_header(names: list[str]) -> bool:
    return any(norm_name(n).startswith("recipient") for n in names)


def sniff(ext: str, text: str) -> bool:
    """FORMATS sniffer: a header naming Event ID, Event Date, Event Type and a Recipient column."""
    found = split_header(first_line(text), REQUIRED)
    return found is not None and _is_header(found[1])


def parse(text: str, name: str) -> Iterator[EventRecord | RowError]:
    """Parse a whole decoded file; see parse_lines."""
    return parse_lines(io.StringIO(text), name)


def parse_lines(lines: Iterable[str], name: str, unknown: Counter | None = None
                ) -> Iterator[EventRecord | RowError]:
    """Events of a POLECAT file given as text lines, streamed one row at a time: one EventRecord or
    RowError per data row. `unknown` counts country values kept as written. Yields a single
    RowError(line, 'header', …) when the first line is not a POLECAT header."""
    unknown = unknown if unknown is not None else Counter()
    table = open_table(lines, REQUIRED, "POLECAT")
    if isinstance(table, RowError):
        yield table
    if not isinstance(table, HeadedTable):
        return
    names = list(table.names)
    while names and not names[-1].strip():     # a header ending in tabs
        names.pop()
    width = len(names)
    pos = {}
    for key, alternatives in COLUMNS.items():
        pos[key] = next((table.index[norm_name(a)] for a in alternatives if norm_name(a) in table.index), None)
    for item in table.rows:
        if type(item) is RowError:
            yield item
            continue
        line, row = item
        while len(row) > width and not row[-1].strip():   # trailing tabs
            row.pop()
        if len(row) != width:
            yield RowError(line, None, f"{len(row)} fields, the header has {width}")
            continue
        r = {k: ("" if i is None or row[i].strip() in MISSING else row[i].strip()) for k, i in pos.items()}
        yield _record(r, line, unknown)


def _country(value: str, unknown: Counter) -> str | None:
    code, problem = resolve_country(value)
    if code is None and problem:
        shown = value.upper() if len(value) <= 4 and value.isalpha() else value
        unknown[f"{shown} ({problem})" if problem.startswith("ambiguous") else shown] += 1
        return shown
    return code


def event_date(value: str) -> str:
    """'YYYY-MM-DD' from a POLECAT Event Date: '2023-01-05', '20230105', or either followed by a time
    ('2023-01-05 00:00:00', '2023-01-05T00:00:00Z'). Raises ValueError otherwise."""
    v = value.strip()
    if len(v) > 10 and v[4:5] == "-" and v[10] in " T":
        v = v[:10]
    return parse_date(v)


def _record(r: dict[str, str], line: int, unknown: Counter) -> EventRecord | RowError:
    eid = r["Event ID"]
    if not eid:
        return RowError(line, "Event ID", "missing event id")
    try:
        day = event_date(r["Event Date"])
    except ValueError:
        return RowError(line, "Event Date", f"no parseable date in {r['Event Date'][:40]!r}")
    etype = r["Event Type"].upper()
    kind = plover.types().get(etype)
    if kind is None:
        what = f"not a PLOVER event type: {r['Event Type'][:40]!r}" if etype else "missing event type"
        return RowError(line, "Event Type", what + " (the 16 types: dashboard/knowledge/tables/plover_types.tsv)")
    try:
        intensity = float(r["Intensity"]) if r["Intensity"] else None
    except ValueError:
        return RowError(line, "Intensity", f"not a number: {r['Intensity'][:40]!r}")
    mode = r["Event Mode"].lower()
    root = plover.cameo_root(etype, mode)
    a1 = _country(r["Actor Country"], unknown)
    a2 = _country(r["Recipient Country"], unknown)
    parties = " → ".join(x for x in (r["Actor Name"], r["Recipient Name"]) if x)
    text = r["Event Text"] or r["Headline"]
    evidence = f"{plover.label(etype, mode)}: " + " — ".join(x for x in (parties, text) if x)
    places: list[str] = []
    for p in (r["Place Name"], r["City"], r["State"], r["Country"]):
        if p and p not in places:
            places.append(p)
    extra = {v: r[k] for k, v in EXTRA.items() if r[k]}
    lat, lon = coordinates(r["Latitude"], r["Longitude"])
    return EventRecord(
        source=SOURCE, source_event_id=eid, date=day, actor1=a1, actor2=a2, cameo_code=root, root_code=root,
        quad_class=kind["quad_class"], goldstein=intensity if intensity is not None and -10 <= intensity <= 10 else None,
        intensity=intensity, evidence=evidence, geo=", ".join(places) or None, extra=extra or None, line=line,
        lat=lat, lon=lon)

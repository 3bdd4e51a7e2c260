"""ICEWS event files in the Harvard Dataverse layout (`.tab`, tab-separated, header row).

Columns (any case; `Event.ID` or `event_id` as R or pandas rename them also match): Event ID,
Event Date, Source Name, Source Sectors, Source Country, Event Text, CAMEO Code, Intensity,
Target Name, Target Sectors, Target Country, Story ID, Sentence Number, Publisher, City, District,
Province, Country, Latitude, Longitude. Missing values are `NA` or empty.

Each row becomes an EventRecord with source 'icews' and key f"{Event ID}:{Event Date}" (the date as
YYYY-MM-DD; ICEWS re-uses event ids across yearly files). Countries are full names ("Russian
Federation") resolved to ISO 3166-1 alpha-3 by `knowledge.countries.country_from_name` (pycountry, then
tables/icews_countries.tsv); when the country is missing the actor name itself may name a bloc
("European Union" → EU, "North Atlantic Treaty Organization" → NATO). Names that resolve to nothing
are kept as they are and counted in the caller's `unknown` Counter.

ICEWS has no Goldstein score: it publishes an `Intensity` on the same -10…+10 scale (the CAMEO
code's Goldstein value). `intensity` holds it and `goldstein` is set to the Intensity as well, so that
charts over Goldstein include ICEWS events. QuadClass follows the CAMEO root of `CAMEO Code`
(lost leading zeros restored: `40` → `040`; none for a root outside 01-20). Bad rows (wrong number of fields, unparseable date,
non-numeric Intensity) yield a RowError with their line. Latitude/Longitude also become the event's
lat/lon (for maps; eventtable.coordinates).
"""
from __future__ import annotations

import io
from collections import Counter
from typing import Iterable, Iterator

from dashboard.knowledge.cameo import quad_class_or_none
from dashboard.knowledge.countries import country_from_name
from .eventtable import HeadedTable, coordinates, first_line, normalise_cameo, open_table, parse_date, split_header
from .records import EventRecord, RowError

SOURCE = "icews"
REQUIRED = ("Event ID", "Event Date", "CAMEO Code")
COLUMNS = ("Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
           "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number",
           "Publisher", "City", "District", "Province", "Country", "Latitude", "Longitude")


def sniff(ext: str, text: str) -> bool:
    """FORMATS sniffer: a header naming Event ID, Event Date and CAMEO Code (any delimiter, any case)."""
    return split_header(first_line(text), REQUIRED) is not None


def parse(text: str, name: str) -> Iterator[EventRecord | RowError]:
    """Parse a whole decoded file; see parse_lines."""
    return parse_lines(io.StringIO(text), name)


def parse_lines(lines: Iterable[str], name: str, unknown: Counter | None = None
                ) -> Iterator[EventRecord | RowError]:
    """Events of an ICEWS file given as text lines, streamed one row at a time.

    Yields one EventRecord or RowError per data row. `unknown` counts country names that could not be
    resolved (kept as they are). Yields a single RowError(1, 'header', …) when the first line is not
    an ICEWS header.
    """
    unknown = unknown if unknown is not None else Counter()
    table = open_table(lines, REQUIRED, "ICEWS")
    if isinstance(table, RowError):
        yield table
    if not isinstance(table, HeadedTable):
        return
    for item in table.named_rows(COLUMNS):
        yield item if type(item) is RowError else _record(item[1], item[0], unknown)


def _actor(country: str, actor_name: str, unknown: Counter) -> str | None:
    if country:
        code = country_from_name(country)
        if code is None:
            unknown[country] += 1
            return country
        return code
    return country_from_name(actor_name) if actor_name else None


def _record(r: dict[str, str], line: int, unknown: Counter) -> EventRecord | RowError:
    eid = r["Event ID"]
    if not eid:
        return RowError(line, "Event ID", "missing event id")
    try:
        day = parse_date(r["Event Date"])
    except ValueError:
        return RowError(line, "Event Date", f"no parseable date in {r['Event Date'][:40]!r}")
    try:
        intensity = float(r["Intensity"]) if r["Intensity"] else None
    except ValueError:
        return RowError(line, "Intensity", f"not a number: {r['Intensity'][:40]!r}")
    code, _base, root = normalise_cameo(r["CAMEO Code"] or None)
    a1 = _actor(r["Source Country"], r["Source Name"], unknown)
    a2 = _actor(r["Target Country"], r["Target Name"], unknown)
    evidence = " — ".join(x for x in (r["Source Name"], r["Event Text"], r["Target Name"]) if x) or None
    geo = ", ".join(x for x in (r["City"], r["District"], r["Province"], r["Country"]) if x) or None
    extra = {k: r[k] for k in ("Source Name", "Source Sectors", "Source Country", "Target Name", "Target Sectors",
                               "Target Country", "Event Text", "Story ID", "Sentence Number", "Publisher",
                               "Latitude", "Longitude") if r[k]}
    return EventRecord(
        source=SOURCE, source_event_id=f"{eid}:{day}", date=day, actor1=a1, actor2=a2,
        cameo_code=code, root_code=root, quad_class=quad_class_or_none(root), goldstein=intensity,
        intensity=intensity, evidence=evidence, geo=geo, extra=extra or None, line=line,
        **dict(zip(("lat", "lon"), coordinates(r["Latitude"], r["Longitude"]))))

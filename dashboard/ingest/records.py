"""The records importers yield, before they reach the store."""
from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.analysis.textnorm import strip_invisible

# the words of a date_note whose publication year was inferred, not read (pagetext: a date line
# without a year); write.py flags the article's events with the note
INFERRED_YEAR = "year inferred"


@dataclass
class ArticleRecord:
    """One article as parsed from a file.

    published_at: 'YYYY-MM-DD HH:MM' when the source gives a time, else 'YYYY-MM-DD'.
    local_date: the calendar date where it was published, when published_at was converted
      to UTC (feeds); the date filters and the timeline use it (shared case C18).
    similar: stub ArticleRecords from the page's own "Similar articles" block;
      each becomes an article with is_stub=1 and an `editorial_similar` link.
    line: the 1-based line of the file the record starts on (for messages).
    language: the language the source declares (feeds, HTML, tables), for the importers' own use;
      the store keeps the language detected from the text (analysis.language).
    """
    title: str
    published_at: str | None
    body: str = ""
    url: str | None = None
    source: str | None = None
    section: str | None = None
    author: str | None = None
    language: str | None = None
    date_note: str | None = None
    local_date: str | None = None   # calendar date in the source's own zone when published_at is UTC
    is_stub: bool = False
    similar: list["ArticleRecord"] = field(default_factory=list)
    extra: dict | None = None
    line: int = 1
    warning: str | None = None      # a problem the import report lists (the record still lands)

    def __post_init__(self) -> None:
        # every importer builds its articles here: the one place where invisible characters
        # (soft hyphens, zero-width spaces …) leave the text before analysis and indexing,
        # escaped ones in JSON included, which no line decoder sees
        if self.title:
            self.title = strip_invisible(self.title)
        if self.body:
            self.body = strip_invisible(self.body)


@dataclass
class EventRecord:
    """One event from a structured source (GDELT, ACLED, ICEWS, a manual CSV).

    date: 'YYYY-MM-DD'. actor1/actor2: ISO 3166-1 alpha-3 or bloc codes (EU, NATO),
    or the source's own code when it cannot be mapped. Other fields follow the
    `events` table (store.py).
    """
    source: str
    source_event_id: str
    date: str | None
    actor1: str | None = None
    actor2: str | None = None
    cameo_code: str | None = None
    root_code: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    intensity: float | None = None
    avg_tone: float | None = None
    num_mentions: int | None = None
    num_sources: int | None = None
    num_articles: int | None = None
    evidence: str | None = None
    date_precision: str = "day"
    geo: str | None = None
    url: str | None = None
    extra: dict | str | None = None     # str: the same mapping already encoded as JSON (hot import paths)
    line: int = 1
    legacy_key: str | None = None       # manual rows: the key stores before issue #16 gave them (write.rekey_legacy)
    revised_at: int | None = None       # the source's version time (ACLED `timestamp`, epoch s): newer replaces older
    unmapped: tuple[str, ...] = ()      # names kept as typed, not mapped to ISO 3166-1 (for the report)
    lat: float | None = None            # where the event took place, WGS 84 degrees (ingest.eventtable.coordinates)
    lon: float | None = None
    actor1_lat: float | None = None     # GDELT Actor1Geo / Actor2Geo
    actor1_lon: float | None = None
    actor2_lat: float | None = None
    actor2_lon: float | None = None


@dataclass
class Deletion:
    """An event the source withdrew (ACLED's deleted events): remove the stored row unless the stored
    version is newer than the deletion (revised_at > deleted_at: published again since)."""
    source: str
    source_event_id: str
    deleted_at: int | None = None
    line: int = 1


MAX_MESSAGE = 300   # characters of an error message kept in reports and in the `imports` table


def cap_message(message: str, limit: int = MAX_MESSAGE) -> str:
    """`message` cut to `limit` characters, saying how many were cut (a bad line may be megabytes long)."""
    if len(message) <= limit:
        return message
    return f"{message[:limit]}… ({len(message) - limit:,} more characters cut)"


@dataclass
class RowError:
    """A row (or the whole file, line 0) that could not be imported; the message is capped (cap_message)."""
    line: int
    field: str | None
    message: str

    def __post_init__(self) -> None:
        self.message = cap_message(self.message)

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}" + (f", field {self.field}" if self.field else "") + f": {self.message}"


class FileError(Exception):
    """The whole file cannot be imported; carries the line and field at fault."""

    def __init__(self, message: str, line: int = 0, field: str | None = None):
        super().__init__(message)
        self.line = line
        self.field = field

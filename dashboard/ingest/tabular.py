"""Articles and simple event tables from JSON Lines, JSON arrays and CSV/TSV files.

Article columns: url, title, published_at, body, source, section (author and
language too when present); aliases such as `date`, `headline`, `text`, `link`
are accepted (tables/columns.tsv). Other columns are kept in `extra`.
A table with event columns (date + country_a/country_b or actor1/actor2) is read
as manual events instead.
"""
from __future__ import annotations

import collections
import csv
import functools
import hashlib
import io
import itertools
import json
from typing import Iterable, Iterator

from dashboard.analysis.textnorm import clean_line, nfc
from dashboard.knowledge import parse_table
from dashboard.knowledge.countries import resolve_country
from .dateline import parse_published, unreadable_date
from .encoding import value_newlines
from .eventtable import csv_problem, json_cell, loads_json, norm_name, parse_date
from .records import ArticleRecord, EventRecord, FileError, RowError

ARTICLE_FIELDS = ("url", "title", "published_at", "body", "source", "section", "author", "language")
EVENT_FIELDS = ("date", "actor1", "actor2", "cameo_code", "quad_class", "goldstein", "evidence", "url", "source_event_id")


@functools.cache
def aliases() -> dict[str, str]:
    """Column alias (lower case) → our field name, from tables/columns.tsv."""
    return dict(parse_table("columns.tsv", lambda r: (r[0].lower(), r[1]), width=2))


def _canon(col: str) -> str:
    c = nfc(col or "").strip().lower()
    return aliases().get(c, c)


def is_event_table(columns: list[str]) -> bool:
    """True when the columns describe events (a date and two actors) rather than articles."""
    cols = {_canon(c) for c in columns}
    return "date" in cols and "actor1" in cols and "actor2" in cols


def row_date(row: dict) -> str | None:
    """The value of a plain `date` column, which in an article table is the publication date."""
    return next((v for k, v in row.items() if k is not None and _canon(k) == "date"), None)


def _one_line(text: str) -> str:
    """A value spread over lines (a quoted title with a line break) on one line."""
    return text.replace("\r", " ").replace("\n", " ")


TITLE_FROM_TEXT_CHARS = 120


def title_from_text(body: str) -> str:
    """The first line of a text, up to its first sentence end, cut at a word within
    TITLE_FROM_TEXT_CHARS characters ("…" marks a cut)."""
    # markdown emphasis some channels write ("**Breaking:** …") is not part of the words
    first = clean_line(body.split("\n", 1)[0].replace("**", "").replace("__", ""))
    for i, ch in enumerate(first):
        if ch in ".!?" and i >= 20 and (i + 1 == len(first) or first[i + 1] == " "):
            first = first[:i + 1]
            break
    if len(first) <= TITLE_FROM_TEXT_CHARS:
        return first
    cut = first[:TITLE_FROM_TEXT_CHARS + 1].rsplit(" ", 1)[0]
    return (cut if len(cut) >= 40 else first[:TITLE_FROM_TEXT_CHARS]).rstrip(" ,;:–—-") + "…"


def _article(row: dict, line: int, name: str) -> ArticleRecord | RowError:
    rec = {}
    extra = {}
    for k, v in row.items():
        if k is None:
            continue
        c = _canon(k)
        if c in ARTICLE_FIELDS:
            rec[c] = v
        elif v not in (None, ""):
            extra[k] = v
    title = clean_line(_one_line(nfc(str(rec.get("title") or ""))))
    body = value_newlines(nfc(str(rec.get("body") or ""))).strip()
    if "title" not in rec and body:
        # a post (Telegram, social media) has text but no headline field: its opening words stand
        # in, and the record says so, rather than losing the post (an empty title of a table that
        # has titles stays an error)
        title = title_from_text(body)
        extra["title_from"] = "text"
    if not title:
        return RowError(line, "title", "missing title")
    raw_date = str(rec.get("published_at") or row_date(row) or "").strip()
    if not raw_date:
        return RowError(line, "published_at", "missing date")
    try:
        published = parse_published(raw_date)
    except ValueError:
        return RowError(line, "published_at", unreadable_date(raw_date))
    return ArticleRecord(
        title=title, published_at=published, body=body,
        url=(str(rec["url"]).strip() or None) if rec.get("url") else None,
        source=str(rec.get("source") or name), section=rec.get("section") or None,
        author=rec.get("author") or None, language=rec.get("language") or None,
        extra=extra or None, line=line)


def _event(row: dict, line: int, name: str) -> EventRecord | RowError:
    rec = {_canon(k): (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k is not None}
    raw_date = str(rec.get("date") or "").strip()
    try:
        # 20231121: the compact form of event data (GDELT's SQLDATE), a calendar date, never an epoch
        date = parse_date(raw_date) if raw_date.isdigit() and len(raw_date) == 8 else parse_published(raw_date)[:10]
    except ValueError:
        return RowError(line, "date", unreadable_date(raw_date))
    typed = [" ".join(str(rec.get(k) or "").split()) for k in ("actor1", "actor2")]
    if not typed[0] or not typed[1]:
        return RowError(line, "actor1" if not typed[0] else "actor2", "missing actor code")
    (a1, a2), extra, unmapped = _actors(typed)
    try:
        quad = int(rec["quad_class"]) if rec.get("quad_class") not in (None, "") else None
        gold = float(rec["goldstein"]) if rec.get("goldstein") not in (None, "") else None
    except ValueError as exc:
        return RowError(line, "quad_class/goldstein", f"not a number ({exc})")
    code = str(rec.get("cameo_code") or "") or None
    evidence = value_newlines(rec.get("evidence") or rec.get("title") or "") or None
    url = rec.get("url") or None
    given = rec.get("source_event_id")
    key = given or manual_key(date, a1, a2, code, quad, gold, evidence, url)
    return EventRecord(source="manual", source_event_id=str(key), date=date, actor1=a1, actor2=a2,
                       cameo_code=code, root_code=code[:2] if code else None, quad_class=quad,
                       goldstein=gold, evidence=evidence, url=url, line=line, extra=extra or None,
                       legacy_key=None if given else
                       f"{name}:{date}:{typed[0].upper()}:{typed[1].upper()}:{rec.get('evidence') or ''}",
                       unmapped=tuple(unmapped))


def _actors(typed: list[str]) -> tuple[list[str], dict, list[str]]:
    """The two actors of a manual event row as the store keeps them: codes in any case (arm → ARM) and
    country names ("Rwanda" → RWA, "Congo, Dem. Rep." → COD) through knowledge.countries.resolve_country,
    the name as typed kept in extra (actor1_as_typed); a name that is ambiguous ("Congo": COD or COG) or
    unknown is kept as typed and listed for the report (unmapped), never guessed."""
    codes, extra, unmapped = [], {}, []
    for n, value in enumerate(typed, start=1):
        code, problem = resolve_country(value)
        if code is None:
            code = value.upper() if len(value) <= 4 and value.isalpha() else value
            unmapped.append(f"{value} ({problem})" if problem.startswith("ambiguous") else value)
        elif code != value.upper():
            extra[f"actor{n}_as_typed"] = value
        codes.append(code)
    return codes, extra, unmapped


def manual_key(date: str, actor1: str, actor2: str, cameo_code: str | None, quad_class: int | None,
               goldstein: float | None, evidence: str | None, url: str | None) -> str:
    """The key of a manual event row without an id column: 'row:' + sha1 of what the row says (date,
    actors, CAMEO code, QuadClass, Goldstein, headline/evidence with its spaces collapsed, url).

    Only rows saying the same thing share a key (they are duplicates); the file's name and the row's
    line are left out, so re-importing a file, a renamed copy or the same rows in another order adds
    nothing, and the analysts' edits (keyed on it) stay on their event. A row changed in the file is
    a new event (the old one stays, with its edits).
    """
    parts = (date, actor1, actor2, cameo_code or "", "" if quad_class is None else str(quad_class),
             "" if goldstein is None else repr(goldstein), " ".join((evidence or "").split()), url or "")
    return "row:" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:20]


# Column names (norm_name) that only event tables have: GDELT's codebook names (but its date-ish Year,
# MonthYear, FractionDate, DATEADDED and SOURCEURL), ACLED's and ICEWS's own, and our event fields.
_GENERIC = {"year", "monthyear", "fractiondate", "dateadded", "sourceurl", "sqldate"}


@functools.cache
def _event_vocabulary() -> frozenset[str]:
    from .acled import COLUMNS as ACLED
    from .gdelt import layouts
    from .icews import COLUMNS as ICEWS
    from .polecat import COLUMNS as POLECAT
    gdelt = {norm_name(n) for names in layouts().values() for n in names}
    ours = {norm_name(c) for c in ("actor1", "actor2", "cameo_code", "quad_class", "goldstein")}
    acled = {norm_name(c) for c in ACLED if c not in ("year", "notes", "source", "country", "location", "latitude",
                                                     "longitude", "admin1", "admin2", "data_id")}
    icews = {norm_name(c) for c in ICEWS if "country" in c.lower() or "cameo" in c.lower() or "event" in c.lower()}
    polecat = {norm_name(n) for names in POLECAT.values() for n in names
               if n.lower().startswith(("event", "actor", "recipient", "quad"))}
    return frozenset((gdelt - _GENERIC) | ours | acled | icews | polecat) - {"country", "timestamp"}


def not_an_event_export(columns: list[str], header: str = "") -> str | None:
    """Why a table with event columns is not an event export (a code list, a table of counts, GDELT
    Mentions), or None when it is an event table, an article table or names no event column.

    It is not one when it names event columns (GoldsteinScale, QuadClass, actor1, EventCode …) but is
    not an event table (a date and two actors) and lacks what an article needs (a title and a date);
    a header-less GDELT Mentions row (event id, two 14-digit times) is named as such."""
    fields = header.split("\t")
    if 14 <= len(fields) <= 16 and fields[0].isdigit() and all(len(f) == 14 and f.isdigit() for f in fields[1:3]):
        return ("a GDELT Mentions table (event id, event time, mention time …, no header): it says where events "
                "were reported, not the events; import the matching .export.CSV")
    if is_event_table(columns):
        return None
    canon = {_canon(c) for c in columns}
    hits = [c for c in columns if norm_name(c) in _event_vocabulary()
            or norm_name(_canon(c)) in _event_vocabulary()]
    if not hits or ("title" in canon and canon & {"published_at", "date"}):
        return None
    return (f"its header names event columns ({', '.join(hits[:4])}) but no event id and date (GDELT "
            "GLOBALEVENTID + SQLDATE, ACLED event_id_cnty + event_date, ICEWS Event ID + Event Date + CAMEO Code, "
            "POLECAT Event ID + Event Date + Event Type + Recipient …), nor a date "
            "and two actors: a code list or a table of counts?")


def parse_csv(text: str, name: str) -> Iterator[ArticleRecord | EventRecord | RowError]:
    """Rows of a CSV/TSV text read whole: parse_csv_lines over its lines."""
    return parse_csv_lines(io.StringIO(text), name)


def parse_csv_lines(lines: Iterable[str], name: str) -> Iterator[ArticleRecord | EventRecord | RowError]:
    """Rows of a CSV/TSV (delimiter sniffed among , ; tab) with a header row, from its lines (each
    ending in "\n"; a file read whole or streamed, ingest.encoding.Lines).

    Line numbers are the physical line where each record starts. Yields RowError
    for rows that lack a title or a parseable date; raises FileError when the
    file has no header with a title or date column. Memory: one record's lines at a time.
    """
    source = _Replayable(lines)
    first = next(source, "")
    header = first.removesuffix("\n")
    # The header decides the delimiter; quoting stays the standard (RFC 4180) kind,
    # which csv.Sniffer gets wrong when it only sees a header line.
    delimiter = max(",;\t|", key=header.count) if any(d in header for d in ",;\t|") else ","
    reader = csv.DictReader(itertools.chain([first], source), delimiter=delimiter)
    try:
        columns = reader.fieldnames or []
    except csv.Error as exc:
        raise FileError(f"unreadable header: {exc}", 1, "header") from None
    canon = {_canon(c) for c in columns}
    why = not_an_event_export(columns, header)
    if why:
        raise FileError(f"not an event export: {why}", 1, "header")
    if not ({"title", "published_at", "date"} & canon):
        raise FileError(f"no title/date columns in header {columns[:8]}", 1, "header")
    make = _event if is_event_table(columns) else _article
    start, offset = 2, 0    # offset: physical lines before the reader's first line
    while True:
        for item in _dict_rows(reader, source, offset):
            if type(item) is not RowError and (field := _unclosed_quote(item)):
                # A quote opened and never closed swallows the rows after it into one value: say
                # so, and read on from the next line so those rows still land.
                end = reader.line_num + offset
                yield RowError(start, _canon(field), f"a quote opened in this row is not closed: lines {start}–{end} "
                                                     "were read as one value; the rows after it are read again")
                # the row's lines after its first are read again (kept by _Replayable: never a copy of the rest)
                source.again_from_second()
                reader = csv.DictReader(source, fieldnames=columns, delimiter=delimiter)
                start, offset = start + 1, start
                break
            yield item if type(item) is RowError else make(item, start, name)
            start = reader.line_num + offset + 1
        else:
            return


class _Replayable:
    """An iterator over lines that keeps the lines read since the last mark(), so that a row swallowed
    by an unclosed quote can be read again from its second line (again_from_second)."""

    def __init__(self, lines: Iterable[str]):
        self.source = iter(lines)
        self.since: list[str] = []
        self.again: collections.deque[str] = collections.deque()

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.again.popleft() if self.again else next(self.source)
        self.since.append(line)
        return line

    def mark(self) -> None:
        self.since = []

    def again_from_second(self) -> None:
        self.again.extendleft(reversed(self.since[1:]))
        self.since = []


def _unclosed_quote(row: dict) -> str | None:
    """The column whose value ran over lines while the row lacks later columns: the mark of a quote
    never closed (a quoted value with line breaks in a whole row is fine)."""
    if None not in row.values() and None not in row:
        return None
    return next((k for k, v in row.items() if k is not None and isinstance(v, str) and "\n" in v), None)


def _dict_rows(reader: csv.DictReader, source: _Replayable, offset: int = 0) -> Iterator[dict | RowError]:
    """The rows of `reader`, or a RowError (line where the record starts) for one the csv module cannot
    read — a lone "\\r" outside quotes, as lines end at "\\n" (see ingest.encoding). `source`, the
    reader's lines, is marked before each row."""
    while True:
        start = reader.line_num + offset + 1
        source.mark()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row = RowError(start, None, csv_problem(exc))
        yield row


def parse_jsonl(text: str, name: str) -> Iterator[ArticleRecord | EventRecord | RowError]:
    """Objects of a JSON Lines file, or of a JSON array (one object a row), read whole.

    A line that is not a JSON object gives a RowError with its line number.
    """
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        # A JSON array is one row per item, and one object written over several lines (pretty-printed) is
        # one record. "Extra data" after the first value, or a broken first line with good lines after
        # it, is JSON Lines, read line by line so its good lines land; a value broken from its first
        # lines on fails as one file.
        try:
            value = loads_json(stripped)
        except json.JSONDecodeError as exc:
            if exc.msg != "Extra data" and _first_lines_broken(stripped):
                what = "invalid JSON" if stripped[0] == "[" else "neither JSON Lines nor one JSON object"
                raise FileError(f"{what}: {exc.msg}", exc.lineno, None) from None
        else:
            if stripped[0] == "[":
                return _json_rows(((i + 1, it) for i, it in enumerate(value)), name)
            first = len(text) - len(stripped)
            return _json_rows(iter([(text.count("\n", 0, first) + 1, value)]), name)
    return parse_jsonl_lines(io.StringIO(text), name)


def _first_lines_broken(stripped: str) -> bool:
    """Whether neither of the first two lines (as the JSON Lines reader cuts them, at "\n") is a JSON value
    by itself: a pretty-printed object. A JSON Lines file with one broken line keeps its good rows."""
    for line in [ln for ln in stripped.split("\n", 3)[:3] if ln.strip()][:2]:
        try:
            loads_json(line)
            return False
        except json.JSONDecodeError:
            pass
    return True


def parse_jsonl_lines(lines: Iterable[str], name: str) -> Iterator[ArticleRecord | EventRecord | RowError]:
    """Objects of a JSON Lines file from its lines (read whole or streamed, ingest.encoding.Lines),
    one line at a time. A line that is not a JSON object gives a RowError with its line number."""
    return _json_rows(_json_lines(lines), name)


def _json_lines(lines: Iterable[str]) -> Iterator[tuple[int, object]]:
    for no, ln in enumerate(lines, start=1):
        if not ln.strip():
            continue
        try:
            yield no, loads_json(ln)
        except json.JSONDecodeError as exc:
            yield no, RowError(no, None, f"invalid JSON ({exc.msg})")


# Objects whose keys decide whether a JSON file holds articles or events (is_event_table), and the
# most items held back while looking for them: a file streams in constant memory.
COLUMN_SAMPLE = 50
MAX_HELD = 10_000


def _json_rows(pairs: Iterator[tuple[int, object]], name: str) -> Iterator[ArticleRecord | EventRecord | RowError]:
    """(line, parsed value) → records: the keys of the first COLUMN_SAMPLE objects (looked for among
    at most MAX_HELD items) say whether they are articles or events."""
    held: list[tuple[int, object]] = []
    good = 0
    for item in pairs:
        held.append(item)
        good += isinstance(item[1], dict)
        if good >= COLUMN_SAMPLE or len(held) >= MAX_HELD:
            break
    columns = sorted({k for _, obj in held if isinstance(obj, dict) for k in obj})
    make = _event if is_event_table(columns) else _article
    for no, obj in itertools.chain(held, pairs):
        if isinstance(obj, RowError):
            yield obj
        elif not isinstance(obj, dict):
            yield RowError(no, None, "not a JSON object")
        else:
            yield make({k: json_cell(v) for k, v in obj.items()}, no, name)

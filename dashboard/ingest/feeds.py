"""Saved RSS 2.0 / RSS 1.0 / Atom feeds → one ArticleRecord per item (feedparser does the parsing).

Mapping (our code only maps what feedparser returns):

- title → title (HTML titles reduced to text); link (else an http(s) guid/id) → url;
  the longest of content / summary, HTML reduced block by block (html.html_to_paragraphs:
  paragraphs separated by blank lines, boilerplate such as "Continue reading…" and
  "Related: …" dropped) → body; the first category → section; author → author;
  the feed's title → source; the item's or feed's language → language.
- Dates: the item's raw pubDate / published (else dc:date / updated) string is parsed
  here, not feedparser's *_parsed value, because feedparser turns "2023/11/21 15:07:41"
  into 2023-11-01 and cannot tell a missing zone from UTC (shared case C13).
  published_at is UTC 'YYYY-MM-DD HH:MM' ('YYYY-MM-DD' when no time is given). A time
  without a zone is assumed to be UTC and date_note says so (ZONELESS_NOTE). An item
  without a date gets the feed's date (NO_ITEM_DATE_NOTE); an unparseable one too
  (UNPARSEABLE_NOTE). Dates in other languages ("wt, 21 lis 2023", "Вт, 21 ноя 2023") are read by
  dateparser (dateline.parse_foreign_datetime) when RFC 822, ISO and our rules do not; an item whose
  date still cannot be read carries a `warning` the import report shows. With no feed date either, the item is stored with a null date and a
  warning in date_note (shared case C13): it shows in undated views, never under a made-up date.
- A broken item (no title and no text, or no usable date) is a RowError; the other
  items still import. Items already stored (same url) are counted as duplicates by the
  writer.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.utils import parsedate_tz
from typing import Iterator

from dateutil import parser as dparser

from dashboard.analysis.textnorm import clean_line
from .dateline import parse_foreign_datetime, parse_published
from .html import html_to_paragraphs, root_tag
from .records import ArticleRecord, FileError, RowError

FEED_EXTS = {".rss", ".atom"}
FEED_ROOTS = {"rss", "feed", "rdf:rdf"}
ZONELESS_NOTE = "time zone not given; assumed UTC"
NO_ITEM_DATE_NOTE = "no item date; feed date used"
UNPARSEABLE_NOTE = "unparseable item date {raw!r}; feed date used"
# Shared case C13: a truly unparseable date gives a null date plus a warning, never a made-up one.
UNDATED_NOTE = "warning: no date in the item or the feed; stored without a date"
UNDATED_UNPARSEABLE_NOTE = "warning: unparseable item date {raw!r} and no feed date; stored without a date"
MAX_TITLE = 400
DERIVED_TITLE_LEN = 120

_xml_decl_enc = re.compile(r"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*([\"'])[^\"']*\2", re.IGNORECASE)
_has_time = re.compile(r"\d{1,2}:\d{2}")
# A zone written after the time: numeric offset, Z, UT/UTC/GMT, or a US zone of RFC 822.
_zone = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[+-]\d{2}(?::?\d{2})?|Z|UTC?|GMT|[ECMP][SD]T)(?![A-Za-z])",
                   re.IGNORECASE)
_item_tag = re.compile(r"<(?:[\w.-]+:)?(?:item|entry)[\s/>]")
_opaque = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>", re.DOTALL)


def sniff(ext: str, text: str) -> bool:
    """FORMATS sniffer: a .rss/.atom file, or markup whose root element (or DOCTYPE) is <rss>, <feed> or <rdf:RDF>."""
    return ext in FEED_EXTS or root_tag(text).removeprefix("!doctype ") in FEED_ROOTS


def parse_feed_date(raw: str) -> tuple[str, bool]:
    """A feed date string → (UTC 'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD', zone given?).

    Accepts RFC 822 (with odd day names: "Mo, 21 Nov 2023 10:00:00"), ISO 8601 / W3C
    ("2016-02-01T17:22:00+01:00") and what dateutil reads once dateline.parse_published
    has accepted it as a full date ("2023/11/21 15:07:41"). Times with a zone are
    converted to UTC; zone-less times are taken as UTC (zone given = False). A date
    without a time is returned as the date. Raises ValueError when `raw` is not a
    date with day, month and year (years 1800–2200).
    """
    utc, zone_given, _ = _parse_feed_date(raw)
    return utc, zone_given


def _parse_feed_date(raw: str) -> tuple[str, bool, str]:
    """(UTC date[-time], zone given?, local calendar date) — see parse_feed_date."""
    s = clean_line(raw or "")
    if not s:
        raise ValueError("empty date")
    zone_given = bool(_zone.search(s))
    offset = timedelta(0)
    t = parsedate_tz(s)
    if t is not None and t[0] and t[1] and t[2]:
        dt = datetime(*t[:6])
        if zone_given and t[9] is not None:
            offset = timedelta(seconds=t[9])
    else:
        try:
            dt = datetime.fromisoformat(s.replace("z", "Z"))
        except ValueError:
            dt = _english_date(s) or parse_foreign_datetime(s)
            if dt is None:
                raise ValueError(f"not a date: {s[:60]!r}") from None
        if dt.tzinfo is not None:
            offset = dt.utcoffset() or timedelta(0)
            dt = dt.replace(tzinfo=None)
            zone_given = True
    if not 1800 <= dt.year <= 2200:
        raise ValueError(f"implausible year {dt.year}")
    local = dt.strftime("%Y-%m-%d")
    if not _has_time.search(s):
        return local, zone_given, local
    return (dt - offset).strftime("%Y-%m-%d %H:%M"), zone_given, local


def _english_date(s: str) -> datetime | None:
    """dateutil's reading of `s` once dateline.parse_published has accepted it as a full date."""
    try:
        parse_published(s)  # raises ValueError unless day, month and year are written out
        return dparser.parse(s, default=datetime(1900, 1, 1))
    except (ValueError, OverflowError):
        return None


def item_lines(text: str) -> list[int]:
    """1-based line numbers of the <item>/<entry> start tags of a feed, in document order.

    Comments and CDATA sections are skipped (an escaped "<item" in a description does
    not count).
    """
    blanked = _opaque.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return [blanked.count("\n", 0, m.start()) + 1 for m in _item_tag.finditer(blanked)]


def _text_of(detail: dict | None, value: str | None) -> list[str]:
    """A feedparser text construct → paragraphs (HTML reduced block-aware; plain text by lines)."""
    if not value:
        return []
    kind = (detail or {}).get("type") or "text/html"
    if "html" in kind:
        return html_to_paragraphs(value)
    return [p for p in (clean_line(ln) for ln in value.replace("\u00ad", "").split("\n")) if p]


def _feed_date(feed) -> tuple[str | None, bool, str | None]:
    for key in ("published", "updated"):
        raw = feed.get(key)
        if raw:
            try:
                return _parse_feed_date(raw)
            except ValueError:
                continue
    return None, True, None


def parse(text: str, name: str) -> Iterator[ArticleRecord | RowError]:
    """Yield one ArticleRecord per feed item, or a RowError (with the item's line) for a broken item.

    text: the decoded feed (its XML encoding declaration is ignored: the text is already
    decoded); name: the file name (the source when the feed has no title). Raises
    FileError when the text is not a feed or has no items.
    """
    import feedparser

    data = _xml_decl_enc.sub(r"\1", text, count=1).encode("utf-8")
    d = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True)
    entries = d.get("entries") or []
    if not entries:
        if d.get("bozo"):
            raise FileError(f"not a readable feed: {d.get('bozo_exception')}")
        raise FileError("the feed has no items")
    feed = d.get("feed") or {}
    version = d.get("version") or ""
    date_field = "published" if version.startswith("atom") else "pubDate"
    feed_date, feed_zone, feed_local = _feed_date(feed)
    source = clean_line(feed.get("title") or "") or name
    language = (feed.get("language") or "").strip() or None
    lines = item_lines(text)
    for i, e in enumerate(entries):
        line = lines[i] if i < len(lines) else 0
        try:
            yield _record(e, line, feed_date, feed_zone, feed_local, date_field, source, language)
        except _ItemError as err:
            yield RowError(line, err.field, str(err))


class _ItemError(Exception):
    def __init__(self, message: str, field: str | None):
        super().__init__(message)
        self.field = field


def _record(e, line: int, feed_date: str | None, feed_zone: bool, feed_local: str | None, date_field: str, source: str,
            language: str | None) -> ArticleRecord:
    """One feed entry → ArticleRecord; raises _ItemError for a broken item."""
    title = clean_line(" ".join(_text_of(e.get("title_detail"), e.get("title"))))
    link = (e.get("link") or "").strip()
    if not link and re.match(r"https?://\S+$", (e.get("id") or "").strip()):
        link = e.get("id").strip()
    candidates = [_text_of(c, c.get("value")) for c in (e.get("content") or [])]
    candidates.append(_text_of(e.get("summary_detail"), e.get("summary")))
    paras = max(candidates, key=lambda ps: sum(map(len, ps)))
    paras = [p for p in paras if p.casefold() != title.casefold()]
    if not title and not paras:
        raise _ItemError("item has no title and no text", "title")
    if not title:
        first = paras[0]
        title = first if len(first) <= DERIVED_TITLE_LEN else first[:DERIVED_TITLE_LEN].rsplit(" ", 1)[0] + " …"

    raw = clean_line(e.get("published") or e.get("updated") or e.get("created") or "")
    notes = []
    published = local = warning = None
    if raw:
        try:
            published, zone, local = _parse_feed_date(raw)
            if not zone and " " in published:
                notes.append(ZONELESS_NOTE)
        except ValueError:
            notes.append((UNPARSEABLE_NOTE if feed_date else UNDATED_UNPARSEABLE_NOTE).format(raw=raw[:60]))
            warning = f"unreadable item date {raw[:60]!r}: " + ("the feed's date used" if feed_date else
                                                                  "stored without a date")
    elif not feed_date:
        notes.append(UNDATED_NOTE)
    else:
        notes.append(NO_ITEM_DATE_NOTE)
    if published is None:
        published, local = feed_date, feed_local
        if not feed_zone and " " in feed_date:
            notes.append(ZONELESS_NOTE)

    tags = e.get("tags") or []
    section = clean_line((tags[0].get("term") or tags[0].get("label") or "") if tags else "") or None
    guid = (e.get("id") or "").strip()
    return ArticleRecord(
        title=title[:MAX_TITLE], published_at=published, body="\n\n".join(paras), url=link or None,
        source=source, section=section, author=clean_line(e.get("author") or "") or None,
        language=_lang(e.get("language") or language), date_note="; ".join(notes) or None, local_date=local,
        extra={"guid": guid} if guid and guid != link else None, line=line, warning=warning)


def _lang(value: str | None) -> str | None:
    """A language tag reduced to its primary subtag, lower-case ('en-gb' → 'en')."""
    v = re.split(r"[-_]", (value or "").strip())[0].lower()
    return v[:8] or None

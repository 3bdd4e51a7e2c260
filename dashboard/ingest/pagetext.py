"""Article pages saved as text (the format of shared/samples/000_98d85fc8d90fd5e9.txt).

Layout: a title line, a date line, body paragraphs separated by blank lines,
and optionally a "Similar articles" block whose entries are a title line, a
date line and a lead paragraph.
"""
from __future__ import annotations

import re
from calendar import isleap
from datetime import date
from typing import Iterator

from dashboard.analysis import years
from dashboard.analysis.textnorm import clean_line
from .dateline import DateLine, read_dateline, why_not_dateline
from .records import INFERRED_YEAR, ArticleRecord, FileError

SIMILAR_HEADINGS = re.compile(r"^\s*(similar|related|see also|read also)( articles| stories| posts)?\s*:?\s*$", re.I)
MAX_TITLE = 400
# A year written in the body; one after "by", "until", "through" is a target, not a date of the story.
_BODY_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_TARGET_BEFORE = re.compile(r"(?:\b(?:by|until|till|through|before)|\bдо)\s*$", re.I)


def looks_like(text: str) -> bool:
    """True when the first two non-empty lines are a title and a date line."""
    lines = [ln for ln in text.split("\n", 40)[:40] if ln.strip()]
    return len(lines) >= 2 and len(lines[0]) <= MAX_TITLE and read_dateline(lines[1]) is not None


def _paragraphs(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Group (line number, text) lines into paragraphs at blank lines."""
    paras, cur, start = [], [], 0
    for no, ln in lines:
        if ln.strip():
            if not cur:
                start = no
            cur.append(clean_line(ln))
        elif cur:
            paras.append((start, " ".join(cur)))
            cur = []
    if cur:
        paras.append((start, " ".join(cur)))
    return paras


def parse(text: str, name: str) -> Iterator[ArticleRecord]:
    """Yield the one ArticleRecord of a page-text file, with its similar stubs.

    Raises FileError (with the line and field) when the title or the date line is
    missing or unparseable, or the body is empty (a truncated page). A date line read
    with a guess (no year, only an update date, 05/04/2016 day first) gives the article
    a date_note saying what was used.
    """
    numbered = list(enumerate(text.split("\n"), start=1))
    content = [(no, ln) for no, ln in numbered if ln.strip()]
    if not content:
        raise FileError("empty file")
    title_no, title = content[0]
    title = clean_line(title)
    if len(title) > MAX_TITLE:
        raise FileError(f"first line is {len(title)} characters long: not a title", title_no, "title")
    if len(content) < 2:
        raise FileError("no date line after the title (truncated page?)", title_no + 1, "published_at")
    date_no, date_line = content[1]
    reading = read_dateline(clean_line(date_line))
    if reading is None:
        raise FileError(why_not_dateline(clean_line(date_line)), date_no, "published_at")

    rest = [(no, ln) for no, ln in numbered if no > date_no]
    split = next((i for i, (no, ln) in enumerate(rest) if SIMILAR_HEADINGS.match(ln)), None)
    body_lines = rest if split is None else rest[:split]
    body = "\n\n".join(p for _, p in _paragraphs(body_lines))
    if not body:
        raise FileError("no body text after the date line (truncated page?)", date_no + 1, "body")

    published, note = _page_date(reading, clean_line(date_line), body_lines)
    similar = []
    if split is not None:
        similar = list(_similar_entries(rest[split + 1:], published))
    yield ArticleRecord(title=title, published_at=published, body=body, similar=similar,
                        source=name, line=title_no, date_note=note,
                        warning=note if note and INFERRED_YEAR in note else None)


def _page_date(reading: DateLine, line: str, body_lines: list[tuple[int, str]]) -> tuple[str | None, str | None]:
    """(published_at, date_note) of a page. A date line without a year ("MOSCOW, Jan. 1 (UPI) --")
    takes the latest year written in the body that does not put the day after today (wire copy
    names the current contract, vote or season); with none, the page is imported undated: an
    undated article is found by search and pairs, a made-up year would put its events on the
    wrong timeline."""
    if reading.year is not None:
        return reading.published(), reading.note
    found = _latest_body_year(reading, body_lines)
    if found is None:
        return _inferred_year(reading, line, body_lines)
    year, no = found
    return reading.published(year), f"date line {line!r} has no year: year {year} taken from the body (the latest year it names, line {no})"


def _inferred_year(reading: DateLine, line: str, body_lines: list[tuple[int, str]]) -> tuple[str | None, str | None]:
    """(published_at, date_note) of a page whose date line and body name no year: the year the
    office holders named with their office in the body held office on the date line's day, and
    where several years fit, the one on which that day is the weekday the lede names ("Russia's
    Foreign Ministry on Wednesday said"), else the latest. The note says the year is inferred
    and why: the events are then dated and flagged rather than left off every timeline."""
    paras = [p for _, p in _paragraphs(body_lines)]
    got = years.dateline_year(reading.month, reading.day, "\n\n".join(paras), paras[0] if paras else "")
    if got is None:
        return None, f"date line {line!r} has no year and the body names none: imported without a publication date"
    year, why = got
    return reading.published(year), f"date line {line!r} has no year: {INFERRED_YEAR} {year} ({why})"


def _latest_body_year(reading: DateLine, body_lines: list[tuple[int, str]]) -> tuple[int, int] | None:
    """(year, line number) of the latest year in the body that keeps the date line's day in the past."""
    today = date.today()
    best = None
    for no, ln in body_lines:
        for mt in _BODY_YEAR.finditer(ln):
            year = int(mt.group(1))
            if _TARGET_BEFORE.search(ln[max(0, mt.start() - 12):mt.start()]) or (best and year <= best[0]):
                continue
            try:
                if date(year, reading.month, reading.day) <= today:
                    best = (year, no)
            except ValueError:  # 29 February in a common year
                continue
    return best


def _similar_entries(lines: list[tuple[int, str]], page_published: str | None) -> Iterator[ArticleRecord]:
    """Entries of a "Similar articles" block: title line + date line + lead paragraph(s)."""
    content = [(no, ln) for no, ln in lines if ln.strip()]
    readings = [read_dateline(clean_line(ln)) for _, ln in content]
    starts = [i for i in range(len(content) - 1)
              if len(content[i][1]) <= MAX_TITLE and readings[i + 1] is not None]
    for k, i in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(content)
        title_no, title = content[i]
        first_line = content[i + 2][0] if i + 2 < len(content) else None
        last_line = content[end - 1][0] + 1 if end - 1 >= i + 2 else None
        lead_lines = [(no, ln) for no, ln in lines
                      if first_line is not None and first_line <= no < last_line]
        lead = "\n\n".join(p for _, p in _paragraphs(lead_lines))
        published, note = _stub_date(readings[i + 1], clean_line(content[i + 1][1]), page_published)
        yield ArticleRecord(title=clean_line(title), published_at=published, body=lead, is_stub=True,
                            line=title_no, date_note=note)


def _stub_date(reading: DateLine, line: str, page_published: str | None) -> tuple[str | None, str | None]:
    """(published_at, date_note) of a similar entry: a date line without a year takes the page's
    year, or the year before when that would date the entry after the page that lists it."""
    if reading.year is not None:
        return reading.published(), reading.note
    if page_published is None:
        return None, f"date line {line!r} has no year (nor has the page's): imported without a publication date"
    year = int(page_published[:4])
    if reading.published(year)[:10] > page_published[:10]:
        year -= 1
    if (reading.month, reading.day) == (2, 29) and not isleap(year):
        return None, f"date line {line!r} has no year and 29 February is not in {year}: imported without a publication date"
    return reading.published(year), f"date line {line!r} has no year: year {year} taken from the page that lists it"

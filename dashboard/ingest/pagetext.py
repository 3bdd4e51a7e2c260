"""Article pages saved as text (the format of shared/samples/000_98d85fc8d90fd5e9.txt).

Layout: a title line, a date line, body paragraphs separated by blank lines,
and optionally a "Similar articles" block whose entries are a title line, a
date line and a lead paragraph.
"""
from __future__ import annotations

import re
from typing import Iterator

from dashboard.analysis.textnorm import clean_line
from .dateline import is_dateline, parse_published
from .records import ArticleRecord, FileError

SIMILAR_HEADINGS = re.compile(r"^\s*(similar|related|see also|read also)( articles| stories| posts)?\s*:?\s*$", re.I)
MAX_TITLE = 400


def looks_like(text: str) -> bool:
    """True when the first two non-empty lines are a title and a date line."""
    lines = [ln for ln in text.split("\n", 40)[:40] if ln.strip()]
    return len(lines) >= 2 and len(lines[0]) <= MAX_TITLE and is_dateline(lines[1])


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
    missing or unparseable, or the body is empty (a truncated page).
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
    try:
        published = parse_published(date_line)
    except ValueError:
        raise FileError(f"no parseable date in {clean_line(date_line)[:60]!r}", date_no, "published_at") from None

    rest = [(no, ln) for no, ln in numbered if no > date_no]
    split = next((i for i, (no, ln) in enumerate(rest) if SIMILAR_HEADINGS.match(ln)), None)
    body_lines = rest if split is None else rest[:split]
    body = "\n\n".join(p for _, p in _paragraphs(body_lines))
    if not body:
        raise FileError("no body text after the date line (truncated page?)", date_no + 1, "body")

    similar = []
    if split is not None:
        similar = list(_similar_entries(rest[split + 1:]))
    yield ArticleRecord(title=title, published_at=published, body=body, similar=similar,
                        source=name, line=title_no)


def _similar_entries(lines: list[tuple[int, str]]) -> Iterator[ArticleRecord]:
    """Entries of a "Similar articles" block: title line + date line + lead paragraph(s)."""
    content = [(no, ln) for no, ln in lines if ln.strip()]
    starts = [i for i in range(len(content) - 1)
              if len(content[i][1]) <= MAX_TITLE and is_dateline(content[i + 1][1])]
    for k, i in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(content)
        title_no, title = content[i]
        first_line = content[i + 2][0] if i + 2 < len(content) else None
        last_line = content[end - 1][0] + 1 if end - 1 >= i + 2 else None
        lead_lines = [(no, ln) for no, ln in lines
                      if first_line is not None and first_line <= no < last_line]
        lead = "\n\n".join(p for _, p in _paragraphs(lead_lines))
        yield ArticleRecord(title=clean_line(title), published_at=parse_published(content[i + 1][1]),
                            body=lead, is_stub=True, line=title_no)

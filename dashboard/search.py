"""Analyst keyword query → a safe FTS5 MATCH expression (first version: plain words).

Nothing a person types reaches SQL as text: the MATCH expression is bound as a
parameter, and every word in it is a double-quoted FTS5 string.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import html

from .textnorm import fold

SNIPPET_OPEN, SNIPPET_CLOSE = "\ue000", "\ue001"


def highlight(snippet_text: str) -> str:
    """HTML-escape an FTS5 snippet and turn its private-use markers into <mark> tags."""
    return html.escape(snippet_text).replace(SNIPPET_OPEN, "<mark>").replace(SNIPPET_CLOSE, "</mark>")


@dataclass
class Query:
    """How a keyword box text was read.

    match: the FTS5 MATCH expression to bind as a parameter, or None when the
      keyword filter is off (blank input) or nothing searchable remains.
    no_words: True when the text had characters but no searchable word: 0 rows.
    reading: a sentence for the analyst ("all of: talks, sanctions").
    notices: warnings and fallbacks to show under the box.
    also_matched: query word → spelling variants that were added.
    """
    text: str
    match: str | None = None
    no_words: bool = False
    reading: str = ""
    notices: list[str] = field(default_factory=list)
    also_matched: dict[str, list[str]] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        """True when the keyword filter restricts rows."""
        return self.match is not None or self.no_words


def parse_query(text: str | None, *, variants: bool = True, db=None) -> Query:
    """Read the keyword box text `text` into a Query (never raises)."""
    text = text or ""
    words = re.findall(r"\w+", fold(text))
    if not text.strip():
        return Query(text)
    if not words:
        return Query(text, no_words=True, reading="no searchable words",
                     notices=["No searchable words: type a word or a name."])
    match = " AND ".join(f'"{w}"' for w in words)
    return Query(text, match=match, reading="all of: " + ", ".join(words))

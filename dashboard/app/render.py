"""Turning untrusted text (titles, bodies, snippets) into safe Streamlit markdown.

No page passes imported text to unsafe_allow_html: text is escaped for Markdown
here, and matched words are marked with Streamlit's own `:orange-background[…]`
directive, built only from escaped text.
"""
from __future__ import annotations

import re

from dashboard.queries.search import SNIPPET_CLOSE, SNIPPET_OPEN

# Every ASCII punctuation character is escapable in CommonMark; escaping all of them
# also disarms Streamlit directives (:red[…]), links, emphasis and raw HTML.
_md_special = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>:~=$&\"'^])")


# Streamlit expands :name: shortcodes and :material/…: icons even after a backslash; a
# zero-width space after the colon breaks them while the text reads the same.
_shortcode = re.compile(r":(?=[A-Za-z_/])")


def md_escape(text: str | None) -> str:
    """Escape `text` so Markdown shows it literally (newlines become spaces)."""
    if not text:
        return ""
    text = _shortcode.sub(":\u200b", str(text).replace("\r", " ").replace("\n", " "))
    return _md_special.sub(r"\\\1", text)


def marked_markdown(snippet: str | None) -> str:
    """An FTS5 snippet with SNIPPET_OPEN/CLOSE markers → escaped Markdown with the matches highlighted."""
    if not snippet:
        return ""
    parts = re.split(f"({SNIPPET_OPEN}|{SNIPPET_CLOSE})", snippet)
    out, inside = [], False
    for part in parts:
        if part == SNIPPET_OPEN:
            inside = True
        elif part == SNIPPET_CLOSE:
            inside = False
        elif part:
            out.append(f":orange-background[{md_escape(part)}]" if inside else md_escape(part))
    return "".join(out)


def balance_marks(parts: list[str]) -> list[str]:
    """Parts of a text marked with SNIPPET_OPEN/CLOSE, each closed at its end and reopened at the next
    part's start when a marked passage runs across the cut (every part is drawn on its own)."""
    out, inside = [], False
    for part in parts:
        text = (SNIPPET_OPEN if inside else "") + part
        last_open, last_close = text.rfind(SNIPPET_OPEN), text.rfind(SNIPPET_CLOSE)
        inside = last_open > last_close
        out.append(text + (SNIPPET_CLOSE if inside else ""))
    return out


def unmarked_len(text: str) -> int:
    """The number of characters of `text` without the SNIPPET_OPEN/CLOSE markers."""
    return len(text) - text.count(SNIPPET_OPEN) - text.count(SNIPPET_CLOSE)


def marked_paragraphs_markdown(body: str | None) -> str:
    """A body marked with SNIPPET_OPEN/CLOSE (articles.article_matches) as escaped Markdown paragraphs with
    the matched passages highlighted: every character of the text goes through md_escape."""
    paragraphs = [p for p in (body or "").split("\n\n") if p.replace(SNIPPET_OPEN, "").replace(SNIPPET_CLOSE, "").strip()]
    return "\n\n".join(marked_markdown(p) for p in balance_marks(paragraphs))


def paragraphs_markdown(body: str | None) -> str:
    """A body's paragraphs (separated by blank lines) as escaped Markdown paragraphs."""
    return "\n\n".join(md_escape(p) for p in (body or "").split("\n\n") if p.strip())


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, the last one an ellipsis when anything was cut."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


# A body is shown in parts of this many characters: the browser's Markdown renderer slows down
# faster than the text grows (measured: 250,000 characters of "a:b :smile:" took 23 s in one
# element, 60,000 took 0.2 s), and every part is its own element, so time grows with parts shown.
PART_CHARS = 20_000
# Parts shown at most (1,000,000 characters), as every rerun sends them all again; past this the
# full text is a download.
MAX_SHOWN_PARTS = 50


def body_parts(body: str | None, size: int = PART_CHARS) -> list[str]:
    """`body` cut into parts of at most `size` characters: at the last paragraph break of the part's
    second half, else at its last space, else at `size` (linear: each search stays inside one part)."""
    body = body or ""
    parts, start = [], 0
    while len(body) - start > size:
        end = start + size
        cut = body.rfind("\n\n", start + size // 2, end)
        if cut < 0:
            cut = body.rfind(" ", start + size // 2, end)
        if cut < 0:
            cut = end
        parts.append(body[start:cut])
        start = cut
    parts.append(body[start:])
    return parts

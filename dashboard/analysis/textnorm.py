"""Text normalisation shared by the importers, the FTS index and the query compiler.

Stored text is NFC. The FTS index and every query see `fold(text)`: the fold table
(`tables/fold.tsv`) maps letters that FTS5's unicode61 tokenizer does not fold
(Ł, ø, Đ, ı, ß …) and every apostrophe variant (’ ʼ ‘) to plain forms, so that the
same word typed either way meets.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from dashboard.knowledge import parse_table


@functools.cache
def fold_table() -> tuple[tuple[str, str], ...]:
    """Pairs (from, to) read from `tables/fold.tsv`, in file order."""
    return tuple(parse_table("fold.tsv", lambda r: (r[0], r[1]), width=2))


@functools.cache
def _fold_pattern() -> tuple[re.Pattern, dict[str, str]]:
    table = dict(fold_table())
    return re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True)))), table


# Characters that take no room on the page but split a word for every matcher and the
# FTS tokenizer: soft hyphen, zero-width space, non-joiner and joiner, word joiner, BOM.
# Sites put them inside long names ("Lukashen\u00adka") for line breaking. ZWNJ/ZWJ also
# shape Persian and Indic script and join emoji; search folds both sides alike, and
# the analysts read Latin and Cyrillic news, so the trade is taken.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_invisible = re.compile(f"[{INVISIBLE}]")


def strip_invisible(text: str) -> str:
    """`text` without the invisible characters of INVISIBLE (ASCII text is returned as is)."""
    # six substring tests in C cost a tenth of one regex scan, and most texts have none
    if text.isascii() or not any(c in text for c in INVISIBLE):
        return text
    return _invisible.sub("", text)


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, with NUL bytes and invisible characters removed
    (soft hyphen, zero-width space/joiners, word joiner, BOM: see INVISIBLE)."""
    return strip_invisible(unicodedata.normalize("NFC", text)).replace("\x00", "")


def fold(text: str) -> str:
    """Apply the fold table to NFC `text`.

    A regex finds the few characters to fold; str.translate with a dict walks every
    character in Python and costs ~100x more on the usual, mostly-ASCII text.
    """
    text = nfc(text)
    pattern, table = _fold_pattern()
    return pattern.sub(lambda m: table[m.group()], text) if pattern.search(text) else text


_ws = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_line(text: str) -> str:
    """Collapse runs of horizontal white space and strip the ends; invisible characters
    go (a zero-width space inside a word is not a word break)."""
    return _ws.sub(" ", strip_invisible(text)).strip()


def normalise_for_hash(title: str, body: str) -> str:
    """Title and body reduced to casefolded words: the key of `content_hash`."""
    words = re.findall(r"\w+", fold(f"{title}\n{body}").casefold())
    return " ".join(words)

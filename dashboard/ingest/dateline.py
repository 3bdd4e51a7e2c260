"""Publication dates as pages and feeds write them (dateutil does the parsing)."""
from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as dparser

_time = re.compile(r"\b\d{1,2}:\d{2}")
_year = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_dotted = re.compile(r"^\s*\d{1,2}[./]\d{1,2}[./]\d{4}")
_has_day = re.compile(
    r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b", re.IGNORECASE)
_iso = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")
# A date line is short and made of date words only: this keeps a body sentence
# that happens to contain a date from being read as the date line.
_dateline = re.compile(
    r"^[\s,.:/\-T+Z0-9]*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?"
    r"(?:[0-9]{1,4}[\s,./\-]*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[\s,]*)+"
    r"(?:\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?(?:\s*(?:utc|gmt|[+-]\d{2}:?\d{2}))?\s*$",
    re.IGNORECASE)


def parse_published(text: str) -> str:
    """Parse a publication date line into 'YYYY-MM-DD HH:MM' (time given) or 'YYYY-MM-DD'.

    Accepts "April 22, 2016 17:51", "April 22, 2016", "22 April 2016",
    "Friday, August 7, 2020", "22.04.2016" (day first), ISO 8601. The year must be
    written out. Raises ValueError when the text is not a date.
    """
    s = text.strip()
    if not s or len(s) > 60 or not _year.search(s) or not _has_day.search(s):
        raise ValueError(f"not a date (needs day, month and year): {text[:60]!r}")
    try:
        dt = dparser.parse(s, dayfirst=bool(_dotted.match(s)) and not _iso.match(s),
                           default=datetime(1900, 1, 1))
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"not a date: {text[:60]!r}") from exc
    if dt.tzinfo is not None:
        # The calendar date and time as the source wrote them (shared case C18).
        dt = dt.replace(tzinfo=None)
    return dt.strftime("%Y-%m-%d %H:%M") if _time.search(s) else dt.strftime("%Y-%m-%d")


def is_dateline(text: str) -> bool:
    """True when the whole line `text` is a publication date."""
    if not _dateline.match(text):
        return False
    try:
        parse_published(text)
        return True
    except ValueError:
        return False

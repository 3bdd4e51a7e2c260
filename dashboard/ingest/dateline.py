"""Publication date lines as sites print them ("Posted: Sep 26, 2013 3:26 AM", "10:38, 06.05.2025",
"Белоруссия, 20 июня, 2010, 17:25 — ИА Регнум.", "MOSCOW, Jan. 1 (UPI) --").

Our own rules read English month names and numeric dates; numeric dates are day first
(06.05.2025 is 6 May, as every site writing dots means it; 05/04/2016 too, with a note).
dateparser, a well-kept library that knows month names in many languages, reads what our
rules do not ("20 июня, 2010", "3 maja 2021"); it is given no relative parser, so "today"
or "2 hours ago" never becomes a date. The FIRST date of a line is the publication; a date
after "updated"/"обновлено" is an update, used only when it is the line's only date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from dashboard.knowledge import read_table

# A date line is short: longer text is a sentence or a paragraph (and is never scanned).
MAX_LINE = 120
# Words besides the date on a date line: a few before it (place, agency, label) ...
MAX_WORDS = 6
# ... and a short attribution after a dash or bar ("— ИА Регнум"); more words make a lede.
MAX_TAIL_WORDS = 4

_MONTH_NAMES = ("january february march april may june july august september october november december").split()
# Names and the abbreviations sites print, longest first so "sept" wins over "sep".
_MONTH_NUMBER = {n: i + 1 for i, n in enumerate(_MONTH_NAMES)} | {
    n[:3]: i + 1 for i, n in enumerate(_MONTH_NAMES)} | {"sept": 9}
_MON = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"

# (name, pattern): each names its groups y, m (number or month name), d and sep.
_FORMS = [
    ("ymd", re.compile(r"(?<![\d.])(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")),
    ("dmy", re.compile(r"(?<![\d.])(?P<d>\d{1,2})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)")),
    ("d month y", re.compile(rf"(?<!\d)(?P<d>\d{{1,2}}){_ORD}\.?[\s-]+(?:of\s+)?(?P<m>{_MON})\b\.?,?[\s-]+"
                             r"(?P<y>\d{4})(?!\d)", re.I)),
    ("month d y", re.compile(rf"\b(?P<m>{_MON})\b\.?\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})(?!\d)", re.I)),
    ("month d", re.compile(rf"\b(?P<m>{_MON})\b\.?\s+(?P<d>\d{{1,2}}){_ORD}(?![\d:]|[.,]\d)", re.I)),
    ("d month", re.compile(rf"(?<![\d:])(?P<d>\d{{1,2}}){_ORD}\.?\s+(?:of\s+)?(?P<m>{_MON})\b", re.I)),
]
_TIME = re.compile(r"(?<![\d:+\-])(\d{1,2}):(\d{2})(?::\d{2})?(?:\s*([ap])\.?\s?m\b\.?)?", re.I)
_WORD = re.compile(r"[^\W\d_]+")
_SEPARATOR = re.compile(r"[—–|(]|--|\s-\s")
_DIGIT = re.compile(r"\d")
_DAY_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
# More words than this cannot be a date line: the date's own words (month, weekday, "г.")
# and MAX_WORDS others.
_MAX_LINE_WORDS = MAX_WORDS + 4

# dateparser: the languages of the region the dashboard covers, tried one at a time in this
# order (given all at once it guesses the language and misreads "20 июня, 2010" as 4 December).
_DP_CYRILLIC = ("ru", "uk", "be")
_DP_LATIN = ("en", "de", "fr", "pl", "lt", "lv", "pt")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_DP_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_LOCALE_DATE_ORDER": False, "PREFER_DAY_OF_MONTH": "first",
                "RETURN_AS_TIMEZONE_AWARE": False, "PARSERS": ["absolute-time"], "REQUIRE_PARTS": ["day", "month"]}


@dataclass
class DateLine:
    """What a date line says: the day (year None when the line gives none), the time and a note."""
    year: int | None
    month: int
    day: int
    time: str | None = None     # 'HH:MM'
    note: str | None = None     # how the line was read when it was not plain (for date_note)

    def published(self, year: int | None = None) -> str:
        """'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD', with `year` standing in for a missing one."""
        day = f"{year or self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{day} {self.time}" if self.time else day


@dataclass
class _Hit:
    start: int
    end: int
    year: int | None
    month: int
    day: int
    note: str | None = None
    updated: bool = False


@lru_cache(maxsize=1)
def _words() -> dict[str, str]:
    """dateline_words.tsv: word → kind (label, update, weekday)."""
    return {row[0].casefold(): row[1] for row in read_table("dateline_words.tsv", width=2)}


def _valid(y: int | None, m: int, d: int) -> bool:
    try:
        date(y if y is not None else 2000, m, d)  # 2000: a leap year, so 29 Feb without a year passes
    except ValueError:
        return False
    return y is None or 1800 <= y <= 2200


def _rule_hits(s: str) -> list[_Hit]:
    """Dates our own rules read, leftmost first, the longest at a place (full dates before day-month)."""
    found = []
    for name, rx in _FORMS:
        for mt in rx.finditer(s):
            g = mt.groupdict()
            m = int(g["m"]) if g["m"].isdigit() else _MONTH_NUMBER[g["m"].casefold().rstrip(".")]
            d, y = int(g["d"]), int(g["y"]) if g.get("y") else None
            note = None
            if name == "dmy" and g["sep"] != "." and not _valid(y, m, d) and _valid(y, d, m):
                m, d = d, m  # 04/22/2016: only month first makes it a date
            elif name == "dmy" and g["sep"] != "." and m <= 12 and d <= 12 and m != d:
                note = f"{mt.group(0)!r} read day first ({d} {_MONTH_NAMES[m - 1].title()} {y})"
            if _valid(y, m, d):
                found.append(_Hit(mt.start(), mt.end(), y, m, d, note))
    found.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[_Hit] = []
    for h in found:
        if not kept or h.start >= kept[-1].end:
            kept.append(h)
    return kept


@lru_cache(maxsize=1)
def _search_dates():
    from dateparser.search import search_dates  # loaded on first use: it takes ~0.3 s
    return search_dates


def _library_hits(s: str) -> list[_Hit]:
    """Dates dateparser finds in the first language that reads a full date (else a day and month).

    A hit counts only when its day is written, and it is a full date only when the 4-digit
    year is written ("32-May-20" is not 20 May 2032)."""
    languages = _DP_CYRILLIC + _DP_LATIN if _CYRILLIC.search(s) else _DP_LATIN
    fallback: list[_Hit] = []
    for lang in languages:
        hits = _library_hits_in(s, lang)
        if any(h.year for h in hits):
            return hits
        fallback = fallback or hits
    return fallback


def _library_hits_in(s: str, lang: str) -> list[_Hit]:
    hits, pos = [], 0
    for sub, dt in _search_dates()(s, languages=[lang], settings=_DP_SETTINGS) or []:
        start = s.find(sub, pos)
        if start < 0:
            continue
        pos = start + len(sub)
        clock = _TIME.sub(" ", sub)
        has_year = re.search(rf"(?<!\d){dt.year}(?!\d)", clock) is not None
        days = {int(n) for n in re.findall(r"(?<!\d)\d{1,2}(?!\d)", clock)}
        if dt.day in days and _valid(dt.year, dt.month, dt.day):
            hits.append(_Hit(start, pos, dt.year if has_year else None, dt.month, dt.day))
    return hits


def _hits(s: str) -> list[_Hit]:
    """The dates of line `s`: our rules first, dateparser when they find no full date and a day
    number is written (a title naming "the September 2025 agenda" costs no library call). A date
    written in figures that is no calendar date ("2023-13-01") is not handed to the library, which
    would read it in another order (13 January): it is an error (impossible_numeric_date)."""
    hits = _rule_hits(s)
    if not any(h.year for h in hits) and _DAY_NUMBER.search(_TIME.sub(" ", s)) and not impossible_numeric_date(s):
        hits = _library_hits(s) or hits
    return hits


def impossible_numeric_date(s: str) -> str | None:
    """Why the first date written in figures in `s` (2023-13-01, 31.02.2020, 2023/02/30) is no calendar date
    in the year range we read (1800–2200), or None when there is none such."""
    for name, rx in _FORMS[:2]:
        for mt in rx.finditer(s):
            y, m, d = int(mt["y"]), int(mt["m"]), int(mt["d"])
            if _valid(y, m, d) or (name == "dmy" and mt["sep"] != "." and _valid(y, d, m)):
                continue
            if not 1800 <= y <= 2200:
                return f"{mt.group(0)!r}: year {y} is outside 1800–2200"
            if name == "ymd" and not 1 <= m <= 12:
                return f"{mt.group(0)!r}: month {m} does not exist (year-month-day)"
            return f"{mt.group(0)!r} is not a calendar date"
    return None


def _times(s: str) -> list[tuple[int, int, str]]:
    out = []
    for mt in _TIME.finditer(s):
        h, mi, ap = int(mt.group(1)), int(mt.group(2)), (mt.group(3) or "").lower()
        if ap:
            if not 1 <= h <= 12:
                continue
            h = h % 12 + (12 if ap == "p" else 0)
        if h <= 23 and mi <= 59:
            out.append((mt.start(), mt.end(), f"{h:02d}:{mi:02d}"))
    return out


def _joins(gap: str) -> bool:
    """True when `gap` only separates a date from its time (", ", " | ", " at ", " г. в ")."""
    if gap == "T":  # ISO 8601: 2016-04-22T17:51
        return True
    return len(gap) <= 12 and all(_words().get(w.casefold()) == "label" for w in _WORD.findall(gap))


def _time_of(s: str, hit: _Hit, times: list[tuple[int, int, str]]) -> str | None:
    """The time written inside, right after or right before the date."""
    for a, b, t in times:
        if hit.start <= a and b <= hit.end:
            return t
    for a, b, t in times:
        if a >= hit.end and _joins(s[hit.end:a]):
            return t
    for a, b, t in reversed(times):
        if b <= hit.start and _joins(s[b:hit.start]):
            return t
    return None


def _only_date_words(s: str, hits: list[_Hit], times: list[tuple[int, int, str]]) -> bool:
    """True when the words of `s` outside its dates and times are those a date line carries:
    listed labels, capitalised names (place, agency) and a short attribution after a dash.
    A lowercase word that is not a label ("Russia expelled two diplomats") makes a sentence."""
    spans = [(h.start, h.end) for h in hits] + [(a, b) for a, b, _ in times]
    sep = _SEPARATOR.search(s, hits[0].end)
    words = tail = 0
    for mt in _WORD.finditer(s):
        if any(a <= mt.start() < b for a, b in spans):
            continue
        words += 1
        if sep and mt.start() >= sep.start():
            tail += 1
        elif not (mt.group(0).casefold() in _words() or mt.group(0)[0].isupper()):
            return False
    return words <= MAX_WORDS and tail <= MAX_TAIL_WORDS


def _mark_updates(s: str, hits: list[_Hit]) -> None:
    """A date preceded (since the previous date) by "updated", "update:", "обновлено" is an update."""
    prev = 0
    for h in hits:
        h.updated = any(_words().get(w.casefold()) == "update" for w in _WORD.findall(s[prev:h.start]))
        prev = h.end


def read_dateline(text: str) -> DateLine | None:
    """The publication date a date line gives, or None when `text` is not a date line.

    The first full date of the line that is not an update, else its first full date
    (noted), else its first day and month without a year (year None). A body sentence
    containing a date is not a date line (see _only_date_words).
    """
    s = text.strip()
    if not s or len(s) > MAX_LINE or not _DIGIT.search(s) or len(_WORD.findall(s)) > _MAX_LINE_WORDS:
        return None
    hits = _hits(s)
    if not hits:
        return None
    times = _times(s)
    if not _only_date_words(s, hits, times):
        return None
    _mark_updates(s, hits)
    full = [h for h in hits if h.year]
    published = [h for h in full if not h.updated]
    hit = (published or full or hits)[0]
    note = hit.note
    if hit.updated:
        note = f"the date line {s!r} gives only an update date: used as the publication date"
    return DateLine(hit.year, hit.month, hit.day, _time_of(s, hit, times), note)


def why_not_dateline(text: str) -> str:
    """Why read_dateline(text) gave None, for an import error."""
    s = text.strip()
    if s and len(s) <= MAX_LINE and _DIGIT.search(s) and _hits(s):
        return f"not a date line (a sentence with a date?): {s[:60]!r}"
    bad = impossible_numeric_date(s[:MAX_LINE]) if s else None
    if bad:
        return f"not a date: {bad}"
    return f"no parseable date in {s[:60]!r}"


def unreadable_date(text: str) -> str:
    """The error for a date field that gave no date: what is impossible about a date written in figures
    ("'2023-13-01': month 13 does not exist"), else "no parseable date in '…'"."""
    s = str(text).strip()
    bad = impossible_numeric_date(s[:MAX_LINE])
    return f"not a date: {bad}" if bad else f"no parseable date in {s[:40]!r}"


def parse_published(text: str) -> str:
    """Parse a publication date line into 'YYYY-MM-DD HH:MM' (time given) or 'YYYY-MM-DD'.

    Accepts "April 22, 2016 17:51", "22 April 2016", "Friday, August 7, 2020",
    "22.04.2016" (day first), ISO 8601, "Posted: Sep 26, 2013 3:26 AM",
    "11:39, 19 сентября 2025". The year must be written out. Raises ValueError when the
    text is not a date line with day, month and year.
    """
    d = read_dateline(text)
    if d is None or d.year is None:
        raise ValueError(f"not a date (needs day, month and year): {text[:60]!r}")
    return d.published()


# dateparser's default for RETURN_AS_TIMEZONE_AWARE: aware exactly when the text writes a zone
_DP_FULL = {k: v for k, v in _DP_SETTINGS.items() if k != "RETURN_AS_TIMEZONE_AWARE"} | {
    "REQUIRE_PARTS": ["day", "month", "year"]}
# Lithuanian writes "2023 m. lapkričio 21 d." (metai, diena): the markers dateparser does not read.
_LT_MARKERS = re.compile(r"(?<=\d)\s*(?:m|d)\.(?=\s|$)")


def parse_foreign_datetime(text: str):
    """A full date (and time, and zone when written) in another language, by dateparser, for what our
    rules and dateutil do not read: "wt, 21 lis 2023 10:00:00 +0100", "Вт, 21 ноя 2023", "21 listopada
    2023", "terça-feira, 21 de novembro de 2023", "2023 m. lapkričio 21 d.". The languages of
    _DP_CYRILLIC / _DP_LATIN are tried one at a time; a reading counts only when its 4-digit year and
    its day are written in the text (no relative dates). Returns a datetime (aware when a zone is
    written) or None."""
    s = " ".join(text.split())
    if not s or len(s) > MAX_LINE or not _DIGIT.search(s) or impossible_numeric_date(s):
        return None   # 2023-13-01 is no date: dateparser would read it in another order
    import dateparser
    languages = _DP_CYRILLIC + _DP_LATIN if _CYRILLIC.search(s) else _DP_LATIN
    for lang in languages:
        probe = _LT_MARKERS.sub("", s) if lang == "lt" else s
        settings = {**_DP_FULL, "DATE_ORDER": "YMD"} if re.match(r"\d{4}\b", probe) else _DP_FULL
        try:
            dt = dateparser.parse(probe, languages=[lang], settings=settings)
        except (ValueError, OverflowError):
            continue
        if dt is None:
            continue
        clock = _TIME.sub(" ", probe)
        if re.search(rf"(?<!\d){dt.year}(?!\d)", clock) and dt.day in {int(n) for n in _DAY_NUMBER.findall(clock)}:
            return dt
    return None


def is_dateline(text: str) -> bool:
    """True when the whole line `text` is a publication date with day, month and year."""
    d = read_dateline(text)
    return d is not None and d.year is not None

"""Sentences and date expressions in article text.

Two jobs, both pure functions over strings, with offsets in Python ``str`` indices
(code points) into the string passed in:

* :func:`sentences` splits text into sentences without breaking on abbreviations
  ("U.S.", "Mr.", "Jan. 5", initials), and :func:`paragraphs` into blank-line
  separated paragraphs.
* :func:`find_dates` finds date expressions in one sentence and resolves them to
  calendar dates against the article's publication date.

Resolution rules (the shapes the store keeps):

* ``date`` is ISO ``YYYY-MM-DD``: the day for precision ``day``, the Monday of the
  week for ``week``, the first of the month for ``month``, 1 January for ``year``.
* A day or month without a year takes the occurrence nearest to the publication
  date, except that in a past-tense context it never lands after the publication
  date and in a future-tense context never before it; ``year_inferred`` is set.
* Relative expressions ("yesterday", "last week", "earlier this month", "last
  year", weekdays) resolve against the publication date; "the following day",
  "the next day", "the day before", "two days later" resolve against the date
  mentioned just before (``previous``) and are dropped when there is none. A
  relative phrase that is followed directly by an explicit date ("On the
  following day, 25 November") is one mention with the explicit date.
* Ordinary words and numbers are not dates: "may"/"march" (lower-case verbs),
  month names without a day, year or preposition ("May I", "March to"),
  "11g", "2 billion", "a week or two", "in 2000 cases".

Only English is handled. Slash dates ("11/03/2021") are not read: day/month
order is ambiguous in the sources we see.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DateMention", "find_dates", "sentences", "paragraphs", "parse_published", "tense_at"]


# --------------------------------------------------------------------------- sentences

# Abbreviations after which a period never ends a sentence: titles precede a name.
_TITLES = frozenset("""
mr mrs ms dr prof gen lt col maj capt cpt sgt adm cmdr sen rep gov pres st ste rev hon amb
fr mt ft vs v cf approx dept est fig
""".split())
# Abbreviations that may end a sentence: split only before a typical sentence opener.
_SOFT = frozenset("""
u.s u.k u.n e.u u.s.a u.s.s.r a.m p.m etc inc ltd co corp jr sr bros plc llc gmbh jsc ojsc
jan feb mar apr jun jul aug sep sept oct nov dec
""".split())
_NEVER = frozenset({"e.g", "i.e", "viz", "al", "ca", "c", "approx"})
# Words that start sentences but rarely follow "U.S." inside one.
_OPENERS = frozenset("""
The A An This That These Those It Its He She They We I You There Here However But And Or So Yet
Meanwhile In On At For From With After Before Since When While As If Although Though Moreover
Furthermore Also Still Then Now Later Earlier Last Next According Both Neither Some Many Most All
Such His Her Their Our What Why How Who Where Which Despite During Under By Over Following Nevertheless
Instead Thus Therefore Hence Besides Indeed Finally First Second Third Officials Analysts Experts
""".split())

_CANDIDATE = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"“‘'«(\[]*[A-Z0-9\u0400-\u042F\u00C0-\u00DE])|\n")
_WORD_BEFORE = re.compile(r"(\S+)\Z")
_NEXT_WORD = re.compile(r"\s*[\"“‘'«(\[]*([^\s\"“”‘’'«»()\[\],.;:]+)")
_PARA_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LOWER_START = re.compile(r"\s*[a-z]")


def _is_abbreviation_stop(text: str, dot: int) -> bool:
    """True when the period at ``dot`` belongs to an abbreviation and does not end the sentence."""
    m = _WORD_BEFORE.search(text, max(0, dot - 24), dot)
    word = m.group(1) if m else ""
    word = word.lstrip("\"“‘'«([")
    core = word.lower()
    if not core:
        return False
    if core in _NEVER:
        return True
    nxt = _NEXT_WORD.match(text, dot + 1)
    next_word = nxt.group(1) if nxt else ""
    if core in _TITLES:
        return True
    if core in ("no", "nos", "nr", "art", "para", "p", "pp", "vol"):
        return next_word[:1].isdigit()
    # Initials: "Alexander G. Lukashenko", and the last letter of "U.S" style abbreviations.
    if len(word) == 1 and word.isalpha() and word.isupper():
        return next_word not in _OPENERS
    if core in _SOFT or re.fullmatch(r"(?:[a-z]\.)+[a-z]", core):
        if next_word[:1].isdigit():
            return True
        return next_word not in _OPENERS
    return False


def _split_segment(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    pos = start
    for m in _CANDIDATE.finditer(text, start, end):
        if m.group() == "\n":
            continue
        if text[m.start():m.end()].rstrip("\"'”’»)]") == "." and _is_abbreviation_stop(text, m.start()):
            continue
        _emit(text, pos, m.end(), out)
        pos = m.end()
    _emit(text, pos, end, out)


def _emit(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences.

    Returns ``[(start, end), …]``: character offsets into ``text`` (end exclusive),
    in order, non-overlapping, stripped of surrounding white space. A line break
    ends a sentence unless the next line starts with a lower-case letter (a wrapped
    line); a blank line always does. Periods of abbreviations ("U.S.", "Mr.",
    "Jan. 5", "e.g.", initials) do not split, except that "U.S." followed by a
    typical sentence opener ("However", "The" …) does. Never raises; empty text
    gives ``[]``.
    """
    out: list[tuple[int, int]] = []
    n = len(text)
    line_start = 0
    # Lines are hard breaks; a wrapped line (next starts lower-case) is glued on.
    while line_start < n:
        nl = text.find("\n", line_start)
        line_end = n if nl < 0 else nl
        while nl >= 0 and _LOWER_START.match(text, nl + 1) and not _PARA_BREAK.match(text, nl):
            nl = text.find("\n", nl + 1)
            line_end = n if nl < 0 else nl
        _split_segment(text, line_start, line_end, out)
        line_start = n if nl < 0 else nl + 1
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Blank-line separated paragraphs of ``text`` as ``[(start, end), …]`` offsets,
    stripped of surrounding white space; empty text gives ``[]``."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA_BREAK.finditer(text):
        _emit(text, pos, m.start(), out)
        pos = m.end()
    _emit(text, pos, len(text), out)
    return out


# --------------------------------------------------------------------------- dates

@dataclass
class DateMention:
    """One date expression in a sentence.

    ``start``/``end``: offsets into the sentence string given to :func:`find_dates`;
    ``text``: that slice; ``date``: ISO ``YYYY-MM-DD`` (Monday of the week for
    precision ``week``, first of month for ``month``, 1 January for ``year``);
    ``precision``: ``day`` | ``week`` | ``month`` | ``year``; ``year_inferred``:
    the text gave no year and it was chosen from the publication date;
    ``relative``: resolved from the publication date or the previous date
    ("yesterday", "last week", "the following day").
    """

    start: int
    end: int
    text: str
    date: str
    precision: str
    year_inferred: bool
    relative: bool


_MONTH_NUM = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_FULL = ["January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"]
_ABBR = ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec"]
# Month names count only capitalised (or in capitals): lower-case "may" and "march" are verbs.
_MONTH = "(?:" + "|".join([f"{m}|{m.upper()}" for m in _FULL] +
                          [f"{a}\\.?|{a.upper()}\\.?" for a in _ABBR]) + ")"
_MONTH_FULL = "(?:" + "|".join(f"{m}|{m.upper()}" for m in _FULL) + ")"
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAY = "(?:" + "|".join(_WEEKDAYS) + ")"
_DAYNUM = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_NUMWORD = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
_PREP = r"(?i:in|since|by|until|till|during|from|through|throughout|before|after|around)"
_QSEP = r"(?:\s+|(?<=-))"
_QUAL = r"(?i:early|late|mid-?|the\s+(?:end|beginning|start|middle)\s+of|(?:end|beginning|start|middle)\s+of)"
# A year followed by a counted noun is a quantity ("in 2000 cases"), not a date.
_NOT_QUANTITY = (r"(?!\s*(?:%|per\s?cent|(?i:people|persons|troops|soldiers|tons|tonnes|km|kilomet\w*|"
                 r"metres|meters|miles|dollars|euros|roubles|rubles|cases|votes|units|times|men|women|"
                 r"children|refugees|migrants|hectares|barrels|jobs|pieces|items|vehicles|tanks)\b))")

_DATE_RE = re.compile(
    "|".join([
        # 2023-11-21
        r"(?P<iso>(?<![\d.\-/])(?P<iso_y>" + _YEAR + r")-(?P<iso_m>[01]?\d)-(?P<iso_d>[0-3]?\d)(?![\d\-]))",
        # 25.11.2011
        r"(?P<dot>(?<![\d.])(?P<dot_d>[0-3]?\d)\.(?P<dot_m>[01]?\d)\.(?P<dot_y>" + _YEAR + r")(?!\.?\d))",
        # 21 November [2015], 21-23 November, 21st of November
        r"(?P<dm>(?<![\d.,:])(?P<dm_d>" + _DAYNUM + r")(?:\s*(?:-|–|—|(?i:to|and))\s*" + _DAYNUM + r")?"
        r"\s+(?:(?i:of)\s+)?(?P<dm_m>" + _MONTH + r")(?![A-Za-z])(?:,?\s+(?P<dm_y>" + _YEAR + r")(?![\d]))?)",
        # November 25[, 2015], November 21-23
        r"(?P<md>(?P<md_m>" + _MONTH + r")\s+(?P<md_d>" + _DAYNUM + r")(?![\d:.,]\d)(?![\d])"
        r"(?:\s*(?:-|–|—)\s*" + _DAYNUM + r"(?![\d]))?(?:,?\s+(?P<md_y>" + _YEAR + r")(?![\d]))?" + _NOT_QUANTITY + ")",
        # [early] November 2015
        r"(?P<my>(?:(?P<my_q>" + _QUAL + r")" + _QSEP + r")?(?P<my_m>" + _MONTH + r")(?![A-Za-z])\s+(?P<my_y>" + _YEAR + r")(?!\d))",
        # in [early] March  (full month names only, not followed by a number)
        r"(?P<pm>\b(?:(?:" + _PREP + r"|(?P<pm_rel>(?i:last|this|next)))\s+(?:(?P<pm_q>" + _QUAL + r")" + _QSEP + r")?"
        r"|(?P<pm_q2>" + _QUAL + r")" + _QSEP + r")(?P<pm_m>" + _MONTH_FULL + r")\b(?!\s*,?\s*\d)(?!-))",
        # in 2011, since early 2011, by the end of 2011
        r"(?P<py>\b(?:" + _PREP + r"|(?i:of)|" + _QUAL + r")" + _QSEP + r"(?:(?:" + _QUAL + r")" + _QSEP + r")?(?P<py_y>" + _YEAR + r")(?![\d\-–/])" + _NOT_QUANTITY + ")",
        # yesterday, today, tomorrow
        r"(?P<dayword>\b(?i:the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow)\b)",
        # last week / earlier this month / next year / the previous week
        r"(?P<rel>\b(?P<rel_w>(?i:last|this|next|earlier\s+this|later\s+this|the\s+previous|the\s+past|the\s+coming|"
        r"previous|past|coming))\s+(?P<rel_u>(?i:week|month|year))\b)",
        # two days ago, a week ago
        r"(?P<ago>\b(?P<ago_n>" + r"(?i:" + _NUMWORD + r")" + r")\s+(?P<ago_u>(?i:days?|weeks?|months?|years?))\s+(?i:ago)\b)",
        # the following day, the next day, the day after, a day later, two days later
        r"(?P<prev>\b(?P<prev_w>(?i:the\s+(?:following|next|previous|preceding)\s+day|the\s+day\s+(?:after|before)|"
        r"(?:a|one|two|three|four|five|six|seven|\d{1,2})\s+days?\s+(?:later|earlier)))\b(?!\s+(?:of|that|when)\b))",
        # [last|next|on] Tuesday
        r"(?P<wd>(?:\b(?P<wd_rel>(?i:last|next|this|on|since|by|until))\s+)?(?P<wd_d>" + _WEEKDAY + r")\b(?!\s*,?\s*\d))",
    ])
)
_PY_QUAL = re.compile(_QUAL + _QSEP + r"(?:" + _QUAL + _QSEP + r")?\d")
_REL_GAP = re.compile(r"\s*,?\s*(?:(?i:on|the)\s+)?")
_NUMWORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
             "seven": 7, "eight": 8, "nine": 9, "ten": 10}

# Tense markers; the marker nearest to a date decides the date's tense.
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|won[’']t|(?:is|are|was|were)\s+(?:due|set|scheduled|expected|planned|going|slated)\s+to|"
    r"(?:is|are)\s+to|(?:scheduled|set|planned|slated|due)\s+(?:for|on)|plans?\s+to|intends?\s+to|"
    r"upcoming|forthcoming|next)\b|[’']ll\b",
    re.I)
_PAST_RE = re.compile(
    r"\b(?:was|were|had|did|been|ago|last|yesterday|earlier|said|told|met|took|held|made|gave|came|went|began|"
    r"sent|left|became|brought|won|lost|saw|spoke|wrote|chose|fought|led|paid|sold|bought|broke|struck|cut|"
    r"kept|ran|stood|withdrew|drew|threw|flew|grew|rose|fell|shook|froze|sought|found|heard|built|spent|lent|"
    r"oversaw|undertook|arrived|visited|signed|agreed|announced|expelled|imposed|recalled|launched|"
    r"[a-z]{2,}[^e\s]ed)\b")


def parse_published(published_at: str) -> date:
    """Parse ``'YYYY-MM-DD'`` or ``'YYYY-MM-DD HH:MM[:SS]'`` (``T`` separator allowed)
    into a :class:`datetime.date`; the time is ignored. Raises ``ValueError`` on
    anything else."""
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\s*$",
                 published_at or "")
    if not m:
        raise ValueError(f"published_at must be 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM', got {published_at!r}")
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def tense_at(sentence: str, pos: int) -> str | None:
    """Tense of the clause around offset ``pos`` of ``sentence``: ``'past'``,
    ``'future'`` or ``None`` (present or unknown), from the nearest tense marker
    ("will", "is set to", "said", "-ed" forms …). A tie goes to ``'future'``
    because "scheduled for" also looks like a past form."""
    best: tuple[int, int, str] | None = None
    for rx, label, rank in ((_FUTURE_RE, "future", 0), (_PAST_RE, "past", 1)):
        for m in rx.finditer(sentence):
            d = m.start() - pos if m.start() >= pos else pos - m.end()
            key = (d, rank, label)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _nearest_day(month: int, day: int, anchor: date, tense: str | None) -> date | None:
    cands = []
    for y in range(anchor.year - 4, anchor.year + 5):
        try:
            cands.append(date(y, month, day))
        except ValueError:
            pass
    if tense == "past":
        cands = [c for c in cands if c <= anchor]
    elif tense == "future":
        cands = [c for c in cands if c >= anchor]
    if not cands:
        return None
    # On a tie the earlier date wins: reports look back more often than ahead.
    return min(cands, key=lambda c: (abs((c - anchor).days), c))


def _nearest_month(month: int, anchor: date, tense: str | None) -> date:
    a = anchor.year * 12 + anchor.month - 1
    cands = [(y * 12 + month - 1, y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    if tense == "past":
        cands = [c for c in cands if c[0] <= a]
    elif tense == "future":
        cands = [c for c in cands if c[0] >= a]
    idx, y = min(cands, key=lambda c: (abs(c[0] - a), c[0]))
    return date(y, month, 1)


def _shift_month(d: date, k: int) -> date:
    i = d.year * 12 + d.month - 1 + k
    return date(i // 12, i % 12 + 1, 1)


def _day(token: str) -> int:
    return int(re.match(r"\d+", token).group())


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(sentence: str, published_at: str, *, previous: str | None = None,
               tense: str | None = None) -> list[DateMention]:
    """Date expressions in ``sentence``, resolved to calendar dates.

    ``published_at``: ``'YYYY-MM-DD'`` or ``'YYYY-MM-DD HH:MM'`` (``ValueError``
    otherwise). ``previous``: ISO date mentioned just before this sentence, the
    anchor of "the following day" / "the next day" (such phrases are dropped
    without it). ``tense``: ``'past'`` | ``'future'`` | ``None``; with ``None`` each
    date takes the tense of its nearest marker (:func:`tense_at`). Year-less dates
    never land after publication in the past tense nor before it in the future
    tense; otherwise they take the occurrence nearest to publication.

    Returns :class:`DateMention` s sorted by ``start``, offsets into ``sentence``.
    Impossible dates ("31 April", "2021-13-01") are skipped, not raised.
    """
    pub = parse_published(published_at)
    prev = date.fromisoformat(previous[:10]) if previous else None
    out: list[DateMention] = []
    # (start, end, anchored_on_previous) of a relative phrase an explicit date may follow
    pending_rel: tuple[int, int, bool] | None = None

    def tense_for(pos: int) -> str | None:
        return tense if tense is not None else tense_at(sentence, pos)

    for m in _DATE_RE.finditer(sentence):
        # lastgroup names the innermost group that closed last, so look for the alternative that fired
        kind = next(k for k in ("iso", "dot", "dm", "md", "my", "pm", "py", "dayword", "rel", "ago", "prev", "wd")
                    if m.group(k) is not None)
        start, end = m.start(kind), m.end(kind)
        d: date | None = None
        precision = "day"
        inferred = False
        relative = False
        if kind == "iso":
            d = _safe_date(int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]))
        elif kind == "dot":
            d = _safe_date(int(m["dot_y"]), int(m["dot_m"]), int(m["dot_d"]))
        elif kind in ("dm", "md"):
            mon = _MONTH_NUM[m[kind + "_m"].rstrip(".").lower()]
            day = _day(m[kind + "_d"])
            year = m[kind + "_y"]
            if year:
                d = _safe_date(int(year), mon, day)
            else:
                inferred = True
                anchor = pub
                # "On the following day, 25 November": the explicit date sits next to the previous one.
                if pending_rel and pending_rel[2] and prev and _REL_GAP.fullmatch(sentence, pending_rel[1], start):
                    anchor = prev
                d = _nearest_day(mon, day, anchor, tense_for(start) if anchor is pub else None)
        elif kind == "my":
            mon = _MONTH_NUM[m["my_m"].rstrip(".").lower()]
            d = date(int(m["my_y"]), mon, 1)
            precision = "month"
        elif kind == "pm":
            mon = _MONTH_NUM[m["pm_m"].lower()]
            q = m["pm_q"] or m["pm_q2"]
            start = m.start("pm_m") if not q else m.start("pm_q" if m["pm_q"] else "pm_q2")
            rel = (m["pm_rel"] or "").lower()
            precision = "month"
            if rel == "last":
                d = _nearest_month(mon, _shift_month(pub, -1), "past")
                relative = True
            elif rel == "next":
                d = _nearest_month(mon, _shift_month(pub, 1), "future")
                relative = True
            elif rel == "this":
                d = date(pub.year, mon, 1)
                relative = True
            else:
                d = _nearest_month(mon, pub, tense_for(start))
                inferred = True
            if rel:
                start = m.start("pm")
        elif kind == "py":
            d = date(int(m["py_y"]), 1, 1)
            precision = "year"
            start = m.start("py_y")
            q = _PY_QUAL.search(m["py"])
            if q:
                start = m.start("py") + q.start()
        elif kind == "dayword":
            w = m["dayword"].lower()
            relative = True
            d = pub + timedelta(days=-2 if "before" in w else -1 if w == "yesterday" else 1 if w == "tomorrow" else 0)
        elif kind == "rel":
            w = " ".join(m["rel_w"].lower().split())
            u = m["rel_u"].lower()
            k = -1 if w in ("last", "the previous", "previous", "the past", "past") else \
                1 if w in ("next", "the coming", "coming") else 0
            relative = True
            precision = u
            if u == "week":
                d = _monday(pub) + timedelta(weeks=k)
            elif u == "month":
                d = _shift_month(pub, k)
            else:
                d = date(pub.year + k, 1, 1)
        elif kind == "ago":
            n = m["ago_n"].lower()
            n = _NUMWORDS.get(n) or int(n)
            u = m["ago_u"].lower().rstrip("s")
            relative = True
            precision = u
            if u == "day":
                d = pub - timedelta(days=n)
            elif u == "week":
                d = _monday(pub - timedelta(weeks=n))
            elif u == "month":
                d = _shift_month(pub, -n)
            else:
                d = date(pub.year - n, 1, 1)
        elif kind == "prev":
            w = " ".join(m["prev_w"].lower().split())
            pending_rel = (start, end, True)
            if prev is None:
                continue
            if w.endswith(("later", "earlier")):
                n = w.split()[0]
                n = _NUMWORDS.get(n) or int(n)
                delta = n if w.endswith("later") else -n
            else:
                delta = -1 if ("previous" in w or "preceding" in w or "before" in w) else 1
            d = prev + timedelta(days=delta)
            relative = True
        elif kind == "wd":
            wd = _WEEKDAYS.index(m["wd_d"])
            rel = (m["wd_rel"] or "").lower()
            pending_rel = (start, end, False)
            back = (pub.weekday() - wd) % 7
            ahead = (wd - pub.weekday()) % 7
            if rel == "last":
                d = pub - timedelta(days=back or 7)
            elif rel == "next":
                d = pub + timedelta(days=ahead or 7)
            elif rel == "this":
                d = _monday(pub) + timedelta(days=wd)
            else:
                t = tense_for(start)
                d = pub + timedelta(days=ahead) if t == "future" else pub - timedelta(days=back)
            relative = True
        if d is None:
            continue
        # A relative phrase directly before an explicit date is the same date: absorb it.
        if kind in ("iso", "dot", "dm", "md") and out and out[-1].relative and \
                _REL_GAP.fullmatch(sentence, out[-1].end, start):
            start = out.pop().start
        elif kind in ("iso", "dot", "dm", "md") and pending_rel and _REL_GAP.fullmatch(sentence, pending_rel[1], start):
            start = pending_rel[0]
        if kind not in ("prev", "wd"):
            pending_rel = None
        out.append(DateMention(start, end, sentence[start:end], d.isoformat(), precision, inferred, relative))
    return out

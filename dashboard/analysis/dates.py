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

* Periods: "since August 2023" starts a period still running (``period='since'``:
  not the day of an event, which takes no date from it); "from 1 to 5 May",
  "3-5 May", "between 1 and 5 May", "from 1 May to 3 June" are ranges
  (``period='range'``, ``date`` the first day, ``until`` the last); "by 1 September",
  "until 2030", "no later than Friday", "до 1 марта" name a deadline (``period='by'``: the
  day something is due, not the day it was decided).
* A month or a day without a year followed by "last year", "this year", "next year" ("in
  February last year", "5 May of last year", "в феврале прошлого года") takes that year.
* "the November sanctions": a month between "the" and a lower-case noun is that thing's month.
* A weekday named again in a sentence is the same day, and the end of a range of weekdays
  follows its start ("on Thursday at midnight, from Thursday to Friday").
* Tense: "may"/"might" (lower case, not "may have") look ahead like "will".

English and Russian are handled, by the same resolvers: Russian month names in every case
("21 ноября", "в ноябре", "ноябрь 2011 года"), weekdays after a preposition ("в понедельник",
"во вторник", "в прошлую пятницу"), day words ("вчера", "сегодня", "накануне" unless it is "on
the eve of" something) and periods ("на прошлой неделе", "в прошлом году", "в этом году").
Russian tense is not read: a year-less Russian date takes the nearest occurrence. Numbers with dots or hyphens ("06.05.2025",
"20-07-2018") are always day first. Slash dates ("11/03/2021") are not read:
day/month order is ambiguous in the sources we see.
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import NamedTuple

__all__ = ["DateMention", "find_dates", "find_dates_at", "has_anchor", "sentences", "paragraphs", "parse_published",
           "tense_at", "is_past_form", "needs_previous", "not_after"]


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

# A run of sentence punctuation (closing quotes after it) before white space and a
# capital or digit, or a line break. Written to start with a character class so that
# the regex engine skips to candidate characters instead of trying every position;
# group 1 is the white space after the punctuation.
# A run is tried only from its first character ((?<![.!?…].)): where that fails, every later start
# in the run fails too, and retrying them made a long run ("!!!!…") quadratic.
_CANDIDATE = re.compile(r"[.!?…\n](?:(?<=\n)|(?<![.!?…].)[.!?…]*[\"'”’»)\]]*(?=(\s+)[\"“‘'«(\[]*[A-Z0-9\u0400-\u042F\u00C0-\u00DE]))")
_NEXT_WORD = re.compile(r"\s*[\"“‘'«(\[]*([^\s\"“”‘’'«»()\[\],.;:]+)")
_PARA_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")      # _PARA_BREAK without the trailing run it need not read
_SPACES = re.compile(r"\s*")


_NUMBERED = frozenset({"no", "nos", "nr", "art", "para", "p", "pp", "vol"})
_ABBREV_ANY = _NEVER | _TITLES | _NUMBERED | _SOFT
# a period after this many letters ends no abbreviation, initial or dotted form
_LONG_WORD = max(map(len, _ABBREV_ANY)) + 1
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")


def _is_abbreviation_stop(text: str, dot: int) -> bool:
    """True when the period at ``dot`` belongs to an abbreviation and does not end the sentence."""
    # Every abbreviation, initial and dotted form ends in a letter, is shorter than
    # _LONG_WORD, or is dotted ("u.s.s.r") with a period just before its last letter:
    # most periods, after a word's last letters, are decided here.
    if not dot or not text[dot - 1].isalpha() or (
            dot >= _LONG_WORD and text[dot - _LONG_WORD:dot].isalpha()):
        return False
    sp = max(text.rfind(" ", max(0, dot - 24), dot), text.rfind("\n", max(0, dot - 24), dot))
    word = text[sp + 1:dot].lstrip("\"“‘'«([")
    core = word.lower()
    if not core:
        return False
    initial = len(word) == 1 and word.isalpha() and word.isupper()
    dotted = "." in core and _DOTTED.fullmatch(core) is not None
    # most periods end an ordinary word: decide that before looking at the next word
    if not (initial or dotted or core in _ABBREV_ANY):
        return False
    if core in _NEVER or core in _TITLES:
        return True
    nxt = _NEXT_WORD.match(text, dot + 1)
    next_word = nxt.group(1) if nxt else ""
    if core in _NUMBERED:
        return next_word[:1].isdigit()
    # Initials: "Alexander G. Lukashenko", and the last letter of "U.S" style abbreviations.
    if initial:
        return next_word not in _OPENERS
    if next_word[:1].isdigit():
        return True
    return next_word not in _OPENERS


class _Wrap:
    """Whether a line break glues the next line on (it starts lower-case after white space, with
    no blank line between). The end of the white space after a break is remembered: the breaks of
    one long white-space run would otherwise each read the run to its end (quadratic)."""

    def __init__(self, text: str):
        self.text = text
        self.space_end = -1

    def glued(self, a: int, b: int) -> bool:
        """For the line break at ``a`` (``b = a + 1``), breaks given in increasing order."""
        text = self.text
        if b > self.space_end:
            self.space_end = _SPACES.match(text, b).end()
        c = text[self.space_end:self.space_end + 1]
        return "a" <= c <= "z" and not _BLANK_LINE.match(text, a)


def _emit(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        start += len(piece) - len(piece.lstrip())
        out.append((start, start + len(stripped)))


_PUNCT = frozenset(".!?…")
# _CANDIDATE at a period, for a text whose only sentence punctuation is the period
_DOT_CANDIDATE = re.compile(r"(?<!\.)\.[.!?…]*[\"'”’»)\]]*(?=(\s+)[\"“‘'«(\[]*[A-Z0-9\u0400-\u042F\u00C0-\u00DE])")


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
    if "!" in text or "?" in text or "…" in text:
        return _sentences(text)
    # Only periods and line breaks can end a sentence: both are found with str.find,
    # and a period is checked with _DOT_CANDIDATE where it stands. Same result as
    # _sentences: the candidates come in the same order, and each is decided alike.
    out: list[tuple[int, int]] = []
    append = out.append
    find = text.find
    wrap = _Wrap(text)
    pos = 0         # where the current piece starts
    start = -1      # where its text starts, when the last split was a period's
    nl = find("\n")
    dot = find(".")
    while dot >= 0 or nl >= 0:
        if dot >= 0 and (nl < 0 or dot < nl):
            m = _DOT_CANDIDATE.match(text, dot)
            if m is None:
                dot = find(".", dot + 1)
                continue
            a = dot
            b = m.end()
            dot = find(".", b)
            # a single period, and not after _LONG_WORD letters, may be an abbreviation's
            if (a < _LONG_WORD or not text[a - _LONG_WORD:a].isalpha()) and text[a + 1] != "." \
                    and _is_abbreviation_stop(text, a):
                continue
            if start >= 0:
                append((start, b))
            else:
                _emit(text, pos, b, out)
            pos, start = b, m.end(1)
        else:
            a = nl
            b = a + 1
            nl = find("\n", b)
            c = text[b:b + 1]
            if c == "\n":
                pass    # a blank line
            elif c and not c.isspace():
                if "a" <= c <= "z":
                    continue    # a wrapped line is glued on
            elif wrap.glued(a, b):
                continue
            _emit(text, pos, a, out)
            pos, start = b, -1
    _emit(text, pos, len(text), out)
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    """:func:`sentences` for any text, from the matches of ``_CANDIDATE``."""
    out: list[tuple[int, int]] = []
    append = out.append
    wrap = _Wrap(text)
    pos = 0         # where the next piece starts
    start = -1      # where its text starts, when it follows a punctuation split
    for m in _CANDIDATE.finditer(text):
        a, b = m.span()
        if text[a] == "\n":
            # a wrapped line (the next line starts lower-case, no blank line between) is glued on
            if wrap.glued(a, b):
                continue
            end = a
            space_end = -1
        else:
            # A single period (the run is never cut short: white space follows it) may
            # be an abbreviation's, but not after _LONG_WORD letters (see _is_abbreviation_stop).
            if text[a] == "." and (a < _LONG_WORD or not text[a - _LONG_WORD:a].isalpha()) \
                    and text[a + 1] not in _PUNCT and _is_abbreviation_stop(text, a):
                continue
            space_end = m.end(1)
            if start >= 0:
                # between two punctuation splits: from after the white space to the punctuation
                append((start, b))
                pos, start = b, space_end
                continue
            end = b
        _emit(text, pos, end, out)
        pos, start = b, space_end
    _emit(text, pos, len(text), out)
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
    ("yesterday", "last week", "the following day"). ``period``: ``'since'`` when
    the date starts a period that is still running ("since August 2023": the
    start of a state, not the day of an event), ``'range'`` for "from 1 to 5 May",
    "3-5 May", "between 1 and 5 May" (``date`` is the first day, ``until`` the last).
    """

    start: int
    end: int
    text: str
    date: str
    precision: str
    year_inferred: bool
    relative: bool
    period: str | None = None
    until: str | None = None


_MONTH_NUM = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Russian month names in every case ("ноябрь", "21 ноября", "в ноябре", "ноябрём"), lower case as
# Russian writes them (also capitalised at a sentence start); each form maps to its month number.
_RU_MONTH_STEMS = [("январ", "soft"), ("феврал", "soft"), ("март", "hard"), ("апрел", "soft"), ("ма", "may"),
                   ("июн", "soft"), ("июл", "soft"), ("август", "hard"), ("сентябр", "soft"), ("октябр", "soft"),
                   ("ноябр", "soft"), ("декабр", "soft")]
_RU_ENDINGS = {"soft": ("ь", "я", "е", "ю", "ем", "ём"), "hard": ("", "а", "е", "у", "ом"),
               "may": ("й", "я", "е", "ю", "ем")}
_RU_MONTH_NUM = {stem + e: i for i, (stem, kind) in enumerate(_RU_MONTH_STEMS, 1) for e in _RU_ENDINGS[kind]}
_MONTH_NUM.update(_RU_MONTH_NUM)
_FULL = ["January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"]
# Month names count only capitalised (or in capitals): lower-case "may" and "march" are verbs.
# Written as prefix groups ("Jan(?:uary|\.)?") because the regex engine tries alternatives one by one.
_MONTH_STEMS = [("Jan", "uary"), ("Feb", "ruary"), ("Mar", "ch"), ("Apr", "il"), ("May", None), ("Jun", "e"),
                ("Jul", "y"), ("Aug", "ust"), ("Sep", "tember|t\\.?"), ("Oct", "ober"), ("Nov", "ember"),
                ("Dec", "ember")]


def _month_alt(full_only: bool) -> str:
    alts = []
    for stem, tail in _MONTH_STEMS:
        for st, tl in ((stem, tail), (stem.upper(), tail.upper() if tail else None)):
            if tail is None:
                alts.append(st)
            elif full_only:
                alts.append(st + "(?:" + tl.split("|")[0] + ")")
            else:
                alts.append(st + "(?:" + tl + "|\\.)?")
    return "(?:" + "|".join(alts) + ")"


_MONTH = _month_alt(False)
_MONTH_FULL = _month_alt(True)
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAY = "(?:" + "|".join(_WEEKDAYS) + ")"
# weekdays as they follow "в"/"во" (accusative) and "прошлый", "следующую", "эту" …
_RU_WEEKDAYS = {"понедельник": 0, "вторник": 1, "среду": 2, "четверг": 3, "пятницу": 4, "субботу": 5,
                "воскресенье": 6}
_WEEKDAY_NUM = {**{w: i for i, w in enumerate(_WEEKDAYS)}, **_RU_WEEKDAYS}
# days counted from publication: the English words and the Russian ones
_DAY_SHIFT = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1,
              "позавчера": -2, "вчера": -1, "накануне": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}
_RU_DAY_ADJ = ("сегодняшн", "вчерашн", "завтрашн")       # "с сегодняшнего дня", "вчерашнее заявление"
_RU_UNITS = {"недел": "week", "месяц": "month", "год": "year"}
_DAYNUM = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_NUMWORD = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
_PREP = r"(?:in|since|by|until|till|during|from|through|throughout|before|after|around|в|во|с|со|до|к|после|по)"
_QUAL = (r"(?:early|late|mid-?|the\s+(?:end|beginning|start|middle)\s+of|(?:end|beginning|start|middle)\s+of|"
         r"(?:в\s+)?(?:начале|конце|середине|начала|конца|середины))")
_QSEP = r"(?:\s+|(?<=-))"
# A year followed by a counted noun is a quantity ("in 2000 cases"), not a date.
_NOT_QUANTITY = (r"(?!\s*(?:%|per\s?cent|(?i:people|persons|troops|soldiers|tons|tonnes|km|kilomet\w*|"
                 r"metres|meters|miles|dollars|euros|roubles|rubles|cases|votes|units|times|men|women|"
                 r"children|refugees|migrants|hectares|barrels|jobs|pieces|items|vehicles|tanks)\b))")

# Every date expression contains an anchor (a number, a month or weekday name, or a word such as
# "yesterday", "week", "ago", "day"). The scanner matches anchors only; the words in front of an
# anchor ("in", "the end of", "last", "the following") are checked by the look-back patterns below,
# which run only where an anchor was found. A sentence without any anchor costs one set test.
_B_ISO = r"(?P<iso>(?<![\d.\-/])(?P<iso_y>" + _YEAR + r")-(?P<iso_m>[01]?\d)-(?P<iso_d>[0-3]?\d)(?![\d\-]))"
# Numbers with dots or hyphens are day first ("06.05.2025", "20-07-2018": European and
# Russian sites, agencies such as Interfax): never read month first.
_B_DOT = (r"(?P<dot>(?<![\d.\-])(?P<dot_d>[0-3]?\d)(?P<dot_s>[.\-])(?P<dot_m>[01]?\d)(?P=dot_s)(?P<dot_y>" + _YEAR
          + r")(?![.\-]?\d))")
_B_DM = (r"(?P<dm>(?<![\d.,:])(?P<dm_d>" + _DAYNUM + r")(?:\s*(?:-|–|—|(?i:to|and))\s*(?P<dm_d2>" + _DAYNUM + r"))?"
         r"\s+(?:(?i:of)\s+)?(?P<dm_m>" + _MONTH + r")(?![A-Za-z])(?:,?\s+(?P<dm_y>" + _YEAR + r")(?!\d))?)")
_B_MD = (r"(?P<md>(?P<md_m>" + _MONTH + r")\s+(?P<md_d>" + _DAYNUM + r")(?![\d:.,]\d)(?!\d)"
         r"(?:\s*(?:-|–|—)\s*(?P<md_d2>" + _DAYNUM + r")(?!\d))?(?:,?\s+(?P<md_y>" + _YEAR + r")(?!\d))?" + _NOT_QUANTITY + ")")
_B_MY = r"(?P<my>(?P<my_m>" + _MONTH + r")(?![A-Za-z])\s+(?P<my_y>" + _YEAR + r")(?!\d))"
# (possessive white space: backtracking into a long run of it before a failing digit was quadratic)
_B_PM = r"(?P<pm>(?P<pm_m>" + _MONTH_FULL + r")\b(?!\s*+,?\s*+\d)(?!-))"
_B_PY = r"(?P<py>(?<![\d.,\-–/$€£])(?P<py_y>" + _YEAR + r")(?![\d\-–/])" + _NOT_QUANTITY + ")"
_B_DAYWORD = r"(?P<dayword>(?i:yesterday|today|tonight|tomorrow)\b)"
_B_REL = r"(?P<rel>(?P<rel_u>(?i:weeks?|months?|years?))\b)"
_B_AGO = r"(?P<ago>(?i:ago)\b)"
_B_PREV = r"(?P<prev>(?i:days?)\b)"
_B_WD = r"(?P<wd>(?P<wd_d>" + _WEEKDAY + r")\b(?!\s*+,?\s*+\d))"
# Russian: "21 ноября [2011 года]", "ноябрь 2011", "в ноябре", "в понедельник", "вчера", "на прошлой неделе".
# Month names are matched in any case (lower-case Russian months are no verbs); a year may be followed
# by "года"/"году"/"г.", which is taken into the mention.
_RU_MONTH = "(?i:" + "|".join(sorted(_RU_MONTH_NUM, key=len, reverse=True)) + ")"
_RU_YEAR_WORD = r"(?:\s*(?:года|году|г\.))?"
_B_RDM = (r"(?P<rdm>(?<![\d.,:])(?P<rdm_d>" + _DAYNUM + r")(?:(?:\s*(?:-|–|—)\s*|\s+(?i:по)\s+)(?P<rdm_d2>" + _DAYNUM + r"))?"
          r"\s+(?P<rdm_m>" + _RU_MONTH + r")(?!\w)(?:,?\s+(?P<rdm_y>" + _YEAR + r")(?!\d)" + _RU_YEAR_WORD + ")?)")
_B_RMY = r"(?P<rmy>(?P<rmy_m>" + _RU_MONTH + r")(?!\w)\s+(?P<rmy_y>" + _YEAR + r")(?!\d)" + _RU_YEAR_WORD + ")"
_B_RPM = r"(?P<rpm>(?P<rpm_m>" + _RU_MONTH + r")(?!\w)(?!\s*+,?\s*+\d))"
_B_RWD = r"(?P<rwd>(?P<rwd_d>(?i:" + "|".join(_RU_WEEKDAYS) + r"))(?!\w)(?!\s*+,?\s*+\d))"
_B_RDAYWORD = (r"(?P<rdayword>(?i:" + "|".join(w for w in _DAY_SHIFT if not w.isascii()) + "|"
               + "|".join(a + r"\w+" for a in _RU_DAY_ADJ) + r")(?!\w))")
_B_RAGO = r"(?P<rago>(?i:назад)(?!\w))"
_B_RREL = r"(?P<rrel>(?P<rrel_u>(?i:недел[еияю]|месяц[еау]?|год[уа]?))(?!\w))"
# Each group of branches is entered only when the word's first character can start one of them:
# the engine would otherwise try all twelve branches at every word.
# The guards look at two characters: the first two letters of every month name (Ja, Fe …
# and JA, FE …), weekday (Mo, Tu, We, Th, Fr, Sa, Su) and word (ye, to, we, mo, ag, da in
# any case; no other character matches these letters case-blind), so that most words
# fail before their branches are tried.
_DATE_RE = re.compile(
    r"(?<!\w)(?:"
    r"(?=\d)(?:" + "|".join([_B_ISO, _B_DOT, _B_DM, _B_RDM, _B_PY]) + ")"
    r"|(?=[ADFJMNOS][aepucoAEPUCO])(?:" + "|".join([_B_MD, _B_MY, _B_PM]) + ")"
    r"|(?=[MTWFS][ouehra])" + _B_WD +
    r"|(?=[yYtTwWmMaAdD][eEoOgGaA])(?:" + "|".join([_B_DAYWORD, _B_REL, _B_AGO, _B_PREV]) + ")"
    r"|(?=[а-яёА-ЯЁ])(?:" + "|".join([_B_RMY, _B_RPM, _B_RWD, _B_RDAYWORD, _B_RREL, _B_RAGO]) + ")"
    r")"
)
_KINDS = ("iso", "dot", "dm", "md", "my", "pm", "py", "dayword", "rel", "ago", "prev", "wd",
          "rdm", "rmy", "rpm", "rwd", "rdayword", "rrel", "rago")
_ANCHOR_WORDS = frozenset(
    [m for m in _FULL] + [m.upper() for m in _FULL] + [a for a, _ in _MONTH_STEMS] + ["Sept", "SEPT"] +
    [a.upper() for a, _ in _MONTH_STEMS] + _WEEKDAYS +
    [w2 for w in "yesterday today tonight tomorrow week weeks month months year years day days ago".split()
     for w2 in (w, w.capitalize(), w.upper())] +
    [w2 for w in [*_RU_MONTH_NUM, *_RU_WEEKDAYS, *(w for w in _DAY_SHIFT if not w.isascii()),
                  "неделе", "неделю", "недели", "месяце", "месяца", "году", "года", "назад",
                  *(a + e for a in _RU_DAY_ADJ for e in "ий его ему им ем яя ей юю ее ие их ими".split())]
     for w2 in (w, w.capitalize())])
_ALPHA = re.compile(r"[A-Za-zа-яёА-ЯЁ]+")
_DIGIT = re.compile(r"\d")
_LOOKBACK = 48
# Look-back patterns: what must (or may) stand right before an anchor; searched in the 48
# characters before it and anchored at the anchor with \Z-like endpos matching.
_BACK_QUAL = re.compile(r"(?<!\w)(?P<q>(?i:" + _QUAL + r"))" + _QSEP + r"$")
_BACK_MONTH = re.compile(r"(?<!\w)(?:(?P<rel>(?i:last|this|next))\s+|(?i:" + _PREP + r")\s+)?"
                         r"(?P<q>(?i:" + _QUAL + r")" + _QSEP + r")?$")
_BACK_YEAR = re.compile(r"(?<!\w)(?:(?i:" + _PREP + r"|of)\s+)?(?P<q>(?i:" + _QUAL + r")" + _QSEP + r")?$")
_BACK_REL = re.compile(r"(?<!\w)(?P<w>(?i:last|this|next|earlier\s+this|later\s+this|the\s+previous|the\s+past|"
                       r"the\s+coming|previous|past|coming))\s+$")
_BACK_AGO = re.compile(r"(?<!\w)(?P<n>(?i:" + _NUMWORD + r"))\s+(?P<u>(?i:days?|weeks?|months?|years?))\s+$")
_BACK_PREV = re.compile(r"(?<!\w)(?:(?P<the>(?i:the)\s+(?P<w>(?i:following|next|previous|preceding|same)\s+)?)|"
                        r"(?P<n>(?i:a|one|two|three|four|five|six|seven|\d{1,2}))\s+)$")
_FWD_PREV_THE = re.compile(r"\s+(?P<w>(?i:after|before))\b(?!\s+(?i:yesterday|the|a|an|his|her|its|their)\b)")
_FWD_PREV_N = re.compile(r"\s+(?P<w>(?i:later|earlier))\b")
_FWD_PREV_NOT = re.compile(r"\s+(?i:of|that|when)\b")
_BACK_WD = re.compile(r"(?<!\w)(?P<w>(?i:last|next|this|on|since|by|until))\s+$")
# Russian look-backs: "в/на прошлой неделе", "в этом году"; "в (прошлую) пятницу"
_BACK_REL_RU = re.compile(r"(?<!\w)(?P<w>(?i:прошл|минувш|предыдущ|следующ|будущ|эт|текущ|нынешн)\w*)\s+$")
_BACK_WD_RU = re.compile(r"(?<!\w)(?:(?i:в|во)\s+)?(?P<w>(?i:в|во|прошл\w*|минувш\w*|следующ\w*|ближайш\w*|"
                         r"эт[уоиот]\w*))\s+$")
_RU_REL = {"прош": "last", "мину": "last", "след": "next", "ближ": "next", "эту": "this", "этот": "this", "это": "this"}
# "три дня назад", "две недели назад", "неделю назад", "пять лет назад"
_BACK_AGO_RU = re.compile(r"(?<!\w)(?:(?P<n>(?i:\d{1,2}|одну|один|два|две|три|четыре|пять|шесть|семь|восемь|девять|"
                          r"десять))\s+)?(?P<u>(?i:дн\w*|день|недел\w*|месяц\w*|год\w*|лет))\s+$")
# "накануне визита", "накануне выборов", "накануне Нового года": on the eve of something, no date
_RU_EVE_OF = re.compile(r"\s+[а-яёА-ЯЁ]+(?:а|я|ов|ев|ей|и|ы|ого|его)(?!\w)")
_RU_YEAR_AFTER = re.compile(r"\s*(?:года|году|г\.)")
_BACK_DBY = re.compile(r"(?<!\w)(?i:the\s+day\s+before)\s+$")
# possessive: backtracking into a long run of white space before a failing end was quadratic
_REL_GAP = re.compile(r"\s*+,?\s*+(?:(?i:on|the)\s++)?")
_NUMWORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
             "seven": 7, "eight": 8, "nine": 9, "ten": 10,
             "один": 1, "одну": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
             "восемь": 8, "девять": 9, "десять": 10}

# Tense markers; the marker nearest to a date decides the date's tense. Checked word by word:
# a regex alternation over every position of every sentence costs too much.
_PAST_WORDS = frozenset("""
was were had did been ago last yesterday earlier said told met took held made gave came went began sent left
became brought won lost saw spoke wrote chose fought led paid sold bought broke struck cut kept ran stood
withdrew drew threw flew grew rose fell shook froze sought found heard built spent lent oversaw undertook
agreed disagreed freed guaranteed decreed
""".split())
# a trailing attribution (", the minister said") gives no tense to the clause it reports
_SPEECH_WORDS = frozenset({"said", "told", "stated", "announced", "added", "reported"})
_FUTURE_WORDS = frozenset({"will", "shall", "won't", "won’t", "upcoming", "forthcoming", "next"})
# Modals of possibility look ahead ("may continue in March"), but only in lower case ("May" is
# the month) and not before "have" ("may have moved troops in March" is past).
_MODAL_WORDS = frozenset({"may", "might"})
_FUTURE_LEADS = frozenset({"due", "set", "scheduled", "expected", "planned", "going", "slated", "plans", "plan",
                           "intends", "intend"})
_MARKER_WORDS = _FUTURE_WORDS | _FUTURE_LEADS | _PAST_WORDS | _MODAL_WORDS | {"is", "are"}
_TENSE_TOKEN = re.compile(r"[A-Za-z][A-Za-z’']*")
_TENSE_SPLIT = re.compile(f"({_TENSE_TOKEN.pattern})")     # the words and the gaps between them


def is_past_form(word: str) -> bool:
    """True for a word that marks the past tense: an irregular past form or auxiliary
    of a fixed list ("said", "met", "was") or a lower-case "-ed" form (not "-eed")."""
    w = word.lower()
    return w in _PAST_WORDS or (len(w) > 4 and w.endswith("ed") and w[-3] != "e" and word[0].islower()
                                and w.isalpha())


_NEEDS_PREVIOUS = re.compile(
    r"\b(?i:the\s+(?:following|next|previous|preceding|same)\s+day|the\s+day\s+(?:after|before)"
    r"|(?:a|one|two|three|four|five|six|seven|\d{1,2})\s+days?\s+(?:later|earlier))\b")


def needs_previous(sentence: str) -> bool:
    """True when ``sentence`` has an expression that counts from the date mentioned
    before it ("the following day", "two days later"): only then does
    :func:`find_dates` need ``previous``."""
    # every such expression has "day" in it (no other letter matches d, a or y case-blind)
    return "day" in sentence.lower() and _NEEDS_PREVIOUS.search(sentence) is not None


@functools.lru_cache(maxsize=4096)
def parse_published(published_at: str) -> date:
    """Parse ``'YYYY-MM-DD'`` or ``'YYYY-MM-DD HH:MM[:SS]'`` (``T`` separator allowed)
    into a :class:`datetime.date`; the time is ignored. Raises ``ValueError`` on
    anything else."""
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\s*$",
                 published_at or "")
    if not m:
        raise ValueError(f"published_at must be 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM', got {published_at!r}")
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _marker_rank(words: list[str], i: int) -> int | None:
    """0 if ``words[i]`` marks the future, 1 if the past, None otherwise."""
    word = words[i]
    w = word.lower()
    if w in _FUTURE_WORDS or w.endswith(("'ll", "’ll")):
        return 0
    if w in _MODAL_WORDS:
        if word != w or (i + 1 < len(words) and words[i + 1].lower() == "have"):
            return None
        return 0
    if w in _FUTURE_LEADS or w == "is" or w == "are":
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        if (w in _FUTURE_LEADS and nxt in ("to", "for", "on")) or (w in ("is", "are") and nxt == "to"):
            return 0
    # is_past_form(word)
    if w in _PAST_WORDS or (len(w) > 4 and w.endswith("ed") and w[-3] != "e" and word[0].islower()
                            and w.isalpha()):
        return 1
    return None


def tense_at(sentence: str, pos: int) -> str | None:
    """Tense of the clause around offset ``pos`` of ``sentence``: ``'past'``,
    ``'future'`` or ``None`` (present or unknown), from the nearest tense marker
    ("will", "is set to", "scheduled for", "said", "-ed" forms …). A tie goes to
    ``'future'`` because "scheduled for" also looks like a past form."""
    # the nearest marker is almost always within a clause's length of pos: the words
    # from 70 characters before it to 70 after are read
    best = _nearest_marker(sentence, pos, max(0, pos - 70), pos + 70)
    if best is None:
        return None
    return "future" if best[1] == 0 else "past"


def _nearest_marker(sentence: str, pos: int, lo: int, hi: int) -> tuple[int, int] | None:
    """``(distance, rank)`` of the nearest tense marker among the words of
    ``sentence[lo:hi]`` (rank 0 future, 1 past; see :func:`_marker_rank`)."""
    # the words and the gaps between them, and where each ends, come from C
    parts = _TENSE_SPLIT.split(sentence[lo:hi])
    ends = list(accumulate(map(len, parts)))
    words = parts[1::2]
    # lower-cased in one go (the words are letters and apostrophes, no NUL)
    lows = "\0".join(words).lower().split("\0")
    starts = ends[0:-1:2]       # of the words, relative to lo
    stops = ends[1::2]
    n = len(words)
    rel = pos - lo
    right = bisect_left(starts, rel)
    left = right - 1
    best: tuple[int, int] | None = None
    # walk outwards from pos; the first marker on each side is the nearest there
    while left >= 0 or right < n:
        dl = rel - stops[left] if left >= 0 else None
        dr = starts[right] - rel if right < n else None
        if dr is None or (dl is not None and dl < dr):
            d, i = dl, left
            left -= 1
        else:
            d, i = dr, right
            right += 1
        if best is not None and d > best[0]:
            break
        w = lows[i]
        if w not in _MARKER_WORDS and not w.endswith(("ed", "ll")):
            continue    # no marker (see _marker_rank)
        if w in _MODAL_WORDS and starts[i] >= rel:
            continue    # a modal looks ahead: "resumed on 21 November and may continue" is past
        if w in _SPEECH_WORDS and starts[i] >= rel and "," in sentence[pos:lo + starts[i]]:
            continue    # "will close the border on Thursday, Tusk has said": the saying is not its tense
        rank = _marker_rank(words, i)
        if rank is not None and (best is None or (d, rank) < best):
            best = (d, rank)
    return best


def not_after(iso: str, pub: date) -> str:
    """``iso`` (YYYY-MM-DD) moved back by whole years until it is not after ``pub``:
    a year-less date of something that already happened ("held talks on April 23" in
    an article of 29 March) is last year's. 29 February becomes the 28th."""
    d = date.fromisoformat(iso)
    while d > pub:
        d = _safe_date(d.year - 1, d.month, d.day) or date(d.year - 1, d.month, 28)
    return d.isoformat()


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _nearest_day(month: int, day: int, anchor: date, tense: str | None) -> date | None:
    """The ``month``/``day`` within four years of ``anchor`` nearest to it (never
    after it for ``'past'``, never before it for ``'future'``), None when there is
    none (31 April, 29 February far from a leap year)."""
    # the occurrences grow with the year: only the last one not after the anchor and
    # the first one not before it can be nearest
    below = above = None
    year = anchor.year
    for y in range(year, year - 5, -1):
        try:
            c = date(y, month, day)
        except ValueError:
            continue
        if c <= anchor:
            below = c
            break
    if tense == "past":
        return below
    for y in range(year, year + 5):
        try:
            c = date(y, month, day)
        except ValueError:
            continue
        if c >= anchor:
            above = c
            break
    if tense == "future" or below is None:
        return above
    if above is None:
        return below
    # On a tie the earlier date wins: reports look back more often than ahead.
    return below if anchor - below <= above - anchor else above


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


_DIGITS = re.compile(r"\d+")


def _day(token: str) -> int:
    return int(_DIGITS.match(token).group())


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
    return find_dates_at(sentence, parse_published(published_at), previous=previous, tense=tense)


def find_dates_at(sentence: str, pub: date, *, previous: str | None = None,
                  tense: str | None = None) -> list[DateMention]:
    """:func:`find_dates` with the publication date already parsed (``pub``), for
    callers that read many sentences of one article (event extraction)."""
    if not has_anchor(sentence):
        return []
    return _find_dates(sentence, pub, previous, tense)


def has_anchor(sentence: str) -> bool:
    """The test :func:`find_dates` starts with: a digit or an anchor word (a month
    or weekday name, "yesterday", "week", "ago" …); without one it finds nothing."""
    return _DIGIT.search(sentence) is not None or not _ANCHOR_WORDS.isdisjoint(_ALPHA.findall(sentence))


class _Scan:
    """One sentence being read by :func:`_find_dates`: what every resolver reads
    (the sentence, the publication date, the previous date, the forced tense) and
    the one piece of state carried from match to match."""

    def __init__(self, sentence: str, pub: date, previous: str | None, tense: str | None):
        self.sentence = sentence
        self.pub = pub
        self.prev = date.fromisoformat(previous[:10]) if previous else None
        self.tense = tense
        # (start, end, anchored_on_previous) of a relative phrase an explicit date may follow
        self.pending_rel: tuple[int, int, bool] | None = None
        # the weekdays resolved so far in the sentence, and (end, day) of the last one
        self.weekdays: dict[int, date] = {}
        self.last_weekday: tuple[int, date] | None = None

    def tense_for(self, pos: int) -> str | None:
        return self.tense if self.tense is not None else tense_at(self.sentence, pos)


class _Hit(NamedTuple):
    """A resolved date expression, before it is joined to a relative phrase just before it."""
    start: int
    end: int
    day: date
    precision: str = "day"
    inferred: bool = False
    relative: bool = False
    until: date | None = None    # the last day of a range ("1 to 5 May")


# Each resolver takes the match, the scan and the span of the match's own branch, and
# returns a _Hit, or None when the match is no date (it is then skipped).

def _iso(m: re.Match, s: _Scan, start: int, end: int) -> _Hit | None:
    d = _safe_date(int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]))
    return _Hit(start, end, d) if d else None


def _dotted(m: re.Match, s: _Scan, start: int, end: int) -> _Hit | None:
    d = _safe_date(int(m["dot_y"]), int(m["dot_m"]), int(m["dot_d"]))
    return _Hit(start, end, d) if d else None


def _day_month(m: re.Match, s: _Scan, start: int, end: int) -> _Hit | None:
    """"25 November [2015]" (kind dm) and "November 25[, 2015]" (kind md)."""
    kind = m.lastgroup
    mon = _MONTH_NUM[m[kind + "_m"].rstrip(".").lower()]
    day = _day(m[kind + "_d"])
    year = m[kind + "_y"]
    last = _day(m[kind + "_d2"]) if m[kind + "_d2"] else None
    if last and _AND.search(m[kind]) and not _BACK_BETWEEN.search(s.sentence, _lookback(start), start):
        last = None     # "on 3 and 5 May" names two days; "between 3 and 5 May" is a range
    if year:
        d = _safe_date(int(year), mon, day)
        return _Hit(start, end, d, until=_range_end(d, last)) if d else None
    anchor = s.pub
    # "On the following day, 25 November": the explicit date sits next to the previous one.
    rel = s.pending_rel
    if rel and rel[2] and s.prev and _REL_GAP.fullmatch(s.sentence, rel[1], start):
        anchor = s.prev
    d = _nearest_day(mon, day, anchor, s.tense_for(start) if anchor is s.pub else None)
    return _year_of_rel(s, _Hit(start, end, d, inferred=True, until=_range_end(d, last))) if d else None


def _range_end(first: date, last_day: int | None) -> date | None:
    """The last day of "1 to 5 May" (same month as ``first``), None for a single day
    or a second number that does not come after the first."""
    if last_day is None or last_day <= first.day:
        return None
    return _safe_date(first.year, first.month, last_day)


def _month_year(m: re.Match, s: _Scan, start: int, end: int) -> _Hit | None:
    """"November 2015", "ноябрь 2011 года", with a qualifier before it ("early November 2015",
    "в конце ноября 2011") taken in."""
    kind = m.lastgroup
    d = date(int(m[kind + "_y"]), _MONTH_NUM[m[kind + "_m"].rstrip(".").lower()], 1)
    q = _BACK_QUAL.search(s.sentence, _lookback(start), start)
    if q:
        start = q.start("q")
    return _Hit(start, end, d, "month")


# "the November sanctions", "the March elections": a month before a lower-case noun
_BACK_THE = re.compile(r"(?<!\w)(?i:the)\s+$")
_ATTRIBUTIVE = re.compile(r"\s+[a-z]{3,}\b(?<!\bof)(?<!\band)(?<!\bthe)")


def _month_alone(m: re.Match, s: _Scan, start: int, end: int) -> _Hit | None:
    """A month name without day or year: "in November", "last November", "early March", "в ноябре"."""
    b = _BACK_MONTH.search(s.sentence, _lookback(start), start)
    if b is None or b.start() == start:
        if _ATTRIBUTIVE.match(s.sentence, end) and _BACK_THE.search(s.sentence, _lookback(start), start):
            # "the November sanctions": the month of the thing named after it
            mon = _MONTH_NUM[m[m.lastgroup + "_m"].lower()]
            return _year_of_rel(s, _Hit(start, end, _nearest_month(mon, s.pub, s.tense_for(start)), "month", True))
        return None     # a bare month name ("May I", "March to", "ноябрь") is no date
    mon = _MONTH_NUM[m[m.lastgroup + "_m"].lower()]
    rel = (b["rel"] or "").lower()
    pub = s.pub
    if b["q"]:
        start = b.start("q")
    inferred = False
    if rel == "last":
        d = _nearest_month(mon, _shift_month(pub, -1), "past")
    elif rel == "next":
        d = _nearest_month(mon, _shift_month(pub, 1), "future")
    elif rel == "this":
        d = date(pub.year, mon, 1)
    else:
        d = _nearest_month(mon, pub, s.tense_for(start))
        inferred = True
    if rel:
        return _Hit(b.start("rel"), end, d, "month", inferred, True)
    return _year_of_rel(s, _Hit(start, end, d, "month", inferred))


def _year_alone(m: re.Match, s: _Scan, start: int, end: int) -> _Hit | None:
    """A year after "in", "since", "early" …: "in 2015"."""
    b = _BACK_YEAR.search(s.sentence, _lookback(start), start)
    if (b is None or b.start() == start) and _RU_YEAR_AFTER.match(s.sentence, end) is None:
        return None     # a bare number that looks like a year needs "in", "since", "early" … or "года"
    if b["q"]:
        start = b.start("q")
    return _Hit(start, end, date(int(m["py_y"]), 1, 1), "year")


def _day_word(m: re.Match, s: _Scan, start: int, end: int) -> _Hit | None:
    """"yesterday", "the day before yesterday", "today", "tonight", "tomorrow"; "вчера", "сегодня",
    "накануне" (the day before publication, unless it is "on the eve of" something: "накануне
    визита"), "с сегодняшнего дня"."""
    w = m[m.lastgroup].lower()
    if w == "yesterday":
        b = _BACK_DBY.search(s.sentence, _lookback(start), start)
        if b:
            return _Hit(b.start(), end, s.pub - timedelta(days=2), relative=True)
    if w == "накануне" and _RU_EVE_OF.match(s.sentence, end):
        return None
    shift = _DAY_SHIFT.get(w)
    if shift is None:       # "сегодняшнего", "вчерашнее" …
        shift = -1 if w.startswith("вчера") else 1 if w.startswith("завтра") else 0
    return _Hit(start, end, s.pub + timedelta(days=shift), relative=True)


def _this_unit(m: re.Match, s: _Scan, start: int, end: int) -> _Hit | None:
    """"last week", "earlier this month", "next year" …; "на прошлой неделе", "в этом году" …"""
    if m.lastgroup == "rrel":
        b = _BACK_REL_RU.search(s.sentence, _lookback(start), start)
        if b is None:
            return None
        w = b["w"].lower()
        u = next(v for k_, v in _RU_UNITS.items() if m["rrel_u"].lower().startswith(k_))
        k = -1 if w.startswith(("прошл", "минувш", "предыдущ")) else 1 if w.startswith(("следующ", "будущ")) else 0
    else:
        b = _BACK_REL.search(s.sentence, _lookback(start), start)
        if b is None:
            return None
        w = " ".join(b["w"].lower().split())
        u = m["rel_u"].lower()
        if u.endswith("s"):
            return None
        k = -1 if w in ("last", "the previous", "previous", "the past", "past") else \
            1 if w in ("next", "the coming", "coming") else 0
    pub = s.pub
    if u == "week":
        d = _monday(pub) + timedelta(weeks=k)
    elif u == "month":
        d = _shift_month(pub, k)
    else:
        d = date(pub.year + k, 1, 1)
    return _Hit(b.start("w"), end, d, u, relative=True)


def _ago(m: re.Match, s: _Scan, start: int, end: int) -> _Hit | None:
    """"three days ago", "two weeks ago", "a year ago" …; "три дня назад", "неделю назад" …"""
    if m.lastgroup == "rago":
        b = _BACK_AGO_RU.search(s.sentence, _lookback(start), start)
        if b is None:
            return None
        n = (b["n"] or "1").lower()
        n = _NUMWORDS.get(n) or int(n)
        w = b["u"].lower()
        u = "day" if w.startswith(("дн", "ден")) else "year" if w == "лет" else \
            next(v for k_, v in _RU_UNITS.items() if w.startswith(k_))
        if b["n"] is None:
            b = _NoNumber(b.start("u"))
    else:
        b = _BACK_AGO.search(s.sentence, _lookback(start), start)
        if b is None:
            return None
        n = b["n"].lower()
        n = _NUMWORDS.get(n) or int(n)
        u = b["u"].lower().rstrip("s")
    pub = s.pub
    if u == "day":
        d = pub - timedelta(days=n)
    elif u == "week":
        d = _monday(pub - timedelta(weeks=n))
    elif u == "month":
        d = _shift_month(pub, -n)
    else:
        d = date(pub.year - n, 1, 1)
    return _Hit(b.start("n"), end, d, u, relative=True)


class _NoNumber:
    """The look-back of "неделю назад" (no number): where the phrase starts."""

    def __init__(self, at: int):
        self.at = at

    def start(self, _group: str) -> int:
        return self.at


def _from_previous(m: re.Match, s: _Scan, start: int, end: int) -> _Hit | None:
    """Days counted from the date mentioned before: "the following day", "the day
    after", "two days later". Remembered as a pending phrase even without that date,
    so that an explicit date right after it is one mention with it."""
    sentence = s.sentence
    b = _BACK_PREV.search(sentence, _lookback(start), start)
    if b is None:
        return None
    word = m["prev"].lower()
    if b["the"] is not None and b["w"]:
        if word != "day":
            return None
        w = b["w"].split()[0].lower()
        delta = 0 if w == "same" else -1 if w in ("previous", "preceding") else 1
        start = b.start("the")
    elif b["the"] is not None:
        f = _FWD_PREV_THE.match(sentence, end)
        if word != "day" or f is None:
            return None
        delta = 1 if f["w"].lower() == "after" else -1
        start, end = b.start("the"), f.end()
    else:
        f = _FWD_PREV_N.match(sentence, end)
        if f is None:
            return None
        n = b["n"].lower()
        n = _NUMWORDS.get(n) or int(n)
        delta = n if f["w"].lower() == "later" else -n
        start, end = b.start("n"), f.end()
    if _FWD_PREV_NOT.match(sentence, end):
        return None     # "the day of the vote", "the next day that …"
    s.pending_rel = (start, end, True)
    if s.prev is None:
        return None     # no date to count from ("a week or two", "the next day" alone)
    return _Hit(start, end, s.prev + timedelta(days=delta), relative=True)


def _weekday(m: re.Match, s: _Scan, start: int, end: int) -> _Hit | None:
    """"on Tuesday", "last Friday", "next Monday" …; "в понедельник", "в прошлую пятницу" …"""
    kind = m.lastgroup
    wd = _WEEKDAY_NUM[m[kind + "_d"].lower() if kind == "rwd" else m[kind + "_d"]]
    if kind == "rwd":
        b = _BACK_WD_RU.search(s.sentence, _lookback(start), start)
        if b is None:
            return None     # "среду" alone is more often "environment" than Wednesday
        rel = _RU_REL.get(b["w"].lower()[:4], "on")
    else:
        b = _BACK_WD.search(s.sentence, _lookback(start), start)
        rel = b["w"].lower() if b else ""
    if b:
        start = b.start("w")
    s.pending_rel = (start, end, False)
    d = _weekday_day(s, wd, rel, start)
    s.weekdays.setdefault(wd, d)
    s.last_weekday = (end, d)
    return _Hit(start, end, d, relative=True)


def _weekday_day(s: _Scan, wd: int, rel: str, start: int) -> date:
    """The day of weekday ``wd`` (0 Monday) said with ``rel`` ("last", "next", "this", "on", "")
    at ``start``. A weekday named again in the sentence is the same day ("we will close it on
    Thursday at midnight, from Thursday to Friday"), and the end of a range ("from Thursday to
    Friday") follows its start."""
    last = s.last_weekday
    if rel in ("", "on", "by", "until", "since"):
        if last and _RANGE_GAP.fullmatch(s.sentence, last[0], start):
            return last[1] + timedelta(days=(wd - last[1].weekday()) % 7 or 7)
        if wd in s.weekdays:
            return s.weekdays[wd]
    pub = s.pub
    back = (pub.weekday() - wd) % 7
    ahead = (wd - pub.weekday()) % 7
    if rel == "last":
        return pub - timedelta(days=back or 7)
    if rel == "next":
        return pub + timedelta(days=ahead or 7)
    if rel == "this":
        return _monday(pub) + timedelta(days=wd)
    if s.tense_for(start) == "future":
        return pub + timedelta(days=ahead)
    return pub - timedelta(days=back)


# One resolver per kind of date expression (the named branch of _DATE_RE that matched).
_RESOLVERS = {
    "iso": _iso, "dot": _dotted, "dm": _day_month, "md": _day_month, "my": _month_year,
    "pm": _month_alone, "py": _year_alone, "dayword": _day_word, "rel": _this_unit,
    "ago": _ago, "prev": _from_previous, "wd": _weekday,
    "rdm": _day_month, "rmy": _month_year, "rpm": _month_alone, "rwd": _weekday, "rdayword": _day_word,
    "rrel": _this_unit, "rago": _ago,
}
# Explicit dates absorb a relative phrase just before them ("on the following day, 25 November").
_EXPLICIT = frozenset({"iso", "dot", "dm", "md", "rdm"})
# Relative phrases that stay pending for the next explicit date (every other date ends it).
_PENDING = frozenset({"prev", "wd", "rwd"})


# "since August 2023", "ever since 5 May": the start of a period still running.
_BACK_SINCE = re.compile(r"(?<!\w)(?i:since|с|со)\s+(?:(?i:on|the|начала|середины|конца)\s+)?$")
# "from 1 May to 3 June", "between 2014 and 2016": the gap between a range's two dates.
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|(?i:to|until|till|through|and))\s*")
_BACK_RANGE = re.compile(r"(?<!\w)(?i:from|between)\s+$")
_BACK_BETWEEN = re.compile(r"(?<!\w)(?i:between)\s+$")
_AND = re.compile(r"(?i:\band\b)")


# "by 1 September", "until 2030", "no later than Friday", "до 1 марта": the deadline of a measure
_BACK_BY = re.compile(r"(?<!\w)(?i:by|until|till|before|no\s+later\s+than|до)\s+(?:(?i:the|end\s+of|the\s+end\s+of)\s+)?$")
# "February last year", "5 May of next year", "в феврале прошлого года": the year of a year-less date
_FWD_YEAR_REL = re.compile(r"(?:\s*+,)?\s++(?:(?i:of)\s++)?(?P<w>(?i:last|this|next|the\s+previous|previous|the\s+following|"
                           r"прошлого|этого|текущего|следующего|будущего))\s+(?i:year|года)(?!\w)")
_YEAR_REL_SHIFT = {"last": -1, "previous": -1, "the previous": -1, "прошлого": -1, "this": 0, "этого": 0,
                   "текущего": 0, "next": 1, "the following": 1, "следующего": 1, "будущего": 1}


def _year_of_rel(s: "_Scan", hit: "_Hit") -> "_Hit":
    """``hit`` (a year-less month or day) moved to the year a following "last year" names,
    with the phrase taken in; ``hit`` itself when none follows."""
    f = _FWD_YEAR_REL.match(s.sentence, hit.end)
    if f is None or not hit.inferred:
        return hit
    year = s.pub.year + _YEAR_REL_SHIFT[" ".join(f["w"].lower().split())]
    d = _safe_date(year, hit.day.month, hit.day.day)
    if d is None:
        return hit
    return hit._replace(end=f.end(), day=d, inferred=False, relative=True, until=None)


def _deadline(sentence: str, start: int) -> bool:
    """Whether the mention at ``start`` is a deadline: "by" before it, or its own first word
    ("by Friday" is read as one weekday mention)."""
    return (_BACK_BY.search(sentence, _lookback(start), start) is not None
            or _BACK_BY.match(sentence[start:start + 20].split(" ")[0] + " ") is not None)


def _since(sentence: str, start: int) -> bool:
    return _BACK_SINCE.search(sentence, _lookback(start), start) is not None


def _join_range(sentence: str, out: list[DateMention], hit: _Hit, start: int) -> bool:
    """Turn "from A to B" / "between A and B" into one mention of A with ``until`` B when
    ``hit`` is B, A is the last mention and nothing else stands between them."""
    if not out or out[-1].relative or out[-1].period:
        return False
    a = out[-1]
    if not _RANGE_GAP.fullmatch(sentence, a.end, start) or hit.day.isoformat() <= a.date:
        return False
    if not _BACK_RANGE.search(sentence, _lookback(a.start), a.start):
        return False
    a.end, a.text, a.period, a.until = hit.end, sentence[a.start:hit.end], "range", hit.day.isoformat()
    return True


def _lookback(start: int) -> int:
    """Where the words before a match that qualify it ("in", "last", "the following") are looked for."""
    return max(0, start - _LOOKBACK)


def _find_dates(sentence: str, pub: date, previous: str | None, tense: str | None) -> list[DateMention]:
    """:func:`find_dates` after its argument checks, for a sentence with an anchor."""
    s = _Scan(sentence, pub, previous, tense)
    out: list[DateMention] = []
    for m in _DATE_RE.finditer(sentence):
        kind = m.lastgroup     # the branch's own group closes last
        if out and m.start(kind) < out[-1].end:
            continue    # read already as part of the mention before ("February last year")
        try:
            hit = _RESOLVERS[kind](m, s, m.start(kind), m.end(kind))
        except (ValueError, OverflowError):
            continue    # a date before year 1 or after 9999: only reachable from absurd publication dates
        if hit is None:
            continue
        start = hit.start
        # A relative phrase directly before an explicit date is the same date: absorb it.
        if kind in _EXPLICIT and out and out[-1].relative and _REL_GAP.fullmatch(sentence, out[-1].end, start):
            start = out.pop().start
        elif kind in _EXPLICIT and s.pending_rel and _REL_GAP.fullmatch(sentence, s.pending_rel[1], start):
            start = s.pending_rel[0]
        if kind not in _PENDING:
            s.pending_rel = None
        if _join_range(sentence, out, hit, start):
            continue
        period = "range" if hit.until else "since" if _since(sentence, start) else \
            "by" if _deadline(sentence, start) else None
        out.append(DateMention(start, hit.end, sentence[start:hit.end], hit.day.isoformat(), hit.precision,
                               hit.inferred, hit.relative, period, hit.until.isoformat() if hit.until else None))
    return out

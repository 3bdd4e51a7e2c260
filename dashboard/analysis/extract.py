"""Events from article text: who did what to whom, when, coded in CAMEO.

``extract_events(text, published_at)`` reads a text sentence by sentence:

1. actors come from :func:`dashboard.analysis.actors.mentions` (countries, blocs, capitals,
   seats of power, office holders); a capital or seat after "in"/"at" is a venue,
   not an actor (for meetings and agreements any place after "in"/"at"/"near"
   is, and what talks are "on" or "about" is a topic); an adjective ("Belarusian
   NPP") is an acting subject only when it qualifies a government, person or
   force ("Belarusian authorities") or the action noun itself;
2. an action word or phrase from ``tables/actions.tsv`` decides the CAMEO code;
   the actor before it acts on the actor after it, with passives ("hosted by
   Warsaw"), "A and B met", "talks between A and B" and lists ("from Poland and
   Lithuania") handled; a sentence needs two distinct actors and an action.
   Cooperation after a negation ("refused to buy") gives nothing, material
   cooperation after a modal or promise ("could place missiles") becomes intent
   (031x/033x/035x), and actions mentioned as background ("since the invasion",
   "over the poisoning", "if Russia invaded", "at the summit") give nothing;
3. the date is the sentence's date right before the action noun ("the November
   sanctions"), else its most precise date expression, the one nearest to the action
   word among equals (:mod:`dashboard.analysis.dates`); a deadline ("by Sept. 1"), the
   start of a period ("since 2023"), a dateline's date ("VILNIUS, Jan 31 -") and a date
   in a later clause of its own (", after Britain last year blamed Moscow") are not the
   action's. Else the latest date of an earlier sentence of the same paragraph (not for
   a view quoted from a statement), else, for a past-tense action (quoted words count
   as said when the saying is in the past), the week of the day told before it when it
   follows with "then", or the day of the news (the first day the lede names within a
   week of publication, else the first such day further on; a dateline's day only when
   no other), else the publication date (precision ``day`` for a present-tense
   sentence, ``week`` otherwise and for an ongoing "are massing"); each step lowers the
   confidence. A measure announced for a later day (or due by it) is dated on the day of
   the announcement, with "announced for <day>" as its warning; a written date after
   publication in a past-tense sentence is a target ("by 2030, Putin said"), not the
   event's date;
4. the same happening told twice in one text (same actor pair, same date, same
   CAMEO root) is one event with several evidence spans; different roots are
   different events ("held talks and signed agreements": 04 and 05);
5. an office holder named with an office he or she did not hold on the event
   date ("Russian President Medvedev" in 2015) lowers the confidence and sets
   ``warning``.

Tables: ``tables/cameo.tsv`` (CAMEO codes, names and Goldstein values as GDELT
publishes them; read by :mod:`dashboard.knowledge.cameo`, whose ``cameo``, ``quad_class`` and
``goldstein`` are re-exported here) and ``tables/actions.tsv`` (the action lexicon; its header says
how to extend it). Both are read once per process.

Russian: a text with more Cyrillic than Latin letters (:func:`is_russian`) is read with
``tables/actions_ru.tsv`` (:func:`lexicon_ru`: each ``word~`` in every form, made by pymorphy3 once
per process) and the clause rules of :mod:`dashboard.analysis.roles_ru` where Russian needs its own
(places and topics by case, passive participles, negation, reported speech); steps 1 and 3–5 are
the same. An English text never reads either.
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import re
from dataclasses import dataclass, field
from datetime import timedelta

from dashboard.analysis import actors, roles, roles_ru, years
from dashboard.analysis.language import is_russian  # noqa: F401  (extract.is_russian: the lexicon's choice)
from dashboard.analysis.dates import (find_dates_at, is_past_form, needs_previous, not_after, paragraphs,
                                      parse_published, sentences, tense_at)
from dashboard.knowledge import Row, parse_table
from dashboard.knowledge.cameo import cameo, codebook, goldstein, quad_class

__all__ = ["ExtractedEvent", "extract_events", "cameo", "quad_class", "goldstein", "lexicon", "Lexicon", "Action"]

_DIGIT = re.compile(r"\d")


@dataclass
class ExtractedEvent:
    """One event found in a text.

    ``key``: stable id (16 hex digits) from the publication day, the first evidence
    sentence, the sorted actor pair and the CAMEO root, so that analyst edits keyed
    on it survive re-extraction. ``actor1`` acts on ``actor2`` (ISO 3166-1 alpha-3
    or a bloc code such as EU, NATO). ``date``: ISO ``YYYY-MM-DD`` or ``None``;
    ``date_precision``: ``day`` | ``week`` (date is the Monday) | ``month`` (the
    1st) | ``year`` (1 January); ``year_inferred``: the text gave no year.
    ``cameo_code``/``root_code``: CAMEO strings with leading zeros ("0312", "03");
    ``quad_class`` 1–4; ``goldstein`` −10…+10. ``evidence``: the first sentence
    that tells of the event, at ``text[char_start:char_end]``; ``spans``: every
    such sentence as ``(start, end)`` offsets into the text, first one first.
    ``confidence`` 0–1. ``warning``: a human-readable doubt, e.g. an office holder
    who did not hold the office on the date.
    """

    key: str
    actor1: str
    actor2: str
    date: str | None
    date_precision: str | None
    year_inferred: bool
    cameo_code: str
    root_code: str
    quad_class: int
    goldstein: float
    evidence: str
    char_start: int
    char_end: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    confidence: float = 0.0
    warning: str | None = None


# --------------------------------------------------------------------------- action lexicon

@dataclass(frozen=True)
class Action:
    """One row of ``tables/actions.tsv``: ``pattern`` as written, ``code`` (CAMEO),
    ``direction`` (forward | passive | by_against | mutual | report | ignore), ``notes``,
    ``words`` (number of pattern tokens, the tie-break between rows)."""

    pattern: str
    code: str
    direction: str
    notes: str
    words: int


_DIRECTIONS = {"forward", "passive", "by_against", "mutual", "report", "ignore"}
_GAP = {"*": 3, "**": 6, "***": 12}


def _inflect(word: str) -> str:
    w = re.escape(word)
    if word.endswith("ee"):
        return w + r"(?:s|d|ing)?"
    if word.endswith("e"):
        return re.escape(word[:-1]) + r"(?:e|es|ed|ing)"
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return re.escape(word[:-1]) + r"(?:y|ies|ied|ying)"
    last = re.escape(word[-1])
    return w + rf"(?:s|es|ed|ing|{last}ed|{last}ing)?"


def _token_regex(token: str) -> str:
    alts = []
    for alt in token.split("|"):
        if alt.endswith("~"):
            alts.append(_inflect(alt[:-1]))
        elif alt.endswith("*") and len(alt) > 1:
            alts.append(re.escape(alt[:-1]) + r"\w*")     # a stem (tables/actions_ru.tsv)
        else:
            alts.append(re.escape(alt))
    return "(?:" + "|".join(alts) + ")"


def _pattern_regex(pattern: str) -> str:
    out = []
    pending_gap = 0
    for tok in pattern.split():
        if tok in _GAP:
            pending_gap = _GAP[tok]
            continue
        if out:
            # a gap word may carry quotes or a possessive: “Iskander”, Belarus’
            out.append(r"\W+" if not pending_gap else rf"\W+(?:\w[^\s;:]*\W+){{0,{pending_gap}}}?")
        out.append(_token_regex(tok))
        pending_gap = 0
    return r"(?<![\w-])" + "".join(out) + r"(?![\w-])"


def _forms(token: str) -> set[str]:
    """Lower-case word forms the first token of a pattern can take (mirrors :func:`_inflect`)."""
    out: set[str] = set()
    for alt in token.lower().split("|"):
        if not alt.endswith("~"):
            out.add(alt)
            continue
        w = alt[:-1]
        if w.endswith("ee"):
            out.update(w + x for x in ("", "s", "d", "ing"))
        elif w.endswith("e"):
            out.update(w[:-1] + x for x in ("e", "es", "ed", "ing"))
        elif w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
            out.update(w[:-1] + x for x in ("y", "ies", "ied", "ying"))
        else:
            out.update(w + x for x in ("", "s", "es", "ed", "ing", w[-1] + "ed", w[-1] + "ing"))
    return out


_TOKEN = re.compile(r"[A-Za-z][A-Za-z-]*")
_TOKEN_RU = re.compile(r"[а-яё][а-яё-]*")


@dataclass(frozen=True)
class Lexicon:
    """The compiled action lexicon: ``actions`` in precedence order (more words
    first), one compiled case-insensitive regex per action, and an index from the
    lower-case forms of each pattern's first word to the actions that start with it."""

    actions: tuple[Action, ...]
    regexes: tuple[re.Pattern, ...]
    index: dict
    # the words a first word can be (Latin letters; Cyrillic for the Russian lexicon)
    token: re.Pattern = _TOKEN
    # Russian: the forms of the lexicon's words that are passive participles ("выслан", "вызваны")
    passive: frozenset = frozenset()
    # per first word: one regex trying its actions' regexes in precedence order, each as
    # a group (a regex alternation takes the first alternative that matches), compiled
    # on first use
    _by_word: dict = field(default_factory=dict, compare=False, repr=False)

    def _word_regex(self, w: str) -> tuple[re.Pattern, tuple[int, ...]]:
        got = self._by_word.get(w)
        if got is None:
            ids = self.index[w]
            regexes = self.regexes
            got = self._by_word[w] = (re.compile("|".join(f"({regexes[i].pattern})" for i in ids), re.I), ids)
        return got

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, Action]]:
        """Non-overlapping action matches in ``text[start:end]``, leftmost first and,
        at one place, the row of highest precedence: ``[(start, end, Action), …]``."""
        end = len(text) if end is None else end
        return self.find_low(text, _lower(text), start, end)

    def find_low(self, text: str, low: str, start: int, end: int) -> list[tuple[int, int, Action]]:
        """:meth:`find` with ``low`` the lower-cased ``text`` (``_lower(text)``),
        for finding in many parts of one text without lowering it again."""
        index = self.index
        hits = index.keys() & set(self.token.findall(low, start, end))
        if not hits:
            return []
        starts = []
        for w in hits:
            n = len(w)
            i = low.find(w, start, end)
            while i >= 0:
                j = i + n
                if (i == start or not _is_token_char(low[i - 1])) and (j >= end or not _is_token_char(low[j])):
                    starts.append((i, w))
                i = low.find(w, j, end)
        starts.sort()
        out = []
        pos = start
        actions, by_word = self.actions, self._by_word
        for t0, w in starts:
            if t0 < pos:
                continue
            rx, ids = by_word.get(w) or self._word_regex(w)
            m = rx.match(text, t0, end)
            if m:
                pos = m.end()
                out.append((t0, pos, actions[ids[m.lastindex - 1]]))
        return out


def _is_token_char(c: str) -> bool:
    return c.isalpha() or c == "-"


def _lower(text: str) -> str:
    """``text.lower()`` with the offsets of ``text``: the few letters that change
    length when lowered are kept as they are."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low


def _action(cells: Row) -> Action:
    """One row of ``tables/actions.tsv`` (pattern, cameo_code, direction, notes) checked; a
    ValueError here is reported with the file and line by the table reader."""
    pattern, code, direction = cells[:3]
    notes = cells[3] if len(cells) > 3 else ""
    if direction not in _DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}")
    if code not in codebook():
        raise ValueError(f"unknown CAMEO code {code!r}")
    if not pattern or pattern.split()[0] in _GAP:
        raise ValueError("a pattern must start with a word")
    words = sum(1 for t in pattern.split() if t not in _GAP)
    return Action(pattern, code, direction, notes, words)


@functools.cache
def lexicon() -> Lexicon:
    """The action lexicon ``tables/actions.tsv`` compiled (see :class:`Lexicon`).
    Rows with more words come first so that the longer phrase wins. Raises
    ``ValueError`` naming the line of a malformed row or an unknown CAMEO code."""
    return _compile("actions.tsv", lambda pattern: pattern)


def _compile(table: str, expand, token: re.Pattern = _TOKEN, passive: frozenset = frozenset()) -> Lexicon:
    """The :class:`Lexicon` of an action table; ``expand`` rewrites a pattern before it is compiled."""
    actions = parse_table(table, _action, header=("pattern", "cameo_code", "direction", "notes"), width=3)
    actions.sort(key=lambda a: (-a.words, -len(a.pattern)))
    patterns = [expand(a.pattern) for a in actions]
    regexes = tuple(re.compile(_pattern_regex(p), re.I) for p in patterns)
    index: dict[str, list[int]] = {}
    for i, p in enumerate(patterns):
        for form in _forms(p.split()[0]):
            index.setdefault(form, []).append(i)
    return Lexicon(tuple(actions), regexes, {k: tuple(v) for k, v in index.items()}, token, passive)


@functools.cache
def lexicon_ru() -> Lexicon:
    """The Russian action lexicon ``tables/actions_ru.tsv`` compiled: each ``word~`` becomes every form
    of the word (:func:`dashboard.analysis.actors_ru.word_forms`, once per process), then the rows are
    compiled as :func:`lexicon` compiles English ones."""
    from dashboard.analysis.actors_ru import word_forms
    passive: set[str] = set()

    def expand(pattern: str) -> str:
        out = []
        for n, tok in enumerate(pattern.split()):
            alts = []
            for alt in tok.split("|"):
                if alt.endswith("~"):
                    forms, pas = word_forms(alt[:-1])
                    passive.update(pas)
                    alts.extend(sorted(forms, key=len, reverse=True))
                else:
                    if n == 0 and alt.endswith("*") and len(alt) > 1:
                        raise ValueError("a stem* cannot start a pattern")
                    alts.append(alt.lower() if alt.isalpha() and not alt.isupper() else alt)
            out.append("|".join(alts))
        return " ".join(out)

    lex = _compile("actions_ru.tsv", expand, _TOKEN_RU)
    return Lexicon(lex.actions, lex.regexes, lex.index, _TOKEN_RU, frozenset(passive))


# --------------------------------------------------------------------------- context rules

_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around", "on", "about", "over", "regarding",
                    "concerning"})
_VENUE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around", "в", "во", "на"})   # (Russian: roles_ru.preposition)
_AFFILIATION_NOUNS = frozenset({"envoy", "ambassador", "representative", "delegate", "mission", "delegation"})
_CHAIN_SEP = re.compile(r"\s*(?:,\s*and|,|and|&|as well as|-|–|/)\s*(?:the\s+)?", re.I)
_CHAIN_NOUNS = re.compile(r"\s+(?P<nouns>(?:[\w’'-]+\s+){1,2}?)(?:and|,)\s+(?:the\s+)?", re.I)
_BE_AUX = re.compile(r"\b(?:was|were|been|being|is|are|be|get|got)\s+(?:\w+\s+)?$", re.I)
_BY_AFTER = re.compile(r"\s+(?:by|of)\s+", re.I)
# Context words are checked on the few words before an action word (str.split, set look-ups):
# regexes anchored at the action word would be tried at every position of the window.
_MODALS = frozenset("""
could would may might will shall can plan plans planning planned intend intends intended ready offer offers
offered promise promises promised pledge pledges pledged agree agrees agreed want wants wanted propose proposes
proposed expect expects expected going aim aims prepared willing decided decides consider considers considered
considering
""".split())
_HEDGE_MODALS = frozenset({"could", "might", "may", "would", "can"})
_SPECULATION = frozenset({"could", "might", "may"})
_NEG_WORDS = frozenset({"not", "never", "no", "without"})
_NEG_STEMS = ("suspend", "halt", "stop", "cut", "cancel", "postpon", "abandon", "scrap", "freez")
_NEG_BEFORE_TO = ("refus", "declin", "fail", "reluctan", "unwilling")
_BG_TIME = frozenset({"since", "before", "after", "until", "during"})
_BG_REASON = frozenset({"for", "over", "against", "about"})
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her"})
_BG_IN_STEMS = ("retaliat", "protest", "response", "solidarity", "exchange")


# apostrophes stay: "didn’t" must still read as a negation
_STRIP_PUNCT = str.maketrans({c: " " for c in "\"“”(),"})


def _words_before(text: str, pos: int, n: int, span: int = 64) -> list[str]:
    """The last ``n`` white-space separated words before ``pos`` (lower-case, outer
    punctuation stripped); empty when ``pos`` does not follow white space."""
    if pos == 0 or not text[pos - 1].isspace():
        return []
    return text[max(0, pos - span):pos].translate(_STRIP_PUNCT).lower().split()[-n:]


def _strip_punct(text: str) -> str:
    """``text.translate(_STRIP_PUNCT)`` (a translate looks each character up in a
    dict, a few replaces only search)."""
    for c in "\"“”(),":
        if c in text:
            text = text.replace(c, " ")
    return text


class _Doc:
    """One text and what is read from it once rather than per sentence: the text
    lower-cased, for the action lexicon, and also stripped of quotes and brackets,
    for :func:`_words_before`."""

    __slots__ = ("text", "lex", "ru", "_low", "_plain")

    def __init__(self, text: str, lex: Lexicon):
        self.text = text
        self.lex = lex
        self.ru = lex.token is _TOKEN_RU     # read with the Russian rules (roles_ru)
        self._low = self._plain = None

    def _make_plain(self) -> str:
        """``text.translate(_STRIP_PUNCT).lower()`` when a slice of it is the same as
        doing that to the slice (no letter changes length, no capital sigma, whose
        lower case depends on the letters around it); else ""."""
        text = self.text
        low = _strip_punct(text).lower()
        self._plain = low if len(low) == len(text) and "\u03a3" not in text else ""
        return self._plain

    def words_before(self, s0: int, pos: int, n: int, span: int = 64) -> list[str]:
        """:func:`_words_before` ``(text[s0:s1], pos, n, span)`` for the sentence at ``s0``."""
        text = self.text
        p = s0 + pos
        if pos == 0 or not text[p - 1].isspace():
            return []
        plain = self._plain
        if plain is None:
            plain = self._make_plain()
        lo = p - span
        if lo < s0:
            lo = s0
        if plain:
            return plain[lo:p].split()[-n:]
        return text[lo:p].translate(_STRIP_PUNCT).lower().split()[-n:]

    def low(self) -> str:
        """The text lower-cased, same offsets (:func:`_lower`)."""
        if self._low is None:
            self._low = _lower(self.text)
        return self._low

    def actions(self, s0: int, s1: int) -> list[tuple[int, int, Action]]:
        """``lex.find(text[s0:s1])`` with offsets relative to ``s0``, for a sentence of
        :func:`sentences`: white space (or the text's ends) on both sides, so that
        its words are the same inside the text as alone."""
        return [(t0 - s0, t1 - s0, a) for t0, t1, a in self.lex.find_low(self.text, self.low(), s0, s1)]


def _negated(words: list[str]) -> bool:
    """"not", "never", "refused to", "halted", "ban on" … among the last four words."""
    last4 = words[-4:]
    n = len(last4)
    for i, w in enumerate(last4):
        if w in _NEG_WORDS or w.endswith(("n't", "n’t")) or w.startswith(_NEG_STEMS):
            return True
        if i + 1 < n:
            nxt = last4[i + 1]
            if (nxt == "to" and w.startswith(_NEG_BEFORE_TO)) or (w == "ban" and nxt == "on") \
                    or (w == "instead" and nxt == "of"):
                return True
    return False


_SETTING_NOUNS = frozenset({"summit", "meeting", "talks", "conference", "negotiations", "session", "call",
                            "conversation"})


def _background(words: list[str], trigger: str) -> bool:
    """"since the invasion", "over the poisoning", "in retaliation", "if Russia
    invaded", "at the summit": a reference to another, hypothetical or surrounding
    happening, not a report of one ("at their meeting" is one: the actors' own)."""
    if not words:
        return False
    last3 = words[-3:]
    if "if" in last3 or "unless" in last3:
        return True
    if ("at" in last3 or "during" in last3 or "in" in last3) and trigger.lower().split()[-1] in _SETTING_NOUNS:
        # "at their meeting": the meeting of the sentence's own actors is what it reports
        return last3[-1] != "their"
    last = words[-1]
    if last == "in":
        return trigger.lower().startswith(_BG_IN_STEMS)
    if last == "than":
        return True     # "more focused on propping up Assad than fighting Islamic State": a comparison
    if last in _DETERMINERS and trigger.lower() == "fight":
        return True     # "allies in the fight against the Islamic State": a campaign named, not an act
    if last in _BG_REASON:
        return True
    if len(words) >= 2:
        prev = words[-2]
        # "for Western sanctions", "over the poisoning"
        if prev in _BG_REASON or (prev in _BG_TIME and last in _DETERMINERS):
            return True
    return False


_NEGATION_INSIDE = re.compile(r"\b(?:not|no|never)\b|n[’']t\b", re.I)
# nouns that make a nationality adjective an actor: "Belarusian authorities", "Polish farmers"
_AGENT_NOUNS = frozenset("""
chancellor premier secretary spokesman spokeswoman spokesperson king queen speaker treasury department
giant monopoly firm operator railways railway producer producers exporter exporters utility agency agencies member
foreign defence defense interior deputy senior top delegates envoys ambassadors officers
authorities authority government governments president presidents prime minister ministers ministry leader leaders
leadership officials official side delegation delegations diplomats diplomat troops forces force army military
navy border guards guard embassy ambassador envoy fm counterpart counterparts parliament lawmakers deputies
state media regime administration cabinet court prosecutors security services service intelligence
police soldiers jets warships company companies authorities' negotiators team
farmers truckers hauliers protesters activists workers students firms businesses banks investors hackers
carriers airlines regulators customs officers guards lawmakers senators mps
""".split())
_WORD = re.compile(r"[\w’'-]+")
# nouns whose "of X" names the one who acts ("the visit of X", "the withdrawal of Russia");
# for "invasion of X", "annexation of X" X is the target and the default rules apply
_OF_BEFORE = re.compile(r"\bof\s+(?:the\s+)?$", re.I)
_OF_AGENT_NOUN = re.compile(r"(?:visit|visits|statement|withdrawal|meeting|decision|proposal|refusal|protest|demand|"
                            r"call|offer|accusations?|delegation)$", re.I)
_INTENT = {"06": "031", "060": "031", "061": "0311", "062": "0312", "063": "0313", "064": "0314",
           "07": "033", "070": "033", "071": "0331", "072": "0332", "073": "0333", "074": "0334", "075": "033",
           "08": "035", "080": "035", "081": "0351", "0811": "0351", "082": "0352", "084": "0353", "0841": "0353",
           "0842": "0353", "085": "0354", "086": "0355", "0871": "0356", "087": "0356", "0874": "0356"}
_RIGHT_WINDOW_WORDS = 12


@dataclass(slots=True)
class _Cand:
    """An actor mention inside one sentence, offsets relative to the sentence.
    ``prep``/``prep_start``: a preposition right before it ("in Minsk", "on Ukraine")."""

    actor: str
    start: int
    end: int
    kind: str
    agentive: bool
    person: str | None
    office: str | None
    prep: str | None = None
    prep_start: int = -1
    surface: str = ""


@dataclass(slots=True)
class _Raw:
    actor1: str
    actor2: str
    code: str
    direction: str
    words: int
    sent: tuple[int, int]
    trig: int
    date: str | None
    precision: str | None
    inferred: bool
    date_source: str
    planned: str | None         # the day a measure announced for later is to happen
    fallback_pair: bool
    cands: list[_Cand]
    implied: str | None = None  # the party the sentence leaves unnamed, from the article's pair


def _priority(code: str, direction: str, words: int) -> tuple:
    # a reporting verb loses to any act; of material conflict the gravest root ("opened fire on and
    # seized": the firing); a specific code to its "not specified" parent
    root = code[:2] if code[:2] >= "14" else ""
    return (direction != "report", root, len(code), not code.endswith("0"), words)


def _is_agentive(sentence: str, end: int, kind: str, ru: bool = False) -> bool:
    if kind != "adjective":
        return True
    for w in _WORD.findall(sentence, end, min(len(sentence), end + 48))[:3]:
        if w.lower().strip("’'") in _AGENT_NOUNS or (ru and roles_ru.agent_noun(w)):
            return True
    return False


# a bureau dateline opening a sentence: "MOSCOW -- ", "MINSK (Reuters) - ", "BRUSSELS, Belgium: "
# (one or two words in capitals, then text in ordinary case: a headline in capitals is no dateline)
_DATELINE = re.compile(r"[A-Z][A-Z.’'-]{2,20}(?: [A-Z][A-Z.’'-]{1,20})?(?:(?:, ?[A-Z][\w.’' ]{1,30})? ?"
                       r"(?:\([^()]{1,30}\) ?)?(?:--|[-—–])|, ?[A-Z][\w.’' ]{1,30}:)\s(?=[A-Z][a-z]|[“\"])")


def _sentence_cands(sentence: str, s0: int, ms: list, doc: _Doc) -> list[_Cand]:
    out: list[_Cand] = []
    words_before = doc.words_before
    dateline = _DATELINE.match(sentence) if sentence[:1].isupper() and sentence[1:2].isupper() else None
    for m in ms:
        a = m.start - s0
        b = m.end - s0
        if dateline and b <= dateline.end():
            continue    # where the story was filed, not a party
        kind = m.kind
        before = words_before(s0, a, 3, 26)
        prep = None
        if before:
            if before[-1] == "the":
                before = before[:-1]
            if kind == "organisation" and len(before) >= 2 and before[-1] == "to" \
                    and before[-2] in _AFFILIATION_NOUNS:
                continue    # "a Russian envoy to NATO": NATO is where he serves, not a party
            if doc.ru:
                prep = roles_ru.preposition(before[-1], m.surface or sentence[a:b]) if before else None
            elif before and before[-1] in _PREPS:
                prep = before[-1]
        if prep:
            lo = a - 20
            prep_start = sentence.rfind(" " + prep + " ", lo if lo > 0 else 0, a) + 1
        else:
            prep_start = -1
        out.append(_Cand(m.actor, a, b, kind, kind != "adjective" or _is_agentive(sentence, b, kind, doc.ru),
                         m.person, m.office, prep, prep_start, m.surface))
    return out


def _words_between(sentence: str, a: int, b: int) -> int:
    return len(_WORD.findall(sentence, a, b)) if b > a else 0


def _chain(sentence: str, cands: list[_Cand], idx: int, step: int) -> list[int]:
    """Indices of mentions coordinated with cands[idx]: "Poland and Lithuania",
    "Belarusian-Russian", "the Polish ambassador and the EU envoy"."""
    out = [idx]
    j = idx
    while 0 <= j + step < len(cands):
        k = j + step
        left, right = (cands[k], cands[j]) if step < 0 else (cands[j], cands[k])
        if not _CHAIN_SEP.fullmatch(sentence, left.end, right.start):
            m = _CHAIN_NOUNS.fullmatch(sentence, left.end, right.start)
            # "<adj> ambassador and the <adj/org> envoy": only when both sides qualify a noun
            if not (m and right.kind in ("adjective", "organisation")
                    and all(w.lower() in _AGENT_NOUNS for w in _WORD.findall(m.group("nouns")))):
                break
        out.append(k)
        j = k
    return out if step > 0 else out[::-1]


def _party_indices(cands: list[_Cand], t0: int, t1: int, root: str) -> list[int]:
    """Indices of the mentions that may be a party to the action at [t0, t1): not the place
    where people met, not the topic of a meeting."""
    meeting = root in ("03", "04", "05")
    idx = []
    for i, c in enumerate(cands):
        prep = c.prep
        if prep is None or t0 <= c.prep_start < t1:
            idx.append(i)   # "arrived in Beijing": the preposition belongs to the action
        elif prep in _VENUE_PREPS:
            # a place where people met is not a party; elsewhere only a capital or seat after "in" is a place
            if not (meeting or c.kind in ("capital", "seat")):
                idx.append(i)
        elif not (root == "04" and c.prep_start >= t1):
            idx.append(i)   # (but "talks on Ukraine": the topic of a meeting is not a party)
    return idx


def _sides(sentence: str, cands: list[_Cand], idx: list[int], t0: int, t1: int) -> tuple[list[int], list[int]]:
    """(left, right): the party mentions on the side of the action's agent and of its target.
    A mention inside the action phrase is a target, unless it follows "of" after an agent noun."""
    inside = [i for i in idx if cands[i].start >= t0 and cands[i].end <= t1]
    inside_agent = [i for i in inside
                    if _OF_BEFORE.search(sentence, max(t0, cands[i].start - 10), cands[i].start)
                    and _OF_AGENT_NOUN.search(sentence[t0:cands[i].start].split(" of")[0])] if inside else []
    if ";" in sentence:     # a semicolon closes a clause: no party across it
        left = [i for i in idx if cands[i].end <= t0 and ";" not in sentence[cands[i].end:t0]] + inside_agent
        right = [i for i in inside if i not in inside_agent] + \
            [i for i in idx if cands[i].start >= t1 and ";" not in sentence[t1:cands[i].start]]
    else:
        left = [i for i in idx if cands[i].end <= t0] + inside_agent
        right = [i for i in inside if i not in inside_agent] + [i for i in idx if cands[i].start >= t1]
    return left, right


# after a mention: it is the subject of a clause of its own
_CLAUSE_SUBJECT = re.compile(r"\s+(?:is|are|was|were|has|have|had|will|would|could|may|might|must|should|can|"
                             r"[a-z]{2,}ed)\s")


def _new_clause_subject(sentence: str, c: _Cand, t1: int) -> bool:
    """Whether mention ``c`` after the action ending at ``t1`` is the subject of a clause of its
    own: "Following X's arresting a journalist, the EU is expected to ..." (not the target)."""
    return c.start > t1 and "," in sentence[t1:c.start] and _CLAUSE_SUBJECT.match(sentence, c.end) is not None


def _near_right(sentence: str, cands: list[_Cand], right: list[int], t1: int) -> list[int]:
    """The mentions of ``right`` within _RIGHT_WINDOW_WORDS words after the action."""
    # the words between grow with the start, and the mentions after the action come in text order
    near_right = []
    for i in right:
        start = cands[i].start
        if start > t1 and _words_between(sentence, t1, start) > _RIGHT_WINDOW_WORDS:
            break
        if _new_clause_subject(sentence, cands[i], t1):
            break
        near_right.append(i)
    return near_right


def _other_actors(cands: list[_Cand], idxs: list[int], actor: str) -> list[int]:
    """The indices of ``idxs`` whose mention names another actor than ``actor``."""
    return [i for i in idxs if cands[i].actor != actor]


def _agent_after(sentence: str, cands: list[_Cand], right: list[int], t1: int, direction: str,
                 trig_text: str, root: str) -> int | None:
    """The index of an agent named after the action ("expelled by Poland", "the detention of
    ... by Belarus", a passive or "by/against" action), else None."""
    agent_after = None
    by = _BY_AFTER.match(sentence, t1)
    if by and right and _words_between(sentence, by.end(), cands[right[0]].start) <= 3 and (
            by.group().strip().lower() == "by" or (_OF_AGENT_NOUN.search(trig_text) and root not in _SAID_ROOTS)):
        agent_after = right[0]
    if direction in ("passive", "by_against") and right:
        agent_after = right[0]
    return agent_after


def _pairs_agent_after(sentence: str, cands: list[_Cand], agent_after: int, left: list[int],
                       near_right: list[int], t0: int, direction: str,
                       trig_text: str) -> list[tuple[str, str, bool]]:
    """Pairs when the agent comes after the action: its target is before a passive action,
    else the mentions coordinated after the agent."""
    a1 = cands[agent_after]
    passive = direction == "passive" or _BE_AUX.search(sentence, max(0, t0 - 24), t0) or \
        trig_text.lower().endswith(("ed", "en"))
    targets = _other_actors(cands, [i for i in near_right if i > agent_after], a1.actor)
    if passive or not targets:
        lefts = _other_actors(cands, left, a1.actor)
        if lefts:
            return [(a1.actor, cands[lefts[-1]].actor, False)]
    if targets:
        return [(a1.actor, cands[t].actor, False) for t in _chain(sentence, cands, targets[0], 1)
                if cands[t].actor != a1.actor]
    return []


def _pairs_subject(sentence: str, cands: list[_Cand], a_idx: int, left: list[int], right: list[int],
                   near_right: list[int], t1: int, direction: str) -> list[tuple[str, str, bool]]:
    """Pairs when a subject (cands[a_idx] and the mentions coordinated with it) comes before the action."""
    subj = _chain(sentence, cands, a_idx, -1)
    targets = _other_actors(cands, near_right, cands[a_idx].actor)
    if direction == "mutual" and len({cands[s_].actor for s_ in subj}) >= 2 and \
            (not targets or cands[targets[0]].start > t1 + 40):
        targets = []    # "Russia and Ukraine traded accusations over ... Moscow": the pair is the subject
    if targets:
        pairs = []
        for o in _chain(sentence, cands, targets[0], 1):
            for s_ in subj:
                if cands[s_].actor != cands[o].actor:
                    pairs.append((cands[s_].actor, cands[o].actor, False))
        return pairs
    distinct: list[str] = []
    for s_ in subj:
        if cands[s_].actor not in distinct:
            distinct.append(cands[s_].actor)
    if len(distinct) >= 2 and direction == "mutual":
        return [(distinct[0], distinct[1], False)]
    if near_right:
        return []       # the action is aimed at the subject's own side: "Russia ... poisoning of Navalny"
    # (not an adjective of the subject's own phrase: "since Belarusian ally Russia invaded the country")
    others = [i for i in _other_actors(cands, left, cands[a_idx].actor)
              if not _qualifies(sentence, cands[i], cands[a_idx])]
    if others:
        return [(cands[a_idx].actor, cands[others[-1]].actor, True)]
    far = [i for i in _other_actors(cands, right, cands[a_idx].actor)
           if not _new_clause_subject(sentence, cands[i], t1)]
    if far:
        return [(cands[a_idx].actor, cands[far[0]].actor, True)]
    return []


# up to two lower-case words, none a preposition, conjunction or verb form that would end the phrase
_QUALIFIER_GAP = re.compile(r"\s+(?:(?!(?:with|of|to|for|in|on|at|by|from|against|and|or|but|is|are|was|were|has|"
                            r"have|had|will|would)\s)[a-z][\w-]*\s+){0,2}")


def _qualifies(sentence: str, c: _Cand, subject: _Cand) -> bool:
    """Whether mention ``c`` is an adjective inside the subject's own phrase, at most two
    lower-case words before it: "Belarusian ally Russia", "the Chinese-backed Pakistani army"."""
    return c.kind == "adjective" and c.end <= subject.start and \
        _QUALIFIER_GAP.fullmatch(sentence, c.end, subject.start) is not None


def _pairs_no_subject(sentence: str, cands: list[_Cand], right: list[int], near_right: list[int], t1: int,
                      direction: str, root: str, trig_text: str) -> list[tuple[str, str, bool]]:
    """Pairs when no subject comes before the action: "talks between A and B", "Talks with Russia, Belarus said"."""
    if near_right and direction != "mutual" and root in _SAID_ROOTS and is_past_form(trig_text.split()[0]):
        return []   # "(Mirzoyan) demanded the withdrawal of Azerbaijani forces": the speaker is unknown
    if near_right:
        first = near_right[0]
        rest = _other_actors(cands, [i for i in right if i > first], cands[first].actor)
        if rest and (direction == "mutual" or _words_between(sentence, t1, cands[first].start) <= 4):
            return [(cands[first].actor, cands[rest[0]].actor, False)]
    return []


def _pairs_for(sentence: str, cands: list[_Cand], t0: int, t1: int, direction: str, code: str,
               trig_text: str) -> list[tuple[str, str, bool]]:
    """(actor1, actor2, found_by_fallback) for one action word at [t0, t1) of ``sentence``."""
    root = code[:2]
    idx = _party_indices(cands, t0, t1, root)
    left, right = _sides(sentence, cands, idx, t0, t1)
    near_right = _near_right(sentence, cands, right, t1)
    agent_after = _agent_after(sentence, cands, right, t1, direction, trig_text, root)
    if agent_after is not None:
        return _pairs_agent_after(sentence, cands, agent_after, left, near_right, t0, direction, trig_text)
    # an adjective right before the action noun qualifies it: "Belarusian-Russian negotiations", "Polish protest"
    agents = [i for i in left if cands[i].agentive or _words_between(sentence, cands[i].end, t0) <= 1]
    if agents:
        return _pairs_subject(sentence, cands, agents[-1], left, right, near_right, t1, direction)
    return _pairs_no_subject(sentence, cands, right, near_right, t1, direction, root, trig_text)


def _actor_words(sentence: str, cands: list[_Cand]) -> set[str]:
    """Lower-case words of the sentence's actor mentions, with their possessives."""
    out: set[str] = set()
    for c in cands:
        for w in sentence[c.start:c.end].lower().split():
            out.update((w, w + "'s", w + "’s", w + "'", w + "’"))
    return out


def _clause_pairs(sentence: str, cands: list[_Cand], t0: int, t1: int, act: Action, code: str,
                  speech: list) -> list[tuple[str, str, bool]]:
    """(actor1, actor2, fallback) pairs for one action: the clause rules of
    :mod:`dashboard.analysis.roles` where they apply, else :func:`_pairs_for`.
    ``speech``: [] or [the sentence's :func:`roles.speech`], filled on first use."""
    trig = sentence[t0:t1]
    if code[:2] == "03" and act.code[:2] in ("06", "07", "08"):
        code = act.code     # an intended deployment's parties are the deployment's: "in Lithuania" is no venue
    if act.direction not in ("forward", "report"):
        return _pairs_for(sentence, cands, t0, t1, act.direction, code, trig)
    if not speech:
        speech.append(roles.speech(sentence, cands))
    sp = speech[0]
    if code[:2] == "16":
        got = roles.diplomat_pairs(sentence, cands, t0, t1, trig, sp)
        if got is not None:
            return got
    if act.direction == "report" and sp is not None:
        # a phrase that only says something ("… will not be left unanswered," X said), or the reporting
        # verb itself: the speaker acts on the country named in what was said, even as the agent of
        # something else there (not on a place: "told reporters in Lisbon")
        own_verb = 0 <= t0 - sp.end <= 3 or 0 <= sp.start - t1 <= 40
        if sp.holds(t0, t1) or own_verb:
            target = roles.nearest_named([c for c in cands if c.prep not in _VENUE_PREPS], sp, t0, t1)
            speakers = sp.actors or (sp.actor,)
            if target or not own_verb:
                return [(a, target, False) for a in speakers if a != target] if target else []
    if sp is not None and sp.holds(t0, t1) and roles.speaker_subject(sentence, cands, sp, t0):
        speakers = sp.actors or (sp.actor,)
        target = roles.first_after(sentence, cands, t0, t1, speakers)
        return [(a, target, False) for a in speakers] if target else []
    if roles.relative_without_actor(sentence, cands, t0):
        return []
    if roles.passive_without_agent(sentence, t0, t1):
        patient = roles.patient_before(cands, t0)
        if sp is not None and sp.holds(t0, t1):
            if patient and patient != sp.actor:
                return [(sp.actor, patient, False)]
        elif patient:
            agent = roles.first_after(sentence, cands, t1, t1, (patient,))
            if agent:
                return [(agent, patient, False)]
    return _pairs_for(sentence, cands, t0, t1, act.direction, code, trig)


def _clause_pairs_ru(sentence: str, cands: list[_Cand], t0: int, t1: int, act: Action, code: str,
                     speech: list, lex: Lexicon) -> list[tuple[str, str, bool]]:
    """:func:`_clause_pairs` for a Russian sentence: its reporting clause is read by
    :func:`roles_ru.speech`, and a passive participle ("посол был вызван") decides the roles first."""
    if not speech:
        speech.append(roles_ru.speech(sentence, cands))
    got = roles_ru.passive_pairs(sentence, cands, t0, t1, lex.passive, speech[0])
    if got is not None:
        return got
    return _clause_pairs(sentence, cands, t0, t1, act, code, speech)


# --------------------------------------------------------------------------- extraction

_OFFICE_PHRASE = {
    "president": "President of {country}", "prime_minister": "Prime Minister of {country}",
    "foreign_minister": "Foreign Minister of {country}", "nato_envoy": "{country}'s envoy to NATO",
    "president_elect": "President-elect of {country}",
}


def _office_warning(cands: list[_Cand], pair: tuple[str, str], date: str | None, precision: str | None,
                    held_office=None) -> str | None:
    if not date or precision not in ("day", "week", "month"):
        return None
    if held_office is None:
        held_office = actors.held_office
    for c in cands:
        if not (c.person and c.office and c.actor in pair):
            continue
        if held_office(c.person, c.office, date[:7] if precision == "month" else date) is not False:
            continue
        who = c.surface.split()[-1] if c.surface else c.person.split("_")[0].title()
        country = actors.actor_name(c.actor)
        office = _OFFICE_PHRASE.get(c.office, c.office.replace("_", " ") + " of {country}").format(country=country)
        held = [t for t in actors.terms(c.person, c.office) if t.get("country") in (None, c.actor)]
        term = ""
        if held:
            term = " (held " + ", ".join(f"{t['start']}..{t['end'] or 'now'}" for t in held) + ")"
        return f"{who} was not {office} on {date}{term}"
    return None


def _key(published_at: str, evidence: str, a1: str, a2: str, root: str, taken: set | None = None) -> str:
    """The event's stable key; the pair is unordered so that an edit survives a flipped
    direction. Both directions of one sentence and root ("the EU recalled its ambassadors
    after Minsk expelled two") are two events: the second one's key also names its
    direction, else the store (unique keys) would keep only the first."""
    pair = "-".join(sorted((a1, a2)))
    raw = f"{published_at[:10]}\x1f{' '.join(evidence.split())}\x1f{pair}\x1f{root}"
    key = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]
    if taken is not None:
        if key in taken:
            key = hashlib.sha1(f"{raw}\x1f{a1}>{a2}".encode("utf-8")).hexdigest()[:16]
        taken.add(key)
    return key


def extract_events(text: str, published_at: str, *, mentions: list | None = None) -> list[ExtractedEvent]:
    """Events told in ``text``, an article body (or title + body) as stored.

    ``published_at``: ``'YYYY-MM-DD'`` or ``'YYYY-MM-DD HH:MM'``; raises
    ``ValueError`` otherwise. Returns :class:`ExtractedEvent` s in text order of
    their first evidence; all offsets index ``text``. One event per sentence,
    actor pair and action, after which the same happening told twice (same pair,
    same date, same CAMEO root) is merged into one event with
    several ``spans``. Empty text gives ``[]``.

    ``mentions``: the actor mentions of ``text`` when the caller has them already,
    exactly as :func:`dashboard.analysis.actors.mentions` gives them (e.g. from
    :func:`dashboard.analysis.actors.scan`, which also counts the actors of title + body in
    the same pass); found here when None.
    """
    parse_published(published_at)
    if not text or not text.strip():
        return []
    all_mentions = actors.mentions(text) if mentions is None else mentions
    if len({m.actor for m in all_mentions}) < 2:
        return []       # every event needs two actors in one sentence
    lex = lexicon_ru() if is_russian(text) else lexicon()
    sents = sentences(text)
    doc = _Doc(text, lex)
    dates = _TextDates(text, published_at, sents, doc)
    raws: list[_Raw] = []
    # the mentions of each sentence (mentions are sorted by start): most sentences name
    # fewer than two actors and are not read further
    n_sents, n = len(sents), len(all_mentions)
    i = j = 0
    while j < n and i < n_sents:
        start = all_mentions[j].start
        while i < n_sents and sents[i][1] <= start:
            i += 1
        if i == n_sents:
            break
        s0, s1 = sents[i]
        k = j + 1
        while k < n and all_mentions[k].start < s1:
            k += 1
        if start >= s0 and k - j >= 2:
            ms = [m for m in all_mentions[j:k] if m.end <= s1]
            if len({m.actor for m in ms}) >= 2:
                raws.extend(_sentence_events(text[s0:s1], s0, s1, ms, dates, i, published_at, lex, doc))
        j = k if start >= s0 else j + 1
    raws.extend(_implied_party_raws(text, sents, all_mentions, raws, dates, published_at, lex, doc))
    # office holders' terms may rule out the nearest year of year-less dates (analysis.years)
    fix = years.story_year(raws)
    if fix is None:
        return _merge(raws, text, published_at)
    fix.apply(raws)
    return fix.mark(_merge(raws, text, published_at), published_at)


# the place names of a dateline before its date: "MOSCOW, ", "Warsaw/Minsk, ", "KYIV, Ukraine, "
# (possessive: a place name and its separators never share characters, so no backtracking)
_DATELINE_HEAD = re.compile(r"(?:[A-Z][\w'’.-]*+(?:[ /][A-Z][\w'’.-]*+)*+,\s*+){1,2}")
# the lede, where a report tells its news and the day of it (see _TextDates.news_day)
LEDE_PARAGRAPHS = 3
NEWS_DAYS = 7


class _TextDates:
    """Date mentions of a text's sentences, computed only when asked for: most
    sentences give no event, and the dates of those matter only as the fallback of
    a later sentence of their paragraph or as the anchor of "the following day"."""

    def __init__(self, text: str, published_at: str, sents: list[tuple[int, int]], doc: _Doc):
        self.text = text
        self.doc = doc
        self.published_at = published_at
        self.pub = parse_published(published_at)
        self.sents = sents
        self._para: list[int] | None = None
        self.cache: list[list | None] = [None] * len(self.sents)
        self.forward = 0            # sentences before this index have their dates in cache
        self.last_day: str | None = None
        self._news: tuple | None = None     # news_day(), () when it has none

    def _find(self, j: int, previous: str | None) -> list:
        """find_dates(text of sentence j, published_at, previous=previous)."""
        s0, s1 = self.sents[j]
        sent = self.text[s0:s1]
        return find_dates_at(sent, self.pub, previous=previous)

    def _advance(self, i: int) -> str | None:
        """The last day-precision date before sentence ``i`` (in text order), reading
        the dates of every sentence not read yet before it."""
        while self.forward < i:
            j = self.forward
            if self.cache[j] is None:
                self.cache[j] = self._find(j, self.last_day)
            for d in self.cache[j]:
                if d.precision == "day":
                    self.last_day = d.date
            self.forward += 1
        return self.last_day

    def _last_day(self, i: int) -> str | None:
        """:meth:`_advance` ``(i)``, reading sentences backwards from ``i`` until one has
        a day-precision date. The dates of a sentence without "the following day" and
        its kind do not depend on the date before it, so they can be read in any
        order; at the first one that does, the sentences are read in order."""
        cache, sents, text = self.cache, self.sents, self.text
        low = None
        j = i - 1
        while j >= self.forward:
            got = cache[j]
            if got is None:
                s0, s1 = sents[j]
                if low is None:
                    low = self.doc.low()
                # A day-precision date has digits, "day" (days, today, weekdays …),
                # "tomorrow" or "tonight" (whose i may be İ or ı): without them the
                # sentence is passed over unread.
                if (low.find("day", s0, s1) < 0 and low.find("tomorrow", s0, s1) < 0
                        and low.find("ght", s0, s1) < 0 and _DIGIT.search(text, s0, s1) is None):
                    j -= 1
                    continue
                if needs_previous(text[s0:s1]):
                    return self._advance(i)
                got = cache[j] = self._find(j, None)
            for d in reversed(got):
                if d.precision == "day":
                    return d.date
            j -= 1
        return self.last_day

    def day_before(self, i: int) -> str | None:
        """The last day-precision date told before sentence ``i``, or None."""
        return self._last_day(i)

    def of(self, i: int) -> list:
        """DateMentions of sentence ``i`` (offsets into the sentence)."""
        got = self.cache[i]
        if got is None:
            s0, s1 = self.sents[i]
            # only "the following day" and its kind need the previous date
            prev = self._last_day(i) if needs_previous(self.text[s0:s1]) else None
            got = self.cache[i] = self._find(i, prev)
        return got

    def _paragraph_of(self) -> list[int]:
        """The paragraph index of each sentence."""
        if self._para is None:
            para_starts = [p[0] for p in paragraphs(self.text)]
            self._para = [bisect.bisect_right(para_starts, s0) - 1 for s0, _ in self.sents]
        return self._para

    def news_day(self) -> tuple[str, bool] | None:
        """(date, year_inferred) of the day the article's news happened, or None: the first
        day-precision date of its lede (the first LEDE_PARAGRAPHS paragraphs) that lies in the
        NEWS_DAYS days up to publication, else the first such date further on. A report tells
        its news in the lede ("Belarus expelled the ambassador on Monday") and goes on about it
        without repeating the day, so that day, not the day the page went out, is the best date
        of the story's undated sentences; a story whose lede names no day may name it later
        ("he was moved to house arrest yesterday, his lawyer said"). A dateline's date
        ("VILNIUS, Jan 31 -") is the day the report was filed: a day the lede names after it
        is the news day."""
        if self._news is not None:
            return self._news or None
        self._news = ()
        para = self._paragraph_of()
        low = (self.pub - timedelta(days=NEWS_DAYS)).isoformat()
        high = self.pub.isoformat()
        filed = None
        for lede in (True, False):
            for j in range(len(self.sents)):
                if (para[j] < LEDE_PARAGRAPHS) != lede:
                    continue
                for d in self.of(j):
                    if d.precision == "day" and d.period is None and low <= d.date <= high:
                        if j == 0 and self.is_dateline(0, d):
                            filed = filed or (d.date, d.year_inferred)
                            continue
                        self._news = (d.date, d.year_inferred)
                        return self._news
            if filed:
                self._news = filed
                return filed
        return None

    def is_dateline(self, i: int, d) -> bool:
        """Whether date mention ``d`` of sentence ``i`` is a dateline's: the text's first
        sentence with only place names before it ("MOSCOW, March 7 --", "Warsaw/Minsk, Sep 10")."""
        s0 = self.sents[0][0]
        return i == 0 and _DATELINE_HEAD.fullmatch(self.text, s0, s0 + d.start) is not None

    def paragraph_date(self, i: int) -> tuple[str, str, bool] | None:
        """(date, precision, year_inferred) of the latest date in the sentences of
        sentence ``i``'s paragraph before it, or None."""
        para = self._paragraph_of()
        j = i - 1
        while j >= 0 and para[j] == para[i]:
            # "since August 2023" starts a state: no date for a later sentence's event
            # neither does a deadline ("to leave by 1 September")
            found = [d for d in self.of(j) if d.period not in ("since", "by")]
            if found:
                last = found[-1]
                return last.date, last.precision, last.year_inferred
            j -= 1
        return None


_PRESENT_FORM = re.compile(r"[a-z]+[^s\W]s\b")


def _trigger_tense(sent: str, t0: int, t1: int) -> str | None:
    """Tense of the action word itself where its form shows it ("expels" present,
    "expelled" past), else of the nearest marker (headlines are in the present)."""
    word = sent[t0:t1].split()[0].lower()
    if is_past_form(word):
        return "past"
    if _PRESENT_FORM.fullmatch(word) and not _NOUN_FORM.search(word):
        return None
    return tense_at(sent, t0)


_NOUN_FORM = re.compile(r"(?:tions|sions|ments|talks|sanctions|threats|rallies|drills)$")

_THREATENED_ROOTS = frozenset({"14", "15", "16", "17", "18", "19", "20"})


def _tone_row(cells: Row) -> tuple[str, str]:
    cue, code = cells[:2]
    if code not in codebook():
        raise ValueError(f"unknown CAMEO code {code!r}")
    if not cue or cue.split()[0] in _GAP:
        raise ValueError("a cue must start with a word")
    return cue, code


@functools.cache
def _tones() -> tuple[tuple[re.Pattern, str, str], ...]:
    """``tables/said_tone.tsv`` compiled: (cue regex, code, cue), threats first, then demands,
    then criticism (the order in which a cue wins)."""
    rows = parse_table("said_tone.tsv", _tone_row, header=("cue", "cameo_code", "notes"), width=2)
    rank = {"13": 0, "10": 1, "11": 2}
    rows = sorted(rows, key=lambda r: rank.get(r[1][:2], 3))
    return tuple((re.compile(_pattern_regex(cue), re.I), code, cue) for cue, code in rows)



# cues too common to make a statement an event beside other action words ("they must understand")
_WEAK_TONES = frozenset({"must"})


def _said_tone(sentence: str, code: str, strong: bool = False) -> str:
    """A bare statement's code from what it says: "X said Y has started a trade war" is
    criticism (111), "... will not be left unanswered" a threat (130), "Y must pay" a
    demand (100); a statement with none of these cues keeps ``code``. ``strong``: only
    the cues that are not :data:`_WEAK_TONES`."""
    return _sentence_tones(sentence)[strong] or code


@functools.cache
def _tone_words() -> frozenset:
    """The lower-case forms of the first words of the cues of :func:`_tones`: a sentence with
    none of them has no cue, which one pass over its words tells."""
    return frozenset(w for _, _, cue in _tones() for w in _forms(cue.split()[0]))


@functools.lru_cache(maxsize=64)
def _sentence_tones(sentence: str) -> tuple[str | None, str | None]:
    """(the code of the first cue of :func:`_tones` that ``sentence`` has, the same among the
    strong cues), None where there is none; read once per sentence."""
    any_cue = strong = None
    if _tone_words().isdisjoint(_TOKEN.findall(sentence.lower())):
        return any_cue, strong
    for rx, tone, cue in _tones():
        if rx.search(sentence):
            if any_cue is None:
                any_cue = tone
            if cue not in _WEAK_TONES:
                strong = tone
                break
    return any_cue, strong

_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def _inside_actor_name(cands: list[_Cand], t0: int, t1: int, starts: list[int], longest: int) -> bool:
    """Whether the action word at [t0, t1) overlaps an actor's name without containing it:
    "Union State" names an actor, it is not an action. ``starts``: the mentions' starts (in order),
    ``longest``: the longest mention; only the mentions that can reach the action are looked at, so
    that a sentence with many actions and actors is not read once per action."""
    i = bisect.bisect_left(starts, t1)
    lo = t0 - longest
    while i > 0 and starts[i - 1] >= lo:
        i -= 1
        c = cands[i]
        if t0 < c.end and not (c.start >= t0 and c.end <= t1):
            return True
    return False


def _action_code(sent: str, s0: int, t0: int, t1: int, act: Action, cands: list[_Cand], doc: _Doc,
                 actor_words: list) -> str | None:
    """The code of the action at [t0, t1) as the words before it tell (intent, threat), or None
    when they say it did not happen (background, a reason, a negation).
    ``actor_words``: [] or [the sentence's :func:`_actor_words`], filled on first use."""
    before = doc.words_before(s0, t0, 10)
    if doc.ru:
        return roles_ru.action_code(act.code, before, sent, t0, t1, _INTENT)
    if act.direction == "report":
        # '"... if we acted," said X': the words of the quote are not the reporting verb's context
        q = max(sent.rfind('"', 0, t0), sent.rfind("”", 0, t0))
        if q >= 0:
            n = len(sent[q + 1:t0].split())
            before = before[len(before) - n:] if n else []
    if _background(before, sent[t0:t1]):
        return None
    if not roles.REASON_WORDS.isdisjoint(before[-6:]):
        if not actor_words:
            actor_words.append(_actor_words(sent, cands))
        if roles.reason_before(before, actor_words[0], sent[t0:t1]):
            return None
    code = act.code
    if code[:2] in _COOPERATION_ROOTS and (_negated(before) or _NEGATION_INSIDE.search(sent, t0, t1)):
        return None
    if roles.plainly_negated(before):
        return None     # "did not expel": no event of any kind
    # (or a hedge inside the phrase: "weapons might be deployed in"; "troops will remain stationed" is
    # an announced measure)
    if code in _INTENT and not (_MODALS.isdisjoint(before[-9:])
                                and _HEDGE_MODALS.isdisjoint(sent[t0:t1].lower().split())):
        code = _INTENT[code]
    elif code[:2] == "04" and not _SPECULATION.isdisjoint(before[-4:]):
        # "ministers may meet again": a meeting that may happen, not one held (as roles_ru codes a modal
        # consult); "will meet on Friday" stays an announced meeting
        code = "036"
    return roles.threat_code(code, before, sent, t1)


def _sentence_actions(sent: str, s0: int, matches: list, cands: list[_Cand], lex: Lexicon,
                      doc: _Doc) -> list[tuple[int, int, Action, str]]:
    """(t0, t1, action, code) of every action word of the sentence that tells an event."""
    found = []
    actor_words: list = []
    starts: list[int] = []      # of the mentions, made on first use (_inside_actor_name)
    longest = 0
    k = 0
    while k < len(matches):
        t0, t1, act = matches[k]
        k += 1
        if act.direction == "ignore":
            # the words inside an ignored phrase may still act: "signed a military aid package into law"
            first = sent.find(" ", t0, t1)
            if first > 0:
                matches[k:k] = [x for x in lex.find(sent, first, t1) if x[1] < t1]
            continue
        if not starts:
            starts.extend(c.start for c in cands)
            longest = max(c.end - c.start for c in cands)
        if _inside_actor_name(cands, t0, t1, starts, longest):
            continue
        code = _action_code(sent, s0, t0, t1, act, cands, doc, actor_words)
        if code is not None:
            found.append((t0, t1, act, code))
    return found


def _main_actions(found: list, sent: str) -> list:
    """Of several actions of one sentence, those that are events in their own right."""
    if any(a.direction != "report" for _, _, a, _ in found):
        # a statement stays beside the acts only when what is said criticises, demands or threatens
        # ("Moscow said the move was 'discriminatory' and urged Vilnius to reconsider")
        toned = [f for f in found
                 if f[2].direction == "report" and _said_tone(sent, f[3], strong=True) != f[3]][:1]
        found = toned + [f for f in found if f[2].direction != "report"]
    # "agreed to deploy", "pledged to send": the action named next is the event, not the promise
    found = [f for f in found
             if not (f[3] == "030" and any(0 <= g[0] - f[1] <= 40 for g in found if g is not f))]
    # "threatened on 11 November to cut off gas transit": what is threatened did not happen
    threats = [f for f in found if f[3][:2] == "13"]
    if threats:
        found = [f for f in found
                 if not any(0 <= f[0] - t[1] <= 40 and f[3][:2] in _THREATENED_ROOTS for t in threats)]
    return roles.drop_content(found, sent)


# "has already downgraded ties", "had previously closed": background from before the news
_EARLIER = re.compile(r"\b(?:already|previously|formerly)\b", re.I)


def _tense(sent: str, t0: int, t1: int, dates: _TextDates) -> str | None:
    """"past" when the action at [t0, t1) is told in the past, by the rules of the text's language."""
    if dates.doc.ru:
        return "past" if roles_ru.past(sent, t0, t1) else None
    return _trigger_tense(sent, t0, t1)


def _event_date(sent: str, t0: int, t1: int, dates: _TextDates, i: int,
                published_at: str, statement: bool = False) -> tuple[str | None, str | None, bool, str]:
    """(date, precision, year_inferred, date_source, planned) of the action at [t0, t1) of
    sentence ``i``: a date of the sentence, else of its paragraph, else the day of the news in
    the lede, else the publication day. A measure announced for a later day is dated on the
    day it was announced, and ``planned`` is the later day."""
    # a dateline's date is the day the report was filed, not the day of what it tells
    dms, deadline = _own_dates(sent, t0, t1, [d for d in dates.of(i) if not dates.is_dateline(i, d)])
    t = _tense(sent, t0, t1, dates) if dms else None
    if t == "past":
        # what was done or said is not dated after publication: a written later date is a
        # target ("to ship 98 bcm by 2030, Putin said"), not the day of the action
        dms = [d for d in dms if d.year_inferred or d.date <= published_at[:10]]
    if dms:
        # a date right before the action noun is its own ("the November sanctions"); else the most
        # precise date of the sentence, among equals the one nearest the action word
        own = [d for d in dms if 0 <= t0 - d.end <= 1]
        dm = own[0] if own else dms[0] if len(dms) == 1 else min(
            dms, key=lambda d: (_PRECISION_RANK[d.precision], d.start - t0 if d.start >= t0 else t0 - d.end))
        date, prec, inferred = dm.date, dm.precision, dm.year_inferred
        if date > published_at[:10]:
            if t == "past":
                if inferred:
                    # what already happened is not after publication
                    return not_after(date, dates.pub), prec, inferred, "sentence", None
            else:
                # "Poland will close the border on Thursday": what happened is the announcement,
                # on the day of the news; the day the measure is to take effect goes with it
                news = dates.news_day()
                day, news_inferred = news if news else (published_at[:10], False)
                return day, "day", news_inferred, "announced", date
        return date, prec, inferred, "sentence", None
    when = _undated(sent, t0, t1, dates, i, published_at, statement and _in_quote(sent, t0))
    if deadline and deadline.precision == "day" and deadline.date > published_at[:10] and not deadline.year_inferred:
        # "diplomats must leave by 1 September 2026": dated like an undated action, due that
        # day (a target year, "98 bcm by 2030", is no plan of a day)
        return (*when[:4], deadline.date)
    return when


# a clause of its own after the action: "…, after Britain last year blamed Moscow"
_OTHER_CLAUSE = re.compile(r",\s+(?:after|before|when|while|whereas|although|though|because|as|but|since)\b", re.I)


def _own_dates(sent: str, t0: int, t1: int, found: list) -> tuple[list, object | None]:
    """(the dates of sentence ``sent`` that may date the action at [t0, t1), its deadline or
    None). "since August 2023" starts a state and "by 1 September" is when something is due,
    not the day of the event; a date in a later clause of its own ("…, after Britain last
    year blamed Moscow") dates that clause's action."""
    own, deadline = [], None
    for d in found:
        if d.period == "since":
            continue
        if d.period == "by":
            deadline = deadline or d
        elif not (d.start >= t1 and _OTHER_CLAUSE.search(sent, t1, d.start)):
            own.append(d)
    return own, deadline


def _undated(sent: str, t0: int, t1: int, dates: _TextDates, i: int,
             published_at: str, quoted_view: bool = False) -> tuple[str | None, str | None, bool, str, None]:
    """The date of an action whose sentence names none: the latest date of its paragraph
    before it, else (told in the past) the day of the news, else the publication day. A view
    quoted from a statement ("The Russian side believes that …") is dated when it was
    stated, not by the days its earlier quoted sentences tell of."""
    para_date = None if quoted_view else dates.paragraph_date(i)
    if para_date:
        date, prec, inferred = para_date
        return date, prec, inferred, "paragraph", None
    t = _tense(sent, t0, t1, dates)
    if t != "past" and _quoted_past(sent, t0):
        t = "past"      # '"… will not be left unanswered," he said': the threat is the saying
    after = dates.day_before(i) if t == "past" and _THEN.search(sent, max(0, t0 - 30), t0) else None
    if after:
        # "On Tuesday, Litgrid reported the launch. Lithuania then suspended power trading":
        # on that day or a day after it, so its week
        return after, "week", False, "paragraph", None
    news = dates.news_day() if t == "past" and not _EARLIER.search(sent, 0, t1) else None
    if news:
        return news[0], "day", news[1], "lede", None
    date = published_at[:10]
    # an undated past action in Russian agency copy is the news of its dateline's day; English
    # feature writing tells of the past week as freely (gold set: one date wrong either way)
    prec = "day" if (t is None and not _ongoing(sent, t0, t1)) or dates.doc.ru else "week"
    return date, prec, False, "published", None


_ONGOING_BEFORE = re.compile(r"\b(?:is|are)\s+(?:still\s+|now\s+|also\s+|reportedly\s+)?$", re.I)


def _ongoing(sent: str, t0: int, t1: int) -> bool:
    """Whether the action at [t0, t1) is told as going on ("troops are massing near the
    border"): a build-up of days or weeks, not the event of one day."""
    return sent[t0:t1].split()[0].lower().endswith("ing") and _ONGOING_BEFORE.search(sent, max(0, t0 - 40), t0) is not None


# "Lithuania then suspended …": the action follows the day told before it
_THEN = re.compile(r"\b(?:then|subsequently|afterwards)\s+$", re.I)
_SAID_PAST = re.compile(r"\b(?:said|told|added|stated|wrote|warned|declared|stressed|noted)\b")


def _in_quote(sent: str, pos: int) -> bool:
    """Whether ``pos`` lies inside quotation marks (typographic or straight)."""
    opening = sent.rfind("\u201c", 0, pos)
    return (opening >= 0 and sent.find("\u201d", opening, pos) < 0) or sent.count('"', 0, pos) % 2 == 1


def _quoted_past(sent: str, pos: int) -> bool:
    """Whether ``pos`` lies inside a quotation that the sentence reports in the past
    ("…," Nechaev said / He said: "…")."""
    opening = sent.rfind("\u201c", 0, pos)
    if opening >= 0 and sent.find("\u201d", opening, pos) < 0:
        closing = sent.find("\u201d", pos)
    elif sent.count('"', 0, pos) % 2 == 1:
        opening, closing = sent.rfind('"', 0, pos), sent.find('"', pos)
    else:
        return False
    outside = sent[:opening] + (sent[closing:] if closing >= 0 else "")
    return _SAID_PAST.search(outside) is not None


def _action_raws(sent: str, cands: list[_Cand], t0: int, t1: int, act: Action, code: str,
                 pairs: list[tuple[str, str, bool]], sent_span: tuple[int, int], when: tuple) -> list[_Raw]:
    """The raw events of one action and its pairs; ``when``: its :func:`_event_date`."""
    out: list[_Raw] = []
    direction, words = act.direction, act.words
    if code[:2] in roles.DEPLOY_ROOTS and _DEPLOYMENT.search(sent, t0, t1):
        # troops sent to an ally "to deter Russia": the senders also show force to Russia
        aimed = roles.deterred(sent, cands, t1, {x for pr in pairs for x in pr[:2]})
        if aimed:
            out.append(_Raw(pairs[0][0], aimed, "150", direction, words, sent_span, t0, *when, False, cands))
    if len(pairs) == 1:
        a1, a2, fb = pairs[0]
        if a1 != a2:
            out.append(_Raw(a1, a2, code, direction, words, sent_span, t0, *when, fb, cands))
        return out
    seen = set()
    for a1, a2, fb in pairs:
        if (a1, a2) in seen or a1 == a2:
            continue
        seen.add((a1, a2))
        out.append(_Raw(a1, a2, code, direction, words, sent_span, t0, *when, fb, cands))
    return out


def _sentence_events(sent, s0, s1, ms, dates: _TextDates, i: int, published_at, lex: Lexicon,
                     doc: _Doc) -> list[_Raw]:
    """The raw events of sentence ``i`` (``sent`` is text[s0:s1], ``ms`` its actor mentions)."""
    matches = doc.actions(s0, s1)
    if not matches:
        return []
    cands = _sentence_cands(sent, s0, ms, doc)
    if len({c.actor for c in cands}) < 2:
        return []
    found = _sentence_actions(sent, s0, matches, cands, lex, doc)
    if not found:
        return []
    if len(found) > 1:     # (each filter keeps a single action)
        found = _main_actions(found, sent)
    # a statement ("said"): what was said may criticise, demand or threaten
    found = [(t0, t1, act, _said_tone(sent, code) if act.direction == "report" else code)
             for t0, t1, act, code in found]
    out: list[_Raw] = []
    sent_span = (s0, s1)
    speech: list = []      # the sentence's reporting clause, read when first needed
    for t0, t1, act, code in found:
        if doc.ru:
            pairs = _clause_pairs_ru(sent, cands, t0, t1, act, code, speech, lex)
        else:
            pairs = _clause_pairs(sent, cands, t0, t1, act, code, speech)
        if not pairs:
            continue
        when = _event_date(sent, t0, t1, dates, i, published_at, act.direction == "report")
        out.extend(_action_raws(sent, cands, t0, t1, act, code, pairs, sent_span, when))
    return out


_COOPERATION_ROOTS = frozenset({"03", "04", "05", "06", "07", "08"})
_DEPLOYMENT = re.compile(r"deploy|send|sent|station|troops|battalion|brigade|forces", re.I)
# roots of what is said: their actor is whoever says it, never someone named in what is said
_SAID_ROOTS = frozenset({"01", "02", "10", "11", "12", "13"})
_SOURCE_CONF = {"sentence": 0.85, "announced": 0.7, "paragraph": 0.65, "lede": 0.6, "published": 0.5}


def _same_way(x: _Raw, r: _Raw) -> bool:
    """Whether two raws of one pair and day may be one happening: the same direction, or a
    mutual kind of event told both ways (meetings; both read as mutual; one read as mutual and
    the same code: "A and B signed a deal", "B signed a deal with A"). Tit-for-tat moves ("Minsk
    expelled the EU envoy; the EU recalled its ambassadors") are two events, each with its own
    actor, and so are praise and a statement answering each other ("Belarus welcomed the EU's
    decision" beside the EU's joint statement)."""
    return ((x.actor1, x.actor2) == (r.actor1, r.actor2) or x.code[:2] == r.code[:2] == "04"
            or x.direction == r.direction == "mutual"
            or ("mutual" in (x.direction, r.direction) and x.code == r.code))


def _merge(raws: list[_Raw], text: str, published_at: str) -> list[ExtractedEvent]:
    """One event per happening: raws with the same actor pair, date and CAMEO root as one
    already in a group (and the same direction, unless the kind is mutual) join that group."""
    if not raws:
        return []
    table = codebook()
    groups: list[list[_Raw]] = []
    by_pair_date: dict[tuple, list[list[_Raw]]] = {}
    for r in raws:
        a1, a2 = r.actor1, r.actor2
        slot_key = (a1, a2, r.date) if a1 < a2 else (a2, a1, r.date)
        slot = by_pair_date.get(slot_key)
        if slot is None:
            g = [r]
            by_pair_date[slot_key] = [g]
            groups.append(g)
            continue
        root = r.code[:2]
        for g in slot:
            # one CAMEO root, one event: "held talks and signed agreements" is a meeting (04)
            # and an agreement (05), as GDELT and the labellers code them
            if any(x.code[:2] == root and _same_way(x, r) for x in g):
                g.append(r)
                break
        else:
            slot.append([r])
            groups.append(slot[-1])
    held: dict[tuple, bool | None] = {}

    def held_office(person: str, office: str, date: str) -> bool | None:
        key = (person, office, date)
        got = held.get(key, held)
        if got is held:
            got = held[key] = actors.held_office(person, office, date)
        return got

    events: list[ExtractedEvent] = []
    keys: set[str] = set()
    for g in groups:
        if len(g) == 1:
            best = g[0]
            spans = [best.sent]
            conf = _confidence(best)
        else:
            best = max(g, key=lambda r: _priority(r.code, r.direction, r.words))
            spans = []
            for r in g:
                if r.sent not in spans:
                    spans.append(r.sent)
            conf = max(_confidence(r) for r in g) + 0.05 * min(2, len(spans) - 1)
        row = table[best.code]
        warning = None
        pair = (best.actor1, best.actor2)
        seen: list = []
        for r in g:
            cands = r.cands
            if any(c is cands for c in seen):
                continue    # the same sentence's mentions give the same answer
            seen.append(cands)
            warning = _office_warning(cands, pair, best.date, best.precision, held_office)
            if warning:
                break
        if warning:
            conf -= 0.3
        elif best.implied:
            warning = f"{actors.actor_name(best.implied)} is not named in the sentence: read from the article's pair"
        elif best.planned:
            warning = f"announced for {best.planned}"
        s0, s1 = spans[0]
        evidence = text[s0:s1]
        events.append(ExtractedEvent(
            key=_key(published_at, evidence, best.actor1, best.actor2, row["root"], keys),
            actor1=best.actor1, actor2=best.actor2,
            date=best.date, date_precision=best.precision, year_inferred=best.inferred,
            cameo_code=best.code, root_code=row["root"], quad_class=row["quad_class"],
            goldstein=row["goldstein"], evidence=evidence, char_start=s0, char_end=s1, spans=spans,
            confidence=round(min(0.99, max(0.05, conf)), 2), warning=warning,
        ))
    return events


def _confidence(r: _Raw) -> float:
    c = _SOURCE_CONF[r.date_source]
    if r.inferred:
        c -= 0.05
    if r.fallback_pair:
        c -= 0.1
    if r.direction == "report":
        c -= 0.1
    if r.implied:
        c -= 0.4      # a guess: below queries.clauses.MIN_CONFIDENCE, so marked uncertain
    return c


# an article's pair: the pair of at least this many of its two-party events, and at least half of them
_ARTICLE_PAIR_EVENTS = 2


def _article_pair(raws: list[_Raw]) -> tuple[str, str] | None:
    """The one pair most of an article's two-party events are between, or None."""
    counts: dict[tuple[str, str], int] = {}
    for r in raws:
        key = (r.actor1, r.actor2) if r.actor1 < r.actor2 else (r.actor2, r.actor1)
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    pair, n = max(counts.items(), key=lambda kv: kv[1])
    return pair if n >= _ARTICLE_PAIR_EVENTS and 2 * n >= len(raws) else None


def _implied_party_raws(text: str, sents: list[tuple[int, int]], all_mentions: list, raws: list[_Raw],
                        dates: _TextDates, published_at: str, lex: Lexicon, doc: _Doc) -> list[_Raw]:
    """Events of dated sentences that name only one side of the article's pair.

    A report about two countries names the other side once and then leaves it out: "In October,
    the EU already ended travel bans", "Gazprom reduced supplies by 15 percent Monday". Such a
    sentence is read with the other side of the article's pair (:func:`_article_pair`) as an
    unnamed party after the action, only when the sentence carries a date of its own (an undated
    one is background, and would be dated by its neighbours), and the event says so in its
    warning, with a confidence that marks it uncertain (⚠ on the Timeline, hidden with "uncertain events")."""
    pair = _article_pair(raws)
    if pair is None:
        return []
    starts = [m.start for m in all_mentions]
    out: list[_Raw] = []
    for i, (s0, s1) in enumerate(sents):
        lo = bisect.bisect_left(starts, s0)
        hi = bisect.bisect_left(starts, s1)
        ms = [m for m in all_mentions[lo:hi] if m.end <= s1]
        named = {m.actor for m in ms}
        if len(named) != 1 or not named <= set(pair):
            continue
        if not doc.actions(s0, s1):
            continue
        # a day, week or month of its own: "this year" dates a state of things, not a step
        own = [d for d in dates.of(i) if d.period not in ("since", "by") and d.precision != "year"
               and not dates.is_dateline(i, d)]
        if not own:
            continue
        other = pair[1] if pair[0] in named else pair[0]
        unnamed = actors._mention(other, s1, s1, "", "name", None, None)
        for r in _sentence_events(text[s0:s1], s0, s1, ms + [unnamed], dates, i, published_at, lex, doc):
            if other in (r.actor1, r.actor2) and r.date_source == "sentence" and r.precision != "year":
                r.implied = other
                out.append(r)
    return out

"""Events from article text: who did what to whom, when, coded in CAMEO.

``extract_events(text, published_at)`` reads a text sentence by sentence:

1. actors come from :func:`dashboard.actors.mentions` (countries, blocs, capitals,
   seats of power, office holders); a capital or seat after "in"/"at" is a venue,
   not an actor, and an adjective ("Belarusian NPP") is an acting subject only
   when it qualifies a government, person or force ("Belarusian authorities");
2. an action word or phrase from ``tables/actions.tsv`` decides the CAMEO code;
   the actor before it acts on the actor after it, with passives ("hosted by
   Warsaw"), "A and B met", "talks between A and B" and lists ("from Poland and
   Lithuania") handled; a sentence needs two distinct actors and an action;
3. the date is the sentence's date expression nearest to the action word
   (:mod:`dashboard.dates`), else the latest date of an earlier sentence of the
   same paragraph, else the publication date (each step lowers the confidence);
4. the same happening told twice in one text (same actor pair, same date, same
   CAMEO root or QuadClass) is one event with several evidence spans;
5. an office holder named with an office he or she did not hold on the event
   date ("Russian President Medvedev" in 2015) lowers the confidence and sets
   ``warning``.

Tables: ``tables/cameo.tsv`` (CAMEO codes, names and Goldstein values as GDELT
publishes them) and ``tables/actions.tsv`` (the action lexicon; its header says
how to extend it). Both are read once per process.
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import actors
from .dates import find_dates, paragraphs, parse_published, sentences, tense_at

__all__ = ["ExtractedEvent", "extract_events", "cameo", "quad_class", "goldstein", "lexicon"]

TABLES = Path(__file__).parent / "tables"


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


# --------------------------------------------------------------------------- CAMEO tables

@functools.cache
def _cameo_table() -> dict[str, dict]:
    rows: dict[str, dict] = {}
    lines = (TABLES / "cameo.tsv").read_text(encoding="utf-8").splitlines()
    header = None
    for line in lines:
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        code, name, gold, root, quad = cells
        rows[code] = {"code": code, "name": name, "goldstein": float(gold), "root": root, "quad_class": int(quad)}
    return rows


def cameo(code: str) -> dict:
    """The row of ``tables/cameo.tsv`` for a CAMEO event code (a string with its
    leading zero, e.g. ``"0312"``): ``{'code', 'name', 'goldstein' (float, −10…+10),
    'root' ('01'…'20'), 'quad_class' (1–4)}``. Source: the CAMEO codebook lookups
    GDELT publishes. Raises ``KeyError`` for a code not in CAMEO."""
    row = _cameo_table().get(str(code).strip())
    if row is None:
        raise KeyError(f"unknown CAMEO event code {code!r}")
    return dict(row)


def quad_class(root_code: str) -> int:
    """QuadClass of a CAMEO root ``'01'``…``'20'`` (a longer code is cut to its
    root): 1 verbal cooperation (01–05), 2 material cooperation (06–08), 3 verbal
    conflict (09–13), 4 material conflict (14–20). Raises ``ValueError`` otherwise."""
    s = str(root_code).strip()
    if len(s) < 2 or not s[:2].isdigit() or not 1 <= int(s[:2]) <= 20:
        raise ValueError(f"not a CAMEO root code: {root_code!r}")
    r = int(s[:2])
    return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4


def goldstein(code: str) -> float:
    """Goldstein scale value (−10 most conflictual … +10 most cooperative) of a
    CAMEO event code, from ``tables/cameo.tsv`` (GDELT's CAMEO Goldstein lookup).
    Raises ``KeyError`` for a code not in CAMEO."""
    return cameo(code)["goldstein"]


# --------------------------------------------------------------------------- action lexicon

@dataclass(frozen=True)
class Action:
    """One row of ``tables/actions.tsv``: ``pattern`` as written, ``code`` (CAMEO),
    ``direction`` (forward | passive | by_against | mutual | report), ``notes``,
    ``words`` (number of pattern tokens, the tie-break between rows)."""

    pattern: str
    code: str
    direction: str
    notes: str
    words: int


_DIRECTIONS = {"forward", "passive", "by_against", "mutual", "report"}
_GAP = {"*": 3, "**": 6}


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
        alts.append(_inflect(alt[:-1]) if alt.endswith("~") else re.escape(alt))
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


@functools.cache
def lexicon() -> tuple[re.Pattern, tuple[Action, ...]]:
    """The action lexicon ``tables/actions.tsv`` compiled: ``(regex, actions)``
    where group *i* + 1 of the case-insensitive regex belongs to ``actions[i]``.
    Rows with more words come first so that the longer phrase wins. Raises
    ``ValueError`` naming the line of a malformed row or an unknown CAMEO code."""
    actions: list[Action] = []
    header_seen = False
    for n, line in enumerate((TABLES / "actions.tsv").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            header_seen = True
            continue
        if len(cells) < 3:
            raise ValueError(f"actions.tsv line {n}: expected pattern, cameo_code, direction, notes")
        pattern, code, direction = (c.strip() for c in cells[:3])
        notes = cells[3].strip() if len(cells) > 3 else ""
        if direction not in _DIRECTIONS:
            raise ValueError(f"actions.tsv line {n}: unknown direction {direction!r}")
        if code not in _cameo_table():
            raise ValueError(f"actions.tsv line {n}: unknown CAMEO code {code!r}")
        words = sum(1 for t in pattern.split() if t not in _GAP)
        actions.append(Action(pattern, code, direction, notes, words))
    actions.sort(key=lambda a: (-a.words, -len(a.pattern)))
    rx = re.compile("|".join(f"({_pattern_regex(a.pattern)})" for a in actions), re.I)
    return rx, tuple(actions)


# --------------------------------------------------------------------------- context rules

_PREP_BEFORE = re.compile(r"\b(?P<p>in|at|near|outside|inside|around|on|about|over|regarding|concerning)\s+(?:the\s+)?$", re.I)
_VENUE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around"})
_ORG_AFFILIATION = re.compile(r"\b(?:envoy|ambassador|representative|delegate|mission|delegation)\s+to\s+(?:the\s+)?$", re.I)
_CHAIN_SEP = re.compile(r"\s*(?:,\s*and|,|and|&|as well as|-|–|/)\s*(?:the\s+)?", re.I)
_CHAIN_NOUNS = re.compile(r"\s+(?P<nouns>(?:[\w’'-]+\s+){1,2}?)(?:and|,)\s+(?:the\s+)?", re.I)
_BE_AUX = re.compile(r"\b(?:was|were|been|being|is|are|be|get|got)\s+(?:\w+\s+)?$", re.I)
_BY_AFTER = re.compile(r"\s+(?:by|of)\s+", re.I)
_MODAL = re.compile(
    r"\b(?:could|would|may|might|will|shall|can|plans?|planning|planned|intends?|intended|ready|offer(?:s|ed)?|"
    r"promis(?:e|es|ed)|pledg(?:e|es|ed)|agree(?:s|d)?|wants?|wanted|propos(?:e|es|ed)|expects?|expected|going|"
    r"aims?|prepared|willing|decided|decides|consider(?:s|ed|ing)?)\b(?:\s+to)?\s+(?:[\w’'-]+\s+){0,6}$",
    re.I)
_NEGATION = re.compile(
    r"(?:\b(?:not|never|no|refus\w*\s+to|declin\w*\s+to|fail\w*\s+to|ban\s+on|without|instead\s+of|suspend\w*|halt\w*|"
    r"stop\w*|cancel\w*|postpon\w*|abandon\w*|scrap\w*|freez\w*)|n[’']t)\s+(?:\w+\s+){0,3}$",
    re.I)
_NEGATION_INSIDE = re.compile(r"\b(?:not|no|never)\b|n[’']t\b", re.I)
# "since the invasion", "in retaliation for": a reference to another happening, not a report of one
_BACKGROUND = re.compile(r"(?:\b(?:since|before|after|until|during)\s+(?:the|a|an|its|their|his|her)\s+$)|"
                         r"(?:\bin\s+$)", re.I)
_BACKGROUND_IN = re.compile(r"(?:retaliat|protest|response|solidarity|exchange)", re.I)
_AGENT_NOUNS = frozenset("""
chancellor premier secretary spokesman spokeswoman spokesperson king queen speaker treasury department
foreign defence defense interior deputy senior top delegates envoys ambassadors officers
authorities authority government governments president presidents prime minister ministers ministry leader leaders
leadership officials official side delegation delegations diplomats diplomat troops forces force army military
navy border guards guard embassy ambassador envoy fm counterpart counterparts parliament lawmakers deputies
state media regime administration cabinet court prosecutors security services service intelligence
police soldiers jets warships company companies authorities' negotiators team
""".split())
_WORD = re.compile(r"[\w’'-]+")
# nouns whose "of X" names the one who acts ("the visit of X", "the withdrawal of Russia");
# for "invasion of X", "annexation of X" X is the target and the default rules apply
_OF_AGENT_NOUN = re.compile(r"(?:visit|visits|statement|withdrawal|meeting|decision|proposal|refusal|protest|demand|"
                            r"call|offer|accusations?|delegation)$", re.I)
_INTENT = {"06": "031", "060": "031", "061": "0311", "062": "0312", "063": "0313", "064": "0314",
           "07": "033", "070": "033", "071": "0331", "072": "0332", "073": "0333", "074": "0334", "075": "033",
           "08": "035", "080": "035", "081": "0351", "0811": "0351", "082": "0352", "084": "0353", "0841": "0353",
           "0842": "0353", "085": "0354", "086": "0355", "0871": "0356", "087": "0356", "0874": "0356"}
_RIGHT_WINDOW_WORDS = 12


@dataclass
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


@dataclass
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
    fallback_pair: bool
    cands: list[_Cand]


def _priority(code: str, direction: str, words: int) -> tuple:
    # a reporting verb loses to any act; a specific code to its "not specified" parent
    return (direction != "report", len(code), not code.endswith("0"), words)


def _is_agentive(sentence: str, end: int, kind: str) -> bool:
    if kind != "adjective":
        return True
    words = _WORD.findall(sentence, end, min(len(sentence), end + 48))[:3]
    return any(w.lower().strip("’'") in _AGENT_NOUNS for w in words)


def _sentence_cands(sentence: str, s0: int, ms: list) -> list[_Cand]:
    out: list[_Cand] = []
    for m in ms:
        a, b = m.start - s0, m.end - s0
        kind = getattr(m, "kind", "name")
        if kind == "organisation" and _ORG_AFFILIATION.search(sentence, max(0, a - 40), a):
            continue
        pm = _PREP_BEFORE.search(sentence, max(0, a - 20), a)
        out.append(_Cand(m.actor, a, b, kind, _is_agentive(sentence, b, kind),
                         getattr(m, "person", None), getattr(m, "office", None),
                         pm.group("p").lower() if pm else None, pm.start() if pm else -1,
                         getattr(m, "surface", "")))
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


def _pairs_for(sentence: str, cands: list[_Cand], t0: int, t1: int, direction: str, code: str,
               trig_text: str) -> list[tuple[str, str, bool]]:
    """(actor1, actor2, found_by_fallback) for one action word at [t0, t1) of ``sentence``."""
    root = code[:2]
    meeting = root in ("03", "04", "05")

    def usable(c: _Cand) -> bool:
        if c.prep is None or t0 <= c.prep_start < t1:
            return True     # "arrived in Beijing": the preposition belongs to the action
        if c.prep in _VENUE_PREPS:
            # a place where people met is not a party; elsewhere only a capital or seat after "in" is a place
            return not (meeting or c.kind in ("capital", "seat"))
        # "talks on Ukraine": the topic of a meeting is not a party
        return not (root == "04" and c.prep_start >= t1)

    idx = [i for i, c in enumerate(cands) if usable(c)]
    inside = [i for i in idx if cands[i].start >= t0 and cands[i].end <= t1]
    inside_agent = [i for i in inside
                    if re.search(r"\bof\s+(?:the\s+)?$", sentence[max(t0, cands[i].start - 10):cands[i].start], re.I)
                    and _OF_AGENT_NOUN.search(sentence[t0:cands[i].start].split(" of")[0])]
    left = [i for i in idx if cands[i].end <= t0 and ";" not in sentence[cands[i].end:t0]] + inside_agent
    right = [i for i in inside if i not in inside_agent] + \
            [i for i in idx if cands[i].start >= t1 and ";" not in sentence[t1:cands[i].start]]
    near_right = [i for i in right if _words_between(sentence, t1, cands[i].start) <= _RIGHT_WINDOW_WORDS]

    def different(idxs: list[int], actor: str) -> list[int]:
        return [i for i in idxs if cands[i].actor != actor]

    agent_after = None
    by = _BY_AFTER.match(sentence, t1)
    if by and right and _words_between(sentence, by.end(), cands[right[0]].start) <= 3 and (
            by.group().strip().lower() == "by" or _OF_AGENT_NOUN.search(trig_text)):
        agent_after = right[0]
    if direction in ("passive", "by_against") and right:
        agent_after = right[0]

    if agent_after is not None:
        a1 = cands[agent_after]
        passive = direction == "passive" or _BE_AUX.search(sentence, max(0, t0 - 24), t0) or \
            trig_text.lower().endswith(("ed", "en"))
        targets = different([i for i in near_right if i > agent_after], a1.actor)
        if passive or not targets:
            lefts = different(left, a1.actor)
            if lefts:
                return [(a1.actor, cands[lefts[-1]].actor, False)]
        if targets:
            return [(a1.actor, cands[t].actor, False) for t in _chain(sentence, cands, targets[0], 1)
                    if cands[t].actor != a1.actor]
        return []

    # an adjective right before the action noun qualifies it: "Belarusian-Russian negotiations", "Polish protest"
    agents = [i for i in left if cands[i].agentive or _words_between(sentence, cands[i].end, t0) <= 1]
    if agents:
        a_idx = agents[-1]
        subj = _chain(sentence, cands, a_idx, -1)
        targets = different(near_right, cands[a_idx].actor)
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
        if len(distinct) >= 2:
            return [(distinct[0], distinct[1], False)]
        if near_right:
            return []       # the action is aimed at the subject's own side: "Russia ... poisoning of Navalny"
        others = different(left, cands[a_idx].actor)
        if others:
            return [(cands[a_idx].actor, cands[others[-1]].actor, True)]
        far = different(right, cands[a_idx].actor)
        if far:
            return [(cands[a_idx].actor, cands[far[0]].actor, True)]
        return []
    # no subject before the word: "talks between A and B", "Talks with Russia, Belarus said"
    if near_right:
        first = near_right[0]
        rest = different([i for i in right if i > first], cands[first].actor)
        if rest and (direction == "mutual" or _words_between(sentence, t1, cands[first].start) <= 4):
            return [(cands[first].actor, cands[rest[0]].actor, False)]
    return []


# --------------------------------------------------------------------------- extraction

_OFFICE_PHRASE = {
    "president": "President of {country}", "prime_minister": "Prime Minister of {country}",
    "foreign_minister": "Foreign Minister of {country}", "nato_envoy": "{country}'s envoy to NATO",
    "president_elect": "President-elect of {country}",
}


def _office_warning(cands: list[_Cand], pair: tuple[str, str], date: str | None, precision: str | None) -> str | None:
    if not date or precision not in ("day", "week", "month"):
        return None
    for c in cands:
        if not (c.person and c.office and c.actor in pair):
            continue
        if actors.held_office(c.person, c.office, date[:7] if precision == "month" else date) is not False:
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


def _key(published_at: str, evidence: str, a1: str, a2: str, root: str) -> str:
    pair = "-".join(sorted((a1, a2)))
    raw = f"{published_at[:10]}\x1f{' '.join(evidence.split())}\x1f{pair}\x1f{root}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def extract_events(text: str, published_at: str) -> list[ExtractedEvent]:
    """Events told in ``text``, an article body (or title + body) as stored.

    ``published_at``: ``'YYYY-MM-DD'`` or ``'YYYY-MM-DD HH:MM'``; raises
    ``ValueError`` otherwise. Returns :class:`ExtractedEvent` s in text order of
    their first evidence; all offsets index ``text``. One event per sentence,
    actor pair and action, after which the same happening told twice (same pair,
    same date, same CAMEO root or QuadClass) is merged into one event with
    several ``spans``. Empty text gives ``[]``.
    """
    parse_published(published_at)
    if not text or not text.strip():
        return []
    rx, actions = lexicon()
    all_mentions = actors.mentions(text)
    starts = [m.start for m in all_mentions]
    paras = paragraphs(text)
    para_starts = [p[0] for p in paras]

    raws: list[_Raw] = []
    last_day: str | None = None          # anchor for "the following day"
    para_idx = -1
    para_date: tuple[str, str, bool] | None = None   # latest date seen in the current paragraph

    for s0, s1 in sentences(text):
        p = bisect.bisect_right(para_starts, s0) - 1
        if p != para_idx:
            para_idx, para_date = p, None
        sent = text[s0:s1]
        dms = find_dates(sent, published_at, previous=last_day)
        lo = bisect.bisect_left(starts, s0)
        hi = bisect.bisect_left(starts, s1, lo)
        ms = [m for m in all_mentions[lo:hi] if m.end <= s1]
        if len({m.actor for m in ms}) >= 2:
            raws.extend(_sentence_events(sent, s0, s1, ms, dms, para_date, published_at, rx, actions))
        if dms:
            last = dms[-1]
            para_date = (last.date, last.precision, last.year_inferred)
            days = [d for d in dms if d.precision == "day"]
            if days:
                last_day = days[-1].date
    return _merge(raws, text, published_at)


_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def _sentence_events(sent, s0, s1, ms, dms, para_date, published_at, rx, actions) -> list[_Raw]:
    cands = _sentence_cands(sent, s0, ms)
    if len({c.actor for c in cands}) < 2:
        return []
    found = []
    for m in rx.finditer(sent):
        act = actions[m.lastindex - 1]
        t0, t1 = m.span()
        # an action word that is part of an actor's name ("Union State") is not an action
        if any(c.start < t1 and t0 < c.end and not (c.start >= t0 and c.end <= t1) for c in cands):
            continue
        before = sent[max(0, t0 - 48):t0]
        bg = _BACKGROUND.search(before)
        if bg and (not bg.group().lower().startswith("in") or _BACKGROUND_IN.match(sent, t0)):
            continue
        code = act.code
        root = code[:2]
        if root in ("03", "04", "05", "06", "07", "08") and (
                _NEGATION.search(before) or _NEGATION_INSIDE.search(sent, t0, t1)):
            continue
        if code in _INTENT and _MODAL.search(sent, max(0, t0 - 64), t0):
            code = _INTENT[code]
        found.append((t0, t1, act, code))
    if not found:
        return []
    if any(a.direction != "report" for _, _, a, _ in found):
        found = [f for f in found if f[2].direction != "report"]
    # "agreed to deploy", "pledged to send": the action named next is the event, not the promise
    found = [f for f in found if not (f[3] == "030" and any(0 <= g[0] - f[1] <= 40 for g in found if g is not f))]
    out: list[_Raw] = []
    for t0, t1, act, code in found:
        pairs = _pairs_for(sent, cands, t0, t1, act.direction, code, sent[t0:t1])
        if not pairs:
            continue
        if dms:
            # the most precise date of the sentence; among equals the one nearest the action word
            dm = min(dms, key=lambda d: (_PRECISION_RANK[d.precision],
                                         d.start - t0 if d.start >= t0 else t0 - d.end))
            date, prec, inferred, source = dm.date, dm.precision, dm.year_inferred, "sentence"
        elif para_date:
            date, prec, inferred = para_date
            source = "paragraph"
        else:
            date = published_at[:10]
            t = tense_at(sent, t0)
            prec = "day" if t is None else "week"
            inferred, source = False, "published"
        seen = set()
        for a1, a2, fb in pairs:
            if (a1, a2) in seen or a1 == a2:
                continue
            seen.add((a1, a2))
            out.append(_Raw(a1, a2, code, act.direction, act.words, (s0, s1), t0, date, prec, inferred, source,
                            fb, cands))
    return out


_SOURCE_CONF = {"sentence": 0.85, "paragraph": 0.65, "published": 0.5}


def _merge(raws: list[_Raw], text: str, published_at: str) -> list[ExtractedEvent]:
    groups: list[list[_Raw]] = []
    for r in raws:
        pair = frozenset((r.actor1, r.actor2))
        quad = cameo(r.code)["quad_class"]
        for g in groups:
            h = g[0]
            if frozenset((h.actor1, h.actor2)) == pair and h.date == r.date and any(
                    x.code[:2] == r.code[:2] or cameo(x.code)["quad_class"] == quad for x in g):
                g.append(r)
                break
        else:
            groups.append([r])
    events: list[ExtractedEvent] = []
    for g in groups:
        best = max(g, key=lambda r: _priority(r.code, r.direction, r.words))
        first = g[0]
        spans: list[tuple[int, int]] = []
        for r in g:
            if r.sent not in spans:
                spans.append(r.sent)
        row = cameo(best.code)
        conf = max(_confidence(r) for r in g) + 0.05 * min(2, len(spans) - 1)
        warning = None
        for r in g:
            warning = _office_warning(r.cands, (best.actor1, best.actor2), best.date, best.precision)
            if warning:
                break
        if warning:
            conf -= 0.3
        s0, s1 = spans[0]
        evidence = text[s0:s1]
        events.append(ExtractedEvent(
            key=_key(published_at, evidence, best.actor1, best.actor2, row["root"]),
            actor1=best.actor1, actor2=best.actor2,
            date=best.date, date_precision=best.precision, year_inferred=best.inferred,
            cameo_code=best.code, root_code=row["root"], quad_class=row["quad_class"],
            goldstein=row["goldstein"], evidence=evidence, char_start=s0, char_end=s1, spans=spans,
            confidence=round(min(0.99, max(0.05, conf)), 2), warning=warning,
        ))
        _ = first
    return events


def _confidence(r: _Raw) -> float:
    c = _SOURCE_CONF[r.date_source]
    if r.inferred:
        c -= 0.05
    if r.fallback_pair:
        c -= 0.1
    if r.direction == "report":
        c -= 0.1
    return c

"""Who did what to whom inside one sentence: the clause rules of event extraction.

:mod:`dashboard.analysis.extract` finds action words and the actor mentions of a
sentence; the plain reading is "the actor before the action acts on the actor after
it". These rules cover the sentence shapes where that reading is wrong, without a
parser (a sentence reaches them only when it has two actors and an action word):

* **reported speech**: "Belarus said (that) ...", "..., Tusk said", "according to X".
  The speaker is the actor of an action in what they say when that clause has no
  agent of its own: "we"/"I" in a quote, a passive without "by" ("755 U.S.
  diplomats will be expelled", said Putin).
* **diplomats**: the country whose ambassador is expelled ("the Polish ambassador
  should leave") is the target; the country whose ambassador is recalled ("Russia's
  ambassador to the US was recalled") is the actor and the host the target.
* **what a statement is about**: an action named after an accusation, a denial, a
  criticism, an appeal or a demand ("accused Russia of an attack", "called the plans
  to deploy missiles a fiction", "demanded the withdrawal of") is what is said, not an
  event of its own; an action word right after another ("cut off gas supply") is part
  of it.
* **hedged conflict**: "might impose sanctions", "could consider closing the border",
  "is expected to impose sanctions" is a threat (13), not the measure.
* **relative clauses**: "the episode, which has threatened to derail ..." has no country as
  its agent; "the Russian army, which has shelled ..." keeps the army's.
* **negation**: "did not expel" gives no event of any kind; "reluctant to", "unwilling
  to" negate like "refused to".

Each function is small and reads only the sentence and its actor mentions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# --------------------------------------------------------------------------- reported speech

_REPORT = re.compile(r"\b(?:said|says|told|tells|added|adds|stated|announced|noted|stressed|wrote|insisted|"
                     r"declared|according\s+to)\b", re.I)
# a following speaker ("..., said Putin") only after these; "told X" names the listener
_REPORT_INVERTED = frozenset({"said", "says", "added", "adds", "stated", "noted", "stressed", "wrote", "insisted",
                              "declared"})
_WORD = re.compile(r"[\w’'.-]+")
_QUOTE_CLOSE = re.compile(r"[,.!?]?[”\"]")
_ARTICLE_END = re.compile(r"(?<![\w-])(?:the|a|an)$", re.I)
_SPEAKER_GAP = 5        # words between a speaker and the reporting verb ("German Foreign Minister Heiko Maas said")


@dataclass(frozen=True, slots=True)
class Speech:
    """A reporting clause: ``actor`` said what is in ``sentence[start:end]``;
    ``actors``: it and the actors named with it ("Poland, Hungary and Slovakia said")."""

    actor: str
    start: int
    end: int
    actors: tuple[str, ...] = ()

    def holds(self, t0: int, t1: int) -> bool:
        return self.start <= t0 and t1 <= self.end


def _words(sentence: str, a: int, b: int) -> int:
    return len(_WORD.findall(sentence, a, b)) if b > a else 0


def speech(sentence: str, cands: list) -> Speech | None:
    """The first reporting clause of ``sentence`` whose speaker is one of ``cands``
    (actor mentions with ``actor``, ``start``, ``end``, ``agentive``), or None."""
    for m in _REPORT.finditer(sentence):
        verb = m.group().lower()
        if verb.startswith("according"):
            after = [c for c in cands if c.start >= m.end() and _words(sentence, m.end(), c.start) <= 2]
            if after:
                return Speech(after[0].actor, 0, m.start())
            continue
        # a country named inside the quote that ends before the verb is not the speaker:
        # "... leave U.S. actions unanswered," said Putin
        before = [c for c in cands if c.end <= m.start() and c.agentive
                  and _words(sentence, c.end, m.start()) <= _SPEAKER_GAP
                  and not _QUOTE_CLOSE.search(sentence, c.end, m.start())]
        if before:
            c = before[-1]
            # "..., Tusk said": the speaker closes the sentence, the quote before is what was said
            # ("..., the Russian ambassador said": an article may stand before the speaker)
            head = _ARTICLE_END.sub("", sentence[:c.start].rstrip(" ")).rstrip(" ")
            if head.endswith((",", "”", "\"", "’")) and _words(sentence, m.end(), len(sentence)) <= 12:
                return Speech(c.actor, 0, c.start, (c.actor,))
            return Speech(c.actor, m.end(), len(sentence), _coordinated(sentence, cands, c))
        if verb in _REPORT_INVERTED and sentence[:m.start()].rstrip().endswith((",", "”", "\"")):
            after = [c for c in cands if c.start >= m.end() and c.agentive
                     and _words(sentence, m.end(), c.start) <= _SPEAKER_GAP
                     and not _CLAUSE_WORDS.search(sentence, m.end(), c.start)]
            if after:
                return Speech(after[0].actor, 0, m.start())
    return None


# between "…, said" and a following name these start a clause of what was said: "…, said it has
# evidence that Ukraine …" (Ukraine is no speaker)
_CLAUSE_WORDS = re.compile(r"\b(?:that|it|they|he|she|we|has|have|had|is|was|were|would|will)\b", re.I)


_AND = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?")


def _coordinated(sentence: str, cands: list, last) -> tuple[str, ...]:
    """The actors of ``last`` and the mentions listed before it ("Poland, Hungary and Slovakia")."""
    out = [last.actor]
    k = cands.index(last)
    while k > 0 and _AND.fullmatch(sentence, cands[k - 1].end, cands[k].start):
        k -= 1
        if cands[k].actor not in out:
            out.insert(0, cands[k].actor)
    return tuple(out)


_FIRST_PERSON = re.compile(r"\b(?:[Ww]e|I|(?i:our\s+(?:country|government|side|state))|[Мм]ы)\b")


# after "X said (that)": "it", "they", "he", "she" as a subject is the speaker ("Lithuania said it would")
_THIRD_PERSON = re.compile(r"\b(?:it|they|he|she|the\s+(?:company|ministry|government|bloc|alliance))\s+"
                           r"(?!is\b|was\b|are\b|were\b)", re.I)


def speaker_subject(sentence: str, cands: list, sp: Speech | None, t0: int) -> bool:
    """True when the action at ``t0`` is inside what ``sp`` said and its subject is the
    speaker: "we" or "I" in a quote, "it"/"they"/"he"/"she" after "X said (that)" (no
    actor mention between the pronoun and the action)."""
    if sp is None or not sp.start <= t0 <= sp.end:
        return False
    lo = max([sp.start] + [c.end for c in cands if c.end <= t0])
    if _FIRST_PERSON.search(sentence, lo, t0) is not None:
        return True
    return sp.start > 0 and _THIRD_PERSON.search(sentence, lo, t0) is not None


# --------------------------------------------------------------------------- diplomats

# "the Polish ambassador", "Russia's envoy", "U.S. diplomats", "the Belarusian military attaché"
_DIPLOMAT_AFTER = re.compile(
    r"(?:[’']s?)?\s+(?:(?:acting|deputy|military|top|senior|new|chief|two|three|several|all)\s+)?"
    r"(?:ambassadors?|envoys?|diplomats?|chargés?|charges?|consuls?|embassy|embassies|attachés?|attaches?|"
    r"diplomatic\s+staff)\b", re.I)
_HOST_AFTER = re.compile(r"[^.;]{0,40}?\s(?:to|in|at|from|в|во|из|покинуть)\s+(?:the\s+)?$", re.I)
_BY = re.compile(r"\s+by\s+(?:the\s+)?", re.I)


def _recall(trig: str) -> bool:
    return trig.startswith(("recall", "withdr", "отозв", "отзыв")) or " recalled" in trig or " withdrawn" in trig


def _expel(trig: str) -> bool:
    return any(w in trig for w in ("expel", "expul", "leave", "grata", "persona", "высл", "высыл", "выдвор",
                                   "покин"))


# Russian: "посла Латвии", "сотрудников посольства Латвии" (the country after the diplomat, genitive),
# "белорусских дипломатов" (a nationality adjective before)
_DIPLOMAT_BEFORE_RU = re.compile(r"(?:посол|посла|послу|послом|послы|послов|посольств\w*|дипломат\w*|поверенн\w*"
                                 r"(?:\s+в\s+делах)?|консул\w*|атташе|дипмисси\w*)\s+$", re.I)
_DIPLOMAT_AFTER_RU = re.compile(r"\s+(?:\w+\s+)?(?:посол|посла|послу|послом|послы|послов|посольств|дипломат|"
                                r"поверенн|консул|атташе|дипмисси)", re.I)


def _diplomat_owner(sentence: str, c) -> bool:
    """Whether mention ``c`` names the country of a diplomat ("the Polish ambassador", "посла Латвии")."""
    if _DIPLOMAT_AFTER.match(sentence, c.end):
        return True
    if "\u0400" <= sentence[c.start:c.start + 1] <= "\u04ff":
        return (_DIPLOMAT_BEFORE_RU.search(sentence, max(0, c.start - 40), c.start) is not None
                or _DIPLOMAT_AFTER_RU.match(sentence, c.end) is not None)
    return False


def diplomat_pairs(sentence: str, cands: list, t0: int, t1: int, trig: str,
                   sp: Speech | None) -> list[tuple[str, str, bool]] | None:
    """(actor1, actor2, fallback) pairs for an expulsion or recall whose diplomat's
    country is named ("the Latvian ambassador", "Russia's envoy to the US"); None when
    the action is neither or no diplomat's country is named near it."""
    trig = trig.lower()
    recall = _recall(trig)
    if not recall and not _expel(trig):
        return None
    owners = [i for i, c in enumerate(cands) if t0 - 40 <= c.start <= t1 + 40 and _diplomat_owner(sentence, c)]
    if not owners:
        return None
    owner_actors = {cands[i].actor for i in owners}

    def host(after: int) -> str | None:
        for c in cands:
            if c.start >= after and c.actor not in owner_actors and _HOST_AFTER.fullmatch(sentence, after, c.start):
                return c.actor
        return None

    o = cands[owners[0]]
    if all(cands[i].start >= t1 for i in owners) and any(c.end <= t0 and c.agentive for c in cands):
        return None     # "Poland and Lithuania expelled Russian diplomats": the plain reading is right
    if recall:
        target = host(o.end) or host(t1)
        if target is None and sp is not None and sp.actor not in owner_actors:
            target = sp.actor
        return [(o.actor, target, False)] if target else []
    by = _BY.match(sentence, t1)
    actor = None
    if by:
        actor = next((c.actor for c in cands if c.start == by.end() and c.actor not in owner_actors), None)
    if actor is None:
        left = [c for c in cands if c.end <= t0 and c.actor not in owner_actors and c.agentive
                and not _HOST_AFTER.fullmatch(sentence, max(0, c.start - 45), c.start)]
        if left:
            actor = left[-1].actor
    if actor is None and sp is not None and sp.actor not in owner_actors:
        actor = sp.actor
    if actor is None:
        actor = host(o.end) or host(t1)
    if actor is None:
        return []
    out = []
    for i in owners:
        a = cands[i].actor
        if a != actor and (actor, a, False) not in out:
            out.append((actor, a, False))
    return out


# --------------------------------------------------------------------------- passives

_BE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?$", re.I)
_IRREGULAR_PARTICIPLES = frozenset("""
held sent shot brought built cut hit kept left made met seen shut sold struck taken thrown told given withdrawn
frozen broken chosen driven forbidden
""".split())


def passive_without_agent(sentence: str, t0: int, t1: int) -> bool:
    """True for "was invited", "will be expelled", "were being recalled" with no "by X" after."""
    if not _BE_BEFORE.search(sentence, max(0, t0 - 30), t0):
        return False
    word = sentence[t0:t1].split()[0].lower()
    if not (word.endswith(("ed", "en")) or word in _IRREGULAR_PARTICIPLES):
        return False
    return _BY.match(sentence, t1) is None


def patient_before(cands: list, t0: int) -> str | None:
    """The actor of the last mention before ``t0`` (the subject of a passive)."""
    left = [c for c in cands if c.end <= t0]
    return left[-1].actor if left else None


def nearest_named(cands: list, sp: Speech, t0: int, t1: int) -> str | None:
    """The actor named in what ``sp`` said nearest the phrase ``[t0, t1)``, other than the
    speakers: whom a threat or criticism said by them is aimed at."""
    speakers = set(sp.actors or (sp.actor,))
    inside = [c for c in cands if sp.start <= c.start and c.end <= sp.end and c.actor not in speakers]
    if not inside:
        return None
    return min(inside, key=lambda c: t0 - c.end if c.end <= t0 else c.start - t1).actor


def first_after(sentence: str, cands: list, t0: int, t1: int, not_actors, reach: int = 12) -> str | None:
    """The first actor named inside the action phrase ``[t0, t1)`` or after it (within
    ``reach`` words), other than ``not_actors``."""
    for c in cands:
        if c.start >= t0 and c.actor not in not_actors:
            return c.actor if _words(sentence, t1, c.start) <= reach else None
    return None


# --------------------------------------------------------------------------- relative clauses

# "..., which has already threatened to": the subject of the action is what "which" stands for
_RELATIVE = re.compile(r"(?:which|who)\s+(?:(?:has|have|had|is|are|was|were|will|would|could|may|might|already|"
                       r"also|now|then|reportedly|allegedly|repeatedly)\s+){0,3}", re.I)


def relative_without_actor(sentence: str, cands: list, t0: int) -> bool:
    """True when the action at ``t0`` opens a relative clause ("the episode, which has already
    threatened to ...") whose antecedent is not an actor mention: its agent is a thing, not a
    country named elsewhere in the sentence."""
    lo = max(0, t0 - 60)
    for m in _RELATIVE.finditer(sentence, lo, t0):
        if m.end() != t0 or (m.start() > 0 and sentence[m.start() - 1].isalnum()):
            continue
        lo = max(0, m.start() - 80)
        head = lo + len(sentence[lo:m.start()].rstrip(" ,\t\n"))
        # "the Chinese president, who visited": a mention inside the antecedent's phrase is its actor
        return not any(c.end <= head and _words(sentence, c.end, head) <= 3
                       and "," not in sentence[c.end:head] for c in cands)
    return False


# --------------------------------------------------------------------------- statements and their content

# roots whose action words are said: what they name after them is what was said
_VERBAL_ROOTS = frozenset({"01", "02", "10", "11", "12", "13"})
# a new clause: what follows is not what the statement before it is about
_CLAUSE_BREAK = re.compile(r";|\s(?:and|but)\s+(?:then\s+|also\s+|later\s+)?(?=\w+(?:ed|s)\b)|\.\s|"
                           r"\s(?:after|before|when|while|whereas|because|since|as|following|then|amid|prompting|forcing|leading|"
                           r"causing|triggering)\s", re.I)
_CONTENT_REACH = 90     # characters: "accused Russia of carrying out a cyberattack on"


def drop_content(found: list, sentence: str) -> list:
    """``found`` (``(t0, t1, action, code)`` in text order) without the actions that are
    what a statement before them is about ("condemned the invasion", "accused X of
    attacking", "urged Y to withdraw") and without an action word that directly follows
    another ("cut off gas supply": the supply is the thing cut)."""
    out = []
    for f in found:
        keep = True
        for g in out:
            gap = f[0] - g[1]
            if gap < 0:
                continue
            if gap <= 1 and not sentence[g[1]:f[0]].strip():
                keep = False        # adjacent: one phrase
                break
            if (g[3][:2] in _VERBAL_ROOTS and g[2].direction != "report" and g[3] != "030"
                    and gap <= _CONTENT_REACH and not _CLAUSE_BREAK.search(sentence, g[1], f[0])):
                keep = False
                break
        if keep:
            out.append(f)
    return out


# --------------------------------------------------------------------------- deterrence

# "to boost their defences against Russia", "to deter Russia": whom a deployment is aimed at
_AIMED_AT = re.compile(r"\b(?:against|deter|deters|deterring|to\s+counter|in\s+the\s+face\s+of|threats?\s+from)\s+"
                       r"(?:the\s+|a\s+|an\s+)?(?:possible\s+|potential\s+)?(?:threat\s+from\s+)?", re.I)
_AIMED_REACH = 120      # characters after the deployment: "send four battalions to the Baltic states and
                        # Poland to boost their defenses against Russia"
DEPLOY_ROOTS = frozenset({"03", "06", "15"})


def deterred(sentence: str, cands: list, t1: int, not_actors) -> str | None:
    """The country a deployment ending at ``t1`` is aimed at ("... to boost their defences
    against Russia", "... to deter Russia"): force posture (150) against it. None when the
    sentence names none, or only the countries the troops go to or come from."""
    for m in _AIMED_AT.finditer(sentence, t1, min(len(sentence), t1 + _AIMED_REACH)):
        for c in cands:
            if c.start == m.end() and c.actor not in not_actors:
                return c.actor
    return None


# --------------------------------------------------------------------------- hedges and negation

_HEDGES = frozenset("""
might may could consider considers considering considered mull mulls mulling weigh weighs weighing discuss
discussing discussed threaten threatens threatened threatening ready prepared willing possible possibly
может могут мог могла могли могло сможет возможно возможен возможна возможны готов готова готовы рассмотреть
рассматривает рассматривают рассмотрит угрожает угрожают пригрозил пригрозила пригрозили грозит
""".split())    # (and the Russian hedges: roles_ru)
# "is expected to impose", "likely to close": a measure foreseen, not taken
_EXPECTED = frozenset({"expected", "likely", "poised"})
# a measure that is only considered or threatened: the matching CAMEO threat
_THREAT = {"14": "133", "15": "138", "16": "1313", "160": "1313", "161": "1313", "162": "1311", "1621": "1311",
           "163": "1312", "164": "134", "166": "136", "17": "137", "18": "138", "19": "138", "191": "1381",
           "192": "1382", "20": "1383"}


def threat_code(code: str, words_before: list[str], sentence: str, t1: int) -> str:
    """``code`` as a threat when a material-conflict action is hedged ("might impose
    sanctions", "sanctions could target"), else ``code``."""
    if code[:2] < "14":
        return code
    last = words_before[-6:]
    hedged = not _HEDGES.isdisjoint(last) or any(
        w in _EXPECTED and nxt == "to" for w, nxt in zip(last, last[1:]))
    if not hedged:
        after = sentence[t1:t1 + 30].lower().split()[:3]
        hedged = not _HEDGES.isdisjoint(after)
    if not hedged:
        return code
    return _THREAT.get(code) or _THREAT.get(code[:3]) or _THREAT.get(code[:2]) or "130"


_PLAIN_NEG = frozenset({"not", "never", "no"})


def plainly_negated(words_before: list[str]) -> bool:
    """"not", "never", "no", "-n't" among the last three words: "did not expel"."""
    for w in words_before[-3:]:
        if w in _PLAIN_NEG or w.endswith(("n't", "n’t")):
            return True
    return False


# --------------------------------------------------------------------------- background reasons

_REASON_PAIRS = (("protest", "at"), ("protest", "over"), ("protest", "against"), ("response", "to"),
                 ("retaliation", "for"), ("retaliation", "against"), ("reaction", "to"), ("reply", "to"),
                 ("answer", "to"), ("wake", "of"), ("aftermath", "of"))
_STATE_MARKERS = (("until", "now"), ("so", "far"))
# "ahead of a government meeting", "on the sidelines of the summit": a setting, not a happening
_SETTING_MARKERS = (("ahead", "of"), ("prior", "to"), ("sidelines", "of"))
_SETTING_NOUNS = ("meeting", "summit", "talks", "conference", "session", "visit", "forum")
_NP_WORDS = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "fresh", "new",
                       "latest", "recent", "alleged", "further", "its", "last", "year's", "week's", "month's"})


# the first words of the markers above: without one of them nothing is checked
REASON_WORDS = frozenset(a for a, _ in _REASON_PAIRS + _STATE_MARKERS + _SETTING_MARKERS)


def reason_before(words_before: list[str], actor_words: set[str], trigger: str = "") -> bool:
    """"in protest at a Russian ban", "in response to Lithuania's closure", "has until now
    insisted": the action is the reason or a standing state, not a new event.
    ``actor_words``: the lower-case words of the sentence's actor mentions, which may
    stand between the marker and the action."""
    ws = words_before[-6:]
    setting = trigger.lower().startswith(_SETTING_NOUNS)
    for k in range(len(ws) - 1):
        if setting and (ws[k], ws[k + 1]) in _SETTING_MARKERS and len(ws) - k <= 4:
            return True
        if (ws[k], ws[k + 1]) in _STATE_MARKERS and len(ws) - k <= 4:
            return True
        if (ws[k], ws[k + 1]) in _REASON_PAIRS:
            between = ws[k + 2:]
            if all(w in _NP_WORDS or w in actor_words for w in between):
                return True
    return False

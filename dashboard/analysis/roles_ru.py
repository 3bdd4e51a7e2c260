"""Clause rules for Russian sentences: what :mod:`dashboard.analysis.roles` does for English.

:mod:`dashboard.analysis.extract` reads a text mostly in Cyrillic with the Russian action lexicon
(``tables/actions_ru.tsv``) and the same pair rules as English ("the actor before the action acts on
the actor after it", "A и B встретились", lists). Russian word order is freer and its cases carry
what English prepositions do, so a few rules are its own; each reads only the words around the
action and the sentence's actor mentions:

* **context** (:func:`action_code`): a negation right before the action ("не выслала") gives no
  event; a refusal ("отказалась подписать"), "без" or "вместо" gives no event of a cooperative
  action; a condition or a reason ("в случае", "если", "в связи с", "в ответ на") or a setting
  ("на переговорах", "после встречи") is background; a modal or a decision ("готова", "намерена",
  "хотел бы", "приняли решение") turns material cooperation into intent as in English, and a
  meeting into intent to meet (036); a hedge ("может", "могут", "готова") turns a conflict measure
  into a threat (13, :func:`dashboard.analysis.roles.threat_code`).
* **places and topics** (:func:`preposition`): "в Минске", "на Украине" (locative) is where
  something happened, "в Минск" (accusative) where it went; "о/об/по Украине" is a topic.
* **acting adjectives** (:func:`agent_noun`): "белорусская сторона", "российские власти".
* **passive** (:func:`passive_pairs`): a short passive participle ("посол был вызван", "высланы")
  makes the mention before it the target and the one after it (or the speaker) the actor.
* **reported speech** (:func:`speech`): "X заявил, что …", "…, — заявил X", "по словам X".
* **diplomats**: :func:`dashboard.analysis.roles.diplomat_pairs` reads "посла Латвии",
  "белорусских дипломатов" too (the diplomats' country is the target of an expulsion).
"""
from __future__ import annotations

import re

from dashboard.analysis.roles import Speech

# --------------------------------------------------------------------------- context of the action

_NEGATIONS = frozenset({"не", "ни", "нет"})
_REFUSALS = ("отказ", "без", "вместо", "прекрат", "приостанов", "заморо")
_CONDITIONS = frozenset({"если", "случае", "случая", "чтобы", "будто"})
# the last word before the action that makes it the reason or time of something else
# ("путем санкций": a means of something else)
_BACKGROUND_LAST = frozenset({"после", "перед", "из-за", "против", "вследствие", "благодаря", "путем", "путём"})
_REASON_PAIRS = (("связи", "с"), ("ответ", "на"), ("знак", "протеста"), ("протест", "против"), ("ходе", ""),
                 ("время", ""), ("рамках", ""))
_SETTING_NOUN_STEMS = ("встреч", "переговор", "саммит", "заседани", "конференци", "визит", "форум", "беседе")
_SETTING_PREPS = frozenset({"на", "в", "во", "после", "перед", "до"})
_MODALS = frozenset("""
готов готова готово готовы намерен намерена намерены намерено планирует планируют планировал планировала
собирается собираются хочет хотят хотел хотела хотели бы пообещал пообещала пообещали обещал обещала
предложил предложила предложили согласился согласилась согласились решил решила решили решение может могут
""".split())


def _background(words: list[str], trigger: str) -> bool:
    """"в случае …", "если …", "в связи с …", "в ответ на …", "после/перед …", "на переговорах":
    the action is a condition, a reason, a time or a setting, not a new event."""
    if not words:
        return False
    last3 = words[-3:]
    if not _CONDITIONS.isdisjoint(last3):
        return True
    if words[-1] in _BACKGROUND_LAST:
        return True
    ws = words[-6:]
    for k in range(len(ws) - 1):
        a, b = ws[k], ws[k + 1]
        for x, y in _REASON_PAIRS:
            if a == x and (not y or b == y):
                return True
    # "ответные меры на визовые санкции": what is answered is no new event
    if "на" in words[-3:] and any(w.startswith("ответн") for w in words[-5:]):
        return True
    trig = trigger.lower()
    return words[-1] in _SETTING_PREPS and trig.startswith(_SETTING_NOUN_STEMS)


def action_code(code: str, before: list[str], sentence: str, t0: int, t1: int, intent: dict) -> str | None:
    """The code of a Russian action as the words ``before`` it tell, or None when they say it did
    not happen. ``intent``: material cooperation → intent (extract._INTENT)."""
    from dashboard.analysis.roles import threat_code
    last2 = before[-2:]
    if not _NEGATIONS.isdisjoint(last2):
        return None
    if code[:2] in ("03", "04", "05", "06", "07", "08") and any(w.startswith(_REFUSALS) for w in before[-3:]):
        return None
    if _background(before, sentence[t0:t1]):
        return None
    modal = not _MODALS.isdisjoint(before[-6:])
    if modal and code in intent:
        code = intent[code]
    elif modal and code[:2] == "04":
        code = "036"
    return threat_code(code, before, sentence, t1)


_PAST_ENDINGS = ("ил", "ал", "ял", "ел", "ыл", "ул", "ла", "ли", "ло", "лся", "лась", "лись", "лось")
_WORDS = re.compile(r"[а-яёА-ЯЁ]+")


def past(sentence: str, t0: int, t1: int) -> bool:
    """Whether the action at [t0, t1) is told in the past: its first word, or one of the four words
    before it, is a past-tense verb ("выслала", "приняли решение выслать", "объявила о высылке")."""
    near = _WORDS.findall(sentence, max(0, t0 - 60), t0)[-4:]
    first = _WORDS.match(sentence, t0)
    if first:
        near.append(first.group())
    return any(len(w) > 3 and w.lower().endswith(_PAST_ENDINGS) for w in near)


# --------------------------------------------------------------------------- places, topics, agents

_VENUE = frozenset({"в", "во", "на"})
_TOPIC = frozenset({"о", "об", "обо", "по"})
# locative endings ("в Минске", "в Латвии", "на Украине", "в Нидерландах"); accusative ones ("в Минск",
# "в Латвию") name where someone went
_LOCATIVE = ("е", "и", "ах", "ях")


def preposition(word_before: str, surface: str) -> str | None:
    """The preposition a Russian mention is placed by, as extract reads it: "в"/"на" for a place
    (only with a locative form), "о"/"об"/"по" for a topic, else None."""
    if word_before in _VENUE:
        return word_before if surface.endswith(_LOCATIVE) else None
    if word_before in _TOPIC:
        return word_before
    return None


_AGENT_STEMS = ("сторон", "власт", "мид", "министр", "министерств", "ведомств", "президент", "лидер", "глав",
                "правительств", "руководств", "делегац", "посол", "посла", "послу", "послы", "послов", "посольств",
                "дипломат", "военн", "войск", "арми", "пограничн", "спецслужб", "премьер", "парламент", "депутат",
                "суд", "прокурат", "компани", "кабмин", "чиновник", "официальн", "представител", "силов", "истребител",
                "самолет", "самолёт", "коллег", "партнер", "партнёр")


def agent_noun(word: str) -> bool:
    """Whether a Russian word after a nationality adjective makes it an actor ("белорусская сторона")."""
    return word.lower().startswith(_AGENT_STEMS)


# --------------------------------------------------------------------------- passive

_PARTICIPLE_GAP = re.compile(r"[\w-]+")


def passive_pairs(sentence: str, cands: list, t0: int, t1: int, passive: frozenset,
                  sp: Speech | None) -> list[tuple[str, str, bool]] | None:
    """Pairs for an action phrase with a passive participle ("посол Латвии был вызван в МИД",
    "дипломаты высланы"): the last mention before the participle is the target, the first other
    one after it (else the speaker, else the last acting mention before the target) the actor.
    None when the phrase has no passive participle."""
    at = None
    for m in _PARTICIPLE_GAP.finditer(sentence, t0, t1):
        if m.group().lower() in passive:
            at = m
    if at is None:
        return None
    before = [c for c in cands if c.end <= at.start()]
    if not before:
        return None
    patient = before[-1].actor
    agent = next((c.actor for c in cands if c.start >= at.end() and c.actor != patient), None)
    if agent is None and sp is not None and sp.actor != patient:
        agent = sp.actor
    if agent is None:
        agent = next((c.actor for c in reversed(before[:-1]) if c.agentive and c.actor != patient), None)
    return [(agent, patient, False)] if agent else []


# --------------------------------------------------------------------------- reported speech

# verbs only: "заявления" (statements) names no speaker
_REPORT = re.compile(r"(?<![\w-])(?:заявил|заявля|сказал|отметил|сообщил|добавил|подчеркнул|рассказал|написал|"
                     r"говорится|по\s+словам)\w*", re.I)
_WORD = re.compile(r"[\w-]+")
_QUOTE_BEFORE = re.compile(r"[»\"”]\s*[,.]?\s*[-–—]?\s*$")


def speech(sentence: str, cands: list) -> Speech | None:
    """The first reporting clause of a Russian sentence whose speaker is named: "X заявил, что …"
    (what follows), "«…», — заявил X" and "…, сказал X" (what comes before), "по словам X, …"."""
    for m in _REPORT.finditer(sentence):
        verb = m.group().lower()
        if verb.startswith("по"):
            after = [c for c in cands if c.start >= m.end() and len(_WORD.findall(sentence, m.end(), c.start)) <= 2]
            if after:
                return Speech(after[0].actor, after[0].end, len(sentence), (after[0].actor,))
            continue
        head = sentence[:m.start()]
        if _QUOTE_BEFORE.search(head) or head.rstrip().endswith((",", "-", "–", "—")):
            after = [c for c in cands if c.start >= m.end() and c.agentive
                     and len(_WORD.findall(sentence, m.end(), c.start)) <= 4]
            if after:
                return Speech(after[0].actor, 0, m.start(), (after[0].actor,))
        before = [c for c in cands if c.end <= m.start() and c.agentive
                  and len(_WORD.findall(sentence, c.end, m.start())) <= 5]
        if before:
            return Speech(before[-1].actor, m.end(), len(sentence), (before[-1].actor,))
    return None

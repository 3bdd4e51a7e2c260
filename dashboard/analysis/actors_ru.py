"""Russian gazetteer: every grammatical form of the Russian (and Belarusian) names of actors.

``tables/actors_ru.tsv`` lists each name once, in the nominative ("Россия", "белорусский",
"Путин", "Белый дом"); this module declines it with the morphological analyser pymorphy3
(its Russian dictionaries ship in the ``pymorphy3-dicts-ru`` package: nothing is downloaded)
and gives :mod:`dashboard.analysis.actors` one surface per form ("России", "Россию",
"Россией", "белорусских", "Путиным", "Белого дома" …), matched by the same longest-match
regex as the English names. Forms are made once, when the gazetteer is first built, so the
analyser never runs on an article's text: matching a Russian text costs what matching an
English one does.

Why an analyser rather than stems and endings in the table: the table stays a list of names
as a reader writes them, and the analyser knows the irregular forms a stem table would have
to spell out row by row (fleeting vowels "Египет → Египта", "Кремль → Кремлём", surnames
declined as adjectives "Зеленский → Зеленского", indeclinable names "Лукашенко", "Перу").
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from dashboard.knowledge import parse_table

# Table kinds and the Mention.kind they give (demonyms count as adjectives, as in English).
_KINDS = {"name": "name", "adjective": "adjective", "demonym": "adjective", "capital": "capital",
          "seat": "seat", "organisation": "organisation", "leader": "leader", "person": "person",
          "combining": "adjective", "blocker": "-", "seat_needs_country": "seat",
          "not_after": None}
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
# What a word's parse may be for the analyser to decline it: a noun or an adjective in the
# nominative. Among several parses, names of places, surnames and given names come first
# ("Того" is Togo, not the pronoun; "Дуда" the surname).
_DECLINED = {"NOUN", "ADJF", "PRTF"}     # PRTF: "Соединённые", "Объединённые"
_NAME_TAGS = ("Geox", "Surn", "Name", "Orgn")


@dataclass(frozen=True)
class Row:
    actor: str | None       # None for a blocker
    kind: str               # a key of _KINDS
    persons: tuple[str, ...]  # ids of tables/actor_people.tsv for leaders and persons
    surfaces: tuple[str, ...]


def _parse_row(row) -> Row:
    actor, kind, person, surfaces = row[0], row[1], row[2], row[3]
    if kind not in _KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    names = tuple(s.strip() for s in surfaces.split("|") if s.strip())
    if not names:
        raise ValueError("no surface")
    persons = tuple(p for p in person.split("|") if p.strip() and p != "-")
    return Row(None if actor == "-" else actor, kind, persons, names)


@functools.cache
def rows() -> tuple[Row, ...]:
    return tuple(parse_table("actors_ru.tsv", _parse_row, width=4))


@functools.cache
def _morph():
    import pymorphy3    # only here: loaded once, when the gazetteer is built
    return pymorphy3.MorphAnalyzer(lang="ru")


def _best_parse(word: str):
    """The parse of ``word`` to decline, or None to keep the word as written (abbreviations,
    indeclinable names, words not in the nominative such as the genitive of "Острова Кука")."""
    # only a parse of the dictionary or one whose lemma is the word itself: for a name it does
    # not know the analyser guesses ("Сибига" as the genitive of "сибиг"), and a guess would make
    # wrong forms; such names are declined by hand in the table
    parses = [p for p in _morph().parse(word) if p.tag.POS in _DECLINED and p.tag.case == "nomn"
              and (p.is_known or p.normal_form == word.lower())]
    if not parses:
        return None
    parses.sort(key=lambda p: not any(t in p.tag for t in _NAME_TAGS))
    best = parses[0]
    return None if "Fixd" in best.tag else best


def _restore_case(written: str, form: str) -> str:
    """``form`` (lower case, from the analyser) capitalised as ``written`` is, hyphen part by
    hyphen part ("Гвинея-Бисау" → "Гвинеи-Бисау"); a part written in capitals stays so."""
    out = []
    wparts, fparts = written.split("-"), form.split("-")
    if len(wparts) != len(fparts):
        return form[:1].upper() + form[1:] if written[:1].isupper() else form
    for w, f in zip(wparts, fparts):
        if w.isupper() and len(w) > 1:
            out.append(w)
        elif w[:1].isupper():
            out.append(f[:1].upper() + f[1:])
        else:
            out.append(f)
    return "-".join(out)


def _phrase_forms(phrase: str) -> set[str]:
    """The phrase in each case, in the number it is written in ("Нидерланды" stays plural).
    One word: every form of its lexeme in that number, variants included ("Россией" and
    "Россиею"). Several: their nominative words declined together, so adjective and noun agree
    ("Саудовская Аравия" → "Саудовской Аравии"). Words the analyser cannot decline are kept."""
    words = phrase.split(" ")
    parses = [None if w.isupper() else _best_parse(w) for w in words]
    if len(words) == 1:
        parse = parses[0]
        if parse is None:
            return {phrase}
        # the same number and gender: "Путин" gives "Путина", "Путиным", never "Путиной"
        return {phrase} | {_restore_case(phrase, f.word) for f in parse.lexeme
                           if f.tag.POS == parse.tag.POS and f.tag.number == parse.tag.number
                           and f.tag.gender == parse.tag.gender}
    # an adjective's accusative follows its noun's animacy ("Белый дом" → "Белый дом", not "Белого")
    animacy = next((p.tag.animacy for p in parses if p is not None and p.tag.POS == "NOUN"), None)
    forms = {phrase}
    for case in _CASES:
        out = []
        for word, parse in zip(words, parses):
            got = None
            if parse is not None:
                wanted = {case, animacy} if animacy and parse.tag.POS != "NOUN" else {case}
                got = parse.inflect(wanted) or parse.inflect({case})
            out.append(_restore_case(word, got.word) if got is not None else word)
        forms.add(" ".join(out))
    return forms


def _lexeme_forms(word: str, pos: str) -> set[str]:
    """Every form of an adjective or a noun (all genders, numbers and cases), written in lower
    case and with a capital (sentence start: "Белорусская сторона", "Белорусы")."""
    parses = [p for p in _morph().parse(word.lower()) if p.tag.POS == pos]
    if not parses:
        return {word, word[:1].upper() + word[1:]}
    forms = {f.word for f in parses[0].lexeme if f.tag.POS == pos}
    forms.add(word.lower())
    return forms | {f[:1].upper() + f[1:] for f in forms}


def _forms(row: Row, surface: str) -> set[str]:
    if surface.startswith("="):         # written as it is: no declension
        return {surface[1:]}
    if row.kind == "adjective":
        return _lexeme_forms(surface, "ADJF")
    if row.kind == "demonym":
        return _lexeme_forms(surface, "NOUN")
    if row.kind == "combining":
        return {surface, surface[:1].upper() + surface[1:]}
    return _phrase_forms(surface)


def _with_yo(forms: set[str]) -> set[str]:
    """Each form also with "е" for "ё" ("Соединённые"/"Соединенные"): most texts leave ё out."""
    return forms | {f.replace("ё", "е").replace("Ё", "Е") for f in forms}


@functools.cache
def entries() -> tuple[tuple[str, str | None, str, tuple[str, ...]], ...]:
    """``(surface, actor, kind, persons)`` for every form of every row of tables/actors_ru.tsv,
    blockers (actor None) first, in table order. ``kind`` is a Mention kind ('-' for blockers)."""
    out = []
    for row in sorted(rows(), key=lambda r: r.actor is not None):
        kind = _KINDS[row.kind]
        if kind is None:
            continue
        for surface in row.surfaces:
            for form in sorted(_with_yo(_forms(row, surface))):
                out.append((form, row.actor, kind, row.persons))
    return tuple(out)


@functools.cache
def combining_forms() -> frozenset[str]:
    """"российско", "американо" …: actors only right before a hyphen ("российско-белорусские")."""
    return frozenset(s for s, _, _, _ in entries() if s in _combining_surfaces())


@functools.cache
def _combining_surfaces() -> frozenset[str]:
    out = set()
    for row in rows():
        if row.kind == "combining":
            for s in row.surfaces:
                out |= _with_yo(_forms(row, s))
    return frozenset(out)


@functools.cache
def seats_needing_country() -> frozenset[str]:
    """Every form of the seats kept only when their country is named elsewhere in the text and
    they are not placed in another one ("Белый дом" is also Moscow's government building)."""
    out = set()
    for row in rows():
        if row.kind == "seat_needs_country":
            for s in row.surfaces:
                out |= _with_yo(_forms(row, s))
    return frozenset(out)


@functools.cache
def adjective_forms() -> frozenset[str]:
    """Every form of the adjectives: dropped before a word of ``not_after`` ("белорусский язык")."""
    out = set()
    for row in rows():
        if row.kind == "adjective":
            for s in row.surfaces:
                out |= _with_yo(_forms(row, s))
    return frozenset(out)


@functools.cache
def not_after() -> tuple[str, ...]:
    """Words right after an adjective that make it a language or a medium, not the state
    ("белорусский язык", "российские СМИ"): every form of the table's ``not_after`` words."""
    out = set()
    for row in rows():
        if row.kind == "not_after":
            for w in row.surfaces:
                out |= _phrase_forms(w)
    return tuple(sorted(out, key=len, reverse=True))


@functools.cache
def word_forms(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """Every form of ``word``'s lexeme, lower case, also with "е" for "ё" (for the Russian action
    lexicon, tables/actions_ru.tsv: "выслать" → "выслал", "вышлет", "выслан" …), and the forms among
    them that are passive participles ("выслан", "высланы", "высланные"). A word the analyser does
    not know gives itself."""
    parses = _morph().parse(word.lower())
    if not parses:
        return frozenset({word.lower()}), frozenset()
    forms, passive = set(), set()
    for f in parses[0].lexeme:
        forms.add(f.word)
        if "PRTS" in f.tag or ("PRTF" in f.tag and "pssv" in f.tag):
            passive.add(f.word)
    forms.add(word.lower())
    return frozenset(_with_yo(forms)), frozenset(_with_yo(passive))

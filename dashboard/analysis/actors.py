"""Actor gazetteer: finds countries, the EU and NATO in English and Russian news text.

An *actor* is an ISO 3166-1 alpha-3 code (``BLR``, ``RUS`` …) or one of the blocs
``EU`` and ``NATO``. A mention is a country name, adjective or demonym, capital,
seat of power ("the Kremlin"), EU/NATO body, or a known office holder or public
figure, found in the text passed in; offsets index that text.

Knowledge lives in data files under ``tables/`` (see each file's header):

* ``countries.tsv``     – names, adjectives, demonyms, capitals per country; the
                          names of pycountry (ISO 3166-1) are added to it.
* ``actor_aliases.tsv`` – EU and NATO names, seats of power, and *blockers*:
                          phrases such as "South China Sea" that contain a name
                          but name no government.
* ``actor_people.tsv``  – office holders and other figures with their spellings.
* ``office_holders.csv``– their office terms (start/end dates).
* ``office_titles.tsv`` – titles recognised before a name ("Foreign Minister").
* ``actor_context.tsv`` – context rules: language use ("education in Russian"),
                          news agencies, given names ("Michael Jordan"), the US
                          state of Georgia, "US$".
* ``actors_ru.tsv``     – Russian and Belarusian names, declined into every case by
                          :mod:`dashboard.analysis.actors_ru` and matched with the rest.

Matching is one compiled regular expression over every surface, built as a
character trie so that at any position the longest entry wins ("Papua New Guinea"
over "Guinea", "Nigeria" over "Niger"), with word boundaries on both sides (a
hyphen is a boundary, so "Belarusian-Polish" and "U.S.-China" name both sides).
Matching is case-sensitive ("US" is the United States, "us" is not) and runs on a
copy of the text with accents stripped and apostrophes unified, character for
character, so offsets stay valid. Everything is built once, on first use.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from dashboard.analysis import actors_ru
from dashboard.analysis.textnorm import INVISIBLE, fold_table
from dashboard.knowledge import read_table
from dashboard.knowledge.countries import BLOCS

# Order used to break ties in count_actors(): the plainest kind of evidence first.
KINDS = ("name", "adjective", "capital", "seat", "leader", "person", "organisation")


@dataclass(frozen=True)
class Mention:
    """One actor mention: ``text[start:end] == surface`` for the text passed to
    :func:`mentions`. Leaders and persons carry ``person`` (an id of
    ``tables/actor_people.tsv``, None when the spelling fits several people) and
    ``office`` (a canonical office of ``tables/office_titles.tsv``)."""

    actor: str          # 'BLR', 'RUS', 'EU', 'NATO', ...
    start: int          # character offsets into the text passed in
    end: int
    surface: str        # the text matched
    kind: str           # 'name' | 'adjective' | 'capital' | 'seat' | 'leader' | 'person' | 'organisation'
    person: str | None = None   # canonical office-holder id for leaders, e.g. 'lukashenko'
    office: str | None = None   # office named in the text just before the name when present


def _mention(actor, start, end, surface, kind, person, office, _new=object.__new__,
             _set=object.__setattr__) -> Mention:
    """Mention(...) without the frozen dataclass __init__, which sets each field
    through object.__setattr__ and dominated the matcher's time on dense text."""
    m = _new(Mention)
    _set(m, "__dict__", {"actor": actor, "start": start, "end": end, "surface": surface, "kind": kind,
                         "person": person, "office": office})
    return m


# ----------------------------------------------------------------------------- tables

def _rows(name: str) -> list[list[str]]:
    """The rows of a table in ``tables/`` (dashboard.knowledge.read_table: comments and blank lines
    skipped, cells stripped)."""
    return read_table(name)


def _values(field: str) -> list[str]:
    """A "|"-joined table field as a list; "-" and "" mean none."""
    if field in ("", "-"):
        return []
    return [v.strip() for v in field.split("|") if v.strip()]


# ----------------------------------------------------------------------------- folding

@functools.cache
def _fold_map() -> dict[int, str]:
    """One-character-to-one-character folding, so offsets survive it.

    Letters with diacritics become their base letter; the single-letter entries of
    ``tables/fold.tsv`` (Ł→L, ø→o, apostrophe variants → ') are added, while its
    multi-letter ones (ß→ss) are left out because they would shift offsets.
    """
    table: dict[int, str] = {}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        decomposed = unicodedata.normalize("NFD", ch)
        if len(decomposed) > 1 and decomposed[0].isascii() and decomposed[0].isalpha() \
                and all(unicodedata.combining(c) for c in decomposed[1:]):
            table[cp] = decomposed[0]
    for src, dst in fold_table():
        if len(src) == 1 and len(dst) == 1:
            table[ord(src)] = dst
    # Apostrophes and hyphens in every typographic variant, and spaces that are not
    # line breaks, so "Côte d’Ivoire" or "Guinea‑Bissau" meet the table's spelling.
    for ch in "\u2019\u2018\u02bc\u02b9\u2032\u00b4\u0060":
        table[ord(ch)] = "'"
    for ch in "\u2010\u2011":
        table[ord(ch)] = "-"
    for ch in "\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000":
        table[ord(ch)] = " "
    return table


def _fold_key(surface: str) -> str:
    """A table surface in the folded form the matcher compares against."""
    return unicodedata.normalize("NFC", surface).translate(_fold_map())


_ASCII_BYTES = bytes(range(128))


@functools.cache
def _fold_chars() -> dict[str, str] | None:
    """The fold map by character, or None when a replacement is itself folded (then
    one str.replace per character would not be a single pass)."""
    by_char = {chr(cp): dst for cp, dst in _fold_map().items()}
    return None if set(by_char) & set(by_char.values()) else by_char


# Two capitalised words in a row: the cheap sign that a text may hold a line written in capitals.
# Tried only where a run of capitals starts, and without backtracking into the runs: retried at
# every position of a long run (a base64 blob) it took time quadratic in the run's length.
_SHOUT_HINT = re.compile(r"(?<![A-ZÀ-ÖØ-Þİ])[A-ZÀ-ÖØ-Þİ]{3,}+\W++[A-ZÀ-ÖØ-Þİ]{2}")
_WORD = re.compile(r"[^\W\d_]+")


@functools.cache
def _acronyms() -> frozenset[str]:
    """Gazetteer words written in capitals (US, EU, NATO, UAE …): kept as they are in a headline
    in capitals, where every other word is read in title case."""
    out = set()
    for key in _gazetteer().entries:
        out.update(w for w in key.split() if len(w) > 1 and w.isupper())
    return frozenset(out)


def _uncap_line(m: re.Match) -> str:
    line = m.group()
    letters = sum(c.isalpha() for c in line)
    if letters < 6 or sum(c.isupper() for c in line) < 0.9 * letters:
        return line
    keep = _acronyms()

    def word(w: re.Match) -> str:
        w = w.group()
        if w in keep:
            return w
        return w[0] + _casefold_same_length(w[1:])
    return _WORD.sub(word, line)


def _casefold_same_length(word: str) -> str:
    """``word`` case-folded letter by letter, one letter for one so offsets do not move: a letter
    whose folding is longer keeps its base letter ("TÜRKİYE": İ folds to i + combining dot → i)."""
    folded = word.casefold()
    if len(folded) == len(word):
        return folded
    out = []
    for ch in word:
        f = ch.casefold()
        out.append(f if len(f) == 1 else unicodedata.normalize("NFD", f)[0])
    return "".join(out)


def _uncap(text: str) -> str:
    """Lines written wholly in capitals ("BELARUS AND RUSSIA SIGN UNION STATE DEAL") in title case,
    gazetteer acronyms kept, so that the case-sensitive gazetteer finds their actors. Same length:
    mention offsets stay valid. Other lines are left exactly as they are."""
    if not _SHOUT_HINT.search(text):
        return text
    return re.sub(r"[^\n]+", _uncap_line, text)


# Soft hyphens and zero-width characters inside a word ("Lukashen\u00adka"): importers remove
# them (textnorm.INVISIBLE); a text passed in directly is read as if they were not there.
_INVISIBLE = frozenset(INVISIBLE)


def _fold_text(text: str) -> tuple[str, list[int] | None]:
    """(folded text, index map or None). The map, present only when the text had
    combining marks (decomposed accents) or invisible characters that folding drops, gives for each folded
    position the position in ``text``. Lines in capitals are read in title case (_uncap)."""
    text = _uncap(text)
    if text.isascii():
        return text, None
    # the few distinct non-ASCII characters of a text, each replaced with str.replace:
    # cheaper than a substitution callback or a translate lookup per character (UTF-8
    # without its ASCII bytes is the non-ASCII characters, found without a regex)
    chars = set(text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))
    if not any("\u0300" <= ch <= "\u036f" or ch in _INVISIBLE for ch in chars):
        fold = _fold_chars()
        if fold is None:
            return text.translate(_fold_map()), None
        for ch in chars:
            dst = fold.get(ch)
            if dst is not None:
                text = text.replace(ch, dst)
        return text, None
    table = _fold_map()
    chars, index = [], []
    for i, ch in enumerate(text):
        if unicodedata.combining(ch) or ch in _INVISIBLE:
            continue
        chars.append(table.get(ord(ch), ch))
        index.append(i)
    return "".join(chars), index


# ----------------------------------------------------------------------------- gazetteer

@dataclass(frozen=True)
class _Entry:
    actor: str | None           # None: a blocker, the phrase names no actor
    kind: str
    persons: tuple[str, ...] = ()
    lang: bool = False          # an adjective that is also a language name


@dataclass
class _Gazetteer:
    entries: dict[str, _Entry]
    pattern: re.Pattern
    names: dict[str, str]               # actor code -> display name
    conflicts: list[tuple[str, str, str]]  # (surface, kept actor, dropped actor)


def _trie_regex(words: list[str]) -> str:
    """A regex alternation of ``words`` factored as a character trie.

    Greedy optional tails try the longer continuation first and back off to the
    shorter word, so the match at a position is the longest word that also passes
    the boundary check that follows the group."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if end else body

    return build(trie)


# sh, ch, zh: written š, č, ž in Belarusian Latin, Czech and Lithuanian spellings of a name
_CARON_DIGRAPH = re.compile(r"(?<=[a-z])[scz]h(?=[aeiouy])")


@functools.cache
def _gazetteer() -> _Gazetteer:
    import pycountry  # only here: the tables are built once, never per mention

    entries: dict[str, _Entry] = {}
    conflicts: list[tuple[str, str, str]] = []

    def add(surface: str, entry: _Entry) -> None:
        key = _fold_key(surface)
        old = entries.get(key)
        if old is None:
            entries[key] = entry
        elif old.actor != entry.actor:
            conflicts.append((key, str(old.actor), str(entry.actor)))
        elif old.persons and entry.persons and set(entry.persons) - set(old.persons):
            # the same spelling for several people of one actor (Kaczyński, Clinton)
            entries[key] = _Entry(old.actor, old.kind,
                                  old.persons + tuple(p for p in entry.persons
                                                      if p not in old.persons), old.lang)

    aliases = _rows("actor_aliases.tsv")
    people = _rows("actor_people.tsv")
    countries = _rows("countries.tsv")

    # Blockers first: they must win over any actor entry of the same spelling.
    for row in aliases:
        if row[1] == "-":
            add(row[0], _Entry(None, "-"))
    for row in people:
        if row[0] == "-":
            for name in _values(row[3]):
                add(name, _Entry(None, "-"))
    for row in aliases:
        if row[1] != "-":
            add(row[0], _Entry(row[1], row[2]))
    for person, actor, kind, names, *_ in (r for r in people if r[0] != "-"):
        for name in _values(names):
            add(name, _Entry(actor, kind, (person,)))
            if _CARON_DIGRAPH.search(name):
                # "Lukašenka", the Belarusian and Czech Latin spelling, is "Lukasenka" once folded
                add(_CARON_DIGRAPH.sub(lambda m: m.group()[0], name), _Entry(actor, kind, (person,)))

    display: dict[str, str] = dict(BLOCS)
    dropped: dict[str, set[str]] = {}
    for code, name, names, adjectives, demonyms, capitals, drop in countries:
        display[code] = name
        dropped[code] = set(_values(drop))
        for s in [name] + _values(names):
            if s not in dropped[code]:
                add(s, _Entry(code, "name"))
        for s in _values(adjectives):
            add(s, _Entry(code, "adjective", lang=True))
        for s in _values(demonyms):
            add(s, _Entry(code, "adjective"))
        for s in _values(capitals):
            add(s, _Entry(code, "capital"))
    for c in pycountry.countries:
        code = c.alpha_3
        if code not in display:
            raise ValueError(f"countries.tsv has no row for {code} ({c.name})")
        for attr in ("name", "common_name", "official_name"):
            s = getattr(c, attr, None)
            if not s or "," in s or "(" in s:
                continue  # inverted forms like "Korea, Republic of" never occur in prose
            s = s[4:] if s.startswith("the ") else s
            if s not in dropped[code]:
                add(s, _Entry(code, "name"))
    # Russian and Belarusian names in every case (actors_ru, from tables/actors_ru.tsv)
    for surface, actor, kind, persons in actors_ru.entries():
        add(surface, _Entry(actor, kind, persons))

    # The trie makes the longest entry win. Every Latin entry starts with a capital
    # letter, so the regex engine can skip to candidate letters quickly (Russian adjectives
    # start in lower case: "российский"; Cyrillic letters do not occur in English text); the left
    # word boundary is checked in mentions() rather than with a look-behind here,
    # because a leading look-behind disables that skip and doubles the scan time.
    if any(w[0].isascii() and not w[0].isupper() for w in entries):
        raise ValueError("every Latin gazetteer entry must start with a capital letter")
    pattern = re.compile(_trie_regex(sorted(entries)) + r"(?!\w)")
    return _Gazetteer(entries, pattern, display, conflicts)


# ----------------------------------------------------------------------------- context rules

def _phrase_regex(phrases: list[str]) -> str:
    parts = sorted(phrases, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in parts) + ")"


@dataclass
class _Context:
    lang_after: re.Pattern      # used with .match(text, pos)
    lang_before: re.Pattern     # group "prep" set when only a preposition precedes
    lang_follow: re.Pattern
    agency_after: re.Pattern
    not_followed: dict[str, list[str]]
    name_before: set[str]
    name_after: set[str]
    given_name_ok: set[str]
    state_cues: dict[str, re.Pattern]
    country_cues: dict[str, re.Pattern]
    title_re: re.Pattern        # an office title (office_titles.tsv)
    tail_re: re.Pattern         # what may stand between the title and the name
    former_re: re.Pattern       # former / ex- / then- / late before the title
    titles: dict[str, str]
    special: frozenset[str]     # surfaces with a rule beyond the language one
    lang_last: frozenset[str]   # last word of every language_before/_prep phrase
    title_hint: re.Pattern      # cheap test that a title may stand before a name
    after_re: re.Pattern        # lang_after or agency_after
    combining: frozenset[str]   # "Russo", "Sino" …: actors only before "-" and a capital
    document_after: re.Pattern  # "Convention", "agreements" … after a city: a document's name
    document_before: re.Pattern  # "Treaty of " … before a city
    places: frozenset[str]      # capitals and seats: the keys the document rules read
    surname_re: re.Pattern      # " Galushchenko": a capitalised word ending like a surname
    named: frozenset[str]       # names, adjectives and capitals: the keys the surname rule reads
    seats: frozenset[str]       # seats named after a colour: need their country in the text
    ru_combining: frozenset[str]    # "российско", "американо": actors only before a hyphen
    ru_adjectives: frozenset[str]   # Russian adjectives, dropped before ru_not_after
    ru_not_after: re.Pattern        # " язык", " СМИ" …: the adjective names a language or a medium


@functools.cache
def _context() -> _Context:
    rules: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for row in _rows("actor_context.tsv"):
        key, target = row[0], row[1]
        rules[key].append((target, _values(row[2]) if len(row) > 2 else []))

    def one(key: str) -> list[str]:
        return [v for _, vals in rules[key] for v in vals]

    def per_target(key: str) -> dict[str, re.Pattern]:
        return {_fold_key(t): re.compile(r"(?<!\w)" + _phrase_regex(vals) + r"(?!\w)")
                for t, vals in rules[key]}

    titles = {_fold_key(r[0]): r[1] for r in _rows("office_titles.tsv")}
    # A title, then optionally "of (the) Country", then up to two given names
    # before the matched name: "President of Russia Vladimir " + "Putin".
    title_re = re.compile(r"(?<![\w-])(?:" + _trie_regex(
        sorted({" ".join(t.split()) for t in titles})).replace(r"\ ", r"\s+") + r")(?!\w)")
    tail_re = re.compile(r"(?:\s+of\s+(?:the\s+)?[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)?)?,?\s+"
                         r"(?:[A-Z][\w'.-]*\s+){0,2}")
    former_re = re.compile(r"(?<!\w)(?:former|Former|ex|Ex|then|Then|late|erstwhile|onetime|one-time)"
                           r"(?:-|\s+)(?:[A-Z][\w'.-]*\s+){0,2}$")
    not_followed = {_fold_key(t): vals for t, vals in rules["not_followed"]}
    name_before = {_fold_key(s) for t, _ in rules["name_before"] for s in _values(t)}
    name_after = {_fold_key(s) for t, _ in rules["name_after"] for s in _values(t)}
    state_cues = per_target("us_state_cue")
    entries = _gazetteer().entries
    places = frozenset(k for k, e in entries.items() if e.kind in ("capital", "seat"))
    named = frozenset(k for k, e in entries.items() if e.kind in ("name", "adjective", "capital"))
    combining = frozenset(_fold_key(s) for t, _ in rules["combining_form"] for s in _values(t))
    seats = frozenset(_fold_key(s) for t, _ in rules["seat_needs_country"] for s in _values(t)) \
        | actors_ru.seats_needing_country()
    ru_combining = actors_ru.combining_forms()
    ru_adjectives = actors_ru.adjective_forms()
    suffixes = "|".join(sorted(map(re.escape, one("surname_suffix")), key=len, reverse=True))
    lang_after = r"(?:-|\s+)" + _phrase_regex(one("language_after")) + r"(?!\w)"
    agency_after = r"\s+" + _phrase_regex(one("agency_after")) + r"(?!\w)"
    return _Context(
        lang_after=re.compile(lang_after),
        lang_before=re.compile(r"(?<!\w)(?:" + _phrase_regex(one("language_before")) + r"|(?P<prep>"
                               + _phrase_regex(one("language_prep")) + r"))\s+$"),
        lang_follow=re.compile(
            r"(?:\s*(?:,|and|or)\s+[A-Z][\w-]*)*"
            r"(?:\s*$|[ \t]*\n|\s*[.,;:!?)\]\"”'’]|\s+" + _phrase_regex(one("language_follow")) + r"(?!\w))"),
        agency_after=re.compile(agency_after),
        not_followed=not_followed,
        name_before=name_before,
        name_after=name_after,
        given_name_ok=set(one("given_name_ok")),
        state_cues=state_cues,
        country_cues=per_target("country_cue"),
        title_re=title_re,
        tail_re=tail_re,
        former_re=former_re,
        titles=titles,
        special=frozenset(not_followed) | name_before | name_after | frozenset(state_cues)
        | combining | places | named | seats | ru_combining | ru_adjectives,
        lang_last=frozenset(p.split()[-1] for p in one("language_before") + one("language_prep")),
        title_hint=re.compile("|".join(sorted({re.escape(w) for t in titles for w in t.split()
                                                if w[0].isupper() or len(w) > 3}))),
        after_re=re.compile(f"{lang_after}|{agency_after}"),
        combining=combining,
        document_after=re.compile(r"[ ]" + _phrase_regex(one("document_after")) + r"(?!\w)"),
        document_before=re.compile(r"(?<!\w)" + _phrase_regex(one("document_before")) + r"(?:\s+the)?\s+$"),
        places=places,
        surname_re=re.compile(r"[ ]([A-Z][a-z]+(?:" + suffixes + r"))(?![\w-])"),
        named=named,
        seats=seats,
        ru_combining=ru_combining,
        ru_adjectives=ru_adjectives,
        ru_not_after=re.compile(r"\s+(?:" + "|".join(map(re.escape, actors_ru.not_after())) + r")(?!\w)"),
    )


_COORDINATION = re.compile(r"\s*+,?\s*+(?:and|or)?\s*+")     # possessive: no backtracking into white space
_PREV_WORD = re.compile(r"([A-Z][\w'.-]*)[ ]$")
_NEXT_WORD = re.compile(r"^[ ]([A-Z][\w'-]*)")
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]*[A-Z])|\n")
_WORD = re.compile(r"[A-Za-z][\w'-]*")


def _line(folded: str, start: int, end: int) -> str:
    lo = folded.rfind("\n", 0, start) + 1
    hi = folded.find("\n", end)
    return folded[lo: hi if hi >= 0 else len(folded)]


def _title_case(line: str) -> bool:
    """A headline in Title Case, where a capital letter says nothing about names."""
    words = [w for w in _WORD.findall(line) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _sentence(folded: str, start: int, end: int) -> str:
    lo = max(0, start - 400)
    last = None
    for last in _SENTENCE_END.finditer(folded, lo, start):
        pass
    lo = last.end() if last else lo
    nxt = _SENTENCE_END.search(folded, end, min(len(folded), end + 400))
    return folded[lo: nxt.start() if nxt else min(len(folded), end + 400)]


def _is_language(ctx: _Context, folded: str, start: int, end: int) -> bool:
    """The adjective names a language ("in Russian", "Russian-language") or a news
    agency ("Russian news agency TASS"), not the state."""
    if folded[end:end + 1] in (" ", "-", "\n") and ctx.after_re.match(folded, end):
        return True
    # the regex below runs only when the word before is a possible trigger
    if start < 2 or folded[start - 1] != " ":
        return False
    word = folded[folded.rfind(" ", max(0, start - 30), start - 1) + 1:start - 1]
    if word.lstrip("(\"'") not in ctx.lang_last:
        return False
    before = ctx.lang_before.search(folded, max(0, start - 40), start)
    if before is None:
        return False
    if before.group("prep") is None:
        return True
    return ctx.lang_follow.match(folded, end, min(len(folded), end + 80)) is not None


def _given_name(ctx: _Context, key: str, folded: str, start: int, end: int) -> bool:
    if key not in ctx.name_before and key not in ctx.name_after:
        return False
    given = False
    if key in ctx.name_before:
        prev = _PREV_WORD.search(folded, max(0, start - 40), start)
        given = prev is not None and prev.group(1) not in ctx.given_name_ok
    if not given and key in ctx.name_after:
        nxt = _NEXT_WORD.match(folded[end:end + 40])
        given = nxt is not None and nxt.group(1) not in ctx.given_name_ok and not nxt.group(1).isupper()
    # the line is read only when a capitalised word stands next to the name
    return given and not _title_case(_line(folded, start, end))


def _us_state(ctx: _Context, key: str, folded: str, start: int, end: int) -> bool:
    cues = ctx.state_cues.get(key)
    if cues is None:
        return False
    sentence = _sentence(folded, start, end)
    if not cues.search(sentence):
        return False
    country = ctx.country_cues.get(key)
    return not (country and country.search(sentence))


def _office(ctx: _Context, folded: str, start: int) -> str | None:
    """Canonical office of a title just before the name at ``start``, or None."""
    lo = max(0, start - 100)
    if not ctx.title_hint.search(folded, lo, start):
        return None
    title = None
    for m in ctx.title_re.finditer(folded, lo, start):
        if ctx.tail_re.fullmatch(folded, m.end(), start):
            title = m
    if title is None or ctx.former_re.search(folded, max(0, title.start() - 40), title.start()):
        # "former President X" does not say X holds the office on the text's date
        return None
    return ctx.titles.get(" ".join(title.group().split()))


# ----------------------------------------------------------------------------- public API

def mentions(text: str) -> list[Mention]:
    """Actor mentions in ``text``, sorted by start, non-overlapping.

    Returns ``[Mention(actor, start, end, surface, kind, person, office), …]`` with
    ``text[start:end] == surface``. ``kind`` is one of 'name', 'adjective' (also
    demonyms such as "Poles"), 'capital', 'seat', 'leader', 'person',
    'organisation' (EU and NATO bodies). ``person`` is the id of
    ``tables/actor_people.tsv`` when the name identifies one person; ``office`` is
    the canonical office of ``tables/office_titles.tsv`` named just before a
    person's name ("Russian President Medvedev" → 'president'), None when absent or
    qualified by former/ex-/then-/late.

    Sources: country names from pycountry (ISO 3166-1) plus the curated tables in
    ``dashboard/knowledge/tables/`` (countries.tsv, actor_aliases.tsv, actor_people.tsv,
    office_titles.tsv, actor_context.tsv). Raises nothing for any ``str``; the
    tables are read on the first call (ValueError there if a table is malformed).
    """
    return [_mention(actor, start, end, text[start:end], kind, person, office)
            for actor, start, end, kind, person, office in _scan(text, True)]


def _dropped(ctx: _Context, key: str, entry: _Entry, folded: str, start: int, end: int,
             lang_end: int) -> tuple[bool, int]:
    """Whether the context rules drop the match ``folded[start:end]`` of a language
    adjective or a surface with rules of its own, and the new end of the last
    adjective read as a language (``lang_end``, -1 for none)."""
    if entry.lang:
        # "in Belarusian and Russian": a language list keeps being languages
        if (lang_end >= 0 and start - lang_end < 12
                and _COORDINATION.fullmatch(folded, lang_end, start)
                and ctx.lang_follow.match(folded, end, min(len(folded), end + 80))) \
                or _is_language(ctx, folded, start, end):
            return True, end
    if key in ctx.combining:
        # "Russo-Ukrainian" names Russia; "Rene Russo", "Franco-era" do not
        return not (folded[end:end + 1] == "-" and folded[end + 1:end + 2].isupper()), lang_end
    if key in ctx.ru_combining:
        # "российско-белорусские": the second part is in lower case in Russian
        return not (folded[end:end + 1] == "-" and folded[end + 1:end + 2].isalpha()), lang_end
    if key in ctx.ru_adjectives and folded[end:end + 1] == " " and ctx.ru_not_after.match(folded, end):
        return True, lang_end   # "белорусский язык", "российские СМИ": a language or a medium
    if key in ctx.places and _document(ctx, folded, start, end):
        return True, lang_end
    if key in ctx.named and folded[end:end + 1] == " " and _surname(ctx, folded, end):
        return True, lang_end
    if key in ctx.special:
        tails = ctx.not_followed.get(key)
        if tails and any(folded.startswith(t, end) for t in tails):
            return True, lang_end
        if _given_name(ctx, key, folded, start, end) or _us_state(ctx, key, folded, start, end):
            return True, lang_end
    return False, lang_end


def _document(ctx: _Context, folded: str, start: int, end: int) -> bool:
    """The city or seat names a document or format ("Vienna Convention", "Treaty of Moscow")."""
    if folded[end:end + 1] == " " and ctx.document_after.match(folded, end):
        return True
    return start > 3 and folded[start - 1] == " " and ctx.document_before.search(folded, max(0, start - 30), start) is not None


def _surname(ctx: _Context, folded: str, end: int) -> bool:
    """A surname follows the name ("German Galushchenko"): the name is a given name."""
    m = ctx.surname_re.match(folded, end)
    return m is not None and m.group(1) not in _gazetteer().entries


def _person(ctx: _Context, entry: _Entry, folded: str, start: int) -> tuple[str | None, str | None]:
    """(person, office) of a leader or person mention at ``start``."""
    office = _office(ctx, folded, start)
    candidates = entry.persons
    if len(candidates) > 1 and office:
        held = [p for p in candidates if any(t["office"] == office for t in terms(p))]
        candidates = tuple(held) if len(held) == 1 else candidates
    return (candidates[0] if len(candidates) == 1 else None), office


def _scan(text: str, people: bool) -> list[tuple]:
    """(actor, start, end, kind, person, office) for each mention of ``text``.
    ``people`` False skips the office and person resolution, which counting does
    not need."""
    if not text:
        return []
    gaz = _gazetteer()
    ctx = _context()
    entries = gaz.entries
    folded, index = _fold_text(text)
    special = ctx.special
    lang_end = -1       # end of the last adjective read as a language
    out: list[tuple] = []
    seat_at: list[int] = []     # positions in out of seats that need their country in the text
    for m in gaz.pattern.finditer(folded):
        start, end = m.span()
        if start and (folded[start - 1].isalnum() or folded[start - 1] == "_"):
            continue    # inside a word: "xRussia", "McJordan"
        key = m.group()
        entry = entries[key]
        if entry.actor is None:
            continue
        if entry.lang or key in special:
            dropped, lang_end = _dropped(ctx, key, entry, folded, start, end, lang_end)
            if dropped:
                continue
        person = office = None
        if people and entry.persons:
            person, office = _person(ctx, entry, folded, start)
        if index is not None:
            start, end = index[start], index[end - 1] + 1
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1
        if key in ctx.seats:
            seat_at.append(len(out))
        out.append((entry.actor, start, end, entry.kind, person, office))
    return _seats_in_context(text, out, seat_at) if seat_at else out


_PLACED_IN = re.compile(r"\s+(?:in|at|near|в|во|под)\s+(?:the\s+)?")  # "the Blue House in Harare", "Белый дом в Москве"
_PLACED_BY = re.compile(r"(?:['’]s)?\s+")                          # "Russia's White House"


def _seats_in_context(text: str, out: list[tuple], seat_at: list[int]) -> list[tuple]:
    """``out`` without the seats named after a colour (seat_needs_country) that the text places
    in another country, or whose country it names nowhere else while naming others."""
    seats = set(seat_at)
    others = {out[i][0] for i in range(len(out)) if i not in seats}
    keep = []
    for i, row in enumerate(out):
        if i in seats:
            actor, start, end = row[:3]
            nxt = out[i + 1] if i + 1 < len(out) else None
            prev = out[i - 1] if i and i - 1 not in seats else None
            if (nxt and nxt[0] != actor and _PLACED_IN.fullmatch(text, end, nxt[1])) \
                    or (prev and prev[0] != actor and prev[3] in ("name", "adjective", "capital")
                        and _PLACED_BY.fullmatch(text, prev[2], start)):
                continue
            if others and actor not in others:
                continue
        keep.append(row)
    return keep


# How far before a mention the context rules read, and so from how far into a body
# its mentions are the same whether the title stands before it or not: the sentence
# around a US state name, up to 400 characters; language and given-name rules, up to
# 41 (the office before a person's name is always read in the body alone).
_BODY_CONTEXT = 512
_NEAR_CONTEXT = 64


def scan(text: str, body_start: int = 0) -> tuple[list[Mention], dict[str, tuple[int, str]]]:
    """``(mentions(text[body_start:]), count_actors(text))`` from one pass of the matcher.

    For an article stored as title and body, counted on ``f"{title}\\n\\n{body}"``
    and searched for events in ``body`` alone::

        found, counts = scan(f"{title}\\n\\n{body}", len(title) + 2)
        events = extract.extract_events(body, published_at, mentions=found)

    The mentions' offsets index ``text[body_start:]``; both results equal what the two
    calls give, including the context rules that read before a mention (a title
    ending in "Foreign Minister" names the office of a body's first person only when
    counting). Raises nothing for any ``str``; ``ValueError`` when ``body_start`` is
    not in ``0…len(text)``.
    """
    if not 0 <= body_start <= len(text):
        raise ValueError(f"body_start {body_start} outside 0..{len(text)}")
    body = text[body_start:] if body_start else text
    if not text:
        return [], {}
    folded, index = _fold_text(text)
    if index is not None or (body_start and text[body_start - 1] != "\n") \
            or any(seat in folded for seat in _context().seats):
        # dropped combining marks shift offsets, a body that does not open a line may read
        # its context from before it, and a seat named after a colour is kept or dropped by
        # the whole text (_seats_in_context): two passes
        return mentions(body), count_actors(text)
    ctx = _context()
    info = _entry_info()
    bfolded = folded[body_start:] if body_start else folded
    lang_end = -1       # end of the last adjective read as a language, in text
    b_lang_end = -1     # the same as mentions(body) sees it, in body
    counted: list[tuple[str, str]] = []
    count = counted.append
    found: list[Mention] = []
    add = found.append
    new, set_dict = object.__new__, object.__setattr__
    for m in _gazetteer().pattern.finditer(folded):
        start, end = m.span()
        if start and (folded[start - 1].isalnum() or folded[start - 1] == "_"):
            continue    # inside a word: "xRussia", "McJordan"
        key = m.group()
        got = info[key]
        if got is None:
            continue    # a blocker: the phrase names no actor
        entry, actor_kind, context_limit = got
        if context_limit:
            before = lang_end
            dropped, lang_end = _dropped(ctx, key, entry, folded, start, end, lang_end)
            if start >= body_start:
                b0, b1 = start - body_start, end - body_start
                if body_start and (b0 < context_limit
                                   or b_lang_end != (before - body_start if before >= body_start else -1)):
                    # near the body's start the text before it may change the reading
                    b_dropped, b_lang_end = _dropped(ctx, key, entry, bfolded, b0, b1, b_lang_end)
                else:
                    b_dropped, b_lang_end = dropped, (lang_end - body_start if lang_end >= body_start else -1)
            if not dropped:
                count(actor_kind)
            if start < body_start or b_dropped:
                continue
        else:
            count(actor_kind)
            if start < body_start:
                continue
            b0, b1 = start - body_start, end - body_start
        if entry.persons:
            person, office = _person(ctx, entry, bfolded, b0)
        else:
            person = office = None
        mention = new(Mention)
        set_dict(mention, "__dict__", {"actor": entry.actor, "start": b0, "end": b1, "surface": body[b0:b1],
                                       "kind": entry.kind, "person": person, "office": office})
        add(mention)
    return found, _counts(counted)


@functools.cache
def _entry_info() -> dict[str, tuple | None]:
    """Per gazetteer key: None for a blocker, else ``(entry, (actor, kind), context)``
    where ``context`` is 0 for a surface without context rules, else how far before
    a mention its rules read (see ``_BODY_CONTEXT``)."""
    ctx = _context()
    out: dict[str, tuple | None] = {}
    for key, entry in _gazetteer().entries.items():
        if entry.actor is None:
            out[key] = None
            continue
        context = 0
        if entry.lang or key in ctx.special:
            context = _BODY_CONTEXT if key in ctx.state_cues else _NEAR_CONTEXT
        out[key] = (entry, (entry.actor, entry.kind), context)
    return out


def _counts(found) -> dict[str, tuple[int, str]]:
    """``{actor: (mentions, most frequent kind)}`` from ``(actor, kind)`` pairs in text order."""
    kinds: dict[str, dict[str, int]] = {}
    for (actor, kind), n in Counter(found).items():     # in order of first appearance
        got = kinds.get(actor)
        if got is None:
            kinds[actor] = {kind: n}
        else:
            got[kind] = n
    result = {}
    for actor, counter in kinds.items():
        if len(counter) == 1:
            (best, n), = counter.items()
        else:
            best = max(counter.items(), key=lambda kv: (kv[1], -KINDS.index(kv[0])))[0]
            n = sum(counter.values())
        result[actor] = (n, best)
    return result


def count_actors(text: str) -> dict[str, tuple[int, str]]:
    """``{actor: (number of mentions, most frequent kind)}`` for ``text``.

    Every mention counts, 'person' mentions (non-government figures) included. Ties
    between kinds go to the earlier kind in ``KINDS`` (name, adjective, capital,
    seat, leader, person, organisation). Empty dict when nothing is found. Same
    sources and errors as :func:`mentions`. :func:`scan` gives these counts and
    the mentions of the same text (or of its body) from one pass.
    """
    return _counts([(actor, kind) for actor, _, _, kind, _, _ in _scan(text, False)])


def actor_name(code: str) -> str:
    """Display name of an actor: 'BLR' → 'Belarus', 'EU' → 'European Union',
    'NATO' → 'NATO'; an unknown code is returned unchanged. Short names come from
    ``tables/countries.tsv`` (not pycountry's official forms such as "Russian
    Federation"). Never raises for a ``str``."""
    return _gazetteer().names.get(code, code)


def all_actor_codes() -> list[str]:
    """Every actor code the matcher can return, sorted: the 249 ISO 3166-1 alpha-3
    codes of pycountry (one row each in ``tables/countries.tsv``) plus 'EU' and
    'NATO'."""
    return sorted(_gazetteer().names)


# ----------------------------------------------------------------------------- office terms

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _bounds(value: str) -> tuple[str, str]:
    """Earliest and latest day a (possibly partial) ISO date can stand for."""
    m = _DATE.match(value)
    if not m:
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    year, month, day = m.groups()
    if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= 31:
        raise ValueError(f"not a valid date: {value!r}")
    if day:
        return value, value
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-31"
    return f"{year}-01-01", f"{year}-12-31"


OFFICE_HOLDERS_HEADER = ("person", "country", "office", "start", "end", "note")


def office_holder_rows() -> list[dict[str, str]]:
    """The rows of ``tables/office_holders.csv`` as dicts keyed by its header."""
    return [dict(zip(OFFICE_HOLDERS_HEADER, r))
            for r in read_table("office_holders.csv", header=OFFICE_HOLDERS_HEADER, width=5)]


@functools.cache
def _terms() -> tuple[dict[str, list[dict]], set[tuple[str, str]], str, set[str]]:
    """(terms by person, (country, office) pairs the table covers, latest date the
    table knows of, known person ids)."""
    by_person: dict[str, list[dict]] = defaultdict(list)
    covered: set[tuple[str, str]] = set()
    latest = "0000-00-00"
    for row in office_holder_rows():
        term = {"country": row["country"], "office": row["office"],
                "start": row["start"], "end": row["end"] or None}
        for d in (term["start"], term["end"]):
            if d:
                latest = max(latest, _bounds(d)[1])
        by_person[row["person"]].append(term)
        covered.add((row["country"], row["office"]))
    for ts in by_person.values():
        ts.sort(key=lambda t: t["start"])
    people = {r[0] for r in _rows("actor_people.tsv") if r[0] != "-"}
    return dict(by_person), covered, latest, people


def terms(person: str, office: str | None = None) -> list[dict]:
    """Office terms of ``person`` (an id of ``tables/actor_people.tsv``), oldest first.

    Shape: ``[{'country': 'RUS', 'office': 'president', 'start': '2008-05-07',
    'end': '2012-05-07'}, …]``; ``end`` is None while in office; dates are ISO and
    may be partial ('2003-03') where the day is not certain; both ends inclusive.
    ``office`` ('president', 'prime_minister', 'foreign_minister', 'nato_envoy')
    filters the list. Unknown person or office → ``[]`` (never raises).
    Source: ``tables/office_holders.csv`` (presidents, prime ministers and foreign
    ministers of BLR, RUS, UKR, POL, LTU, LVA and USA from 2000 on).
    """
    found = _terms()[0].get(person, [])
    return [dict(t) for t in found if office is None or t["office"] == office]


def held_office(person: str, office: str | None, date: str) -> bool | None:
    """Whether ``person`` held ``office`` on ``date``; None when the tables cannot say.

    ``date`` is 'YYYY-MM-DD' (a longer ISO timestamp is cut to its date), or
    'YYYY-MM' / 'YYYY' meaning "at some time in that month / year".
    ``office`` None means any office of the table. Returns True when a term surely
    covers the date, False when every term surely excludes it, None when the person
    is unknown, the office is not one the table covers for the person's country,
    or the date falls in a term boundary known only to the month. Ongoing terms are
    taken as certain up to the latest date in the table and unknown after it.
    Example: ``held_office('medvedev', 'president', '2015-06-01')`` → False.
    Raises ValueError for a malformed date. Source: ``tables/office_holders.csv``.
    """
    date = date.strip()
    if len(date) > 10 and date[10] in "T ":
        date = date[:10]
    d_lo, d_hi = _bounds(date)
    by_person, covered, latest, people = _terms()
    all_terms = by_person.get(person, [])
    if not all_terms and person not in people:
        return None
    relevant = [t for t in all_terms if office is None or t["office"] == office]
    if not relevant:
        countries = {t["country"] for t in all_terms} or {
            r[1] for r in _rows("actor_people.tsv") if r[0] == person}
        if office is not None and any((c, office) in covered for c in countries):
            return False
        return None
    answers = []
    for t in relevant:
        s_lo, s_hi = _bounds(t["start"])
        e_lo, e_hi = _bounds(t["end"]) if t["end"] else (latest, "9999-12-31")
        if max(d_lo, s_hi) <= min(d_hi, e_lo):
            return True
        answers.append(d_hi < s_lo or d_lo > e_hi)
    return False if all(answers) else None

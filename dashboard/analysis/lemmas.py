"""Russian words in their dictionary form, for the search index and the queries (issue #19 item 5).

FTS5's porter tokenizer stems English only: "санкции" never met "санкций". The importer therefore
stores beside an article's title and body their Cyrillic words in dictionary form (``lemmatise``:
pymorphy3's normal form, lower case, ё written е), in order, and the index holds them as two more
columns (``title_lemmas``, ``body_lemmas``, schema v11); a query's Cyrillic words are reduced the
same way (``query_lemmas``, queries.search), so any form finds every form: "санкциями" →
"санкция", "Беларуси" → "беларусь", "Вашингтоном" → "вашингтон".

* Words are cut as FTS5's unicode61 cuts them (runs of letters and digits); only runs of Cyrillic
  letters are kept, so a phrase of Russian words stays a phrase. A text with no Cyrillic letter
  has no lemmas (NULL): English articles cost nothing.
* A capitalised word prefers a parse that names something (a place, a person, an organisation:
  ``Минском`` → "минск", not the adjective "минский"); a lower-case one takes the likeliest parse.
  Queries add every normal form of the word they type (``стали`` → "стать", "сталь"), so a word
  the index read one way is still found.
* The analyser is slow (≈ 150–250 µs a parse): each distinct (word, capitalised) is parsed once
  per process (functools.lru_cache of LEMMA_CACHE entries); a text is a regex pass and a dict
  look-up per word after that. The analyser is the one actors_ru declines the gazetteer with.
"""
from __future__ import annotations

import functools
import re

from dashboard.analysis.actors_ru import _morph

LEMMA_CACHE = 500_000     # distinct (word, capitalised) pairs kept: about 100 MB at most
# of a text, the characters whose Russian words are reduced: a word never seen costs ≈ 150 µs, so 1 MB of
# made-up words would cost 20 s; articles are far shorter, and the rest of a longer one is still found as written
MAX_CHARS = 200_000
MAX_FORMS = 4             # normal forms a query word adds at most
_PROPER = frozenset({"Geox", "Name", "Surn", "Patr", "Orgn", "Trad"})
_CYR = "а-яёА-ЯЁіїєґўІЇЄҐЎ"
_HAS_CYRILLIC = re.compile(f"[{_CYR}]")
# a unicode61 token (letters, digits, combining marks) made only of Cyrillic letters and stress marks
_TOKEN = re.compile(r"[^\W_]+")
_CYRILLIC_WORD = re.compile(f"[{_CYR}\u0300\u0301]+")
_STRESS = str.maketrans("", "", "\u0300\u0301")


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


@functools.lru_cache(maxsize=LEMMA_CACHE)
def _lemma(word: str, capital: bool) -> str:
    parses = _morph().parse(word)
    if capital:
        for p in parses:
            if _PROPER & p.tag.grammemes:
                return _norm(p.normal_form)
    return _norm(parses[0].normal_form) if parses else word


def lemma(word: str) -> str:
    """The dictionary form of one Cyrillic word as the index stores it ('Минском' → 'минск')."""
    w = word.translate(_STRESS)
    return _lemma(_norm(w), w[:1].isupper())


def is_cyrillic_word(word: str) -> bool:
    """True for a word made of Cyrillic letters only (a word the lemma columns hold)."""
    return _CYRILLIC_WORD.fullmatch(word) is not None


def lemmatise(text: str | None) -> str | None:
    """The Cyrillic words of ``text`` (its first MAX_CHARS characters) in dictionary form, in order,
    separated by spaces; None when the text has no Cyrillic letter."""
    if not text or _HAS_CYRILLIC.search(text, 0, MAX_CHARS) is None:
        return None
    text = text[:MAX_CHARS]
    out = [_lemma(_norm(t), t[:1].isupper()) for t in _TOKEN.findall(text.translate(_STRESS))
           if _CYRILLIC_WORD.fullmatch(t)]
    return " ".join(out) or None


@functools.lru_cache(maxsize=10_000)
def query_lemmas(word: str) -> tuple[str, ...]:
    """The dictionary forms a query word stands for: the index's reading of it written in capitals
    and in lower case, then the analyser's other normal forms, at most MAX_FORMS, distinct."""
    w = _norm(word.translate(_STRESS))
    out = [_lemma(w, True), _lemma(w, False)]
    out += [_norm(p.normal_form) for p in _morph().parse(w)]
    return tuple(dict.fromkeys(out))[:MAX_FORMS]


def find_forms(text: str, wanted: frozenset[str]):
    """(start, end) of each Cyrillic word of ``text`` (its first MAX_CHARS characters) whose dictionary
    form, as the index stores it, is in ``wanted``: where a page found through another form of a
    query word shows it (queries.articles marks it in the snippet)."""
    for m in _TOKEN.finditer(text, 0, MAX_CHARS):
        t = m.group()
        if _CYRILLIC_WORD.fullmatch(t) and _lemma(_norm(t), t[:1].isupper()) in wanted:
            yield m.span()

"""The language of a text: 'en', 'ru' or 'other' (issue #19), detected from its letters, no model.

* ``is_russian``: more Cyrillic than Latin letters in the first HEAD characters. It picks the Russian
  action lexicon and rules (analysis.extract) and the Russian search forms (analysis.lemmas).
* ``detect_language``: what the importer stores in ``articles.language`` and the language filter reads:
  'ru' for a text ``is_russian`` reads, unless the letters only Ukrainian and Belarusian write
  (і ї є ґ ў) make more than UK_BE_SHARE of its Cyrillic letters ('other'); for a Latin text (its first
  LATIN_HEAD characters), 'en'
  when English function words (ENGLISH_STOPWORDS) are at least ENGLISH_SHARE of its words, else
  'other' when letters outside ASCII (ł ä é ş …) are more than FOREIGN_SHARE of its letters, else 'en'
  (a title, a teaser, a text full of names or markup); 'other' for a text with no letters at all.
  Known limit: a long Latin text of another language written without diacritics reads as 'en'.
The language a feed or a page declares is not used: feeds declare one language for every item,
and pages copy theirs from a template.
"""
from __future__ import annotations

import re

LANGUAGES = ("en", "ru", "other")
HEAD = 2_000            # characters of a text read to tell its language
UK_BE_SHARE = 0.01      # of Cyrillic letters: і ї є ґ ў above this share make a Cyrillic text 'other'
ENGLISH_SHARE = 0.2     # of a Latin text's words: English function words at least this share make it 'en'
FOREIGN_SHARE = 0.01    # of its letters: more letters outside ASCII than this make it 'other' (unless English)

_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
_LATIN = re.compile(r"[A-Za-z]")
_UK_BE = re.compile(r"[іїєґўІЇЄҐЎ]")
_WORD = re.compile(r"[^\W\d_]+")

# English stop words: the Snowball stop list (snowballstem.org/algorithms/english/stop.txt)
# without contractions. Also the stop words of queries.similar.
ENGLISH_STOPWORDS = frozenset("""
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
her hers herself it its itself they them their theirs themselves what which who whom this that
these those am is are was were be been being have has had having do does did doing would should
could ought a an the and but if or because as until while of at by for with about against
between into through during before after above below to from up down in out on off over under
again further then once here there when where why how all any both each few more most other
some such no nor not only own same so than too very don isn aren wasn weren hasn haven hadn
doesn didn won wouldn shan shouldn can cannot couldn mustn let
""".split())


# the stop words that count (one-letter "a" and "i" are too common in other languages' texts and initials)
_COUNTED_STOPWORDS = frozenset(w for w in ENGLISH_STOPWORDS if len(w) > 1)
LATIN_HEAD = 600        # characters of a Latin text whose words are counted: a lede tells English from not


def is_russian(text: str) -> bool:
    """Whether ``text`` is read as Russian: more Cyrillic than Latin letters in its first HEAD
    characters. A text without Cyrillic costs one failed search."""
    if _CYRILLIC.search(text) is None:
        return False
    head = text[:HEAD]
    return len(_CYRILLIC.findall(head)) > len(_LATIN.findall(head))


def detect_language(title: str, body: str = "") -> str:
    """'en', 'ru' or 'other' for an article's title and body (see the module docstring).

    >>> detect_language("Минск и Москва договорились о цене на газ")
    'ru'
    >>> detect_language("Lukashenko meets Putin in Sochi")
    'en'
    """
    head = f"{title or ''}\n\n{body or ''}"[:HEAD]
    if is_russian(head):
        cyr = len(_CYRILLIC.findall(head)) + len(_UK_BE.findall(head))
        return "other" if len(_UK_BE.findall(head)) > UK_BE_SHARE * cyr else "ru"
    words = _WORD.findall(head[:LATIN_HEAD].lower()) or _WORD.findall(head.lower())
    if not words:
        return "other"
    # this runs on every imported article: counted by C-level map, not a Python loop per word
    if sum(map(_COUNTED_STOPWORDS.__contains__, words)) >= ENGLISH_SHARE * len(words):
        return "en"
    letters = sum(map(len, words))
    foreign = sum(1 for w in words if not w.isascii() for c in w if not c.isascii() and not "\u0400" <= c <= "\u04ff")
    return "other" if foreign > FOREIGN_SHARE * letters else "en"

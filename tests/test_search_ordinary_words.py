"""Spelling variants stay for names and leave ordinary English words alone (new-user trial).

A fuzzy variant (search._fuzzy) may change a vowel or lengthen/shorten a run of vowels — the way a name's
transliterations differ (Lukashenka/Lukashenko, Astravets/Astravyets, Navalny/Navalnyi) — but never add
or drop a vowel run: that turns an ordinary word into another one (invited → "inevit" of inevitable,
treaty ↔ "treat", event → "eventu" of eventually). The pairs below are ones the former rule joined on the
demo store and the real pages (scan of every 6+-letter index term against the index).
"""
from __future__ import annotations

import pytest

from dashboard.queries import search
from dashboard.queries.search import parse_query
from tests.test_search import ids, make_store

ORDINARY = {
    "O1": ("A settlement was inevitable", "Eventually the police came to the office."),
    "O2": ("Trade talks", "He treats guests well at the counter; an in absentia trial; Vitaly said; "
                          "Pskov airport; talks continue; a stable economy."),
    "O3": ("Armenia invited to the treaty talks", "The invitation came by letter."),
}
NAMES = {
    "N1": ("Lukashenko and Bondarenka", "The Astravyets plant; Mikheil Saakashvili; Navalnyi; Zelenskyy; behavior."),
}


@pytest.fixture
def store():
    return make_store(ORDINARY, NAMES)


@pytest.mark.parametrize("word", ["invited", "invite", "invites", "invitation", "treaty", "treat", "treats",
                                  "event", "absent", "policy", "official", "country", "vital", "Peskov",
                                  "continent", "stability", "economic"])
def test_ordinary_word_gets_no_fuzzy_variant(store, word):
    db, _ = store
    voc = search._vocab(db)
    assert search._fuzzy(search._key(word), voc) == []
    added = parse_query(word, db=db).also_matched.get(word, [])
    assert all(v in search._variant_groups()[search._key(word)] for v in added)   # Peskov → Песков: curated only


def test_invited_and_treaty_find_only_their_own_articles(store):
    assert ids(store, "invited") == ids(store, "invited", variants=False) == {"O3"}
    assert ids(store, "treaty") == ids(store, "treaty", variants=False) == {"O3"}
    assert ids(store, "invitation") == {"O3"}
    assert ids(store, "treat") == {"O2"}
    assert parse_query("invited", db=store[0]).reading == "all of: invited"


@pytest.mark.parametrize("word, variant", [("Lukashenka", "lukashenko"), ("Bondarenko", "bondarenka"),
                                           ("Astravets", "astravyet"), ("Mikhail", "mikheil"),
                                           ("Navalny", "navalnyi"), ("Zelensky", "zelenskyi"),
                                           ("behaviour", "behavior")])
def test_name_keeps_its_fuzzy_variant(store, word, variant):
    db, _ = store
    assert variant in search._fuzzy(search._key(word), search._vocab(db))
    assert ids(store, word) >= {"N1"}


def test_russian_case_endings_stay_variants():
    db, _ = make_store({"R1": ("Визит в Вильнюса", "")})
    assert search._fuzzy("вильнюс", search._vocab(db)) == ["вильнюса"]

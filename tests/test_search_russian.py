"""Search that knows Russian (issue #19 item 5): a Russian word in any form finds every form, through
the dictionary forms the index holds beside the text (analysis.lemmas, schema v11); Latin ↔ Cyrillic
names both ways; phrases, OR, NOT, prefixes, title: and variants keep working; snippets stay on the
original text. The sentences are our own."""
from __future__ import annotations

import json
import sqlite3

import pytest

from dashboard.analysis.lemmas import MAX_CHARS, lemmatise, query_lemmas
from dashboard.ingest import import_paths
from dashboard.ingest.reextract import reextract
from dashboard.queries import articles as art
from dashboard.queries.filters import Filter
from dashboard.queries.search import SNIPPET_CLOSE, SNIPPET_OPEN, parse_query
from dashboard.store import MIGRATIONS, SCHEMA_VERSION, fts_in_sync, open_store

ARTICLES = {
    "A": ("Минск ответил на санкции Вашингтона",
          "Белоруссия ввела ответные меры против санкций США. Лукашенко заявил об этом в Гродно."),
    "B": ("Переговоры в Москве",
          "Делегации обсудили экономическое сотрудничество и санкциями не угрожали."),
    "C": ("Sanctions on Belarus", "Washington imposed new sanctions on Minsk."),
}


@pytest.fixture
def ru(db, tmp_path):
    path = tmp_path / "ru.jsonl"
    path.write_text("".join(json.dumps({"url": f"https://example.org/{k}", "title": t, "body": b,
                                        "published_at": "2021-06-01"}, ensure_ascii=False) + "\n"
                            for k, (t, b) in ARTICLES.items()), encoding="utf-8")
    import_paths(db, [path])
    label = {i: u.rsplit("/", 1)[1] for i, u in db.execute("SELECT id, url FROM articles")}
    return db, label


def found(store, text: str, **kw) -> set[str]:
    db, label = store
    return {label[r["id"]] for r in art.list_articles(db, Filter.build(query=text, **kw), limit=100)}


def test_search_russian_lemmas_of_a_text():
    assert lemmatise("Белоруссия ввела ответные меры против санкций США.") == \
        "белоруссия ввести ответный мера против санкция сша"
    # a capitalised word is read as the name it may be: Минском is Минск, not the adjective
    assert lemmatise("Встреча с Минском, минским заводом") == "встреча с минск минский завод"
    assert lemmatise("Talks in Minsk, 2021") is None          # no Cyrillic: nothing stored, nothing indexed
    assert query_lemmas("стали") == ("стать", "сталь")         # a query word stands for every reading
    # a body's first MAX_CHARS characters are read (made-up words cost a parse each)
    assert lemmatise("x" * (MAX_CHARS - 9) + " Минском и Вашингтоном") == "минск"


@pytest.mark.parametrize("query, expected", [
    ("санкциями", {"A", "B"}),            # санкций, санкциями
    ("санкция", {"A", "B"}),              # the dictionary form itself
    ("Беларусь", {"A", "C"}),             # Белоруссия (a curated variant, any case) and Belarus
    ("Вашингтоном", {"A", "C"}),          # Вашингтона; Washington through its variant group
    ("Grodno", {"A"}), ("Hrodna", {"A"}), ("Гродне", {"A"}),
    ("Lukashenko", {"A"}), ("Лукашенко", {"A"}),
    ("Putin", set()),
    ('"ответных мер"', {"A"}),            # a phrase in another form: the phrase of dictionary forms
    ('"ответными санкциями"', set()),     # the words are not next to each other
    ('"санкциями"', {"B"}),               # one quoted word: that form only
    ("санкц*", {"A", "B"}),               # a prefix reads the text as written
    ("санкциями -Лукашенко", {"B"}),
    ("санкциями NOT Гродно", {"B"}),
    ("Москвой OR Гродно", {"A", "B"}),
    ("title:санкциям", {"A"}),            # the title's words in any form; B has санкциями in its body only
    ("body:переговорами", set()),
    ("title:переговорами", {"B"}),
    ("sanctions", {"C"}),                 # English is stemmed as before
])
def test_search_russian_any_form(ru, query, expected):
    assert found(ru, query) == expected


def test_search_russian_without_variants_and_reading(ru):
    assert found(ru, "Вашингтоном", variants=False) == {"A"}
    q = parse_query("санкциями", variants=False)
    assert q.match == '("санкциями" OR "санкция")'
    assert q.reading == "all of: санкциями (any form)"
    assert parse_query("title:Вашингтоном", variants=False).match == \
        '{title title_lemmas} : ("вашингтоном" OR "вашингтон")'


def test_search_russian_snippets_on_the_original_text(ru):
    db, label = ru
    rows = {label[r["id"]]: r["snippet"] for r in art.list_articles(db, Filter.build(query="санкциями"))}
    assert rows["B"] == (f"Делегации обсудили экономическое сотрудничество и {SNIPPET_OPEN}санкциями{SNIPPET_CLOSE} "
                         "не угрожали.")
    # matched through its dictionary form only: FTS5 marks nothing in the body, so the snippet is cut around
    # the first other form, marked — still the text as written, nothing of the lemma column
    assert rows["A"] == (f"Белоруссия ввела ответные меры против {SNIPPET_OPEN}санкций{SNIPPET_CLOSE} США. "
                         "Лукашенко заявил об этом в Гродно.")
    long = "Слово " * 40 + "Стороны обсудили санкции. " + "Ещё слово " * 40
    db.execute("UPDATE articles SET body = ? WHERE id = (SELECT id FROM articles WHERE url LIKE '%/A')", [long])
    db.conn.commit()
    rows = {label[r["id"]]: r["snippet"] for r in art.list_articles(db, Filter.build(query="санкциями"))}
    assert rows["A"] == ("…" + "Слово " * 7 + "Стороны обсудили "
                         f"{SNIPPET_OPEN}санкции{SNIPPET_CLOSE}. " + "Ещё слово " * 15 + "Ещё…")
    assert parse_query("санкциями -Минском").lemmas == frozenset({"санкция"})   # what is excluded is not marked


def test_search_russian_fixture_store(fixture_store):
    # the Windows-1251 page of the fixtures: "…послу Беларуси в Вильнюсе … атомной станции в Островце"
    f = lambda q, v=False: [r["title"] for r in art.list_articles(fixture_store, Filter.build(query=q, variants=v))]  # noqa: E731
    title = "Minsk and Vilnius argue over the Ostrovets plant"
    assert f("Вильнюсом") == f("послом") == f('"атомная станция"') == f("Островец") == [title]
    # with the variants, the English articles naming Vilnius too, and Вильнюсе from the Latin spelling
    assert f("Вильнюсом", True) == f("Vilnius", True) == [
        title, "Vilnius protests as Minsk starts the Astravets reactor", "Ryanair flight forced to land in Minsk"]


def test_search_russian_index_upgraded_by_migration(tmp_path):
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.create_function("fold", 1, lambda t: t)
    conn.executescript(MIGRATIONS[0] + "INSERT INTO schema_version VALUES (1);")
    for i, (title, body) in enumerate(ARTICLES.values()):
        conn.execute("INSERT INTO articles (title, body, content_hash, title_key, published_at) VALUES (?, ?, ?, ?, ?)",
                     [title, body, f"h{i}", title.casefold(), "2021-06-01"])
    conn.commit()
    conn.close()
    store = open_store(path)
    assert store.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION == 18
    assert store.execute("SELECT id, body_lemmas IS NOT NULL, language FROM articles ORDER BY id").fetchall() == [
        (1, 1, "ru"), (2, 1, "ru"), (3, 0, "en")]
    assert fts_in_sync(store)
    q = parse_query("санкциями", db=store).match
    assert [r[0] for r in store.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid",
                                        [q])] == [1, 2]
    # an edited body is indexed again with its dictionary forms (the update trigger), and reextract
    # fills lemma columns emptied by hand
    store.execute("UPDATE articles SET body = 'Стороны обсудили пошлины.', body_lemmas = 'сторона обсудить пошлина' "
                  "WHERE id = 2")
    store.execute("UPDATE articles SET title_lemmas = NULL, body_lemmas = NULL WHERE id = 1")
    store.conn.commit()
    reextract(store)
    assert store.execute("SELECT body_lemmas FROM articles WHERE id = 1").fetchone()[0] == \
        "белоруссия ввести ответный мера против санкция сша лукашенко заявить о это в гродно"
    q = parse_query("пошлинами", db=store).match
    assert [r[0] for r in store.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [q])] == [2]
    assert fts_in_sync(store)
    store.conn.close()

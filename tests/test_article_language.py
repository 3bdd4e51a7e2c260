"""The language of each article (issue #19 item 1): detected at import (en / ru / other), stored in
articles.language (schema v10, filled in existing stores), filled again by reextract, a filter of the one
Filter (CLI --language, URL language=) that articles, events, the timeline and pairs obey."""
from __future__ import annotations

import csv
import io

import pytest

from dashboard.analysis.language import detect_language
from dashboard.cli import main as cli_main
from dashboard.ingest.reextract import reextract
from dashboard.queries import articles as art
from dashboard.queries import clauses, events
from dashboard.queries.filters import Filter
from dashboard.store import SCHEMA_VERSION, open_store


@pytest.mark.parametrize("title, body, expected", [
    ("Минск и Вильнюс снова спорят о станции", "Литва потребовала остановить стройку, Минск ответил отказом.", "ru"),
    ("Minsk and Vilnius argue again", "Lithuania asked Belarus to stop the works, and Minsk said no.", "en"),
    # a title and a teaser, too short to count function words: plain ASCII reads as English
    ("Lukashenko meets Putin in Sochi", "", "en"),
    ("Łukaszenka spotkał się z Putinem w Soczi", "Rozmawiali o gazie i ropie przez cztery godziny.", "other"),
    ("Der Präsident traf sich am Montag mit dem Kanzler", "Sie sprachen über Gas und Öl.", "other"),
    # Belarusian Cyrillic (і, ў) is not Russian
    ("Прэзідэнт сустрэўся з паслом", "Бакі абмеркавалі мытныя правілы і транзіт.", "other"),
    # an English text quoting a Russian agency stays English, a Russian one quoting Reuters stays Russian
    ("Estonia expels a diplomat", "Estonia expelled a Russian diplomat, according to ТАСС.", "en"),
    ("Эстония выслала дипломата", "Эстония выслала российского дипломата (Reuters).", "ru"),
    ("–", "•••", "other"),
])
def test_article_language_detected(title, body, expected):
    assert detect_language(title, body) == expected


def test_article_language_stored_and_filtered(fixture_store):
    # the fixture store: a Windows-1251 page in Russian, the rest English (markup and a two-line body too)
    rows = fixture_store.execute("SELECT language, count(*) FROM articles GROUP BY language ORDER BY 1").fetchall()
    assert rows == [("en", 8), ("ru", 1)]
    ru = Filter.build(language="ru")
    assert art.count_articles(fixture_store, ru) == 1
    [row] = art.list_articles(fixture_store, ru)
    assert (row["title"], row["language"]) == ("Minsk and Vilnius argue over the Ostrovets plant", "ru")
    assert [r["language"] for r in art.iter_articles(fixture_store, Filter.build(language="en"))] == ["en"] * 8
    assert art.count_articles(fixture_store, Filter.build(language="other")) == 0
    # with a keyword and with a pair the same filter holds
    assert art.count_articles(fixture_store, Filter.build(query="Minsk", language="ru")) == 1
    assert art.count_articles(fixture_store, Filter.build(pair="BLR-LTU", any_mention=True)) == 3
    assert art.count_articles(fixture_store, Filter.build(pair="BLR-LTU", language="ru", any_mention=True)) == 1
    assert art.count_articles(fixture_store, Filter.build(pair="BLR-LTU", language="en", any_mention=True)) == 2
    # events: those extracted from articles of the language
    n_ru = events.count_events(fixture_store, ru)
    assert n_ru == fixture_store.execute(
        "SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id "
        "WHERE a.language = 'ru' AND e.repeat_of IS NULL").fetchone()[0]
    assert clauses.describe(Filter.build(pair="BLR-LTU", language="ru")) == \
        "BLR–LTU, all dates, articles in Russian"


def test_article_language_filter_in_url_and_cli(fixture_store_path, capsys):
    f = Filter.build(language="RU")
    assert f.language == "ru" and f.to_params() == {"language": "ru"} and f.slug() == "all_ru"
    assert Filter.from_params({"language": "ru"}) == (f, [])
    g, notices = Filter.from_params({"language": "pl"})
    assert g.language is None and notices == ["Ignored language='pl': language must be en, ru, other or all, got 'pl'"]
    assert Filter.build(language="all").language is None
    assert cli_main(["articles", "--language", "ru", "--format", "csv", "--db", str(fixture_store_path)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0])[7:9] == ["is_stub", "language"] and [(r["is_stub"], r["language"]) for r in rows] == [("0", "ru")]
    with pytest.raises(SystemExit) as exc:
        cli_main(["articles", "--language", "pl", "--db", str(fixture_store_path)])
    assert exc.value.code == 2


def test_article_language_migration_and_reextract(tmp_path):
    import sqlite3
    from dashboard.store import MIGRATIONS
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    conn.create_function("fold", 1, lambda t: t)
    conn.executescript(MIGRATIONS[0] + "INSERT INTO schema_version VALUES (1);")
    # an old store keeps the tag a feed declared ('uk' over an English text), or nothing
    for i, (title, body, declared) in enumerate([
            ("Minsk and Kyiv talk", "The two sides met in Minsk and agreed on the border.", "uk"),
            ("Минск и Киев договорились", "Стороны встретились в Минске.", None),
            ("Łukaszenka spotkał się z Putinem w Soczi", "Rozmawiali o gazie.", "pl")]):
        conn.execute("INSERT INTO articles (title, body, content_hash, title_key, language) VALUES (?, ?, ?, ?, ?)",
                     [title, body, f"h{i}", title.casefold(), declared])
    conn.commit()
    conn.close()
    store = open_store(path)
    assert store.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert store.execute("SELECT language FROM articles ORDER BY id").fetchall() == [("en",), ("ru",), ("other",)]
    store.execute("UPDATE articles SET language = NULL")
    store.conn.commit()
    reextract(store)
    assert store.execute("SELECT language FROM articles ORDER BY id").fetchall() == [("en",), ("ru",), ("other",)]
    store.conn.close()

"""Posts (Telegram channel exports, social media) carry text but no headline: their opening
words become the title, the record says so, and no post is lost (the real Telegram exports in
../shared/data were rejected 1,905 of 1,905 for "missing title")."""
from __future__ import annotations

import json

import pytest

from dashboard.ingest import import_paths
from dashboard.ingest.tabular import TITLE_FROM_TEXT_CHARS, title_from_text

from conftest import SHARED


@pytest.mark.parametrize("text,title", [
    # the first sentence of the first line
    ("Лукашенко встретился с Путиным в Минске. Стороны обсудили цены на газ.\n\nПодробнее позже.",
     "Лукашенко встретился с Путиным в Минске."),
    # a short first line is the title whole
    ("Срочно\nМИД Литвы вызвал временного поверенного Беларуси.", "Срочно"),
    # emphasis marks are not words
    ("**Колесникова встретилась с отцом** в колонии, сообщил он.", "Колесникова встретилась с отцом в колонии, сообщил он."),
    # "St. Petersburg": a full stop within the first 20 characters ends no title
    ("Talks in St. Petersburg ended without a deal on gas.", "Talks in St. Petersburg ended without a deal on gas."),
])
def test_title_from_the_opening_words(text, title):
    assert title_from_text(text) == title


def test_long_opening_cut_at_a_word():
    text = "Belarus and Russia " + "agreed on a long list of measures " * 8
    got = title_from_text(text)
    assert got.endswith("…") and len(got) <= TITLE_FROM_TEXT_CHARS + 1
    assert got == "Belarus and Russia agreed on a long list of measures agreed on a long list of measures agreed on a long list of measures…"


def test_posts_without_titles_are_imported(db, tmp_path):
    posts = [
        {"message_id": 2, "text": "Лукашенко встретился с Путиным в Минске.\nПодробности позже.",
         "date": "2024-11-08T10:00:00+00:00", "channel": "Канал А", "category": "political"},
        {"message_id": 1, "text": "", "date": "2024-11-08T09:00:00+00:00", "channel": "Канал А"},
        {"message_id": 3, "title": "", "text": "A table with titles: an empty one is an error.",
         "date": "2024-11-08T11:00:00+00:00"},
    ]
    path = tmp_path / "channel.json"
    path.write_text(json.dumps(posts, ensure_ascii=False), encoding="utf-8")
    f = import_paths(db, [path]).files[0]
    assert (f.status, f.imported, f.failed) == ("imported", 1, 2)
    assert f.error_lines() == [f"{path}: line 2, field title: missing title",
                               f"{path}: line 3, field title: missing title"]
    row = db.execute("SELECT title, source, section, body FROM articles").fetchone()
    assert row == ("Лукашенко встретился с Путиным в Минске.", "Канал А", "political",
                   "Лукашенко встретился с Путиным в Минске.\nПодробности позже.")


@pytest.mark.skipif(not (SHARED / "data" / "NKTKLN__telegram-news-classifier").is_dir(),
                    reason="../shared/data is absent")
def test_real_telegram_exports_land_whole(db):
    report = import_paths(db, [SHARED / "data" / "NKTKLN__telegram-news-classifier"])
    # 905 + 1,000 posts; the second channel repeats two texts
    assert [(f.imported, f.duplicates, f.failed) for f in sorted(report.files, key=lambda f: str(f.path))] == \
        [(905, 0, 0), (998, 2, 0)]

"""Events from Russian text: the Russian action lexicon (tables/actions_ru.tsv), its clause rules
(analysis.roles_ru) and the Russian dates, through the same extract_events as English.

Sentences written for these tests (no article text). Published on Thursday 27 May 2021.
"""
import time

import pytest

from dashboard.analysis import extract
from dashboard.analysis.extract import extract_events, is_russian, lexicon, lexicon_ru

PUB = "2021-05-27"


def _events(text, published=PUB):
    return [(e.actor1, e.actor2, e.cameo_code, e.date, e.date_precision) for e in extract_events(text, published)]


@pytest.mark.parametrize("sentence,expected", [
    # summoning a diplomat is an official complaint (114); "в связи с" names its reason, no event
    ("Министерство иностранных дел Польши вызвало посла Беларуси в связи с инцидентом на границе.",
     [("POL", "BLR", "114", PUB, "day")]),
    # expulsion, weekday after "во", the diplomats' country as an adjective
    ("Во вторник Эстония выслала двух российских дипломатов.", [("EST", "RUS", "161", "2021-05-25", "day")]),
    # visit, a year-less date
    ("Президент Казахстана Касым-Жомарт Токаев посетил Китай 3 марта.", [("KAZ", "CHN", "042", "2021-03-03", "day")]),
    ("Венгрия ввела санкции против Словакии на прошлой неделе.", [("HUN", "SVK", "163", "2021-05-17", "week")]),
    ("Вчера Финляндия закрыла границу с Россией.", [("FIN", "RUS", "163", "2021-05-26", "day")]),
    ("Румыния осудила ракетный удар России по Одессе.", [("ROU", "RUS", "111", PUB, "day")]),
    ("Молдавия обвинила Россию во вмешательстве в выборы.", [("MDA", "RUS", "112", PUB, "day")]),
    ("Германия задержала гражданина России по подозрению в шпионаже.", [("DEU", "RUS", "173", PUB, "day")]),
    ("Армения призвала Азербайджан освободить пленных.", [("ARM", "AZE", "020", PUB, "day")]),
    ("Китай пригрозил Японии ответными мерами.", [("CHN", "JPN", "130", PUB, "day")]),
])
def test_russian_actions_with_actor_before_target_after(sentence, expected):
    assert _events(sentence) == expected


def test_words_are_matched_in_every_form():
    # the same action in other persons, numbers and aspects
    for verb in ("выслала", "выслали", "высылает", "вышлет", "высылают"):
        assert _events(f"Эстония {verb} российских дипломатов.")[0][:3] == ("EST", "RUS", "161"), verb


def test_a_passive_participle_makes_the_mention_before_it_the_target():
    assert _events("Посол Литвы был вызван в МИД России.") == [("RUS", "LTU", "114", PUB, "day")]
    assert _events("Послу Эстонии предложено покинуть Россию в течение недели.") == [
        ("RUS", "EST", "161", PUB, "day")]


def test_negation_gives_no_event_and_a_refusal_keeps_only_the_refusal():
    assert _events("Литва не стала высылать российских дипломатов.") == []
    assert _events("Литва не выслала российских дипломатов.") == []
    assert _events("Россия отказалась подписать соглашение с Грузией.") == [("RUS", "GEO", "120", PUB, "day")]


def test_a_hedged_measure_is_a_threat():
    assert _events("В случае эскалации Польша может закрыть границу с Беларусью.") == [
        ("POL", "BLR", "1312", PUB, "day")]


def test_a_modal_before_a_meeting_is_intent_to_meet():
    assert _events("Польша готова провести переговоры с Литвой.") == [("POL", "LTU", "036", PUB, "day")]


def test_meetings_are_mutual_and_the_place_is_no_party():
    got = _events("Латвия и Эстония подписали соглашение о сотрудничестве 12 мая 2018 года.")
    assert [(set(g[:2]), *g[2:]) for g in got] == [({"LVA", "EST"}, "057", "2018-05-12", "day")]
    got = _events("В Минске прошли переговоры президентов Азербайджана и Армении.")
    assert [(set(g[:2]), *g[2:]) for g in got] == [({"AZE", "ARM"}, "040", PUB, "day")]


def test_a_later_sentence_takes_the_date_of_its_paragraph():
    text = "12 мая Литва закрыла границу с Польшей. В ответ Польша вызвала посла Литвы."
    assert _events(text) == [("LTU", "POL", "163", "2021-05-12", "day"), ("POL", "LTU", "114", "2021-05-12", "day")]


def test_language_is_chosen_by_script():
    assert is_russian("Эстония выслала российских дипломатов (Reuters).")
    assert not is_russian("Estonia expelled Russian diplomats (по данным ТАСС).")
    # an English sentence never reads the Russian lexicon, a Russian one never the English lexicon
    assert _events("Estonia expelled two Russian diplomats on Tuesday.")[0][:3] == ("EST", "RUS", "161")
    assert _events("Эстония expelled двух российских дипломатов.") == []


def test_the_russian_table_is_read_by_the_one_table_reader():
    lex = lexicon_ru()
    codes = {a.code for a in lex.actions}
    assert {"114", "161", "163", "040", "042", "057", "111", "112", "130", "173"} <= codes
    assert lex is not lexicon()
    # the Russian lexicon is built once per process, in well under a second
    extract.lexicon_ru.cache_clear()
    t = time.perf_counter()
    lexicon_ru()
    assert time.perf_counter() - t < 5


def test_a_past_russian_verb_keeps_a_year_less_date_before_publication():
    # 20 October is nearer ahead of 27 May 2021 than behind it; what already happened is last year's
    assert _events("20 октября Литва выслала российского дипломата.")[0][3] == "2020-10-20"
    assert _events("20 октября Литва объявила о высылке российского дипломата.")[0][3] == "2020-10-20"
    # a future verb: what happened is the announcement, dated on the day of the news (as in English)
    (e,) = extract_events("20 октября Литва вышлет российского дипломата.", PUB)
    assert (e.date, e.warning) == (PUB, "announced for 2021-10-20")


@pytest.mark.parametrize("sentence", [
    "«Мы вышлем польских дипломатов», — заявил Лукашенко.",      # "мы" in a quote is the speaker
    "Лукашенко заявил, что посол Польши будет выслан.",          # a passive without agent: the speaker
    "По словам Лукашенко, польские дипломаты будут высланы.",
])
def test_the_speaker_acts_in_what_is_said(sentence):
    assert _events(sentence) == [("BLR", "POL", "161", PUB, "day")]

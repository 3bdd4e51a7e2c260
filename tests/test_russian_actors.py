"""Russian-language articles join their pairs (issue #15, Russian group; issue #19 item 2).

Each test names the kind of failure it covers; every sentence here is written for the test.
"""
import pytest

from dashboard.analysis import actors, actors_ru
from dashboard.knowledge import read_table


def found(text):
    return [(m.surface, m.actor) for m in actors.mentions(text)]


def codes(text):
    return {m.actor for m in actors.mentions(text)}


# --- no actor in Cyrillic text: names in every grammatical case --------------------------------

@pytest.mark.parametrize("form", ["Белоруссия", "Белоруссии", "Белоруссию", "Белоруссией",
                                  "Беларусь", "Беларуси", "Беларусью"])
def test_country_name_in_every_case_belarus(form):
    assert found(f"Делегация приехала, и {form} ответила.") == [(form, "BLR")]


@pytest.mark.parametrize("form", ["Россия", "России", "Россию", "Россией", "РФ"])
def test_country_name_in_every_case_russia(form):
    assert codes(f"Речь шла о том, что {form} и так далее.") == {"RUS"}


def test_country_name_in_prepositional_phrases():
    assert found("Отношения в Белоруссии обострились.") == [("Белоруссии", "BLR")]
    assert found("Минск договорился с Россией.") == [("Минск", "BLR"), ("Россией", "RUS")]
    assert found("Посол прибыл в Польшу, а затем в Литву и Латвию.") == [
        ("Польшу", "POL"), ("Литву", "LTU"), ("Латвию", "LVA")]


def test_country_name_with_fleeting_vowel_and_plural_names():
    # the analyser knows forms a stem table would have to spell out
    assert found("Делегация Египта и послы Нидерландов") == [("Египта", "EGY"), ("Нидерландов", "NLD")]


def test_multiword_country_names_agree_in_case():
    assert found("санкции Соединённых Штатов") == [("Соединённых Штатов", "USA")]
    assert found("санкции Соединенных Штатов") == [("Соединенных Штатов", "USA")]  # ё written as е
    assert found("переговоры с Саудовской Аравией") == [("Саудовской Аравией", "SAU")]


def test_abbreviations_and_blocs():
    assert codes("США, ЕС и НАТО") == {"USA", "EU", "NATO"}
    assert codes("решение Евросоюза и Еврокомиссии") == {"EU"}


def test_every_country_has_a_russian_name():
    countries = {r[0] for r in read_table("countries.tsv")}
    named = {r.actor for r in actors_ru.rows() if r.kind == "name"}
    assert countries <= named


# --- capitals and seats of power ----------------------------------------------------------------

@pytest.mark.parametrize("form", ["Кремль", "Кремля", "Кремлю", "Кремлём", "Кремлем", "Кремле"])
def test_seat_of_power_in_every_case(form):
    assert codes(f"Заявление {form} было коротким.") == {"RUS"}


def test_capital_as_government():
    assert found("Кремль заявил, что Вашингтон ошибается.") == [("Кремль", "RUS"), ("Вашингтон", "USA")]
    assert codes("Варшава и Вильнюс ответили Минску.") == {"POL", "LTU", "BLR"}


def test_white_house_is_the_united_states_only_in_context():
    # the US named elsewhere: the seat is the US
    assert found("Белый дом ответил Москве, а США ввели санкции.")[0] == ("Белый дом", "USA")
    assert codes("Представитель Белого дома обсудил с Россией санкции против США.") == {"USA", "RUS"}
    # placed in Moscow or named after Russia: Moscow's government building, not the US
    assert "USA" not in codes("Белый дом в Москве, где заседает правительство России.")
    assert "USA" not in codes("Российский Белый дом сообщил об отставке.")
    # the US named nowhere else while others are: not the US
    assert "USA" not in codes("У Белого дома собрались сторонники, Россия ответила.")


# --- adjectives, demonyms and combining forms ---------------------------------------------------

@pytest.mark.parametrize("form", ["белорусский", "белорусская", "белорусское", "белорусские", "белорусского",
                                  "белорусской", "белорусскому", "белорусским", "белорусскую",
                                  "белорусских", "белорусскими", "белорусском", "Белорусская"])
def test_adjective_in_every_gender_number_and_case(form):
    assert found(f"Это {form} позиция.") == [(form, "BLR")]


def test_demonyms_singular_and_plural():
    assert codes("Белорусы и россияне, поляки и литовцы") == {"BLR", "RUS", "POL", "LTU"}


def test_combining_forms_name_both_sides():
    assert found("российско-белорусские отношения") == [("российско", "RUS"), ("белорусские", "BLR")]
    assert codes("Российско-американский диалог") == {"RUS", "USA"}
    assert codes("белорусско-польская граница") == {"BLR", "POL"}


def test_combining_form_alone_is_no_actor():
    assert codes("он сказал польско и замолчал") == set()


def test_adjective_naming_a_language_or_medium_is_not_the_state():
    assert codes("Он говорит на белорусском языке.") == set()
    assert codes("об этом пишут российские СМИ") == set()
    assert codes("белорусская сторона") == {"BLR"}


# --- office holders in every case ---------------------------------------------------------------

def test_office_holders_in_every_case():
    got = actors.mentions("Лукашенко встретился с Путиным.")
    assert [(m.surface, m.actor, m.kind, m.person) for m in got] == [
        ("Лукашенко", "BLR", "leader", "lukashenko"), ("Путиным", "RUS", "leader", "putin")]
    for form in ("Путин", "Путина", "Путину", "Путиным", "Путине"):
        assert [m.person for m in actors.mentions(f"слова {form} вчера")] == ["putin"]
    for form in ("Зеленский", "Зеленского", "Зеленскому", "Зеленским", "Зеленском"):
        assert [m.person for m in actors.mentions(f"слова {form} вчера")] == ["zelensky"]
    assert [m.person for m in actors.mentions("с Медведевым и Макеем")] == ["medvedev", "makei"]


def test_surname_forms_keep_the_gender():
    # "Путина" is Putin's genitive; the feminine "Путиной" is nobody in the table
    assert codes("Марина Путиной") == set()


def test_belarusian_spellings():
    assert codes("Лукашэнка сустрэўся") == {"BLR"}
    assert codes("Лукашенка и Беларусь") == {"BLR"}


def test_office_holders_reference_people_of_the_english_table():
    people = {r[0] for r in read_table("actor_people.tsv")}
    assert all(p in people for r in actors_ru.rows() for p in r.persons)


# --- false actors -------------------------------------------------------------------------------

def test_common_word_spelt_like_a_country_is_no_actor():
    assert codes("Того же дня посол уехал.") == set()          # the pronoun, not Togo


def test_phrase_containing_a_name_but_no_government():
    assert codes("страны Латинской Америки") == set()
    assert codes("статья в Российской газете") == set()


def test_english_text_is_read_as_before():
    assert found("Belarus and Russia signed a treaty in Moscow.") == [
        ("Belarus", "BLR"), ("Russia", "RUS"), ("Moscow", "RUS")]


def test_scan_matches_mentions_on_russian_text():
    title, body = "Литва вызвала посла Белоруссии", "МИД Литвы вручил ноту. Кремль промолчал."
    text = f"{title}\n\n{body}"
    got, counts = actors.scan(text, len(title) + 2)
    assert [(m.surface, m.actor) for m in got] == found(body)
    assert counts == actors.count_actors(text)

"""Russian date expressions, read by the same resolvers (dates._RESOLVERS) and year inference as English.

Sentences written for these tests (no article text).
"""
import pytest

from dashboard.analysis.dates import find_dates


def _one(sentence, published):
    got = find_dates(sentence, published)
    assert len(got) == 1, got
    d = got[0]
    return d.text, d.date, d.precision, d.year_inferred


@pytest.mark.parametrize("sentence,published,expected", [
    # month names in every case, with and without a year
    ("Министры встретились 21 ноября.", "2011-11-25", ("21 ноября", "2011-11-21", "day", True)),
    ("Договор подписали 3 марта 2014 года в Москве.", "2020-01-10",
     ("3 марта 2014 года", "2014-03-03", "day", False)),
    ("Переговоры прошли в ноябре.", "2011-12-05", ("ноябре", "2011-11-01", "month", True)),
    ("Переговоры начались в ноябре 2011 года.", "2015-01-10", ("ноябре 2011 года", "2011-11-01", "month", False)),
    ("Ноябрь 2011 выдался напряжённым.", "2015-01-10", ("Ноябрь 2011", "2011-11-01", "month", False)),
    ("Учения пройдут в конце мая 2019 года.", "2019-01-10", ("в конце мая 2019 года", "2019-05-01", "month", False)),
    ("Граница закрыта с 1 по 5 мая.", "2019-04-20", ("1 по 5 мая", "2019-05-01", "day", True)),
    # day-first numbers
    ("Соглашение вступило в силу 07.12.2019.", "2020-01-10", ("07.12.2019", "2019-12-07", "day", False)),
    # a year with "году"
    ("В 2014 году отношения ухудшились.", "2021-05-27", ("2014", "2014-01-01", "year", False)),
])
def test_russian_calendar_dates(sentence, published, expected):
    assert _one(sentence, published) == expected


@pytest.mark.parametrize("sentence,expected", [
    # published on Thursday 27 May 2021
    ("В понедельник министр заявил о протесте.", ("В понедельник", "2021-05-24")),
    ("Во вторник посла вызвали в МИД.", ("Во вторник", "2021-05-25")),
    ("В прошлую пятницу посол покинул страну.", ("прошлую пятницу", "2021-05-21")),
    ("Вчера министр заявил о протесте.", ("Вчера", "2021-05-26")),
    ("Сегодня министр заявил о протесте.", ("Сегодня", "2021-05-27")),
    ("Накануне министр заявил о протесте.", ("Накануне", "2021-05-26")),
    ("Список вводится с сегодняшнего дня.", ("сегодняшнего", "2021-05-27")),
])
def test_russian_relative_days(sentence, expected):
    text, day, precision, inferred = _one(sentence, "2021-05-27")
    assert (text, day, precision, inferred) == (*expected, "day", False)


@pytest.mark.parametrize("sentence,expected", [
    ("На прошлой неделе стороны провели переговоры.", ("прошлой неделе", "2021-05-17", "week")),
    ("В прошлом году стороны провели переговоры.", ("прошлом году", "2020-01-01", "year")),
    ("В этом году стороны провели переговоры.", ("этом году", "2021-01-01", "year")),
    ("В следующем месяце стороны проведут переговоры.", ("следующем месяце", "2021-06-01", "month")),
    # time ago
    ("Три дня назад Литва выслала дипломата.", ("Три дня назад", "2021-05-24", "day")),
    ("Неделю назад стороны встретились.", ("Неделю назад", "2021-05-17", "week")),
    ("2 месяца назад стороны встретились.", ("2 месяца назад", "2021-03-01", "month")),
    ("Пять лет назад стороны подписали договор.", ("Пять лет назад", "2016-01-01", "year")),
    ("В минувшую пятницу посла вызвали в МИД.", ("минувшую пятницу", "2021-05-21", "day")),
])
def test_russian_relative_periods(sentence, expected):
    text, day, precision, _ = _one(sentence, "2021-05-27")
    assert (text, day, precision) == expected


def test_relative_day_then_explicit_date_is_one_mention():
    assert _one("Сегодня, 5 мая, МИД вызвал посла.", "2016-05-05") == ("Сегодня, 5 мая", "2016-05-05", "day", True)


@pytest.mark.parametrize("sentence", [
    "Накануне визита министр дал интервью.",      # on the eve of a visit: no day
    "Выбросы попадают в окружающую среду.",        # "среду" without "в" right before is no Wednesday
    "Май и ноябрь — любимые месяцы министра.",     # a bare month name
    "Стороны обсудили 2000 вопросов.",             # a number is no year
])
def test_russian_words_that_are_no_dates(sentence):
    assert find_dates(sentence, "2021-05-27") == []


def test_since_a_russian_date_starts_a_period():
    got = find_dates("Граница закрыта с 5 мая.", "2021-05-27")
    assert [(d.date, d.period) for d in got] == [("2021-05-05", "since")]


def test_nazad_without_a_time_is_no_date():
    assert find_dates("Министр вернулся назад.", "2021-05-27") == []

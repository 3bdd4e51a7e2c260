"""Sentence splitting and date expressions (dashboard.analysis.dates): exact values."""
from __future__ import annotations

import pytest

from dashboard.analysis.dates import (DateMention, find_dates, needs_previous, paragraphs, parse_published, sentences,
                             tense_at)


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in sentences(text)]


def found(sentence: str, published: str, **kw) -> list[tuple[str, str, str, bool, bool]]:
    return [(d.text, d.date, d.precision, d.year_inferred, d.relative) for d in find_dates(sentence, published, **kw)]


# ----------------------------------------------------------------------------- sentences

def test_abbreviations_do_not_split():
    text = ("Mr. Smith met Dr. Jones in the U.S. on Jan. 5. Then A. Lukashenko spoke. "
            "See No. 5 on the list. The U.S. Navy sailed! Prices rose, e.g. for gas.")
    assert split(text) == [
        "Mr. Smith met Dr. Jones in the U.S. on Jan. 5.",
        "Then A. Lukashenko spoke.",
        "See No. 5 on the list.",
        "The U.S. Navy sailed!",
        "Prices rose, e.g. for gas.",
    ]


def test_us_at_the_end_of_a_sentence_splits_before_an_opener():
    text = "Relations between Russia and U.S. However the result was a failure. He said no. He left."
    assert split(text) == ["Relations between Russia and U.S.", "However the result was a failure.",
                           "He said no.", "He left."]


def test_sentence_offsets_and_line_breaks():
    text = "Title line\nApril 17, 2017 13:03\n\n  First one. Second one?\nwrapped here.\n"
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == ["Title line", "April 17, 2017 13:03", "First one.",
                                             "Second one?\nwrapped here."]
    assert spans[2] == (35, 45)
    assert sentences("") == [] and sentences("   \n ") == []


def test_paragraphs():
    text = "One. Two.\n\nThree.\n \n\nFour."
    assert [text[a:b] for a, b in paragraphs(text)] == ["One. Two.", "Three.", "Four."]


# ----------------------------------------------------------------------------- explicit dates

@pytest.mark.parametrize("sentence, published, expected", [
    ("The talks were held on 21 November.", "2016-04-22", [("21 November", "2015-11-21", "day", True, False)]),
    ("They met on November 25 in Moscow.", "2016-04-22", [("November 25", "2015-11-25", "day", True, False)]),
    ("It was published on April 17, 2017 at noon.", "2020-01-01", [("April 17, 2017", "2017-04-17", "day", False, False)]),
    ("The decree of 25.11.2011 entered into force.", "2020-01-01", [("25.11.2011", "2011-11-25", "day", False, False)]),
    ("The ceasefire took effect on 2023-11-21 at noon.", "2023-11-21", [("2023-11-21", "2023-11-21", "day", False, False)]),
    ("The 21st of November 2015 was cold.", "2020-01-01", [("21st of November 2015", "2015-11-21", "day", False, False)]),
    ("Talks on 21-23 November ended.", "2016-01-10", [("21-23 November", "2015-11-21", "day", True, False)]),
    ("In mid-March 2014 troops arrived.", "2020-01-01", [("mid-March 2014", "2014-03-01", "month", False, False)]),
])
def test_explicit_dates(sentence, published, expected):
    assert found(sentence, published) == expected


def test_in_month_and_in_year():
    assert found("The talks resumed in March.", "2021-05-02") == [("March", "2021-03-01", "month", True, False)]
    assert found("Sanctions were imposed in 2011.", "2020-01-01") == [("2011", "2011-01-01", "year", False, False)]
    assert found("Sanctions were imposed in early 2011.", "2020-01-01") == [("early 2011", "2011-01-01", "year", False, False)]


def test_offsets_index_the_sentence():
    s = "Lukashenko arrived in Beijing on 28 February for a visit."
    (d,) = find_dates(s, "2023-03-01")
    assert isinstance(d, DateMention)
    assert (d.start, d.end, s[d.start:d.end]) == (33, 44, "28 February")


# ----------------------------------------------------------------------------- year inference

def test_year_nearest_to_publication():
    assert found("The vote is set for 12 May.", "2019-05-09") == [("12 May", "2019-05-12", "day", True, False)]
    assert found("The memorandum was signed on 30 December.", "2021-01-04") == [
        ("30 December", "2020-12-30", "day", True, False)]


def test_past_tense_never_after_publication_future_never_before():
    # nearest would be 2019-05-12, but a signature told in the past lies before publication
    assert found("The treaty was signed on 12 May.", "2019-05-09")[0][1] == "2018-05-12"
    # nearest would be 2019-05-02, but a meeting that will happen lies after publication
    assert found("The ministers will meet on 2 May.", "2019-05-09")[0][1] == "2020-05-02"
    assert found("The ministers meet on 2 May.", "2019-05-09", tense="future")[0][1] == "2020-05-02"


def test_tense_at():
    s = "Lukashenko said on 5 May that Russia will deliver the missiles."
    assert tense_at(s, s.index("5 May")) == "past"
    assert tense_at(s, s.index("deliver")) == "future"
    assert tense_at("The summit is scheduled for 12 May.", 29) == "future"
    assert tense_at("Ministers meet in Minsk.", 0) is None


# ----------------------------------------------------------------------------- relative dates

def test_relative_to_publication():
    got = found("Yesterday, earlier this month, last month and last year.", "2020-03-15 10:30")
    assert got == [("Yesterday", "2020-03-14", "day", False, True),
                   ("earlier this month", "2020-03-01", "month", False, True),
                   ("last month", "2020-02-01", "month", False, True),
                   ("last year", "2019-01-01", "year", False, True)]


def test_last_week_is_the_monday_of_the_week_before():
    assert found("Last week, Makei went to Warsaw.", "2017-04-17 13:03") == [
        ("Last week", "2017-04-10", "week", False, True)]
    # a Thursday publication: the week before still starts on a Monday
    assert found("Last week, Makei went to Warsaw.", "2017-04-20")[0][1] == "2017-04-10"


def test_weekdays_and_ago():
    assert found("Germany expelled them on Monday.", "2022-04-05") == [("on Monday", "2022-04-04", "day", False, True)]
    assert found("Lukashenko will visit on Friday.", "2023-11-23") == [("on Friday", "2023-11-24", "day", False, True)]
    assert found("Three days ago the ships were seized.", "2018-11-28") == [
        ("Three days ago", "2018-11-25", "day", False, True)]


def test_relative_to_the_previous_date():
    assert found("On the following day they met.", "2016-04-22", previous="2015-11-23") == [
        ("the following day", "2015-11-24", "day", False, True)]
    assert found("The next day Latvia closed them.", "2022-04-06", previous="2022-04-04") == [
        ("The next day", "2022-04-05", "day", False, True)]
    assert found("Two days later the talks began.", "2016-01-01", previous="2015-11-23")[0][1] == "2015-11-25"


def test_relative_phrase_followed_by_an_explicit_date_is_that_date():
    got = found("On the following day, 25 November, President Lukashenko flew to Moscow.", "2016-04-22 17:51",
                previous="2015-11-23")
    assert got == [("the following day, 25 November", "2015-11-25", "day", True, False)]


def test_needs_previous():
    assert needs_previous("On the following day they met.")
    assert needs_previous("Two days later the talks began.")
    assert not needs_previous("The talks lasted two days.")
    assert not needs_previous("They met on Tuesday.")


def test_relative_to_previous_without_anchor_gives_nothing():
    assert find_dates("On the following day they met.", "2016-04-22") == []
    assert find_dates("The day after the vote, protests began.", "2016-04-22", previous="2016-01-01") == []


# ----------------------------------------------------------------------------- false positives

def test_case_c07_exactly_one_date():
    text = ("Ministers may meet again to discuss the 11g pipeline; talks to resume in a week or two. "
            "Protesters march to the embassy. The memorandum was signed on 3 March 2021.")
    dates = [d for a, b in sentences(text) for d in find_dates(text[a:b], "2021-03-10")]
    assert [(d.text, d.date, d.precision) for d in dates] == [("3 March 2021", "2021-03-03", "day")]
    assert [d.date for d in find_dates(text, "2021-03-10")] == ["2021-03-03"]


@pytest.mark.parametrize("sentence", [
    "Ministers may meet again.",
    "Protesters march to the embassy.",
    "May I ask a question?",
    "March to the sea, they said.",
    "The 11g pipeline is long.",
    "Talks will resume in a week or two.",
    "A US$2 billion loan was agreed.",
    "It happened in 2000 cases.",
    "Russia sold 2 billion dollars of May bonds.",
    "The day of the vote came.",
])
def test_not_dates(sentence):
    assert find_dates(sentence, "2021-03-10") == []


def test_impossible_dates_are_skipped():
    assert find_dates("It happened on 31 April 2021 and on 2021-13-01.", "2021-05-01") == []


def test_published_at_is_validated():
    assert parse_published("2016-04-22 17:51").isoformat() == "2016-04-22"
    with pytest.raises(ValueError):
        find_dates("On 21 November.", "22/04/2016")


def test_dates_out_of_calendar_range_are_dropped_not_raised():
    assert find_dates("It happened yesterday, last month and three years ago.", "0001-01-01") == []
    assert find_dates("See you tomorrow and next year.", "9999-12-31") == []


def test_trailing_attribution_gives_no_tense_to_the_reported_clause():
    # 2025-09-10 is a Wednesday: "will close ... on Thursday" looks ahead although "said" is nearer
    (d,) = find_dates("Poland will close the border on Thursday, Tusk said.", "2025-09-10")
    assert (d.date, d.precision) == ("2025-09-11", "day")
    (d,) = find_dates("Poland closed the border on Thursday, Tusk said.", "2025-09-10")
    assert d.date == "2025-09-04"

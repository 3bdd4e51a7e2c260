"""Dates in article text as people write them (issue #15 item 4, text half): each test is
named after the kind of failure it covers; the sentences are written for these tests."""
from __future__ import annotations

from dashboard.analysis.dates import find_dates, not_after
from dashboard.analysis.extract import extract_events


def _dates(sentence, published, **kw):
    return [(d.text, d.date, d.precision, d.period, d.until) for d in find_dates(sentence, published, **kw)]


# --------------------------------------------------------------------------- "since" is a period

def test_since_marks_the_start_of_a_period():
    assert _dates("Belarus has held the journalist since August 2023.", "2024-03-29") == \
        [("August 2023", "2023-08-01", "month", "since", None)]
    assert _dates("The border has been closed since 21 November.", "2024-03-29")[0][3] == "since"
    assert _dates("Trade fell in August 2023.", "2024-03-29")[0][3] is None


def test_since_date_is_not_the_event_day():
    (e,) = extract_events("Belarus has detained a Polish journalist since August 2023.", "2024-03-29")
    assert e.date != "2023-08-01"
    assert (e.date, e.year_inferred) == ("2024-03-29", False)     # the report, at publication


def test_since_date_is_not_passed_on_to_the_next_sentence():
    text = "Belarus has detained a Polish journalist since August 2023. Lithuania criticised Belarus."
    events = extract_events(text, "2024-03-29")
    assert [(e.actor1, e.date) for e in events] == [("BLR", "2024-03-29"), ("LTU", "2024-03-29")]


# --------------------------------------------------------------------------- ranges are periods

def test_day_range_is_a_period_from_its_first_day():
    assert _dates("Exercises were held from 1 to 5 May near the border.", "2024-06-10") == \
        [("1 to 5 May", "2024-05-01", "day", "range", "2024-05-05")]
    assert _dates("Talks were held on 3-5 May.", "2024-06-10")[0][3:] == ("range", "2024-05-05")
    assert _dates("Talks were held on May 3–5, 2024.", "2024-06-10")[0][1:] == \
        ("2024-05-03", "day", "range", "2024-05-05")
    assert _dates("Between 1 and 5 May troops trained.", "2024-06-10")[0][3:] == ("range", "2024-05-05")


def test_two_days_joined_by_and_are_not_a_range():
    assert _dates("Talks were held on 3 and 5 May.", "2024-06-10")[0][3:] == (None, None)


def test_range_across_months_is_one_period():
    assert _dates("The exercises ran from 1 May to 3 June.", "2024-07-01") == \
        [("1 May to 3 June", "2024-05-01", "day", "range", "2024-06-03")]


def test_event_in_a_range_takes_the_first_day():
    (e,) = extract_events("Russia and Belarus held joint exercises from 1 to 5 May near the border.",
                          "2024-06-10")
    assert (e.date, e.date_precision) == ("2024-05-01", "day")


# --------------------------------------------------------------------------- numbers are day first

def test_dotted_numbers_are_day_first():
    assert _dates("10:38, 06.05.2025 Russia said it would respond.", "2025-05-09")[0][:3] == \
        ("06.05.2025", "2025-05-06", "day")
    assert _dates("Updated 10:38,06.05.2025.", "2025-05-09")[0][1] == "2025-05-06"


def test_hyphenated_numbers_are_day_first():
    assert _dates("Updated at 17:11,20-07-2018 by the desk.", "2018-07-21")[0][:2] == ("20-07-2018", "2018-07-20")
    assert _dates("Signed 2018-07-20 in Minsk.", "2018-07-21")[0][1] == "2018-07-20"    # ISO stays year first


def test_dotted_date_does_not_move_a_weekday():
    text = "Interfax, 10:38, 06.05.2025. Russia criticised Poland on Tuesday."
    (e,) = extract_events(text, "2025-05-09")
    assert e.date == "2025-05-06"


# --------------------------------------------------------------------------- past is not after publication

def test_past_event_without_year_is_not_after_publication():
    text = "The Chinese foreign minister held talks with Belarus on April 23 and is expected to return next year."
    (e,) = extract_events(text, "2024-03-29")
    assert (e.date, e.year_inferred) == ("2023-04-23", True)


def test_agreed_is_a_past_form():
    (e,) = extract_events("Belarus agreed on April 23 to buy Russian gas.", "2024-03-29")
    assert e.date == "2023-04-23"


def test_not_after_moves_back_whole_years():
    from datetime import date
    assert not_after("2024-04-23", date(2024, 3, 29)) == "2023-04-23"
    assert not_after("2024-03-01", date(2024, 3, 29)) == "2024-03-01"
    assert not_after("2024-02-29", date(2024, 1, 10)) == "2023-02-28"


# --------------------------------------------------------------------------- modal and future are not past

def test_may_looks_ahead():
    got = _dates("Transit resumed on 21 November and may continue in March.", "2024-12-01")
    assert [d[1] for d in got] == ["2024-11-21", "2025-03-01"]
    # half a year after March, "may" still points to the next March, not the last one
    assert _dates("Transit may continue in March.", "2024-07-01")[0][1] == "2025-03-01"


def test_may_after_the_date_does_not_make_it_future():
    got = _dates("Russia resumed gas deliveries to Belarus on 21 November and may continue them in March.",
                 "2024-12-01")
    assert got[0][1] == "2024-11-21"


def test_may_have_is_past_and_may_the_month_is_no_modal():
    assert _dates("Russia may have moved troops in March.", "2024-07-01")[0][1] == "2024-03-01"
    assert _dates("Prices rose in May.", "2024-03-01")[0][1] == "2023-05-01"


# --------------------------------------------------------------------------- a date opening the sentence

def test_date_at_sentence_start_with_comma_dates_the_event():
    (e,) = extract_events("On August 6, 2025, the first train from Russia arrived in Belarus.", "2025-08-10")
    assert (e.actor1, e.actor2, e.date, e.date_precision) == ("RUS", "BLR", "2025-08-06", "day")
    (f,) = extract_events("On 6 August 2025, Russia signed an agreement with Belarus.", "2025-08-10")
    assert f.date == "2025-08-06"


# --------------------------------------------------------------------------- the exact day (issue #15)

def test_month_followed_by_last_year_takes_that_year():
    # published Thursday 9 February 2023
    assert _dates("Russia attacked its neighbour in March last year.", "2023-02-09") == \
        [("March last year", "2022-03-01", "month", None, None)]
    assert _dates("The treaty of 5 May of last year was signed.", "2023-02-09")[0][:3] == \
        ("5 May of last year", "2022-05-05", "day")
    assert _dates("The vote is due in October next year.", "2023-02-09")[0][1] == "2024-10-01"
    assert _dates("Россия ввела санкции в марте прошлого года.", "2023-02-09")[0][1:3] == ("2022-03-01", "month")


def test_deadline_is_a_period_not_the_event_day():
    assert _dates("The diplomats must leave by Sept. 3.", "2017-07-30")[0][3] == "by"
    assert _dates("Minsk must reply by Friday.", "2017-07-30")[0][3] == "by"
    assert _dates("Exports are to double until 2030.", "2017-07-30")[0][3] == "by"
    # published Sunday 30 July 2017: Sunday is the day of the order, 3 September the deadline
    (e,) = extract_events("Russia said on Sunday that 400 American diplomats will be expelled by Sept. 3.",
                          "2017-07-30")
    assert (e.actor1, e.actor2, e.date, e.date_precision) == ("RUS", "USA", "2017-07-30", "day")


def test_deadline_alone_dates_the_announcement_and_is_its_plan():
    (e,) = extract_events("Poland said it will close its border with Belarus by 14 March 2026.", "2026-03-02")
    assert (e.date, e.warning) == ("2026-03-02", "announced for 2026-03-14")


def test_weekday_named_again_is_the_same_day_and_a_range_runs_forward():
    # published Wednesday 10 September 2025; the minister spoke in the future
    got = _dates('"We will shut the crossing on Thursday, from Thursday to Saturday," the minister said.',
                 "2025-09-10")
    assert [d[1] for d in got] == ["2025-09-11", "2025-09-11", "2025-09-13"]


def test_date_of_a_later_clause_does_not_date_the_action():
    text = ("The charge by Germany was the latest accusing Russia of an attack abroad, "
            "after Britain last year blamed Moscow for a poisoning.")
    events = {(e.actor1, e.actor2): e for e in extract_events(text, "2019-12-06")}
    assert (events["GBR", "RUS"].date, events["GBR", "RUS"].date_precision) == ("2018-01-01", "year")
    assert events["DEU", "RUS"].date_precision != "year"


def test_quoted_threat_is_dated_on_the_day_it_was_said():
    text = ("Germany expelled two Russian diplomats on Wednesday.\n\n"
            "Paragraph two has no actors.\n\nParagraph three neither.\n\n"
            "\u201cRussia will not leave this German step unanswered,\u201d the Russian ambassador said.")
    # published Friday 6 December 2019: Wednesday is the 4th
    threat = [e for e in extract_events(text, "2019-12-06") if e.actor1 == "RUS"]
    assert [(e.date, e.date_precision) for e in threat] == [("2019-12-04", "day")]


def test_news_day_named_after_the_lede_dates_an_undated_past_lede():
    text = ("Belarus has moved a Russian manager from jail to house arrest.\n\n"
            "The case began in August.\n\nIt strained ties.\n\n"
            '"He was moved yesterday," his lawyer said.')
    (e,) = extract_events(text, "2013-09-26")
    assert (e.date, e.date_precision) == ("2013-09-25", "day")


def test_dateline_day_gives_way_to_the_day_the_lede_names():
    text = ("Vilnius, Mar 6 Lithuania will close its border with Belarus on Friday, "
            "the prime minister told reporters on Tuesday.")
    # published Wednesday 6 March 2024: told on Tuesday the 5th, the closure is for Friday the 8th
    (e,) = extract_events(text, "2024-03-06")
    assert (e.actor1, e.actor2, e.date, e.warning) == ("LTU", "BLR", "2024-03-05", "announced for 2024-03-08")


def test_month_before_the_action_noun_dates_that_action():
    assert _dates("Talks on the November sanctions went on.", "2008-03-08")[0][:3] == \
        ("November", "2007-11-01", "month")
    assert _dates("The May of this story is no date.", "2008-03-08") == []
    text = "Minsk said Friday's step answered a note from the United States on the November sanctions against Belarus."
    usa = [e for e in extract_events(text, "2008-03-08") if e.actor1 == "USA"]
    assert [(e.date, e.date_precision) for e in usa] == [("2007-11-01", "month")]


def test_ongoing_build_up_is_dated_to_the_week():
    (e,) = extract_events("Kyiv says Belarusian forces are massing troops near the border with Ukraine.", "2024-08-25")
    # the week of publication (the undated fallback writes the publication day with it)
    assert (e.actor1, e.date, e.date_precision) == ("BLR", "2024-08-25", "week")
    (e,) = extract_events("Kyiv says Belarus masses troops near the border with Ukraine.", "2024-08-25")
    assert (e.date, e.date_precision) == ("2024-08-25", "day")


def test_quoted_view_is_dated_when_stated_not_by_the_quote_before_it():
    text = ("Russia expelled two Moldovan diplomats on Wednesday.\n\n"
            "\u201cAfter Chisinau expelled our diplomats on May 29, Moscow had to answer,\u201d the ministry said. "
            "\u201cThe Russian side believes that Chisinau\u2019s unfriendly steps towards Russia are harmful.\u201d")
    # published Wednesday 31 May 2017
    view = [e for e in extract_events(text, "2017-05-31") if e.root_code == "11"]
    assert [(e.actor1, e.actor2, e.date) for e in view] == [("RUS", "MDA", "2017-05-31")]


def test_then_after_a_dated_step_is_that_week():
    text = ("Lithuania protested to Belarus on Wednesday.\n\n"
            "On Tuesday, the grid operator said the plant had started.\n\n"
            "Lithuania then suspended power trading with Belarus.")
    # published Wednesday 4 November 2020: on Tuesday the 3rd or after it
    halt = [e for e in extract_events(text, "2020-11-04") if e.root_code == "16"]
    assert [(e.date, e.date_precision) for e in halt] == [("2020-11-03", "week")]


def test_target_year_is_no_planned_day():
    (e,) = extract_events("Russia will ship 98 bcm of gas to China by 2030, Putin said.", "2023-03-21")
    assert (e.date, e.warning) == ("2023-03-21", None)

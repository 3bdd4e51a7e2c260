"""Years from the article's own facts (issue #15 item 5): office-holder terms named next to
year-less dates choose the year, and an article whose events then lie years before its
publication is marked as probably republished. Texts written for these tests."""
from __future__ import annotations

import pytest

from devtools import evaluate
from dashboard.analysis import years
from dashboard.analysis.extract import extract_events

SHARED = evaluate.shared_dir()
SEED = SHARED / "samples" / evaluate.SEED_NAME if SHARED else None
needs_seed = pytest.mark.skipif(SEED is None or not SEED.is_file(), reason="shared/samples (seed article) not present")

# The structure of the seed article, in our own words: undated November events, a Russian
# President Medvedev and a Russian envoy to NATO Rogozin named beside them.
NOVEMBER = (
    "On 14 November Russia said it could deploy new air defence units in Belarus.\n\n"
    "Russian President Medvedev threatened the United States on 16 November with a withdrawal "
    "from the arms treaty.\n\n"
    "On 16 November the Russian envoy to NATO Dmitry Rogozin denied that Russia had offered Belarus "
    "new missiles.\n\n"
    "On 18 November President Alexander Lukashenko and Russian leaders discussed military cooperation "
    "in Moscow.")
NOTE = "year 2011: Medvedev President 2008–2012, Rogozin envoy to NATO 2008–2011"


def test_office_terms_rule_out_the_nearest_year_of_undated_events():
    events = extract_events(NOVEMBER, "2016-03-10")
    assert sorted({e.date for e in events}) == ["2011-11-14", "2011-11-16", "2011-11-18"]
    assert all(e.year_inferred for e in events)
    assert all(e.warning.startswith(NOTE) for e in events)
    # the year is explained, not flagged as an office held out of term
    assert not any("was not" in e.warning for e in events)


def test_events_years_before_publication_mark_the_article_probably_republished():
    events = extract_events(NOVEMBER, "2016-03-10")
    assert all("probably republished: its events are of 2011, published 2016-03-10" in e.warning
               for e in events)


def test_terms_that_hold_keep_the_nearest_year_and_no_note():
    events = extract_events(NOVEMBER, "2012-03-10")
    assert sorted({e.date for e in events}) == ["2011-11-14", "2011-11-16", "2011-11-18"]
    assert all(e.warning is None for e in events)


def test_written_year_is_not_moved_by_office_terms():
    (e,) = extract_events("Russian President Medvedev met Obama on 23 November 2015.", "2016-04-22")
    assert e.date == "2015-11-23"
    assert e.warning.startswith("Medvedev was not President of Russia on 2015-11-23")


def test_role_outside_the_event_sentence_dates_nothing():
    text = ("Belarus signed a customs treaty with Russia on 14 November.\n\n"
            "The treaty had first been drafted under Russian President Medvedev.")
    events = extract_events(text, "2016-03-10")
    assert [e.date for e in events] == ["2015-11-14"]
    assert events[0].warning is None


def test_roles_that_no_year_satisfies_keep_the_nearest_year():
    # Medvedev was President 2008-2012, Mishustin Prime Minister from 2020: no November fits both
    text = ("Russian President Medvedev threatened the United States on 16 November.\n\n"
            "Russian Prime Minister Mishustin met Belarus's leaders on 18 November.")
    events = extract_events(text, "2021-03-10")
    assert {e.date[:4] for e in events} == {"2020"}
    assert not any("year 20" in (e.warning or "") for e in events)


def test_shift_back_keeps_the_day_and_month():
    assert years.shift_back("2015-11-23", 4) == "2011-11-23"
    assert years.shift_back("2016-02-29", 1) == "2015-02-28"


@needs_seed
def test_seed_november_events_are_of_2011():
    main = evaluate.seed_parts(SEED)["main"]
    events = [e for e in extract_events(main, "2016-04-22 17:51") if e.date and e.date[5:7] == "11"]
    assert {"2011-11-21", "2011-11-23", "2011-11-25"} <= {e.date for e in events}
    assert all(e.date.startswith("2011") for e in events)
    assert all(e.warning.startswith(NOTE) and "probably republished" in e.warning for e in events)

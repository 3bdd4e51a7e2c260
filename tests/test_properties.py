"""Property-based tests (hypothesis) for the date resolver and the extractor: never an
exception, always a real date, and the year-inference rules hold for any day and month."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.analysis.dates import find_dates, sentences
from dashboard.analysis.extract import extract_events

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
PUBLISHED = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=400, deadline=None)
@given(text=st.text(max_size=400), published=PUBLISHED)
def test_find_dates_never_raises_and_returns_real_dates(text, published):
    for d in find_dates(text, published.isoformat()):
        date.fromisoformat(d.date)
        assert d.precision in ("day", "week", "month", "year")
        assert 0 <= d.start <= d.end <= len(text)


@settings(max_examples=400, deadline=None)
@given(published=PUBLISHED, month=st.integers(1, 12), day=st.integers(1, 28))
def test_past_tense_day_without_year_never_lands_after_publication(published, month, day):
    sentence = f"Ministers signed the agreement on {day} {MONTHS[month - 1]}."
    found = find_dates(sentence, published.isoformat())
    assert len(found) == 1
    d = date.fromisoformat(found[0].date)
    assert found[0].year_inferred
    assert (d.month, d.day) == (month, day)
    assert d <= published
    assert published - d < timedelta(days=366)


@settings(max_examples=400, deadline=None)
@given(published=PUBLISHED, month=st.integers(1, 12), day=st.integers(1, 28))
def test_future_tense_day_without_year_never_lands_before_publication(published, month, day):
    sentence = f"The ministers will meet on {day} {MONTHS[month - 1]}."
    found = find_dates(sentence, published.isoformat())
    assert len(found) == 1
    d = date.fromisoformat(found[0].date)
    assert (d.month, d.day) == (month, day)
    assert d >= published
    assert d - published < timedelta(days=366)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=1500), published=PUBLISHED)
def test_extract_and_sentences_never_raise(text, published):
    spans = sentences(text)
    assert all(0 <= s <= e <= len(text) for s, e in spans)
    for ev in extract_events(text, published.isoformat()):
        assert 1 <= ev.quad_class <= 4 and -10 <= ev.goldstein <= 10
        assert ev.actor1 != ev.actor2

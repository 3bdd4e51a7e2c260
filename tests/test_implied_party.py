"""A dated sentence that names only one side of the article's pair: the other side is read from
the article (issue #15: "In October, the EU already ended travel bans", "Gazprom reduced
supplies by 15 percent Monday"), marked with a warning and a lower confidence."""
from dashboard.analysis.extract import extract_events
from dashboard.queries.clauses import MIN_CONFIDENCE

# Our own text: two two-party events make BLR–EU the article's pair.
STORY = (
    "The European Union agreed on Monday to lift most of its sanctions against Belarus. "
    "Belarus welcomed the decision of the European Union on Monday.\n\n"
    "In October, the EU already ended travel bans against 170 officials."
)


def _implied(events):
    return [e for e in events if e.warning and "not named in the sentence" in e.warning]


def test_dated_one_party_sentence_takes_the_other_side_of_the_articles_pair():
    events = extract_events(STORY, "2016-02-15")
    got = _implied(events)
    assert [(e.actor1, e.actor2, e.date, e.date_precision) for e in got] == [("EU", "BLR", "2015-10-01", "month")]
    assert got[0].warning == "Belarus is not named in the sentence: read from the article's pair"
    assert got[0].confidence < MIN_CONFIDENCE      # hidden with "uncertain events"


def test_undated_one_party_sentence_gives_no_event():
    story = STORY.replace("In October, the EU already ended", "The EU has long ended")
    assert _implied(extract_events(story, "2016-02-15")) == []


def test_a_year_alone_dates_no_implied_event():
    story = STORY.replace("In October, the EU", "This year, the EU")
    assert _implied(extract_events(story, "2016-02-15")) == []


def test_no_implied_party_without_a_clear_article_pair():
    one_event = "The European Union agreed on Monday to lift its sanctions against Belarus.\n\n" \
                "In October, the EU already ended travel bans against 170 officials."
    assert _implied(extract_events(one_event, "2016-02-15")) == []

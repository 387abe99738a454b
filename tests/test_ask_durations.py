"""Yes/no questions that state how long something takes are settled by a recorded time.

The graph records the cement's hardening time as a finding (10–15 min, the seed article). A
question stating a time ("does the cement take days to harden?") gets "Yes" or "No" from that
number, with the finding and its source; the units, phrases and bounds are the lexicon's
("Durations"), and a question whose reading records no time gets no verdict from this.
"""

from __future__ import annotations

import pytest

from pvp_kg.durations import stated_time
from pvp_kg.nlu import index_for


@pytest.mark.parametrize(("question", "low", "high", "bound"), [
    ("does the cement take days to harden?", 2 * 1440, None, None),
    ("does it harden within 15 minutes?", 15, 15, "at_most"),
    ("does it set in 10-15 minutes?", 10, 15, None),
    ("does it take 10 to 15 mins?", 10, 15, None),
    ("does it take more than 20 minutes?", 20, 20, "at_least"),
    ("does it harden within about a quarter of an hour?", 15, 15, "at_most"),
    ("does it take an hour?", 60, 60, None),
])
def test_a_stated_time_is_read_with_the_lexicons_units(kg, question, low, high, bound):
    stated = stated_time(index_for(kg).lexicon, question)
    assert stated is not None
    assert (stated.low, stated.high) == (low, high)
    assert stated.at_most is (bound == "at_most")
    assert stated.at_least is (bound == "at_least")


@pytest.mark.parametrize("question", [
    "does the cement take 10 minutes or an hour to harden?",  # two times: which one?
    "does the cement harden quickly?",                         # no time stated
])
def test_no_single_stated_time(kg, question):
    assert stated_time(index_for(kg).lexicon, question) is None


@pytest.mark.parametrize(("question", "verdict"), [
    ("does the cemnt take days to harden?", "no"),
    ("does the bone cement take days to set", "no"),
    ("Does the cement usually harden within about a quarter of an hour?", "yes"),
    ("does the cement take 10-15 minutes to set?", "yes"),
    ("does the cement take an hour to harden?", "no"),
    ("Does it take more than 20 minutes for the cement to set?", "no"),
])
def test_a_stated_time_is_settled_by_the_recorded_hardening_time(kg, question, verdict):
    answer = kg.ask(question)
    assert answer.verdict == verdict
    assert "time for the cement to harden (seed article)" in {f.label for f in answer.findings}
    assert "10–15 min" in answer.explanation
    assert "src:seed" in {s.curie for s in answer.sources}


def test_two_stated_times_get_no_verdict_from_a_recorded_time(kg):
    assert kg.ask("does the cement take 10 minutes or an hour to harden?").verdict is None


def test_the_units_are_the_lexicons(kg):
    lexicon = index_for(kg).lexicon
    assert lexicon.unit_minutes["minute"] == 1 and lexicon.unit_minutes["day"] == 1440
    assert lexicon.duration_words["days"] == 1440
    assert (("quarter", "of", "an", "hour"), 15) in lexicon.duration_phrases


@pytest.mark.parametrize("question", [
    "how long does vertebroplasty take?",
    "how many minutes does vertebroplasty take on average?",
])
def test_how_long_shows_the_recorded_times_first(kg, question):
    """The procedure's findings are many; a question about how long puts the ones recorded in
    a unit of time first (the procedure time, 31.8 against 40 minutes)."""
    answer = kg.ask(question)
    lines = answer.explanation.splitlines()
    assert lines[1] == "Times recorded:"
    assert "31.8 min" in "\n".join(lines[:8])


def test_the_unit_the_question_names_comes_first_among_the_recorded_times(kg):
    answer = kg.ask("how many minutes does vertebroplasty take on average?")
    times = answer.explanation.split("Times recorded:", 1)[1].split("All findings", 1)[0]
    first = times.strip().splitlines()[0]
    assert " min" in first and "day" not in first


@pytest.mark.parametrize(("question", "label"), [
    ("Will they keep an eye on me for a few hours after the procedure?",
     "post-procedure monitoring"),
    ("What can pushing too hard on brittle bones during the procedure cause?",
     "pressure on fragile bone during the procedure"),
])
def test_lay_wording_met_in_the_read_splits_is_understood(kg, question, label):
    answer = kg.ask(question)
    assert not answer.declined
    assert label in answer.explanation.splitlines()[0]


def test_a_fracture_that_no_longer_hurts_is_the_healed_one(kg):
    answer = kg.ask("my fracture is years old and doesnt hurt anymore, should I still get "
                    "vertebroplasty?")
    assert answer.verdict == "no"
    assert "asymptomatic or healed vertebral fracture" in answer.explanation


def test_the_unit_of_the_numbers_shown_is_among_the_answers_concepts(kg):
    answer = kg.ask("how long does the cement take to harden?")
    assert "minute" in {c.label for c in answer.concepts}


@pytest.mark.parametrize("question", [
    "My mum's fracture only happened last week. If she doesn't have any procedure at all, "
    "what usually happens to the pain over time?",
    "If I just wait it out, how many weeks does the pain from an osteoporotic spine fracture "
    "usually take to settle down?",
])
def test_the_natural_course_is_found_however_it_is_asked(kg, question):
    """A finding the question names clearly comes before a weak phrase that binds nothing
    ("what happens" is also a way of asking for complications)."""
    answer = kg.ask(question)
    assert not answer.declined
    assert "6 to 8 weeks" in answer.explanation.splitlines()[1]

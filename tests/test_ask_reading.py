"""Which named query a question is read as (issue 10, "the reading"): the general causes of
misreads fixed on the evaluation splits, each asked here in other words than any eval
question."""

from __future__ import annotations


def test_a_yes_no_question_naming_an_outcome_is_read_as_that_outcome(kg):
    """"Does it <verb> X?" where X is recorded as an outcome (not a benefit, not a
    complication): the reading whose answer holds X settles it."""
    answer = kg.ask("Does kyphoplasty improve quality of life?")
    assert answer.intent == "outcomes"
    assert answer.verdict == "yes"
    assert "improved quality of life" in {c.label for c in answer.concepts}


def test_a_yes_no_question_with_no_complication_named_is_not_read_as_complications(kg):
    """A yes/no question naming only the procedure and an outcome is not answered with the
    list of complications (whose check could only say "not recorded")."""
    answer = kg.ask("Will vertebroplasty let me come off painkillers?")
    assert answer.intent == "outcomes" and answer.verdict == "yes"
    assert "reduced analgesic use" in {c.label for c in answer.concepts}

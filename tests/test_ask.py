"""``ask`` on input from users: any text gets an Answer or a clear error, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pvp_kg


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_any_text_gets_an_answer_object(kg, text):
    try:
        ans = kg.ask(text)
    except pvp_kg.InvalidInputError:
        assert not text.strip()
        return
    assert isinstance(ans, pvp_kg.Answer)
    assert ans.explanation
    if ans.concepts:
        assert ans.query in kg.queries and ans.sparql == kg.queries[ans.query].text


@settings(max_examples=30, deadline=None)
@given(st.sampled_from([
    "Which complications relate to cement leakage?",
    "What causes pulmonary cement embolism?",
    "Which risk factors increase cement leakage?",
]), st.sampled_from(["", "?", "  ", "!!", " please"]), st.booleans())
def test_punctuation_and_case_do_not_change_the_answer(kg, question, suffix, upper):
    base = kg.ask(question)
    text = question.rstrip("?") + suffix
    variant = kg.ask(text.upper() if upper else text)
    assert variant.intent == base.intent
    assert {c.iri for c in variant.concepts} == {c.iri for c in base.concepts}


def test_empty_and_oversize_questions_are_refused(kg):
    with pytest.raises(pvp_kg.InvalidInputError, match="empty"):
        kg.ask("   ")
    with pytest.raises(pvp_kg.InvalidInputError, match="limit"):
        kg.ask("cement " * 500)


def test_known_concept_with_unknown_question_is_not_guessed(kg):
    ans = kg.ask("What is the dose of vitamin D after PVP?")
    assert not ans.answered
    assert "percutaneous vertebroplasty" in ans.explanation  # it says what it recognised


def test_answer_reports_the_query_it_ran(kg):
    ans = kg.ask("What are the indications for vertebroplasty?")
    assert ans.query == "indications"
    rows = kg.sparql(ans.query)
    assert {str(v) for v in rows.column("item")} == {c.iri for c in ans.concepts}  # type: ignore[union-attr]


def test_every_answer_item_cites_sources_that_are_described(kg):
    ans = kg.ask("Which complications relate to cement leakage?")
    for source in ans.sources:
        assert source.label and source.label != source.curie, source


@pytest.mark.parametrize(("question", "unknown"), [
    ("Is pregnancy a contraindication?", "pregnancy"),
    ("What are the risks of smoking?", "smoking"),
])
def test_unknown_word_in_a_list_question_is_named_not_ignored(kg, question, unknown):
    ans = kg.ask(question)
    assert not ans.answered
    assert repr(unknown) in ans.explanation


def test_every_query_with_cues_has_a_renderer_and_every_renderer_a_query():
    from pvp_kg.answer import RENDERERS
    from pvp_kg.sparql import named_queries

    queries = named_queries()
    with_cues = {name for name, q in queries.items() if q.cues}
    assert with_cues, "no named query declares cues"
    assert with_cues - set(RENDERERS) == set(), "queries with cues but no renderer"
    assert set(RENDERERS) - set(queries) == set(), "renderers of queries that do not exist"


def test_a_query_nothing_can_render_is_never_chosen(kg):
    # issue 8: a query with cues but no renderer used to fall back to the describe renderer
    # and crash ask() with a bare KeyError('concept')
    from pvp_kg.answer import RENDERERS
    from pvp_kg.ask import understand

    question = "Which complications relate to cement leakage?"
    assert understand(kg, question, answerable=RENDERERS).query.name == (
        "complications_related_to")
    without = understand(kg, question, answerable=set(RENDERERS) - {"complications_related_to"})
    assert without.query is None or without.query.name != "complications_related_to"


def test_question_of_the_wrong_type_is_a_type_error(kg):
    for value in (None, 42, b"cement leakage", ["cement leakage"]):
        with pytest.raises(TypeError, match="must be a string"):
            kg.ask(value)
        with pytest.raises(pvp_kg.PVPKGError):
            kg.ask(value)


def test_a_consequence_answer_names_its_subject_first(kg):
    """"What happens if PMMA reaches the right heart?": the answer is about cardiac cement
    embolism, so that concept heads its concepts (it heads every chain shown)."""
    a = kg.ask("What happens if PMMA reaches the right heart?")
    assert a.intent == "complications_related_to"
    assert a.concepts[0].label == "cardiac cement embolism"


@pytest.mark.parametrize(("question", "title"), [
    ("What are the contraindications to vertebral augmentation?", "Contraindications of"),
    ("what are the complications of vertebral augmentation?", "Complications of"),
    ("What are the indications for vertebral augmentation?", "Indications of"),
])
def test_a_general_procedure_is_answered_from_its_kind_saying_so(kg, question, title):
    """Nothing is recorded on vertebral augmentation itself; its kind vertebroplasty's list,
    with a note, rather than a decline."""
    answer = kg.ask(question)
    assert not answer.declined and answer.items
    first, second = answer.explanation.splitlines()[:2]
    assert first.startswith("Nothing is recorded on vertebral augmentation itself")
    assert "percutaneous vertebroplasty" in first and second.startswith(title)


def test_another_reading_that_answers_comes_before_the_kinds(kg):
    """The treatments asked of spondylitis, not the complications of vertebroplasty."""
    answer = kg.ask("how is spondylitis after vertebral augmentation treated")
    assert answer.explanation.startswith("Treatments of a condition")


def test_a_contraindication_of_a_general_procedure_is_read_on_its_kind(kg):
    answer = kg.ask("Is posterior wall disruption an absolute contraindication to vertebral "
                    "augmentation?")
    assert answer.verdict == "no"  # recorded as relative for vertebroplasty
    note, verdict = answer.explanation.splitlines()[:2]
    assert note.startswith("Nothing is recorded on vertebral augmentation itself")
    assert "relative" in verdict


def test_a_yes_no_of_a_general_procedure_is_read_on_its_kind_saying_so(kg):
    answer = kg.ask("Does vertebral augmentation cause cement leakage?")
    assert answer.verdict == "yes"
    assert answer.explanation.startswith("Nothing is recorded on vertebral augmentation")

"""Yes/no questions about how often ("usually", "most", "all") are not settled by an edge.

An edge records that something can happen or is indicated; it never says that it usually
happens or holds for most patients. Such a question gets no verdict, and the answer shows the
numbers the graph has instead (tests/eval found "does cement leakage usually cause symptoms?"
answered Yes).
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from pvp_kg.nlu import index_for, tokens
from pvp_kg.resources import ontology_dir
from pvp_kg.vocab import LEX


@pytest.mark.parametrize(("question", "concept"), [
    ("Does fat or marrow embolism usually cause symptoms?", "fat or marrow embolism"),
    ("Is cement leakage always a complication of vertebroplasty?", "cement leakage"),
])
def test_quantified_yes_no_gets_no_verdict(kg, question, concept):
    """No usual course recorded for the concept: an edge cannot say how often."""
    answer = kg.ask(question)
    assert answer.verdict is None
    assert not answer.declined
    assert concept in {c.label for c in answer.concepts}
    assert "not how often" in answer.explanation


@pytest.mark.parametrize(("question", "verdict", "concept"), [
    ("Does cement leakage usually cause symptoms?", "no", "cement leakage"),
    ("Do most vertebral haemangiomas need treating with vertebroplasty?", "no",
     "vertebral haemangioma"),
    ("Do all patients with pulmonary cement embolism get symptoms?", "no",
     "pulmonary cement embolism"),
])
def test_quantified_yes_no_is_settled_by_a_recorded_usual_course(kg, question, verdict, concept):
    """A source's statement about most cases (pvp:hasUsualCourse) settles it, with the edge."""
    answer = kg.ask(question)
    assert answer.verdict == verdict
    assert concept in {c.label for c in answer.concepts}
    assert "—has usual course [" in answer.explanation


def test_quantified_yes_no_shows_the_numbers(kg):
    answer = kg.ask("Do most vertebral haemangiomas need treating with vertebroplasty?")
    assert answer.findings, "the graph's numbers about haemangiomas are shown"
    assert any("incidental" in (f.summary or f.label) for f in answer.findings)
    assert {s.curie for s in answer.sources} >= {
        e.source.curie for f in answer.findings for e in f.evidence}


@pytest.mark.parametrize("question", [
    "Is cement leakage a complication of vertebroplasty?",
    "Can the cement leak?",
])
def test_unquantified_yes_no_is_still_answered(kg, question):
    assert kg.ask(question).verdict == "yes"


def test_quantifier_words_are_read_from_the_lexicon(kg):
    lexicon = Graph().parse(ontology_dir() / "lexicon.ttl")
    written = {w for o in lexicon.objects(None, LEX.quantifierWords) for w in tokens(str(o))}
    assert {"usually", "most", "all"} <= written
    assert index_for(kg).lexicon.quantifiers == written


@pytest.mark.parametrize("question", [
    "Is PMMA the cement usually used in vertebroplasty?",
    "Is vertebroplasty usually done under local anaesthetic?",
])
def test_usual_technique_is_what_the_edges_record(kg, question):
    """Steps and materials are the standard technique: "usually" does not withhold the Yes."""
    assert kg.ask(question).verdict == "yes"


def test_an_idiom_with_all_asks_no_how_often(kg):
    """"all the way to the heart" (lex:notQuantifier) is not a question about all cases."""
    lexicon = index_for(kg).lexicon
    toks = tokens("Can the bone cement travel all the way to the heart?")
    assert lexicon.quantifiers_in(toks) == []
    assert lexicon.quantifiers_in(tokens("Do all leaks travel to the heart?")) == ["all"]
    assert "not how often" not in kg.ask(
        "Can the bone cement travel all the way to the heart?").explanation


def test_word_classes_the_code_tests_for_are_written_in_the_lexicon(kg):
    """Every word class the answering code asks for is read from lexicon.ttl, not written in
    the code: a class missing from the lexicon would silently match nothing."""
    lexicon = Graph().parse(ontology_dir() / "lexicon.ttl")
    written = {str(lexicon.value(n, LEX.name)) for n in lexicon.subjects(
        None, LEX.WordClass)}
    needed = {"adverb", "majority", "every", "negation", "nameNegation", "silent", "need",
              "safer", "riskier"}
    assert needed <= written
    read = index_for(kg).lexicon
    assert all(read.words.get(name) for name in needed)
    assert read.has("riskier", tokens("is kyphoplasty more risky than vertebroplasty"))
    assert not read.has("riskier", tokens("is kyphoplasty more effective"))


@pytest.mark.parametrize(("question", "verdict"), [
    ("Do you always need general anaesthesia for a vertebroplasty?", "no"),
    ("do you always have to be put to sleep under general anesthetic for vertebroplasty?",
     "no"),
    ("Is local anaesthesia always used in vertebroplasty?", "yes"),
])
def test_every_case_is_settled_by_the_parts_recorded_quantifier(kg, question, verdict):
    """A part every vertebroplasty has (a restriction) against one it may have (facts4:
    general anaesthesia in some settings): "always" is Yes or No from the edge's quantifier."""
    answer = kg.ask(question)
    assert answer.verdict == verdict
    assert "—has part [" in answer.explanation
    assert ("may have" in answer.explanation) is (verdict == "no")


def test_without_always_a_part_it_may_have_gets_no_no(kg):
    assert kg.ask("Do you need general anaesthesia for a vertebroplasty?").verdict != "no"

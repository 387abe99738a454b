"""Concepts held only as context (lexicon ``lex:contextOnly``) are not asked about.

The graph records cemented hip arthroplasty because bone cement implantation syndrome was
described there; it is not a graph of hip surgery, so "complications of a hip replacement"
is declined (the one recorded complication would read as a complete list), while "what is
it" still answers.
"""

from __future__ import annotations

from rdflib import Graph

from pvp_kg.nlu import index_for
from pvp_kg.resources import ontology_dir
from pvp_kg.vocab import LEX


def test_a_question_about_a_context_concept_is_declined_and_says_why(kg):
    answer = kg.ask("What are the complications of a cemented hip replacement?")
    assert answer.declined and answer.verdict is None
    assert "only as context" in answer.explanation
    assert "cemented hip arthroplasty" in answer.explanation


def test_what_a_context_concept_is_is_still_answered(kg):
    answer = kg.ask("What is cemented hip arthroplasty?")
    assert not answer.declined
    assert answer.concepts[0].label == "cemented hip arthroplasty"


def test_the_typed_api_still_returns_the_recorded_fact(kg):
    """Declining in ask() hides nothing: the sourced edge is still in the graph."""
    hip = kg.resolve("cemented hip arthroplasty")
    assert hip is not None
    items = kg.complications(procedure=hip)
    assert "bone cement implantation syndrome" in {i.label for i in items}


def test_context_concepts_are_read_from_the_lexicon(kg):
    lexicon = Graph().parse(ontology_dir() / "lexicon.ttl")
    written = {str(o) for o in lexicon.objects(None, LEX.contextOnly)}
    assert written and index_for(kg).lexicon.context == written

""""Trace the chain from X to Y", "how does X lead to Y?": the causal paths between two named
concepts, each edge with its sources (pvp_kg/chains.py)."""

from __future__ import annotations

import pytest

from pvp_kg.vocab import CAUSALLY_UPSTREAM_OF, RDFS

_ALLOWED = {str(CAUSALLY_UPSTREAM_OF), str(RDFS.subClassOf)}


@pytest.mark.parametrize(("question", "start", "end"), [
    ("Trace the chain of events from a cement leak to a fatal outcome.",
     "pvp:CementLeakage", "pvp:ProcedureRelatedDeath"),
    ("How does cement leakage lead to death?", "pvp:CementLeakage", "pvp:ProcedureRelatedDeath"),
    ("how does epidural leakage lead to paralysis?", "pvp:EpiduralCementLeakage",
     "pvp:NeurologicalDeficit"),
])
def test_a_chain_question_gets_the_causal_paths(kg, question, start, end):
    answer = kg.ask(question)
    assert not answer.declined and answer.verdict is None
    assert answer.items, answer.explanation
    for item in answer.items:
        path = item.via
        assert item.concept.curie == end
        assert {e.predicate for e in path} <= _ALLOWED  # subtypes and causes, no detours
        assert all(e.evidence for e in path)             # every edge with its source
        ends = {path[0].subject, path[0].object}
        assert kg.terms.expand(start) in ends
    assert "chain" in answer.explanation.splitlines()[0]


def test_the_usual_route_to_death_is_through_the_lungs_first(kg):
    """Both routes are recorded; the one whose edges are better sourced (pulmonary embolism,
    then cardiorespiratory failure) comes before the single case report of a heart
    perforation after another procedure."""
    answer = kg.ask("Trace the chain of events from a cement leak to a fatal outcome.")
    first = answer.items[0].via
    objects = [e.object for e in first]
    assert kg.terms.expand("pvp:PulmonaryCementEmbolism") in objects
    assert kg.terms.expand("pvp:CardiorespiratoryFailure") in objects


def test_no_chain_answer_without_two_connected_concepts(kg):
    answer = kg.ask("Trace the chain of events after vertebroplasty.")
    assert "chain(s) of subtype and causal edges" not in answer.explanation


@pytest.mark.parametrize("question", [
    "Can cement leakage lead to death?",
    "Does cement leakage lead to pulmonary embolism?",
])
def test_can_x_lead_to_y_is_yes_with_the_recorded_chain(kg, question):
    answer = kg.ask(question)
    assert answer.verdict == "yes"
    assert answer.items and all(item.via for item in answer.items)


def test_no_chain_gives_no_no(kg):
    """A missing path is no evidence that it cannot happen."""
    answer = kg.ask("Can pulmonary cement embolism lead to cement leakage?")
    assert answer.verdict != "no"

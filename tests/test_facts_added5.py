"""Facts added this session, each asked through the public API with its one source: what the
first vertebroplasty treated, that cancer treatment goes on after the cement, that an epidural
abscess compresses the cord, and the fact sheet's name "intracardiac embolism"."""

from __future__ import annotations

from .helpers import item_of, last_sources


def test_the_first_vertebroplasty_treated_an_aggressive_haemangioma(kg):
    edges = kg.edges.out(kg.terms.expand("pvp:FindingFirstAugmentation1987"),
                         kg.terms.expand("pvp:studiedCondition"))
    assert [kg.terms.label(e.object) for e in edges] == ["symptomatic vertebral haemangioma"]
    assert {ev.source.curie for e in edges for ev in e.evidence} == {"src:Pmc4757276"}


def test_tumour_directed_therapy_goes_on_after_the_cement(kg):
    advice = kg.terms.expand("pvp:ContinueTumourDirectedTherapy")
    edges = kg.edges.out(advice, kg.terms.expand("pvp:continuedTreatment"))
    assert [kg.terms.label(e.object) for e in edges] == ["tumour-directed therapy"]
    assert {ev.source.curie for e in edges for ev in e.evidence} == {"src:NiceCg75"}
    treated = kg.edges.out(kg.terms.expand("pvp:MalignantVertebralTumour"),
                           kg.terms.expand("pvp:treatedBy"))
    assert "tumour-directed therapy" in {kg.terms.label(e.object) for e in treated}


def test_an_epidural_abscess_is_a_cause_of_cord_compression(kg):
    answer = kg.ask("what causes cord compression after vertebroplasty")
    item = item_of(answer.items, "pvp:EpiduralAbscess")
    assert last_sources(item) == {"src:Liao2018"}


def test_intracardiac_embolism_names_the_cardiac_cement_embolism(kg):
    assert kg.index.iri("intracardiac embolism") == kg.terms.expand("pvp:CardiacCementEmbolism")


def test_the_heart_edges_from_another_procedure_say_their_evidence_is_indirect(kg):
    answer = kg.ask("How does cement leakage lead to death?")
    assert "Indirect evidence" in answer.explanation
    assert "pedicle screw" in answer.explanation

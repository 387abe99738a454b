"""Every fact of the seed article (shared/seed-article.txt) is in the graph, cited to it.

The table below is this test's own reading of the article: one row per fact, as the edge
that must carry it (subject, predicate, object) with ``src:seed`` among its sources.
"""

from __future__ import annotations

import pytest

SEED = "src:seed"
PVP = "pvp:PercutaneousVertebroplasty"

FACTS = [
    # Indications
    ("osteoporotic VCF", PVP, "pvp:hasIndication", "pvp:OsteoporoticVertebralCompressionFracture"),
    ("traumatic VCF", PVP, "pvp:hasIndication", "pvp:TraumaticVertebralCompressionFracture"),
    ("metastatic cancer", PVP, "pvp:hasIndication", "pvp:VertebralMetastasis"),
    ("multiple myeloma", PVP, "pvp:hasIndication", "pvp:VertebralMultipleMyeloma"),
    ("haemangioma", PVP, "pvp:hasIndication", "pvp:VertebralHaemangioma"),
    # Procedure
    ("local anaesthesia", PVP, "BFO:0000051", "pvp:LocalAnaesthesiaStep"),
    # an optional step of the procedure itself, not a part of local anaesthesia (issue 9, C14)
    ("conscious sedation in some cases", PVP, "BFO:0000051", "pvp:ConsciousSedation"),
    ("small skin incision", PVP, "BFO:0000051", "pvp:SkinIncisionStep"),
    ("needle insertion", PVP, "BFO:0000051", "pvp:NeedleInsertionStep"),
    ("under fluoroscopic guidance", "pvp:NeedleInsertionStep", "pvp:guidedBy",
     "pvp:Fluoroscopy"),
    ("cement injection", PVP, "BFO:0000051", "pvp:CementInjectionStep"),
    ("PMMA is injected", "pvp:CementInjectionStep", "RO:0002233", "pvp:PMMABoneCement"),
    ("cement hardens", PVP, "BFO:0000051", "pvp:CementHardeningStep"),
    ("anaesthesia before incision", "pvp:LocalAnaesthesiaStep", "BFO:0000063",
     "pvp:SkinIncisionStep"),
    ("incision before needle", "pvp:SkinIncisionStep", "BFO:0000063", "pvp:NeedleInsertionStep"),
    ("needle before injection", "pvp:NeedleInsertionStep", "BFO:0000063",
     "pvp:CementInjectionStep"),
    ("injection before hardening", "pvp:CementInjectionStep", "BFO:0000063",
     "pvp:CementHardeningStep"),
    # Benefits
    ("rapid pain relief", PVP, "pvp:hasBenefit", "pvp:RapidPainRelief"),
    ("improved mobility", PVP, "pvp:hasBenefit", "pvp:ImprovedMobility"),
    ("minimally invasive", PVP, "pvp:hasBenefit", "pvp:MinimalInvasiveness"),
    # Risks
    ("bleeding or haematoma", PVP, "pvp:hasComplication", "pvp:PunctureSiteBleeding"),
    ("infection", PVP, "pvp:hasComplication", "pvp:PostProceduralInfection"),
    ("nerve damage or irritation", PVP, "pvp:hasComplication", "pvp:NerveInjury"),
    ("cement leakage", PVP, "pvp:hasComplication", "pvp:CementLeakage"),
    ("pulmonary embolism (rare)", PVP, "pvp:hasComplication", "pvp:PulmonaryEmbolism"),
    # Aftercare
    ("monitored for a few hours", PVP, "pvp:hasAftercareAdvice", "pvp:PostProcedureMonitoring"),
    ("avoid heavy lifting", PVP, "pvp:hasAftercareAdvice", "pvp:AvoidHeavyLifting"),
    ("avoid bending", PVP, "pvp:hasAftercareAdvice", "pvp:AvoidBending"),
    ("rest", PVP, "pvp:hasAftercareAdvice", "pvp:RestAfterProcedure"),
    ("avoid strenuous activity", PVP, "pvp:hasAftercareAdvice", "pvp:AvoidStrenuousActivity"),
    ("pain medication as directed", PVP, "pvp:hasAftercareAdvice",
     "pvp:PainMedicationAsDirected"),
    ("follow up with the doctor", PVP, "pvp:hasAftercareAdvice", "pvp:FollowUpWithDoctor"),
    # Outcomes
    ("significant pain relief", PVP, "pvp:hasOutcome", "pvp:SignificantPainRelief"),
    ("improved mobility and function", PVP, "pvp:hasOutcome", "pvp:ImprovedFunctionalAbility"),
    ("less pain medication", PVP, "pvp:hasOutcome", "pvp:ReducedAnalgesicUse"),
    ("better quality of life", PVP, "pvp:hasOutcome", "pvp:ImprovedQualityOfLife"),
]


def _iri(kg, curie: str) -> str:  # type: ignore[no-untyped-def]
    iri = kg.terms.expand(curie)
    assert iri is not None, curie
    return iri


@pytest.mark.parametrize(("fact", "s", "p", "o"), FACTS, ids=[f[0] for f in FACTS])
def test_seed_fact_is_an_edge_cited_to_the_seed(kg, fact, s, p, o):
    edge = kg.edges.get(_iri(kg, s), _iri(kg, p), _iri(kg, o))
    assert edge is not None, f"missing edge for the seed fact {fact!r}"
    assert SEED in {e.source.curie for e in edge.evidence}, f"{fact!r} is not cited to the seed"


@pytest.mark.parametrize(("about", "low", "high", "unit"), [
    ("pvp:CementHardeningStep", 10, 15, "minute"),
    ("pvp:SignificantPainRelief", 70, 90, "percent"),
])
def test_seed_numbers_are_nodes(kg, about, low, high, unit):
    found = [f for f in kg.terms.findings_about(_iri(kg, about))
             if SEED in {e.source.curie for e in f.evidence}]
    assert found, f"no seed finding about {about}"
    f = found[0]
    assert (f.min_value, f.max_value, f.unit) == (low, high, unit)
    assert f.population


def test_procedure_purpose_and_definition_from_the_seed(kg):
    from rdflib import URIRef

    from pvp_kg.vocab import DEFINITION_SOURCE

    c = kg.concept(PVP)
    assert "cement" in (c.definition or "")
    sources = {kg.terms.curie(str(o))
               for o in kg.graph.objects(URIRef(c.iri), DEFINITION_SOURCE)}
    assert SEED in sources

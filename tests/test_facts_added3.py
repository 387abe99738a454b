"""Facts added on branch facts3 (issue 10): what guidelines cover and conclude, the Cochrane
review's comparators and its judgement on harms, the cement injector, the sedative given for
conscious sedation, less pain medication as a benefit, the AAOS population, needle misplacement
and its consequences, and the operations for infection after augmentation.

Each test asks through the public API (a typed call or ``kg.ask``) and checks the fact with the
one source the fact sheet (shared/clinical-facts.md) gives for it.
"""

from __future__ import annotations

import pvp_kg
from pvp_kg.model import Recommendation

from .helpers import item_of, last_sources


def _rec(kg: pvp_kg.KnowledgeGraph, curie: str) -> Recommendation:
    recs = {r.curie: r for r in kg.recommendations()}
    assert curie in recs, sorted(recs)
    return recs[curie]


def _stated(rec: Recommendation, kind: str) -> set[str]:
    return {c for k, c in rec.requirements if k == kind}


# -- guidelines: topics and conclusions (§10.2) ------------------------------------------------

def test_cirse_and_sir_topics_are_recorded_on_their_recommendations(kg):
    cirse = _rec(kg, "pvp:RecCirse2017")
    assert _stated(cirse, "covers topic") == {
        "pvp:TopicIndications", "pvp:TopicContraindications", "pvp:TopicTechnique",
        "pvp:TopicSafety", "pvp:TopicOutcomes"}
    assert {s.curie for s in cirse.sources} == {"src:S3"}
    sir = _rec(kg, "pvp:RecSir2003")
    assert {"pvp:TopicSuccessThreshold", "pvp:TopicComplicationThreshold"} <= _stated(
        sir, "covers topic")
    # topics are not conditions of doing the procedure: they never show as requirements
    assert not _stated(sir, "has eligibility criterion") & _stated(sir, "covers topic")


def test_ask_what_a_standards_document_sets_out(kg):
    a = kg.ask("what is covered by the SIR quality improvement guidelines for vertebroplasty?")
    assert a.intent == "recommendations"
    got = {c.curie for c in a.concepts}
    assert {"pvp:TopicSuccessThreshold", "pvp:TopicComplicationThreshold"} <= got
    assert "covers topic:" in a.explanation


def test_asbmr_conclusions_include_harms_and_insufficient_evidence(kg):
    rec = _rec(kg, "pvp:RecAsbmr2019")
    assert _stated(rec, "states conclusion") == {
        "pvp:NoClinicallyImportantBenefitOverSham", "pvp:HarmsNotExcluded",
        "pvp:InsufficientEvidence"}
    a = kg.ask("what did the ASBMR task force say about vertebroplasty?")
    assert "pvp:HarmsNotExcluded" in {c.curie for c in a.concepts}
    assert "src:Asbmr2019" in {s.curie for s in a.sources}


def test_nice_ipg12_judged_safety_and_efficacy_adequate(kg):
    rec = _rec(kg, "pvp:RecNiceIpg12")
    assert "pvp:SafetyAndEfficacyAdequate" in _stated(rec, "states conclusion")
    assert {s.curie for s in rec.sources} == {"src:NiceIpg12"}


def test_aaos_recommendation_is_for_neurologically_intact_patients(kg):
    rec = _rec(kg, "pvp:RecAaos2010")
    assert "pvp:NeurologicallyIntact" in _stated(rec, "has eligibility criterion")
    assert rec.direction == "against"


# -- the Cochrane review: comparators and harms (§10.2) ---------------------------------------

def test_cochrane_review_comparators_are_findings_of_the_review(kg):
    found = {f.curie: f for f in kg.findings("pvp:StudyCochrane2018")}
    comparators = {
        "pvp:FindingCochrane2018UsualCare": ("pvp:ConservativeTherapy", 8.0, 1136),
        "pvp:FindingCochrane2018Kyphoplasty": ("pvp:BalloonKyphoplasty", 7.0, 968),
        "pvp:FindingCochrane2018FacetInjection": ("pvp:FacetGlucocorticoidInjection", 1.0, 217),
    }
    for curie, (about, trials, people) in comparators.items():
        f = found[curie]
        assert about in f.about
        assert (f.value, f.sample_size) == (trials, people)
        assert {e.source.curie for e in f.evidence} == {"src:S19"}
    assert kg.concept("facet joint steroid injection").curie == "pvp:FacetGlucocorticoidInjection"


def test_ask_cochrane_review_shows_its_comparators_and_harms_judgement(kg):
    a = kg.ask("what did the Cochrane systematic review compare vertebroplasty against?")
    got = {c.curie for c in a.concepts}
    assert {"pvp:ConservativeTherapy", "pvp:BalloonKyphoplasty",
            "pvp:FacetGlucocorticoidInjection", "pvp:HarmsNotExcluded"} <= got


# -- equipment and sedation (§5) ---------------------------------------------------------------

def test_cement_injector_is_a_device_of_the_injection_step(kg):
    injector = item_of(kg.devices_and_materials(), "pvp:CementInjector")
    assert injector.kind == "device"
    assert last_sources(injector) == {"src:FlexibleInjector2020"}
    kinds = {e.subject for e in kg.edges.into(kg.concept("cement injector").iri,
                                              "http://www.w3.org/2000/01/rdf-schema#subClassOf")}
    assert {kg.concept("flexible cement injector").iri,
            kg.concept("rigid cement injector").iri} <= kinds


def test_sedative_is_an_input_of_conscious_sedation(kg):
    sedative = item_of(kg.devices_and_materials(), "pvp:SedativeMedication")
    assert sedative.kind == "material"
    assert last_sources(sedative) == {"src:S8"}


# -- less pain medication (§7) -----------------------------------------------------------------

def test_less_pain_medication_is_a_benefit_from_the_seed(kg):
    benefit = item_of(kg.benefits(), "pvp:ReducedAnalgesicUse")
    assert last_sources(benefit) == {"src:seed"}
    assert kg.concept("less analgesic use").curie == "pvp:ReducedAnalgesicUse"


# -- needle misplacement (§6 chains, §6.4) -----------------------------------------------------

def test_needle_misplacement_leads_to_other_injuries_and_deficit(kg):
    related = {i.concept.curie for i in kg.complications(related_to="needle misplacement")}
    assert {"pvp:NerveInjury", "pvp:InjuryToOtherStructures"} <= related
    causes = {i.concept.curie for i in kg.causes(of="neurological deficit")}
    assert "pvp:NeedleMisplacement" in causes


# -- infection after augmentation: operations (§6.7) -------------------------------------------

def test_spondylitis_after_augmentation_has_its_operations(kg):
    rows = kg.sparql("treatments", concept="pvp:PyogenicSpondylitis")
    got = {kg.terms.curie(str(r["item"])) for r in rows}
    assert {"pvp:AntibioticTherapy", "pvp:DebridementAndCorpectomy", "pvp:SpinalFusion"} <= got
    fusion = kg.edges.get(kg.concept("pvp:PyogenicSpondylitis").iri,
                          kg.terms.expand("pvp:treatedBy") or "", kg.concept("spinal fusion").iri)
    assert {e.source.curie for e in fusion.evidence} == {"src:Zhang2021"}
    a = kg.ask("treatment of bacterial spondylitis after vertebroplasty")
    assert "pvp:DebridementAndCorpectomy" in {c.curie for c in a.concepts}
    assert kg.concept("revision surgery").curie == "pvp:RevisionSurgeryForInfection"

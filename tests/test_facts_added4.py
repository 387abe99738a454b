"""Facts added on branch facts4: the gaps found by the coverage audit of the fact sheet
(ontology/qc/coverage-audit.md) — a vertebra broken by excess pressure, where fat emboli go and
the sheep experiment's numbers, tumours and cord or root compression, the posterior-wall series,
general anaesthesia, CT with fluoroscopy, needle sizes, the FREE balloon volume, the ideal
candidate and VAPOUR's entry criteria, bleeding at haemangioma surgery, the reviews of the
evidence and of the guidelines, ASBMR on exercise and bracing, what cement does not treat, the
order of care after the procedure, and the cement's liquid monomer.

Each test asks through the public API (a typed call or ``kg.ask``) and checks the fact with the
one source the fact sheet (shared/clinical-facts.md) gives for it; a source the sheet names
without an identifier is cited as ``src:unverified``, as the project does.
"""

from __future__ import annotations

import pvp_kg
from pvp_kg.model import Edge, Finding
from pvp_kg.negatives import recorded_not

from .helpers import item_of, last_sources

HAS_PART = "http://purl.obolibrary.org/obo/BFO_0000051"
PRECEDES = "http://purl.obolibrary.org/obo/BFO_0000063"
LOCATED_IN = "http://purl.obolibrary.org/obo/RO_0001025"


def _finding(kg: pvp_kg.KnowledgeGraph, about: str, curie: str) -> Finding:
    found = {f.curie: f for f in kg.findings(about)}
    assert curie in found, sorted(found)
    return found[curie]


def _sources(finding: Finding) -> set[str]:
    return {e.source.curie for e in finding.evidence}


def _edge(kg: pvp_kg.KnowledgeGraph, subject: str, predicate: str, obj: str) -> Edge:
    edge = kg.edges.get(kg.concept(subject).iri, kg.terms.expand(predicate) or predicate,
                        kg.concept(obj).iri)
    assert edge is not None, (subject, predicate, obj)
    return edge


def _edge_sources(edge: Edge) -> set[str]:
    return {e.source.curie for e in edge.evidence}


# -- §6.5 excess pressure --------------------------------------------------------------------

def test_excess_pressure_can_break_a_vertebra(kg):
    fracture = item_of(kg.complications(), "pvp:ProceduralVertebralFracture")
    assert last_sources(fracture) == {"src:unverified"}
    causes = {i.concept.curie for i in kg.causes(of="pvp:ProceduralVertebralFracture")}
    assert "pvp:ProceduralPressureOnFragileBone" in causes
    a = kg.ask("what can excessive pressure cause during vertebroplasty?")
    assert "pvp:ProceduralVertebralFracture" in {c.curie for c in a.concepts}


# -- §6.9 fat and marrow embolism --------------------------------------------------------------

def test_fat_emboli_reach_the_lungs_and_lower_blood_pressure(kg):
    lung = _edge(kg, "pvp:FatOrMarrowEmbolism", LOCATED_IN, "lung")
    assert _edge_sources(lung) == {"src:SheepFatEmbolism"}
    sheep = _finding(kg, "pvp:FatOrMarrowEmbolism", "pvp:FindingSheepFatEmbolism")
    assert (sheep.value, sheep.unit) == (6.0, "millilitre")
    assert _sources(sheep) == {"src:SheepFatEmbolism"}
    a = kg.ask("what does fat embolism cause?")
    assert "pvp:HaemodynamicReaction" in {c.curie for c in a.concepts}
    assert "src:SheepFatEmbolism" in {s.curie for s in a.sources}


# -- §6.4 tumours and cord or root compression -------------------------------------------------

def test_tumours_raise_the_risk_of_cord_and_root_compression(kg):
    for condition in ("spinal cord compression", "nerve root compression"):
        tumour = item_of(kg.risk_factors(of=condition), "pvp:MalignantVertebralTumour")
        assert last_sources(tumour) == {"src:unverified"}
    a = kg.ask("what are the risk factors for spinal cord compression?")
    assert "pvp:MalignantVertebralTumour" in {c.curie for c in a.concepts}


# -- §3.2 posterior wall disruption ------------------------------------------------------------

def test_posterior_wall_series_had_only_asymptomatic_leaks(kg):
    perez = _finding(kg, "pvp:PosteriorWallInvolvement", "pvp:FindingPosteriorWallKyphoplastyPerez")
    assert (perez.value, perez.unit, perez.sample_size) == (9.0, "percent", 98)
    assert perez.population and "157 levels" in perez.population
    assert _sources(perez) == {"src:unverified"}


# -- §5 anaesthesia and imaging ----------------------------------------------------------------

def test_general_anaesthesia_is_an_option_not_an_ordered_step(kg):
    ga = _edge(kg, "pvp:PercutaneousVertebroplasty", HAS_PART, "general anaesthesia")
    assert _edge_sources(ga) == {"src:unverified"}
    assert "pvp:GeneralAnaesthesia" not in {i.concept.curie for i in kg.steps()}
    team = _edge(kg, "pvp:GeneralAnaesthesia", "pvp:involvesProfessional", "anaesthetist")
    assert _edge_sources(team) == {"src:unverified"}


def test_ct_with_fluoroscopy_guides_the_needle(kg):
    ct = item_of(kg.imaging(), "pvp:ComputedTomographyGuidance")
    assert "src:Kobayashi2005" in {e.source.curie for e in ct.evidence}


# -- §4, §5 needle sizes -------------------------------------------------------------------------

def test_needle_sizes_for_biopsy_and_for_children(kg):
    biopsy = _finding(kg, "pvp:BoneBiopsyNeedle", "pvp:FindingBiopsyNeedleGauge")
    assert biopsy.value == 11.0 and _sources(biopsy) == {"src:unverified"}
    children = _finding(kg, "pvp:BoneBiopsyNeedle", "pvp:FindingPaediatricNeedleGauge")
    assert (children.min_value, children.max_value) == (13.0, 15.0)
    assert _sources(children) == {"src:unverified"}


# -- §1.3 balloon volume -------------------------------------------------------------------------

def test_free_balloon_volume_is_a_kyphoplasty_finding(kg):
    free = _finding(kg, "pvp:BalloonInflationStep", "pvp:FindingFreeBalloonVolume")
    assert (free.value, free.unit) == (2.4, "millilitre")
    assert _sources(free) == {"src:Free2Year"}
    assert free.study == "pvp:StudyFree"
    # not a vertebroplasty cement volume
    assert "pvp:FindingFreeBalloonVolume" not in {
        f.curie for f in kg.findings("pvp:CementInjectionStep")}


# -- §2.2 who qualifies ----------------------------------------------------------------------------

def test_ideal_candidate_presents_within_about_four_months(kg):
    edge = _edge(kg, "pvp:PercutaneousVertebroplasty", "pvp:hasPatientSelectionCriterion",
                 "pvp:RecentFractureWithinMonths")
    assert _edge_sources(edge) == {"src:unverified"}
    timing = _finding(kg, "pvp:RecentFractureWithinMonths", "pvp:FindingIdealCandidateTiming")
    assert timing.time_point and "4 months" in timing.time_point


def test_vapour_enrolled_one_or_two_fractures(kg):
    vapour = _finding(kg, "pvp:AcuteVertebralFracture", "pvp:FindingVapourEntryCriteria")
    assert (vapour.min_value, vapour.max_value, vapour.unit) == (1.0, 2.0, "count")
    assert _sources(vapour) == {"src:S8"}
    assert vapour.study == "pvp:StudyVapour"


# -- §2.4 haemangioma surgery ----------------------------------------------------------------------

def test_vertebroplasty_or_embolisation_before_haemangioma_surgery(kg):
    measures = kg.preventive_measures(of="bleeding at open surgery for vertebral haemangioma")
    got = {i.concept.curie: last_sources(i) for i in measures}
    assert got == {"pvp:PercutaneousVertebroplasty": {"src:unverified"},
                   "pvp:TransarterialEmbolisation": {"src:unverified"}}


# -- §10.2 reviews of the evidence and of the guidelines -------------------------------------------

def test_appropriateness_review_puts_conservative_care_first(kg):
    order = _edge(kg, "pvp:ConservativeTherapy", PRECEDES, "pvp:PercutaneousVertebroplasty")
    assert "src:AppropriatenessReview2017" in _edge_sources(order)
    review = _finding(kg, "pvp:ConservativeTherapy",
                      "pvp:FindingAppropriatenessReviewConservativeFirst")
    assert (review.value, review.unit) == (11.0, "count")
    assert _sources(review) == {"src:AppropriatenessReview2017"}


def test_chandra_2018_review_is_a_source_with_its_identifiers(kg):
    review = _finding(kg, "pvp:PercutaneousVertebroplasty", "pvp:FindingChandra2018EvidenceUpdate")
    assert _sources(review) == {"src:Chandra2018"}
    rows = kg.sparql("SELECT ?id WHERE { <https://w3id.org/pvp-kg/source/Chandra2018> "
                     "<http://purl.org/dc/terms/identifier> ?id }")
    assert {str(r["id"]) for r in rows} == {"doi:10.3174/ajnr.A5458", "pmid:29170272"}


def test_cochrane_2015_version_is_recorded(kg):
    found = {f.curie: f for f in kg.findings("pvp:StudyCochrane2018")}
    assert _sources(found["pvp:FindingCochrane2015Version"]) == {"src:S19"}


# -- §9 ASBMR on exercise and bracing ------------------------------------------------------------

def test_asbmr_on_exercise_and_bracing(kg):
    exercise = _finding(kg, "pvp:ExerciseAfterFracture", "pvp:FindingAsbmrExercise")
    assert _sources(exercise) == {"src:Asbmr2019"}
    bracing = _finding(kg, "spinal bracing", "pvp:FindingAsbmrBracing")
    assert bracing.direction == ("pvp:InsufficientEvidence",)
    assert _sources(bracing) == {"src:Asbmr2019"}
    no = recorded_not(kg, "pvp:NewVertebralFracture", "pvp:ExerciseAfterFracture")
    assert [kg.terms.label(n.predicate) for n in no] == ["has preventive measure"]
    assert {e.source.curie for n in no for e in n.evidence} == {"src:Asbmr2019"}


# -- §2.3, §9 what cement does not treat ---------------------------------------------------------

def test_vertebroplasty_is_not_a_tumour_directed_therapy(kg):
    a = kg.ask("is vertebroplasty a tumour-directed therapy?")
    assert a.intent == "is_kind_of"
    assert a.explanation.startswith("No")
    assert "src:NiceCg75" in {s.curie for s in a.sources}


# -- §6, §6.8 complications in NICE's review and in FREE -----------------------------------------

def test_nice_ipg12_and_free_complications(kg):
    leak = item_of(kg.complications(), "pvp:CementLeakage")
    assert "src:NiceIpg12" in {e.source.curie for e in leak.evidence}
    uti = item_of(kg.complications("pvp:BalloonKyphoplasty"), "pvp:UrinaryTractInfection")
    assert last_sources(uti) == {"src:S10"}


def test_vapour_benefit_at_the_thoracolumbar_junction(kg):
    found = {f.curie: f for f in kg.findings("pvp:StudyVapour")}
    subgroup = found["pvp:FindingVapourThoracolumbarSubgroup"]
    assert subgroup.population and "thoracolumbar junction" in subgroup.population
    assert _sources(subgroup) == {"src:S8"}


# -- §6.2 diagnosing a cement embolus ------------------------------------------------------------

def test_pce_is_diagnosed_with_cardiorespiratory_tests(kg):
    a = kg.ask("how is pulmonary cement embolism diagnosed?")
    assert a.intent == "diagnosis"
    assert "pvp:CardiorespiratoryAssessment" in {c.curie for c in a.concepts}
    edge = _edge(kg, "pvp:PulmonaryCementEmbolism", "pvp:diagnosedBy",
                 "pvp:CardiorespiratoryAssessment")
    assert _edge_sources(edge) == {"src:S7"}


# -- §9 order of care after the procedure ------------------------------------------------------

def test_after_the_procedure_observation_comes_before_rest(kg):
    a = kg.ask("what comes after post-procedure monitoring?")
    assert a.intent == "steps_after"
    assert "pvp:RestAfterProcedure" in {c.curie for c in a.concepts}
    rest = _edge(kg, "pvp:PostProcedureMonitoring", PRECEDES, "pvp:RestAfterProcedure")
    assert _edge_sources(rest) == {"src:seed"}
    recovery = _edge(kg, "pvp:NeedleRemovalStep", PRECEDES, "pvp:RecoveryObservationProtocol")
    assert _edge_sources(recovery) == {"src:unverified"}


# -- §1.1, §5 the cement -------------------------------------------------------------------------

def test_pmma_is_inert_and_mixed_from_a_liquid_monomer(kg):
    pmma = kg.concept("PMMA")
    assert pmma.definition and "inert" in pmma.definition
    monomer = _edge(kg, "pvp:PMMABoneCement", HAS_PART, "liquid monomer")
    assert _edge_sources(monomer) == {"src:NiceIpg12"}

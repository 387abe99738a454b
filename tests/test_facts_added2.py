"""Facts the evaluation questions ask for, added on branch facts2 (issue 10).

Each test asks the graph through the public API (a typed call or ``kg.ask``) and checks the
fact together with the one source the fact sheet (shared/clinical-facts.md) gives for it:
guideline criteria as structured conditions, the kinds of a listed pre-procedure test, the
equipment of the procedure's steps, the features of bone cement implantation syndrome, the
factors of paravertebral vein leakage, cardiac perforation after intracardiac cement, and the
first vertebroplasty as a finding about vertebroplasty.
"""

from __future__ import annotations

import pytest

import pvp_kg
from pvp_kg.model import Item, Recommendation


def _rec(kg: pvp_kg.KnowledgeGraph, curie: str) -> Recommendation:
    recs = {r.curie: r for r in kg.recommendations()}
    assert curie in recs, sorted(recs)
    return recs[curie]


def _needs(rec: Recommendation, kind: str) -> set[str]:
    return {c for k, c in rec.requirements if k == kind}


def _item(items: list[Item], curie: str) -> Item:
    found = {i.concept.curie: i for i in items}
    assert curie in found, sorted(found)
    return found[curie]


def _sources(item: Item) -> set[str]:
    return {e.source.curie for e in item.evidence}


def _last_sources(item: Item) -> set[str]:
    """The sources of the last edge of the item's path (the fact itself)."""
    return {e.source.curie for e in item.via[-1].evidence}


# -- guideline criteria (fact sheet §2.2, §2.3, §4, §10.2) ------------------------------------

def test_nice_ta279_criteria_are_conditions_of_the_recommendation(kg):
    rec = _rec(kg, "pvp:RecNiceTa279")
    assert {s.curie for s in rec.sources} == {"src:NiceTa279"}
    assert _needs(rec, "has eligibility criterion") == {
        "pvp:SevereOngoingPain", "pvp:RecentUnhealedFracture",
        "pvp:RefractoryPainAfterConservativeTherapy", "pvp:PainfulLevelConfirmed"}
    # patients' words for the criteria reach the same concepts
    assert kg.concept("pain despite optimal pain management").curie == (
        "pvp:RefractoryPainAfterConservativeTherapy")
    assert kg.concept("recent unhealed fracture").curie == "pvp:RecentUnhealedFracture"


def test_nice_cg75_criteria_exclusions_and_who_decides(kg):
    rec = _rec(kg, "pvp:RecNiceCg75")
    assert {s.curie for s in rec.sources} == {"src:NiceCg75"}
    assert _needs(rec, "has exclusion criterion") == {"pvp:MetastaticSpinalCordCompression",
                                                      "pvp:SpinalInstability"}
    assert _needs(rec, "decision agreed by") == {"pvp:Oncologist", "pvp:InterventionalRadiologist",
                                                 "pvp:SpinalSurgeon"}
    assert _needs(rec, "has eligibility criterion") == {"pvp:MechanicalPainOrVertebralCollapse"}
    assert kg.concept("MSCC").curie == "pvp:MetastaticSpinalCordCompression"


def test_nice_ipg12_requires_team_review_spinal_surgery_training_and_mixing(kg):
    rec = _rec(kg, "pvp:RecNiceIpg12")
    assert {s.curie for s in rec.sources} == {"src:NiceIpg12"}
    assert {"pvp:MultidisciplinaryTeamReview", "pvp:SpinalSurgeryAccess",
            "pvp:OperatorExperience", "pvp:MixingPerManufacturerInstructions"} <= _needs(
        rec, "requires practice")


def test_ask_who_decides_names_the_professionals(kg):
    a = kg.ask("who should decide on vertebroplasty for metastatic disease according to NICE?")
    assert a.intent == "recommendations"
    assert {"pvp:Oncologist", "pvp:InterventionalRadiologist", "pvp:SpinalSurgeon"} <= {
        c.curie for c in a.concepts}
    assert "decision agreed by: interventional radiologist; oncologist; spinal surgeon" in (
        a.explanation)
    assert "src:NiceCg75" in {s.curie for s in a.sources}


def test_ask_nice_criteria_lists_them(kg):
    a = kg.ask("What are the NICE TA279 criteria for vertebroplasty in osteoporotic fractures?")
    assert {"pvp:SevereOngoingPain", "pvp:PainfulLevelConfirmed"} <= {c.curie
                                                                      for c in a.concepts}


# -- pre-procedure assessment: the tests of a coagulation screen (§4) -------------------------

def test_coagulation_tests_are_listed_with_their_screen(kg):
    items = kg.pre_procedure_assessment()
    tests = {i.concept.label: i for i in items if i.kind == "specific test"}
    assert {"platelet count", "international normalised ratio test",
            "activated partial thromboplastin time test"} <= set(tests)
    inr = tests["international normalised ratio test"]
    # the path runs through the assessment it is a kind of, with the fact sheet's source
    assert [e.predicate_label for e in inr.via] == ["is a", "has pre-procedure assessment"]
    assert inr.via[0].object_label == "coagulation testing"
    assert _sources(inr) == {"src:unverified"}
    # kinds of an imaging modality are other uses of it, not assessments
    assert "chest computed tomography" not in {i.concept.label for i in items}


def test_ask_coagulation_tests_before_pvp(kg):
    a = kg.ask("what bloods/coag tests do we need before PVP")
    assert {"platelet count", "activated partial thromboplastin time test"} <= {
        c.label for c in a.concepts}


# -- equipment of the steps (§5) ---------------------------------------------------------------

def test_devices_and_materials_of_vertebroplasty(kg):
    items = kg.devices_and_materials()
    needle = _item(items, "pvp:BoneBiopsyNeedle")
    assert needle.kind == "device"
    assert [e.predicate_label for e in needle.via] == ["has part", "uses device"]
    assert _last_sources(_item(items, "pvp:SurgicalMallet")) == {"src:unverified"}
    agent = _item(items, "pvp:LocalAnaestheticAgent")
    assert agent.kind == "material" and _last_sources(agent) == {"src:seed"}
    lidocaine = _item(items, "CHEBI:6456")
    assert lidocaine.kind == "material"
    kind_of = [e for e in kg.edges_of("CHEBI:6456") if e.predicate_label == "is a"
               and kg.terms.curie(e.object) == "pvp:LocalAnaestheticAgent"]
    assert [{ev.source.curie for ev in e.evidence} for e in kind_of] == [{"src:S18"}]
    assert _item(items, "pvp:Fluoroscopy").kind == "imaging"
    # a state of the cement that is a risk factor is not equipment
    assert "pvp:LowViscosityCement" not in {i.concept.curie for i in items}
    kinds = [i.kind for i in items]
    assert kinds == sorted(kinds, key=["device", "material", "imaging"].index)


def test_ask_equipment_question(kg):
    a = kg.ask("What equipment and materials are needed to do a vertebroplasty?")
    assert a.intent == "devices_and_materials"
    names = {c.label for c in a.concepts}
    assert {"bone needle", "fluoroscopy", "local anaesthetic", "PMMA bone cement"} <= names
    assert kg.concept("fluoroscope").curie == "pvp:Fluoroscopy"


def test_ask_anaesthetic_agents(kg):
    a = kg.ask("Which local anaesthetic agents were used?")
    assert {"lidocaine", "bupivacaine"} <= {c.label for c in a.concepts}


# -- bone cement implantation syndrome (§6.9) --------------------------------------------------

@pytest.mark.parametrize("feature", ["pvp:CementRelatedHypoxia", "pvp:HaemodynamicReaction",
                                     "pvp:CementRelatedArrhythmia",
                                     "pvp:CementRelatedCardiacArrest"])
def test_bone_cement_implantation_syndrome_features(kg, feature):
    edges = [e for e in kg.edges_of("pvp:BoneCementImplantationSyndrome")
             if e.predicate_label == "has clinical feature"
             and kg.terms.curie(e.object) == feature]
    assert len(edges) == 1
    assert {ev.source.curie for ev in edges[0].evidence} == {"src:Donaldson2009"}


def test_define_bone_cement_implantation_syndrome(kg):
    a = kg.ask("What is bone cement implantation syndrome?")
    assert a.intent == "describe"
    names = {n for c in a.concepts for n in (c.label, *c.synonyms)}
    assert {"hypoxia during cement implantation", "hypotension during cement injection",
            "arrhythmia during cement implantation", "cemented hip arthroplasty"} <= names
    hip = kg.complications("pvp:CementedHipArthroplasty")
    assert _sources(_item(hip, "pvp:BoneCementImplantationSyndrome")) == {"src:Donaldson2009"}


# -- paravertebral vein leakage (§6.1) ---------------------------------------------------------

def test_paravertebral_vein_leakage_factors(kg):
    items = kg.risk_factors(of="paravertebral vein leakage")
    for curie in ("pvp:PatientSex", "pvp:BoneMineralDensity", "pvp:PunctureSideCementVolume"):
        assert _sources(_item(items, curie)) == {"src:ParavertebralVein2022"}
    assert kg.concept("bone density").curie == "pvp:BoneMineralDensity"


# -- intracardiac cement (§6 chains, §6.3) -----------------------------------------------------

def test_cardiac_perforation_follows_intracardiac_cement(kg):
    items = kg.complications(related_to="cardiac cement embolism")
    perforation = _item(items, "pvp:CardiacPerforationByCement")
    assert _sources(perforation) == {"src:Liang2021"}
    assert "pvp:CardiacPerforationByCement" in {
        i.concept.curie for i in kg.serious_complications()}
    assert kg.concept("cardiac perforation by cement").curie == "pvp:CardiacPerforationByCement"


# -- history (§1.4) ----------------------------------------------------------------------------

def test_first_vertebroplasty_is_a_finding_about_vertebroplasty(kg):
    found = {f.curie: f for f in kg.findings(about="percutaneous vertebroplasty")}
    first = found["pvp:FindingFirstAugmentation1987"]
    assert {e.source.curie for e in first.evidence} == {"src:Pmc4757276"}
    assert "1987" in (first.summary or "") and "Galibert" in (first.summary or "")


# -- clinicians' wordings of terms already present (§3.1, §2.4) --------------------------------

@pytest.mark.parametrize(("words", "curie"), [
    ("spinal cord compression needing surgery", "pvp:NeurologicalCompressionRequiringSurgery"),
    ("follow the manufacturer's mixing instructions", "pvp:MixingPerManufacturerInstructions"),
    ("pain refractory to conservative treatment", "pvp:RefractoryPainAfterConservativeTherapy"),
])
def test_clinical_wordings_find_the_term(kg, words, curie):
    assert kg.concept(words).curie == curie


# -- causes: marrow pressurisation, leaked cement on a nerve root, organisms (§6 chains) -------

def test_marrow_pressurisation_leads_to_fat_embolism_and_bradycardia(kg):
    items = kg.complications(related_to="marrow pressurisation by cement")
    for curie in ("pvp:FatOrMarrowEmbolism", "pvp:ReflexBradycardia"):
        assert _sources(_item(items, curie)) == {"src:SheepFatEmbolism"}
    # and further down the chain the fall in blood pressure
    assert "pvp:HaemodynamicReaction" in {i.concept.curie for i in items}
    assert kg.concept("hypotension during cement injection").curie == "pvp:HaemodynamicReaction"


def test_nerve_injury_has_leaked_cement_among_its_causes(kg):
    items = kg.causes(of="nerve injury")
    foraminal = _item(items, "pvp:ForaminalCementLeakage")
    assert [e.predicate_label for e in foraminal.via] == ["causally upstream of"] * 2
    assert _sources(_item(items, "pvp:NerveRootCompression")) == {"src:unverified"}
    assert "pvp:NeedleMisplacement" in {i.concept.curie for i in items}


def test_causes_of_infection_include_the_organisms_of_its_kinds(kg):
    items = kg.causes(of="post-procedural infection")
    for curie, kind in (("pvp:PyogenicBacteria", "pvp:PyogenicSpondylitis"),
                        ("pvp:MycobacteriumTuberculosis", "pvp:TuberculousSpondylitis")):
        item = _item(items, curie)
        assert item.kind == "cause of a kind"
        assert kg.terms.curie(item.via[0].object) == kind
        assert {e.source.curie for e in item.via[0].evidence} == {"src:Liao2018"}
        assert item.via[-1].predicate_label == "is a"
    # the direct causes stay first
    assert items[0].kind == "cause"


def test_siava_names_infection_after_augmentation(kg):
    assert kg.concept("SIAVA").curie == "pvp:PostProceduralInfection"
    a = kg.ask("management of spinal infection after vertebral augmentation")
    assert a.intent == "treatments"
    assert {"antibiotic therapy", "debridement and corpectomy with fusion"} <= {
        c.label for c in a.concepts}


def test_most_haemangiomas_are_incidental(kg):
    c = kg.concept("incidental vertebral haemangioma")
    assert "no treatment" in (c.definition or "")
    sub = [e for e in kg.edges_of(c.curie) if e.predicate_label == "is a"]
    assert [kg.terms.curie(e.object) for e in sub] == ["pvp:VertebralHaemangioma"]
    assert {ev.source.curie for e in sub for ev in e.evidence} == {"src:Sharma2023"}


def test_guideline_answer_names_its_direction(kg):
    a = kg.ask("what does the AAOS guideline say about vertebroplasty?")
    assert a.intent == "recommendations"
    assert "pvp:RecommendAgainst" in {c.curie for c in a.concepts}
    assert kg.concept("recommends against").curie == "pvp:RecommendAgainst"
    assert {s.curie for r in a.recommendations for s in r.sources} == {"src:unverified"}


def test_vertos2_pain_thresholds_are_criteria(kg):
    found = {f.curie: f for f in kg.findings(about="back pain for 6 weeks or less")}
    assert "pvp:FindingVertos2EntryCriteria" in found
    for curie in ("pvp:BackPainSixWeeksOrLess", "pvp:PainScoreVasFiveOrMore"):
        edges = [e for e in kg.edges_of(curie)
                 if e.predicate_label == "has patient selection criterion"]
        assert [{ev.source.curie for ev in e.evidence} for e in edges] == [{"src:S6"}]
    assert kg.concept("VAS 5 or more").curie == "pvp:PainScoreVasFiveOrMore"


def test_ask_signs_of_bone_cement_implantation_syndrome(kg):
    a = kg.ask("what are the features of BCIS")
    assert a.intent == "clinical_features"
    assert {"pvp:CementRelatedHypoxia", "pvp:HaemodynamicReaction", "pvp:CementRelatedArrhythmia",
            "pvp:CementRelatedCardiacArrest"} == {c.curie for c in a.concepts}
    assert {s.curie for s in a.sources} == {"src:Donaldson2009"}


def test_bone_cement_implantation_syndrome_starts_with_marrow_pressurisation(kg):
    items = kg.causes(of="bone cement implantation syndrome")
    assert _last_sources(_item(items, "pvp:MarrowPressurisation")) == {"src:Donaldson2009"}
    assert "pvp:CementInjectionStep" in {i.concept.curie for i in items}


# -- who does it, its family, and managing a canal leak (§1.3, §5 actors, §6.4, §6.9) ---------

def test_professionals_of_vertebroplasty(kg):
    items = kg.professionals()
    direct = {i.concept.curie: i for i in items if i.kind is None}
    assert {"pvp:InterventionalRadiologist", "pvp:SpinalSurgeon", "pvp:Anaesthetist",
            "pvp:Radiographer", "pvp:NursingStaff"} <= set(direct)
    oncologist = _item(items, "pvp:Oncologist")  # through the team review before the procedure
    assert [e.predicate_label for e in oncologist.via] == ["has pre-procedure assessment",
                                                           "involves professional"]
    assert _last_sources(oncologist) == {"src:NiceCg75"}
    a = kg.ask("Who performs vertebroplasty?")
    assert a.intent == "professionals"
    assert "pvp:InterventionalRadiologist" in {c.curie for c in a.concepts}


def test_related_procedures_of_vertebroplasty(kg):
    items = kg.related_procedures()
    assert _item(items, "pvp:VertebralAugmentation").kind == "broader"
    stenting = _item(items, "pvp:VertebralBodyStenting")
    assert stenting.kind == "same family"
    assert {e.source.curie for e in stenting.via[-1].evidence} == {"src:Asbmr2019"}
    assert "pvp:PercutaneousVertebroplasty" not in {i.concept.curie for i in items}
    a = kg.ask("what other procedures are in the same family as vertebroplasty?")
    assert a.intent == "related_procedures"
    assert {"pvp:BalloonKyphoplasty", "pvp:KivaImplantAugmentation"} <= {c.curie
                                                                         for c in a.concepts}


def test_canal_leak_and_cement_reaction_management(kg):
    canal = kg.sparql("treatments", concept="pvp:EpiduralCementLeakage")
    assert {str(r["item"]).rsplit("/", 1)[-1] for r in canal} == {"SurgicalDecompression"}
    edge = kg.edges.get(kg.terms.expand("pvp:EpiduralCementLeakage"),
                        kg.terms.expand("pvp:treatedBy"),
                        kg.terms.expand("pvp:SurgicalDecompression"))
    assert edge is not None and {e.source.curie for e in edge.evidence} == {"src:S2"}
    a = kg.ask("How is bone cement implantation syndrome managed?")
    assert a.intent == "treatments"
    assert {"pvp:SupplementalOxygen", "pvp:SupportiveCirculatoryCare"} <= {c.curie
                                                                          for c in a.concepts}
    assert {s.curie for s in a.sources} == {"src:unverified"}


def test_causes_list_the_risk_factors_after_the_causes(kg):
    items = kg.causes(of="pulmonary cement embolism")
    kinds = [i.kind for i in items]
    assert kinds.index("risk factor") > kinds.index("cause")
    volume = _item(items, "pvp:LargeCementVolume")
    assert volume.kind == "risk factor"
    assert volume.via[0].predicate_label == "has risk factor"
    # a factor that is also a route of the cause keeps the causal path
    assert _item(items, "pvp:ParavertebralVenousPlexusLeakage").kind == "specific route"
    a = kg.ask("What causes cement leakage?")
    assert a.intent == "causes_of"
    assert {"pvp:LowViscosityCement", "pvp:HighInjectionPressure"} <= {c.curie
                                                                       for c in a.concepts}


def test_aims_are_asked_as_benefits(kg):
    a = kg.ask("What are the aims of vertebroplasty?")
    assert a.intent == "benefits"
    assert {"rapid pain relief", "vertebral stabilisation"} <= {c.label for c in a.concepts}


def test_neurological_complications_management(kg):
    for subject, treatment in (("pvp:NeurologicalDeficit", "pvp:SurgicalDecompression"),
                               ("pvp:Radiculopathy", "pvp:ConservativeTherapy")):
        edge = kg.edges.get(kg.terms.expand(subject), kg.terms.expand("pvp:treatedBy"),
                            kg.terms.expand(treatment))
        assert edge is not None and {e.source.curie for e in edge.evidence} == {"src:S2"}
    a = kg.ask("How is radiculopathy after vertebroplasty treated?")
    assert a.intent == "treatments"
    assert [c.curie for c in a.concepts] == ["pvp:ConservativeTherapy"]

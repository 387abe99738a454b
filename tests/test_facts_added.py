"""Facts the evaluation questions ask for that the graph once lacked (issue 10, askfacts).

One regression test per fact family of shared/clinical-facts.md: the fact must be said, by the
typed method a user would call, with the one source the fact sheet gives (and the evidence
level of that source); facts whose only source has no identifier are said at the unverified
level, never above it.
"""

from __future__ import annotations

import pytest

import pvp_kg

PVP = "pvp:PercutaneousVertebroplasty"


def _iri(kg: pvp_kg.KnowledgeGraph, curie: str) -> str:
    iri = kg.terms.expand(curie)
    assert iri is not None, curie
    return iri


def _edge_sources(kg: pvp_kg.KnowledgeGraph, s: str, p: str, o: str) -> dict[str, str | None]:
    edge = kg.edges.get(_iri(kg, s), _iri(kg, p), _iri(kg, o))
    assert edge is not None, f"{s} {p} {o} is not in the graph"
    return {e.source.curie: e.level for e in edge.evidence}


#: (subject, predicate, object, the source the fact sheet gives, its evidence level)
EDGES = [
    # §5 needle routes
    ("pvp:NeedleInsertionStep", "pvp:hasApproach", "pvp:TransSomaticApproach", "src:Pmc4757276",
     "narrative review"),
    ("pvp:NeedleInsertionStep", "pvp:hasApproach", "pvp:CostotransverseApproach", "src:unverified",
     "expert opinion, unverified"),
    # §1.3 related procedures
    ("pvp:VertebralBodyStenting", "rdfs:subClassOf", "pvp:VertebralAugmentation", "src:Asbmr2019",
     "clinical practice guideline"),
    ("pvp:KivaImplantAugmentation", "rdfs:subClassOf", "pvp:VertebralAugmentation",
     "src:Asbmr2019", "clinical practice guideline"),
    ("pvp:CraniocaudalExpandableImplantInsertion", "rdfs:subClassOf", "pvp:VertebralAugmentation",
     "src:NiceIpg568", "clinical practice guideline"),
    ("pvp:CementAugmentedPedicleScrewFixation", "pvp:hasComplication",
     "pvp:PulmonaryCementEmbolism", "src:Neurospine2021Pce", "observational study"),
    # §2.2 VERTOS II entry criteria
    (PVP, "pvp:hasPatientSelectionCriterion", "pvp:AgeFiftyOrOver", "src:S6",
     "randomised controlled trial"),
    (PVP, "pvp:hasPatientSelectionCriterion", "pvp:VertebralHeightLossAtLeast15Percent", "src:S6",
     "randomised controlled trial"),
    # §2.3 / §9 cement does not treat the cancer
    (PVP, "pvp:hasAftercareAdvice", "pvp:ContinueTumourDirectedTherapy", "src:NiceCg75",
     "clinical practice guideline"),
    (PVP, "pvp:hasRelativeContraindication", "pvp:SpinalInstability", "src:NiceCg75",
     "clinical practice guideline"),
    # §2.4 aggressive haemangioma
    ("pvp:SymptomaticVertebralHaemangioma", "pvp:treatedBy", "pvp:EthanolInjection",
     "src:Shamhoot2020", "observational study"),
    ("pvp:SymptomaticVertebralHaemangioma", "pvp:treatedBy", "pvp:TransarterialEmbolisation",
     "src:Shamhoot2020", "observational study"),
    ("pvp:SymptomaticVertebralHaemangioma", "pvp:treatedBy", "pvp:Radiotherapy", "src:Sharma2023",
     "narrative review"),
    # §4 coagulation tests
    ("pvp:InrTest", "rdfs:subClassOf", "pvp:CoagulationTesting", "src:unverified",
     "expert opinion, unverified"),
    # §5-6.1 leakage: risk and prevention
    ("pvp:CementLeakage", "pvp:hasRiskFactor", "pvp:HighInjectionPressure", "src:S9",
     "observational study"),
    ("pvp:CementLeakage", "pvp:hasRiskFactor", "pvp:OsteolyticLesion", "src:S9",
     "observational study"),
    ("pvp:CementLeakage", "pvp:hasPreventiveMeasure", "pvp:LowPressureInjection", "src:S9",
     "observational study"),
    ("pvp:CementLeakage", "pvp:hasPreventiveMeasure", "pvp:DelayedInjectionAfterMixing",
     "src:unverified", "expert opinion, unverified"),
    ("pvp:PulmonaryCementEmbolism", "diagnosedBy", "pvp:PostProcedureComputedTomography",
     "src:S1", "observational study"),
    # §6.2 pulmonary cement embolism: prevention, risk, management
    ("pvp:PulmonaryCementEmbolism", "pvp:hasPreventiveMeasure", "pvp:LimitCementVolume", "src:S2",
     "observational study"),
    ("pvp:PulmonaryCementEmbolism", "pvp:hasPreventiveMeasure", "pvp:OperatorExperience",
     "src:NiceIpg12", "clinical practice guideline"),
    ("pvp:PulmonaryCementEmbolism", "pvp:hasRiskFactor", "pvp:PreviousSpinalSurgery",
     "src:Neurospine2021Pce", "observational study"),
    ("pvp:SymptomaticPulmonaryCementEmbolism", "pvp:treatedBy", "pvp:SupplementalOxygen",
     "src:S2", "observational study"),
    ("pvp:AsymptomaticPulmonaryCementEmbolism", "pvp:treatedBy", "pvp:WatchfulObservation",
     "src:Krueger2009", "systematic review"),
    # §6.3 / §6.9 / §6.11
    ("pvp:CardiacCementEmbolism", "RO:0002411", "pvp:HaemodynamicInstability",
     "src:Oprita2025", "observational study"),
    ("pvp:ReflexBradycardia", "RO:0002411", "pvp:HaemodynamicReaction",
     "src:SheepFatEmbolism", "preclinical (animal) study"),
    (PVP, "pvp:hasComplication", "pvp:ProcedureRelatedDeath", "src:MalignancyReview2011",
     "systematic review"),
    # §6.4 neurological
    ("pvp:NeedleMisplacement", "RO:0002411", "pvp:NerveInjury", "src:NiceIpg12",
     "clinical practice guideline"),
    ("pvp:Spondylodiscitis", "RO:0002411", "pvp:EpiduralAbscess", "src:Liao2018",
     "observational study"),
    # §6.6 / §6.8
    ("pvp:ProceduralPressureOnFragileBone", "RO:0002411", "pvp:RibFracture", "src:unverified",
     "expert opinion, unverified"),
    ("pvp:RibFracture", "pvp:hasPreventiveMeasure", "pvp:CarefulPositioningAndPadding",
     "src:Free2Year", "randomised controlled trial"),
    ("pvp:PunctureSiteHaematoma", "pvp:hasRiskFactor", "pvp:AnticoagulantUse", "src:unverified",
     "expert opinion, unverified"),
    # §6.7 infection
    ("pvp:BreachOfSterility", "RO:0002411", "pvp:PostProceduralInfection", "src:Liao2018",
     "observational study"),
    ("pvp:HaematogenousSeeding", "RO:0002411", "pvp:PostProceduralInfection", "src:Liao2018",
     "observational study"),
    ("pvp:SpinalInfectionMistakenForFracture", "RO:0002411", "pvp:PostProceduralInfection",
     "src:Zhang2021", "observational study"),
    ("pvp:TuberculousSpondylitis", "rdfs:subClassOf", "pvp:Spondylodiscitis", "src:Liao2018",
     "observational study"),
    ("pvp:Spondylodiscitis", "pvp:treatedBy", "pvp:AntibioticTherapy", "src:Zhang2021",
     "observational study"),
    ("pvp:TuberculousSpondylitis", "pvp:treatedBy", "pvp:AntituberculousTherapy",
     "src:Zhang2021", "observational study"),
    ("pvp:Spondylodiscitis", "pvp:treatedBy", "pvp:DebridementAndFusion", "src:Zhang2021",
     "observational study"),
    # §6.5 new fractures
    ("pvp:NewVertebralFracture", "pvp:hasRiskFactor", "pvp:NumberOfPrevalentFractures",
     "src:unverified", "expert opinion, unverified"),
    # §7 benefits, §9 aftercare
    (PVP, "pvp:hasBenefit", "pvp:FasterMobilisation", "src:Kobayashi2005", "observational study"),
    (PVP, "pvp:hasAftercareAdvice", "pvp:ExerciseAfterFracture", "src:Asbmr2019",
     "clinical practice guideline"),
]


@pytest.mark.parametrize(("s", "p", "o", "source", "level"), EDGES,
                         ids=[f"{e[0]}-{e[2]}" for e in EDGES])
def test_the_fact_is_said_with_its_source(kg: pvp_kg.KnowledgeGraph, s: str, p: str, o: str,
                                          source: str, level: str) -> None:
    p = p if ":" in p else f"pvp:{p}"
    sources = _edge_sources(kg, s, p, o)
    assert source in sources, sources
    assert sources[source] == level


#: (finding, source, numbers the answer must carry, words its summary must say)
FINDINGS = [
    ("pvp:FindingCanalLeakDecompressionThoracic", "src:S2", {"numerator": 3, "denominator": 9},
     ("3 of 9", "1 of 17")),
    ("pvp:FindingPcePreviousSurgery", "src:Neurospine2021Pce", {"value": 16.1}, ("61.0",)),
    ("pvp:FindingInfectionSeverityLiao", "src:Liao2018", {"numerator": 3, "denominator": 18},
     ("7 of 18",)),
    ("pvp:FindingInfectionOrganismsLiao", "src:Liao2018", {"denominator": 18},
     ("pyogenic", "tuberculous")),
    ("pvp:FindingMisdiagnosedInfectionZhang", "src:Zhang2021", {"numerator": 4, "denominator": 19},
     ("mistaken",)),
    ("pvp:FindingLeakSitesNeoplasticVsOsteoporotic", "src:S9", {},
     ("lateral and posterior", "disc leaks were similar")),
    ("pvp:FindingParavertebralVeinLeakage", "src:ParavertebralVein2022",
     {"numerator": 57, "denominator": 495}, ("bone density", "volume ratio")),
    ("pvp:FindingMyelomaVertebralInvolvement", "src:MyelomaAnnHematol2010", {"value": 60.0},
     ("T6", "L4")),
    ("pvp:FindingAggressiveHaemangiomaShare", "src:Prabhakar2022",
     {"min_value": 0.9, "max_value": 1.2}, ("Enneking stage III",)),
    ("pvp:FindingVertos2EntryCriteria", "src:S6", {"min_value": 50.0},
     ("6 weeks or less", "15 %", "T5", "T-score")),
    ("pvp:FindingTenYearFollowUp", "src:Aregger2024", {"value": 53.0}, ("66.4 %",)),
    ("pvp:FindingKaviarEarlyEvents", "src:unverified", {"numerator": 28, "denominator": 190},
     ("17 of 190", "9 of 191")),
    ("pvp:FindingBeallMetaAnalysisVas", "src:unverified", {"value": 3.88}, ("4.05", "2.66")),
    ("pvp:FindingProspectivePainPmc7975168", "src:Pmc7975168", {"value": 2.77, "sample_size": 167},
     ("8.71",)),
    ("pvp:FindingMyelomaPainCvir", "src:MyelomaCvir2011", {"sample_size": 106}, ("9 to 1",)),
    ("pvp:FindingMechanismUnsettled", "src:Muijs2011", {}, ("not settled",)),
    ("pvp:FindingCtDetectsMoreThanRadiographs", "src:S1", {}, ("far more often",)),
    ("pvp:FindingUnipedicularShareKobayashi", "src:Kobayashi2005",
     {"numerator": 247, "denominator": 250}, ("one needle",)),
    ("pvp:FindingAsbmrOtherAugmentationDevices", "src:Asbmr2019", {}, ("insufficient",)),
]


@pytest.mark.parametrize(("curie", "source", "numbers", "words"), FINDINGS,
                         ids=[f[0] for f in FINDINGS])
def test_the_number_is_a_sourced_finding(kg: pvp_kg.KnowledgeGraph, curie: str, source: str,
                                         numbers: dict[str, float], words: tuple[str, ...]) -> None:
    found = {f.curie: f for f in kg.findings()}
    assert curie in found, curie
    finding = found[curie]
    assert [e.source.curie for e in finding.evidence] == [source]  # exactly one source
    for name, value in numbers.items():
        assert getattr(finding, name) == pytest.approx(value), name
    for word in words:
        assert word in (finding.summary or ""), word
    assert finding.about, "a finding is about something"


def test_findings_cited_to_an_unidentified_study_stay_unverified(kg: pvp_kg.KnowledgeGraph) -> None:
    # Beall, KAVIAR, Diamond, StatPearls: real documents, no identifier -> never above unverified
    for curie in ("pvp:FindingBeallMetaAnalysisVas", "pvp:FindingKaviarEarlyEvents",
                  "pvp:FindingDiamondPainAt24h", "pvp:FindingMortalityBenefitUnconfirmed"):
        finding = next(f for f in kg.findings() if f.curie == curie)
        assert {e.level for e in finding.evidence} == {"expert opinion, unverified"}, curie


# -- the typed methods a user calls say the new facts -------------------------------------------
def _labels(items: list[pvp_kg.Item]) -> set[str]:
    return {i.label for i in items}


def test_prevention_of_pce_lists_volume_viscosity_venous_filling_and_training(kg):  # type: ignore[no-untyped-def]
    got = _labels(kg.preventive_measures(of="pulmonary cement embolism"))
    assert {"limiting the cement volume per level", "use of high-viscosity cement",
            "stopping injection at the posterior wall or on vein filling",
            "operator experience and training",
            "mixing the cement as the manufacturer instructs"} <= got


def test_leakage_risk_and_prevention_include_pressure_and_lytic_lesions(kg):  # type: ignore[no-untyped-def]
    assert {"high injection pressure", "osteolytic tumour lesion", "low-viscosity cement",
            "large cement volume"} <= _labels(kg.risk_factors(of="cement leakage"))
    assert {"low-pressure cement injection", "limiting the cement volume per level"} <= _labels(
        kg.preventive_measures(of="cement leakage"))


def test_causes_of_infection_after_vertebroplasty(kg):  # type: ignore[no-untyped-def]
    got = _labels(kg.causes(of="post-procedural infection"))
    assert {"breach of sterility", "haematogenous seeding",
            "spinal infection mistaken for an osteoporotic fracture"} <= got


def test_causes_of_nerve_injury_include_needle_misplacement(kg):  # type: ignore[no-untyped-def]
    assert "needle misplacement" in _labels(kg.causes(of="nerve injury"))
    assert "needle misplacement" in _labels(kg.complications())


def test_death_is_a_rare_complication_downstream_of_embolism_and_infection(kg):  # type: ignore[no-untyped-def]
    assert "death related to the procedure" in _labels(kg.complications())
    assert {"cardiorespiratory failure", "cardiac cement embolism",
            "post-procedural spondylodiscitis"} <= _labels(kg.causes(of="death"))


def test_needle_routes_include_trans_somatic(kg):  # type: ignore[no-untyped-def]
    step = kg.concept("needle insertion").iri
    approaches = {e.object_label for e in kg.edges.out(step, _iri(kg, "pvp:hasApproach"))}
    assert {"transpedicular approach", "parapedicular approach", "trans-somatic approach",
            "costotransverse approach"} <= approaches


def test_synonyms_people_use(kg):  # type: ignore[no-untyped-def]
    assert kg.concept("PV").curie == PVP
    assert kg.concept("vertebral cementoplasty").curie == PVP
    assert kg.concept("VAP").curie == "pvp:VertebralAugmentation"
    assert kg.concept("KIVA").curie == "pvp:KivaImplantAugmentation"
    assert kg.concept("INR").curie == "pvp:InrTest"
    assert kg.concept("lytic lesion").curie == "pvp:OsteolyticLesion"
    assert kg.concept("cement travelling to the lungs").curie == "pvp:PulmonaryCementEmbolism"
    assert kg.concept("antibiotics").curie == "pvp:AntibioticTherapy"


def test_new_concepts_are_defined(kg):  # type: ignore[no-untyped-def]
    for label in ("trans-somatic approach", "vertebral body stenting", "tumour-directed therapy",
                  "reflex bradycardia", "haemodynamic instability", "needle misplacement",
                  "pyogenic spondylitis after vertebral augmentation", "supplemental oxygen"):
        assert kg.concept(label).definition, label
    bcis = kg.concept("bone cement implantation syndrome")
    assert "hip arthroplasty" in (bcis.definition or "")
    assert "hypoxia" in (bcis.definition or "")


# -- named queries for the new kinds of fact (no cues yet: asknlu wires the ways of asking) -----
def _rows(kg: pvp_kg.KnowledgeGraph, name: str, **params: str) -> set[str]:
    result = kg.sparql(name, **params)
    return {kg.terms.label(str(row[0])) for row in result.rows}


def test_treatments_query_lists_management(kg: pvp_kg.KnowledgeGraph) -> None:
    pce = _rows(kg, "treatments", concept="pvp:PulmonaryCementEmbolism")
    assert {"watchful observation", "anticoagulation therapy", "supplemental oxygen",
            "surgical removal of cement embolus"} <= pce  # oxygen comes from a subtype
    infection = _rows(kg, "treatments", concept="pvp:Spondylodiscitis")
    assert {"antibiotic therapy", "anti-tuberculous therapy",
            "debridement and corpectomy with fusion"} <= infection
    haemangioma = _rows(kg, "treatments", concept="pvp:SymptomaticVertebralHaemangioma")
    assert {"percutaneous ethanol injection", "transarterial embolisation", "radiotherapy",
            "percutaneous vertebroplasty"} <= haemangioma


def test_diagnosis_query_lists_the_imaging(kg: pvp_kg.KnowledgeGraph) -> None:
    got = _rows(kg, "diagnosis", concept="pvp:PulmonaryCementEmbolism")
    assert {"chest radiography", "chest computed tomography",
            "post-procedure CT of the spine and chest"} <= got


def test_needle_approaches_query(kg: pvp_kg.KnowledgeGraph) -> None:
    got = _rows(kg, "needle_approaches")
    assert {"transpedicular approach", "parapedicular approach", "trans-somatic approach",
            "costotransverse approach", "unipedicular approach", "bipedicular approach"} <= got
    assert not kg.queries["treatments"].cues  # SPARQL by name until ways of asking exist


def test_who_decides_in_metastatic_disease(kg: pvp_kg.KnowledgeGraph) -> None:
    # NICE CG75: oncologist, interventional radiologist and spinal surgeon agree the decision
    for who in ("pvp:Oncologist", "pvp:InterventionalRadiologist", "pvp:SpinalSurgeon"):
        sources = _edge_sources(kg, "pvp:MultidisciplinaryTeamReview", "pvp:involvesProfessional",
                                who)
        assert sources.get("src:NiceCg75") == "clinical practice guideline", who
    # the rest of the team is standard practice, said only at the unverified level
    assert _edge_sources(kg, PVP, "pvp:involvesProfessional", "pvp:Anaesthetist") == {
        "src:unverified": "expert opinion, unverified"}

"""Clinical truth (issue 9): one regression test per corrected fact of the clinical review
(shared/clinical-review.md, C1-C18, §5 and the top-10 list): what the graph must no longer
say, and what it must say instead, through ``pvp_kg.load()``, the typed methods and SPARQL."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .helpers import curies

PVP = "pvp:PercutaneousVertebroplasty"
NS = "https://w3id.org/pvp-kg/"


def _iri(kg, curie: str) -> str:  # type: ignore[no-untyped-def]
    iri = kg.terms.expand(curie)
    assert iri is not None, curie
    return iri


def _sources(kg, s: str, p: str, o: str) -> set[str]:  # type: ignore[no-untyped-def]
    edge = kg.edges.get(_iri(kg, s), _iri(kg, p), _iri(kg, o))
    return set() if edge is None else {e.source.curie for e in edge.evidence}


def _restricted(kg, cls: str, prop: str, value: str) -> bool:  # type: ignore[no-untyped-def]
    """True when ``cls rdfs:subClassOf [owl:onProperty prop ; owl:hasValue value]`` is asserted."""
    q = f"""ASK {{ {cls} rdfs:subClassOf [ owl:onProperty {prop} ; owl:hasValue {value} ] }}"""
    return bool(kg.graph.query(q, initNs={"pvp": NS, "owl": str(OWL), "rdfs": str(RDFS)}).askAnswer)


# -- C1: contrast allergy ----------------------------------------------------------------------
def test_c1_contrast_allergy_is_not_an_absolute_contraindication(kg):
    absolute = curies(kg.contraindications(kind="absolute"))
    assert not any("Contrast" in c for c in absolute)
    assert kg.concept("contrast allergy", strict=False) is None
    ans = kg.ask("Is contrast allergy a contraindication?")
    assert "absolute" not in ans.explanation.lower() or not ans.explanation.startswith("Yes")
    # PMMA allergy stays, but only at the unverified level (its only source was unidentifiable)
    assert _sources(kg, PVP, "pvp:hasAbsoluteContraindication", "pvp:BoneCementAllergy") == {
        "src:unverified"}


# -- C2: no universal indication axioms ---------------------------------------------------------
@pytest.mark.parametrize("condition", [
    "pvp:OsteoporoticVertebralCompressionFracture", "pvp:TraumaticVertebralCompressionFracture",
    "pvp:VertebralMetastasis", "pvp:VertebralMultipleMyeloma", "pvp:VertebralHaemangioma"])
def test_c2_no_axiom_says_every_such_condition_is_an_indication(kg, condition):
    assert not _restricted(kg, condition, "pvp:isIndicationFor", PVP)
    # the seed's "may" edge stays
    assert "src:seed" in _sources(kg, PVP, "pvp:hasIndication", condition)


@pytest.mark.parametrize(("qualified", "parent", "source"), [
    ("pvp:PainfulUnhealedOsteoporoticFracture", "pvp:OsteoporoticVertebralCompressionFracture",
     "src:NiceTa279"),
    ("pvp:PainfulMetastasisWithoutCordCompression", "pvp:VertebralMetastasis", "src:NiceCg75"),
    ("pvp:SymptomaticVertebralHaemangioma", "pvp:VertebralHaemangioma", "src:NiceIpg12"),
    ("pvp:PainfulMyelomaVertebralLesion", "pvp:VertebralMultipleMyeloma", "src:NiceIpg12"),
])
def test_c2_indication_sits_on_qualified_classes(kg, qualified, parent, source):
    assert _restricted(kg, qualified, "pvp:isIndicationFor", PVP)
    assert (URIRef(_iri(kg, qualified)), RDFS.subClassOf, URIRef(_iri(kg, parent))) in kg.graph
    assert source in _sources(kg, PVP, "pvp:hasIndication", qualified)
    assert qualified in curies(kg.indications())


# -- C3: not every pulmonary cement embolism is serious ----------------------------------------
def test_c3_severity_restriction_only_on_the_serious_subkinds(kg):
    assert not _restricted(kg, "pvp:PulmonaryCementEmbolism", "pvp:hasSeverity",
                           "pvp:SeriousSeverity")
    assert not _restricted(kg, "pvp:NeurologicalDeficit", "pvp:hasSeverity", "pvp:SeriousSeverity")
    assert _restricted(kg, "pvp:SymptomaticPulmonaryCementEmbolism", "pvp:hasSeverity",
                       "pvp:SeriousSeverity")
    assert _restricted(kg, "pvp:MajorNeurologicalDeficit", "pvp:hasSeverity",
                       "pvp:SeriousSeverity")
    # the asymptomatic subkind is mild and is watched, not treated
    assert _sources(kg, "pvp:AsymptomaticPulmonaryCementEmbolism", "pvp:hasSeverity",
                    "pvp:MildSeverity")
    assert _sources(kg, "pvp:AsymptomaticPulmonaryCementEmbolism", "pvp:treatedBy",
                    "pvp:WatchfulObservation")


# -- C4: anaesthetic agents are cited to VERTOS IV ---------------------------------------------
@pytest.mark.parametrize("agent", ["CHEBI:6456", "CHEBI:3215"])
def test_c4_local_anaesthetics_come_from_vertos_iv(kg, agent):
    assert _sources(kg, "pvp:LocalAnaesthesiaStep", "RO:0002233", agent) == {"src:S18"}


# -- C5: leakage risk factors no longer cite the PCE studies -----------------------------------
@pytest.mark.parametrize("factor", ["pvp:CorticalDisruption", "pvp:IntravertebralCleft",
                                    "pvp:LowViscosityCement", "pvp:LargeCementVolume",
                                    "pvp:SevereVertebralCollapse", "pvp:MultipleLevelsTreated"])
def test_c5_leakage_risk_factors_are_not_cited_to_s1_or_s2(kg, factor):
    srcs = _sources(kg, "pvp:CementLeakage", "pvp:hasRiskFactor", factor)
    assert srcs and not srcs & {"src:S1", "src:S2"}


def test_c5_early_injection_after_fracture_is_not_a_leakage_risk_factor(kg):
    assert not _sources(kg, "pvp:CementLeakage", "pvp:hasRiskFactor",
                        "pvp:EarlyInjectionAfterFracture")


def test_c5_pce_risk_factor_studies_that_disagree_are_linked(kg):
    three = kg.terms.finding(_iri(kg, "pvp:FindingPceOddsThreeLevels"))
    assert "pvp:FindingPceRiskFactorsNullHsieh" in three.conflicts_with
    band = kg.terms.finding(_iri(kg, "pvp:FindingPceVolumeAbove7mL"))
    assert "pvp:FindingPceVolumeNullZou" in band.conflicts_with


# -- C6 / C7: causation only where a source shows it -------------------------------------------
def test_c6_disc_leak_is_not_said_to_cause_adjacent_fracture(kg):
    assert not _sources(kg, "pvp:IntradiscalCementLeakage", "RO:0002411",
                        "pvp:AdjacentVertebralFracture")
    null = kg.terms.finding(_iri(kg, "pvp:FindingAlAliDiscLeakAdjacentFracture"))
    assert "neither cement volume nor disc leakage predicted an adjacent fracture" in (
        null.summary or "")


def test_c7_new_fracture_is_an_observed_adverse_event_not_a_complication(kg):
    assert "pvp:NewVertebralFracture" not in curies(kg.complications())
    assert (URIRef(_iri(kg, "pvp:NewVertebralFracture")), RDFS.subClassOf,
            URIRef(_iri(kg, "pvp:Complication"))) not in kg.graph
    assert "src:Vertos4Fractures" in _sources(kg, PVP, "pvp:hasObservedAdverseEvent",
                                              "pvp:NewVertebralFracture")
    vertos4 = kg.terms.finding(_iri(kg, "pvp:FindingVertos4NewFractures"))
    assert (vertos4.value, vertos4.numerator) == (0.71, 15)


# -- C8: neural compression = contraindication to stand-alone PVP ------------------------------
def test_c8_neural_compression_is_sourced_to_nice_cg75_and_labelled_stand_alone(kg):
    c = kg.concept("pvp:NeurologicalCompressionRequiringSurgery")
    assert "stand-alone" in c.label
    srcs = _sources(kg, PVP, "pvp:hasAbsoluteContraindication",
                    "pvp:NeurologicalCompressionRequiringSurgery")
    assert {"src:NiceCg75", "src:S6"} <= srcs and "src:S3" not in srcs


# -- C9: CT does not date a fracture -----------------------------------------------------------
def test_c9_ct_does_not_date_a_fracture_mri_and_bone_scan_do(kg):
    assert not _sources(kg, "pvp:AcuteVertebralFracture", "pvp:diagnosedBy",
                        "pvp:ComputedTomography")
    assert _sources(kg, "pvp:AcuteVertebralFracture", "pvp:diagnosedBy",
                    "pvp:MagneticResonanceImaging")
    assert _sources(kg, "pvp:AcuteVertebralFracture", "pvp:diagnosedBy", "pvp:BoneScintigraphy")


# -- C10: current conservative care -------------------------------------------------------------
def test_c10_conservative_care_is_not_pain_medicines_and_rest(kg):
    c = kg.concept("pvp:ConservativeTherapy")
    assert "mobilisation" in (c.definition or "")
    assert "mainly pain medicines and rest" not in (c.definition or "")
    assert "painkillers and rest" not in c.synonyms
    assert "rest" not in (kg.concept("pvp:RefractoryPainAfterConservativeTherapy").definition or "")


# -- C11 / C13: seed facts kept, with the clinician's note --------------------------------------
def test_c11_c13_seed_facts_keep_their_caveats(kg):
    edge = kg.edges.get(_iri(kg, PVP), _iri(kg, "pvp:hasIndication"),
                        _iri(kg, "pvp:TraumaticVertebralCompressionFracture"))
    assert edge is not None and any("neurologically intact" in (e.note or "")
                                    for e in edge.evidence)
    rest = kg.graph.value(URIRef(_iri(kg, "pvp:RestAfterProcedure")), RDFS.comment)
    assert rest is not None and "within hours" in str(rest)


# -- C12: benefits sit beside the stronger evidence ---------------------------------------------
def test_c12_rapid_pain_relief_has_trial_evidence_with_its_limits(kg):
    srcs = _sources(kg, PVP, "pvp:hasBenefit", "pvp:RapidPainRelief")
    assert {"src:seed", "src:S8"} <= srcs
    edge = kg.edges.get(_iri(kg, PVP), _iri(kg, "pvp:hasBenefit"), _iri(kg, "pvp:RapidPainRelief"))
    vapour = next(e for e in edge.evidence if e.source.curie == "src:S8")
    assert "sham" in (vapour.note or "")


# -- C14: sedation is an optional step, not part of local anaesthesia --------------------------
def test_c14_sedation_is_an_optional_step_of_pvp(kg):
    assert not _sources(kg, "pvp:LocalAnaesthesiaStep", "BFO:0000051", "pvp:ConsciousSedation")
    edge = kg.edges.get(_iri(kg, PVP), _iri(kg, "BFO:0000051"), _iri(kg, "pvp:ConsciousSedation"))
    assert edge is not None and edge.quantifier == "some"
    steps = [i.concept.curie for i in kg.steps()]
    assert steps.index("pvp:ConsciousSedation") < steps.index("pvp:LocalAnaesthesiaStep")


# -- C15: lay synonyms that teach false things ----------------------------------------------------
@pytest.mark.parametrize(("term", "bad"), [
    ("pvp:PulmonaryEmbolism", "blood clot in the lung"), ("pvp:RadicularPain", "sciatica"),
    ("pvp:BoneMarrowOedema", "bone bruise"), ("pvp:CementInjectionStep", "cementoplasty"),
    ("pvp:PMMABoneCement", "acrylic glue"), ("pvp:BoneCement", "glue"),
    ("pvp:PulmonaryCementEmbolism", "glue in the lungs")])
def test_c15_misleading_synonyms_are_gone(kg, term, bad):
    assert bad not in kg.concept(term).synonyms


# -- C16-C18: numbers ------------------------------------------------------------------------------
def test_c16_saad_counts_leaks_not_leaking_vertebrae(kg):
    f = kg.terms.finding(_iri(kg, "pvp:FindingCementLeakageSaadSeries"))
    assert (f.numerator, f.denominator) == (75, 211)
    assert "75 leaks" in (f.summary or "") and "treated vertebrae leaked" not in (f.summary or "")


def test_c17_three_level_odds_ratio_against_one_vertebra_with_ci(kg):
    f = kg.terms.finding(_iri(kg, "pvp:FindingPceOddsThreeLevels"))
    assert f.comparator == "patients with one treated vertebra"
    g, node = kg.graph, URIRef(f.iri)
    assert (float(g.value(node, URIRef(NS + "ciLower"))),
            float(g.value(node, URIRef(NS + "ciUpper")))) == (1.017, 5.722)


def test_c18_pvp_versus_pkp_direction_is_unverified(kg):
    f = kg.terms.finding(_iri(kg, "pvp:FindingPcePvpVersusPkp"))
    assert {e.source.curie for e in f.evidence} == {"src:unverified"}
    assert "higher risk than kyphoplasty" not in (f.summary or "")


def test_leakage_range_without_a_source_is_gone(kg):
    assert kg.concept("pvp:FindingCementLeakageIncidenceRange", strict=False) is None


# -- numbers complete for the trials --------------------------------------------------------------
@pytest.mark.parametrize(("finding", "value", "lo", "hi", "arms", "time"), [
    ("pvp:FindingInvestPainRelief", 0.7, -1.3, 2.8, (68, 63), "1 month"),
    ("pvp:FindingVertos4PainRelief", 0.45, -0.37, 1.24, (91, 89), "12 months"),
    ("pvp:FindingFreePhysicalFunction", 5.2, 2.9, 7.4, (149, 151), "1 month"),
])
def test_trial_findings_carry_effect_ci_arms_and_time(kg, finding, value, lo, hi, arms, time):
    f = kg.terms.finding(_iri(kg, finding))
    g, node = kg.graph, URIRef(f.iri)

    def num(p: str) -> float:
        return float(g.value(node, URIRef(NS + p)))

    assert f.value == value and (num("ciLower"), num("ciUpper")) == (lo, hi)
    assert (int(num("interventionArmSize")), int(num("comparatorArmSize"))) == arms
    assert f.time_point and time in f.time_point
    assert g.value(node, URIRef(NS + "outcomeMeasure")) is not None
    assert g.value(node, URIRef(NS + "studyDesign")) is not None


def test_vapour_gives_both_arms_and_the_hospital_stay(kg):
    f = kg.terms.finding(_iri(kg, "pvp:FindingVapourPainRelief"))
    node = URIRef(f.iri)
    assert f.value == 44.0 and float(kg.graph.value(node, URIRef(NS + "comparatorValue"))) == 21.0
    stay = kg.terms.finding(_iri(kg, "pvp:FindingVapourHospitalStay"))
    assert (stay.value, stay.unit) == (5.5, "day")


def test_volume_bands_do_not_pretend_the_cohort_is_their_denominator(kg):
    for name in ("FindingPceVolumeBelow3_5mL", "FindingPceVolume3_5To7mL",
                 "FindingPceVolumeAbove7mL"):
        f = kg.terms.finding(NS + name)
        assert f.sample_size is None and f.denominator is None
        assert "not given" in str(kg.graph.value(URIRef(f.iri), URIRef(NS + "countedUnit")))


def test_leak_type_shares_say_what_they_count(kg):
    f = kg.terms.finding(NS + "FindingBasivertebralLeakageShare")
    assert f.denominator == 3175
    assert "patients" in str(kg.graph.value(URIRef(f.iri), URIRef(NS + "countedUnit")))


def test_cochrane_is_pub4(kg):
    src = kg.terms.source(_iri(kg, "src:S19"))
    ids = {str(o) for o in kg.graph.objects(URIRef(src.iri), URIRef("http://purl.org/dc/terms/identifier"))}
    assert "doi:10.1002/14651858.CD006349.pub4" in ids and "pmid:30399208" in ids
    assert not any(i.endswith(".pub3") for i in ids)


# -- every cited source is identified --------------------------------------------------------------
def test_every_cited_source_has_an_identifier(kg):
    dct = "http://purl.org/dc/terms/"
    cited = {o for o in kg.graph.objects(None, URIRef(dct + "source")) if isinstance(o, URIRef)}
    assert cited
    missing = []
    for src in cited:
        if str(src).endswith(("/source/seed", "/source/unverified")):
            continue
        has_id = any(True for _ in kg.graph.objects(src, URIRef(dct + "identifier")))
        has_url = any(True for _ in kg.graph.objects(src, RDFS.seeAlso))
        if not (has_id or has_url):
            missing.append(kg.terms.curie(str(src)))
    assert not missing, f"sources without DOI/PMID/PMCID/ISBN/URL: {missing}"
    for gone in ("src:S11", "src:S12", "src:S13", "src:S14"):
        assert URIRef(_iri(kg, gone)) not in cited, gone


# -- evidence levels are ranked --------------------------------------------------------------------
def test_evidence_levels_have_a_strict_rank_order(kg):
    rank = URIRef(NS + "evidenceRank")
    levels = {kg.terms.curie(str(s)): int(o) for s, o in kg.graph.subject_objects(rank)}
    order = ["pvp:SystematicReviewEvidence", "pvp:ShamControlledTrialEvidence",
             "pvp:RandomisedTrialEvidence", "pvp:ObservationalStudyEvidence",
             "pvp:ClinicalGuidelineEvidence", "pvp:NarrativeReviewEvidence",
             "pvp:ReferenceWorkEvidence", "pvp:UnverifiedExpertOpinion"]
    ranks = [levels[c] for c in order]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    for s in (URIRef(NS + "EvidenceLevel"),):
        members = set(kg.graph.subjects(RDF.type, s))
        assert {kg.terms.curie(str(m)) for m in members} <= set(levels)


def test_findings_by_evidence_put_cochrane_and_sham_trials_before_the_seed(kg):
    rows = list(kg.sparql("findings_by_evidence", concept="pvp:SignificantPainRelief"))
    order = [kg.terms.curie(str(r["finding"])) for r in rows]
    assert order.index("pvp:FindingCochrane2018PainRelief") < order.index(
        "pvp:FindingVertos4PainRelief") < order.index("pvp:FindingVertos2PainRelief") < order.index(
        "pvp:FindingSeedPainRelief")
    assert all(r.get("design") is not None for r in rows)


def test_natural_history_and_sham_arm_sit_beside_the_seed_figure(kg):
    about = {f.curie for f in kg.findings("pvp:SignificantPainRelief")}
    assert {"pvp:FindingSeedPainRelief", "pvp:FindingVertos2SpontaneousImprovement",
            "pvp:FindingNiceIpg12PainRelief"} <= about
    f = kg.terms.finding(NS + "FindingVertos2SpontaneousImprovement")
    assert (f.numerator, f.denominator) == (229, 431)


# -- guideline recommendations ---------------------------------------------------------------------
def test_guideline_recommendations_are_nodes_with_body_year_direction_source(kg):
    rows = list(kg.sparql("recommendations"))
    got = {kg.terms.curie(str(r["recommendation"])): r for r in rows}
    assert {"pvp:RecNiceIpg12", "pvp:RecNiceTa279", "pvp:RecNiceCg75", "pvp:RecAsbmr2019",
            "pvp:RecAaos2010", "pvp:RecSir2003", "pvp:RecCirse2017"} <= set(got)
    assert got["pvp:RecAsbmr2019"]["direction"] == URIRef(NS + "RecommendAgainst")
    assert got["pvp:RecNiceTa279"]["year"] == Literal(2013)
    assert kg.terms.curie(str(got["pvp:RecAsbmr2019"]["source"])) == "src:Asbmr2019"
    ranks = [int(r["rank"]) for r in rows]
    assert ranks == sorted(ranks)
    bkp = {kg.terms.curie(str(r["recommendation"]))
           for r in kg.sparql("recommendations", procedure="pvp:BalloonKyphoplasty")}
    assert "pvp:RecNiceTa279" in bkp and "pvp:RecAaos2010" not in bkp


# -- breadth ---------------------------------------------------------------------------------------
def test_kyphoplasty_has_its_own_steps_and_benefits(kg):
    only_pvp = {i.concept.curie for i in kg.compare(PVP, "pvp:BalloonKyphoplasty")
                if i.kind.startswith("only") and "vertebroplasty" in i.kind}
    for shared in ("pvp:LocalAnaesthesiaStep", "pvp:SkinIncisionStep", "pvp:PatientPositioningStep",
                   "pvp:RapidPainRelief", "pvp:ImprovedMobility", "pvp:MinimalInvasiveness"):
        assert shared not in only_pvp, shared
    assert [i.concept.curie for i in kg.steps("pvp:BalloonKyphoplasty")].index(
        "pvp:BalloonInflationStep") == 4


def test_missing_contraindications_and_assessments_are_there(kg):
    absolute = curies(kg.contraindications(kind="absolute"))
    relative = curies(kg.contraindications(kind="relative"))
    assert {"pvp:ImprovingOnMedicalTherapy", "pvp:ProphylacticTreatmentWithoutFracture"} <= absolute
    assert {"pvp:SevereCardiopulmonaryDisease", "pvp:SuspectedUndiagnosedMalignancy",
            "pvp:NoAccessToSpinalSurgery"} <= relative
    assessed = curies(kg.pre_procedure_assessment())
    assert {"pvp:MagneticResonanceImaging", "pvp:BoneScintigraphy", "pvp:PreProcedureBoneBiopsy",
            "pvp:MultidisciplinaryTeamReview", "pvp:PosteriorWallAssessment"} <= assessed


def test_red_flags_infection_and_malignancy_figures(kg):
    advice = curies(kg.aftercare())
    assert {"pvp:ReportBreathlessnessOrChestPain", "pvp:ReportNewLegWeaknessOrNumbness",
            "pvp:ReportFeverOrLateBackPain"} <= advice
    infection = kg.terms.finding(NS + "FindingInfectionLiao")
    assert (infection.numerator, infection.denominator) == (18, 5749)
    malignant = kg.terms.finding(NS + "FindingMalignancySeriousComplications")
    assert (malignant.numerator, malignant.denominator) == (5, 987)


def test_cement_volume_and_sacroplasty_indication(kg):
    volumes = [f for f in kg.findings("pvp:CementInjectionStep") if f.unit == "millilitre"]
    assert volumes and volumes[0].value == 6.0
    assert "pvp:PainfulSacralInsufficiencyFracture" in curies(kg.indications("pvp:Sacroplasty"))


# -- §5 codes --------------------------------------------------------------------------------------
def test_codes_follow_the_review(kg):
    pce = set(kg.concept("pvp:PulmonaryCementEmbolism").xrefs)
    assert {"ICD10CM:I26.95", "ICD10CM:I26.03", "ICD10CM:T84.81XA"} <= pce
    assert "ICD10CM:I26.99" not in pce
    fat = set(kg.concept("pvp:FatOrMarrowEmbolism").xrefs)
    assert {"ICD10CM:I26.96", "ICD10CM:I26.04", "HP:0032008"} <= fat
    assert "ICD10CM:T79.1XXA" not in fat


# -- the Python side of issue 9 -----------------------------------------------------------------
@pytest.mark.parametrize(("finding", "value", "lo", "hi", "arms", "time"), [
    ("pvp:FindingInvestPainRelief", 0.7, -1.3, 2.8, (68, 63), "1 month"),
    ("pvp:FindingVertos4PainRelief", 0.45, -0.37, 1.24, (91, 89), "12 months"),
    ("pvp:FindingFreePhysicalFunction", 5.2, 2.9, 7.4, (149, 151), "1 month"),
])
def test_finding_dataclass_carries_the_trial_numbers(kg, finding, value, lo, hi, arms, time):
    f = kg.terms.finding(_iri(kg, finding))
    assert (f.value, f.ci_lower, f.ci_upper) == (value, lo, hi)
    assert (f.intervention_arm_size, f.comparator_arm_size) == arms
    assert f.outcome_measure and f.effect_measure and f.time_point and time in f.time_point
    assert f.study_design and "randomised trial" in f.study_design
    text = f.describe()
    assert f"(95 % CI {lo:g} to {hi:g})".replace("-", "\u2212") in text
    assert f"n = {arms[0]} vs {arms[1]}" in text and f"at {f.time_point}" in text
    assert f.outcome_measure in text


def test_invest_reads_as_one_line_with_ci_p_arms_outcome_and_design(kg):
    f = kg.terms.finding(_iri(kg, "pvp:FindingInvestPainRelief"))
    assert f.p_value == 0.49
    assert f.quantity() == "0.7 points (95 % CI \u22121.3 to 2.8), p = 0.49, n = 68 vs 63"
    assert f.describe().endswith("at 1 month, sham-controlled randomised trial")


def test_vapour_quantity_shows_both_arms(kg):
    f = kg.terms.finding(_iri(kg, "pvp:FindingVapourPainRelief"))
    assert f.comparator_value == 21.0
    assert f.quantity().startswith("44 % vs 21 %, p = 0.011, n = 61 vs 59")


def test_finding_json_has_the_trial_numbers_and_its_level(kg):
    data = kg.terms.finding(_iri(kg, "pvp:FindingInvestPainRelief")).to_dict()
    assert (data["ci_lower"], data["ci_upper"], data["p_value"]) == (-1.3, 2.8, 0.49)
    assert (data["intervention_arm_size"], data["comparator_arm_size"]) == (68, 63)
    assert data["level"] == "sham-controlled randomised trial" and data["rank"] == 2
    assert data["evidence"][0]["rank"] == 2


def test_volume_bands_say_their_band_and_cohort(kg):
    f = kg.terms.finding(NS + "FindingPceVolume3_5To7mL")
    assert (f.stratum_min, f.stratum_max, f.stratum_unit) == (3.5, 7.0, "millilitre")
    assert f.cohort_size == 3175 and f.counted_unit and "not given" in f.counted_unit
    assert f.quantity() == "0.11 % at 3.5\u20137 mL, cohort n = 3175"
    assert kg.terms.finding(NS + "FindingPceVolumeBelow3_5mL").stratum() == "< 3.5 mL"
    assert kg.terms.finding(NS + "FindingPceVolumeAbove7mL").stratum() == "> 7 mL"


def test_injected_material_lists_cement_volume_findings_by_volume(kg):
    _, found = kg.injected_material()
    names = [f.curie for f in found]
    bands = ["pvp:FindingPceVolumeBelow3_5mL", "pvp:FindingPceVolume3_5To7mL",
             "pvp:FindingPceVolumeAbove7mL"]
    assert set(bands) <= set(names) and "pvp:FindingCementVolumeMyeloma" in names
    assert [n for n in names if n in bands] == bands  # smallest volume first, not by IRI
    assert names[0] == "pvp:FindingCementSettingTime"  # the hardening time keeps its place
    # findings without a volume of their own come after the volumes
    assert names.index("pvp:FindingCementVolumeNotLinkedToPain") > names.index(bands[-1])
    a = kg.ask("How much cement is injected?")
    text = a.explanation
    assert "How much cement (smallest volume first):" in text
    assert text.index("at < 3.5 mL") < text.index("at 3.5\u20137 mL") < text.index("at > 7 mL")
    assert "cohort n = 3175" in text


def test_c7_observed_adverse_event_is_not_listed_as_a_complication_by_ask(kg):
    events = {str(o) for o in kg.graph.objects(URIRef(_iri(kg, PVP)),
                                               URIRef(NS + "hasObservedAdverseEvent"))}
    assert NS + "NewVertebralFracture" in events
    typed = {i.concept.iri for i in kg.complications()} | {
        i.concept.iri for i in kg.serious_complications()}
    assert not events & typed
    a = kg.ask("What are the complications of vertebroplasty?")
    assert a.query == "complications"
    assert not events & {c.iri for c in a.concepts}
    # a trial finding may mention new fractures among its counts; no item line may list one
    items = [line for line in a.explanation.lower().splitlines() if line.startswith("- ")]
    assert items and not any(line.startswith("- new vertebral fracture") for line in items)
    yn = kg.ask("Is a new vertebral fracture a complication of vertebroplasty?")
    assert yn.verdict != "yes"


# -- review rows left "not done" (S2 authors, S10, S2 prevention, M12, M13) ------------------------
def _axiom_sources(kg, s: str, p: str, o: str) -> set[str]:  # type: ignore[no-untyped-def]
    """The dcterms:source of every owl:Axiom annotating ``s p o`` (works for rdfs:subClassOf)."""
    q = f"""SELECT ?src WHERE {{ ?a a owl:Axiom ; owl:annotatedSource {s} ;
        owl:annotatedProperty {p} ; owl:annotatedTarget {o} ; dcterms:source ?src }}"""
    rows = kg.graph.query(q, initNs={"pvp": NS, "owl": str(OWL), "rdfs": str(RDFS),
                                     "dcterms": "http://purl.org/dc/terms/"})
    return {kg.terms.curie(str(r[0])) for r in rows}


def test_s2_has_no_invented_authors(kg):
    # neither the fact sheet nor the review gives an author list for S2: none may be made up
    s2 = URIRef(_iri(kg, "src:S2"))
    creator = URIRef("http://purl.org/dc/terms/creator")
    assert list(kg.graph.objects(s2, creator)) == []
    assert (s2, URIRef("http://purl.org/dc/terms/identifier"),
            Literal("doi:10.1186/s13018-019-1459-4")) in kg.graph


def test_kyphoplasty_is_an_augmentation_is_not_cited_to_the_free_trial(kg):
    srcs = _axiom_sources(kg, "pvp:BalloonKyphoplasty", "rdfs:subClassOf",
                          "pvp:VertebralAugmentation")
    assert "src:S10" not in srcs
    assert srcs == {"src:S4"}


@pytest.mark.parametrize(("measure", "expected"), [
    ("pvp:HighViscosityCementUse", {"src:S9"}),
    ("pvp:SlowInjectionUnderFluoroscopy", {"src:S9"}),
    ("pvp:StopInjectionAtPosteriorWallOrVeinFilling", {"src:unverified"}),
])
def test_leakage_prevention_is_not_cited_to_s2(kg, measure, expected):
    # S2 is a source for preventing pulmonary cement embolism, not for preventing leakage
    srcs = _sources(kg, "pvp:CementLeakage", "pvp:hasPreventiveMeasure", measure)
    assert "src:S2" not in srcs
    assert srcs == expected
    # the PCE prevention edges keep S2
    assert "src:S2" in _sources(kg, "pvp:PulmonaryCementEmbolism", "pvp:hasPreventiveMeasure",
                                "pvp:LimitCementVolume")


def test_m12_the_seed_needle_is_not_called_a_biopsy_needle(kg):
    needle = URIRef(_iri(kg, "pvp:BoneBiopsyNeedle"))
    assert {str(o) for o in kg.graph.objects(needle, RDFS.label)} == {"bone needle"}
    exact = URIRef("http://www.geneontology.org/formats/oboInOwl#hasExactSynonym")
    related = URIRef("http://www.geneontology.org/formats/oboInOwl#hasRelatedSynonym")
    assert "bone biopsy needle" not in {str(o) for o in kg.graph.objects(needle, exact)}
    assert "bone biopsy needle" in {str(o) for o in kg.graph.objects(needle, related)}
    assert "src:seed" in _sources(kg, "pvp:NeedleInsertionStep", "pvp:usesDevice",
                                  "pvp:BoneBiopsyNeedle")


def test_m13_improved_mobility_is_a_benefit_not_an_outcome(kg):
    benefit, outcome = URIRef(_iri(kg, "pvp:Benefit")), URIRef(_iri(kg, "pvp:ClinicalOutcome"))
    mob = URIRef(_iri(kg, "pvp:ImprovedMobility"))
    rep = URIRef(_iri(kg, "pvp:ReportedImprovedMobility"))
    assert (mob, RDFS.subClassOf, benefit) in kg.graph
    has_outcome = URIRef(_iri(kg, "pvp:hasOutcome"))
    assert (None, has_outcome, mob) not in kg.graph
    assert _sources(kg, PVP, "pvp:hasOutcome", "pvp:ImprovedMobility") == set()
    # the seed's outcome statement now points at a ClinicalOutcome class
    assert (rep, RDFS.subClassOf, outcome) in kg.graph
    assert (rep, RDFS.subClassOf, benefit) not in kg.graph
    assert "src:seed" in _sources(kg, PVP, "pvp:hasOutcome", "pvp:ReportedImprovedMobility")
    assert "src:seed" in _sources(kg, PVP, "pvp:hasBenefit", "pvp:ImprovedMobility")


def test_infection_severity_is_not_shown_as_a_leak_consequence(kg):
    """The Liao series counts deficits and deaths after *infection*; a cement-leakage answer
    must not show it under neurological deficit or death (it read as a leak mortality)."""
    a = kg.ask("Which complications relate to cement leakage?")
    assert "neurological deficit" in {c.label for c in a.concepts}
    assert "died within 6 months of the revision surgery" not in a.explanation
    about = {f.iri for f in kg.findings(about="spondylodiscitis")}
    assert any("FindingInfectionSeverityLiao" in iri for iri in about)

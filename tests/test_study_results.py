"""Studies and result directions (issue 10): a question naming a trial links the trial and
answers with its findings; a yes/no question about a study result is settled only by the
direction the graph records, and gets no verdict otherwise."""

from __future__ import annotations

import json

import pytest

from pvp_kg.studies import findings_of_study

PVP = "https://w3id.org/pvp-kg/"


def labels(a):  # type: ignore[no-untyped-def]
    return {c.label for c in a.concepts}


def names(a):  # type: ignore[no-untyped-def]
    """Every label, synonym and abbreviation of the answer's concepts, lower case."""
    return {n.lower() for c in a.concepts for n in (c.label, *c.synonyms, *c.abbreviations)}


# -- the typed API -------------------------------------------------------------------------------

def test_a_trial_is_a_concept_found_by_its_other_names(kg):
    for name in ("VERTOS 2", "VERTOS II", "the Buchbinder trial", "INVEST", "Kallmes 2009",
                 "VAPOUR", "Cochrane review"):
        c = kg.concept(name)
        assert "pvp:ClinicalStudy" in c.types, name
    assert kg.concept("VERTOS 2").iri == PVP + "StudyVertos2"


def test_finding_names_its_study_and_direction(kg):
    (f,) = [f for f in kg.findings(about="significant pain relief")
            if f.curie == "pvp:FindingInvestPainRelief"]
    assert f.study == "pvp:StudyInvest" and f.study_label == "INVEST trial"
    assert f.direction == ("pvp:NoBenefitOverSham",)
    assert f.direction_labels == ("no significant benefit over sham",)
    data = f.to_dict()
    assert data["study"] == "pvp:StudyInvest"
    assert data["direction"] == ["pvp:NoBenefitOverSham"]
    json.dumps(data)


def test_a_finding_without_a_stated_direction_has_none(kg):
    # the seed's 70-90 % has no comparator: nothing is recorded, nothing is made up
    seed = kg.terms.finding(PVP + "FindingSeedPainRelief")
    assert seed.direction == () and seed.study is None


def test_every_study_finding_cites_a_source(kg):
    for study in ("StudyInvest", "StudyVapour", "StudyVertos2", "StudyVertos4",
                  "StudyBuchbinder2009", "StudyCochrane2018"):
        found = findings_of_study(kg, PVP + study)
        assert found, study
        assert all(f.evidence for f in found), study


def test_findings_about_a_study_lists_its_findings(kg):
    found = {f.curie for f in kg.findings(about="VAPOUR")}
    assert {"pvp:FindingVapourPainRelief", "pvp:FindingVapourHospitalStay"} <= found
    assert all(kg.terms.finding(kg.terms.expand(c) or c).study == "pvp:StudyVapour"
               for c in found)


def test_findings_about_a_direction_lists_the_findings_that_came_out_that_way(kg):
    found = {f.curie for f in kg.findings(about="no significant difference from the comparator")}
    # the narrower "no significant benefit over sham" counts, through pvp:broaderDirection
    assert {"pvp:FindingInvestPainRelief", "pvp:FindingBuchbinderPainRelief",
            "pvp:FindingVertos4PainRelief", "pvp:FindingVertos2NewFracturesPvp"} <= found
    assert "pvp:FindingVapourPainRelief" not in found


# -- questions naming a trial --------------------------------------------------------------------

def test_trial_question_links_the_trial_and_lists_its_findings(kg):
    a = kg.ask("what did VAPOUR show?")
    assert not a.declined
    assert "VAPOUR trial" in labels(a)
    assert {f.curie for f in a.findings} >= {"pvp:FindingVapourPainRelief",
                                             "pvp:FindingVapourHospitalStay"}
    assert all(f.study == "pvp:StudyVapour" for f in a.findings)
    assert "significant benefit over sham" in labels(a)
    assert "44 % vs 21 %" in a.explanation
    assert "VAPOUR trial; result: significant benefit over sham" in a.explanation


@pytest.mark.parametrize("question", ["INVEST trial results?", "VERTOS IV outcome vs sham?"])
def test_negative_sham_trial_answers_name_no_significant_difference(kg, question):
    a = kg.ask(question)
    assert "no significant difference" in " ".join(names(a))
    assert "not better than sham" in names(a)


def test_trial_findings_about_the_asked_topic_come_first(kg):
    a = kg.ask("new vertebral fractures in VERTOS II?")
    assert "VERTOS II trial" in labels(a)
    assert a.findings[0].curie in {"pvp:FindingVertos2NewFracturesPvp",
                                   "pvp:FindingVertos2NewFracturesConservative",
                                   "pvp:FindingVertos2AdjacentFractures"}


def test_findings_shown_elsewhere_carry_their_study_and_direction(kg):
    # "does it work": the sham-controlled trials are among the concepts, with their results
    a = kg.ask("Is PVP better than a sham procedure?")
    assert {"INVEST trial", "VAPOUR trial"} <= labels(a)
    assert {"no significant benefit over sham", "significant benefit over sham"} <= labels(a)


# -- yes/no from the recorded direction ----------------------------------------------------------

def test_yes_from_a_recorded_benefit(kg):
    a = kg.ask("Did the VAPOUR trial show a benefit of vertebroplasty over placebo?")
    assert a.verdict == "yes"
    assert a.explanation.startswith("Yes:")
    assert a.findings[0].study == "pvp:StudyVapour"
    assert "pvp:BenefitOverSham" in a.findings[0].direction
    assert "src:S8" in {s.curie for s in a.sources}


def test_no_from_a_recorded_absence_of_benefit(kg):
    a = kg.ask("Did INVEST show vertebroplasty was significantly better than sham at 1 month?")
    assert a.verdict == "no"
    assert a.findings[0].curie == "pvp:FindingInvestPainRelief"
    assert "INVEST trial" in labels(a)
    assert "src:S16" in {s.curie for s in a.sources}


def test_no_for_a_difference_the_trial_did_not_find(kg):
    a = kg.ask("Did VERTOS II find that PVP causes more new vertebral fractures than "
               "conservative treatment?")
    assert a.verdict == "no"
    assert a.findings[0].study == "pvp:StudyVertos2"
    assert "no significant difference from the comparator" in labels(a)


def test_the_comparator_asked_about_decides_which_result_counts(kg):
    # the Sanli review beat conservative care, but not placebo
    assert kg.ask("Did the Sanli review find cement augmentation better than conservative "
                  "care?").verdict == "yes"
    assert kg.ask("Did the Sanli review find cement augmentation better than "
                  "placebo?").verdict == "no"
    # VERTOS II had no sham arm: nothing to say about sham
    assert kg.ask("Did VERTOS II show vertebroplasty was better than sham?").verdict is None


def test_a_mixed_result_gives_no_verdict(kg):
    a = kg.ask("Did INVEST show a benefit at 1 year?")
    assert a.verdict is None
    assert "mixed" in a.explanation
    assert a.findings[0].curie == "pvp:FindingInvestOneYear"


def test_a_time_point_with_no_recorded_result_gives_no_verdict(kg):
    a = kg.ask("Did VERTOS IV show vertebroplasty was better than sham at 2 weeks?")
    assert a.verdict is None
    assert "VERTOS IV trial" in labels(a)


def test_no_verdict_when_direction_absent(kg):
    # the Liao series records counts of infections, but no result against a comparator
    a = kg.ask("Did the Liao series show vertebroplasty was better than conservative care?")
    assert a.verdict is None
    assert "no result direction" in a.explanation
    assert a.findings and all(f.study == "pvp:StudyLiao2018" for f in a.findings)
    assert all(not f.direction for f in a.findings)


def test_a_claim_the_direction_cannot_settle_gives_no_verdict(kg):
    # a "no difference" result does not say whether the procedure was used with cement
    assert kg.ask("Did INVEST use cement?").verdict is None


def test_association_question_settled_by_the_finding_that_looked_for_it(kg):
    a = kg.ask("In the Al-Ali prospective series, did intradiscal cement leak predict "
               "adjacent-level fracture?")
    assert a.verdict == "no"
    assert a.findings[0].curie == "pvp:FindingAlAliDiscLeakAdjacentFracture"


def test_a_question_about_how_long_a_result_lasted_gets_no_verdict(kg):
    # VAPOUR's benefit at 14 days says nothing on whether it lasted
    a = kg.ask("Did VAPOUR show a lasting benefit?")
    assert a.verdict is None
    assert "how long" in a.explanation
    assert "VAPOUR trial" in labels(a)


def test_association_question_with_an_undirected_finding_gets_no_verdict(kg):
    # the cement-volume bands of the 3,175-patient series record no direction: no guess
    a = kg.ask("Is cement volume associated with pulmonary cement embolism?")
    assert a.verdict is None


@pytest.mark.parametrize(("question", "study"), [
    ("How common was culture-proven infection needing revision in the 5,749-patient PVP "
     "series?", "Liao 2018 series of infectious spondylitis after vertebroplasty"),
    ("what did the 357-patient series find?", "Al-Ali prospective vertebroplasty series"),
    ("How many deaths were attributed to vertebroplasty in the 987-patient malignancy "
     "review?", "systematic review of vertebroplasty in malignancy (2011)"),
])
def test_a_study_named_by_its_cohort_size_is_that_study(kg, question, study):
    """"the 5,749-patient series": the one study whose findings report that many patients;
    a number is never read as a typo of another ("357" is not "3,175")."""
    answer = kg.ask(question)
    assert not answer.declined
    assert study in answer.explanation
    assert "3,175-patient" not in answer.explanation.splitlines()[1]


def test_a_condition_naming_whom_a_trial_studied_is_no_topic_its_findings_lack(kg):
    """"in acute OVCF" says who was in VAPOUR; the trial's result settles the claim."""
    answer = kg.ask("Did VAPOUR show PVP beating placebo in acute OVCF?")
    assert answer.verdict == "yes"
    assert "significant benefit over sham" in answer.explanation.splitlines()[0]


@pytest.mark.parametrize("question", [
    "What happened to patients ten years after vertebroplasty in the long-term follow-up "
    "study?",
    "Long-term (10-year) outcomes after PVP?",
])
def test_a_way_of_asking_inside_a_findings_name_does_not_hide_the_finding(kg, question):
    """"after vertebroplasty" in "ten years after vertebroplasty" is no aftercare question."""
    answer = kg.ask(question)
    assert "53 % had new vertebral fractures" in answer.explanation.splitlines()[1]


@pytest.mark.parametrize(("question", "verdict"), [
    ("INVEST 2009 - significant RMDQ advantage over sham at 1 month?", "no"),
    ("VAPOUR - significant benefit over placebo?", "yes"),
    ("VERTOS IV: any benefit over sham?", "no"),
])
def test_a_trial_a_mark_and_a_result_is_a_yes_no_question(kg, question, verdict):
    assert kg.ask(question).verdict == verdict

"""Lay wording (ontology/lexicon.ttl, section "Lay wording (lay)"): questions as patients ask
them are read with the right concept and query, and a question from outside the domain that
borrows the same lay words is still declined."""

from __future__ import annotations

import pytest


def labels(a):  # type: ignore[no-untyped-def]
    return {c.label for c in a.concepts}


def test_the_cement_procedure_is_vertebroplasty(kg):
    a = kg.ask("what are the risks of the cement procedure?")
    assert a.intent == "complications"
    assert "cement leakage" in labels(a)


def test_waste_of_time_asks_whether_it_works(kg):
    a = kg.ask("is vertebroplasty a waste of time?")
    assert a.intent == "outcomes"
    assert not a.declined


def test_squashing_the_cord_is_cord_compression_and_its_cause(kg):
    a = kg.ask("how can the cement squash the spinal cord?")
    assert a.intent == "causes_of"
    assert "epidural cement leakage" in labels(a)


def test_pressing_too_hard_leads_to_rib_fracture(kg):
    a = kg.ask("what can happen if the doctor presses too hard on fragile bones?")
    assert a.intent == "risk_factor_effects"
    assert "rib fracture" in labels(a)


def test_after_theyve_injected_is_the_steps_after_injection(kg):
    a = kg.ask("what do they do after they've injected the cement?")
    assert a.intent == "steps_after"
    assert "cement hardening" in labels(a)


def test_paralysed_is_a_neurological_deficit(kg):
    a = kg.ask("can you be paralysed by vertebroplasty?")
    assert a.intent == "complications"
    assert a.verdict == "yes"
    assert "neurological deficit" in labels(a)


def test_would_they_still_do_it_on_a_healed_fracture_is_no(kg):
    a = kg.ask("my fracture has healed, would they still do vertebroplasty?")
    assert a.intent == "is_contraindication"
    assert a.verdict == "no"


def test_cement_allergy_in_lay_words_is_a_contraindication(kg):
    a = kg.ask("I am allergic to bone cement, can I still have vertebroplasty?")
    assert "bone cement allergy" in labels(a)
    assert a.verdict == "no"


def test_will_it_ease_the_pain_is_a_benefit(kg):
    a = kg.ask("will vertebroplasty take the pain away?")
    assert a.intent == "benefits"
    assert a.verdict == "yes"
    assert "rapid pain relief" in labels(a)


def test_needle_in_the_wrong_place_leads_to_nerve_injury(kg):
    a = kg.ask("what can happen if the needle goes in the wrong place?")
    assert a.intent == "complications_related_to"
    assert "nerve injury" in labels(a)


@pytest.mark.parametrize("abbreviation, label", [("DEXA", "bone densitometry"),
                                                 ("KP", "balloon kyphoplasty")])
def test_clinical_abbreviations(kg, abbreviation, label):  # type: ignore[no-untyped-def]
    assert kg.concept(abbreviation).label == label


@pytest.mark.parametrize("question", [
    "is a glue gun a waste of time for woodwork?",
    "will aspirin take the pain away from a headache?",
    "how can I squash a spider?",
])
def test_foreign_questions_with_lay_words_are_declined(kg, question):  # type: ignore[no-untyped-def]
    assert kg.ask(question).declined


def test_reducing_the_risk_of_a_complication_is_prevention(kg):
    a = kg.ask("what can be done to reduce the risk of cement leakage?")
    assert a.intent == "preventive_measures"
    assert "low-pressure cement injection" in labels(a)


def test_under_x_ray_guidance_is_fluoroscopy_not_a_guideline(kg):
    a = kg.ask("is vertebroplasty done under x-ray guidance?")
    assert a.intent == "imaging_guidance"
    assert a.verdict == "yes"
    assert "fluoroscopy" in labels(a)


def test_a_reason_they_wont_do_it_asks_for_a_contraindication(kg):
    a = kg.ask("is active infection a reason they won't do vertebroplasty?")
    assert a.intent == "is_contraindication"
    assert a.verdict == "yes"


def test_broken_is_a_form_of_break_in_a_name(kg):
    """"ribs get broken" names rib fracture (lex:WordSynonyms: 'broken' is a form of 'break',
    whose stems do not meet)."""
    a = kg.ask("how can my ribs get broken during vertebroplasty?")
    assert not a.declined
    assert "rib fracture" in a.explanation.splitlines()[0]
    assert "pressure on fragile bone during the procedure" in labels(a)


def test_moving_about_better_is_improved_mobility(kg):
    a = kg.ask("will i be able to move about better afterwards?")
    assert a.verdict == "yes"
    assert "improved mobility" in labels(a)


def test_a_cement_volume_band_names_its_finding(kg):
    a = kg.ask("what happens if you inject more than 7 mL of cement per level")
    assert not a.declined
    assert "symptomatic pulmonary cement embolism with more than 7 mL of cement" in {
        f.label for f in a.findings}
    assert "0.9 %" in a.explanation


def test_how_fast_asks_for_a_value(kg):
    a = kg.ask("how fast will the pain get better after the cement?")
    assert a.intent != "steps"
    assert "rapid pain relief" in labels(a)


def test_the_over_65s_are_the_elderly_review(kg):
    a = kg.ask("does cement augmentation help over-65s with OVCF?")
    assert not a.declined
    assert "Sanli 2020 systematic review of cement augmentation in the elderly" in a.explanation


def test_an_osteoporotic_fracture_is_the_osteoporotic_vertebral_fracture(kg):
    a = kg.ask("Is vertebroplasty used for osteoporotic fractures?")
    assert a.verdict == "yes"
    assert "osteoporotic vertebral compression fracture" in labels(a)


@pytest.mark.parametrize(("question", "verdict"), [
    ("Do they use a needle?", "yes"),
    ("Do they use a balloon in vertebroplasty?", "no"),  # a recorded negative fact
])
def test_do_they_use_x_asks_for_equipment(kg, question, verdict):
    assert kg.ask(question).verdict == verdict


def test_a_list_names_the_group_the_question_asks_for_first(kg):
    """"Which coag labs before PVP?": the assessments before the procedure, with the
    coagulation tests among them named first, in a line of their own."""
    a = kg.ask("Which coag labs before PVP?")
    assert a.intent == "pre_procedure_assessment"
    line = a.explanation.splitlines()[1]
    assert line.startswith("Of these, coagulation testing:")
    assert "platelet count" in line and "bone densitometry" not in line


def test_who_decides_asks_for_the_team(kg):
    a = kg.ask("My dad has cancer in his spine. Who should be involved in deciding if he gets "
               "vertebroplasty?")
    assert a.intent == "professionals"


@pytest.mark.parametrize("question", [
    "Why is vertebroplasty done?",
    "why would someone have vertebroplasty?",
])
def test_why_is_it_done_asks_for_the_indications(kg, question):
    a = kg.ask(question)
    assert not a.declined
    assert a.intent == "indications"


@pytest.mark.parametrize("question", [
    "how do you keep the cement from leaking during the injection",
    "how do they stop the cement from leaking?",
])
def test_keeping_the_cement_from_leaking_is_prevention(kg, question):
    """A concept named inside a matched phrase ("stop *the cement from leaking*") still fills
    the query's slot: the ways to prevent cement leakage, not a decline or its definition."""
    a = kg.ask(question)
    assert a.intent == "preventive_measures"
    assert "use of high-viscosity cement" in labels(a)


def test_a_typed_contraction_is_not_folded_as_a_british_spelling():
    """"oe" before d/m/s folds to "e" (oedema), but "doesnt" stays itself, so that it is
    read as "does not"."""
    from pvp_kg.lookup import normalise

    assert normalise("doesnt oedema oesophagus") == "doesnt edema esophagus"


@pytest.mark.parametrize(("question", "verdict"), [
    # "not allowed" asks whether it is a contraindication, not whether one may have it
    ("Does having osteoporosis mean she's not allowed to have vertebroplasty?", "no"),
    ("does an active infection mean she is not allowed to have vertebroplasty?", "yes"),
    ("Is she allowed to have vertebroplasty with an active infection?", "no"),
])
def test_a_negated_permission_asks_the_contraindication_itself(kg, question, verdict):
    assert kg.ask(question).verdict == verdict


@pytest.mark.parametrize(("question", "label"), [
    ("VERTOS II inclusion criteria?", "entry criteria of the VERTOS II trial"),
    ("Post-injection - what do you wait for before withdrawing the needle?", "needle removal"),
    ("The doctor said they might go in from one side or from both sides. What's the "
     "difference between those?", "unipedicular approach"),
])
def test_wording_met_in_the_sixth_split_is_understood(kg, question, label):
    answer = kg.ask(question)
    assert not answer.declined
    assert label in {c.label for c in answer.concepts}


@pytest.mark.parametrize("question", [
    "Does injecting a bigger volume of cement give better pain relief after PVP?",
    "Was cement volume linked to pain outcome in single-level PVP?",
    "In the Kaufmann 2006 study, did a larger cement volume give better pain relief?",
])
def test_a_study_that_found_no_association_answers_a_claim_of_benefit(kg, question):
    answer = kg.ask(question)
    assert answer.verdict == "no"
    assert "no association found" in answer.explanation.splitlines()[0]


def test_some_kind_of_imaging_to_steer_the_needle(kg):
    answer = kg.ask("do they use some kind of live xray to steer the neddle into the bone?")
    assert answer.verdict == "yes" and "fluoroscopy" in answer.explanation.splitlines()[0]


@pytest.mark.parametrize(("question", "verdict"), [
    ("Does plain vertebroplasty set out to restore the lost height of the vertebra the way "
     "kyphoplasty can?", "no"),   # a recorded negative fact
    ("Does kyphoplasty restore the lost height?", "yes"),
])
def test_restoring_height_in_lay_words(kg, question, verdict):
    assert kg.ask(question).verdict == verdict

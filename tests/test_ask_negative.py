"""Recorded negative facts, inherited consequences and readings that keep what was asked."""

from __future__ import annotations

import pytest

from pvp_kg.negatives import negative_facts, recorded_not


def test_negative_facts_are_read_with_their_evidence(kg):
    facts = recorded_not(kg, "pvp:PercutaneousVertebroplasty", "pvp:VertebralHeightRestoration")
    assert [kg.terms.curie(f.predicate) for f in facts] == ["pvp:hasBenefit"]
    assert all(f.evidence and f.evidence[0].source.curie for f in facts)
    # every negative fact carries a source
    assert all(f.evidence for f in negative_facts(kg))


def test_a_recorded_negative_fact_answers_no_with_its_source(kg):
    a = kg.ask("Does plain vertebroplasty aim to restore vertebral height?")
    assert a.verdict == "no"
    assert "src:unverified" in a.explanation
    b = kg.ask("Does plain vertebroplasty use an inflatable balloon?")
    assert b.verdict == "no" and "balloon tamp" in b.explanation


def test_the_named_procedure_is_kept_and_a_default_never_gets_a_negative(kg):
    # kyphoplasty does use the balloon: the question's procedure, not the default one
    a = kg.ask("does kyphoplasty use a baloon")
    assert a.verdict == "yes" and "balloon kyphoplasty" in a.explanation
    assert kg.ask("does kyphoplasty restore height").verdict == "yes"


def test_a_condition_that_causes_an_indication_is_not_a_contraindication(kg):
    a = kg.ask("Is osteoporosis a contraindication to vertebroplasty?")
    assert a.verdict == "no"
    assert "osteoporosis —causally upstream of" in a.explanation
    assert "osteoporotic vertebral compression fracture" in {c.label for c in a.concepts}
    # a recorded contraindication still gets its yes
    assert kg.ask("Is coagulopathy a contraindication to vertebroplasty?").verdict == "yes"


def test_a_kind_inherits_what_its_parent_itself_leads_to_with_the_path(kg):
    a = kg.ask("What does basivertebral vein leakage lead to?")
    labels = {c.label for c in a.concepts}
    assert "pulmonary cement embolism" in labels
    assert "basivertebral vein leakage —is a" in a.explanation
    assert "venous cement leakage —causally upstream of" in a.explanation


def test_a_kind_never_inherits_a_siblings_consequences(kg):
    # intradiscal leakage is a cement leakage; cement leakage leads to embolism only through
    # its venous kind, so the disc leak does not
    a = kg.ask("What can intradiscal cement leakage lead to?")
    assert "pulmonary cement embolism" not in {c.label for c in a.concepts}
    assert a.findings  # what the studies about it report instead


def test_what_is_recorded_as_not_passed_on_is_not_inherited(kg):
    a = kg.ask("what can asymptomatic pulmonary cement embolism lead to")
    assert "death related to the procedure" not in a.explanation
    assert "not cardiorespiratory failure" in a.explanation
    assert "src:Krueger2009" in a.explanation


def test_treatment_of_a_complication_after_the_procedure_is_its_treatment(kg):
    a = kg.ask("treatment of bacterial spondylitis after vertebroplasty")
    assert a.intent == "treatments"


def test_when_is_a_step_done_says_what_comes_before_it(kg):
    a = kg.ask("When is the needle removed during vertebroplasty?")
    assert a.intent == "steps_before" and not a.declined
    assert "Right before it: cement hardening" in a.explanation


def test_a_procedure_name_is_not_swallowed_into_a_device_name(kg):
    # "kyphoplasty is the balloon" is not the name "kyphoplasty balloon": the order is
    # kyphoplasty's, and the balloon is inflated first
    a = kg.ask("In kyphoplasty, is the balloon inflated before or after the cement goes in?")
    assert a.intent == "step_order"
    assert a.explanation.startswith("balloon inflation comes first")


def test_a_consequence_answer_says_what_it_may_need_with_the_path(kg):
    a = kg.ask("Consequences of a posterior leak into the canal?")
    assert "surgical decompression" in {c.label for c in a.concepts}
    assert "epidural cement leakage —treated by" in a.explanation
    # the consequences themselves stay the answer's items (ask() and the reasoner agree)
    assert "surgical decompression" not in {i.label for i in a.items}


def test_synonyms_of_a_concept_are_what_the_graph_records_about_it(kg):
    a = kg.ask("Synonyms and abbreviations for percutaneous vertebroplasty?")
    assert a.intent == "describe" and "PVP" in a.explanation


def test_an_adverb_of_frequency_does_not_change_the_form(kg):
    a = kg.ask("what usualy causes death after vertebroplasty")
    assert a.intent == "causes_of"


def test_is_a_kind_of_yes_with_the_is_a_chain(kg):
    a = kg.ask("Is PCE a kind of pulmonary embolism?")
    assert a.intent == "is_kind_of" and a.verdict == "yes"
    assert "pulmonary cement embolism —is a [src:S1]→ pulmonary embolism" in a.explanation


def test_is_a_kind_of_no_only_from_recorded_disjointness(kg):
    a = kg.ask("is vertebroplasty open surgery?")
    assert a.verdict == "no" and "disjoint" in a.explanation and "src:seed" in a.explanation
    # nothing recorded either way: no verdict, never a "No" from the missing edge
    b = kg.ask("is vertebroplasty a kind of kyphoplasty")
    assert b.verdict is None


def test_is_a_kind_of_is_not_read_inside_other_questions(kg):
    a = kg.ask("how is spondylitis after vertebral augmentation treated")
    assert a.intent == "treatments"
    assert kg.ask("Is osteoporosis a contraindication to vertebroplasty?").intent == \
        "is_contraindication"


def test_does_x_need_a_treatment_yes_and_a_recorded_no(kg):
    yes = kg.ask("is pulmonary cement embolism treated with anticoagulation?")
    assert yes.intent == "treatments" and yes.verdict == "yes"
    assert "as a treatment of pulmonary cement embolism" in yes.explanation
    no = kg.ask("does an asymptomatic cement embolism need anticoagulation")
    assert no.verdict == "no" and "src:Krueger2009" in no.explanation


def test_an_unexplained_word_before_the_concept_withholds_the_verdict(kg):
    # "elderly" is not understood: the verdict would be about every cement embolism
    a = kg.ask("does an elderly cement embolism need anticoagulation")
    assert a.verdict is None
    # a word of the concept's own name is no such qualifier
    assert kg.ask("Does plain vertebroplasty aim to restore vertebral height?").verdict == "no"


def test_a_kind_of_slot_skips_no_word_that_says_something(kg):
    # "a contraindication to PVP" does not make PVP the kind asked about
    a = kg.ask("Is anticoagulation a contraindication to PVP?")
    assert a.intent != "is_kind_of" and a.verdict is None


def test_two_close_guesses_from_lone_words_are_declined_naming_both(kg):
    # "transient" and "fever" each name only a word of longer names: no guess is answered
    a = kg.ask("What findings are there about transient fever?")
    assert a.declined
    assert "transient increase in pain" in a.explanation and "fever" in a.explanation
    # a guess with no close rival still answers
    assert not kg.ask("unipedicular vs bipedicular vertebroplasty?").declined


def test_common_or_rare_asks_how_often_and_gets_no_verdict(kg):
    # an edge says a complication can happen, not that it is common
    a = kg.ask("Is pulmonary embolism a common complication of vertebroplasty?")
    assert a.verdict is None and "not how often" in a.explanation


def test_a_yes_no_naming_a_complication_and_what_it_leads_to_shows_the_chain(kg):
    a = kg.ask("can the bone cement leak out and end up in my lungs?")
    assert a.verdict == "yes"
    assert "pulmonary cement embolism" in {i.label for i in a.items}
    assert "venous cement leakage —causally upstream of" in a.explanation


def test_eligibility_and_kind_of_wordings(kg):
    a = kg.ask("Can they use vertebroplasty on a spine fracture caused by osteoporosis?")
    assert a.intent == "indications" and a.verdict == "yes"
    b = kg.ask("Does plain vertebroplasty involve inflating a balloon inside the vertebral body?")
    assert b.verdict == "no" and "balloon inflation" in b.explanation
    assert kg.ask("is vertebroplasty a big open back operation").verdict == "no"


def test_what_can_cause_and_work_up_wordings(kg):
    assert kg.ask("What can cause death after vertebroplasty?").intent == "causes_of"
    a = kg.ask("Which imaging tests are used to work someone up before a vertebroplasty?")
    assert a.intent == "pre_procedure_assessment"


def test_a_value_question_left_unexplained_is_not_every_finding_of_the_procedure(kg):
    a = kg.ask("how soon after vertebroplasty can I have sex again")
    assert a.declined and "soon" in a.explanation


def test_good_things_and_effect_on_wordings_read_as_benefits(kg):
    a = kg.ask("What are the good things about getting the cement injection into my back bone?")
    assert a.intent == "benefits"
    b = kg.ask("effect of PVP on further collapse of the treated level")
    assert b.intent == "benefits"
    assert "less further collapse of the treated vertebra" in {c.label for c in b.concepts}


def test_causes_of_a_condition_in_lay_words(kg):
    a = kg.ask("what causes the kind of back bone fractures that vertebroplasty treats")
    assert a.intent == "causes_of"
    assert {"osteoporosis", "spinal trauma"} <= {c.label for c in a.concepts}


def test_a_comparator_naming_several_arms_gives_no_direction(kg):
    # the meta-analysis' comparator value (2.66) is non-surgical care's, not kyphoplasty's
    a = kg.ask("PVP vs BKP: how do they compare?")
    assert "than with balloon kyphoplasty (2.66" not in a.explanation
    # a two-arm finding still says which is higher, and what its values count
    assert "counting patients with back pain" in a.explanation


def test_a_trial_answer_says_who_or_what_was_studied(kg):
    a = kg.ask("How many trials did the 2018 Cochrane review of vertebroplasty include?")
    assert a.explanation.startswith("Studied: 21 randomised trials")


def test_a_guess_with_words_left_over_is_not_answered_as_a_yes_no(kg):
    a = kg.ask("what is cementoplasty, is it just another word for vertebroplasty?")
    assert a.verdict is None
    assert "new vertebral fracture" not in {c.label for c in a.concepts}
    # "cementoplasty" is a name of the procedure: what it is, with its names
    assert a.explanation.startswith("percutaneous vertebroplasty: ")
    assert "cementoplasty" in a.explanation.splitlines()[1]


def test_guidelines_on_a_device_come_from_the_report_cited_for_it(kg):
    a = kg.ask("ASBMR view on KIVA and vertebral body stenting?")
    assert not a.declined
    assert "the report the graph cites for it (src:Asbmr2019)" in a.explanation
    assert "ASBMR 2019" in a.explanation


def test_does_the_pain_relief_last_finds_the_lasting_improvement(kg):
    a = kg.ask("is the pain relief from vertebroplasty long lasting")
    assert a.verdict == "yes"
    assert "lasting pain and quality-of-life improvement" in {c.label for c in a.concepts}


def test_the_order_of_anticoagulation_for_a_cement_embolus(kg):
    a = kg.ask("Symptomatic central PCE: order of anticoagulation?")
    assert [i.label for i in a.items] == ["initial heparin", "about six months of coumarin"]
    assert "src:Krueger2009" in a.explanation


def test_a_trial_answer_shows_what_its_report_backs_on_the_topic(kg):
    a = kg.ask("Which local anaesthetic agents were used in VERTOS IV?")
    assert {"lidocaine", "bupivacaine"} <= {c.label for c in a.concepts}
    assert "local anaesthesia —has input [src:S18]→ lidocaine" in a.explanation


def test_who_is_a_good_candidate_lists_the_selection_criteria(kg):
    a = kg.ask("Describe the clinical picture of an ideal vertebroplasty candidate.")
    assert a.intent == "selection_criteria"
    labels = {c.label for c in a.concepts}
    assert {"spinous process tenderness", "focal midline back pain"} <= labels
    rows = kg.sparql("selection_criteria")
    assert len(rows) == len(a.items)


def test_a_good_candidate_answer_adds_what_guidelines_require(kg):
    a = kg.ask("what makes someone a good candidate for vertebroplasty?")
    assert "NICE 2013 requires: recent unhealed vertebral fracture [src:NiceTa279]" in a.explanation
    assert "NICE 2008 excludes: metastatic spinal cord compression" in a.explanation


def test_an_item_kind_is_shown_by_its_label_never_an_iri(kg):
    a = kg.ask("what aftercare is needed after vertebroplasty")
    assert "https://" not in a.explanation.split("(Read as")[0]
    assert "avoid bending (activity restriction)" in a.explanation


def test_most_or_all_cases_are_settled_only_by_a_recorded_usual_course(kg):
    a = kg.ask("does cement leakage usually cause symptoms?")
    assert a.verdict == "no" and "has usual course [src:S2]" in a.explanation
    assert kg.ask("Is cement leakage usually asymptomatic?").verdict == "yes"
    assert kg.ask("Do most vertebral haemangiomas need treatment?").verdict == "no"
    assert kg.ask("Does every cement leak need treatment?").verdict == "no"
    # most are silent does not settle whether all are
    assert kg.ask("are all cement leaks harmless?").verdict is None
    # with no recorded course, still no verdict for "usually"
    assert kg.ask("Is pulmonary embolism a common complication of vertebroplasty?").verdict is None


def test_two_names_of_one_concept_are_not_a_kind_of_question(kg):
    # both names link to the prophylactic-treatment contraindication: "is X a kind of X?"
    # would be a trivial Yes; the question asks whether it is an indication
    a = kg.ask("Is prophylactic augmentation of unfractured osteoporotic vertebrae an accepted "
               "indication?")
    assert a.verdict == "no" and "as a contraindication" in a.explanation


def test_a_question_naming_only_a_finding_gets_that_finding(kg):
    a = kg.ask("Why does most osteoporotic fracture pain settle without any procedure?")
    assert not a.declined
    assert any("6 to 8 weeks" in (f.summary or "") for f in a.findings)


def test_breathlessness_after_the_procedure_is_traced_to_cement_embolism(kg):
    a = kg.ask("my dad had vertebroplasty yesterday and now he's suddenly short of breath, "
               "what could be causing that??")
    assert a.intent == "causes_of"
    assert "pulmonary cement embolism" in {c.label for c in a.concepts}


def test_safer_from_a_preventive_measure_against_a_risk_factor(kg):
    a = kg.ask("is the thick cement safer than the runny kind?")
    assert a.verdict == "yes" and "a way to prevent cement leakage" in a.explanation
    assert kg.ask("is runny cement safer than thick cement?").verdict == "no"
    assert kg.ask("is low viscosity cement riskier than high viscosity cement?").verdict == "yes"


def test_the_headline_answer_lists_treatments_only_of_the_concept_and_its_kinds(kg):
    a = kg.ask("Which complications relate to cement leakage?")
    need = a.explanation.split("What it may need")[1].split("(Read as")[0]
    # most leaks need none, said first, with its source
    assert need.index("usually nothing") < need.index("surgical decompression")
    assert "has usual course [src:S2]" in need
    # a consequence's own treatment (anticoagulation of an embolus) is not the leak's
    assert "anticoagulation therapy" not in need and "conservative therapy" not in need
    # every treatment line is backed by its own sourced edge from the concept or a kind
    assert "epidural cement leakage —treated by [src:S2]→ surgical decompression" in need


def test_a_qualifier_that_is_a_word_of_the_concepts_kind_is_understood(kg):
    """"active discitis": discitis is recorded as an active infection, so "active" is no
    unexplained word, and the concept named in full is the one checked."""
    answer = kg.ask("Does active discitis at the target level contraindicate VP?")
    assert answer.verdict == "yes"
    assert "discitis" in {c.label for c in answer.concepts}


@pytest.mark.parametrize("question", [
    "Can vertebroplasty be used in multiple myeloma?",
    "Can vertebroplasty be used in myeloma of the spine?",
])
def test_an_indication_asked_in_other_words_is_never_denied_by_default(kg, question):
    """The confident wrong "No" fresh3 caught: read by default as "is it a contraindication",
    the opposite role (an indication) gave "No". A reading no way of asking chose is never
    answered No from its opposite role; "used in" is a way of asking for an indication."""
    answer = kg.ask(question)
    assert answer.verdict != "no"
    assert answer.verdict == "yes"
    assert "multiple myeloma of the spine" in {c.label for c in answer.concepts}


@pytest.mark.parametrize(("question", "verdict", "kind"), [
    ("Is radicular pain an absolute contraindication to vertebroplasty?", "no", "relative"),
    ("Is uncorrectable coagulopathy a relative contraindication to vertebroplasty?", "no",
     "absolute"),
    ("Is radicular pain a relative contraindication?", "yes", "relative"),
    ("Is uncorrectable coagulopathy an absolute contraindication?", "yes", "absolute"),
])
def test_the_kind_of_contraindication_asked_for_is_checked(kg, question, verdict, kind):
    """A relative contraindication is not confirmed as an absolute one (it was: "Yes: … is a
    relative contraindication"); the recorded kind says No."""
    answer = kg.ask(question)
    assert answer.verdict == verdict
    assert f"{kind} contraindication" in answer.explanation.splitlines()[0]

"""A yes/no question that claims more than a recorded edge says gets no Yes.

Found by asking adversarial questions of the kind a sealed evaluation may hold: each was
answered "Yes" from an edge that does not settle it.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("question", "word"), [
    ("Is fluoroscopy never used in vertebroplasty?", "never"),       # a negation
    ("Is PMMA the only cement used in vertebroplasty?", "only"),      # exclusive
    ("Is cement leakage the main complication of vertebroplasty?", "main"),
    ("Is infection the most common complication of vertebroplasty?", None),
    ("Is infection a common complication?", "common"),  # a kind, not how often
])
def test_a_claim_beyond_the_edge_gets_no_verdict(kg, question, word):
    answer = kg.ask(question)
    assert answer.verdict is None
    assert not answer.declined
    if word:
        assert repr(word) in answer.explanation.splitlines()[0]


def test_a_role_the_confirmed_concept_is_not_of_gets_no_yes(kg):
    """"Is pain relief a complication?": recorded as an outcome, which is not a Yes."""
    answer = kg.ask("Is pain relief a complication of vertebroplasty?")
    assert answer.verdict is None
    assert "complication" in answer.explanation.splitlines()[0]


@pytest.mark.parametrize(("question", "verdict"), [
    ("Is fluoroscopy used in vertebroplasty?", "yes"),
    ("Is PMMA the cement most often used in vertebroplasty?", "yes"),  # standard technique
    ("Is cement leakage a complication of vertebroplasty?", "yes"),
    ("Is a healed fracture the only indication for vertebroplasty?", "no"),  # a No stands
    ("my fracture is old and healed and doesnt hurt anymore, would they still do "
     "vertebroplasty on it?", "no"),  # the negation describes the patient
])
def test_the_guards_leave_what_the_edge_settles(kg, question, verdict):
    assert kg.ask(question).verdict == verdict


def test_a_contracted_negation_is_a_phrase_not_the_word_do(kg):
    """"dont" is spelt "do not": the lexicon's negation class must not hold "do" alone
    (every "do …?" question would read as negated)."""
    from pvp_kg.nlu import index_for

    lexicon = index_for(kg).lexicon
    assert "do" not in lexicon.words["negation"]
    assert ("do", "not") in lexicon.phrases["negation"]
    assert kg.ask("Do they use fluoroscopy during vertebroplasty?").verdict == "yes"


@pytest.mark.parametrize(("question", "verdict"), [
    ("Is NICE against vertebroplasty?", "no"),        # all of NICE's are in favour
    ("Is the ASBMR against vertebroplasty?", "yes"),  # the ASBMR's one is against
    ("Does NICE recommend vertebroplasty?", "yes"),
])
def test_against_asks_the_opposite_of_recommend(kg, question, verdict):
    """"Is NICE against it?" was answered "Yes, … all in favour"."""
    assert kg.ask(question).verdict == verdict


def test_no_no_from_an_opposite_role_of_a_one_word_guess(kg):
    """"severe heart *disease*" once guessed a tumour from "disease" and answered No (a tumour
    is an indication); the meaning the question's other words point to is taken, and a lone
    word's guess never gives a No from the opposite role."""
    answer = kg.ask("Is severe heart disease a contraindication to vertebroplasty?")
    assert answer.verdict != "no"
    assert "malignant vertebral tumour" not in {c.label for c in answer.concepts}


def test_is_a_kind_of_reads_the_question_in_its_order(kg):
    """"Is bone cement a kind of PMMA?" was answered "Yes: … PMMA bone cement as a kind of
    bone cement" (the reading with the names swapped)."""
    assert kg.ask("Is bone cement a kind of PMMA?").verdict is None
    assert kg.ask("Is PMMA a kind of bone cement?").verdict == "yes"


@pytest.mark.parametrize("question", [
    "Is MRI needed before vertebroplasty?",
    "Is an MRI done before the procedure?",
])
def test_a_scan_before_the_procedure_is_an_assessment(kg, question):
    answer = kg.ask(question)
    assert answer.verdict == "yes"
    assert answer.intent == "pre_procedure_assessment"


@pytest.mark.parametrize(("question", "verdict"), [
    ("The scan after my dad's procedure showed a bit of cement had got outside the bone. Is "
     "it true that most of these leaks don't actually cause any harm?", "yes"),
    ("They found a tiny cement leak on my scan but I feel completely fine. Does every leak "
     "have to be treated?", "no"),
])
def test_harm_and_treatment_of_most_or_every_leak_from_its_usual_course(kg, question, verdict):
    answer = kg.ask(question)
    assert answer.verdict == verdict
    assert "usual course" in answer.explanation.splitlines()[0]


def test_the_named_condition_the_answer_holds_is_the_one_checked(kg):
    """Osteoporosis is named first, but the unfractured vertebra is what the graph records
    (a contraindication): the answer speaks of that one, and gives no Yes to the osteoporosis
    reading."""
    answer = kg.ask("My sister has osteoporosis but hasn't broken anything in her spine yet. "
                    "Could they do vertebroplasty now just to stop her getting fractures later?")
    assert answer.verdict != "yes"
    assert "unfractured osteoporotic vertebra" in answer.explanation.splitlines()[0]


def test_still_needing_what_a_benefit_reduces_gets_no_yes(kg):
    answer = kg.ask("Will I still need painkillers after vertebroplasty?")
    assert answer.verdict is None
    assert "still needed" in answer.explanation.splitlines()[0]


@pytest.mark.parametrize(("question", "verdict"), [
    ("Does AAOS 2010 support VP for a neurologically intact pt with a symptomatic osteoporotic "
     "compression fx?", "no"),
    ("Does NICE support vertebroplasty?", "yes"),
])
def test_support_of_a_procedure_asks_the_guidelines(kg, question, verdict):
    answer = kg.ask(question)
    assert answer.verdict == verdict and "recommendation" in answer.explanation.splitlines()[0]


def test_support_of_a_thing_is_no_guideline_question(kg):
    assert "Guideline" not in kg.ask("Does the cement support the vertebra?").explanation


def test_meaningful_is_read_as_significant(kg):
    answer = kg.ask("Did the second ASBMR task force find a clinically meaningful benefit of "
                    "vertebroplasty over placebo?")
    assert answer.verdict == "no" and "ASBMR" in answer.explanation.splitlines()[0]


def test_the_complication_named_before_and_the_treatment_asked_after(kg):
    answer = kg.ask("Asymptomatic peripheral PCE on post-op CT — do these patients need "
                    "anticoagulation?")
    assert answer.verdict == "no"  # a recorded negative fact (Krueger 2009)
    assert "asymptomatic pulmonary cement embolism" in answer.explanation.splitlines()[0]


@pytest.mark.parametrize(("question", "verdict"), [
    ("Is MRI used to show whether a vertebral fracture is recent?", "yes"),
    ("Can a chest x-ray detect PCE?", "yes"),
    ("Does CT detect posterior wall involvement?", "yes"),
])
def test_what_a_test_detects_asked_yes_or_no(kg, question, verdict):
    answer = kg.ask(question)
    assert answer.verdict == verdict
    assert "a test that detects" in answer.explanation.splitlines()[0]


def test_a_test_not_recorded_for_it_gets_no_no(kg):
    """Diagnosis edges record what a test shows, not all it could show."""
    assert kg.ask("Can MRI detect cement leakage?").verdict != "no"

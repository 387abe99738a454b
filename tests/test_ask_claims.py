"""Yes/no questions settled by a recorded fact their reading did not reach (pvp_kg/claims.py).

- What the first vertebroplasty treated: the finding's ``pvp:studiedCondition``.
- What the procedure does not take the place of: its aftercare advice's
  ``pvp:continuedTreatment`` (cancer treatment goes on after the cement).
"""

from __future__ import annotations

import pytest

from .helpers import curies


def source_curies(answer):
    return {s.curie for s in answer.sources}


@pytest.mark.parametrize(("question", "verdict"), [
    ("Was the first vertebroplasty done for a haemangioma?", "yes"),
    ("Was the first vertebroplasty done for a tumour?", "yes"),  # a kind the lesion is of
    ("Was the very first vertebroplasty done for an osteoporotic fracture?", "no"),
    ("Was the first vertebroplasty done for a malignant tumour?", "no"),  # a benign lesion
    ("Was the first ever vertebroplasty done to treat a tumour rather than osteoporosis?", "yes"),
    ("Is it true that the very first vertebroplasty was done for a haemangioma and not for "
     "osteoporosis?", "yes"),
    ("Was the first vertebroplasty done for osteoporosis rather than a tumour?", "no"),
])
def test_what_the_first_vertebroplasty_treated(kg, question, verdict):
    answer = kg.ask(question)
    assert answer.verdict == verdict
    assert "pvp:SymptomaticVertebralHaemangioma" in curies(answer.concepts)
    assert "studied condition" in answer.explanation
    assert "src:Pmc4757276" in source_curies(answer)


def test_a_condition_more_precise_than_the_recorded_one_is_not_settled(kg):
    """The report records an aggressive haemangioma; one of C2 in a child is not recorded."""
    answer = kg.ask("Was the first vertebroplasty done for a haemangioma with epidural "
                    "extension?")
    assert answer.verdict != "yes"


def test_a_negated_question_about_the_first_case_gets_no_verdict_from_it(kg):
    answer = kg.ask("Wasn't the first vertebroplasty done for osteoporosis?")
    assert "studied condition" not in answer.explanation


def test_the_value_question_names_the_condition_treated(kg):
    answer = kg.ask("What year was the first vertebroplasty reported?")
    assert "1987" in answer.explanation
    assert "pvp:SymptomaticVertebralHaemangioma" in curies(answer.concepts)


@pytest.mark.parametrize("question", [
    "will the cement injection kill the myeloma in my spine?",
    "Does cementoplasty replace tumour-directed therapy in cancer patients?",
    "does vertebroplasty mean i dont need radiotherapy or other cancer treatment anymore",
    "I have cancer in my spine. If they put the cement in, does that treat the cancer so I "
    "can skip the radiotherapy?",
    "If I've got cancer in my spine, does the cement injection get rid of the tumour so I "
    "can skip radiotherapy?",
])
def test_the_cement_does_not_take_the_place_of_cancer_treatment(kg, question):
    answer = kg.ask(question)
    assert answer.verdict == "no"
    assert not answer.declined
    assert {"pvp:ContinueTumourDirectedTherapy", "pvp:TumourDirectedTherapy"} <= curies(
        answer.concepts)
    assert "src:NiceCg75" in source_curies(answer)
    assert "continued treatment" in answer.explanation


@pytest.mark.parametrize("question", [
    "does vertebroplasty treat myeloma?",               # an indication: Yes, not this No
    "Can vertebroplasty be used in multiple myeloma?",
])
def test_treating_the_pain_of_a_tumour_is_still_an_indication(kg, question):
    answer = kg.ask(question)
    assert answer.verdict == "yes"
    assert "continued treatment" not in answer.explanation


@pytest.mark.parametrize("question", [
    "Does kyphoplasty replace vertebroplasty?",         # no aftercare says either goes on
    "Will the cement kill the pain?",                    # pain is no disease treated after it
    "Does vertebroplasty cure osteoporosis?",
])
def test_no_no_without_the_recorded_treatment_that_goes_on(kg, question):
    answer = kg.ask(question)
    assert answer.verdict != "no" or "continued treatment" not in answer.explanation
    assert "continued treatment" not in answer.explanation


def test_a_lone_cancer_is_not_taken_for_the_vertebral_kind(kg):
    """"tumour" alone names the vertebral tumour (above); "liver cancer" names none."""
    assert kg.ask("What's the success rate of radiofrequency ablation for liver "
                  "cancer?").declined


@pytest.mark.parametrize(("question", "verdict"), [
    ("Is it normally done with a local anaesthetic, maybe with something to relax me, rather "
     "than being put fully to sleep?", "yes"),
    ("Is vertebroplasty normally done with a local anaesthetic instead of putting you fully to "
     "sleep?", "yes"),
    # a part of every case set against a procedure recorded as disjoint from it
    ("Is it done with a needle through the skin instead of cutting my back open?", "yes"),
])
def test_one_way_of_doing_it_rather_than_another(kg, question, verdict):
    answer = kg.ask(question)
    assert answer.verdict == verdict
    assert "a part of every percutaneous vertebroplasty" in answer.explanation.splitlines()[0]


def test_rather_than_without_recorded_parts_gives_no_verdict_from_them(kg):
    answer = kg.ask("Is it done in an operating theatre rather than a clinic?")
    assert "a part of every" not in answer.explanation


def test_a_lone_verb_of_a_lay_phrase_names_nothing(kg):
    """"putting" is a word of "putting you fully to sleep" only: "before putting the cement
    in" does not name general anaesthesia."""
    answer = kg.ask("why would they want to do a biopsy before putting the cement in?")
    assert "general anaesthesia" not in {c.label for c in answer.concepts}


def test_still_needing_the_cancer_treatment_is_the_same_record_asked_the_other_way(kg):
    answer = kg.ask("My husband's cancer has spread to his spine. If he has the cement "
                    "injection, will he still need his other cancer treatment like "
                    "radiotherapy?")
    assert answer.verdict == "yes"
    assert "continued treatment" in answer.explanation


@pytest.mark.parametrize(("question", "kind"), [
    ("Can post-vertebroplasty spondylitis be tuberculous?",
     "tuberculous spondylitis after vertebral augmentation"),
    ("Can PCE be asymptomatic?", "asymptomatic pulmonary cement embolism"),
])
def test_can_x_be_y_from_a_recorded_kind_named_by_the_word(kg, question, kind):
    answer = kg.ask(question)
    assert answer.verdict == "yes"
    assert answer.explanation.startswith(f"Yes: the graph records {kind} as a kind of")


def test_no_kind_named_by_the_word_gives_no_no(kg):
    assert kg.ask("Can vertebroplasty be painful?").verdict != "no"

"""Robust understanding: wording the lexicon has not seen (pvp_kg.nlu / respond, lexicon.ttl).

Each test is a behaviour a user relies on: an in-scope question is not declined for a common
or domain word the graph has no term for; a question about something outside the domain is
still declined; a verdict is given only when the way of asking placed the concept.
"""

from __future__ import annotations

from pvp_kg.answer import answer
from pvp_kg.nlu import understand

PVP = "https://w3id.org/pvp-kg/"


def labels(a):  # type: ignore[no-untyped-def]
    return {c.label for c in a.concepts}


# -- unknown words that do not put a question out of scope ------------------------------------

def test_a_word_of_the_domain_without_a_term_does_not_decline(kg):
    # "mechanism" names nothing in the graph, but the fact sheet speaks of mechanisms
    a = answer(kg, "What is the mechanism of pulmonary cement embolism?")
    assert not a.declined
    assert "venous cement leakage" in labels(a)


def test_a_common_word_of_asking_keeps_the_verdict(kg):
    a = answer(kg, "Is fat embolism a recognised complication of vertebroplasty?")
    assert a.verdict == "yes"


def test_a_family_word_is_filler_and_the_condition_may_come_first(kg):
    # "can he still have it" with the condition said before: a permission question
    a = answer(kg, "My father has sepsis right now; can he still have vertebroplasty?")
    assert a.verdict == "no"
    assert "active infection" in labels(a)


def test_ok_to_have_it_with_a_contraindication_is_no(kg):
    a = answer(kg, "is it ok to have PVP if they've found an active infection?")
    assert a.verdict == "no"


def test_a_contraction_without_apostrophe_is_understood(kg):
    u = understand(kg, "what happens after theyve injected the cement?")
    assert u.unknown == [] and u.soft == []
    assert not answer(kg, "what happens after theyve injected the cement?").declined


def test_a_condition_treated_with_the_procedure_is_an_indication_question(kg):
    a = answer(kg, "Can a spinal tumour be treated with vertebroplasty?")
    assert a.intent == "indications"
    assert a.verdict == "yes"


def test_plural_in_ches_is_singular(kg):
    a = answer(kg, "which approaches are used to get the needle in?")
    assert a.intent == "needle_approaches"
    assert "transpedicular approach" in labels(a)


# -- foreign questions still declined ---------------------------------------------------------

def test_a_foreign_procedure_is_still_declined(kg):
    for q in ("What are the complications of knee arthroscopy?",
              "What are the complications of a hip replacement?"):
        a = answer(kg, q)
        assert a.declined, q
        assert a.concepts == ()


def test_a_typo_link_keeps_the_first_letter(kg):
    # "replacement" is not a misspelt "placement" (needle placement)
    u = understand(kg, "What are the complications of a hip replacement?")
    assert "replacement" in u.tokens
    assert all(s.iri != PVP + "NeedleInsertionStep" for s in u.spans)


def test_a_domain_word_alone_does_not_make_a_foreign_question_answerable(kg):
    # "lumbar" belongs to the domain, but nothing of the graph is named: declined
    a = answer(kg, "how do they do a lumbar puncture step by step")
    assert a.declined


# -- verdicts only where the question placed the concept --------------------------------------

def test_a_word_qualifying_the_checked_concept_withholds_the_verdict(kg):
    a = answer(kg, "Is lumbar cement leakage a complication of vertebroplasty?")
    assert not a.declined
    assert a.verdict is None
    assert "lumbar" in a.explanation


def test_a_plain_phrase_with_a_word_not_understood_gives_no_verdict(kg):
    # "does X cause symptoms?" is not "is X a complication?"
    # (for cement leakage a recorded usual course settles it; fat embolism has none)
    a = answer(kg, "does fat or marrow embolism usually cause symptoms after the procedure?")
    assert a.verdict is None


# -- linking --------------------------------------------------------------------------------

def test_a_way_of_asking_never_borrows_a_word_of_a_concept_name(kg):
    # "what cement" (the injected material) is not asked in "what cement leakage is"
    a = answer(kg, "explain what cement leakage is")
    assert a.intent != "injected_material"
    assert "cement leakage" in labels(a)


def test_a_gapped_match_never_jumps_over_another_name(kg):
    u = understand(kg, "What should be tried before vertebral augmentation for an "
                       "osteoporotic fracture?")
    assert all(s.iri != PVP + "VertebralFracture" for s in u.spans)
    assert any(s.iri == PVP + "VertebralAugmentation" for s in u.spans)


def test_a_word_of_the_checked_concepts_own_name_keeps_the_verdict(kg):
    # "bone" belongs to "bone cement leakage": it adds nothing to what is asked
    a = answer(kg, "can the cement leak out of the bone?")
    assert a.verdict == "yes"
    assert "cement leakage" in labels(a)


# -- the reading that fits the concept --------------------------------------------------------

def test_a_cause_question_takes_the_complication_reading_of_a_word(kg):
    # "infection" may name the condition (a contraindication) or the complication; the
    # causes are recorded for the complication
    a = answer(kg, "What causes infection after PVP?")
    assert a.intent == "causes_of"
    assert "breach of sterility" in labels(a)


def test_a_cause_question_never_falls_back_to_a_list_of_complications(kg):
    a = answer(kg, "what causes bleeding after vertebroplasty")
    assert a.intent != "complications"
    assert "cement leakage" not in labels(a)


def test_a_bare_concept_name_says_what_the_graph_records_about_it(kg):
    a = answer(kg, "anything I should know about balloon kyphoplasty")
    assert not a.declined
    assert a.intent == "describe"
    assert "balloon kyphoplasty" in labels(a)
    assert a.confidence is not None and a.confidence < 0.9


def test_a_bare_concept_name_with_a_foreign_word_is_still_declined(kg):
    assert answer(kg, "best mattress for osteoporosis").declined


def test_a_gapped_name_never_runs_across_a_new_clause(kg):
    u = understand(kg, "in balloon kyphoplasty when is the balloon inflated?")
    assert all("when" not in s.text.split() for s in u.spans)

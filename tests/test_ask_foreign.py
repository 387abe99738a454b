"""Foreign topics that borrow the domain's words are declined; typos and units are not foreign."""

from __future__ import annotations

import pytest

from pvp_kg.nlu import understand


@pytest.mark.parametrize("question", [
    # "hip" is known only through a concept held as context (cemented hip arthroplasty)
    "Which NICE advice covers surgery for a broken hip?",
    "How long should I wait after a hip fracture operation?",
    # a gapped name ("spinal … disc") does not run across a word the graph does not know
    "How successful is spinal fusion for degenerative disc problems?",
])
def test_foreign_topic_with_domain_words_is_declined(kg, question):
    answer = kg.ask(question)
    assert answer.declined, answer.explanation


def test_one_letter_typo_in_a_six_letter_word_is_corrected(kg):
    answer = kg.ask("what are the risk facters for cement leakage")
    assert not answer.declined
    assert answer.query == "risk_factors"
    assert any("viscosity" in c.label for c in answer.concepts)


def test_units_of_measure_are_not_unknown_words(kg):
    u = understand(kg, "is 4 ml of cement per level a lot, or 10 mm of needle")
    assert "ml" not in u.unknown and "mm" not in u.unknown

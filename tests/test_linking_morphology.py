"""Linking words to concepts in general (pvp_kg/lookup.py ``stem``/``loose_key``, nlu
``_link``): a name is recognised in its inflected, derived, hyphenated, run-together and
turned-round forms without a lexicon entry for each form; a generic word does not link to one
specific concept; out-of-scope questions that borrow the domain's words are still declined."""

from __future__ import annotations

import pytest

from pvp_kg import nlu
from pvp_kg.lookup import loose_key, stem


def linked(kg, question: str) -> set[str]:  # type: ignore[no-untyped-def]
    """Labels of the concepts the chosen spans of ``question`` name (first IRI of each)."""
    return {kg.terms.label(s.iri) for s in nlu.understand(kg, question).spans}


@pytest.mark.parametrize("family", [
    ("leak", "leaks", "leaking", "leaked", "leakage"),
    ("osteoporosis", "osteoporotic"),
    ("metastasis", "metastatic"),
    ("embolus", "emboli", "embolism", "embolic"),
    ("anesthesia", "anesthetic"),
    ("paralysis", "paralyzed"),
    ("infection", "infected", "infectious"),
    ("kyphoplasty", "kyphoplastic"),
    ("vertebra", "vertebrae", "vertebral"),
    ("stabilization", "stabilize", "stabilized"),
])
def test_a_word_family_shares_one_stem(family: tuple[str, ...]) -> None:
    assert len({stem(w) for w in family}) == 1, {w: stem(w) for w in family}


@pytest.mark.parametrize(("one", "other"), [
    ("embolization", "embolism"),   # a treatment is not the complication
    ("painless", "pain"),           # a negation is kept
    ("operator", "operation"),
])
def test_different_meanings_keep_different_stems(one: str, other: str) -> None:
    assert stem(one) != stem(other)


def test_loose_key_leaves_out_articles_and_spaces() -> None:
    assert loose_key(["x", "ray"]) == loose_key(["xray"])
    assert loose_key(["a", "leaking", "disc"]) == loose_key(["the", "leak", "disc"])


def test_an_inflected_name_links_without_a_lexicon_entry(kg) -> None:  # type: ignore[no-untyped-def]
    assert "cement leakage" in linked(kg, "my surgeon said the cement leaked a bit, is that bad")
    assert "osteoporosis" in linked(kg, "I'm osteoporotic, is this for me?")
    assert "vertebral metastasis" in linked(kg, "she has metastatic disease, can they do it")


def test_a_name_turned_round_with_of_links(kg) -> None:  # type: ignore[no-untyped-def]
    assert "cement leakage" in linked(kg, "how likely is leakage of the cement")
    assert "nerve injury" in linked(kg, "could there be an injury to a nerve")
    assert "rib fracture" in linked(kg, "is a fracture of a rib likely")


def test_a_generic_word_does_not_name_one_specific_concept(kg) -> None:  # type: ignore[no-untyped-def]
    assert "cardiorespiratory failure" not in linked(kg, "the collapse of the bone worries me")
    assert "surgical decompression" not in linked(kg, "is it a big operation for my mum")
    # the specific names still link
    assert "cardiorespiratory failure" in linked(kg, "can it cause heart and lung failure")
    assert "surgical decompression" in linked(kg, "when is decompression surgery needed")


def test_a_treatment_named_like_a_complication_is_kept_apart(kg) -> None:  # type: ignore[no-untyped-def]
    assert "transarterial embolisation" not in linked(kg, "what is an embolus of glue")


@pytest.mark.parametrize("question", [
    "which dental cement holds a crown best?",
    "what does my insurance cover for a leaking roof?",
    "my dog's back leg is paralysed, what can the vet do?",
    "how long is the stay after a cemented hip replacement operation?",
])
def test_out_of_scope_questions_sharing_words_are_still_declined(kg, question: str) -> None:  # type: ignore[no-untyped-def]
    assert kg.ask(question).declined


# -- lay synonyms and word synonyms drafted with authoring tools (lexicon.ttl) ------------------

def _lexicon():  # type: ignore[no-untyped-def]
    from pvp_kg.nlu import bundled_lexicon_graph

    return bundled_lexicon_graph()


def test_every_tool_drafted_synonym_says_where_it_came_from() -> None:
    from rdflib import Literal
    from rdflib.namespace import DCTERMS, OWL, RDF

    from pvp_kg.vocab import LEX

    g = _lexicon()
    axioms = [a for a in g.subjects(RDF.type, OWL.Axiom)
              if g.value(a, OWL.annotatedProperty) == LEX.laySynonym]
    assert len(axioms) >= 30
    for a in axioms:
        concept, text = g.value(a, OWL.annotatedSource), g.value(a, OWL.annotatedTarget)
        assert (concept, LEX.laySynonym, Literal(text)) in g, text  # annotates a real entry
        assert str(g.value(a, DCTERMS.source)).startswith("authoring: "), text
    groups = list(g.subjects(RDF.type, LEX.WordSynonyms))
    assert groups
    for node in groups:
        assert len(set(g.objects(node, LEX.word))) >= 2
        assert "WordNet" in str(g.value(node, DCTERMS.source))


def test_a_word_synonym_works_inside_any_name(kg) -> None:  # type: ignore[no-untyped-def]
    # "damage" for "injury", "escape" for "leak", "lung" for "pulmonary", "crack" for
    # "fracture": each in a name that has no lay entry with that word
    assert "nerve injury" in linked(kg, "can they cause damage to a nerve")
    assert "venous cement leakage" in linked(kg, "what if there is an escape into the vein")
    assert "pulmonary cement embolism" in linked(kg, "how common is a cement embolism in a lung")
    assert "vertebral fracture" in linked(kg, "my mum cracked a vertebra")


def test_an_hpo_lay_synonym_links(kg) -> None:  # type: ignore[no-untyped-def]
    assert "reflex bradycardia" in linked(kg, "can it give you a slow heartbeat")
    assert "neurological deficit" in linked(kg, "could I get lower limb weakness")


def test_a_word_of_a_names_time_clause_is_not_its_head(kg) -> None:  # type: ignore[no-untyped-def]
    # "cementing" of "bone biopsy before cementing" says when the biopsy is done
    assert "bone biopsy before cementing" not in linked(kg, "how long does cementing take")
    assert "bone biopsy before cementing" in linked(kg, "is a bone biopsy before cementing needed")


def test_a_gapped_name_keeps_its_negation(kg) -> None:  # type: ignore[no-untyped-def]
    yes = linked(kg, "was there a benefit of the cement over placebo")
    assert "significant benefit over sham" in yes
    assert "no significant benefit over sham" not in yes
    assert "no significant benefit over sham" in linked(
        kg, "so there was no benefit of the cement over placebo")


def test_an_adjective_before_a_noun_is_not_linked_alone(kg) -> None:  # type: ignore[no-untyped-def]
    assert "osteoporosis" in linked(kg, "my gran is osteoporotic, can she have it")
    assert "osteoporosis" not in linked(kg, "are osteoporotic fractures treated this way")


def test_two_swapped_letters_are_a_typo_in_words_of_any_length(kg) -> None:  # type: ignore[no-untyped-def]
    assert "bone needle" in linked(kg, "how thick is teh needel")
    u = nlu.understand(kg, "how thick is teh needel")
    assert "the" in u.tokens and not u.unknown


def test_a_gapped_name_meets_other_forms_of_its_words(kg) -> None:  # type: ignore[no-untyped-def]
    assert "improved quality of life" in linked(kg, "will it improve my quality of life")
    # but a word in another form with a word put in between is another thing
    assert "osteoporosis treatment" not in linked(kg, "osteoporotic spine fracture treatment")
    # and it never cuts a full name in two
    assert "vertebral metastasis" in linked(kg, "breast cancer with spinal metastases")


def test_a_verb_form_before_its_noun_links_the_noun_phrase_name(kg) -> None:  # type: ignore[no-untyped-def]
    assert "rib fracture" in linked(kg, "she ended up with two fractured ribs")
    assert "spinal cord compression" in linked(kg, "what if I get a compressed spinal cord")
    assert "nerve injury" in linked(kg, "is an injured nerve permanent")


def test_one_word_synonyms_meet_inside_a_gapped_name(kg) -> None:  # type: ignore[no-untyped-def]
    # "glue" for "cement" (lex:WordSynonyms) with words between: "cement in the heart"
    assert "cardiac cement embolism" in linked(kg, "can glue get into my heart")
    assert "intradiscal cement leakage" in linked(kg, "what if the glue goes into the disc")
    # a question about glue outside the domain is still declined
    assert kg.ask("which glue is best for wood").declined


def test_most_two_word_names_link_turned_round_and_in_the_plural(kg) -> None:  # type: ignore[no-untyped-def]
    """Over the whole graph, not a list of cases: every concept labelled with two plain
    words is recognised as "<second> of the <first>" and with its last word in the plural."""
    from pvp_kg.vocab import SRC

    ix = nlu.index_for(kg)
    findings = {s for s, a in ix.ancestors.items() if nlu._FINDING in a}
    concepts = {i for iris in ix.names.values() for i in iris
                if i not in findings and not i.startswith(str(SRC))}
    pairs = [(i, kg.terms.label(i).split()) for i in sorted(concepts)]
    pairs = [(i, w) for i, w in pairs if len(w) == 2 and all(x.isalpha() for x in w)]
    assert len(pairs) >= 50

    def links(iri: str, text: str) -> bool:
        return any(iri in s.iris for s in nlu.understand(kg, f"tell me about {text}").spans)

    turned = sum(links(i, f"{b} of the {a}") for i, (a, b) in pairs)
    plural = sum(links(i, f"{a} {b}s") for i, (a, b) in pairs)
    assert turned >= 0.95 * len(pairs)
    assert plural >= 0.95 * len(pairs)

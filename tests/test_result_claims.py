"""What a question claims about a study's result is read from the lexicon, not the code.

"Did INVEST show it was better than sham?" is settled from the findings' recorded result
direction; which result the question claims and which comparator it names are cues of
``lexicon.ttl`` ("Claims about a study's result").
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from pvp_kg.nlu import Lexicon, says
from pvp_kg.resources import ontology_dir
from pvp_kg.vocab import LEX, RDF


@pytest.fixture(scope="module")
def lexicon_graph() -> Graph:
    return Graph().parse(ontology_dir() / "lexicon.ttl")


@pytest.mark.parametrize(("text", "claim"), [
    ("Did INVEST show no significant difference from sham?", "no difference"),
    ("Was vertebroplasty not really better than placebo?", "no difference"),
    ("Did VERTOS II find vertebroplasty better than conservative care?", "benefit"),
    ("Is a larger cement volume associated with pain relief?", "association"),
    ("Did the pain relief last?", "duration"),
    ("sham procedure: local anaesthetic at the pedicle", "sham"),
    ("conservative (optimal pain) treatment", "conservative"),
])
def test_bundled_claims(lexicon_graph, text, claim):
    assert says(Lexicon.from_graph(lexicon_graph), claim, text)


def test_every_claim_the_code_asks_for_is_in_the_lexicon(lexicon_graph):
    claims = Lexicon.from_graph(lexicon_graph).claims
    assert {"no difference", "negation", "association", "benefit", "difference", "duration",
            "sham", "conservative"} <= set(claims)
    assert all(claims.values())


def test_a_cue_added_to_a_copy_of_the_lexicon_is_read(lexicon_graph):
    question = "Was vertebroplasty on a par with the dummy procedure?"
    before = Lexicon.from_graph(lexicon_graph)
    assert not says(before, "sham", question)
    copy = Graph()
    for t in lexicon_graph:
        copy.add(t)
    node = URIRef("https://w3id.org/pvp-kg/lexicon/claimDummy")
    copy.add((node, RDF.type, LEX.ResultClaim))
    copy.add((node, LEX.name, Literal("sham")))
    copy.add((node, LEX.cue, Literal("dummy procedure")))
    assert says(Lexicon.from_graph(copy), "sham", question)


def test_the_yes_no_about_a_study_uses_the_claim(kg):
    sham = kg.ask("Did INVEST show vertebroplasty was better than a sham procedure?")
    assert sham.verdict == "no"
    same = kg.ask("Did INVEST show no significant difference from the sham procedure?")
    assert same.verdict == "yes"

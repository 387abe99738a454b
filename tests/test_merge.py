"""Loading more RDF: all or nothing, with clear errors for bad input."""

from __future__ import annotations

import json

import pytest

import pvp_kg

GOOD = """
@prefix pvp: <https://w3id.org/pvp-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
pvp:LocalNoteTerm a owl:Class ; rdfs:label "local note term"@en ;
    rdfs:subClassOf pvp:Complication .
pvp:PercutaneousVertebroplasty pvp:hasComplication pvp:LocalNoteTerm .
[] a owl:Axiom ; owl:annotatedSource pvp:PercutaneousVertebroplasty ;
   owl:annotatedProperty pvp:hasComplication ; owl:annotatedTarget pvp:LocalNoteTerm ;
   dcterms:source <https://w3id.org/pvp-kg/source/unverified> .
"""


def _snapshot(kg: pvp_kg.KnowledgeGraph) -> tuple[int, int, set[str]]:
    return len(kg.graph), len(kg.edges), {i.concept.iri for i in kg.complications()}


def test_merge_adds_terms_and_edges(fresh_kg, tmp_path):
    path = tmp_path / "notes.ttl"
    path.write_text(GOOD)
    added = fresh_kg.merge(path)
    assert added > 0
    assert fresh_kg.concept("local note term").curie == "pvp:LocalNoteTerm"
    assert "pvp:LocalNoteTerm" in {i.concept.curie for i in fresh_kg.complications()}


def test_load_with_extra_file(tmp_path):
    path = tmp_path / "notes.ttl"
    path.write_text(GOOD)
    kg = pvp_kg.load(path)
    assert kg.concept("local note term")


def test_merge_is_idempotent(fresh_kg, tmp_path):
    path = tmp_path / "notes.ttl"
    path.write_text(GOOD)
    fresh_kg.merge(path)
    before = _snapshot(fresh_kg)
    assert fresh_kg.merge(path) == 0
    assert _snapshot(fresh_kg) == before


@pytest.mark.parametrize(("name", "content", "message"), [
    ("broken.ttl", "@prefix pvp: <https://w3id.org/pvp-kg/> . pvp:A pvp:b", "not valid turtle"),
    ("bomb.rdf", """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>""", "entities"),
    ("remote.jsonld", json.dumps({"@context": "https://example.org/context.jsonld",
                                  "@id": "urn:x"}), "remote JSON-LD"),
    ("notes.docx", "hello", "cannot tell the RDF format"),
])
def test_bad_input_leaves_graph_unchanged(fresh_kg, tmp_path, name, content, message):
    good = tmp_path / "good.ttl"
    good.write_text(GOOD)
    bad = tmp_path / name
    bad.write_text(content)
    before = _snapshot(fresh_kg)
    with pytest.raises(pvp_kg.InvalidInputError, match=message):
        fresh_kg.merge(good, bad)  # all or nothing: the good file is not merged either
    assert _snapshot(fresh_kg) == before


def test_missing_and_oversize_files(fresh_kg, tmp_path):
    with pytest.raises(pvp_kg.InvalidInputError, match="no such RDF file"):
        fresh_kg.merge(tmp_path / "absent.ttl")
    big = tmp_path / "big.nt"
    big.write_text("<urn:a> <urn:b> <urn:c> .\n" * 1000)
    with pytest.raises(pvp_kg.InvalidInputError, match="over the limit"):
        fresh_kg.merge(big, max_bytes=1000)


def test_unknown_backend():
    with pytest.raises(pvp_kg.InvalidInputError, match="unknown backend"):
        pvp_kg.load(backend="postgres")  # type: ignore[arg-type]

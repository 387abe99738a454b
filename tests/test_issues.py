"""Regression tests, one per reported bug, named after the issue."""

from __future__ import annotations

from pathlib import Path

import pvp_kg


def test_issue_8_findings_are_recognised_by_type_not_by_iri(fresh_kg: pvp_kg.KnowledgeGraph,
                                                           tmp_path: Path) -> None:
    # A merged finding whose IRI does not start with pvp:Finding must not become a shortcut
    # between two concepts it is about (explain used to skip findings by IRI prefix only).
    data = tmp_path / "finding.ttl"
    data.write_text("""
@prefix pvp: <https://w3id.org/pvp-kg/> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/result/1> a pvp:QuantitativeFinding ;
    rdfs:label "a merged result" ;
    obo:IAO_0000136 pvp:CementLeakage ;
    pvp:studiedIntervention pvp:BalloonKyphoplasty .
""", encoding="utf-8")
    before = fresh_kg.explain("cement leakage", "balloon kyphoplasty")
    fresh_kg.merge(data)
    assert "https://example.org/result/1" in fresh_kg.terms.finding_iris
    after = fresh_kg.explain("cement leakage", "balloon kyphoplasty")
    nodes = {n for path in after for e in path for n in (e.subject, e.object)}
    assert "https://example.org/result/1" not in nodes
    assert after == before

"""Structural promises of issue 8: one vocabulary, typed reports, one version."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import typing
from pathlib import Path

import pvp_kg
from pvp_kg import KnowledgeGraph, ReasonerReport, ValidationReport, load

from .helpers import ROOT

_IRI = re.compile(r"^(https?://[^/\s{}]+/\S|urn:pvp)")


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants that are not docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(
                body[0].value, ast.Constant):
            docstrings.add(id(body[0].value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings]


def test_every_iri_the_code_names_is_in_vocab():
    found = []
    for path in sorted((ROOT / "pvp_kg").rglob("*.py")):
        if path.name == "vocab.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(ROOT)}:{line}: {text[:60]}"
                  for line, text in _strings(tree) if _IRI.match(text)]
    assert found == []


def test_the_scan_sees_a_literal_iri():
    tree = ast.parse('"""doc https://w3id.org/pvp-kg/X"""\nX = "https://w3id.org/pvp-kg/Finding"\n')
    assert [t for _, t in _strings(tree) if _IRI.match(t)] == ["https://w3id.org/pvp-kg/Finding"]


_FINDING = """
@prefix pvp: <https://w3id.org/pvp-kg/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
pvp:ZzStart a owl:Class ; rdfs:label "zz start"@en ;
    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty pvp:conflictsWith ;
                      owl:someValuesFrom pvp:StatAlpha ] .
pvp:ZzStart pvp:conflictsWith pvp:StatAlpha .
pvp:StatAlpha a owl:NamedIndividual , pvp:QuantitativeFinding ; rdfs:label "alpha stat"@en ;
    pvp:studiedIntervention pvp:PercutaneousVertebroplasty .
"""


def test_explain_skips_findings_by_type_not_by_name(tmp_path: Path):
    path = tmp_path / "finding.ttl"
    path.write_text(_FINDING, encoding="utf-8")
    kg = load(path)
    start = kg.resolve("zz start")
    stat = kg.resolve("alpha stat")
    assert stat is not None and not stat.rsplit("/", 1)[1].startswith("Finding")
    # the edge into the finding and out of it exist, so only the type keeps the path out
    assert any(e.object == stat for e in kg.edges_of(start))
    assert any(e.subject == stat for e in kg.edges_of(stat))
    paths = kg.explain("zz start", "PVP")
    assert all(stat not in (e.subject, e.object) for p in paths for e in p)


def test_reason_and_validate_return_the_exported_report_types():
    hints = typing.get_type_hints(KnowledgeGraph.reason, vars(pvp_kg))
    assert hints["return"] is ReasonerReport
    assert typing.get_type_hints(KnowledgeGraph.validate, vars(pvp_kg))["return"] is (
        ValidationReport)
    for name in ("ReasonerReport", "ValidationReport", "Inference", "Term", "Violation",
                 "Check", "Format"):
        assert name in pvp_kg.__all__
    report = ValidationReport()
    assert report.ok and report.to_dict()["ok"] is True


def test_the_version_is_written_once():
    assert importlib.metadata.version("pvp_kg") == pvp_kg.__version__
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert pvp_kg.__version__ not in pyproject
    assert 'dynamic = ["version"]' in pyproject

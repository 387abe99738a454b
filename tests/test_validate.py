"""Validation: SHACL shapes, SPARQL quality checks, pinned external terms, the CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

import pvp_kg
from pvp_kg.resources import ontology_dir
from pvp_kg.validate import ValidationReport, external_terms, validate

PVP = "https://w3id.org/pvp-kg/"
SRC = "https://w3id.org/pvp-kg/source/"
OBO = "http://purl.obolibrary.org/obo/"
DCT = "http://purl.org/dc/terms/"
BIN = Path(sys.executable).parent / "pvp-kg"


def pvp(local: str) -> URIRef:
    return URIRef(PVP + local)


def obo(local: str) -> URIRef:
    return URIRef(OBO + local)


@pytest.fixture(scope="module")
def shipped(kg: pvp_kg.KnowledgeGraph) -> ValidationReport:
    return validate(kg)


def test_shipped_ontology_passes_every_error_level_check(shipped: ValidationReport) -> None:
    assert shipped.ok, "\n" + str(shipped)
    kinds = {c.kind for c in shipped.checks}
    assert kinds == {"shacl", "sparql", "files"}
    names = {c.name for c in shipped.checks}
    assert {"qc:duplicate_label", "qc:dangling_iri", "qc:unsourced_edge",
            "qc:steps_not_totally_ordered", "shacl:TermShape", "shacl:FindingShape",
            "files:external_terms", "files:official_codes"} <= names


def _add_axiom(g: Graph, s: URIRef, p: URIRef, o: URIRef, source: URIRef | None) -> None:
    ax = BNode()
    g.add((ax, RDF.type, OWL.Axiom))
    g.add((ax, OWL.annotatedSource, s))
    g.add((ax, OWL.annotatedProperty, p))
    g.add((ax, OWL.annotatedTarget, o))
    if source is not None:
        g.add((ax, URIRef(DCT + "source"), source))
        g.add((ax, pvp("evidenceLevel"), pvp("ObservationalStudyEvidence")))


def _broken(kg: pvp_kg.KnowledgeGraph) -> Graph:
    """A test copy of the bundled graph with one defect per check."""
    g = Graph()
    g += kg.graph
    en = "en"
    # duplicate label
    g.add((pvp("DuplicateTerm"), RDF.type, OWL.Class))
    g.add((pvp("DuplicateTerm"), RDFS.label, Literal("Cement Leakage", lang=en)))
    g.add((pvp("DuplicateTerm"), obo("IAO_0000115"), Literal("A copy.", lang=en)))
    # dangling IRI + unsourced may-edge
    g.add((pvp("CementLeakage"), pvp("hasRiskFactor"), pvp("UndeclaredFactor")))
    # unsourced may-edge between declared terms
    g.add((pvp("PercutaneousVertebroplasty"), pvp("hasComplication"), pvp("Osteoporosis")))
    # unsourced restriction
    r = BNode()
    g.add((pvp("Osteoporosis"), RDFS.subClassOf, r))
    g.add((r, RDF.type, OWL.Restriction))
    g.add((r, OWL.onProperty, obo("RO_0001025")))
    g.add((r, OWL.someValuesFrom, obo("UBERON_0002412")))
    # a number outside a finding
    g.add((pvp("CementLeakage"), pvp("value"), Literal("5", datatype=XSD.decimal)))
    # an edge citing an undescribed source
    g.add((pvp("RibFracture"), pvp("hasRiskFactor"), pvp("LargeCementVolume")))
    _add_axiom(g, pvp("RibFracture"), pvp("hasRiskFactor"), pvp("LargeCementVolume"),
               URIRef(SRC + "Nowhere"))
    # step order: a cycle, and a step of PVP ordered with nothing
    g.add((pvp("NeedleRemovalStep"), obo("BFO_0000063"), pvp("PatientPositioningStep")))
    g.add((pvp("PercutaneousVertebroplasty"), obo("BFO_0000051"), pvp("FloatingStep")))
    g.add((pvp("FloatingStep"), RDFS.subClassOf, pvp("ProcedureStep")))
    g.add((pvp("FloatingStep"), RDFS.label, Literal("floating step", lang=en)))
    # an asserted member of a defined class
    g.add((pvp("RibFracture"), RDFS.subClassOf, pvp("SeriousComplication")))
    # a deprecated term without replacement
    g.add((pvp("PedicleFracture"), OWL.deprecated, Literal(True)))
    # drift: a serious severity edge and an indication edge without their restrictions
    g.add((pvp("PunctureSiteBleeding"), pvp("hasSeverity"), pvp("SeriousSeverity")))
    _add_axiom(g, pvp("PunctureSiteBleeding"), pvp("hasSeverity"), pvp("SeriousSeverity"),
               URIRef(SRC + "S3"))
    g.add((pvp("PercutaneousVertebroplasty"), pvp("hasIndication"), pvp("Osteoporosis")))
    _add_axiom(g, pvp("PercutaneousVertebroplasty"), pvp("hasIndication"), pvp("Osteoporosis"),
               URIRef(SRC + "seed"))
    # SHACL: a term with no label/definition, a second English label, a bad finding,
    # an axiom without evidence level, no version IRI
    g.add((pvp("NamelessClass"), RDF.type, OWL.Class))
    g.add((pvp("Radiculopathy"), RDFS.label, Literal("nerve root disease", lang=en)))
    f = pvp("FindingBroken")
    g.add((f, RDF.type, pvp("QuantitativeFinding")))
    g.add((f, RDF.type, OWL.NamedIndividual))
    g.add((f, RDFS.label, Literal("broken finding", lang=en)))
    g.add((f, obo("IAO_0000115"), Literal("A finding with its range upside down.", lang=en)))
    g.add((f, obo("IAO_0000136"), pvp("CementLeakage")))
    g.add((f, pvp("minValue"), Literal("90", datatype=XSD.decimal)))
    g.add((f, pvp("maxValue"), Literal("70", datatype=XSD.decimal)))
    _add_axiom(g, pvp("CementLeakage"), pvp("hasRiskFactor"), pvp("UndeclaredFactor"), None)
    g.remove((URIRef(PVP + "pvp.owl"), OWL.versionIRI, None))
    # external terms: one not pinned, one with a changed label
    g.add((pvp("NerveInjury"), obo("RO_0001025"), obo("UBERON_0001021")))
    g.add((obo("UBERON_0001021"), RDFS.label, Literal("nerve", lang=en)))
    g.remove((obo("UBERON_0002240"), RDFS.label, None))
    g.add((obo("UBERON_0002240"), RDFS.label, Literal("cord", lang=en)))
    return g


@pytest.fixture(scope="module")
def broken(kg: pvp_kg.KnowledgeGraph) -> ValidationReport:
    return validate(_broken(kg))


@pytest.mark.parametrize(("check", "focus", "severity"), [
    ("qc:duplicate_label", "pvp:CementLeakage", "error"),
    ("qc:dangling_iri", "pvp:UndeclaredFactor", "error"),
    ("qc:dangling_iri", "src:Nowhere", "error"),
    ("qc:unsourced_edge", "pvp:PercutaneousVertebroplasty", "error"),
    ("qc:unsourced_restriction", "pvp:Osteoporosis", "error"),
    ("qc:number_outside_finding", "pvp:CementLeakage", "error"),
    ("qc:source_not_described", "src:Nowhere", "error"),
    ("qc:steps_order_cycle", "pvp:NeedleRemovalStep", "error"),
    ("qc:steps_not_totally_ordered", "pvp:PercutaneousVertebroplasty", "error"),
    ("qc:defined_class_asserted_member", "pvp:RibFracture", "error"),
    ("qc:deprecated_without_replacement", "pvp:PedicleFracture", "error"),
    ("qc:severity_restriction_drift", "pvp:PunctureSiteBleeding", "warning"),
    ("qc:indication_restriction_drift", "pvp:Osteoporosis", "warning"),
    ("shacl:TermShape", "pvp:NamelessClass", "error"),
    ("shacl:TermShape", "pvp:Radiculopathy", "error"),
    ("shacl:FindingShape", "pvp:FindingBroken", "error"),
    ("shacl:AxiomShape", "(blank node)", "error"),
    ("shacl:OntologyHeaderShape", "pvp:pvp.owl", "error"),
    ("files:external_terms", "UBERON:0001021", "error"),
    ("files:external_terms", "UBERON:0002240", "error"),
])
def test_each_check_catches_its_defect(broken: ValidationReport, check: str, focus: str,
                                       severity: str) -> None:
    hits = [v for v in broken.by_check().get(check, []) if v.focus.startswith(focus)]
    assert hits, f"{check} did not report {focus}; it reported " + "; ".join(
        v.focus for v in broken.by_check().get(check, []))
    assert severity in {v.severity for v in hits}


def test_shipped_graph_has_none_of_the_seeded_defects(shipped: ValidationReport,
                                                      broken: ValidationReport) -> None:
    assert not broken.ok and len(broken.errors) > len(shipped.errors)
    seeded = {"pvp:UndeclaredFactor", "src:Nowhere", "pvp:NamelessClass", "pvp:FindingBroken"}
    assert not any(v.focus.split(" ")[0] in seeded for v in shipped.violations)


def test_report_orders_errors_first_and_serialises(broken: ValidationReport) -> None:
    severities = [v.severity for v in broken.violations]
    assert severities == sorted(severities, key=lambda s: s != "error")
    data = json.loads(json.dumps(broken.to_dict()))
    assert data["ok"] is False and data["errors"] == len(broken.errors)
    assert "qc:dangling_iri" in str(broken)


def test_mapping_and_code_checks_on_a_test_copy(tmp_path: Path, kg: pvp_kg.KnowledgeGraph) -> None:
    folder = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), folder)
    sssom = folder / "mappings" / "pvp.sssom.tsv"
    text = sssom.read_text(encoding="utf-8")
    text += ("pvp:NoSuchTerm\tno such term\tskos:exactMatch\tHP:0002204\tPulmonary embolism\t"
             "semapv:ManualMappingCuration\t0.9\ttest\n"
             "pvp:CementLeakage\tcement leak\tskos:broadMatch\tICD10CM:T84.99XZ\t\t"
             "semapv:ManualMappingCuration\t0.5\ttest\n")
    sssom.write_text(text, encoding="utf-8")
    report = validate(kg, ontology=folder)
    found = {(v.check, v.focus, v.value) for v in report.errors}
    assert ("files:mappings", "pvp:NoSuchTerm", "HP:0002204") in found
    assert any(c == "files:mappings" and f == "pvp:CementLeakage" for c, f, _ in found)
    assert ("files:official_codes", "pvp:CementLeakage", "ICD10CM:T84.99XZ") in found


def test_quality_check_files_are_documented_select_queries() -> None:
    files = sorted((ontology_dir() / "qc").glob("*.rq"))
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        for field in ("title", "description", "severity"):
            assert re.search(rf"^# {field}: \S", text, re.M), f"{path.name} lacks # {field}:"
        assert re.search(r"^SELECT", text, re.M), path.name


def test_pinned_file_lists_every_external_term_of_the_ontology_with_its_label() -> None:
    """Every OBO IRI used in pvp.ttl / sources.ttl is pinned, with the label the file gives it."""
    pinned = external_terms()
    for name in ("pvp.ttl", "sources.ttl"):
        g = Graph().parse(ontology_dir() / name, format="turtle")
        used = {n for t in g for n in t if isinstance(n, URIRef) and str(n).startswith(OBO)}
        assert used
        for iri in used:
            assert str(iri) in pinned, f"{iri} (used in {name}) is not pinned"
            for label in g.objects(iri, RDFS.label):
                assert str(label) == pinned[str(iri)]["label"], iri
    for row in pinned.values():
        assert row["checked_against"].strip(), f"{row['id']}: say how the label was checked"
        assert row["iri"] == OBO + row["id"].replace(":", "_")


def test_external_terms_reader_rejects_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "terms.tsv"
    bad.write_text("id\tname\nRO:1\tx\n", encoding="utf-8")
    with pytest.raises(pvp_kg.InvalidInputError, match="iri"):
        external_terms(bad)
    with pytest.raises(pvp_kg.InvalidInputError, match="no pinned"):
        external_terms(tmp_path / "missing.tsv")


# -- command line -------------------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "300"}  # wide enough that table cells are not wrapped
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=600,
                          env=env)


def test_cli_validate_shipped_exits_0_with_json() -> None:
    out = _cli("validate", "--json")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr
    data = json.loads(out.stdout)
    assert data["ok"] is True and data["errors"] == 0 and len(data["checks"]) >= 15


def test_cli_validate_exits_1_and_prints_a_table(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix pvp: <https://w3id.org/pvp-kg/> .\n"
        "pvp:CementLeakage pvp:hasRiskFactor pvp:UndeclaredFactor .\n", encoding="utf-8")
    out = _cli("--load", str(bad), "validate", "--errors-only")
    assert out.returncode == 1, out.stdout + out.stderr
    row = next(line for line in out.stdout.splitlines() if "qc:dangling_iri" in line)
    assert "error" in row and "pvp:UndeclaredFactor" in row
    # --errors-only: the (seeded-free) warnings are counted but not listed as rows
    assert not any(re.search(r"│\s*warning\s*│", line) for line in out.stdout.splitlines())

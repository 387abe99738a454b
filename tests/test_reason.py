"""Reasoning: HermiT through owlready2, the OWL 2 RL fallback, defined classes, bad ontologies."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

import pvp_kg
from pvp_kg.reason import ReasonerError, ReasonerReport, asserted_ancestors, reason

from .helpers import require_tool

PVP = "https://w3id.org/pvp-kg/"
BIN = Path(sys.executable).parent / "pvp-kg"

#: Memberships of the defined classes that the ontology never asserts; each must be inferred.
EXPECTED = {
    # issue 9 (review C3): the serious subkinds, not every pulmonary cement embolism or deficit
    "serious complication": {"symptomatic pulmonary cement embolism", "spinal cord compression",
                             "cardiac cement embolism", "major neurological deficit",
                             "cardiorespiratory failure"},
    "complication related to cement leakage": {"pulmonary cement embolism",
                                               "cardiac cement embolism", "venous cement leakage",
                                               "epidural cement leakage",
                                               "intradiscal cement leakage"},
    "neurological complication": {"spinal cord compression", "nerve root compression",
                                  "radiculopathy", "neurological deficit"},
    "pulmonary complication": {"pulmonary cement embolism", "pulmonary embolism"},
    # issue 9 (review C2): qualified classes, not every osteoporotic fracture or haemangioma
    "fracture indication": {
        "painful unhealed osteoporotic vertebral fracture refractory to conservative care",
        "painful stable traumatic vertebral compression fracture without neurological deficit"},
    "tumour indication": {"painful vertebral metastasis without cord compression or instability",
                          "painful myeloma lesion of a vertebral body",
                          "symptomatic vertebral haemangioma"},
}
#: Terms that must NOT be inferred into these classes (the definitions are not too wide).
NOT_MEMBERS = {
    "serious complication": {"cement leakage", "puncture site bleeding", "rib fracture",
                             "pulmonary cement embolism", "neurological deficit",
                             "asymptomatic pulmonary cement embolism"},
    "neurological complication": {"pulmonary cement embolism", "cement leakage",
                                  "puncture site haematoma"},
    "pulmonary complication": {"spinal cord compression", "cardiac cement embolism"},
    "fracture indication": {"vertebral metastasis", "vertebral haemangioma",
                            "osteoporotic vertebral compression fracture",
                            "traumatic vertebral compression fracture",
                            "asymptomatic or healed vertebral fracture"},
    "tumour indication": {"osteoporotic vertebral compression fracture", "vertebral haemangioma",
                          "vertebral metastasis", "multiple myeloma of the spine"},
    "complication related to cement leakage": {"puncture site bleeding",
                                               "post-procedural infection"},
}


def _iri_of(kg: pvp_kg.KnowledgeGraph, label: str) -> str:
    return kg.concept(label).iri


def _broken_copy(kg: pvp_kg.KnowledgeGraph, *, unsatisfiable: bool = False,
                 inconsistent: bool = False) -> Graph:
    """A copy of the bundled graph with a contradiction introduced on purpose."""
    g = Graph()
    g += kg.graph
    if unsatisfiable:  # cement leakage is declared a complication: now nothing can be both
        g.add((URIRef(PVP + "CementLeakage"), OWL.disjointWith, URIRef(PVP + "Complication")))
    if inconsistent:  # a named patient event that is both a complication and a fracture
        g.add((URIRef(PVP + "Complication"), OWL.disjointWith, URIRef(PVP + "ClinicalCondition")))
        case = URIRef(PVP + "TestCaseEvent")
        g.add((case, RDF.type, OWL.NamedIndividual))
        g.add((case, RDF.type, URIRef(PVP + "SpinalCordCompression")))
        g.add((case, RDF.type, URIRef(PVP + "OsteoporoticVertebralCompressionFracture")))
        g.add((case, RDFS.label, Literal("test case event", lang="en")))
    return g


def _check_memberships(kg: pvp_kg.KnowledgeGraph, report: ReasonerReport,
                       expected: dict[str, set[str]]) -> None:
    asserted = asserted_ancestors(kg.graph)
    for defined, members in expected.items():
        found = set(report.memberships(defined))
        assert members <= found, f"{defined}: missing {members - found}"
        defined_iri = _iri_of(kg, defined)
        for member in members:
            iri = _iri_of(kg, member)
            # inferred, not asserted: no subclass triple and no asserted chain to the class
            assert (URIRef(iri), RDFS.subClassOf, URIRef(defined_iri)) not in kg.graph
            assert defined_iri not in asserted.get(iri, set())
        assert not (NOT_MEMBERS[defined] & found), f"{defined} is too wide"


# -- HermiT (Java) ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hermit(kg: pvp_kg.KnowledgeGraph) -> ReasonerReport:
    require_tool("java")
    return reason(kg, engine="hermit")


@pytest.mark.java
def test_hermit_finds_the_shipped_ontology_consistent(hermit: ReasonerReport) -> None:
    assert hermit.engine == "hermit" and "HermiT" in hermit.engine_detail
    assert hermit.consistent and not hermit.unsatisfiable and hermit.ok
    assert hermit.fallback_reason is None


@pytest.mark.java
def test_hermit_infers_defined_class_memberships(kg: pvp_kg.KnowledgeGraph,
                                                 hermit: ReasonerReport) -> None:
    _check_memberships(kg, hermit, EXPECTED)
    assert sum(len(m) for m in EXPECTED.values()) >= 5
    assert {t.label for t in hermit.defined_classes} >= set(EXPECTED)
    # nerve injury needs a union inside the existential: only the DL reasoner gets it
    assert "nerve injury" in hermit.memberships("neurological complication")


@pytest.mark.java
def test_hermit_reports_unsatisfiable_classes_by_label(kg: pvp_kg.KnowledgeGraph) -> None:
    require_tool("java")
    before = len(kg.graph)
    report = reason(_broken_copy(kg, unsatisfiable=True), engine="hermit")
    assert report.consistent and not report.ok
    labels = {t.label for t in report.unsatisfiable}
    assert {"cement leakage", "venous cement leakage", "epidural cement leakage"} <= labels
    assert "spinal cord compression" not in labels
    assert len(kg.graph) == before  # the test copy, not the shared graph, was changed


@pytest.mark.java
def test_hermit_reports_an_inconsistent_ontology(kg: pvp_kg.KnowledgeGraph) -> None:
    require_tool("java")
    report = reason(_broken_copy(kg, inconsistent=True), engine="hermit")
    assert not report.consistent and not report.ok
    assert "inconsistent" in (report.message or "")
    assert "consistent: NO" in str(report)


# -- OWL 2 RL fallback (pure Python) ------------------------------------------------------------
@pytest.fixture(scope="module")
def rl(kg: pvp_kg.KnowledgeGraph) -> ReasonerReport:
    return reason(kg, engine="owlrl")


def test_owlrl_infers_memberships_too(kg: pvp_kg.KnowledgeGraph, rl: ReasonerReport) -> None:
    assert rl.engine == "owlrl" and rl.ok
    _check_memberships(kg, rl, EXPECTED)
    assert len([i for i in rl.inferred if i.defined]) >= 5


def test_auto_falls_back_to_owlrl_without_java(monkeypatch: pytest.MonkeyPatch,
                                               kg: pvp_kg.KnowledgeGraph) -> None:
    import pvp_kg.reason as module

    monkeypatch.setattr(module.shutil, "which", lambda name: None)
    report = kg.reason()  # KnowledgeGraph.reason -> pvp_kg.reason.reason(engine="auto")
    assert isinstance(report, ReasonerReport)
    assert report.engine == "owlrl"
    assert "Java" in (report.fallback_reason or "")
    assert "OWL 2 RL fallback" in str(report)
    with pytest.raises(ReasonerError, match="Java"):
        reason(kg, engine="hermit")


def test_owlrl_reports_unsatisfiable_and_inconsistent(kg: pvp_kg.KnowledgeGraph) -> None:
    unsat = reason(_broken_copy(kg, unsatisfiable=True), engine="owlrl")
    assert unsat.consistent and not unsat.ok
    assert "cement leakage" in {t.label for t in unsat.unsatisfiable}
    broken = reason(_broken_copy(kg, inconsistent=True), engine="owlrl")
    assert not broken.consistent and not broken.ok
    assert "test case event" in (broken.message or "") or "TestCaseEvent" in (broken.message or "")


def test_reasoner_is_stopped_after_its_time_limit(kg: pvp_kg.KnowledgeGraph) -> None:
    started = time.monotonic()
    with pytest.raises(ReasonerError, match="did not finish within"):
        reason(kg, engine="owlrl", timeout=0.3)
    assert time.monotonic() - started < 30


def test_bad_arguments_are_usage_errors(kg: pvp_kg.KnowledgeGraph) -> None:
    with pytest.raises(pvp_kg.InvalidInputError, match="engine"):
        reason(kg, engine="pellet")
    with pytest.raises(pvp_kg.InvalidInputError, match="timeout"):
        reason(kg, engine="owlrl", timeout=0)


def test_report_serialises_to_json(rl: ReasonerReport) -> None:
    data = json.loads(json.dumps(rl.to_dict()))
    assert data["engine"] == "owlrl" and data["ok"] is True
    assert any(i["superclass"]["label"] == "serious complication" for i in data["inferred"])
    assert all(i["subject"]["iri"].startswith("http") for i in data["inferred"])


def test_reasoner_input_drops_axiom_annotations_only(kg: pvp_kg.KnowledgeGraph) -> None:
    from pvp_kg.reason import reasoner_input

    logic, notes = reasoner_input(kg.graph)
    axioms = set(kg.graph.subjects(RDF.type, OWL.Axiom))
    assert axioms and not set(logic.subjects(RDF.type, OWL.Axiom))
    # punned "may" edges stay: OWL 2 DL allows them and HermiT accepts them
    edge = (URIRef(PVP + "PercutaneousVertebroplasty"), URIRef(PVP + "hasComplication"),
            URIRef(PVP + "CementLeakage"))
    assert edge in kg.graph and edge in logic
    assert "owl:Axiom" in notes[0]
    # anonymous inverse properties get one shared name (OWL 2 RL matches properties by name)
    g = Graph()
    inv1, inv2 = BNode(), BNode()
    for b in (inv1, inv2):
        g.add((b, OWL.inverseOf, URIRef(PVP + "hasIndication")))
    named = {p for p, _ in reasoner_input(g)[0].subject_objects(OWL.inverseOf)}
    assert len(named) == 1 and all(isinstance(p, URIRef) for p in named)


# -- command line -------------------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=600)


def test_cli_reason_json_exit_0() -> None:
    out = _cli("reason", "--engine", "owlrl", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["engine"] == "owlrl" and data["consistent"] is True
    assert len([i for i in data["inferred"] if i["defined"]]) >= 5


def test_cli_reason_exit_1_on_an_inconsistent_merge(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix pvp: <https://w3id.org/pvp-kg/> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "pvp:Complication owl:disjointWith pvp:ClinicalCondition .\n"
        "pvp:TestCaseEvent a owl:NamedIndividual , pvp:SpinalCordCompression , "
        "pvp:OsteoporoticVertebralCompressionFracture ; rdfs:label \"test case event\"@en .\n",
        encoding="utf-8")
    out = _cli("--load", str(bad), "reason", "--engine", "owlrl")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "consistent: NO" in out.stdout


def test_cli_reason_usage_error_exit_2() -> None:
    out = _cli("reason", "--engine", "pellet")
    assert out.returncode == 2


@pytest.mark.java
def test_cli_reason_with_hermit_lists_memberships_by_label() -> None:
    require_tool("java")
    out = _cli("reason", "--engine", "hermit")
    assert out.returncode == 0, out.stderr
    assert "HermiT" in out.stdout
    assert "serious complication" in out.stdout and "spinal cord compression" in out.stdout

"""Backend parity: ``backend="oxigraph"`` gives the same answers as the default rdflib store.

Every typed method, every named query, ``ask`` on the competency questions and every export is
run on both backends and compared for equality (order included). The arguments are taken from
the graph by pattern (procedures, their complications, what findings are about …), so the
suite follows the ontology as it grows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib import RDFS, URIRef

import pvp_kg
from pvp_kg.sparql import SelectResult
from pvp_kg.vocab import IS_ABOUT, PVP

from .helpers import canonical

COMPETENCY_QUESTIONS = [  # design.md §8
    "Which complications relate to cement leakage?",
    "What are the indications for vertebroplasty?",
    "What are the steps of PVP, in order?",
    "What is injected into the vertebral body, and how long does it take to harden?",
    "What causes pulmonary cement embolism?",
    "Is an active infection a contraindication?",
    "What share of patients get significant pain relief, and what do sham-controlled trials say?",
    "What should a patient avoid after the procedure?",
    "How does vertebroplasty differ from balloon kyphoplasty?",
    "Which risk factors increase cement leakage?",
]


@pytest.fixture(scope="module")
def ox_kg() -> pvp_kg.KnowledgeGraph:
    return pvp_kg.load(backend="oxigraph")


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    """The result of a call, or the error it raised (type and message): both must agree."""
    try:
        return ("ok", call())
    except Exception as exc:  # a failing call must fail the same way on both backends
        return ("error", f"{type(exc).__name__}: {exc}")


def same(kg, ox_kg, call: Callable[[pvp_kg.KnowledgeGraph], Any]) -> Any:
    expected, got = outcome(lambda: call(kg)), outcome(lambda: call(ox_kg))
    assert got == expected
    return expected


# -- arguments, by pattern ---------------------------------------------------------------------

def _objects(kg, predicate: str) -> list[str]:
    return sorted({e.object for e in kg.edges if e.predicate == predicate})


def _subclasses(kg, iri: str) -> list[str]:
    return sorted(str(s) for s in kg.graph.transitive_subjects(RDFS.subClassOf, URIRef(iri))
                  if isinstance(s, URIRef))


def _most_connected(kg, n: int = 12) -> list[str]:
    degree: dict[str, int] = {}
    for e in kg.edges:
        for node in (e.subject, e.object):
            degree[node] = degree.get(node, 0) + 1
    labelled = [i for i in degree if i in kg.terms.labelled and i.startswith(str(PVP))]
    return sorted(labelled, key=lambda i: (-degree[i], i))[:n]


def test_same_graph_and_edge_view(kg, ox_kg):
    assert len(ox_kg.graph) == len(kg.graph)
    assert list(ox_kg.edges) == list(kg.edges)
    assert ox_kg.stats() == kg.stats()
    assert list(ox_kg.iter_concepts()) == list(kg.iter_concepts())


@pytest.mark.parametrize("method", [
    "indications", "contraindications", "steps", "complications", "serious_complications",
    "benefits", "outcomes", "aftercare", "imaging", "injected_material",
    "pre_procedure_assessment",
])
def test_procedure_methods(kg, ox_kg, method):
    status, value = same(kg, ox_kg, lambda k: getattr(k, method)())
    assert status == "ok", value
    for procedure in _subclasses(kg, str(PVP.MedicalProcedure)):
        same(kg, ox_kg, lambda k, p=procedure: getattr(k, method)(p))


def test_method_options(kg, ox_kg):
    for kind in ("absolute", "relative"):
        same(kg, ox_kg, lambda k, kind=kind: k.contraindications(kind=kind))
    same(kg, ox_kg, lambda k: k.aftercare(avoid_only=True))


def test_complication_methods(kg, ox_kg):
    complications = _objects(kg, str(PVP.hasComplication))
    assert complications
    for c in complications:
        same(kg, ox_kg, lambda k, c=c: k.complications(related_to=c))
        same(kg, ox_kg, lambda k, c=c: k.risk_factors(c))
        same(kg, ox_kg, lambda k, c=c: k.preventive_measures(c))
        same(kg, ox_kg, lambda k, c=c: k.causes(c))


def test_findings(kg, ox_kg):
    about = _objects(kg, str(IS_ABOUT))
    assert about
    for concept in about:
        same(kg, ox_kg, lambda k, c=concept: k.findings(c))


def test_walks_search_and_lookup(kg, ox_kg):
    procedures = _subclasses(kg, str(PVP.MedicalProcedure))
    for concept in _most_connected(kg):
        same(kg, ox_kg, lambda k, c=concept: k.related(c, depth=2))
        same(kg, ox_kg, lambda k, c=concept: k.edges_of(c))
        label = kg.terms.label(concept)
        same(kg, ox_kg, lambda k, t=label: k.concept(t))
        same(kg, ox_kg, lambda k, t=label[:-2]: k.search(t, limit=5))
        same(kg, ox_kg, lambda k, a=procedures[0], b=concept: k.explain(a, b))
    for first, second in zip(procedures, procedures[1:] + procedures[:1], strict=True):
        same(kg, ox_kg, lambda k, a=first, b=second: k.compare(a, b))


@pytest.mark.parametrize("question", COMPETENCY_QUESTIONS)
def test_ask(kg, ox_kg, question):
    status, answer = same(kg, ox_kg, lambda k: k.ask(question))
    assert status == "ok", answer


def _param_values(kg, named: pvp_kg.NamedQuery) -> dict[str, list[str]]:
    types = dict(part.strip().split("=", 1)
                 for part in named.meta.get("types", "").split(",") if "=" in part)
    values = {}
    for param in named.params:
        if not param.required:
            continue
        if param.name in types:
            values[param.name] = _subclasses(kg, kg.terms.expand(types[param.name].strip()))
        else:
            values[param.name] = _most_connected(kg)
    return values


def test_every_named_query(kg, ox_kg):
    assert kg.queries
    for name, named in sorted(kg.queries.items()):
        values = _param_values(kg, named)
        if not values:
            status, rows = same(kg, ox_kg, lambda k, n=name: k.sparql(n))
            assert status == "ok", (name, rows)
            continue
        names = sorted(values)
        first = values[names[0]]
        for i, value in enumerate(first):
            bindings = {names[0]: value}
            for other in names[1:]:  # pair with a different value, where there is one
                pool = [v for v in values[other] if v != value] or values[other]
                bindings[other] = pool[i % len(pool)]
            same(kg, ox_kg, lambda k, n=name, b=bindings: k.sparql(n, **b))


def test_free_queries_with_bindings_and_blank_nodes(kg, ox_kg):
    label = rdflib.Literal(kg.terms.label(str(PVP.PercutaneousVertebroplasty)), lang="en")
    query = "SELECT ?s WHERE { ?s rdfs:label ?l }"
    status, rows = same(kg, ox_kg, lambda k: k.sparql(query, l=label))
    assert status == "ok" and len(rows) == 1
    # blank nodes: their labels differ between stores; what they carry must not
    axioms = "SELECT ?ax ?src WHERE { ?ax a owl:Axiom ; dcterms:source ?src }"
    a, b = kg.sparql(axioms), ox_kg.sparql(axioms)
    assert isinstance(a, SelectResult) and isinstance(b, SelectResult)
    assert sorted(map(str, a.column("src"))) == sorted(map(str, b.column("src")))
    assert all(isinstance(x, rdflib.BNode) for x in b.column("ax"))
    construct = ("CONSTRUCT { ?ax owl:annotatedSource ?s ; dcterms:source ?src } "
                 "WHERE { ?ax owl:annotatedSource ?s ; dcterms:source ?src }")
    ga, gb = kg.sparql(construct), ox_kg.sparql(construct)
    assert canonical(ga) == canonical(gb) and len(ga) > 0
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert ox_kg.sparql(count).rows == kg.sparql(count).rows
    assert ox_kg.sparql("ASK { ?s a owl:Axiom }") is kg.sparql("ASK { ?s a owl:Axiom }") is True


@pytest.mark.parametrize("fmt", ["obographs", "sssom", "graphml"])
def test_exports_are_identical(kg, ox_kg, fmt):
    assert ox_kg.export(fmt) == kg.export(fmt)


@pytest.mark.parametrize("fmt", ["kgx", "neo4j"])
def test_directory_exports_are_identical(kg, ox_kg, fmt, tmp_path):
    kg.export(fmt, tmp_path / "rdflib")
    ox_kg.export(fmt, tmp_path / "oxigraph")
    files = sorted(p.name for p in (tmp_path / "rdflib").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "oxigraph").iterdir())
    for name in files:
        assert (tmp_path / "oxigraph" / name).read_bytes() == (
            tmp_path / "rdflib" / name).read_bytes()


@pytest.mark.parametrize(("fmt", "parser"), [("turtle", "turtle"), ("ntriples", "nt"),
                                             ("rdfxml", "xml"), ("jsonld", "json-ld")])
def test_rdf_exports_are_isomorphic(kg, ox_kg, fmt, parser):
    """Same graph (the oxigraph backend writes with Oxigraph's serialisers); the Oxigraph
    store keeps numbers in canonical form ("70.0" -> "70"), so they are compared by value."""
    a = rdflib.Graph().parse(data=kg.export(fmt), format=parser)
    b = rdflib.Graph().parse(data=ox_kg.export(fmt), format=parser)
    assert len(a) == len(b) == len(kg.graph)
    assert canonical(a, numbers=True) == canonical(b, numbers=True)


def test_merge_parity(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text("""
@prefix pvp: <https://w3id.org/pvp-kg/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix src: <https://w3id.org/pvp-kg/source/> .
pvp:ExampleMergedComplication a owl:Class ; rdfs:label "example merged complication"@en .
pvp:PercutaneousVertebroplasty pvp:hasComplication pvp:ExampleMergedComplication .
[] a owl:Axiom ; owl:annotatedSource pvp:PercutaneousVertebroplasty ;
   owl:annotatedProperty pvp:hasComplication ;
   owl:annotatedTarget pvp:ExampleMergedComplication ; dcterms:source src:seed .
""")
    a, b = pvp_kg.load(), pvp_kg.load(backend="oxigraph")
    assert a.merge(extra) == b.merge(extra) > 0
    assert list(a.edges) == list(b.edges)
    assert a.complications() == b.complications()
    assert "example merged complication" in {i.label for i in b.complications()}


def test_oxigraph_backend_loads_extra_files(tmp_path: Path):
    extra = tmp_path / "extra.nt"
    extra.write_text('<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> '
                     '"x"@en .\n')
    kg = pvp_kg.load(extra, backend="oxigraph")
    assert kg.backend == "oxigraph" and kg.concept("https://example.org/x").label == "x"

"""The named queries answered by walks (pvp_kg/walks.py) give exactly the rows of SPARQL.

The typed methods (both backends) take their rows from the walks, not from rdflib's
SPARQL engine; a walk that drifted from its ``.rq`` file would change answers silently. These
tests run both, for every named query with a walk and every parameter value the bundled graph
offers (each labelled term as a concept, each procedure, each pair of procedures), then on a
graph with the shapes the bundled one lacks (cycles, blank-node classes, merged data).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

import pvp_kg
from pvp_kg import walks
from pvp_kg.errors import QueryError
from pvp_kg.sparql import SelectResult, bind, named_queries, run_query
from pvp_kg.vocab import OBO, PVP, RDFS

_PROCEDURE = PVP.MedicalProcedure


def _cases(kg: pvp_kg.KnowledgeGraph, name: str, every: int = 1) -> list[dict[str, object]]:
    """Parameter values to try: every concept / procedure / pair the graph has."""
    concepts = sorted(kg.terms.labelled)[::every]
    procedures = sorted({str(s) for s in kg.graph.subjects(RDFS.subClassOf * "*", _PROCEDURE)})
    params = [p.name for p in named_queries()[name].params]
    if params == ["procedure"]:
        return [{"procedure": p} for p in procedures]
    if params == ["concept"]:
        return [{"concept": c} for c in concepts]
    if params == ["concept", "procedure"]:
        return ([{"concept": c} for c in concepts]
                + [{"concept": c, "procedure": p} for c in concepts[::40] for p in procedures])
    if params == ["first", "second"]:
        return [{"first": a, "second": b} for a in procedures for b in procedures]
    if params == ["site", "procedure"]:
        return ([{}] + [{"site": c} for c in concepts[::7]]
                + [{"procedure": p} for p in procedures])
    raise AssertionError(f"{name}: no parameter values for {params}; add them here")


def _compare(graph: Graph, kg: pvp_kg.KnowledgeGraph, name: str,
             cases: list[dict[str, object]]) -> int:
    """Run the walk and the SPARQL query for every case; return how many had rows."""
    query = named_queries()[name]
    with_rows = 0
    for case in cases:
        bound = bind(query, case, kg.index)
        want = run_query(graph, query.text, bound)
        assert isinstance(want, SelectResult)
        got = walks.run(graph, name, bound)
        assert got.vars == want.vars, (name, case)
        assert got.rows == want.rows, (name, case, set(want.rows) ^ set(got.rows))
        with_rows += bool(want.rows)
    return with_rows


@pytest.mark.parametrize("name", sorted(walks.WALKS))
def test_walk_gives_the_rows_of_its_query(kg: pvp_kg.KnowledgeGraph, name: str) -> None:
    with_rows = _compare(kg.graph, kg, name, _cases(kg, name))
    assert with_rows > 0, f"{name}: no case had rows, so nothing was compared"


def test_every_walk_is_written_for_the_current_query() -> None:
    queries = named_queries()
    for name in walks.WALKS:
        assert name in queries, f"walk {name!r} has no named query"
        assert walks.WRITTEN_FOR.get(name) == walks.body_hash(queries[name].text), (
            f"ontology/queries/{name}.rq changed: bring its walk (pvp_kg/walks.py) up to date, "
            f"check it with this file's tests, then set WRITTEN_FOR[{name!r}] to "
            f"{walks.body_hash(queries[name].text)!r}")
        assert walks.available(name)


def test_a_changed_query_runs_as_sparql() -> None:
    text = named_queries()["indications"].text
    assert walks.body_hash(text + "\n# a comment only\n") == walks.body_hash(text)
    assert walks.body_hash(text.replace("?item .", "?item . ?item a ?t .")) != walks.body_hash(
        text)


def test_typed_calls_on_the_rdflib_backend_use_the_walks(
        kg: pvp_kg.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    """No SPARQL runs for a typed call whose query has a walk."""
    import pvp_kg.query as q

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("SPARQL ran")

    calls = {  # typed call → its answer with the rows from SPARQL (the session graph's)
        "related": lambda g: g.complications(related_to="cement leakage"),
        "causes": lambda g: g.causes("pulmonary cement embolism"),
        "steps": lambda g: g.steps(),
        "nice": lambda g: g.recommendations(body="NICE"),
        "devices": lambda g: g.devices_and_materials(),
        "professionals": lambda g: g.professionals(),
        "related procedures": lambda g: g.related_procedures(),
        "features": lambda g: g.ask("What are the clinical features of bone cement "
                                    "implantation syndrome?"),
        "ask": lambda g: g.ask("What are the risk factors of cement leakage?"),
    }
    monkeypatch.setattr(walks, "available", lambda name: False)
    kg._results.clear()
    by_sparql = {name: call(kg) for name, call in calls.items()}
    monkeypatch.undo()
    monkeypatch.setattr(q, "select", refuse)
    fresh = pvp_kg.load()
    for name, call in calls.items():
        answer = call(fresh)
        assert answer, name
        assert answer == by_sparql[name], name
    kg._results.clear()


def _tangled(kg: pvp_kg.KnowledgeGraph) -> Graph:
    """The bundled graph plus cycles and blank-node classes (shapes it does not have)."""
    g = Graph()
    g += kg.graph
    a, b, c = PVP.CementLeakage, PVP.WalkTestA, PVP.WalkTestB
    g.add((b, RDFS.subClassOf, a))
    g.add((c, RDFS.subClassOf, b))
    g.add((a, RDFS.subClassOf, c))  # a subclass cycle through cement leakage
    g.add((PVP.PulmonaryCementEmbolism, OBO.RO_0002411, a))  # a causal cycle
    anon = BNode()
    g.add((anon, RDFS.subClassOf, a))  # a blank-node class under it
    g.add((anon, OBO.RO_0002411, PVP.WalkTestC))
    g.add((PVP.WalkTestC, PVP.treatedBy, PVP.WalkTestD))
    g.add((b, PVP.treatedBy, Literal("a literal treatment")))
    g.add((b, PVP.hasRiskFactor, a))
    g.add((PVP.PercutaneousVertebroplasty, PVP.hasIndication, anon))
    g.add((PVP.PercutaneousVertebroplasty, PVP.hasBenefit, Literal("a literal benefit")))
    pvp, has_part, has_input = PVP.PercutaneousVertebroplasty, OBO.BFO_0000051, OBO.RO_0002233
    step, material = next((s, m) for s in sorted(g.objects(pvp, has_part))
                          for m in sorted(g.objects(s, has_input)))
    e, f = PVP.WalkTestE, PVP.WalkTestF
    g.add((e, RDFS.subClassOf, material))  # a kind of a material a step takes ...
    g.add((step, has_input, e))  # ... that the step lists too
    g.add((f, RDFS.subClassOf, e))
    g.add((BNode(), RDFS.subClassOf, material))
    g.add((f, RDFS.subClassOf, PVP.RiskFactor))  # a kind that is a risk factor
    g.add((pvp, RDFS.subClassOf, PVP.WalkTestG))  # a procedure subclass cycle
    g.add((PVP.WalkTestG, RDFS.subClassOf, pvp))
    g.add((BNode(), RDFS.subClassOf, PVP.WalkTestG))
    g.add((pvp, RDFS.subClassOf, Literal("a literal superclass")))
    assessment = sorted(g.objects(pvp, PVP.hasPreProcedureAssessment))[0]
    for professional in sorted(g.objects(pvp, PVP.involvesProfessional))[:1]:
        g.add((assessment, PVP.involvesProfessional, professional))  # listed directly too
    g.add((assessment, PVP.involvesProfessional, PVP.WalkTestH))
    return g


@pytest.mark.parametrize("name", sorted(walks.WALKS))
def test_walk_agrees_on_cycles_and_blank_nodes(kg: pvp_kg.KnowledgeGraph, name: str) -> None:
    g = _tangled(kg)
    extra: list[dict[str, object]] = []
    params = [p.name for p in named_queries()[name].params]
    if "concept" in params:
        extra = [{"concept": str(x)} for x in (PVP.CementLeakage, PVP.WalkTestA, PVP.WalkTestB,
                                               PVP.WalkTestC, PVP.PulmonaryCementEmbolism)]
    _compare(g, kg, name, _cases(kg, name, every=9) + extra)


def _synthetic() -> object:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "_synthetic.py"
    spec = importlib.util.spec_from_file_location("pvp_kg_walk_synthetic", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_walks_agree_after_a_merge(tmp_path: Path) -> None:
    """On a merged graph (derived restriction and inverse edges written back) too."""
    synthetic = _synthetic()
    path = tmp_path / "s.nt"
    synthetic.write_ntriples(path, 6_000, seed=5, prefix="w")  # type: ignore[attr-defined]
    merged = pvp_kg.load(path)
    for name in ("complications_related_to", "causes_of", "risk_factors",
                 "risk_factor_effects", "preventive_measures", "findings_about",
                 "treatments", "is_contraindication"):
        cases = [{"concept": str(PVP[f"Synthetic{i}"])} for i in range(0, 250, 5)]
        cases += [{"concept": str(PVP.CementLeakage)}, {"concept": str(PVP.Complication)}]
        assert _compare(merged.graph, merged, name, cases) > 0 or name in (
            "findings_about", "treatments", "is_contraindication")


def test_row_limit_as_in_sparql(kg: pvp_kg.KnowledgeGraph) -> None:
    bound = bind(named_queries()["complications_related_to"], {"concept": "pvp:CementLeakage"},
                 kg.index)
    with pytest.raises(QueryError, match="more than 3 rows"):
        walks.run(kg.graph, "complications_related_to", bound, max_rows=3)
    assert walks.run(kg.graph, "complications_related_to", bound).rows


def test_walk_binds_iris_only(kg: pvp_kg.KnowledgeGraph) -> None:
    """A concept the graph does not know gives no rows (as SPARQL), not an error."""
    bound = {"concept": URIRef("https://example.org/unknown")}
    for name in ("complications_related_to", "causes_of", "treatments"):
        assert walks.run(kg.graph, name, bound).rows == ()


def test_walks_give_the_rows_of_sparql_on_the_oxigraph_store(
        kg: pvp_kg.KnowledgeGraph) -> None:
    """The Oxigraph backend takes its rows from the same walks, reading its own store."""
    ox_kg = pvp_kg.load(backend="oxigraph")
    for name in sorted(walks.WALKS):
        cases = _cases(kg, name, every=97)
        _compare(ox_kg.graph, ox_kg, name, cases[:: max(1, len(cases) // 2)])

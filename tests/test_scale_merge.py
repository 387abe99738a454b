"""Merging generated PVP-shaped N-Triples: both backends agree, bad files change nothing, and
what the Oxigraph backend derives incrementally equals a full rebuild.

The files come from ``benchmarks/_synthetic.py`` (the generator the scaling benchmark uses):
new complications, a few of them subtypes or consequences of cement leakage, with annotated
edges and existential restrictions.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

import pvp_kg
from pvp_kg.edges import build_edge_view
from pvp_kg.loader import BACKENDS, canonical_order
from pvp_kg.lookup import LabelIndex

pytest.importorskip("pyoxigraph")


def _synthetic() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "_synthetic.py"
    spec = importlib.util.spec_from_file_location("pvp_kg_bench_synthetic", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


synthetic = _synthetic()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("synthetic")
    big, small = root / "big.nt", root / "small.nt"
    synthetic.write_ntriples(big, 12_000, seed=3, prefix="big")
    synthetic.write_ntriples(small, 1_500, seed=11, prefix="small")  # same classes, new edges
    broken = root / "broken.nt"
    broken.write_text(small.read_text(encoding="utf-8") + "<urn:a> <urn:b> .\n", encoding="utf-8")
    return {"big": big, "small": small, "broken": broken}


def _outcome(call: Callable[[], object]) -> object:
    try:
        return call()
    except pvp_kg.PVPKGError as exc:  # e.g. a synthetic term not merged yet: same error
        return f"{type(exc).__name__}: {exc}"


def _answers(kg: pvp_kg.KnowledgeGraph) -> dict[str, object]:
    def related() -> object:
        return [(i.concept.curie, i.kind, [(e.subject, e.predicate, e.object) for e in i.via])
                for i in kg.complications(related_to="cement leakage")]

    return {
        "triples": len(kg.graph),
        "related": _outcome(related),
        "complications": [i.concept.curie for i in kg.complications()],
        "out": _outcome(lambda: kg.edges_of("synthetic complication 40")),
        "risk": _outcome(lambda: [i.concept.curie
                                  for i in kg.risk_factors("synthetic complication 41")]),
        "search": [m.concept.curie for m in kg.search("synthetic complication 7", limit=3)],
        "resolve": kg.resolve("synthetic 12"),
    }


@pytest.fixture(scope="module")
def merged(files: dict[str, Path]) -> dict[str, pvp_kg.KnowledgeGraph]:
    out = {}
    for backend in BACKENDS:
        kg = pvp_kg.load(backend=backend)
        kg.merge(files["big"])  # large next to the graph: the Oxigraph backend swaps stores
        kg.merge(files["small"])  # small next to it: staged, derived incrementally
        out[backend] = kg
    return out


def test_merge_reaches_the_typed_methods(merged: dict[str, pvp_kg.KnowledgeGraph]) -> None:
    related = {i.concept.curie for i in merged["oxigraph"].complications(
        related_to="cement leakage")}
    new = {f"pvp:Synthetic{i}" for i in range(synthetic.RELATED_TO_CEMENT_LEAKAGE)}
    assert new <= related
    assert merged["oxigraph"].concept("synthetic complication 3").curie == "pvp:Synthetic3"


def test_both_backends_answer_alike_after_merges(
        merged: dict[str, pvp_kg.KnowledgeGraph]) -> None:
    assert _answers(merged["oxigraph"]) == _answers(merged["rdflib"])
    assert list(merged["oxigraph"].edges) == list(merged["rdflib"].edges)


def test_lazy_edge_view_equals_a_full_rebuild(merged: dict[str, pvp_kg.KnowledgeGraph]) -> None:
    kg = merged["oxigraph"]
    from pvp_kg.oxstore import StoreEdgeView

    lazy = StoreEdgeView(kg.graph, kg.terms)  # node by node, nothing built yet
    full = canonical_order(build_edge_view(kg.graph, kg.terms))
    nodes = sorted({n for e in full for n in (e.subject, e.object)})
    assert len(nodes) > 500
    for node in nodes[::3]:
        assert lazy.out(node) == full.out(node), node
        assert lazy.into(node) == full.into(node), node


def test_incremental_derivation_equals_a_full_one(
        merged: dict[str, pvp_kg.KnowledgeGraph]) -> None:
    kg = merged["oxigraph"]
    from pvp_kg.oxstore import count, inner, materialise

    store = inner(kg.graph)
    before = count(store)
    materialise(store, kg.terms, None)  # a full pass finds nothing the merges did not derive
    assert count(store) == before
    rebuilt = LabelIndex(kg.graph, kg.terms, kg.deprecated)
    assert {k: sorted(v, key=repr) for k, v in rebuilt.by_key.items()} == {
        k: sorted(v, key=repr) for k, v in kg.index.by_key.items()}


def test_merging_again_changes_no_answer(files: dict[str, Path],
                                         merged: dict[str, pvp_kg.KnowledgeGraph]) -> None:
    # annotated axioms are not duplicated; anonymous restrictions are new blank nodes each
    # time (on both backends), so the counts agree without being zero
    added = {}
    for backend, kg in merged.items():
        before = _answers(kg)
        added[backend] = kg.merge(files["small"])
        assert {k: v for k, v in _answers(kg).items() if k != "triples"} == {
            k: v for k, v in before.items() if k != "triples"}
    assert added["oxigraph"] == added["rdflib"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("first", ["big", "small"])
def test_a_syntax_error_leaves_the_graph_unchanged(files: dict[str, Path], backend: str,
                                                   first: str) -> None:
    kg = pvp_kg.load(backend=backend)  # type: ignore[arg-type]
    if first == "small":  # a graph much larger than the bad merge: the staged path
        kg.merge(files["big"])
    before = _answers(kg)
    edges = list(kg.edges)
    with pytest.raises(pvp_kg.InvalidInputError, match="not valid nt"):
        kg.merge(files[first], files["broken"])
    assert _answers(kg) == before
    assert list(kg.edges) == edges


def test_rdflib_incremental_merge_equals_a_full_rebuild(
        merged: dict[str, pvp_kg.KnowledgeGraph]) -> None:
    kg = merged["rdflib"]  # its second merge was small next to the graph: updated in place
    assert list(kg.edges) == list(canonical_order(build_edge_view(kg.graph, kg.terms)))
    rebuilt = LabelIndex(kg.graph, kg.terms, kg.deprecated)
    assert rebuilt.by_key == kg.index.by_key
    assert sorted(rebuilt.keys) == sorted(kg.index.keys)

"""Building the graph's state: the backend store, the bundled files, merges, derived views.

:func:`new_graph` picks the store, :func:`read_bundled` parses the shipped ontology,
:func:`parse_all` reads extra files into a scratch graph (so a merge is all or nothing), and
:func:`build_state` derives what every answer reads: the term table, the uniform edge view
(in a canonical order, so both backends answer alike) and the lookup index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from rdflib import Graph

from ._optional import require
from .edges import EdgeView, build_edge_view, drop_known_axioms, materialise
from .errors import InvalidInputError
from .limits import DEFAULT_MAX_BYTES
from .lookup import LabelIndex, deprecated_terms
from .resources import ontology_files
from .terms import TermTable

__all__ = ["BACKENDS", "Backend", "State", "build_state", "bundled_state", "new_graph",
           "parse_all", "read_bundled"]

Backend = Literal["rdflib", "oxigraph"]
BACKENDS: tuple[Backend, ...] = ("rdflib", "oxigraph")


def new_graph(backend: Backend) -> Graph:
    """An empty graph in the store of ``backend``.

    :raises InvalidInputError: an unknown backend
    :raises MissingDependencyError: ``"oxigraph"`` without the ``oxigraph`` extra
    """
    if backend == "rdflib":
        return Graph()
    if backend == "oxigraph":
        # importing oxrdflib registers the "Oxigraph" store plugin
        require("oxrdflib", feature="backend='oxigraph'", extra="oxigraph")
        from .oxstore import new_store_graph

        return new_store_graph()
    raise InvalidInputError(f"unknown backend {backend!r}; use 'rdflib' or 'oxigraph'")


def read_bundled(graph: Graph) -> None:
    """Parse the bundled ontology files into ``graph`` (trusted: straight in, no scratch)."""
    if getattr(graph.store, "pvp_kg_native", False):  # Oxigraph parses into its own store
        from .oxstore import load_files

        load_files(graph, ontology_files())
        return
    for path in ontology_files():
        graph.parse(path, format="turtle")


def parse_all(paths: Sequence[str | Path], graph: Graph, *, format: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Graph:
    """Parse every file into one scratch graph; return what ``graph`` does not already say.

    :raises InvalidInputError: a file is missing, malformed, too large or hostile
    """
    from .rdfio import parse_rdf

    incoming = Graph()
    for path in paths:
        parse_rdf(path, format=format, max_bytes=max_bytes, into=incoming)
    return drop_known_axioms(incoming, graph)


@dataclass(frozen=True, slots=True)
class State:
    """What is derived from the triples: rebuilt after every merge."""

    terms: TermTable
    edges: EdgeView
    deprecated: frozenset[str]
    index: LabelIndex


def build_state(graph: Graph) -> State:
    """Derive the term table, edge view and lookup index; add the derived triples to ``graph``."""
    if getattr(graph.store, "pvp_kg_native", False):  # derived inside the store, edges lazily
        from .oxstore import build_state as build_in_store

        return build_in_store(graph)
    from .mappings import read_mappings  # only when the state is built, not from the cache

    terms = TermTable(graph, xrefs=read_mappings())
    edges = canonical_order(build_edge_view(graph, terms))
    materialise(graph, edges)
    deprecated = deprecated_terms(graph)
    return State(terms, edges, deprecated, LabelIndex(graph, terms, deprecated))


def bundled_state() -> tuple[Graph, State]:
    """The bundled graph (rdflib store) and its state, from the start-up cache when it is
    fresh (:mod:`.cache`), else parsed and derived, then cached."""
    from .cache import bundled_sources, cached, interned

    def build() -> tuple[Graph, State]:
        graph = new_graph("rdflib")
        read_bundled(graph)
        graph = interned(graph)
        return graph, build_state(graph)

    def check(value: object) -> bool:
        return (isinstance(value, tuple) and len(value) == 2 and type(value[0]) is Graph
                and isinstance(value[1], State))

    return cached("bundled", bundled_sources(), build, check)


def canonical_order(view: EdgeView) -> EdgeView:
    """Return ``view`` with its edges, and each edge's evidence, in IRI order.

    Stores iterate triples in different orders (rdflib's memory store by insertion, the Oxigraph
    store by its indexes); ordering the edge view here makes every answer, path and export the
    same on both backends.
    """
    ordered = EdgeView()
    for edge in sorted(view, key=lambda e: (e.subject, e.predicate, e.object)):
        evidence = tuple(sorted(edge.evidence,
                                key=lambda ev: (ev.source.iri, ev.level or "", ev.note or "")))
        ordered.add(edge if evidence == edge.evidence else replace(edge, evidence=evidence))
    return ordered

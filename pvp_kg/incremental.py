"""Merging into the rdflib backend without rebuilding everything.

After ``graph += incoming``, only the edges touching a term the new triples mention can have
changed. :func:`update` recomputes those from the terms' neighbourhoods (the same triples
:class:`~pvp_kg.oxstore.StoreEdgeView` reads, run through the same
:func:`~pvp_kg.edges.build_edge_view`), keeps every other edge, writes the new derived triples
and adds the new names to the lookup index. A merge that changes the schema (property
declarations, inverses, derived axioms) or what existing edges cite (a predicate's label, a
source, an evidence level) falls back to a full rebuild.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from .edges import EdgeView, build_edge_view, materialise
from .lookup import NAME_KINDS, LabelIndex, deprecated_terms
from .vocab import (
    DCTERMS,
    DEFINITION_SOURCE,
    DERIVED_BY,
    EVIDENCE_LEVEL,
    OWL,
    RDF,
    RDFS,
    TERM_REPLACED_BY,
)

if TYPE_CHECKING:
    from .graph import KnowledgeGraph
    from .terms import TermTable

__all__ = ["clear_term_caches", "neighbourhood", "update"]

_SCHEMA = (OWL.ObjectProperty, OWL.SymmetricProperty)
#: Predicates whose object does not gain or lose an edge by the triple.
_NOT_EDGES = frozenset({RDF.type, DCTERMS.source, EVIDENCE_LEVEL, OWL.annotatedProperty,
                        OWL.onProperty, RDFS.seeAlso, DEFINITION_SOURCE})
#: A merge adding more than this share of the graph's triples is rebuilt in full (as cheap).
_FULL_SHARE = 0.25


def neighbourhood(graph: Graph, nodes: set[URIRef]) -> Graph:
    """The triples that decide the edges touching any of ``nodes``, as a small graph."""
    local = Graph()
    add = local.add

    def whole(node: Node) -> None:
        for t in graph.triples((node, None, None)):
            add(t)

    def axioms_on(target: Node) -> None:
        for ax in graph.subjects(OWL.annotatedTarget, target):
            whole(ax)

    for x in nodes:
        for t in graph.triples((x, None, None)):
            add(t)
            if t[1] == RDFS.subClassOf and isinstance(t[2], BNode):  # x ⊑ ∃p.y
                whole(t[2])
                axioms_on(t[2])
        for t in graph.triples((None, None, x)):
            add(t)
            s, p = t[0], t[1]
            if p in (OWL.annotatedSource, OWL.annotatedTarget):
                whole(s)
            elif p == OWL.someValuesFrom and isinstance(s, BNode):  # y ⊑ ∃p.x
                whole(s)
                axioms_on(s)
                for sub in graph.subjects(RDFS.subClassOf, s):
                    add((sub, RDFS.subClassOf, s))
            elif p == RDFS.subClassOf:
                for d in graph.objects(s, DEFINITION_SOURCE):
                    add((s, DEFINITION_SOURCE, d))
    for kind in _SCHEMA:
        for s in graph.subjects(RDF.type, kind):
            add((s, RDF.type, kind))
    for t in graph.triples((None, OWL.inverseOf, None)):
        add(t)
    return local


def clear_term_caches(terms: TermTable, labelled: set[str]) -> None:
    """Forget what the term table cached (a merge may say more about any term); add the newly
    labelled IRIs to its ``labelled`` set instead of recomputing it."""
    terms._concepts.clear()  # the table's own caches, refilled on use
    terms._sources.clear()
    cached = terms.__dict__
    if "labelled" in cached:
        cached["labelled"] = cached["labelled"] | labelled
    cached.pop("finding_iris", None)


def _needs_full_rebuild(kg: KnowledgeGraph, incoming: Graph) -> bool:
    """True when the merge can change edges that do not touch a term it mentions."""
    if any((None, RDF.type, kind) in incoming for kind in _SCHEMA) or any(
            True for _ in incoming.triples((None, OWL.inverseOf, None))) or any(
            True for _ in incoming.triples((None, DERIVED_BY, None))):
        return True
    cited: set[str] = set()
    for edge in kg.edges:
        cited.add(edge.predicate)
        for ev in edge.evidence:
            cited.add(ev.source.iri)
            if ev.level_iri is not None:
                cited.add(ev.level_iri)
    return any(str(s) in cited for s in set(incoming.subjects()) if isinstance(s, URIRef))


def update(kg: KnowledgeGraph, incoming: Graph) -> None:
    """Bring the derived state of ``kg`` (rdflib backend) up to date with ``incoming``, which
    was just added to ``kg.graph``."""
    if len(incoming) == 0:
        return
    if len(incoming) > _FULL_SHARE * len(kg.graph) or _needs_full_rebuild(kg, incoming):
        kg._rebuild()  # the facade's own full rebuild
        return
    graph, terms = kg.graph, kg.terms
    # the terms whose edges may change: every subject, and objects of structural triples (a
    # class, source or level named as the object of rdf:type, dcterms:source … gains no edge)
    dirty = {s for s in incoming.subjects() if isinstance(s, URIRef)}
    dirty |= {o for _, p, o in incoming if isinstance(o, URIRef) and p not in _NOT_EDGES}
    labelled = {str(s) for s in incoming.subjects(RDFS.label) if isinstance(s, URIRef)}
    clear_term_caches(terms, labelled)

    names = {str(n) for n in dirty}
    fresh = build_edge_view(neighbourhood(graph, dirty), terms)
    touching = [e for e in fresh if e.subject in names or e.object in names]
    changed = EdgeView()
    for edge in touching:
        changed.add(edge)
    materialise(graph, changed)
    from .loader import canonical_order

    combined = EdgeView()
    for edge in kg.edges:
        if edge.subject not in names and edge.object not in names:
            combined.add(edge)
    for edge in touching:
        combined.add(edge)
    kg.edges = canonical_order(combined)

    if (None, OWL.deprecated, None) in incoming:
        kg.deprecated = deprecated_terms(graph)
        kg.index = LabelIndex(graph, terms, kg.deprecated)
        return
    new_names = [(str(s), str(o), kind) for prop, kind in NAME_KINDS
                 for s, o in incoming.subject_objects(prop) if isinstance(s, URIRef)]
    replaced = {str(s): str(o) for s, o in incoming.subject_objects(TERM_REPLACED_BY)}
    kg.index.add_names(new_names, kg.deprecated, replaced)

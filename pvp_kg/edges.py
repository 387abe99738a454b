"""The uniform edge view (design §2).

Two kinds of relation are written in the ontology: existential restrictions
(``A ⊑ ∃p.B``, holds for every instance) and triples between classes (OWL 2 punning, "may"),
each with an ``owl:Axiom`` carrying its source and evidence level. :func:`build_edge_view`
turns both — plus named subclass axioms and declared ``owl:inverseOf`` pairs — into one list
of :class:`~pvp_kg.model.Edge` values, and :func:`materialise` writes the edges that were not
plain triples back into the graph (each with its own annotated axiom), so SPARQL and every
export see the same uniform graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .model import Edge, Evidence
from .terms import TermTable
from .vocab import DCTERMS, DEFINITION_SOURCE, DERIVED_BY, EVIDENCE_LEVEL, OWL, RDF, RDFS

__all__ = ["EdgeView", "build_edge_view", "closure", "drop_known_axioms", "materialise",
           "reachable"]

T = TypeVar("T")
_SUBCLASS = str(RDFS.subClassOf)


def reachable(start: T, neighbours: Callable[[T], Iterable[T]]) -> set[T]:
    """Every node reachable from ``start`` by one or more steps of ``neighbours``: ``start``
    itself only when it lies on a cycle (the bindings of a SPARQL ``p+`` from ``start``).

    >>> up = {"a": ["b"], "b": ["c", "a"]}
    >>> sorted(reachable("a", lambda n: up.get(n, ())))
    ['a', 'b', 'c']
    """
    seen: set[T] = set()
    todo = list(neighbours(start))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(neighbours(node))
    return seen


def closure(start: T, neighbours: Callable[[T], Iterable[T]]) -> set[T]:
    """Every node reachable from ``start`` by one or more steps of ``neighbours``, without
    ``start`` itself (cycles are walked once).

    >>> up = {"a": ["b"], "b": ["c", "a"]}
    >>> sorted(closure("a", lambda n: up.get(n, ())))
    ['b', 'c']
    """
    return reachable(start, neighbours) - {start}


_Key = tuple[str, str, str]


@dataclass
class EdgeView:
    """All edges of the graph, indexed by subject, object and triple."""

    edges: list[Edge] = field(default_factory=list)
    by_subject: dict[str, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    by_object: dict[str, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    by_key: dict[_Key, Edge] = field(default_factory=dict)

    def add(self, edge: Edge) -> None:
        """Add ``edge`` unless an edge with the same triple is there (evidence is merged)."""
        key = (edge.subject, edge.predicate, edge.object)
        old = self.by_key.get(key)
        if old is not None:
            merged = _merge_evidence(old.evidence, edge.evidence)
            if merged == old.evidence:
                return
            edge = _replace(old, evidence=merged)
            self._remove(old)
        self.by_key[key] = edge
        self.edges.append(edge)
        self.by_subject[edge.subject].append(edge)
        self.by_object[edge.object].append(edge)

    def _remove(self, edge: Edge) -> None:
        self.edges.remove(edge)
        self.by_subject[edge.subject].remove(edge)
        self.by_object[edge.object].remove(edge)

    def get(self, subject: str, predicate: str, obj: str) -> Edge | None:
        """Return the edge for one triple, or None."""
        return self.by_key.get((subject, predicate, obj))

    def out(self, subject: str, predicate: str | None = None) -> list[Edge]:
        """Edges leaving ``subject`` (optionally with one predicate)."""
        return [e for e in self.by_subject.get(subject, ()) if predicate in (None, e.predicate)]

    def into(self, obj: str, predicate: str | None = None) -> list[Edge]:
        """Edges arriving at ``obj`` (optionally with one predicate)."""
        return [e for e in self.by_object.get(obj, ()) if predicate in (None, e.predicate)]

    def chain(self, start: str, end: str, predicate: str) -> tuple[Edge, ...]:
        """Shortest chain of ``predicate`` edges from ``start`` to ``end`` (breadth first);
        ``()`` when ``start == end`` or none exists."""
        if start == end:
            return ()
        frontier: list[tuple[str, tuple[Edge, ...]]] = [(start, ())]
        seen = {start}
        while frontier:
            nxt = []
            for node, path in frontier:
                for edge in self.out(node, predicate):
                    if edge.object == end:
                        return (*path, edge)
                    if edge.object not in seen:
                        seen.add(edge.object)
                        nxt.append((edge.object, (*path, edge)))
            frontier = nxt
        return ()

    def is_a(self, iri: str, parent: str) -> bool:
        """True when ``iri`` is ``parent`` or reaches it by subclass edges."""
        return iri == parent or parent in closure(
            iri, lambda node: (e.object for e in self.out(node, _SUBCLASS)))

    def __iter__(self) -> Iterator[Edge]:
        return iter(self.edges)

    def __len__(self) -> int:
        return len(self.edges)


def _replace(edge: Edge, **changes: object) -> Edge:
    from dataclasses import replace

    return replace(edge, **changes)  # type: ignore[arg-type]


def _merge_evidence(a: tuple[Evidence, ...], b: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    seen = {(e.source.iri, e.level): e for e in a}
    for e in b:
        seen.setdefault((e.source.iri, e.level), e)
    return tuple(seen.values())


def _axiom_index(graph: Graph) -> dict[tuple[Node, Node, Node], list[Node]]:
    """Map each annotated (source, property, target) to its owl:Axiom nodes."""
    index: dict[tuple[Node, Node, Node], list[Node]] = defaultdict(list)
    for ax in graph.subjects(RDF.type, OWL.Axiom):
        s = graph.value(ax, OWL.annotatedSource)
        p = graph.value(ax, OWL.annotatedProperty)
        o = graph.value(ax, OWL.annotatedTarget)
        if s is not None and p is not None and o is not None:
            index[(s, p, o)].append(ax)
    return index


def _evidence(axioms: Iterable[Node], terms: TermTable) -> tuple[Evidence, ...]:
    out: tuple[Evidence, ...] = ()
    for ax in axioms:
        out = _merge_evidence(out, terms.evidence_of(ax))
    return out


def _definition_evidence(subject: URIRef, graph: Graph, terms: TermTable) -> tuple[Evidence, ...]:
    """Fallback evidence of a subclass axiom: the subject's definition source."""
    return tuple(terms.source_evidence(str(src), note="definition source")
                 for src in sorted(graph.objects(subject, DEFINITION_SOURCE), key=str))


def build_edge_view(graph: Graph, terms: TermTable) -> EdgeView:
    """Build the uniform edge view of ``graph``.

    :param graph: the ontology graph (it is only read)
    :param terms: the term table of the same graph, for labels and sources
    :returns: every edge between named terms, with evidence and quantifier
    """
    view = EdgeView()
    axioms = _axiom_index(graph)
    object_properties = {p for p in graph.subjects(RDF.type, OWL.ObjectProperty)
                         if isinstance(p, URIRef)}
    object_properties |= {p for p in graph.subjects(RDF.type, OWL.SymmetricProperty)
                          if isinstance(p, URIRef)}

    def make(s: Node, p: Node, o: Node, ev: tuple[Evidence, ...], quantifier: str,
             derived_by: str | None) -> Edge:
        return Edge(
            subject=str(s), predicate=str(p), object=str(o), evidence=ev,
            quantifier=quantifier,  # type: ignore[arg-type]
            subject_label=terms.label(str(s)), predicate_label=terms.label(str(p)),
            object_label=terms.label(str(o)), derived_by=derived_by,
        )

    # 1. asserted triples with an object property between two named terms ("may").
    restriction_edges: set[tuple[Node, Node, Node]] = set()
    for ax in graph.subjects(DERIVED_BY, None):
        s = graph.value(ax, OWL.annotatedSource)
        p = graph.value(ax, OWL.annotatedProperty)
        o = graph.value(ax, OWL.annotatedTarget)
        restriction_edges.add((s, p, o))  # type: ignore[arg-type]
    for p in object_properties:
        for s, o in graph.subject_objects(p):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                own = [ax for ax in axioms.get((s, p, o), ())
                       if graph.value(ax, DERIVED_BY) is None]
                if not own and (s, p, o) in restriction_edges:
                    continue  # written back by materialise(); rebuilt from its source below
                # a node that carries its own source (a finding) lends it to its edges
                ev = _evidence(own, terms) or terms.evidence_of(s)
                view.add(make(s, p, o, ev, "some", None))

    # 2. named subclass axioms ("all").
    for s, o in graph.subject_objects(RDFS.subClassOf):
        if not isinstance(s, URIRef):
            continue
        if isinstance(o, URIRef):
            ev = _evidence(axioms.get((s, RDFS.subClassOf, o), ()), terms)
            view.add(make(s, RDFS.subClassOf, o, ev or _definition_evidence(s, graph, terms),
                          "all", None))
        elif isinstance(o, BNode) and (o, RDF.type, OWL.Restriction) in graph:
            # 3. existential restrictions ("all").
            prop = graph.value(o, OWL.onProperty)
            filler = graph.value(o, OWL.someValuesFrom)
            if isinstance(prop, URIRef) and isinstance(filler, URIRef):
                ev = _evidence(axioms.get((s, RDFS.subClassOf, o), ()), terms)
                view.add(make(s, prop, filler, ev, "all", "existential restriction"))

    # 4. inverse pairs, both directions declared once.
    inverses: dict[str, str] = {}
    for p, q in graph.subject_objects(OWL.inverseOf):
        if not (isinstance(p, URIRef) and isinstance(q, URIRef)):
            continue  # an anonymous inverse names no property an edge could carry
        inverses[str(p)] = str(q)
        inverses[str(q)] = str(p)
    for edge in list(view.edges):
        inverse = inverses.get(edge.predicate)
        if inverse is None or view.get(edge.object, inverse, edge.subject) is not None:
            continue
        view.add(Edge(
            subject=edge.object, predicate=inverse, object=edge.subject,
            evidence=edge.evidence, quantifier="some",
            subject_label=edge.object_label, predicate_label=terms.label(inverse),
            object_label=edge.subject_label,
            derived_by=f"inverse of {edge.predicate_label}",
        ))
    return view


def materialise(graph: Graph, view: EdgeView) -> int:
    """Write derived edges (restrictions, inverses) into ``graph`` as annotated triples.

    Idempotent: an edge already present as a triple is left alone.

    :returns: the number of triples added
    """
    before = len(graph)
    for edge in view:
        if edge.derived_by is None:
            continue
        s, p, o = URIRef(edge.subject), URIRef(edge.predicate), URIRef(edge.object)
        if (s, p, o) in graph:
            continue
        graph.add((s, p, o))
        for ev in edge.evidence or (None,):
            ax = BNode()
            graph.add((ax, RDF.type, OWL.Axiom))
            graph.add((ax, OWL.annotatedSource, s))
            graph.add((ax, OWL.annotatedProperty, p))
            graph.add((ax, OWL.annotatedTarget, o))
            graph.add((ax, DERIVED_BY, Literal(edge.derived_by)))
            if ev is not None:
                graph.add((ax, DCTERMS.source, URIRef(ev.source.iri)))
                if ev.level_iri is not None:
                    graph.add((ax, EVIDENCE_LEVEL, URIRef(ev.level_iri)))
    return len(graph) - before



def _axiom_keys(graph: Graph) -> dict[Node, tuple[object, ...]]:
    """Key every axiom whose source and target are IRIs by its whole content."""
    keys: dict[Node, tuple[object, ...]] = {}
    for ax in graph.subjects(RDF.type, OWL.Axiom):
        target = graph.value(ax, OWL.annotatedTarget)
        if not isinstance(target, URIRef):
            continue
        keys[ax] = tuple(sorted((str(p), str(o)) for p, o in graph.predicate_objects(ax)))
    return keys


def drop_known_axioms(incoming: Graph, graph: Graph) -> Graph:
    """Remove from ``incoming`` the annotated axioms ``graph`` already holds.

    Axioms are blank nodes, so merging the same file twice would otherwise duplicate every
    annotation; with this, merging is idempotent for them.
    """
    known = set(_axiom_keys(graph).values())
    for ax, key in _axiom_keys(incoming).items():
        if key in known:
            incoming.remove((ax, None, None))
    return incoming

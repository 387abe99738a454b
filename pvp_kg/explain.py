"""Edge paths between concepts, and neighbourhoods, over the uniform edge view."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .model import Edge
from .vocab import CAUSALLY_UPSTREAM_OF, CAUSALLY_UPSTREAM_OF_OR_WITHIN, RDFS

if TYPE_CHECKING:
    import networkx

    from .graph import KnowledgeGraph

__all__ = ["format_path", "neighbourhood", "paths", "to_networkx"]


_SUBCLASS = str(RDFS.subClassOf)

# A search state: the node reached and whether the last move went up a subclass edge.
_State = tuple[str, bool]


#: Edges a clinician draws first: subtypes and causal chains, walked from cause to effect.
_MEANINGFUL = frozenset((
    _SUBCLASS,
    str(CAUSALLY_UPSTREAM_OF),
    str(CAUSALLY_UPSTREAM_OF_OR_WITHIN),
))


def _moves(kg: KnowledgeGraph, node: str, went_up: bool,
           down: bool, meaningful: bool = False) -> Iterator[tuple[str, Edge, bool]]:
    """Moves from ``node``: along any edge; with ``down``, also from a class to a subclass.

    Going up to a parent and straight back down to a sibling is not allowed: "both are
    complications" explains nothing.
    """
    for edge in kg.edges.out(node):
        if meaningful and edge.predicate not in _MEANINGFUL:
            continue  # a causal edge counts in whichever direction the source stated it
        yield edge.object, edge, edge.predicate == _SUBCLASS
    if down and not went_up:
        for edge in kg.edges.into(node, _SUBCLASS):
            yield edge.subject, edge, False


def _shortest(kg: KnowledgeGraph, start: str, end: str, limit: int,
              down: bool, meaningful: bool = False) -> list[tuple[Edge, ...]]:
    """All shortest paths (up to ``limit``) by breadth-first search; findings are skipped."""
    if start == end:
        return []
    layer: dict[_State, list[tuple[Edge, ...]]] = {(start, False): [()]}
    seen = {start}
    findings = kg.terms.finding_iris  # findings are recognised by type, whatever their IRI
    for _ in range(12):
        nxt: dict[_State, list[tuple[Edge, ...]]] = {}
        for (node, went_up), routes in layer.items():
            for other, edge, up in _moves(kg, node, went_up, down, meaningful):
                if other in seen or other in findings:
                    continue
                bucket = nxt.setdefault((other, up), [])
                for route in routes:
                    if len(bucket) < limit:
                        bucket.append((*route, edge))
        done = [r for (node, _), routes in nxt.items() if node == end for r in routes]
        if done:
            return done[:limit]
        if not nxt:
            break
        seen.update(node for node, _ in nxt)
        layer = nxt
    return []


def paths(kg: KnowledgeGraph, start: str, end: str, limit: int = 5) -> list[tuple[Edge, ...]]:
    """Paths from ``start`` to ``end``, the meaningful ones first.

    First the path a clinician would draw: subtypes and asserted causal edges only (cement
    leakage ⊒ venous cement leakage → pulmonary cement embolism); only if there is none,
    the shortest path along any edge, then also down to subclasses (e.g. PVP → cement
    leakage ⊒ venous leakage → embolism), with part-of detours and inverse edges allowed.
    """
    found = _shortest(kg, start, end, limit, down=True, meaningful=True)
    if found:
        return found
    found = _shortest(kg, start, end, limit, down=False)
    return found or _shortest(kg, start, end, limit, down=True)


def neighbourhood(kg: KnowledgeGraph, start: str, depth: int) -> list[Edge]:
    """Edges reachable within ``depth`` hops of ``start`` (both directions), nearest first."""
    seen_nodes = {start}
    frontier = [start]
    out: dict[tuple[str, str, str], Edge] = {}
    for _ in range(depth):
        nxt = []
        for node in frontier:
            for edge in (*kg.edges.out(node), *kg.edges.into(node)):
                if edge.derived_by is not None and edge.derived_by.startswith("inverse"):
                    continue
                other = edge.object if edge.subject == node else edge.subject
                out.setdefault((edge.subject, edge.predicate, edge.object), edge)
                if other not in seen_nodes:
                    seen_nodes.add(other)
                    nxt.append(other)
        frontier = nxt
    return list(out.values())


def format_path(path: tuple[Edge, ...]) -> str:
    """Render a path with the sources of each hop: ``a —has part [src:seed]→ b``.

    Each edge names its own sources, so a reader sees which source backs which step.

    >>> format_path(())
    ''
    """
    if not path:
        return ""
    node = path[0].subject
    if len(path) > 1 and path[0].subject in (path[1].subject, path[1].object):
        node = path[0].object  # the first edge is walked backwards
    parts = [path[0].subject_label if node == path[0].subject else path[0].object_label]
    for edge in path:
        cited = ", ".join(dict.fromkeys(e.source.curie for e in edge.evidence))
        relation = f"{edge.predicate_label} [{cited}]" if cited else edge.predicate_label
        if edge.subject == node:
            parts.append(f" —{relation}→ {edge.object_label}")
            node = edge.object
        else:
            parts.append(f" ←{relation}— {edge.subject_label}")
            node = edge.subject
    return "".join(parts)


def to_networkx(kg: KnowledgeGraph) -> networkx.MultiDiGraph:
    """The edge view of ``kg`` as a new :class:`networkx.MultiDiGraph`.

    Nodes carry ``label`` and ``curie``; edges are keyed by predicate CURIE and carry
    ``predicate``, ``label``, ``quantifier``, ``sources`` and ``levels``.
    """
    import networkx as nx

    g = nx.MultiDiGraph()
    for edge in kg.edges:
        for node, label in ((edge.subject, edge.subject_label),
                            (edge.object, edge.object_label)):
            if node not in g:
                g.add_node(node, label=label, curie=kg.terms.curie(node))
        g.add_edge(edge.subject, edge.object, key=kg.terms.curie(edge.predicate),
                   predicate=edge.predicate, label=edge.predicate_label,
                   quantifier=edge.quantifier,
                   sources=[e.source.curie for e in edge.evidence],
                   levels=[e.level or "" for e in edge.evidence])
    return g

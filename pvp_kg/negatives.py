"""Negative facts: what the graph records as *not* holding between two concepts.

The ontology states them as OWL 2 negative property assertions between punned individuals
(``owl:NegativePropertyAssertion`` with ``owl:sourceIndividual``, ``owl:assertionProperty``
and ``owl:targetIndividual``), each with its source and evidence level on the assertion node.
A yes/no question is answered "No" from one of these, never from a mere absence of an edge.

>>> import pvp_kg
>>> kg = pvp_kg.load()
>>> [kg.terms.label(n.predicate) for n in recorded_not(kg, "pvp:PercutaneousVertebroplasty",
...                                                        "pvp:BalloonTamp")]
['uses device']
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import URIRef

from .model import Evidence
from .vocab import OWL, RDF

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["NegativeFact", "negative_facts", "recorded_not"]


@dataclass(frozen=True)
class NegativeFact:
    """``subject —predicate→ object`` is recorded as not holding, with its evidence."""

    subject: str
    predicate: str
    object: str
    evidence: tuple[Evidence, ...]


_CACHE: weakref.WeakKeyDictionary[object, tuple[object, tuple[NegativeFact, ...]]] = (
    weakref.WeakKeyDictionary())


def negative_facts(kg: KnowledgeGraph) -> tuple[NegativeFact, ...]:
    """Every negative property assertion of the graph between two IRIs (read once per graph
    state: a merge that rebuilds the index reads them again)."""
    cached = _CACHE.get(kg)
    if cached is not None and cached[0] is kg.index:
        return cached[1]
    graph = kg.graph
    out = []
    for node in graph.subjects(RDF.type, OWL.NegativePropertyAssertion):
        s = graph.value(node, OWL.sourceIndividual)
        p = graph.value(node, OWL.assertionProperty)
        o = graph.value(node, OWL.targetIndividual)
        if isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(o, URIRef):
            out.append(NegativeFact(str(s), str(p), str(o), kg.terms.evidence_of(node)))
    facts = tuple(sorted(out, key=lambda f: (f.subject, f.predicate, f.object)))
    _CACHE[kg] = (kg.index, facts)
    return facts


def recorded_not(kg: KnowledgeGraph, subject: str, target: str) -> list[NegativeFact]:
    """The negative facts recorded from ``subject`` to ``target`` (CURIEs or IRIs)."""
    s = kg.terms.expand(subject) or subject
    o = kg.terms.expand(target) or target
    return [f for f in negative_facts(kg) if f.subject == s and f.object == o]

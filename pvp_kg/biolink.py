"""Biolink Model categories and predicates for the property-graph exports (KGX, Neo4j, GraphML).

Where a term's Biolink counterpart comes from, first match wins:

1. the graph itself: a ``skos:exactMatch`` / ``closeMatch`` / ``narrowMatch`` / ``broadMatch``
   from a class or property to a Biolink IRI (``https://w3id.org/biolink/vocab/…``), so the
   ontology can state or override a mapping without touching code;
2. the tables below: the upper classes and the properties of the PVP ontology, and the OBO
   relations it reuses (for those, the Biolink Model's own exact mapping where it has one);
3. ``biolink:NamedThing`` for a category, ``biolink:related_to`` for a predicate.

Categories are inherited along ``rdfs:subClassOf`` (and ``rdf:type`` for individuals),
predicates along ``rdfs:subPropertyOf``. Every edge also keeps its own predicate in
``original_predicate``, so a coarse mapping loses nothing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from rdflib import Graph, URIRef

from .vocab import BIOLINK, OBO, PVP, RDF, RDFS, SKOS

__all__ = ["BIOLINK", "BiolinkMapper"]


_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.narrowMatch, SKOS.broadMatch)

# Our properties and the reused OBO relations. Direction is kept as in the graph, so an
# inverse property maps to Biolink's inverse predicate.
_PREDICATES: dict[str, str] = {
    str(RDFS.subClassOf): "subclass_of",
    str(PVP.hasIndication): "applied_to_treat",
    str(PVP.hasContraindication): "contraindicated_in",
    str(PVP.hasComplication): "has_adverse_event",
    str(PVP.hasRiskFactor): "increased_likelihood_associated_with",
    str(PVP.hasPreventiveMeasure): "has_preventative_intervention",
    str(PVP.diagnosedBy): "is_diagnosed_by",
    str(OBO.BFO_0000050): "part_of",  # Biolink exact mapping
    str(OBO.BFO_0000051): "has_part",  # exact
    str(OBO.BFO_0000062): "preceded_by",  # exact
    str(OBO.BFO_0000063): "precedes",  # exact
    str(OBO.BFO_0000066): "occurs_in",  # exact
    str(OBO.RO_0001025): "located_in",  # exact
    str(OBO.RO_0002233): "has_input",  # exact
    str(OBO.RO_0002234): "has_output",  # exact
    # causally upstream of / downstream of: a cause that contributes, not necessarily suffices.
    str(OBO.RO_0002411): "contributes_to",
    str(OBO.RO_0002404): "contribution_from",
}

# Upper classes of the PVP ontology.
_CATEGORIES: dict[str, str] = {
    str(PVP.MedicalProcedure): "Procedure",
    str(PVP.ProcedureStep): "Procedure",
    str(PVP.NeedleApproach): "Procedure",
    str(PVP.ImagingModality): "Procedure",
    str(PVP.PreProcedureAssessment): "Procedure",
    str(PVP.PreventiveMeasure): "Procedure",
    str(PVP.ClinicalCondition): "DiseaseOrPhenotypicFeature",
    str(OBO.OAE_0000001): "DiseaseOrPhenotypicFeature",  # adverse event
    str(PVP.RiskFactor): "ClinicalAttribute",
    str(PVP.Benefit): "ClinicalFinding",
    str(PVP.ClinicalOutcome): "ClinicalFinding",
    str(PVP.AftercareAdvice): "Behavior",
    str(PVP.Material): "ChemicalEntity",
    str(PVP.MedicalDevice): "Device",
    str(PVP.EvidenceLevel): "EvidenceType",
    str(PVP.QuantitativeFinding): "Attribute",
    str(PVP.Severity): "SeverityValue",
    str(PVP.Source): "Publication",
}

# Terms borrowed from open ontologies, by namespace.
_NAMESPACES: dict[str, str] = {
    str(OBO) + "UBERON_": "AnatomicalEntity",
    str(OBO) + "CHEBI_": "ChemicalEntity",
    str(OBO) + "MONDO_": "Disease",
    str(OBO) + "HP_": "PhenotypicFeature",
    str(OBO) + "NCBITaxon_": "OrganismTaxon",
}

DEFAULT_CATEGORY = "biolink:NamedThing"
DEFAULT_PREDICATE = "biolink:related_to"


def _curie(local: str) -> str:
    return f"biolink:{local}"


class BiolinkMapper:
    """Biolink categories of nodes and predicates of edges for one graph (cached).

    >>> import pvp_kg
    >>> mapper = BiolinkMapper(kg.graph)
    >>> mapper.predicate("https://w3id.org/pvp-kg/hasComplication")
    'biolink:has_adverse_event'
    >>> mapper.categories("https://w3id.org/pvp-kg/PercutaneousVertebroplasty")
    ('biolink:Procedure',)
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._predicates: dict[str, str] = {}
        self._categories: dict[str, frozenset[str]] = {}
        self._stated_map: dict[str, set[str]] = {}
        for prop in _MATCHES:  # one scan: the mappings the graph itself states
            for subject, obj in graph.subject_objects(prop):
                text = str(obj)
                if text.startswith(str(BIOLINK)) and len(text) > len(BIOLINK):
                    self._stated_map.setdefault(str(subject), set()).add(
                        _curie(text[len(BIOLINK):]))

    def _stated(self, iri: str) -> list[str]:
        """Biolink CURIEs the graph maps ``iri`` to with a SKOS mapping property."""
        return sorted(self._stated_map.get(iri, ()))

    def predicate(self, iri: str) -> str:
        """Return the Biolink predicate (CURIE) for the property ``iri``.

        :param iri: the predicate IRI of an edge
        :returns: e.g. ``"biolink:has_part"``; ``"biolink:related_to"`` when nothing closer fits
        """
        hit = self._predicates.get(iri)
        if hit is not None:
            return hit
        result = DEFAULT_PREDICATE
        seen = {iri}
        queue = deque([iri])
        while queue:
            current = queue.popleft()
            stated = self._stated(current)
            if stated:
                result = stated[0]
                break
            if current in _PREDICATES:
                result = _curie(_PREDICATES[current])
                break
            for parent in sorted(str(p) for p in self.graph.objects(URIRef(current),
                                                                   RDFS.subPropertyOf)):
                if parent not in seen:
                    seen.add(parent)
                    queue.append(parent)
        self._predicates[iri] = result
        return result

    def categories(self, iri: str) -> tuple[str, ...]:
        """Return the Biolink categories (CURIEs, sorted) of the node ``iri``.

        Every ancestor (superclasses; for an individual, its classes and theirs) that has a
        mapping contributes its category.

        :param iri: a class or individual of the graph
        :returns: at least one category; ``("biolink:NamedThing",)`` when nothing fits
        """
        return tuple(sorted(self._inherited(iri, set())[0])) or (DEFAULT_CATEGORY,)

    def _inherited(self, iri: str, visiting: set[str]) -> tuple[frozenset[str], bool]:
        """Categories of ``iri`` and of all its ancestors, and whether a cycle was cut below
        it (such a partial result is not cached).

        A depth-first walk with its own stack, not recursion: a merged graph may have
        subclass chains thousands of classes deep.
        """
        hit = self._categories.get(iri)
        if hit is not None:
            return hit, False
        # each frame: the class, the categories found so far, its parents still to visit, cut
        stack: list[tuple[str, set[str], Iterator[str], list[bool]]] = []

        def enter(node: str) -> None:
            visiting.add(node)
            found = set(self._stated(node))
            if node in _CATEGORIES:
                found.add(_curie(_CATEGORIES[node]))
            found.update(_curie(c) for prefix, c in _NAMESPACES.items()
                         if node.startswith(prefix))
            ref = URIRef(node)
            parents = [str(p) for p in (*self.graph.objects(ref, RDFS.subClassOf),
                                        *self.graph.objects(ref, RDF.type))
                       if isinstance(p, URIRef)]
            stack.append((node, found, iter(parents), [False]))

        enter(iri)
        while True:
            node, found, parents, cut = stack[-1]
            for parent in parents:
                cached = self._categories.get(parent)
                if cached is not None:
                    found |= cached
                elif parent in visiting:
                    cut[0] = True
                else:
                    enter(parent)
                    break
            else:  # every parent visited: this class is done
                stack.pop()
                visiting.discard(node)
                result = frozenset(found)
                if not cut[0]:
                    self._categories[node] = result
                if not stack:
                    return result, cut[0]
                stack[-1][1].update(result)
                stack[-1][3][0] = stack[-1][3][0] or cut[0]

"""Turning IRIs of the graph into :class:`Concept`, :class:`Source` and :class:`Finding` values."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .model import Concept, Evidence, Finding, Source, findings_strongest_first
from .prefixes import PrefixTable, prefix_table
from .vocab import (
    ABBREVIATION,
    DCTERMS,
    DEFINITION,
    EVIDENCE_LEVEL,
    EXACT_SYNONYM,
    IRI_SCHEMES,
    IS_ABOUT,
    OBOINOWL,
    OWL,
    PVP,
    QUANTITATIVE_FINDING,
    RDF,
    RDFS,
    RELATED_SYNONYM,
    SKOS,
)

__all__ = ["TermTable", "converter", "english", "english_label"]



def converter() -> PrefixTable:
    """Return the CURIE prefix table for every prefix the graph uses (built once).

    >>> converter().compress("http://purl.obolibrary.org/obo/RO_0002411")
    'RO:0002411'
    """
    return prefix_table()


_TYPE_NOISE = {OWL.Class, OWL.NamedIndividual, OWL.ObjectProperty, OWL.AnnotationProperty,
               OWL.DatatypeProperty, OWL.Restriction, OWL.Axiom, OWL.Ontology,
               OWL.SymmetricProperty, OWL.TransitiveProperty}


_BUILTIN_LABELS = {str(RDFS.subClassOf): "is a", str(RDF.type): "instance of"}


def english(values: Iterable[Node]) -> str | None:
    """Pick the English (or untagged) literal among ``values``; else the first literal.

    >>> english([Literal("fuite", lang="fr"), Literal("leakage", lang="en")])
    'leakage'
    """
    literals = [v for v in values if isinstance(v, Literal)]
    for lit in literals:
        if lit.language in ("en", None):
            return str(lit)
    return str(literals[0]) if literals else None


def english_label(graph: Graph, node: Node, prop: Node = RDFS.label) -> str | None:
    """The English value of ``prop`` (default ``rdfs:label``) on ``node``, or None."""
    return english(graph.objects(node, prop))


class TermTable:
    """Read-side view of the terms of one rdflib graph, with caching.

    Rebuilt by :class:`~pvp_kg.graph.KnowledgeGraph` after every merge.
    """

    def __init__(self, graph: Graph, xrefs: dict[str, tuple[str, ...]] | None = None) -> None:
        self.graph = graph
        self.conv = converter()
        self._xrefs = xrefs or {}
        self._concepts: dict[str, Concept] = {}
        self._sources: dict[str, Source] = {}
        self._findings: dict[str, Finding] = {}
        self._about: dict[str, tuple[Finding, ...]] = {}

    # -- identifiers -------------------------------------------------------------------------
    def curie(self, iri: str) -> str:
        """Compress an IRI to a CURIE, or return it unchanged when no prefix fits."""
        return self.conv.compress(iri) or iri

    def expand(self, text: str) -> str | None:
        """Expand a CURIE to an IRI, or return None when it is not a known CURIE."""
        if ":" not in text or text.startswith(IRI_SCHEMES):
            return None
        return self.conv.expand(text)

    def label(self, iri: str) -> str:
        """Return the English label of ``iri``, or its CURIE when it has none."""
        concept = self._concepts.get(iri)
        if concept is not None:
            return concept.label
        value = english(list(self.graph.objects(URIRef(iri), RDFS.label)))
        if value is None:
            value = _BUILTIN_LABELS.get(iri)
        return value if value is not None else self.curie(iri)

    @cached_property
    def labelled(self) -> frozenset[str]:
        """Every IRI that carries an ``rdfs:label``."""
        return frozenset(str(s) for s in self.graph.subjects(RDFS.label) if isinstance(s, URIRef))

    # -- concepts ----------------------------------------------------------------------------
    def concept(self, iri: str) -> Concept:
        """Return the :class:`Concept` for ``iri`` (cached)."""
        hit = self._concepts.get(iri)
        if hit is not None:
            return hit
        node = URIRef(iri)
        g = self.graph
        synonyms = sorted({str(o) for p in (EXACT_SYNONYM, RELATED_SYNONYM)
                           for o in g.objects(node, p)})
        abbreviations = sorted({str(o) for o in g.objects(node, ABBREVIATION)})
        types = {str(o) for o in g.objects(node, RDFS.subClassOf) if isinstance(o, URIRef)}
        types |= {str(o) for o in g.objects(node, RDF.type)
                  if isinstance(o, URIRef) and o not in _TYPE_NOISE}
        xrefs = {self.curie(str(o)) for p in (SKOS.exactMatch, SKOS.closeMatch, OBOINOWL.hasDbXref)
                 for o in g.objects(node, p)}
        xrefs.update(self._xrefs.get(iri, ()))
        definition = english(list(g.objects(node, DEFINITION))) or english(
            list(g.objects(node, SKOS.definition)))
        label = english(list(g.objects(node, RDFS.label)))
        concept = Concept(
            iri=iri,
            curie=self.curie(iri),
            label=label if label is not None else self.curie(iri),
            definition=definition,
            synonyms=tuple(s for s in synonyms if s not in abbreviations),
            abbreviations=tuple(abbreviations),
            types=tuple(sorted(self.curie(t) for t in types)),
            xrefs=tuple(sorted(xrefs)),
        )
        self._concepts[iri] = concept
        return concept

    # -- sources and evidence ----------------------------------------------------------------
    def source(self, iri: str) -> Source:
        """Return the :class:`Source` described in ``sources.ttl`` (or a bare one)."""
        hit = self._sources.get(iri)
        if hit is not None:
            return hit
        node = URIRef(iri)
        url = next((str(o) for o in self.graph.objects(node, RDFS.seeAlso)), None)
        if url is None and iri.startswith(("http://", "https://")) and (
                not iri.startswith(str(PVP))):
            url = iri
        level = self.graph.value(node, EVIDENCE_LEVEL)
        src = Source(
            iri=iri,
            curie=self.curie(iri),
            label=self.label(iri),
            url=url,
            level=self.label(str(level)) if level is not None else None,
        )
        self._sources[iri] = src
        return src

    @cached_property
    def ranks(self) -> dict[str, int]:
        """Every evidence level's ``pvp:evidenceRank``, read once (:func:`evidence_ranks`)."""
        from .evidence import evidence_ranks

        return evidence_ranks(self.graph)

    def _evidence(self, source: str, level: Node | None, note: str | None) -> Evidence:
        level_iri = str(level) if level is not None else None
        return Evidence(source=self.source(source),
                        level=self.label(level_iri) if level_iri is not None else None,
                        note=note, level_iri=level_iri,
                        rank=self.ranks.get(level_iri) if level_iri is not None else None)

    def source_evidence(self, iri: str, note: str | None = None) -> Evidence:
        """Return evidence citing source ``iri`` at that source's own evidence level."""
        return self._evidence(iri, self.graph.value(URIRef(iri), EVIDENCE_LEVEL), note)

    def evidence_of(self, node: Node) -> tuple[Evidence, ...]:
        """Return the evidence carried directly by ``node`` (an axiom, a finding or a
        recommendation)."""
        level = self.graph.value(node, EVIDENCE_LEVEL)
        note = english(list(self.graph.objects(node, RDFS.comment)))
        return tuple(self._evidence(str(src), level, note)
                     for src in sorted(self.graph.objects(node, DCTERMS.source), key=str))

    # -- findings ----------------------------------------------------------------------------
    def finding(self, iri: str) -> Finding:
        """Return the :class:`Finding` (number node) ``iri`` (cached)."""
        hit = self._findings.get(iri)
        if hit is None:
            hit = self._findings[iri] = self._finding(iri)
        return hit

    def _finding(self, iri: str) -> Finding:
        node = URIRef(iri)
        g = self.graph

        def num(p: URIRef) -> float | None:
            v = g.value(node, p)
            return float(v) if isinstance(v, Literal) else None

        def count(p: URIRef) -> int | None:
            v = g.value(node, p)
            return int(v) if isinstance(v, Literal) else None

        def text(p: URIRef) -> str | None:
            return english(list(g.objects(node, p)))

        unit = g.value(node, PVP.unit)
        design = g.value(node, PVP.studyDesign)
        band_unit = g.value(node, PVP.stratumUnit)
        study = g.value(node, PVP.fromStudy)
        directions = sorted(str(o) for o in g.objects(node, PVP.resultDirection))
        return Finding(
            iri=iri,
            curie=self.curie(iri),
            label=self.label(iri),
            about=tuple(sorted(self.curie(str(o)) for o in g.objects(node, IS_ABOUT))),
            value=num(PVP.value),
            min_value=num(PVP.minValue),
            max_value=num(PVP.maxValue),
            unit=self.label(str(unit)) if unit is not None else None,
            numerator=count(PVP.numerator),
            denominator=count(PVP.denominator),
            sample_size=count(PVP.sampleSize),
            population=text(PVP.population),
            comparator=text(PVP.comparator),
            time_point=text(PVP.timePoint),
            summary=text(PVP.resultSummary),
            evidence=self.evidence_of(node),
            conflicts_with=tuple(sorted(self.curie(str(o))
                                        for o in g.objects(node, PVP.conflictsWith))),
            ci_lower=num(PVP.ciLower),
            ci_upper=num(PVP.ciUpper),
            p_value=num(PVP.pValue),
            comparator_value=num(PVP.comparatorValue),
            intervention_arm_size=count(PVP.interventionArmSize),
            comparator_arm_size=count(PVP.comparatorArmSize),
            cohort_size=count(PVP.cohortSize),
            outcome_measure=text(PVP.outcomeMeasure),
            effect_measure=text(PVP.effectMeasure),
            counted_unit=text(PVP.countedUnit),
            study_design=self.label(str(design)) if design is not None else None,
            stratum_min=num(PVP.stratumMinValue),
            stratum_max=num(PVP.stratumMaxValue),
            stratum_unit=self.label(str(band_unit)) if band_unit is not None else None,
            interventions=tuple(sorted(self.curie(str(o))
                                       for o in g.objects(node, PVP.studiedIntervention))),
            study=self.curie(str(study)) if study is not None else None,
            study_label=self.label(str(study)) if study is not None else None,
            direction=tuple(self.curie(d) for d in directions),
            direction_labels=tuple(self.label(d) for d in directions),
        )

    @cached_property
    def finding_iris(self) -> frozenset[str]:
        """Every node typed ``pvp:QuantitativeFinding``."""
        return frozenset(str(s) for s in self.graph.subjects(RDF.type, QUANTITATIVE_FINDING))

    def findings_about(self, iri: str) -> tuple[Finding, ...]:
        """Return every finding whose ``is about`` is ``iri``, strongest evidence first (cached)."""
        hit = self._about.get(iri)
        if hit is None:
            hit = self._about[iri] = self._findings_about(iri)
        return hit

    def _findings_about(self, iri: str) -> tuple[Finding, ...]:
        nodes = {str(s) for s in self.graph.subjects(IS_ABOUT, URIRef(iri))
                 if (s, RDF.type, QUANTITATIVE_FINDING) in self.graph}
        return findings_strongest_first([self.finding(n) for n in sorted(nodes)])

"""OBO Graphs JSON (the ``obographs`` format that ROBOT and the OBO tools read and write).

The document holds one graph, identified by the ontology IRI. It follows the OWL mapping of
the reference implementation (geneontology/obographs, ``FromOwl``):

- **nodes**: every class, named individual and property of the graph, with ``lbl``, type
  (``CLASS`` / ``INDIVIDUAL`` / ``PROPERTY`` with ``propertyType``) and ``meta``: definition
  (its source as an xref), synonyms (abbreviations with synonym type ``OMO:0003000``),
  ``oboInOwl:hasDbXref`` xrefs, comments, ``deprecated`` and every other annotation or data
  value as ``basicPropertyValues`` (so a finding keeps its numbers);
- **edges**: the uniform edge view — ``is_a`` for subclass axioms, the property IRI otherwise
  (restrictions and punned assertions alike) — each with its axiom annotations
  (``dcterms:source``, ``pvp:evidenceLevel``, ``pvp:derivedBy``) in ``meta``; plus ``type``
  edges from named individuals to their classes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef

from .vocab import (
    ABBREVIATION,
    ABBREVIATION_SYNONYM_TYPE,
    DCTERMS,
    DEFINITION,
    DEFINITION_SOURCE,
    DERIVED_BY,
    EVIDENCE_LEVEL,
    EXACT_SYNONYM,
    OBOINOWL,
    OWL,
    PVP,
    RDF,
    RDFS,
    RELATED_SYNONYM,
    SKOS,
    XSD,
)

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["main_ontology", "obograph_document", "write_obographs"]

_ABBREVIATION_TYPE = str(ABBREVIATION_SYNONYM_TYPE)
_NODE_TYPES = {
    OWL.Class: ("CLASS", None),
    OWL.NamedIndividual: ("INDIVIDUAL", None),
    OWL.ObjectProperty: ("PROPERTY", "OBJECT"),
    OWL.AnnotationProperty: ("PROPERTY", "ANNOTATION"),
    OWL.DatatypeProperty: ("PROPERTY", "DATA"),
}
_SYNONYMS = {EXACT_SYNONYM: "hasExactSynonym", RELATED_SYNONYM: "hasRelatedSynonym",
             OBOINOWL.hasBroadSynonym: "hasBroadSynonym",
             OBOINOWL.hasNarrowSynonym: "hasNarrowSynonym"}
# Read into dedicated fields (or structural): not repeated as basic property values.
_HANDLED = {RDF.type, RDFS.label, RDFS.comment, RDFS.subClassOf, RDFS.subPropertyOf,
            OWL.inverseOf, DEFINITION, SKOS.definition, ABBREVIATION, OBOINOWL.hasDbXref,
            OWL.deprecated, *_SYNONYMS}
_DECIMALS = {XSD.decimal, XSD.double, XSD.float}
_INTEGERS = {XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger, XSD.positiveInteger}
# Axioms between properties, as the reference implementation names their edges.
_PROPERTY_EDGES = {RDFS.subPropertyOf: "subPropertyOf", OWL.inverseOf: "inverseOf"}


def _text(node: Any) -> str:
    """A value as text; numbers in one canonical form (stores differ in the lexical form they
    keep: the Oxigraph store turns ``"70.0"^^xsd:decimal`` into ``"70"``)."""
    if isinstance(node, Literal) and node.datatype in _DECIMALS:
        return repr(float(node))
    if isinstance(node, Literal) and node.datatype in _INTEGERS:
        return str(int(node))
    return str(node)


def _node(kg: KnowledgeGraph, iri: str, kind: tuple[str, str | None] | None,
          edge_predicates: set[str]) -> dict[str, Any]:
    g, ref = kg.graph, URIRef(iri)
    out: dict[str, Any] = {"id": iri}
    label = kg.terms.label(iri) if iri in kg.terms.labelled else None
    if label is not None:
        out["lbl"] = label
    if kind is not None:
        out["type"] = kind[0]
        if kind[1] is not None:
            out["propertyType"] = kind[1]
    meta: dict[str, Any] = {}
    definition = kg.terms.concept(iri).definition if label is not None else None
    if definition:
        xrefs = sorted(kg.terms.curie(str(s)) for s in g.objects(ref, DEFINITION_SOURCE))
        meta["definition"] = {"val": definition, **({"xrefs": xrefs} if xrefs else {})}
    abbreviations = {str(o) for o in g.objects(ref, ABBREVIATION)}
    synonyms = [{"pred": "hasExactSynonym", "val": a, "synonymType": _ABBREVIATION_TYPE}
                for a in sorted(abbreviations)]
    for prop, pred in _SYNONYMS.items():
        synonyms += [{"pred": pred, "val": str(o)}
                     for o in sorted(g.objects(ref, prop), key=str) if str(o) not in abbreviations]
    if synonyms:
        meta["synonyms"] = synonyms
    xrefs = sorted({str(o) for o in g.objects(ref, OBOINOWL.hasDbXref)})
    if xrefs:
        meta["xrefs"] = [{"val": x} for x in xrefs]
    comments = sorted(str(o) for o in g.objects(ref, RDFS.comment))
    if comments:
        meta["comments"] = comments
    values = sorted(((str(p), _text(o)) for p, o in g.predicate_objects(ref)
                     if p not in _HANDLED and not isinstance(o, BNode)
                     and not (isinstance(o, URIRef) and str(p) in edge_predicates)))
    if values:
        meta["basicPropertyValues"] = [{"pred": p, "val": v} for p, v in values]
    if iri in kg.deprecated:
        meta["deprecated"] = True
    if meta:
        out["meta"] = meta
    return out


def main_ontology(kg: KnowledgeGraph) -> str:
    """Return the IRI of the graph's main ontology.

    :param kg: the knowledge graph
    :returns: the first declared ontology with a version, else the first declared one, else
        the project's ontology IRI
    """
    declared = sorted(str(o) for o in kg.graph.subjects(RDF.type, OWL.Ontology)
                      if isinstance(o, URIRef))
    versioned = [o for o in declared if (URIRef(o), OWL.versionInfo, None) in kg.graph]
    return (versioned or declared or [str(PVP) + "pvp.owl"])[0]


def obograph_document(kg: KnowledgeGraph) -> dict[str, Any]:
    """Return the OBO Graphs JSON document of the graph, as a dictionary.

    :param kg: the knowledge graph
    :returns: ``{"graphs": [graph]}``
    """
    g = kg.graph
    kinds: dict[str, tuple[str, str | None]] = {}
    for rdf_type, kind in _NODE_TYPES.items():
        for s in g.subjects(RDF.type, rdf_type):
            if isinstance(s, URIRef):
                kinds.setdefault(str(s), kind)
    edge_predicates = {e.predicate for e in kg.edges}
    ids = set(kinds) | {i for e in kg.edges for i in (e.subject, e.object)}

    edges = []
    for e in kg.edges:
        values = []
        for ev in e.evidence:
            values.append({"pred": str(DCTERMS.source), "val": ev.source.iri})
            if ev.level_iri:
                values.append({"pred": str(EVIDENCE_LEVEL), "val": ev.level_iri})
        if e.derived_by:
            values.append({"pred": str(DERIVED_BY), "val": e.derived_by})
        unique = [dict(t) for t in dict.fromkeys(tuple(v.items()) for v in values)]
        pred = "is_a" if e.predicate == str(RDFS.subClassOf) else e.predicate
        edge: dict[str, Any] = {"sub": e.subject, "pred": pred, "obj": e.object}
        if unique:
            edge["meta"] = {"basicPropertyValues": unique}
        edges.append(edge)
    for individual in sorted(i for i, k in kinds.items() if k[0] == "INDIVIDUAL"):
        for cls in sorted(str(o) for o in g.objects(URIRef(individual), RDF.type)
                          if isinstance(o, URIRef) and o not in _NODE_TYPES):
            edges.append({"sub": individual, "pred": "type", "obj": cls})
            ids.add(cls)
    for prop, pred in _PROPERTY_EDGES.items():
        for sub, obj in g.subject_objects(prop):
            if isinstance(sub, URIRef) and isinstance(obj, URIRef):
                edges.append({"sub": str(sub), "pred": pred, "obj": str(obj)})
                ids.update((str(sub), str(obj)))
    edges.sort(key=lambda x: (x["sub"], x["pred"], x["obj"]))

    main = main_ontology(kg)
    graph_meta: dict[str, Any] = {}
    version = g.value(URIRef(main), OWL.versionIRI)
    if version is not None:
        graph_meta["version"] = str(version)
    annotations = sorted((str(p), str(o)) for p, o in g.predicate_objects(URIRef(main))
                         if p not in (RDF.type, OWL.versionIRI)
                         and isinstance(o, (Literal, URIRef)))
    if annotations:
        graph_meta["basicPropertyValues"] = [{"pred": p, "val": v} for p, v in annotations]
    graph: dict[str, Any] = {
        "id": main,
        **({"meta": graph_meta} if graph_meta else {}),
        "nodes": [_node(kg, i, kinds.get(i), edge_predicates) for i in sorted(ids)],
        "edges": edges,
        "equivalentNodesSets": [],
        "logicalDefinitionAxioms": [],
        "domainRangeAxioms": [],
        "propertyChainAxioms": [],
    }
    return {"graphs": [graph]}


def write_obographs(kg: KnowledgeGraph) -> str:
    """Return the OBO Graphs JSON text of the graph (indented, in a stable order).

    :param kg: the knowledge graph
    :returns: the JSON document, ending with a newline
    """
    return json.dumps(obograph_document(kg), indent=2, ensure_ascii=False) + "\n"

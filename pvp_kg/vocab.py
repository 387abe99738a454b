"""Namespaces and the IRIs of the properties the library reads (no clinical facts here)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

__all__ = [
    "DCTERMS",
    "OBO",
    "OBOINOWL",
    "OWL",
    "PREFIXES",
    "PVP",
    "RDF",
    "RDFS",
    "SKOS",
    "SRC",
    "UNIT",
    "XSD",
]

PVP = Namespace("https://w3id.org/pvp-kg/")
SRC = Namespace("https://w3id.org/pvp-kg/source/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
UNIT = Namespace("http://qudt.org/vocab/unit/")

#: Prefixes known to queries, CURIE expansion and serialisations, longest namespace first.
PREFIXES: dict[str, str] = {
    "pvp": str(PVP),
    "src": str(SRC),
    "obo": str(OBO),
    "oboInOwl": str(OBOINOWL),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "unit": str(UNIT),
}

# Annotation and structural properties the loader reads.
DEFINITION = OBO.IAO_0000115
DEFINITION_SOURCE = OBO.IAO_0000119
IS_ABOUT = OBO.IAO_0000136
TERM_REPLACED_BY = OBO.IAO_0100001
EXACT_SYNONYM = OBOINOWL.hasExactSynonym
RELATED_SYNONYM = OBOINOWL.hasRelatedSynonym
ABBREVIATION = PVP.abbreviation
EVIDENCE_LEVEL = PVP.evidenceLevel
DERIVED_BY = PVP.derivedBy
QUANTITATIVE_FINDING = PVP.QuantitativeFinding

"""Every namespace and IRI the code names, and the one prefix map (no clinical facts here).

A module that needs an IRI imports it from here; no other module spells an IRI out.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD

__all__ = [
    "ABBREVIATION",
    "ABBREVIATION_SYNONYM_TYPE",
    "BIOLINK",
    "CAUSALLY_UPSTREAM_OF",
    "CAUSALLY_UPSTREAM_OF_OR_WITHIN",
    "CLINICAL_CONDITION",
    "DCTERMS",
    "DEFINITION",
    "DEFINITION_SOURCE",
    "DERIVED_BY",
    "DOI",
    "ECO_PREFIX",
    "EVIDENCE_LEVEL",
    "EVIDENCE_LEVEL_CLASS",
    "EVIDENCE_RANK",
    "EXACT_SYNONYM",
    "IRI_SCHEMES",
    "ISSUING_BODY",
    "IS_ABOUT",
    "LEX",
    "LICENSE_CC_BY",
    "MAPPING_SET_ID",
    "MERGE_BEFORE",
    "MERGE_INCOMING",
    "MEDICAL_DEVICE",
    "OBO",
    "OBOINOWL",
    "OBO_PREFIXES",
    "OWL",
    "PMID",
    "PREFIXES",
    "PVP",
    "QUANTITATIVE_FINDING",
    "CLINICAL_STUDY",
    "RESULT_DIRECTION",
    "RECOMMEND_AGAINST",
    "RECOMMEND_FOR",
    "RECOMMEND_FOR_SELECTED",
    "RDF",
    "RDFS",
    "REASONER_INVERSE",
    "REASONER_PROTOTYPE",
    "RELATED_SYNONYM",
    "SEMAPV",
    "SH",
    "SKOS",
    "SPARQL_RESULTS",
    "SRC",
    "TERM_REPLACED_BY",
    "UNIT",
    "XREF_PREFIXES",
    "XSD",
]

PVP = Namespace("https://w3id.org/pvp-kg/")
SRC = Namespace("https://w3id.org/pvp-kg/source/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
UNIT = Namespace("http://qudt.org/vocab/unit/")
#: The Biolink Model namespace (kgx, neo4j and graphml exports).
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
#: The Semantic Mapping Vocabulary (SSSOM justifications).
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
#: DOI and PubMed resolvers (source IRIs and cross-references).
DOI = Namespace("https://doi.org/")
PMID = Namespace("https://pubmed.ncbi.nlm.nih.gov/")
#: The lexicon of question words (ask/nlu).
LEX = Namespace("https://w3id.org/pvp-kg/lexicon/")
#: The SPARQL query results XML namespace.
SPARQL_RESULTS = "http://www.w3.org/2005/sparql-results#"

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

#: OBO ontologies whose terms the graph borrows: ``PREFIX:local`` ↔ ``obo:PREFIX_local``.
OBO_PREFIXES = ("BFO", "RO", "IAO", "UBERON", "CHEBI", "MONDO", "HP", "OAE", "ECO", "NCIT", "OMO",
                "UO", "OGMS", "NCBITaxon", "PATO")
#: Prefixes of cross-references and sources (CURIEs in mappings and source records).
XREF_PREFIXES: dict[str, str] = {
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "UMLS": "https://uts.nlm.nih.gov/uts/umls/concept/",
    "SCTID": "http://snomed.info/id/",
    "ICD10CM": "http://purl.bioontology.org/ontology/ICD10CM/",
    "ICD10PCS": "http://purl.bioontology.org/ontology/ICD10PCS/",
    "CPT": "http://purl.bioontology.org/ontology/CPT/",
    "doi": str(DOI),
    "pmid": str(PMID),
}
#: How an absolute IRI (rather than a CURIE or a name) begins.
IRI_SCHEMES = ("http://", "https://", "urn:")
#: The start of every Evidence and Conclusion Ontology IRI.
ECO_PREFIX = str(OBO) + "ECO_"

# Annotation and structural properties the loader reads.
DEFINITION = OBO.IAO_0000115
DEFINITION_SOURCE = OBO.IAO_0000119
IS_ABOUT = OBO.IAO_0000136
TERM_REPLACED_BY = OBO.IAO_0100001
EXACT_SYNONYM = OBOINOWL.hasExactSynonym
RELATED_SYNONYM = OBOINOWL.hasRelatedSynonym
ABBREVIATION = PVP.abbreviation
EVIDENCE_LEVEL = PVP.evidenceLevel
#: An evidence level's place in the order of strength (xsd:integer, 1 = strongest).
EVIDENCE_RANK = PVP.evidenceRank
#: The class of the evidence levels.
EVIDENCE_LEVEL_CLASS = PVP.EvidenceLevel
#: Guideline recommendations: the class of issuing bodies, and the directions that settle a
#: yes/no "is it recommended by X" (for, for selected patients only → yes; against → no).
ISSUING_BODY = PVP.IssuingBody
#: The class of the conditions a recommendation may apply to (``pvp:appliesToCondition``).
CLINICAL_CONDITION = PVP.ClinicalCondition
RECOMMEND_FOR = PVP.RecommendFor
RECOMMEND_FOR_SELECTED = PVP.RecommendForSelected
RECOMMEND_AGAINST = PVP.RecommendAgainst
DERIVED_BY = PVP.derivedBy
QUANTITATIVE_FINDING = PVP.QuantitativeFinding
#: Named trials, reviews and series that findings come from (``pvp:fromStudy``).
CLINICAL_STUDY = PVP.ClinicalStudy
#: How a finding's result came out (``pvp:resultDirection``).
RESULT_DIRECTION = PVP.ResultDirection
#: OMO "abbreviation" synonym type (OBO Graphs export).
ABBREVIATION_SYNONYM_TYPE = OBO.OMO_0003000
#: The ``mapping_set_id`` of the SSSOM export.
MAPPING_SET_ID = PVP["mappings/pvp.sssom.tsv"]
#: The licence of the bundled mappings (SSSOM ``license``).
LICENSE_CC_BY = "https://creativecommons.org/licenses/by/4.0/"
#: Classes and properties the answer and path code names.
MEDICAL_DEVICE = PVP.MedicalDevice
#: RO "causally upstream of" and "causally upstream of or within".
CAUSALLY_UPSTREAM_OF = OBO.RO_0002411
#: BFO has part: a procedure's steps and parts
HAS_PART = OBO.BFO_0000051
CAUSALLY_UPSTREAM_OF_OR_WITHIN = OBO.RO_0002418

# Scratch IRIs the reasoner's input uses (never in the graph itself).
REASONER_PROTOTYPE = "urn:pvp-kg:prototype:"
REASONER_INVERSE = "urn:pvp-kg:inverse-of:"

# Named graphs of the Oxigraph store during a merge (dropped before the merge returns).
MERGE_INCOMING = "urn:pvp-kg:incoming"
MERGE_BEFORE = "urn:pvp-kg:before"

"""The graph as nodes and edges with attributes: KGX TSV, Neo4j admin-import CSV and GraphML.

All three are written from one property-graph view of the uniform edge view
(:func:`property_graph`):

- **nodes**: every edge end, and every labelled class or named individual (findings, sources
  and evidence levels included), with label, definition, synonyms, cross-references, Biolink
  categories and, for a finding, its numbers;
- **edges**: every edge of the edge view, with its provenance: the sources and evidence levels
  of its axioms. An edge that has no axiom of its own (the links of a finding to what it is
  about) carries the sources of its subject, which for a finding are stated on the node.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import typing
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from .biolink import BiolinkMapper
from .model import Edge, Evidence, Finding
from .vocab import DCTERMS, DOI, ECO_PREFIX, OWL, QUANTITATIVE_FINDING, RDF, RDFS, SKOS

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["PGEdge", "PGNode", "networkx_graph", "property_graph", "write_graphml", "write_kgx",
           "write_neo4j"]

#: The ``infores`` id of this knowledge graph, the primary knowledge source of its edges.
INFORES = "infores:pvp-kg"
_EDGE_IDS = uuid.UUID("5b1f1c2e-8f0a-4c5e-9a57-2f6d1c0e7a11")


def _finding_columns() -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """Every single-valued field of :class:`Finding` (numbers and words), read from the class.

    So a field added to ``Finding`` (a CI bound, an arm size, a design) reaches every
    property-graph export without a second list to keep in step.
    """
    hints = typing.get_type_hints(Finding)
    names: list[str] = []
    floats: set[str] = set()
    ints: set[str] = set()
    for f in dataclasses.fields(Finding):
        hint = hints[f.name]
        if f.name in ("iri", "curie", "label") or hint not in (float | None, int | None,
                                                                str | None):
            continue
        names.append(f.name)
        if hint == float | None:
            floats.add(f.name)
        elif hint == int | None:
            ints.add(f.name)
    return tuple(names), frozenset(floats), frozenset(ints)


_FINDING_FIELDS, _FLOATS, _INTS = _finding_columns()


@dataclass(frozen=True, slots=True)
class PGNode:
    """A node of the property-graph view."""

    id: str
    iri: str
    name: str
    description: str | None
    synonyms: tuple[str, ...]
    xrefs: tuple[str, ...]
    categories: tuple[str, ...]
    types: tuple[str, ...]
    deprecated: bool
    sources: tuple[str, ...]
    finding: Finding | None


@dataclass(frozen=True, slots=True)
class PGEdge:
    """An edge of the property-graph view, with its provenance."""

    id: str
    subject: str
    object: str
    edge: Edge
    predicate: str
    biolink_predicate: str
    evidence: tuple[Evidence, ...]
    publications: tuple[str, ...]
    evidence_codes: tuple[str, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """CURIEs of the sources, without repeats, in evidence order."""
        return tuple(dict.fromkeys(e.source.curie for e in self.evidence))

    @property
    def levels(self) -> tuple[str, ...]:
        """Labels of the evidence levels, without repeats."""
        return tuple(dict.fromkeys(e.level for e in self.evidence if e.level))

    @property
    def knowledge_level(self) -> str:
        """Biolink knowledge level: inverses are entailed, everything else is asserted."""
        derived = self.edge.derived_by or ""
        return "logical_entailment" if derived.startswith("inverse of") else "knowledge_assertion"

    @property
    def agent_type(self) -> str:
        """Biolink agent type: curated by hand, or computed by the loader (inverses)."""
        return ("automated_agent" if self.knowledge_level == "logical_entailment"
                else "manual_agent")


def _publication_ids(kg: KnowledgeGraph, source_iri: str) -> list[str]:
    """DOI / PMID CURIEs of a source, in Biolink's prefixes (``doi:``, ``PMID:``)."""
    node = URIRef(source_iri)
    out = []
    for ident in kg.graph.objects(node, DCTERMS.identifier):
        prefix, sep, local = str(ident).strip().partition(":")
        if sep and prefix.lower() in ("doi", "pmid") and local:
            out.append(f"{'doi' if prefix.lower() == 'doi' else 'PMID'}:{local}")
    for url in kg.graph.objects(node, RDFS.seeAlso):
        text = str(url)
        if text.startswith(str(DOI)):
            out.append(f"doi:{text[len(DOI):]}")
    return sorted(set(out))


def property_graph(kg: KnowledgeGraph) -> tuple[list[PGNode], list[PGEdge]]:
    """Return the nodes and edges of the property-graph view, sorted by id.

    :param kg: the knowledge graph
    :returns: ``(nodes, edges)``
    """
    g, terms = kg.graph, kg.terms
    mapper = BiolinkMapper(g)
    iris = {iri for e in kg.edges for iri in (e.subject, e.object)}
    for kind in (OWL.Class, OWL.NamedIndividual):
        iris.update(str(s) for s in g.subjects(RDF.type, kind)
                    if isinstance(s, URIRef) and str(s) in terms.labelled)
    sourced = {str(s) for s in g.subjects(DCTERMS.source) if isinstance(s, URIRef)}
    own_evidence = {iri: terms.evidence_of(URIRef(iri)) for iri in iris & sourced}
    findings = {str(s) for s in g.subjects(RDF.type, QUANTITATIVE_FINDING)}
    curie = cache(terms.curie)
    publications = cache(lambda source: tuple(_publication_ids(kg, source)))

    nodes = []
    for iri in sorted(iris):
        concept = terms.concept(iri)
        nodes.append(PGNode(
            id=concept.curie, iri=iri, name=concept.label, description=concept.definition,
            synonyms=tuple(sorted({*concept.synonyms, *concept.abbreviations})),
            xrefs=concept.xrefs, categories=mapper.categories(iri), types=concept.types,
            deprecated=iri in kg.deprecated,
            sources=tuple(dict.fromkeys(e.source.curie for e in own_evidence.get(iri, ()))),
            finding=terms.finding(iri) if iri in findings else None,
        ))

    codes: dict[str, tuple[str, ...]] = {}
    edges = []
    for edge in kg.edges:
        evidence = edge.evidence or own_evidence.get(edge.subject, ())
        pubs: dict[str, None] = {}
        eco: dict[str, None] = {}
        for ev in evidence:
            pubs.update(dict.fromkeys(publications(ev.source.iri)))
            if ev.level_iri is not None:
                if ev.level_iri not in codes:
                    codes[ev.level_iri] = tuple(sorted(
                        terms.curie(str(o)) for p in (SKOS.exactMatch, SKOS.closeMatch)
                        for o in g.objects(URIRef(ev.level_iri), p)
                        if str(o).startswith(ECO_PREFIX)))
                eco.update(dict.fromkeys(codes[ev.level_iri]))
        key = f"{edge.subject} {edge.predicate} {edge.object}"
        edges.append(PGEdge(
            id=f"urn:uuid:{uuid.uuid5(_EDGE_IDS, key)}",
            subject=curie(edge.subject), object=curie(edge.object), edge=edge,
            predicate=curie(edge.predicate),
            biolink_predicate=mapper.predicate(edge.predicate), evidence=evidence,
            publications=tuple(pubs), evidence_codes=tuple(eco),
        ))
    edges.sort(key=lambda e: (e.subject, e.predicate, e.object))
    return nodes, edges


# -- shared helpers ----------------------------------------------------------------------------

def _one_line(text: str | None) -> str:
    """Collapse whitespace (tabs and newlines would break TSV/CSV rows)."""
    return " ".join(text.split()) if text else ""


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return repr(float(value)) if isinstance(value, float) else str(value)


def _finding_values(node: PGNode) -> dict[str, Any]:
    if node.finding is None:
        return {}
    return {name: getattr(node.finding, name) for name in _FINDING_FIELDS
            if getattr(node.finding, name) is not None}


def _write_table(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]],
                 delimiter: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\n",
                            quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)


# -- KGX ---------------------------------------------------------------------------------------

KGX_NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "iri",
                    "provided_by", "deprecated", "pvp_types", "pvp_sources",
                    *(f"pvp_{f}" for f in _FINDING_FIELDS))
KGX_EDGE_COLUMNS = ("id", "subject", "predicate", "object", "category", "original_predicate",
                    "pvp_predicates", "predicate_label", "knowledge_level", "agent_type",
                    "primary_knowledge_source", "publications", "has_evidence", "pvp_sources",
                    "pvp_evidence_levels", "pvp_quantifier", "pvp_derived_by")
_PIPE = "|"


def _multi(values: Iterable[str]) -> str:
    """KGX multi-valued field: values joined by ``|`` (a ``|`` inside a value becomes ``/``)."""
    return _PIPE.join(_one_line(v).replace(_PIPE, "/") for v in values)


def _union(values: Iterable[Iterable[str]]) -> list[str]:
    return list(dict.fromkeys(v for group in values for v in group if v))


def _kgx_edge_row(group: list[PGEdge]) -> list[str]:
    """One KGX edge for edges that share subject, Biolink predicate and object.

    KGX (and Biolink) identify an association by that triple and would keep only one of
    them; merged here instead, the row lists every original predicate (``pvp_predicates``)
    and the union of the provenance.
    """
    first = group[0]
    if len(group) == 1:
        edge_id = first.id
        asserted = first.knowledge_level == "knowledge_assertion"
    else:
        key = f"{first.subject} {first.biolink_predicate} {first.object}"
        edge_id = f"urn:uuid:{uuid.uuid5(_EDGE_IDS, key)}"
        asserted = any(e.knowledge_level == "knowledge_assertion" for e in group)
    return [
        edge_id, first.subject, first.biolink_predicate, first.object, "biolink:Association",
        first.predicate, _multi(_union([e.predicate] for e in group)),
        _multi(_union([_one_line(e.edge.predicate_label)] for e in group)),
        "knowledge_assertion" if asserted else "logical_entailment",
        "manual_agent" if asserted else "automated_agent", INFORES,
        _multi(_union(e.publications for e in group)),
        _multi(_union(e.evidence_codes for e in group)),
        _multi(_union(e.sources for e in group)), _multi(_union(e.levels for e in group)),
        _multi(_union([e.edge.quantifier] for e in group)),
        _multi(_union([_one_line(e.edge.derived_by)] for e in group)),
    ]


def write_kgx(kg: KnowledgeGraph, directory: Path) -> list[str]:
    """Write ``pvp_kg_nodes.tsv`` and ``pvp_kg_edges.tsv`` (KGX TSV) into ``directory``.

    Edges whose subject, Biolink predicate and object coincide become one KGX edge (KGX
    would otherwise keep only one of them): ``original_predicate`` holds the first of our
    predicates, ``pvp_predicates`` all of them, and the provenance columns their union.

    :param kg: the knowledge graph
    :param directory: an existing directory
    :returns: the names of the files written
    """
    nodes, edges = property_graph(kg)
    node_rows = []
    for n in nodes:
        numbers = _finding_values(n)
        node_rows.append([
            n.id, _multi(n.categories), _one_line(n.name), _one_line(n.description),
            _multi(n.synonyms), _multi(n.xrefs), n.iri, INFORES, "true" if n.deprecated else "",
            _multi(n.types), _multi(n.sources),
            *(_number(numbers.get(f)) if f in _FLOATS | _INTS else _one_line(numbers.get(f))
              for f in _FINDING_FIELDS),
        ])
    groups: dict[tuple[str, str, str], list[PGEdge]] = {}
    for e in edges:
        groups.setdefault((e.subject, e.biolink_predicate, e.object), []).append(e)
    edge_rows = [_kgx_edge_row(group) for group in groups.values()]
    _write_table(directory / "pvp_kg_nodes.tsv", KGX_NODE_COLUMNS, node_rows, "\t")
    _write_table(directory / "pvp_kg_edges.tsv", KGX_EDGE_COLUMNS, edge_rows, "\t")
    return ["pvp_kg_nodes.tsv", "pvp_kg_edges.tsv"]


# -- Neo4j -------------------------------------------------------------------------------------

#: ``neo4j-admin database import``'s default array delimiter.
NEO4J_ARRAY_DELIMITER = ";"
_NEO4J_TYPES = {**dict.fromkeys(_FLOATS, "double"), **dict.fromkeys(_INTS, "long")}
NEO4J_NODE_HEADER = ("id:ID", ":LABEL", "name", "iri", "definition", "category:string[]",
                     "synonyms:string[]", "xrefs:string[]", "types:string[]",
                     "sources:string[]", "deprecated:boolean",
                     *(f"{f}:{_NEO4J_TYPES.get(f, 'string')}" for f in _FINDING_FIELDS))
NEO4J_EDGE_HEADER = (":START_ID", ":END_ID", ":TYPE", "predicate", "predicate_iri",
                     "predicate_label", "biolink_predicate", "quantifier", "derived_by",
                     "sources:string[]", "publications:string[]", "evidence_levels:string[]",
                     "knowledge_level", "agent_type")
_NOT_TYPE = re.compile(r"[^A-Z0-9]+")


def relationship_type(label: str) -> str:
    """Return the Neo4j relationship type for a predicate label, e.g. ``HAS_COMPLICATION``.

    :param label: the predicate's label
    :returns: upper snake case, starting with a letter

    >>> relationship_type("causally upstream of")
    'CAUSALLY_UPSTREAM_OF'
    """
    name = _NOT_TYPE.sub("_", label.upper()).strip("_")
    return name if name and not name[0].isdigit() else f"R_{name}"


def _array(values: Iterable[str]) -> str:
    """A Neo4j array field; the delimiter inside a value becomes ``,``."""
    return NEO4J_ARRAY_DELIMITER.join(_one_line(v).replace(NEO4J_ARRAY_DELIMITER, ",")
                                      for v in values)


def write_neo4j(kg: KnowledgeGraph, directory: Path) -> list[str]:
    """Write ``nodes.csv`` and ``relationships.csv`` for ``neo4j-admin database import``.

    Default import settings apply (``,`` between fields, ``;`` inside arrays); relationship
    types are the predicate labels in upper snake case (``HAS_COMPLICATION``).

    :param kg: the knowledge graph
    :param directory: an existing directory
    :returns: the names of the files written
    """
    nodes, edges = property_graph(kg)
    node_rows = []
    for n in nodes:
        numbers = _finding_values(n)
        labels = ["PVP", *(c.split(":", 1)[1] for c in n.categories)]
        node_rows.append([
            n.id, _array(labels), _one_line(n.name), n.iri, _one_line(n.description),
            _array(n.categories), _array(n.synonyms), _array(n.xrefs), _array(n.types),
            _array(n.sources), "true" if n.deprecated else "false",
            *(_number(numbers.get(f)) if f in _NEO4J_TYPES else _one_line(numbers.get(f))
              for f in _FINDING_FIELDS),
        ])
    edge_rows = [[
        e.subject, e.object, relationship_type(e.edge.predicate_label or e.predicate),
        e.predicate, e.edge.predicate, _one_line(e.edge.predicate_label), e.biolink_predicate,
        e.edge.quantifier, _one_line(e.edge.derived_by), _array(e.sources),
        _array(e.publications), _array(e.levels), e.knowledge_level, e.agent_type,
    ] for e in edges]
    _write_table(directory / "nodes.csv", NEO4J_NODE_HEADER, node_rows, ",")
    _write_table(directory / "relationships.csv", NEO4J_EDGE_HEADER, edge_rows, ",")
    return ["nodes.csv", "relationships.csv"]


# -- GraphML -----------------------------------------------------------------------------------

def networkx_graph(kg: KnowledgeGraph, *, derived: bool = True, inverses: bool = True,
                   joined: bool = False) -> Any:
    """The property graph as a :class:`networkx.MultiDiGraph`, keyed as in GraphML.

    :param derived: False leaves out every edge with ``derived_by``
    :param inverses: False leaves out the inverse edges
    :param joined: join list values with ``|`` (GraphML holds no lists) and leave out
        empty optional values, instead of keeping tuples
    """
    import networkx as nx

    nodes, edges = property_graph(kg)
    many = _multi if joined else tuple
    g = nx.MultiDiGraph()
    for n in nodes:
        attrs: dict[str, Any] = {"label": n.name, "curie": n.id, "iri": n.iri,
                                 "category": many(n.categories), "types": many(n.types),
                                 "deprecated": n.deprecated}
        optional = {"definition": n.description, "synonyms": many(n.synonyms),
                    "xrefs": many(n.xrefs), "sources": many(n.sources),
                    **_finding_values(n)}
        for name, value in optional.items():
            if value not in (None, "", ()):
                attrs[name] = float(value) if name in _FLOATS else value
        g.add_node(n.id, **attrs)
    for e in edges:
        how = e.edge.derived_by
        if how and (not derived or (not inverses and how.startswith("inverse of"))):
            continue
        attrs = {"predicate": e.predicate, "predicate_iri": e.edge.predicate,
                 "label": e.edge.predicate_label, "biolink_predicate": e.biolink_predicate,
                 "quantifier": e.edge.quantifier, "sources": many(e.sources),
                 "evidence_levels": many(e.levels), "publications": many(e.publications),
                 "knowledge_level": e.knowledge_level}
        if how or not joined:
            attrs["derived_by"] = how
        g.add_edge(e.subject, e.object, key=e.predicate, **attrs)
    g.graph["name"] = "pvp_kg"
    return g


def write_graphml(kg: KnowledgeGraph, stream: io.BufferedIOBase | Any) -> None:
    """Write the property graph as GraphML (networkx's writer) to a binary ``stream``.

    Lists become ``|``-joined strings; edges are keyed by predicate CURIE.

    :param kg: the knowledge graph
    :param stream: a binary file object
    """
    import networkx as nx

    g = networkx_graph(kg, joined=True)
    nx.write_graphml_xml(g, stream, encoding="utf-8", prettyprint=True)

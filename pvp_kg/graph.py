"""The :class:`KnowledgeGraph`: the rdflib graph, the uniform edge view and the lookup index."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from rdflib import Graph, URIRef
from rdflib.term import Node

from . import query as _query
from ._optional import require
from .edges import EdgeView, build_edge_view, drop_known_axioms, materialise
from .errors import ConceptNotFoundError, InvalidInputError, QueryError
from .evidence import level_filter
from .index import LabelIndex, deprecated_terms
from .mappings import read_mappings
from .model import Answer, Concept, Edge, Finding, Item, Match
from .rdfio import DEFAULT_MAX_BYTES, parse_rdf
from .resources import ontology_files
from .sparql import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    NamedQuery,
    SelectResult,
    named_queries,
    run_query,
    to_term,
)
from .terms import TermTable
from .vocab import TERM_REPLACED_BY

if TYPE_CHECKING:
    import networkx

__all__ = ["KnowledgeGraph", "load"]

Backend = Literal["rdflib", "oxigraph"]
_BARE_NAME = re.compile(r"[A-Za-z_][\w.-]*")


def load(
    *paths: str | Path,
    backend: Backend = "rdflib",
    bundled: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> KnowledgeGraph:
    """Load the bundled PVP graph, optionally merged with more RDF files.

    Works offline from any working directory.

    :param paths: extra RDF files to merge (format from the extension)
    :param backend: ``"rdflib"`` (in memory, default) or ``"oxigraph"`` (rdflib over the
        Oxigraph store, for large merged graphs; needs the ``oxigraph`` extra)
    :param bundled: load the bundled ontology first (``False`` for a bare graph)
    :param max_bytes: refuse any extra file larger than this
    :raises InvalidInputError: an extra file is missing, malformed or too large

    >>> kg = load()
    >>> kg.concept("PVP").label
    'percutaneous vertebroplasty'
    """
    graph = _new_graph(backend)
    files = list(ontology_files()) if bundled else []
    for path in files:  # the bundled files are trusted: parse straight into the graph
        graph.parse(path, format="turtle")
    kg = KnowledgeGraph(graph, backend=backend)
    if paths:
        kg.merge(*paths, max_bytes=max_bytes)
    return kg


def _new_graph(backend: Backend) -> Graph:
    if backend == "rdflib":
        return Graph()
    if backend == "oxigraph":
        # importing oxrdflib registers the "Oxigraph" store plugin
        require("oxrdflib", feature="backend='oxigraph'", extra="oxigraph")
        return Graph(store="Oxigraph")
    raise InvalidInputError(f"unknown backend {backend!r}; use 'rdflib' or 'oxigraph'")


def _canonical_order(view: EdgeView) -> EdgeView:
    """Return ``view`` with its edges, and each edge's evidence, in IRI order.

    Stores iterate triples in different orders (rdflib's memory store by insertion, the Oxigraph
    store by its indexes); ordering the edge view here makes every answer, path and export the
    same on both backends.
    """
    ordered = EdgeView()
    for edge in sorted(view, key=lambda e: (e.subject, e.predicate, e.object)):
        evidence = tuple(sorted(edge.evidence,
                                key=lambda ev: (ev.source.iri, ev.level or "", ev.note or "")))
        ordered.add(edge if evidence == edge.evidence else replace(edge, evidence=evidence))
    return ordered


class KnowledgeGraph:
    """The PVP knowledge graph: query it, explain it, ask it questions.

    Build one with :func:`pvp_kg.load`. ``graph`` is the underlying :class:`rdflib.Graph`
    (ontology + sources + the edges derived from restrictions and inverses).
    """

    def __init__(self, graph: Graph, *, backend: Backend = "rdflib") -> None:
        self.graph = graph
        self.backend = backend
        self._rebuild()

    # -- construction --------------------------------------------------------------------------
    def _rebuild(self) -> None:
        self.terms = TermTable(self.graph, xrefs=read_mappings())
        self.edges: EdgeView = _canonical_order(build_edge_view(self.graph, self.terms))
        materialise(self.graph, self.edges)
        self.deprecated = deprecated_terms(self.graph)
        self.index = LabelIndex(self.graph, self.deprecated)
        self._nx: Any = None

    def merge(self, *paths: str | Path, format: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> int:
        """Merge RDF files into the graph, all or nothing.

        Every file is parsed (into a scratch graph) before anything is added, so a bad file
        leaves the graph exactly as it was.

        :returns: the number of triples added
        :raises InvalidInputError: a file is missing, malformed, too large or hostile
        """
        incoming = Graph()
        for path in paths:
            parse_rdf(path, format=format, max_bytes=max_bytes, into=incoming)
        before = len(self.graph)
        self.graph += drop_known_axioms(incoming, self.graph)
        self._rebuild()
        return len(self.graph) - before

    # -- lookup --------------------------------------------------------------------------------
    @overload
    def concept(self, text: str, *, strict: Literal[True] = ...) -> Concept: ...

    @overload
    def concept(self, text: str, *, strict: Literal[False]) -> Concept | None: ...

    def concept(self, text: str, *, strict: bool = True) -> Concept | None:
        """Find a term by label, synonym, abbreviation, CURIE or IRI.

        :param strict: raise on no match (default); with ``False`` return None instead
        :raises ConceptNotFoundError: nothing matches; the message names the closest terms

        >>> kg = load()
        >>> kg.concept("pvp:CementLeakage").label
        'cement leakage'
        """
        iri = self.resolve(text)
        if iri is None:
            if not strict:
                return None
            suggestions = [m.concept.label for m in self.search(text, limit=3)]
            raise ConceptNotFoundError(text, suggestions)
        return self.terms.concept(iri)

    def resolve(self, text: str) -> str | None:
        """Return the IRI ``text`` names (label, synonym, abbreviation, CURIE, IRI) or None."""
        if not isinstance(text, str):
            raise InvalidInputError(f"a concept name must be a string, not {type(text).__name__}")
        text = text.strip()
        if text.startswith(("http://", "https://", "urn:")):
            return text if text in self.terms.labelled else None
        expanded = self.terms.expand(text)
        if expanded is not None and expanded in self.terms.labelled:
            return expanded
        names = self.index.exact(text)
        if not names:
            return None
        best = names[0]
        replaced = self.graph.value(URIRef(best.iri), TERM_REPLACED_BY)
        return str(replaced) if replaced is not None else best.iri

    def search(self, text: str, *, limit: int = 10) -> list[Match]:
        """Rank terms by how well their names match ``text`` (typos allowed).

        >>> kg = load()
        >>> kg.search("cemnt leak", limit=1)[0].concept.label
        'cement leakage'
        """
        if limit < 1:
            raise InvalidInputError("limit must be at least 1")
        return [Match(self.terms.concept(name.iri), score, name.text)
                for name, score in self.index.fuzzy(text, limit=limit)]

    # -- SPARQL --------------------------------------------------------------------------------
    @property
    def queries(self) -> dict[str, NamedQuery]:
        """The named queries, by name."""
        return named_queries()

    def sparql(self, query: str, *, max_rows: int = DEFAULT_MAX_ROWS,
               timeout: float = DEFAULT_TIMEOUT, **bindings: object) -> SelectResult | bool | Graph:
        """Run a named query (with bindings) or any read-only SPARQL 1.1 query.

        Values are bound as RDF terms: a CURIE or IRI becomes an IRI, a label is looked up
        as a concept, numbers become literals.

        :raises UnsafeQueryError: updates, SERVICE, FROM, file: IRIs
        :raises QueryError: unknown parameter, missing required one, syntax, limits

        >>> kg = load()
        >>> rows = kg.sparql("risk_factors", concept="pvp:CementLeakage")
        >>> len(rows) > 3
        True
        """
        if not isinstance(query, str):
            raise InvalidInputError(f"a query must be a string, not {type(query).__name__}")
        named = self.queries.get(query.strip())
        if named is None:
            if _BARE_NAME.fullmatch(query.strip()):  # a name, not SPARQL: no such query
                import difflib

                close = difflib.get_close_matches(query.strip(), self.queries, n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise QueryError(f"no named query {query.strip()!r}{hint} "
                                 "(pvp-kg sparql --list shows them)")
            return run_query(self.graph, query, self._terms_for(bindings, labels=False),
                             max_rows=max_rows, timeout=timeout)
        return run_query(self.graph, named.text, self._bind(named, bindings),
                         max_rows=max_rows, timeout=timeout)

    def _bind(self, named: NamedQuery, bindings: Mapping[str, object]) -> dict[str, Node]:
        known = {p.name: p for p in named.params}
        unknown = sorted(set(bindings) - set(known))
        if unknown:
            raise QueryError(f"{named.name} has no parameter {', '.join(unknown)}; "
                             f"its parameters: {', '.join(known) or 'none'}")
        values: dict[str, object] = {}
        for param in named.params:
            if param.name in bindings and bindings[param.name] is not None:
                values[param.name] = bindings[param.name]
            elif param.default is not None:
                values[param.name] = param.default
            else:
                raise QueryError(f"{named.name} needs a value for {param.name!r}"
                                 f" ({param.description})")
        return self._terms_for(values)

    def _terms_for(self, values: Mapping[str, object], *, labels: bool = True
                   ) -> dict[str, Node]:
        """Turn binding values into RDF terms; with ``labels``, a plain string names a
        concept (named-query parameters), else it is a literal (free queries)."""
        out: dict[str, Node] = {}
        for name, value in values.items():
            if isinstance(value, Concept):
                value = URIRef(value.iri)
            if labels and isinstance(value, str) and not value.startswith(
                    ("http://", "https://")) and self.terms.expand(value) is None:
                value = URIRef(self.concept(value).iri)
            out[name] = to_term(value, self.terms.expand)
        return out

    # -- typed methods -------------------------------------------------------------------------
    def indications(self, procedure: str | None = None, *,
                    min_level: str | None = None) -> list[Item]:
        """Conditions the procedure may be performed for, each with its evidence."""
        return self._at_level(_query.simple(self, "indications", procedure=procedure),
                              min_level)

    def contraindications(self, procedure: str | None = None, *,
                          kind: Literal["absolute", "relative"] | None = None,
                          min_level: str | None = None) -> list[Item]:
        """Contraindications, each with ``kind`` ``"absolute"`` or ``"relative"``.

        :raises InvalidInputError: ``kind`` is neither
        """
        if kind not in (None, "absolute", "relative"):
            raise InvalidInputError(f"kind must be 'absolute' or 'relative', not {kind!r}")
        items = _query.contraindications(self, procedure)
        return self._at_level([i for i in items if kind in (None, i.kind)], min_level)

    def steps(self, procedure: str | None = None, *,
              min_level: str | None = None) -> list[Item]:
        """The steps of the procedure in order; ``kind`` is the 1-based position."""
        return self._at_level(_query.steps(self, procedure), min_level)

    def complications(self, procedure: str | None = None, *,
                      related_to: str | None = None,
                      min_level: str | None = None) -> list[Item]:
        """Complications of the procedure, or those related to a concept.

        With ``related_to``, the subtypes of that concept and its consequences (everything
        causally downstream), each with the edge path that links them.
        """
        if related_to is not None:
            return self._at_level(_query.related_complications(self, related_to), min_level)
        return self._at_level(_query.simple(self, "complications", procedure=procedure),
                              min_level)

    def serious_complications(self, *, min_level: str | None = None) -> list[Item]:
        """Complications recorded as potentially serious."""
        return self._at_level(_query.simple(self, "serious_complications"), min_level)

    def benefits(self, procedure: str | None = None, *,
                 min_level: str | None = None) -> list[Item]:
        """Benefits of the procedure."""
        return self._at_level(_query.simple(self, "benefits", procedure=procedure), min_level)

    def outcomes(self, procedure: str | None = None, *,
                 min_level: str | None = None) -> list[Item]:
        """Outcomes of the procedure, each with its findings (conflicting ones included)."""
        return self._at_level(_query.outcomes(self, procedure), min_level)

    def aftercare(self, procedure: str | None = None, *, avoid_only: bool = False,
                  min_level: str | None = None) -> list[Item]:
        """Aftercare advice; ``avoid_only=True`` keeps the activity restrictions."""
        name = "activity_restrictions" if avoid_only else "aftercare"
        return self._at_level(_query.simple(self, name, procedure=procedure), min_level)

    def risk_factors(self, of: str, *, min_level: str | None = None) -> list[Item]:
        """Risk factors of a complication (and of its subtypes)."""
        return self._at_level(
            _query.with_via(self, "risk_factors", "pvp:hasRiskFactor", concept=of), min_level)

    def preventive_measures(self, of: str, *, min_level: str | None = None) -> list[Item]:
        """Techniques that make a complication less likely."""
        return self._at_level(
            _query.simple(self, "preventive_measures", subject_param="concept", concept=of),
            min_level)

    def causes(self, of: str, *, min_level: str | None = None) -> list[Item]:
        """Causes of a condition (causally upstream), with their more specific routes."""
        return self._at_level(_query.causes(self, of), min_level)

    def findings(self, about: str | None = None, *,
                 min_level: str | None = None) -> list[Finding]:
        """Numbers and study results: every finding of the graph, or those about a concept.

        :param about: a concept: the findings about it (or its subtypes), those that studied
            it as the intervention, and the findings that conflict with them; None for all
        :param min_level: keep findings with a source at this evidence level or stronger
        """
        found = _query.all_findings(self) if about is None else _query.findings(self, about)
        flt = level_filter(self, min_level)
        return found if flt is None else flt.findings(found)

    def imaging(self, procedure: str | None = None, *,
                min_level: str | None = None) -> list[Item]:
        """Imaging that guides the procedure's steps."""
        return self._at_level(_query.imaging(self, procedure), min_level)

    def compare(self, first: str, second: str, *,
                min_level: str | None = None) -> list[Item]:
        """What one procedure has that the other lacks; ``kind`` names the side."""
        return self._at_level(_query.compare(self, first, second), min_level)

    def injected_material(self, site: str | None = None, procedure: str | None = None, *,
                          min_level: str | None = None) -> tuple[list[Item], list[Finding]]:
        """What goes into the site (default: the vertebral body), and the timing findings."""
        items, timing = _query.injected(self, site, procedure)
        flt = level_filter(self, min_level)
        return (items, timing) if flt is None else (flt.items(items), flt.findings(timing))

    def pre_procedure_assessment(self, procedure: str | None = None, *,
                                 min_level: str | None = None) -> list[Item]:
        """Examinations and tests done before the procedure."""
        return self._at_level(
            _query.simple(self, "pre_procedure_assessment", procedure=procedure), min_level)

    def _at_level(self, items: list[Item], min_level: str | None) -> list[Item]:
        """``items`` with evidence at ``min_level`` or stronger (all of them for None).

        :raises InvalidInputError: ``min_level`` names no evidence level
        """
        flt = level_filter(self, min_level)
        return items if flt is None else flt.items(items)

    # -- graph walks ---------------------------------------------------------------------------
    def edges_of(self, concept: str) -> list[Edge]:
        """Every edge that starts or ends at the concept."""
        iri = self.concept(concept).iri
        return list(self.edges.out(iri)) + list(self.edges.into(iri))

    def related(self, concept: str, *, depth: int = 1) -> list[Edge]:
        """Edges within ``depth`` steps of the concept, either direction, nearest first."""
        from .explain import neighbourhood

        if depth < 1 or depth > 6:
            raise InvalidInputError("depth must be between 1 and 6")
        return neighbourhood(self, self.concept(concept).iri, depth)

    def explain(self, start: str, end: str, *, max_paths: int = 5) -> list[tuple[Edge, ...]]:
        """Shortest edge paths from ``start`` to ``end``, each edge with its sources.

        Directed paths are preferred; when none exists, paths that walk edges backwards are
        returned.
        """
        from .explain import paths

        return paths(self, self.concept(start).iri, self.concept(end).iri, max_paths)

    def ask(self, question: str, *, min_level: str | None = None) -> Answer:
        """Answer a question in plain English, with explanation, sources and the query run.

        :param min_level: answer only from evidence at this level or stronger (a level's
            label, synonym or CURIE, e.g. ``"randomised controlled trial"``)

        >>> kg = load()
        >>> kg.ask("which complications relate to cement leakage?").intent
        'complications_related_to'
        """
        from . import evidence
        from .ask import answer

        with evidence.active(level_filter(self, min_level)):
            return answer(self, question)

    def to_networkx(self, *, derived: bool = True,
                    inverses: bool = True) -> networkx.MultiDiGraph:
        """The property graph as a :class:`networkx.MultiDiGraph` (a new copy each call).

        Nodes and edges are those of the GraphML export, with the same keys: nodes by CURIE
        with ``label``, ``curie``, ``iri``, ``category``, ``types``, ``deprecated`` and, where
        known, ``definition``, ``synonyms``, ``xrefs``, ``sources`` and a finding's numbers;
        edges keyed by predicate CURIE with ``predicate``, ``predicate_iri``, ``label``,
        ``biolink_predicate``, ``quantifier``, ``sources``, ``evidence_levels``,
        ``publications``, ``knowledge_level`` and ``derived_by`` (None on an edge written as
        such; ``"inverse of …"`` or ``"existential restriction"`` on one the loader derived).
        List values are tuples here (GraphML joins them with ``|``).

        :param derived: False leaves out every derived edge (inverses and restrictions)
        :param inverses: False leaves out only the inverse edges, which path algorithms would
            otherwise walk backwards along
        """
        from .propgraph import networkx_graph

        return networkx_graph(self, derived=derived, inverses=inverses)

    # -- interop, reasoning, validation (modules imported on first use) -----------------------
    def export(self, format: str, path: str | Path | None = None) -> str | None:
        """Write the graph in ``format`` (turtle, ntriples, rdfxml, jsonld, obographs, kgx,
        sssom, neo4j, graphml, bibtex, csljson, ladybug) to ``path``; with no path, return
        the text (single-file text formats only).
        """
        from .export import export

        text: str | None = export(self, format, path)
        return text

    def reason(self, *, engine: str = "auto") -> Any:
        """Check consistency and classify (HermiT when Java is present, else OWL 2 RL)."""
        from .reason import reason

        return reason(self, engine=engine)

    def validate(self) -> Any:
        """Run the SHACL shapes and the SPARQL quality checks; return the report."""
        from .validate import validate

        return validate(self)

    def stats(self) -> dict[str, int]:
        """Counts of triples, classes, edges, findings and sources."""
        from .query import counts

        return counts(self)

    def iter_concepts(self) -> Iterable[Concept]:
        """Every labelled term of the ``pvp:`` namespace."""
        from .vocab import PVP

        return (self.terms.concept(i) for i in sorted(self.terms.labelled)
                if i.startswith(str(PVP)))

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {len(self.graph):,} triples, {len(self.edges):,} edges>"

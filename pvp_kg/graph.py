"""The :class:`KnowledgeGraph` facade: argument checks, then delegation to the layer below.

Loading and merging live in :mod:`.loader`, binding and running SPARQL in :mod:`.sparql`,
name resolution in :mod:`.lookup`, the typed answers in :mod:`.query`, paths in :mod:`.explain`,
questions in :mod:`.ask`; reasoning, validation and export are imported on first use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from rdflib import Graph, URIRef

from ._check import MAX_LIMIT, check_int, check_number, check_text, shown
from .errors import ArgumentTypeError, InvalidInputError
from .limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from .loader import (
    BACKENDS,
    Backend,
    State,
    build_state,
    bundled_state,
    new_graph,
    parse_all,
    read_bundled,
)
from .memo import ResultCache, remembered
from .model import Answer, Concept, Edge, Finding, Item, Match, Recommendation
from .vocab import ISSUING_BODY, PVP, RDF

if TYPE_CHECKING:
    import networkx

    from . import query as _query
    from .compare import Comparison
    from .draw import Drawing
    from .evidence import LevelFilter
    from .reason import ReasonerReport
    from .sparql import NamedQuery, SelectResult
    from .validate import ValidationReport

__all__ = ["KnowledgeGraph", "load"]


class _OnFirstUse:
    """A module imported when one of its names is first read: ``load()`` does not need the
    typed queries (:mod:`.query`) or the SPARQL layer, so ``import pvp_kg`` leaves them out."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(import_module(self._name), attr)


if not TYPE_CHECKING:
    _query = _OnFirstUse("pvp_kg.query")

#: Largest ``max_rows`` or ``max_bytes`` accepted (beyond it memory, not the limit, would stop).
_MAX_ROWS = 10_000_000
_MAX_BYTES = 2**40
#: Longest SPARQL text accepted, in characters.
_MAX_QUERY = 100_000


def _paths(paths: tuple[object, ...]) -> list[str | Path]:
    out: list[str | Path] = []
    for path in paths:
        if not isinstance(path, (str, os.PathLike)):
            raise ArgumentTypeError(f"an RDF file must be a path or a string, "
                                    f"not {type(path).__name__}")
        out.append(path if isinstance(path, str) else Path(path))
    return out


def level_filter(kg: KnowledgeGraph, min_level: str | None) -> LevelFilter | None:
    """:func:`pvp_kg.evidence.level_filter`, imported only when a level is asked for."""
    if min_level is None:
        return None
    from .evidence import level_filter as make

    return make(kg, min_level)


def _optional(value: object, what: str) -> str | None:
    return None if value is None else check_text(value, what)


def load(
    *paths: str | Path,
    backend: Backend = "rdflib",
    bundled: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> KnowledgeGraph:
    """Load the bundled PVP graph, optionally merged with more RDF files.

    Works offline from any working directory. The bundled graph comes from a start-up cache
    of its parsed triples and derived state (:mod:`pvp_kg.cache`, rebuilt whenever the Turtle
    changes); extra files are merged into a fresh copy and never cached.

    :param paths: extra RDF files to merge (format from the extension)
    :param backend: ``"rdflib"`` (in memory, default) or ``"oxigraph"`` (rdflib over the
        Oxigraph store, for large merged graphs; needs the ``oxigraph`` extra)
    :param bundled: load the bundled ontology first (``False`` for a bare graph)
    :param max_bytes: refuse any extra file larger than this
    :raises InvalidInputError: an extra file is missing, malformed or too large
    :raises MissingDependencyError: ``backend="oxigraph"`` without the ``oxigraph`` extra

    >>> load().concept("PVP").label
    'percutaneous vertebroplasty'
    """
    files = _paths(paths)
    if not isinstance(bundled, bool):
        raise ArgumentTypeError(f"bundled must be True or False, not {type(bundled).__name__}")
    limit = check_int(max_bytes, "max_bytes", low=1, high=_MAX_BYTES)
    if backend not in BACKENDS:
        raise InvalidInputError(f"unknown backend {shown(backend)}; use 'rdflib' or 'oxigraph'")
    if bundled and backend == "rdflib":  # the start-up cache (pvp_kg/cache.py)
        kg = KnowledgeGraph._from_state(*bundled_state(), backend=backend)
    else:
        graph = new_graph(backend)
        if bundled:
            read_bundled(graph)
        kg = KnowledgeGraph(graph, backend=backend)
    if files:
        kg.merge(*files, max_bytes=limit)
    return kg


class KnowledgeGraph:
    """The PVP knowledge graph: query it, explain it, ask it questions.

    Build one with :func:`pvp_kg.load`. ``graph`` is the underlying :class:`rdflib.Graph`
    (ontology + sources + the edges derived from restrictions and inverses).
    """

    def __init__(self, graph: Graph, *, backend: Backend = "rdflib") -> None:
        if not isinstance(graph, Graph):
            raise ArgumentTypeError(f"graph must be an rdflib.Graph, not {type(graph).__name__}")
        self.graph = graph
        self.backend = backend
        self._rebuild()

    # -- construction --------------------------------------------------------------------------
    @classmethod
    def _from_state(cls, graph: Graph, state: State, *, backend: Backend) -> KnowledgeGraph:
        """A graph whose derived state is already built (from the start-up cache)."""
        kg = cls.__new__(cls)
        kg.graph = graph
        kg.backend = backend
        kg._apply(state)
        return kg

    def _rebuild(self) -> None:
        self._apply(build_state(self.graph))

    def _apply(self, state: State) -> None:
        self.terms = state.terms
        self.edges = state.edges
        self.deprecated = state.deprecated
        self.index = state.index
        # answers of this state (pvp_kg/memo.py): a new state starts with none
        self._results = ResultCache(size=len(self.graph) if self.backend == "rdflib" else -1)

    def merge(self, *paths: str | Path, format: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> int:
        """Merge RDF files into the graph, all or nothing.

        Every file is parsed (into a scratch graph) before anything is added, so a bad file
        leaves the graph exactly as it was.

        :returns: the number of triples added
        :raises InvalidInputError: a file is missing, malformed, too large or hostile
        """
        files = _paths(paths)
        fmt = _optional(format, "format")
        limit = check_int(max_bytes, "max_bytes", low=1, high=_MAX_BYTES)
        from .nlu import forget  # question understanding is rebuilt for the merged graph

        if self.backend == "oxigraph":  # parsed, merged and derived inside the store
            from .oxstore import merge

            added = merge(self, files, format=fmt, max_bytes=limit)
            forget(self)
            return added
        incoming = parse_all(files, self.graph, format=fmt, max_bytes=limit)
        before = len(self.graph)
        self.graph += incoming
        from .incremental import update  # only the edges and names the new triples touch

        update(self, incoming)
        forget(self)
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

        >>> kg.concept("pvp:CementLeakage").label
        'cement leakage'
        """
        if not strict:
            iri = self.index.resolve(text)
            return None if iri is None else self.terms.concept(iri)
        return self.terms.concept(self.index.iri(text))

    def resolve(self, text: str) -> str | None:
        """Return the IRI ``text`` names (label, synonym, abbreviation, CURIE, IRI) or None."""
        return self.index.resolve(text)

    @remembered
    def search(self, text: str, *, limit: int = 10) -> list[Match]:
        """Rank terms by how well their names match ``text`` (typos allowed).

        >>> kg.search("cemnt leak", limit=1)[0].concept.label
        'cement leakage'
        """
        return self.index.search(text, limit=limit)

    # -- SPARQL --------------------------------------------------------------------------------
    @property
    def queries(self) -> dict[str, NamedQuery]:
        """The named queries, by name."""
        from .sparql import named_queries

        return named_queries()

    def sparql(self, query: str, *, max_rows: int = DEFAULT_MAX_ROWS,
               timeout: float = DEFAULT_TIMEOUT, **bindings: object) -> SelectResult | bool | Graph:
        """Run a named query (with bindings) or any read-only SPARQL 1.1 query.

        Values are bound as RDF terms: a CURIE or IRI becomes an IRI, a label is looked up
        as a concept, numbers become literals.

        :raises UnsafeQueryError: updates, SERVICE, FROM, file: IRIs
        :raises QueryError: unknown parameter, missing required one, syntax, limits

        >>> rows = kg.sparql("risk_factors", concept="pvp:CementLeakage")
        >>> "pvp:LowViscosityCement" in {kg.terms.curie(str(x)) for x in rows.column("item")}
        True
        """
        text = check_text(query, "query", max_len=_MAX_QUERY)
        rows = check_int(max_rows, "max_rows", low=1, high=_MAX_ROWS)
        seconds = check_number(timeout, "timeout", low=0.001, high=86_400)
        from .sparql import execute

        return execute(self.graph, text, bindings, self.index, max_rows=rows, timeout=seconds)

    # -- typed methods -------------------------------------------------------------------------
    @remembered
    def indications(self, procedure: str | None = None, *,
            min_level: str | None = None) -> list[Item]:
        """Conditions the procedure may be performed for, each with its evidence."""
        items = _query.simple(self, "indications", procedure=_optional(procedure, "procedure"))
        return self._at_level(items, min_level)

    @remembered
    def contraindications(self, procedure: str | None = None, *,
                          kind: Literal["absolute", "relative"] | None = None,
                          min_level: str | None = None) -> list[Item]:
        """Contraindications, each with ``kind`` ``"absolute"`` or ``"relative"``.

        :raises InvalidInputError: ``kind`` is neither
        """
        if kind not in (None, "absolute", "relative"):
            raise InvalidInputError(f"kind must be 'absolute' or 'relative', not {shown(kind)}")
        items = _query.contraindications(self, _optional(procedure, "procedure"))
        return self._at_level([i for i in items if kind in (None, i.kind)], min_level)

    @remembered
    def steps(self, procedure: str | None = None, *, after: str | None = None,
              before: str | None = None, min_level: str | None = None) -> list[Item]:
        """The steps of the procedure in order; ``kind`` is the 1-based position.

        With ``after`` (or ``before``): what the graph records as coming after (before) that
        step — or the step a material, device or procedure stands for — in order, care
        outside the procedure included (conservative care, biopsy, CT, monitoring); ``via``
        is the chain of 'precedes' edges. Both: the steps between them.

        :raises PVPKGError: the graph records no order for ``after`` or ``before``
        """
        proc = _optional(procedure, "procedure")
        if after is None and before is None:
            return self._at_level(_query.steps(self, proc), min_level)
        from . import order

        items = None
        if after is not None:
            items = order.steps_after(self, check_text(after, "after"), proc)
        if before is not None:
            earlier = order.steps_before(self, check_text(before, "before"), proc)
            keep = {i.concept.iri for i in earlier}
            items = earlier if items is None else [i for i in items if i.concept.iri in keep]
        return self._at_level(items or [], min_level)

    def which_first(self, first: str, second: str, procedure: str | None = None
                    ) -> Item | None:
        """Which of two steps (or a material, device or procedure standing for its steps)
        the graph records as coming first, with the chain of 'precedes' edges as ``via``;
        None when it records no order between them (or one that depends on the step meant).
        """
        from . import order

        return order.which_first(self, check_text(first, "first"),
                                 check_text(second, "second"), _optional(procedure, "procedure"))

    def comparison(self, first: str, second: str) -> Comparison:
        """Two concepts of compatible kinds side by side (:class:`pvp_kg.compare.Comparison`):
        shared and differing relations, edges between them, findings about both and which
        side each records as higher.

        :raises PVPKGError: the two are not of comparable kinds
        """
        from .compare import compare

        return compare(self, check_text(first, "first"), check_text(second, "second"))

    @remembered
    def complications(self, procedure: str | None = None, *,
                      related_to: str | None = None,
                      min_level: str | None = None) -> list[Item]:
        """Complications of the procedure, or those related to a concept.

        With ``related_to``, the subtypes of that concept and its consequences (everything
        causally downstream), each with the edge path that links them.
        """
        if related_to is not None:
            items = _query.related_complications(self, check_text(related_to, "related_to"))
            return self._at_level(items, min_level)
        items = _query.simple(self, "complications", procedure=_optional(procedure, "procedure"))
        return self._at_level(items, min_level)

    @remembered
    def serious_complications(self, *, min_level: str | None = None) -> list[Item]:
        """Complications recorded as potentially serious."""
        return self._at_level(_query.simple(self, "serious_complications"), min_level)

    @remembered
    def benefits(self, procedure: str | None = None, *,
            min_level: str | None = None) -> list[Item]:
        """Benefits of the procedure."""
        items = _query.simple(self, "benefits", procedure=_optional(procedure, "procedure"))
        return self._at_level(items, min_level)

    @remembered
    def outcomes(self, procedure: str | None = None, *,
            min_level: str | None = None) -> list[Item]:
        """Outcomes of the procedure, each with its findings (conflicting ones included)."""
        return self._at_level(_query.outcomes(self, _optional(procedure, "procedure")), min_level)

    @remembered
    def aftercare(self, procedure: str | None = None, *, avoid_only: bool = False,
                  min_level: str | None = None) -> list[Item]:
        """Aftercare advice; ``avoid_only=True`` keeps the activity restrictions."""
        if not isinstance(avoid_only, bool):
            raise ArgumentTypeError(f"avoid_only must be True or False, "
                                    f"not {type(avoid_only).__name__}")
        name = "activity_restrictions" if avoid_only else "aftercare"
        items = _query.simple(self, name, procedure=_optional(procedure, "procedure"))
        return self._at_level(items, min_level)

    @remembered
    def risk_factors(self, of: str, *, min_level: str | None = None) -> list[Item]:
        """Risk factors of a complication (and of its subtypes)."""
        return self._at_level(_query.risk_factors(self, check_text(of, "of")), min_level)

    @remembered
    def preventive_measures(self, of: str, *, min_level: str | None = None) -> list[Item]:
        """Techniques that make a complication less likely."""
        return self._at_level(_query.preventive_measures(self, check_text(of, "of")), min_level)

    @remembered
    def causes(self, of: str, *, min_level: str | None = None) -> list[Item]:
        """Causes of a condition (causally upstream), with their more specific routes."""
        return self._at_level(_query.causes(self, check_text(of, "of")), min_level)

    @remembered
    def findings(self, about: str | None = None, *,
                 min_level: str | None = None) -> list[Finding]:
        """Numbers and study results: every finding of the graph, or those about a concept.

        :param about: a concept: the findings about it (or its subtypes), those that studied
            it as the intervention, and the findings that conflict with them; None for all
        :param min_level: keep findings with a source at this evidence level or stronger
        """
        found = (_query.all_findings(self) if about is None
                 else _query.findings(self, check_text(about, "about")))
        flt = level_filter(self, min_level)
        return found if flt is None else flt.findings(found)

    @remembered
    def imaging(self, procedure: str | None = None, *,
            min_level: str | None = None) -> list[Item]:
        """Imaging that guides the procedure's steps."""
        return self._at_level(_query.imaging(self, _optional(procedure, "procedure")), min_level)

    @remembered
    def compare(self, first: str, second: str, *,
                min_level: str | None = None) -> list[Item]:
        """What one procedure has that the other lacks; ``kind`` names the side."""
        items = _query.compare(self, check_text(first, "first"), check_text(second, "second"))
        return self._at_level(items, min_level)

    @remembered
    def injected_material(self, site: str | None = None,
                          procedure: str | None = None, *,
                          min_level: str | None = None) -> tuple[list[Item], list[Finding]]:
        """What goes into the site (default: the vertebral body), and the findings on how
        long the cement takes to harden (shortest first) and how much is injected (volumes
        per level and the volume bands with what each found, smallest volume first)."""
        items, timing = _query.injected(self, _optional(site, "site"),
                                        _optional(procedure, "procedure"))
        flt = level_filter(self, min_level)
        return (items, timing) if flt is None else (flt.items(items), flt.findings(timing))

    @remembered
    def recommendations(self, procedure: str | None = None, *, body: str | None = None,
                        min_level: str | None = None) -> list[Recommendation]:
        """Guideline positions on the procedure (default PVP): issuing body, year,
        population, direction, strength, statement and sources, strongest evidence first,
        then newest first.

        :param body: only the recommendations of this issuing body (``"NICE"``, ``"ASBMR"``,
            a label, CURIE or IRI); an empty list when the graph records none of it
        :param min_level: keep recommendations with a source at this level or stronger
        :raises ConceptNotFoundError: ``procedure`` or ``body`` names nothing in the graph
        :raises InvalidInputError: ``body`` is not an issuing body, or ``min_level`` names
            no evidence level

        >>> [r.body for r in kg.recommendations(body="NICE")]
        ['NICE', 'NICE', 'NICE']
        """
        body_iri = None
        if body is not None:
            body_iri = self.index.iri(check_text(body, "body"))
            if (URIRef(body_iri), RDF.type, ISSUING_BODY) not in self.graph:
                raise InvalidInputError(f"{body!r} is not an issuing body of a guideline "
                                        f"({self.terms.label(body_iri)!r} is not one)")
        flt = level_filter(self, min_level)
        found = _query.recommendations(self, _optional(procedure, "procedure"), body_iri)
        return found if flt is None else flt.recommendations(found)

    def _at_level(self, items: list[Item], min_level: str | None) -> list[Item]:
        """``items`` with evidence at ``min_level`` or stronger (all of them for None).

        :raises InvalidInputError: ``min_level`` names no evidence level
        """
        flt = level_filter(self, min_level)
        return items if flt is None else flt.items(items)

    @remembered
    def devices_and_materials(self, procedure: str | None = None, *,
                              min_level: str | None = None) -> list[Item]:
        """Devices, materials and drugs (with their specific kinds) and the imaging used in
        the procedure's steps (default PVP): ``kind`` is ``device``, ``material`` or
        ``imaging``; each item's path runs procedure → step → item."""
        return self._at_level(_query.devices_and_materials(
            self, _optional(procedure, "procedure")), min_level)

    @remembered
    def professionals(self, procedure: str | None = None, *,
                      min_level: str | None = None) -> list[Item]:
        """Kinds of health professional involved in the procedure (default PVP), then those
        involved in an assessment before it (``kind`` says so)."""
        return self._at_level(_query.professionals(self, _optional(procedure, "procedure")),
                              min_level)

    @remembered
    def related_procedures(self, procedure: str | None = None, *,
                           min_level: str | None = None) -> list[Item]:
        """The procedure's broader kinds, the other procedures of its family and its own
        kinds (``kind``: ``broader``, ``same family``, ``kind of it``)."""
        return self._at_level(_query.related_procedures(
            self, _optional(procedure, "procedure")), min_level)

    @remembered
    def pre_procedure_assessment(self, procedure: str | None = None, *,
            min_level: str | None = None) -> list[Item]:
        """Examinations and tests done before the procedure."""
        return self._at_level(_query.simple(self, "pre_procedure_assessment",
                             procedure=_optional(procedure, "procedure")), min_level)

    # -- graph walks ---------------------------------------------------------------------------
    @remembered
    def edges_of(self, concept: str) -> list[Edge]:
        """Every edge that starts or ends at the concept."""
        return _query.edges_of(self, self.index.iri(concept))

    @remembered
    def related(self, concept: str, *, depth: int = 1) -> list[Edge]:
        """Edges within ``depth`` steps of the concept, either direction, nearest first."""
        from .explain import neighbourhood

        iri = self.index.iri(concept)
        return neighbourhood(self, iri, check_int(depth, "depth", low=1, high=6))

    @remembered
    def explain(self, start: str, end: str, *, max_paths: int = 5) -> list[tuple[Edge, ...]]:
        """Shortest edge paths from ``start`` to ``end``, each edge with its sources.

        Directed paths are preferred; when none exists, paths that walk edges backwards are
        returned.
        """
        from .explain import paths

        limit = check_int(max_paths, "max_paths", low=1, high=MAX_LIMIT)
        return paths(self, self.index.iri(start), self.index.iri(end), limit)

    @remembered
    def ask(self, question: str, *, min_level: str | None = None) -> Answer:
        """Answer a question in plain English, with explanation, sources and the query run.

        :param min_level: answer only from evidence at this level or stronger (a level's
            label, synonym or CURIE, e.g. ``"randomised controlled trial"``)

        >>> kg.ask("which complications relate to cement leakage?").intent
        'complications_related_to'
        """
        from . import evidence
        from .answer import answer

        with evidence.active(level_filter(self, min_level)):
            return answer(self, question)

    def draw(self, what: object, to: str | None = None, *, depth: int = 1) -> Drawing:
        """Draw a concept's neighbourhood, the paths ``what → to``, an Answer or an Item.

        Returns a :class:`pvp_kg.draw.Drawing` (``.svg()``, ``.png()``, ``.save(path)``;
        shown inline in Jupyter). Needs the ``draw`` extra and Graphviz's ``dot``. Edges are
        coloured by the best evidence behind them, in the order of the graph's
        ``pvp:evidenceRank``.

        :raises ConceptNotFoundError: a concept name is unknown
        :raises DrawError: no path joins ``what`` and ``to``, or nothing to draw
        :raises InvalidInputError: ``depth`` outside 1–3, or ``what`` of another type
        """
        from .draw import draw

        return draw(self, what, to, depth=depth)

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

        for flag, name in ((derived, "derived"), (inverses, "inverses")):
            if not isinstance(flag, bool):
                raise ArgumentTypeError(f"{name} must be True or False, not {type(flag).__name__}")
        return networkx_graph(self, derived=derived, inverses=inverses)

    # -- interop, reasoning, validation (modules imported on first use) -----------------------
    def export(self, format: str, path: str | Path | None = None) -> str | None:
        """Write the graph in ``format`` (turtle, ntriples, rdfxml, jsonld, obographs, kgx,
        sssom, neo4j, graphml, bibtex, csljson, ladybug) to ``path``; with no path, return
        the text (single-file text formats only).
        """
        from .export import Format, export

        if not isinstance(format, (str, Format)):
            raise ArgumentTypeError(f"format must be a string, not {type(format).__name__}")
        if path is not None:
            path = _paths((path,))[0]
        text: str | None = export(self, format, path)
        return text

    def reason(self, *, engine: str = "auto", timeout: float | None = None) -> ReasonerReport:
        """Check consistency and classify (HermiT when Java is present, else OWL 2 RL)."""
        from .reason import DEFAULT_TIMEOUT as REASON_TIMEOUT
        from .reason import reason

        if not isinstance(engine, str):
            raise ArgumentTypeError(f"engine must be a string, not {type(engine).__name__}")
        seconds = REASON_TIMEOUT if timeout is None else check_number(
            timeout, "timeout", low=0.001, high=86_400)
        return reason(self, engine=engine, timeout=seconds)

    def validate(self) -> ValidationReport:
        """Run the SHACL shapes and the SPARQL quality checks; return the report."""
        from .validate import validate

        return validate(self)

    def stats(self) -> dict[str, int]:
        """Counts of triples, classes, edges, findings and sources."""
        return _query.counts(self)

    def iter_concepts(self) -> Iterable[Concept]:
        """Every labelled term of the ``pvp:`` namespace."""
        return (self.terms.concept(i) for i in sorted(self.terms.labelled)
                if i.startswith(str(PVP)))

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {len(self.graph):,} triples, {len(self.edges):,} edges>"



"""The named queries as walks over the graph's own indexes: the same rows, without SPARQL.

Every named query in ``ontology/queries/*.rq`` is a handful of triple patterns and property
paths. rdflib evaluates them by interpreting its SPARQL algebra, which costs milliseconds for a
query that visits a few dozen triples; the walks here visit the same triples through the
store's indexes (:meth:`rdflib.Graph.objects`, :meth:`~rdflib.Graph.subjects`) and return the
same :class:`~pvp_kg.sparql.SelectResult`: the same columns, the same rows (``DISTINCT``) in the
same order (the query's ``ORDER BY``, ties broken by the projected columns as
:func:`pvp_kg.sparql.run_query` does). ``tests/test_walks.py`` checks that, for every named
query and many parameter values, the walk and the SPARQL query agree row for row.

Both backends use them. On the Oxigraph backend rdflib cannot hand a prepared query to the
store, so it evaluates the algebra itself through one store call per pattern (a third of a
second for ``complications_related_to`` on the bundled graph, past the time limit on a
million-triple merge), and Oxigraph's own engine cannot take the named queries as they are
(its ``substitutions`` do not reach into a sub-SELECT); a walk makes the same few look-ups on
either store. The ``.rq`` files stay the definition: a query without a walk here, or whose
body changed since its walk was written (:data:`WRITTEN_FOR`), runs as SPARQL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .edges import reachable
from .errors import QueryError
from .sparql import DEFAULT_MAX_ROWS, SelectResult, named_queries
from .vocab import DCTERMS, IS_ABOUT, OBO, OWL, PVP, QUANTITATIVE_FINDING, RDF, RDFS, UNIT

__all__ = ["WALKS", "WRITTEN_FOR", "Walk", "available", "body_hash", "run"]

Row = tuple[Node | None, ...]
Bindings = Mapping[str, Node]

_SUB = RDFS.subClassOf
_UPSTREAM = OBO.RO_0002411
_HAS_PART = OBO.BFO_0000051
_PRECEDES = OBO.BFO_0000063
_OCCURS_IN = OBO.BFO_0000066
_HAS_INPUT = OBO.RO_0002233
_CONTRA = ((PVP.hasAbsoluteContraindication, Literal("absolute")),
           (PVP.hasRelativeContraindication, Literal("relative")))


@dataclass(frozen=True, slots=True)
class Walk:
    """One named query as a walk: its columns, its ``ORDER BY`` and the rows it finds."""

    vars: tuple[str, ...]
    #: the ``ORDER BY`` keys, each ``(variable, descending)``
    order: tuple[tuple[str, bool], ...]
    rows: Callable[[Graph, Bindings], Iterable[Row]]


# -- property paths ------------------------------------------------------------------------------

def _plus(step: Callable[[Node], Iterable[Node]], start: Node) -> set[Node]:
    """Nodes reachable from ``start`` in one or more steps (``start`` too when on a cycle):
    the bindings of ``p+`` with one end fixed."""
    return reachable(start, step)


def _up(graph: Graph, start: Node, p: Node = _SUB) -> set[Node]:
    """``start p+ ?x``."""
    return _plus(lambda n: graph.objects(n, p), start)


def _down(graph: Graph, start: Node, p: Node = _SUB) -> set[Node]:
    """``?x p+ start``."""
    return _plus(lambda n: graph.subjects(p, n), start)


def _up_star(graph: Graph, start: Node, p: Node = _SUB) -> set[Node]:
    """``start p* ?x``: ``start`` itself and everything ``p+`` reaches."""
    return {start} | _up(graph, start, p)


def _down_star(graph: Graph, start: Node, p: Node = _SUB) -> set[Node]:
    """``?x p* start``."""
    return {start} | _down(graph, start, p)


def _objects(graph: Graph, s: Node, p: Node) -> Iterator[Node]:
    return graph.objects(s, p)


def _subjects(graph: Graph, p: Node, o: Node) -> Iterator[Node]:
    return graph.subjects(p, o)


def _has(graph: Graph, s: Node, p: Node, o: Node) -> bool:
    return (s, p, o) in graph


def _optional(values: Iterable[Node]) -> list[Node | None]:
    """An OPTIONAL's bindings: the values found, or one unbound row."""
    found: list[Node | None] = list(values)
    return found or [None]


# -- the queries ---------------------------------------------------------------------------------

def _one_hop(subject: str, predicate: URIRef) -> Walk:
    """``SELECT DISTINCT ?item WHERE { ?subject predicate ?item } ORDER BY ?item``."""
    def rows(g: Graph, b: Bindings) -> Iterator[Row]:
        return ((o,) for o in _objects(g, b[subject], predicate))
    return Walk(("item",), (("item", False),), rows)


def _activity_restrictions(g: Graph, b: Bindings) -> Iterator[Row]:
    for item in _objects(g, b["procedure"], PVP.hasAftercareAdvice):
        if PVP.ActivityRestriction in _up(g, item):
            yield (item,)


def _aftercare(g: Graph, b: Bindings) -> Iterator[Row]:
    for item in _objects(g, b["procedure"], PVP.hasAftercareAdvice):
        for kind in _optional(_objects(g, item, _SUB)):
            yield item, kind


def _causes_of(g: Graph, b: Bindings) -> Iterator[Row]:
    concept = b["concept"]
    causes = _down(g, concept, _UPSTREAM)
    for item in causes:
        yield item, Literal("cause"), concept
    route = Literal("specific route")
    for via in causes:
        for item in _down(g, via):
            yield item, route, via
    of_kind = Literal("cause of a kind")
    for via in _down(g, concept):
        for item in _down(g, via, _UPSTREAM):
            if item not in causes:
                yield item, of_kind, via
    risk = Literal("risk factor")
    for via in _down_star(g, concept):
        for item in _objects(g, via, PVP.hasRiskFactor):
            if item not in causes:
                yield item, risk, via


_COMPARED = (_HAS_PART, PVP.hasBenefit)


def _compare(g: Graph, b: Bindings) -> Iterator[Row]:
    first, second = b["first"], b["second"]
    for prop in _COMPARED:  # VALUES ?property joins every branch of the union
        for side, one, other in (("first", first, second), ("second", second, first)):
            for item in _objects(g, one, prop):
                if isinstance(item, URIRef) and not _has(g, other, prop, item):
                    yield Literal(side), prop, item
        shared = set(_objects(g, second, _SUB))
        for item in _objects(g, first, _SUB):
            if isinstance(item, URIRef) and item in shared:
                yield Literal("shared"), prop, item
        for item in _subjects(g, PVP.studiedIntervention, first):
            if (isinstance(item, URIRef) and _has(g, item, PVP.studiedIntervention, second)
                    and _has(g, item, RDF.type, QUANTITATIVE_FINDING)):
                yield Literal("compared"), prop, item


def _related(g: Graph, b: Bindings) -> Iterator[Row]:
    concept = b["concept"]
    subtype, consequence = Literal("subtype"), Literal("consequence")
    for item in _down(g, concept):
        yield item, subtype, concept, None
    for via in _down_star(g, concept):
        for parent in _up(g, via, _UPSTREAM):
            yield parent, consequence, via, None
            for item in _down(g, parent):
                yield item, consequence, via, parent


def _contraindications(g: Graph, b: Bindings) -> Iterator[Row]:
    for prop, kind in _CONTRA:
        for item in _objects(g, b["procedure"], prop):
            yield item, kind


def _devices_and_materials(g: Graph, b: Bindings) -> Iterator[Row]:
    device, material, imaging = Literal("device"), Literal("material"), Literal("imaging")
    for step in _objects(g, b["procedure"], _HAS_PART):
        for item in _objects(g, step, PVP.usesDevice):
            yield item, step, device, None
        inputs = list(dict.fromkeys(_objects(g, step, _HAS_INPUT)))
        for item in inputs:
            yield item, step, material, None
        given = set(inputs)
        for via in inputs:
            for item in _down(g, via):
                if item not in given and PVP.RiskFactor not in _up(g, item):
                    yield item, step, material, via
        for item in _objects(g, step, PVP.guidedBy):
            yield item, step, imaging, None


def _describe(g: Graph, b: Bindings) -> Iterator[Row]:
    concept = b["concept"]
    out, into = Literal("out"), Literal("in")

    def is_object_property(p: Node) -> bool:
        return _has(g, p, RDF.type, OWL.ObjectProperty)

    for p, item in g.predicate_objects(concept):
        if isinstance(item, URIRef) and is_object_property(p):
            yield out, p, item
    for item, p in g.subject_predicates(concept):
        if isinstance(item, URIRef) and is_object_property(p):
            yield into, p, item


def _findings_about(g: Graph, b: Bindings) -> Iterator[Row]:
    about_kind, conflicting, studied = Literal("about"), Literal("conflicting"), Literal("studied")
    for about in _down_star(g, b["concept"]):
        for finding in _subjects(g, IS_ABOUT, about):
            yield finding, about, about_kind
            for other in _objects(g, finding, PVP.conflictsWith):
                yield other, about, conflicting
        for finding in _subjects(g, PVP.studiedIntervention, about):
            yield finding, about, studied
    concept = b["concept"]
    reported = Literal("reported")
    for finding in _subjects(g, PVP.fromStudy, concept):
        yield finding, None, reported
    direction = Literal("direction")
    for narrower in _down_star(g, concept, PVP.broaderDirection):
        for finding in _subjects(g, PVP.resultDirection, narrower):
            yield finding, None, direction


def _findings_by_evidence(g: Graph, b: Bindings) -> Iterator[Row]:
    for about in _down_star(g, b["concept"]):
        for finding in _subjects(g, IS_ABOUT, about):
            if not _has(g, finding, RDF.type, QUANTITATIVE_FINDING):
                continue
            for level in _objects(g, finding, PVP.evidenceLevel):
                for rank in _objects(g, level, PVP.evidenceRank):
                    for design in _optional(_objects(g, finding, PVP.studyDesign)):
                        yield finding, about, level, rank, design


def _step_hop(predicate: URIRef) -> Callable[[Graph, Bindings], Iterator[Row]]:
    """``?procedure has part ?step . ?step predicate ?item`` → ``(?item, ?step)``."""
    def rows(g: Graph, b: Bindings) -> Iterator[Row]:
        for step in _objects(g, b["procedure"], _HAS_PART):
            for item in _objects(g, step, predicate):
                yield item, step
    return rows


def _injected(g: Graph, b: Bindings) -> Iterator[Row]:
    procedure, site = b["procedure"], b["site"]
    steps = list(_objects(g, procedure, _HAS_PART))
    for step in steps:
        if _has(g, step, _OCCURS_IN, site):
            for item in _objects(g, step, _HAS_INPUT):
                yield item, step, None, None
    timing = Literal("timing")
    for step in steps:
        for finding in _subjects(g, IS_ABOUT, step):
            if _has(g, finding, PVP.unit, UNIT.MIN):
                yield step, step, finding, timing
    volume = Literal("volume")
    for finding in _subjects(g, PVP.studiedIntervention, procedure):
        if _has(g, finding, RDF.type, QUANTITATIVE_FINDING) and (
                _has(g, finding, PVP.unit, UNIT.MilliL)
                or _has(g, finding, PVP.stratumUnit, UNIT.MilliL)
                or _has(g, finding, IS_ABOUT, PVP.LargeCementVolume)):
            yield finding, None, finding, volume


def _is_contraindication(g: Graph, b: Bindings) -> Iterator[Row]:
    procedure = b["procedure"]
    for item in _up_star(g, b["concept"]):
        for prop, kind in _CONTRA:
            if _has(g, procedure, prop, item):
                yield item, kind


def _outcomes(g: Graph, b: Bindings) -> Iterator[Row]:
    for item in _objects(g, b["procedure"], PVP.hasOutcome):
        for finding in _optional(_subjects(g, IS_ABOUT, item)):
            yield item, finding


def _pre_procedure_assessment(g: Graph, b: Bindings) -> Iterator[Row]:
    direct = list(dict.fromkeys(_objects(g, b["procedure"], PVP.hasPreProcedureAssessment)))
    for item in direct:
        yield item, None, None
    listed = set(direct)
    specific = Literal("specific test")
    for via in direct:
        if PVP.PreProcedureAssessment in _up(g, via):
            for item in _down(g, via):
                if item not in listed:
                    yield item, specific, via


def _requirements(g: Graph, rec: Node) -> list[tuple[Node | None, Node | None]]:
    """``OPTIONAL { rec ?kind ?requirement . ?kind rdfs:subPropertyOf ?group }`` (``?group``
    pvp:hasRequirement or pvp:statesContent) as ``(requirement, kind)`` pairs, or one unbound
    pair."""
    found: list[tuple[Node | None, Node | None]] = [
        (requirement, kind)
        for group in (PVP.hasRequirement, PVP.statesContent)
        for kind in _subjects(g, RDFS.subPropertyOf, group)
        for requirement in _objects(g, rec, kind)]
    return found or [(None, None)]


def _professionals(g: Graph, b: Bindings) -> Iterator[Row]:
    procedure = b["procedure"]
    direct = set(_objects(g, procedure, PVP.involvesProfessional))
    for item in direct:
        yield item, None, None
    before = Literal("in the assessment before it")
    for via in _objects(g, procedure, PVP.hasPreProcedureAssessment):
        for item in _objects(g, via, PVP.involvesProfessional):
            if item not in direct:
                yield item, before, via


def _related_procedures(g: Graph, b: Bindings) -> Iterator[Row]:
    procedure = b["procedure"]
    broader, family, kind = Literal("broader"), Literal("same family"), Literal("kind of it")
    for parent in _objects(g, procedure, _SUB):
        if (isinstance(parent, URIRef) and parent != PVP.MedicalProcedure
                and PVP.MedicalProcedure in _up_star(g, parent)):
            yield parent, broader, None
            for item in _subjects(g, _SUB, parent):
                if item != procedure:
                    yield item, family, parent
    for item in _down(g, procedure):
        yield item, kind, None


def _recommendations(g: Graph, b: Bindings) -> Iterator[Row]:
    procedure = b["procedure"]
    for rec in _subjects(g, RDF.type, PVP.GuidelineRecommendation):
        if not _has(g, rec, PVP.recommendsOn, procedure):
            continue
        levels = [(level, rank) for level in _objects(g, rec, PVP.evidenceLevel)
                  for rank in _objects(g, level, PVP.evidenceRank)]
        required = [list(_objects(g, rec, p)) for p in (
            PVP.issuedBy, PVP.recommendationYear, PVP.recommendationDirection, DCTERMS.source)]
        optional = [_optional(_objects(g, rec, p)) for p in (
            PVP.recommendationStrength, PVP.population, PVP.appliesToCondition,
            PVP.resultSummary)]
        requirements = _requirements(g, rec)
        for body in required[0]:
            for year in required[1]:
                for direction in required[2]:
                    for source in required[3]:
                        for level, rank in levels:
                            for strength in optional[0]:
                                for population in optional[1]:
                                    for condition in optional[2]:
                                        for summary in optional[3]:
                                            for requirement, kind in requirements:
                                                yield (rec, body, year, direction, strength,
                                                       population, condition, source, level,
                                                       rank, summary, requirement, kind)


def _risk_factor_effects(g: Graph, b: Bindings) -> Iterator[Row]:
    for via in _up_star(g, b["concept"]):
        for item in _subjects(g, PVP.hasRiskFactor, via):
            yield item, via


def _risk_factors(g: Graph, b: Bindings) -> Iterator[Row]:
    for via in _down_star(g, b["concept"]):
        for item in _objects(g, via, PVP.hasRiskFactor):
            yield item, via


def _serious(g: Graph, b: Bindings) -> Iterator[Row]:
    for item in _subjects(g, PVP.hasSeverity, PVP.SeriousSeverity):
        if PVP.Complication in _up_star(g, item):
            yield (item,)


def _steps(g: Graph, b: Bindings) -> Iterator[Row]:
    procedure = b["procedure"]
    parts = set(_objects(g, procedure, _HAS_PART))
    follows = {part: _up(g, part, _PRECEDES) for part in parts}
    for item in parts:
        if PVP.ProcedureStep in _up(g, item):
            before = sum(1 for part in parts if item in follows[part])
            yield item, Literal(before)


def _treatments(g: Graph, b: Bindings) -> Iterator[Row]:
    concept = b["concept"]
    direct = set(_objects(g, concept, PVP.treatedBy))
    for item in direct:
        yield item, Literal("direct")
    subtype = Literal("for a subtype")
    for sub in _down(g, concept):
        for item in _objects(g, sub, PVP.treatedBy):
            if item not in direct:
                yield item, subtype


_ITEM = (("item", False),)
_KIND_ITEM = (("kind", False), ("item", False))

#: Named query → its walk. A named query missing here runs as SPARQL.
WALKS: dict[str, Walk] = {
    "activity_restrictions": Walk(("item",), _ITEM, _activity_restrictions),
    "aftercare": Walk(("item", "kind"), _ITEM, _aftercare),
    "benefits": _one_hop("procedure", PVP.hasBenefit),
    "causes_of": Walk(("item", "kind", "via"), _KIND_ITEM, _causes_of),
    "clinical_features": _one_hop("concept", PVP.hasClinicalFeature),
    "compare_procedures": Walk(("side", "property", "item"),
                               (("side", False), ("property", False), ("item", False)), _compare),
    "complications": _one_hop("procedure", PVP.hasComplication),
    "complications_related_to": Walk(("item", "kind", "via", "parent"), _KIND_ITEM, _related),
    "contraindications": Walk(("item", "kind"), _KIND_ITEM, _contraindications),
    "describe": Walk(("direction", "property", "item"),
                     (("direction", False), ("property", False), ("item", False)), _describe),
    "devices_and_materials": Walk(("item", "step", "kind", "via"),
                                  (("kind", False), ("item", False), ("step", False)),
                                  _devices_and_materials),
    "diagnosis": _one_hop("concept", PVP.diagnosedBy),
    "findings_about": Walk(("finding", "about", "kind"), (("kind", False), ("finding", False)),
                           _findings_about),
    "findings_by_evidence": Walk(("finding", "about", "level", "rank", "design"),
                                 (("rank", False), ("finding", False)), _findings_by_evidence),
    "imaging_guidance": Walk(("item", "step"), _ITEM, _step_hop(PVP.guidedBy)),
    "indications": _one_hop("procedure", PVP.hasIndication),
    "injected_material": Walk(("item", "step", "finding", "kind"), _KIND_ITEM, _injected),
    "is_contraindication": Walk(("item", "kind"), _KIND_ITEM, _is_contraindication),
    "needle_approaches": Walk(("item", "step"), _ITEM, _step_hop(PVP.hasApproach)),
    "outcomes": Walk(("item", "finding"), (("item", False), ("finding", False)), _outcomes),
    "pre_procedure_assessment": Walk(("item", "kind", "via"), _ITEM, _pre_procedure_assessment),
    "preventive_measures": _one_hop("concept", PVP.hasPreventiveMeasure),
    "professionals": Walk(("item", "kind", "via"), _ITEM, _professionals),
    "recommendations": Walk(
        ("recommendation", "body", "year", "direction", "strength", "population", "condition",
         "source", "level", "rank", "summary", "requirement", "requirementKind"),
        (("rank", False), ("year", True), ("recommendation", False)), _recommendations),
    "related_procedures": Walk(("item", "kind", "via"), _KIND_ITEM, _related_procedures),
    "risk_factor_effects": Walk(("item", "via"), _ITEM, _risk_factor_effects),
    "risk_factors": Walk(("item", "via"), _ITEM, _risk_factors),
    "serious_complications": Walk(("item",), _ITEM, _serious),
    "steps": Walk(("item", "position"), (("position", False), ("item", False)), _steps),
    "treatments": Walk(("item", "kind"), _KIND_ITEM, _treatments),
}


#: The hash of each query body (:func:`body_hash`) its walk was written for and checked
#: against: when a ``.rq`` file's query changes, its walk is set aside (SPARQL runs) and
#: tests/test_walks.py fails until the walk is brought up to date.
WRITTEN_FOR: dict[str, str] = {
    "activity_restrictions": "45e1943df64f05b1",
    "aftercare": "df3803f69c34d93c",
    "benefits": "76fa30fb6bf9920a",
    "causes_of": "4e9304a5cbde784b",
    "clinical_features": "2f216479afc99705",
    "compare_procedures": "984e10fa222b9225",
    "complications": "ae59bbfe04e563dc",
    "complications_related_to": "79f9db3844687675",
    "contraindications": "2a6aad91e5e616cb",
    "describe": "66c0b175acb70e1c",
    "devices_and_materials": "5fbd1400eb044af9",
    "diagnosis": "7aebdc70edfca2b0",
    "findings_about": "af9a36e3b5df26ff",
    "findings_by_evidence": "24b9cd176b618ce2",
    "imaging_guidance": "01e00b1ba024e09a",
    "indications": "25b713c0425b77b1",
    "injected_material": "8fbfd92b7d1427f0",
    "is_contraindication": "2404298c90bcd476",
    "needle_approaches": "06deec6675477d8c",
    "outcomes": "296b209025a3a869",
    "pre_procedure_assessment": "6c35ec6b59e11f12",
    "preventive_measures": "e4d13d34128fc3e3",
    "professionals": "3bb4547743abb81d",
    "recommendations": "b657ed6b5024dc3b",
    "related_procedures": "d83181a898e29040",
    "risk_factor_effects": "7d76833cfa5b4769",
    "risk_factors": "4a5fb78587229ef8",
    "serious_complications": "b675e06f07eee850",
    "steps": "d9e451be7e53aeb7",
    "treatments": "8c7216d2a96f5f74",
}


def _order_key(term: Node | None) -> tuple[int, Node | str]:
    """SPARQL's ORDER BY key as rdflib evaluates it: unbound, then blank nodes, IRIs,
    literals; terms of one kind by their own ordering."""
    if term is None:
        return (0, "")
    if isinstance(term, BNode):
        return (1, term)
    if isinstance(term, URIRef):
        return (2, term)
    return (3, term)


def run(graph: Graph, name: str, bindings: Bindings, *,
        max_rows: int = DEFAULT_MAX_ROWS) -> SelectResult:
    """The rows of the named query ``name`` with its parameters bound (every parameter,
    defaults applied, as :func:`pvp_kg.sparql.bind` gives them), found by its walk.

    :raises KeyError: ``name`` has no walk
    :raises QueryError: more than ``max_rows`` rows (as the SPARQL query would)
    """
    walk = WALKS[name]
    rows = list(dict.fromkeys(walk.rows(graph, bindings)))  # DISTINCT
    if len(rows) > max_rows:
        raise QueryError(f"the query returned more than {max_rows:,} rows; "
                         "add a LIMIT or pass a larger max_rows=")
    keys = list(walk.order) + [(v, False) for v in walk.vars
                               if v not in {k for k, _ in walk.order}]
    column = {v: i for i, v in enumerate(walk.vars)}
    for var, descending in reversed(keys):  # stable sorts, last key first (as rdflib does)
        i = column[var]
        rows.sort(key=lambda row: _order_key(row[i]), reverse=descending)
    return SelectResult(walk.vars, tuple(rows))


def body_hash(text: str) -> str:
    """A short SHA-256 of a query's body: its lines without comments and surrounding blanks
    (a header's cues or description may change; the query it runs may not)."""
    body = "\n".join(line.strip() for line in text.splitlines()
                     if line.strip() and not line.lstrip().startswith("#"))
    return hashlib.sha256(body.encode()).hexdigest()[:16]


@cache
def _usable() -> frozenset[str]:
    queries = named_queries()
    return frozenset(name for name in WALKS if name in queries
                     and WRITTEN_FOR.get(name) == body_hash(queries[name].text))


def available(name: str) -> bool:
    """True when the named query ``name`` has a walk written for its current text."""
    return name in _usable()

"""The typed methods of :class:`~pvp_kg.graph.KnowledgeGraph`, each on its named query.

Every method runs the named query of the same purpose (``ontology/queries/NAME.rq``), then
dresses each answer row with its concept, the edges that justify it and their evidence, taken
from the edge view. The named query and the method therefore always agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from rdflib import URIRef
from rdflib.term import Node

from .edges import closure
from .errors import QueryError
from .memo import call_key, results_of
from .model import (
    UNRANKED,
    Edge,
    Finding,
    Item,
    Recommendation,
    findings_strongest_first,
    rank_key,
)
from .sparql import SelectResult, bind, named_queries, select
from .vocab import HAS_PART, OBO, OWL, PVP, QUANTITATIVE_FINDING, RDF, RDFS

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["counts", "recommendations", "simple", "strongest_items"]

_SUBCLASS = str(RDFS.subClassOf)
_UPSTREAM = str(OBO.RO_0002411)
_DOWNSTREAM = str(OBO.RO_0002404)
_HAS_PART = str(HAS_PART)
_GUIDED_BY = str(PVP.guidedBy)
_STEP_DETAILS = (str(OBO.RO_0002233), str(PVP.guidedBy), str(PVP.usesDevice), _HAS_PART,
                 str(OBO.BFO_0000066))


class RelatedSplit(NamedTuple):
    """Related complications of a concept, split by whether they follow it in every case."""

    always: tuple[Item, ...]
    may: tuple[Item, ...]
    defined_class: str | None


def _select(kg: KnowledgeGraph, name: str, **bindings: object) -> SelectResult:
    """Run the named SELECT query ``name`` on the graph of ``kg`` (rows remembered until the
    graph changes; a :class:`SelectResult` is immutable).

    A named query with a walk (:mod:`.walks`) is answered by it, from the store's indexes,
    with the rows SPARQL would give; otherwise SPARQL runs."""
    def compute() -> SelectResult:
        from .walks import available as walk_available  # on first use: not at start-up
        from .walks import run as run_walk

        if walk_available(name):
            given = {k: v for k, v in bindings.items() if v is not None}
            return run_walk(kg.graph, name, bind(named_queries()[name], given, kg.index))
        return select(kg.graph, name, kg.index, **bindings)

    key = call_key("select:" + name, (), bindings)
    if key is None:
        return compute()
    return results_of(kg).get_or_compute(key, compute)


def _iri(kg: KnowledgeGraph, text: str | None, default_param: str, name: str) -> str:
    """The IRI of a procedure/concept argument, or the named query's default."""
    if text is not None:
        return kg.index.iri(text)
    param = next(p for p in named_queries()[name].params if p.name == default_param)
    iri = kg.terms.expand(param.default or "")
    if iri is None:  # a broken .rq header, not a user error
        raise QueryError(f"{name}.rq: parameter {default_param!r} has no CURIE default")
    return iri


def _edge(kg: KnowledgeGraph, s: str, p: str, o: str) -> tuple[Edge, ...]:
    edge = kg.edges.get(s, p, o)
    return (edge,) if edge is not None else ()


def _subclass_path(kg: KnowledgeGraph, sub: str, sup: str) -> tuple[Edge, ...]:
    """The chain of subclass edges from ``sub`` up to ``sup`` (shortest)."""
    return kg.edges.chain(sub, sup, _SUBCLASS)


def simple(kg: KnowledgeGraph, name: str, *, subject_param: str = "procedure",
           **bindings: str | None) -> list[Item]:
    """Run a one-hop named query: answer ``?item`` is linked to the subject by one edge."""
    subject = _iri(kg, bindings.get(subject_param), subject_param, name)
    rows = _select(kg, name, **{**bindings, subject_param: subject})
    predicate = _first_predicate(kg, name)
    items = []
    for row in rows:
        iri = str(row["item"])
        via = _edge(kg, subject, predicate, iri) if predicate else ()
        broader = row.get("via")
        if not via and predicate and broader is not None:  # a kind of a listed item
            via = (*_subclass_path(kg, iri, str(broader)),
                   *_edge(kg, subject, predicate, str(broader)))
        if not via:  # the item came through a subclass or severity edge
            via = tuple(e for e in kg.edges.out(iri) if e.object in (subject, str(
                PVP.SeriousSeverity)))
        items.append(Item(kg.terms.concept(iri), via=via, kind=_str(row.get("kind")),
                          findings=kg.terms.findings_about(iri)))
    return strongest_items(items)


def strongest_items(items: list[Item]) -> list[Item]:
    """Items of an unordered list, strongest evidence behind them first (then by label)."""
    return sorted(items, key=lambda i: (rank_key(i.evidence[0]) if i.evidence else UNRANKED,
                                        i.label.lower()))


def _first_predicate(kg: KnowledgeGraph, name: str) -> str | None:
    """The predicate (``# edge:`` header) that links subject and ``?item`` in a query."""
    edge = named_queries()[name].meta.get("edge")
    return kg.terms.expand(edge) if edge else None


def _str(node: Node | None) -> str | None:
    return None if node is None else str(node)


def with_via(kg: KnowledgeGraph, name: str, predicate: str, *, from_item: bool = False,
             **bindings: str) -> list[Item]:
    """A named query whose rows carry ``?via`` (the subtype the edge starts from).

    With ``from_item`` the edge runs from the item to ``?via`` (a broader concept that
    ``concept`` is a kind of), and the path continues down the subclass chain to ``concept``.
    """
    concept = kg.index.iri(bindings["concept"])
    pred = kg.terms.expand(predicate) or predicate
    items: dict[str, Item] = {}
    for row in _select(kg, name, concept=concept):
        iri, via = str(row["item"]), str(row["via"])
        path = ((*_edge(kg, iri, pred, via), *_subclass_path(kg, concept, via)) if from_item
                else (*_edge(kg, via, pred, iri), *_subclass_path(kg, via, concept)))
        old = items.get(iri)
        if old is None or len(path) < len(old.via):
            items[iri] = Item(kg.terms.concept(iri), via=path,
                              kind=None if via == concept else f"via {kg.terms.label(via)}",
                              findings=kg.terms.findings_about(iri))
    return strongest_items(list(items.values()))


def risk_factors(kg: KnowledgeGraph, of: str) -> list[Item]:
    """Risk factors of a complication and of its subtypes."""
    return with_via(kg, "risk_factors", "pvp:hasRiskFactor", concept=of)


def risk_factor_effects(kg: KnowledgeGraph, of: str) -> list[Item]:
    """Complications that ``of`` (or a broader circumstance it is a kind of) is a risk factor
    of; each item's path is the risk-factor edge, then the subclass chain down to ``of``."""
    return with_via(kg, "risk_factor_effects", "pvp:hasRiskFactor", from_item=True, concept=of)


def preventive_measures(kg: KnowledgeGraph, of: str) -> list[Item]:
    """Techniques that make a complication less likely."""
    return simple(kg, "preventive_measures", subject_param="concept", concept=of)


def edges_of(kg: KnowledgeGraph, iri: str) -> list[Edge]:
    """Every edge that starts or ends at ``iri``."""
    return list(kg.edges.out(iri)) + list(kg.edges.into(iri))


def contraindications(kg: KnowledgeGraph, procedure: str | None) -> list[Item]:
    """Contraindications with kind absolute/relative."""
    subject = _iri(kg, procedure, "procedure", "contraindications")
    rows = _select(kg, "contraindications", procedure=subject)
    items = []
    for row in rows:
        iri, kind = str(row["item"]), str(row["kind"])
        prop = str(PVP.hasAbsoluteContraindication if kind == "absolute"
                   else PVP.hasRelativeContraindication)
        items.append(Item(kg.terms.concept(iri), via=_edge(kg, subject, prop, iri), kind=kind))
    # absolute before relative (the query's order), strongest evidence first within each
    return sorted(strongest_items(items), key=lambda i: i.kind != "absolute")


def is_contraindication(kg: KnowledgeGraph, concept: str,
                        procedure: str | None = None) -> list[Item]:
    """The contraindications ``concept`` is or falls under, with the path that shows it."""
    subject = _iri(kg, procedure, "procedure", "is_contraindication")
    target = kg.index.iri(concept)
    rows = _select(kg, "is_contraindication", concept=target, procedure=subject)
    items = []
    for row in rows:
        iri, kind = str(row["item"]), str(row["kind"])
        prop = str(PVP.hasAbsoluteContraindication if kind == "absolute"
                   else PVP.hasRelativeContraindication)
        path = (*_subclass_path(kg, target, iri), *_edge(kg, subject, prop, iri))
        items.append(Item(kg.terms.concept(iri), via=path, kind=kind))
    return items


def steps(kg: KnowledgeGraph, procedure: str | None) -> list[Item]:
    """Steps in order, each with its inputs, guidance, devices and optional parts."""
    subject = _iri(kg, procedure, "procedure", "steps")
    rows = _select(kg, "steps", procedure=subject)
    items = []
    for row in rows:
        iri = str(row["item"])
        position = int(row["position"]) + 1  # type: ignore[call-overload]
        via = _edge(kg, subject, _HAS_PART, iri)
        following = tuple(e for e in kg.edges.out(iri, str(OBO.BFO_0000063)))
        details = tuple(e for e in kg.edges.out(iri) if e.predicate in _STEP_DETAILS)
        items.append(Item(kg.terms.concept(iri), via=via + following, kind=str(position),
                          findings=kg.terms.findings_about(iri), details=details))
    return items


def related_complications(kg: KnowledgeGraph, related_to: str) -> list[Item]:
    """Subtypes and consequences of a concept, each with the path that links them."""
    return _related(kg, related_to)


def related_in_every_case(kg: KnowledgeGraph, related_to: str,
                          items: list[Item] | None = None) -> RelatedSplit:
    """How the related complications of a concept split by the strength of their link.

    ``always`` are the subtypes and the consequences linked by 'causally downstream of'
    restrictions (they follow the concept in every case): what an OWL reasoner infers into a
    defined class ``complication ⊓ (concept ⊔ ∃ causally downstream of . concept)``. ``may``
    are consequences reached only through asserted "may lead to" edges, which a reasoner
    cannot use. ``defined_class`` is the label of such a defined class in the graph, if any.
    """
    if items is None:  # (the caller may pass the related complications it already has)
        items = _related(kg, related_to)
    concept = kg.index.iri(related_to)
    always = {i.concept.iri for i in items if _in_every_case(kg, i.concept.iri, concept)}
    return RelatedSplit(
        always=tuple(i for i in items if i.concept.iri in always),
        may=tuple(i for i in items if i.concept.iri not in always),
        defined_class=_defined_related_class(kg, concept))


def _in_every_case(kg: KnowledgeGraph, item: str, concept: str) -> bool:
    """True when ``item`` is ``concept``'s kind or follows it by restrictions alone: a walk up
    subclass edges and 'causally downstream of' edges that come from restrictions (quantifier
    "all"; the relation is transitive) reaches ``concept``."""
    def up(node: str) -> Iterator[str]:
        for edge in kg.edges.out(node):
            if edge.predicate == _SUBCLASS or (edge.predicate == _DOWNSTREAM
                                               and edge.quantifier == "all"):
                yield edge.object
    return concept in closure(item, up)


def _related(kg: KnowledgeGraph, related_to: str) -> list[Item]:
    concept = kg.index.iri(related_to)
    rows = _select(kg, "complications_related_to", concept=concept)
    items: dict[str, Item] = {}
    for row in rows:
        iri, kind, via = str(row["item"]), str(row["kind"]), str(row["via"])
        parent = row.get("parent")
        if kind == "subtype":
            path = _subclass_path(kg, iri, concept)
        elif parent is not None:  # a kind of a consequence
            path = (*_subclass_path(kg, via, concept)[::-1],
                    *kg.edges.chain(via, str(parent), _UPSTREAM),
                    *_subclass_path(kg, iri, str(parent))[::-1])
        else:
            path = (*_subclass_path(kg, via, concept)[::-1], *kg.edges.chain(via, iri, _UPSTREAM))
        old = items.get(iri)
        if old is None or (old.kind == "consequence" and kind == "subtype") or (
                old.kind == kind and len(path) < len(old.via)):
            items[iri] = Item(kg.terms.concept(iri), via=path, kind=kind,
                              findings=kg.terms.findings_about(iri))
    return sorted(items.values(), key=lambda i: (i.kind != "subtype", len(i.via), i.label))


def _defined_related_class(kg: KnowledgeGraph, concept: str) -> str | None:
    """The label of a defined class 'complication ⊓ (concept ⊔ ∃ downstream of . concept)'
    (the first by IRI when there are several), read by walking the class expressions' RDF
    lists (a SPARQL query here would be parsed anew at every call)."""
    g, target = kg.graph, URIRef(concept)

    def members(head: Node | None) -> list[Node]:
        out, seen = [], set()
        while head is not None and head != RDF.nil and head not in seen:
            seen.add(head)
            first = g.value(head, RDF.first)
            if first is not None:
                out.append(first)
            head = g.value(head, RDF.rest)
        return out

    def names_concept(union: Node) -> bool:
        parts = members(g.value(union, OWL.unionOf))
        return target in parts and any(
            (r, OWL.onProperty, OBO.RO_0002404) in g and (r, OWL.someValuesFrom, target) in g
            for r in parts)

    found = sorted(str(d) for d, e in g.subject_objects(OWL.equivalentClass)
                   if any(names_concept(u) for u in members(g.value(e, OWL.intersectionOf))))
    return kg.terms.label(found[0]) if found else None


def causes(kg: KnowledgeGraph, of: str) -> list[Item]:
    """Causes of a condition, the more specific routes of each cause, the causes of the
    condition's own kinds (kind ``cause of a kind``) and the risk factors recorded for it or
    its kinds (kind ``risk factor``); causes first."""
    concept = kg.index.iri(of)
    rows = _select(kg, "causes_of", concept=concept)
    order = {"cause": 0, "specific route": 1, "cause of a kind": 2, "risk factor": 3}
    items: dict[str, Item] = {}
    for row in rows:
        iri, kind, via = str(row["item"]), str(row["kind"]), str(row["via"])
        if kind == "cause":
            path = kg.edges.chain(iri, concept, _UPSTREAM)
        elif kind == "cause of a kind":
            path = (*kg.edges.chain(iri, via, _UPSTREAM), *_subclass_path(kg, via, concept))
        elif kind == "risk factor":
            path = (*_edge(kg, via, str(PVP.hasRiskFactor), iri),
                    *_subclass_path(kg, via, concept))
        else:
            path = (*_subclass_path(kg, iri, via), *kg.edges.chain(via, concept, _UPSTREAM))
        old = items.get(iri)
        if old is None or (order.get(kind, 4), len(path)) < (order.get(old.kind or "", 4),
                                                             len(old.via)):
            items[iri] = Item(kg.terms.concept(iri), via=path, kind=kind,
                              findings=kg.terms.findings_about(iri))
    return sorted(items.values(), key=lambda i: (order.get(i.kind or "", 4), len(i.via),
                                                 i.label))


def outcomes(kg: KnowledgeGraph, procedure: str | None) -> list[Item]:
    """Outcomes with their findings."""
    subject = _iri(kg, procedure, "procedure", "outcomes")
    rows = _select(kg, "outcomes", procedure=subject)
    by_item: dict[str, list[str]] = {}
    for row in rows:
        by_item.setdefault(str(row["item"]), [])
        if "finding" in row:
            by_item[str(row["item"])].append(str(row["finding"]))
    items = []
    for iri in by_item:
        found = findings(kg, iri)
        items.append(Item(kg.terms.concept(iri), via=_edge(kg, subject, str(PVP.hasOutcome), iri),
                          findings=tuple(found)))
    return items


def findings(kg: KnowledgeGraph, about: str) -> list[Finding]:
    """Findings about a concept (and its subtypes) plus those that conflict with them."""
    concept = kg.index.iri(about)
    rows = _select(kg, "findings_about", concept=concept)
    ordered: dict[str, Finding] = {}
    for row in rows:
        iri = str(row["finding"])
        if iri not in ordered and (URIRef(iri), RDF.type, QUANTITATIVE_FINDING) in kg.graph:
            ordered[iri] = kg.terms.finding(iri)
    return list(findings_strongest_first(list(ordered.values())))


def all_findings(kg: KnowledgeGraph) -> list[Finding]:
    """Every finding of the graph, strongest evidence first (then by label and CURIE)."""
    iris = {str(s) for s in kg.graph.subjects(RDF.type, QUANTITATIVE_FINDING)
            if isinstance(s, URIRef)}
    return list(findings_strongest_first([kg.terms.finding(iri) for iri in iris]))


def imaging(kg: KnowledgeGraph, procedure: str | None) -> list[Item]:
    """Imaging modalities with the steps they guide."""
    subject = _iri(kg, procedure, "procedure", "imaging_guidance")
    rows = _select(kg, "imaging_guidance", procedure=subject)
    items: dict[str, list[Edge]] = {}
    for row in rows:
        iri, step = str(row["item"]), str(row["step"])
        items.setdefault(iri, []).extend(_edge(kg, step, _GUIDED_BY, iri))
    return [Item(kg.terms.concept(iri), via=tuple(via),
                 details=tuple(e for e in kg.edges.out(iri, _SUBCLASS)))
            for iri, via in items.items()]


#: The edge from a step to each kind of item of ``devices_and_materials``.
_EQUIPMENT_EDGE = {"device": str(PVP.usesDevice), "material": str(OBO.RO_0002233),
                   "imaging": _GUIDED_BY}


def devices_and_materials(kg: KnowledgeGraph, procedure: str | None) -> list[Item]:
    """Devices, materials (with their specific kinds) and guiding imaging of the procedure's
    steps, each with the path procedure → step → item; devices first, then materials, then
    imaging, and within each the order of the steps."""
    subject = _iri(kg, procedure, "procedure", "devices_and_materials")
    rows = _select(kg, "devices_and_materials", procedure=subject)
    order = {it.concept.iri: n for n, it in enumerate(steps(kg, subject))}
    items: dict[str, tuple[int, Item]] = {}
    for row in rows:
        iri, step, kind = str(row["item"]), str(row["step"]), str(row["kind"])
        broader = row.get("via")
        target = str(broader) if broader is not None else iri
        via = (*_edge(kg, subject, str(OBO.BFO_0000051), step),
               *_edge(kg, step, _EQUIPMENT_EDGE[kind], target),
               *(_subclass_path(kg, iri, target) if broader is not None else ()))
        at = order.get(step, len(order))
        if iri not in items or at < items[iri][0]:  # the first step that uses it
            items[iri] = (at, Item(kg.terms.concept(iri), via=via, kind=kind,
                                   findings=kg.terms.findings_about(iri)))
    rank = {"device": 0, "material": 1, "imaging": 2}
    ranked = sorted(items.values(),
                    key=lambda p: (rank.get(p[1].kind or "", 3), p[0], p[1].label.lower()))
    return [item for _, item in ranked]


def professionals(kg: KnowledgeGraph, procedure: str | None) -> list[Item]:
    """Kinds of professional in the procedure, then those in an assessment before it (the
    path runs procedure → assessment → professional)."""
    subject = _iri(kg, procedure, "procedure", "professionals")
    involves, assessed = str(PVP.involvesProfessional), str(PVP.hasPreProcedureAssessment)
    items: dict[str, Item] = {}
    for row in _select(kg, "professionals", procedure=subject):
        iri, via = str(row["item"]), row.get("via")
        path = (_edge(kg, subject, involves, iri) if via is None else
                (*_edge(kg, subject, assessed, str(via)), *_edge(kg, str(via), involves, iri)))
        if iri not in items:
            items[iri] = Item(kg.terms.concept(iri), via=path, kind=_str(row.get("kind")))
    return sorted(items.values(), key=lambda i: (i.kind is not None, i.label.lower()))


def related_procedures(kg: KnowledgeGraph, procedure: str | None) -> list[Item]:
    """The procedure's broader kinds, the other kinds of its parent (same family) and its own
    kinds, each with its subclass path."""
    subject = _iri(kg, procedure, "procedure", "related_procedures")
    order = {"broader": 0, "same family": 1, "kind of it": 2}
    items: dict[str, Item] = {}
    for row in _select(kg, "related_procedures", procedure=subject):
        iri, kind, via = str(row["item"]), str(row["kind"]), row.get("via")
        if kind == "broader":
            path = _subclass_path(kg, subject, iri)
        elif kind == "same family" and via is not None:
            path = (*_subclass_path(kg, subject, str(via)), *_subclass_path(kg, iri, str(via)))
        else:
            path = _subclass_path(kg, iri, subject)
        if iri not in items:
            items[iri] = Item(kg.terms.concept(iri), via=path, kind=kind)
    return sorted(items.values(), key=lambda i: (order.get(i.kind or "", 3), i.label.lower()))


def compare(kg: KnowledgeGraph, first: str, second: str) -> list[Item]:
    """Parts and benefits recorded for only one of two procedures (kind ``only X``), the
    parents they share (``shared``) and findings that compare them (``compared``)."""
    a, b = kg.index.iri(first), kg.index.iri(second)
    rows = _select(kg, "compare_procedures", first=a, second=b)
    items = []
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        side, iri = str(row["side"]), str(row["item"])
        prop = str(row.get("property", RDFS.subClassOf))
        if side in ("shared", "compared"):
            prop = ""
        if (side, prop, iri) in seen:
            continue
        seen.add((side, prop, iri))
        findings: tuple[Finding, ...] = ()
        if side == "shared":
            via = (*_edge(kg, a, str(RDFS.subClassOf), iri), *_edge(kg, b, str(RDFS.subClassOf),
                                                                     iri))
            kind = "shared"
        elif side == "compared":
            finding = kg.terms.finding(iri)
            items.append(Item(kg.terms.concept(iri), kind="compared", findings=(finding,)))
            continue
        else:
            owner = a if side == "first" else b
            via = _edge(kg, owner, prop, iri)
            kind = f"only {kg.terms.label(owner)}"
        items.append(Item(kg.terms.concept(iri), via=via, kind=kind, findings=findings))
    return items


def injected(kg: KnowledgeGraph, site: str | None,
             procedure: str | None) -> tuple[list[Item], list[Finding]]:
    """Materials that go into the site, and the findings on how long the cement takes to
    harden (shortest first) and on how much is injected (smallest volume first: volumes per
    level and the findings of each volume band; findings with no volume of their own last)."""
    site_iri = _iri(kg, site, "site", "injected_material")
    subject = _iri(kg, procedure, "procedure", "injected_material")
    rows = _select(kg, "injected_material", site=site_iri, procedure=subject)
    items: list[Item] = []
    found: dict[str, tuple[str, Finding]] = {}
    for row in rows:
        if "finding" in row:
            iri = str(row["finding"])
            if iri not in found:
                found[iri] = (str(row.get("kind", "")), kg.terms.finding(iri))
            continue
        iri, step = str(row["item"]), str(row["step"])
        via = (*_edge(kg, step, str(OBO.RO_0002233), iri),
               *_edge(kg, step, str(OBO.BFO_0000066), site_iri))
        items.append(Item(kg.terms.concept(iri), via=via, findings=kg.terms.findings_about(iri),
                          details=tuple(e for e in kg.edges.out(iri, _SUBCLASS))))
    timing = [f for kind, f in found.values() if kind != "volume"]
    volume = [f for kind, f in found.values() if kind == "volume"]
    return items, sorted(timing, key=_amount) + sorted(volume, key=_volume)


_NONE = float("inf")


def _amount(f: Finding) -> tuple[float, float, int, str]:
    """Sort key by a finding's own number (low end of a range first), then evidence."""
    low = next((v for v in (f.min_value, f.value, f.max_value) if v is not None), _NONE)
    high = next((v for v in (f.max_value, f.value, f.min_value) if v is not None), _NONE)
    return (low, high, f.rank or 1_000_000, f.label)


def _volume(f: Finding) -> tuple[float, float, int, str]:
    """Sort key of a volume finding: its band (open below counts from 0), else its volume."""
    if f.stratum_min is not None or f.stratum_max is not None:
        low = f.stratum_min if f.stratum_min is not None else 0.0
        high = f.stratum_max if f.stratum_max is not None else _NONE
        return (low, high, f.rank or 1_000_000, f.label)
    if f.unit == "millilitre":
        return _amount(f)
    return (_NONE, _NONE, f.rank or 1_000_000, f.label)


def recommendations(kg: KnowledgeGraph, procedure: str | None,
                    body: str | None = None) -> list[Recommendation]:
    """Guideline recommendations on a procedure, in the named query's order (strongest
    evidence first, then newest first); with ``body`` (an IRI) only that body's."""
    subject = _iri(kg, procedure, "procedure", "recommendations")
    rows = _select(kg, "recommendations", procedure=subject)
    grouped: dict[str, dict[str, Node]] = {}
    conditions: dict[str, list[str]] = {}
    required: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        iri = str(row["recommendation"])
        grouped.setdefault(iri, row)
        cond = row.get("condition")
        found = conditions.setdefault(iri, [])
        if cond is not None and kg.terms.curie(str(cond)) not in found:
            found.append(kg.terms.curie(str(cond)))
        need, kind = row.get("requirement"), row.get("requirementKind")
        needs = required.setdefault(iri, [])
        if need is not None and kind is not None:
            pair = (str(kind), kg.terms.curie(str(need)))
            if pair not in needs:
                needs.append(pair)
    out = []
    for iri, row in grouped.items():
        body_iri = str(row["body"])
        if body is not None and body_iri != body:
            continue
        who = kg.terms.concept(body_iri)
        evidence = kg.terms.evidence_of(URIRef(iri))
        year = row.get("year")
        out.append(Recommendation(
            iri=iri, curie=kg.terms.curie(iri), label=kg.terms.label(iri),
            body=(who.abbreviations or (who.label,))[0], body_label=who.label, body_iri=body_iri,
            year=int(str(year)) if year is not None else None,
            direction=kg.terms.label(str(row["direction"])), direction_iri=str(row["direction"]),
            strength=_str(row.get("strength")), population=_str(row.get("population")),
            statement=_str(row.get("summary")),
            conditions=tuple(conditions[iri]),
            procedures=tuple(sorted(kg.terms.curie(str(o)) for o in kg.graph.objects(
                URIRef(iri), PVP.recommendsOn))),
            evidence=evidence,
            level=evidence[0].level if evidence else None,
            rank=min((e.rank for e in evidence if e.rank is not None), default=None),
            requirements=_requirements(kg, required[iri]),
        ))
    return out


#: The kinds of requirement of a recommendation, in the order they are shown.
_REQUIREMENT_ORDER = (PVP.hasEligibilityCriterion, PVP.hasExclusionCriterion,
                      PVP.requiresPractice, PVP.decisionAgreedBy)


def _requirements(kg: KnowledgeGraph, pairs: list[tuple[str, str]]
                  ) -> tuple[tuple[str, str], ...]:
    """(kind label, CURIE) pairs: eligibility, exclusion, practice, decision; then by label."""
    order = {str(p): i for i, p in enumerate(_REQUIREMENT_ORDER)}
    ranked = sorted(pairs, key=lambda p: (order.get(p[0], len(order)),
                                          kg.terms.label(kg.terms.expand(p[1]) or p[1]).lower()))
    return tuple((kg.terms.label(kind), curie) for kind, curie in ranked)


def counts(kg: KnowledgeGraph) -> dict[str, int]:
    """Counts of triples, terms, edges, findings and sources."""
    from .mappings import read_mappings
    from .vocab import OWL

    g = kg.graph
    pvp_classes = {s for s in g.subjects(RDF.type, OWL.Class)
                   if isinstance(s, URIRef) and str(s).startswith(str(PVP))}
    return {
        "triples": len(g),
        "classes": len(pvp_classes),
        "properties": sum(1 for s in g.subjects(RDF.type, OWL.ObjectProperty)
                          if str(s).startswith(str(PVP))),
        "edges": len(kg.edges),
        "sourced_edges": sum(1 for e in kg.edges if e.evidence),
        "findings": sum(1 for _ in g.subjects(RDF.type, QUANTITATIVE_FINDING)),
        "sources": sum(1 for _ in g.subjects(RDF.type, PVP.Source)),
        "mappings": sum(len(x) for x in read_mappings().values()),
        "named_queries": len(named_queries()),
    }

"""Comparison questions: two concepts of compatible kinds, side by side.

:func:`compare` gathers what the graph records about both: the edges they share (the same
relation to the same concept), the edges of one side only, the edges between them, and the
findings that speak of both — that studied both, or hold one as the comparator of the other.
Where a finding records a value for each side, :class:`Direction` says which side is higher
and whether the source found the difference significant; the result direction another
module may record on a finding (``pvp:resultDirection``) is shown with it.

A relation recorded for one side only is "recorded for", never "absent from" the other.
Named queries: ``compare_concepts`` (any two compatible concepts) and ``compare_procedures``
(two procedures; the same renderer).
"""

from __future__ import annotations

import weakref
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rdflib import URIRef

from .answer import _cited, _finding_line, _make, ranked_findings, renders
from .errors import PVPKGError
from .explain import format_path
from .model import Answer, Concept, Edge, Finding, Item, _unit
from .nlu import index_for
from .sparql import NamedQuery
from .vocab import OBO, OWL, PVP, QUANTITATIVE_FINDING, RDF, RDFS, SRC

if TYPE_CHECKING:
    from .graph import KnowledgeGraph
    from .nlu import Reading, Understanding

__all__ = ["Comparison", "Direction", "compare"]

_FINDING = str(QUANTITATIVE_FINDING)
_SUBCLASS = str(RDFS.subClassOf)
#: Edges that tie findings and sources to concepts: shown through the findings instead.
_FINDING_LINKS = (str(OBO.IAO_0000136), str(PVP.studiedIntervention), str(OBO.IAO_0000119))
_RESULT_DIRECTION = PVP.resultDirection
#: A difference below this P value is one the source found significant.
SIGNIFICANT = 0.05


@dataclass(frozen=True)
class Direction:
    """What one finding records about which side is higher.

    ``higher``/``lower`` are the IRIs of the sides (None when the finding gives no value for
    each side or the values are equal); ``significant`` is True/False from the finding's P
    value, None when it records none.
    """

    finding: Finding
    higher: str | None
    lower: str | None
    significant: bool | None
    text: str


@dataclass(frozen=True)
class Comparison:
    """Two concepts side by side (see the module docstring)."""

    one: Concept
    other: Concept
    shared: tuple[Item, ...]
    only_one: tuple[Item, ...]
    only_other: tuple[Item, ...]
    between: tuple[Edge, ...]
    findings: tuple[Finding, ...]
    directions: tuple[Direction, ...]
    result_directions: tuple[Concept, ...] = ()


def _inverse(edge: Edge) -> bool:
    return (edge.derived_by or "").startswith("inverse")


def _is_finding(kg: KnowledgeGraph, iri: str) -> bool:
    from .nlu import index_for

    return _FINDING in index_for(kg).ancestors.get(iri, frozenset())


def _relations(kg: KnowledgeGraph, iri: str) -> dict[tuple[str, str, str], Edge]:
    """The concept's edges, keyed by (direction, predicate, the concept at the other end)."""
    out: dict[tuple[str, str, str], Edge] = {}
    for e in kg.edges.out(iri):
        if not _inverse(e) and e.predicate not in _FINDING_LINKS:
            out.setdefault(("out", e.predicate, e.object), e)
    for e in kg.edges.into(iri):
        if not _inverse(e) and e.predicate not in _FINDING_LINKS:
            out.setdefault(("in", e.predicate, e.subject), e)
    return {k: e for k, e in out.items() if not _is_finding(kg, k[2])
            and not k[2].startswith(str(SRC))}


def kinds(kg: KnowledgeGraph, iri: str) -> frozenset[str]:
    """The lexicon's slot classes (procedure, complication, material …) ``iri`` falls under."""
    from .nlu import index_for

    ix = index_for(kg)
    return frozenset(c for classes in ix.lexicon.slot_classes.values() for c in classes
                     if ix.is_a(iri, (c,)))


def compatible(kg: KnowledgeGraph, a: str, b: str, *, loose: bool = True) -> bool:
    """Whether two concepts can be compared: they share a slot class or a parent class, or
    are both related to the same concept."""
    from .nlu import index_for

    if kinds(kg, a) & kinds(kg, b):
        return True
    ix = index_for(kg)
    common = (ix.ancestors.get(a, frozenset()) & ix.ancestors.get(b, frozenset())) - {a, b}
    roots = (str(OWL), str(RDFS), str(RDF), str(OBO) + "BFO_")  # too general to share
    if any(not c.startswith(roots) for c in common):
        return True
    if not loose:
        return False
    # or both bear on the same concept: high-viscosity cement prevents the leakage that
    # low-viscosity cement makes more likely
    near_a = {k[2] for k in _relations(kg, a) if k[1] != _SUBCLASS} - ix.generic
    near_b = {k[2] for k in _relations(kg, b) if k[1] != _SUBCLASS} - ix.generic
    return bool(near_a & near_b)


#: Per graph (rebuilt with its lookup index): the concepts each text names.
_NAMED: weakref.WeakKeyDictionary[object, tuple[object, dict[str, frozenset[str]]]] = (
    weakref.WeakKeyDictionary())


def _names(kg: KnowledgeGraph, text: str | None) -> frozenset[str]:
    """The concepts a text names (exact names and close typos), remembered per graph."""
    from .nlu import _link, _select, index_for, tokens

    if not text:
        return frozenset()
    entry = _NAMED.get(kg)
    if entry is None or entry[0] is not kg.index:
        entry = (kg.index, {})
        _NAMED[kg] = entry
    memo = entry[1]
    hit = memo.get(text)
    if hit is None:
        hit = frozenset(s.iri for s in _select(_link(index_for(kg), tokens(text)))
                        if s.score >= 85)
        if len(memo) < 20_000:
            memo[text] = hit
    return hit


def _mentions(kg: KnowledgeGraph, f: Finding) -> set[str]:
    """The concepts a finding speaks of: what it is about, what it studied, and the concepts
    its label, population and comparator name."""
    out = {kg.terms.expand(c) or c for c in (*f.about, *f.interventions)}
    for text in (f.label, f.population, f.comparator):
        out |= _names(kg, text)
    return out


def _speaks_of(kg: KnowledgeGraph, mentioned: AbstractSet[str], side: str) -> bool:
    from .nlu import index_for

    ix = index_for(kg)
    return any(m == side or ix.is_a(m, (side,)) for m in mentioned)


def _direction(kg: KnowledgeGraph, f: Finding, a: str, b: str) -> Direction | None:
    """Which side the finding records as higher, when it gives a value for each."""
    value = f.value if f.value is not None else f.max_value
    if value is None or f.comparator_value is None:
        return None
    named = _names(kg, f.comparator)
    a_comp, b_comp = _speaks_of(kg, named, a), _speaks_of(kg, named, b)
    if a_comp == b_comp:
        return None  # the comparator names neither side (or both): no side to give it
    arms = [i for i in (kg.terms.expand(x) or x for x in f.interventions)
            if _speaks_of(kg, named, i)]
    if len(arms) > 1:
        # the comparator names several arms ("kyphoplasty: 4.05; non-surgical care: 2.66"):
        # its one value cannot be told to belong to the other side
        return None
    comparator, own = (a, b) if a_comp else (b, a)
    significant = None if f.p_value is None else f.p_value < SIGNIFICANT
    unit = " %" if (f.unit or "").lower() in ("percent", "%") else _unit(f.unit)
    p = f" (P = {f.p_value:g})" if f.p_value is not None else ""
    what = f.label
    # what the two values measure or count ("patients with back pain"), not the label's topic
    if f.outcome_measure:
        what = f"{what}, measured as {f.outcome_measure}"
    elif f.counted_unit:
        what = f"{what}, counting {f.counted_unit}"
    if value == f.comparator_value:
        return Direction(f, None, None, significant,
                         f"{what}: the same for both ({value:g}{unit}){p}")
    higher, lower = (own, comparator) if value > f.comparator_value else (comparator, own)
    hi_v, lo_v = max(value, f.comparator_value), min(value, f.comparator_value)
    how = ("" if significant is None else " — a significant difference" if significant
           else " — not a significant difference")
    text = (f"{what}: higher with {kg.terms.label(higher)} ({hi_v:g}{unit}) than with "
            f"{kg.terms.label(lower)} ({lo_v:g}{unit}){p}{how}")
    return Direction(f, higher, lower, significant, text)


def _findings_of_both(kg: KnowledgeGraph, a: str, b: str) -> list[Finding]:
    """The findings that speak of both ``a`` and ``b``, strongest evidence first."""
    found = [f for f in kg.findings() if (m := _mentions(kg, f)) and _speaks_of(kg, m, a)
             and _speaks_of(kg, m, b)]
    return ranked_findings(kg, found)


def compare(kg: KnowledgeGraph, one: str, other: str) -> Comparison:
    """Two concepts side by side: shared and differing relations, the edges between them,
    the findings about both and the directions they record.

    :raises ConceptNotFoundError: an unknown term
    :raises PVPKGError: the two are not of compatible kinds (nothing to compare)
    """
    a, b = kg.index.iri(one), kg.index.iri(other)
    if a == b:
        raise PVPKGError(f"{kg.terms.label(a)!r} is compared with itself")
    if not compatible(kg, a, b):
        raise PVPKGError(f"{kg.terms.label(a)!r} and {kg.terms.label(b)!r} are not of "
                         "comparable kinds")
    ra, rb = _relations(kg, a), _relations(kg, b)
    between = tuple(e for k, e in ra.items() if k[2] == b)
    ra = {k: e for k, e in ra.items() if k[2] != b}
    rb = {k: e for k, e in rb.items() if k[2] != a}
    shared = tuple(Item(kg.terms.concept(k[2]), via=(ra[k], rb[k]), kind="shared")
                   for k in ra if k in rb)
    la, lb = kg.terms.label(a), kg.terms.label(b)
    only_a = tuple(Item(kg.terms.concept(k[2]), via=(e,), kind=f"only {la}")
                   for k, e in ra.items() if k not in rb)
    only_b = tuple(Item(kg.terms.concept(k[2]), via=(e,), kind=f"only {lb}")
                   for k, e in rb.items() if k not in ra)
    found = _findings_of_both(kg, a, b)
    directions = tuple(d for f in found if (d := _direction(kg, f, a, b)) is not None)
    results: dict[str, Concept] = {}
    for f in found:
        for o in sorted(kg.graph.objects(URIRef(f.iri), _RESULT_DIRECTION), key=str):
            try:
                results.setdefault(str(o), kg.terms.concept(str(o)))
            except PVPKGError:  # a direction the term table does not hold: not shown
                continue
    return Comparison(kg.terms.concept(a), kg.terms.concept(b), shared, only_a, only_b,
                      between, tuple(found), directions, tuple(results.values()))


# -- rendering -----------------------------------------------------------------------------------

def _topic(kg: KnowledgeGraph, linked: tuple[Concept, ...], sides: set[str]) -> list[str]:
    """The concepts of the question other than the two sides: what the comparison is about."""
    from .nlu import index_for

    ix = index_for(kg)
    procedures = ix.lexicon.slot_classes.get("procedure", ())
    return [c.iri for c in linked if c.iri not in sides and not c.iri.startswith(str(SRC))
            and c.iri not in procedures]


def _about_topic(kg: KnowledgeGraph, f: Finding, topic: list[str]) -> bool:
    mentioned = _mentions(kg, f)
    return any(_speaks_of(kg, mentioned, t) for t in topic)


def _edge_line(kg: KnowledgeGraph, item: Item) -> str:
    return f"- {format_path(item.via[:1])}{_cited(item.via[0].evidence) if item.via else ''}"


def _shared_line(kg: KnowledgeGraph, item: Item, a: str) -> str:
    """``- is a needle approach`` (both sides' edge to the same concept, both sources)."""
    edge = item.via[0]
    evidence = tuple(ev for e in item.via for ev in e.evidence)
    if edge.subject == a:
        return f"- {edge.predicate_label} {item.label}{_cited(evidence)}"
    return f"- {item.label} {edge.predicate_label} both{_cited(evidence)}"


def sides(kg: KnowledgeGraph, bound: dict[str, str], linked: tuple[Concept, ...]
          ) -> tuple[str, str]:
    """The two concepts compared: the bound ones when they are comparable; otherwise the
    first comparable pair of the question's concepts ("does vertebroplasty cause more cement
    leakage than kyphoplasty?": the procedures; the leakage is what they are compared on)."""
    one = bound.get("one") or bound["first"]
    other = bound.get("other") or bound["second"]
    from .nlu import index_for

    generic = index_for(kg).generic
    named = [c.iri for c in linked if c.iri not in generic]
    for loose in (False, True):  # kinds first; then "bear on the same concept"
        if one != other and compatible(kg, one, other, loose=loose):
            return one, other
        for i, a in enumerate(named):
            for b in named[i + 1:]:
                if a != b and compatible(kg, a, b, loose=loose):
                    return a, b
    return one, other


@renders("compare_procedures", "compare_concepts")
def _run_compare(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                 linked: tuple[Concept, ...]) -> Answer:
    one, other = sides(kg, bound, linked)
    if one != other and not compatible(kg, one, other):
        # "thoracic vs lumbar canal leaks": a level and a leak are not two of a kind, but a
        # finding may speak of both (the canal leaks that needed surgery, by level)
        both = _findings_of_both(kg, one, other)
        if both:
            la, lb = kg.terms.label(one), kg.terms.label(other)
            return _make(kg, question, query, bound, [], both, linked,
                         f"{la} and {lb} are not two of a kind to set side by side; the "
                         f"findings that speak of both ({len(both)}), strongest evidence "
                         "first:")
    c = compare(kg, one, other)
    a, b = c.one.iri, c.other.iri
    la, lb = c.one.label, c.other.label
    topic = _topic(kg, linked, {a, b})
    findings = list(c.findings)
    directions = list(c.directions)
    if topic:  # "which leaks less": the findings about what is asked come first
        findings.sort(key=lambda f: not _about_topic(kg, f, topic))
        directions.sort(key=lambda d: not _about_topic(kg, d.finding, topic))
    body: list[str] = [f"- {side.label}: {side.definition}" for side in (c.one, c.other)
                       if side.definition]
    if directions:
        body.append("Which is higher, where a finding records a value for each:")
        body.extend(f"- {d.text}{_cited(d.finding.evidence)}" for d in directions)
    if findings:
        body.append(f"Findings about both ({len(findings)}), strongest evidence first:")
        body.extend(_finding_line(f) for f in findings)
    if not c.findings:  # nothing side by side: each side's own numbers, not to be set
        # against each other (other studies, populations and definitions)
        for concept in (c.one, c.other):
            own = ranked_findings(kg, list(kg.terms.findings_about(concept.iri)))[:3]
            if own:
                body.append(f"Findings about {concept.label} alone (other studies; not a "
                            "head-to-head comparison):")
                body.extend(_finding_line(f) for f in own)
    if c.result_directions:
        body.append("Result directions recorded: "
                    + ", ".join(r.label for r in c.result_directions) + ".")
    on_topic = [i for i in (*c.shared, *c.only_one, *c.only_other)
                if i.concept.iri in topic or any(e.subject in topic or e.object in topic
                                                 for e in i.via)]
    if on_topic:
        body.append(f"On {', '.join(kg.terms.label(t) for t in topic)}:")
        body.extend(f"- {format_path(i.via)}" for i in on_topic)
    if c.between:
        body.append(f"How {la} and {lb} are linked:")
        body.extend(f"- {format_path((e,))}{_cited(e.evidence)}" for e in c.between)
    if c.shared:
        body.append("Both:" if query.name != "compare_procedures" else "Both are or have:")
        body.extend(_shared_line(kg, i, a) for i in c.shared)
    for side, group in ((lb, c.only_other), (la, c.only_one)):
        if group:
            other_side = la if side == lb else lb
            body.append(f"Recorded for {side}, not for {other_side}:")
            body.extend(_edge_line(kg, i) for i in group)
    body.append("(A relation recorded for one only is not evidence that the other lacks it.)")
    header = f"How {la} compares with {lb}:"
    items: list[Item] = [*c.shared, *c.only_one, *c.only_other]
    result = _make(kg, question, query, bound, items, findings, linked, header, body)
    about = [kg.terms.concept(t) for t in topic]
    differing = [d for d in directions if d.higher]
    concepts = dict.fromkeys((c.one, c.other, *about, *c.result_directions,
                              *(kg.terms.concept(d.finding.iri) for d in differing),
                              *result.concepts))
    return replace(result, concepts=tuple(concepts))




def settle_comparison(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer
                      ) -> Answer:
    """"Is A less leaky than B?": Yes or No only when a finding about what is asked records a
    significant difference between A and B; otherwise no verdict, saying why."""
    if not ({"one", "other"} <= set(r.bindings) or {"first", "second"} <= set(r.bindings)):
        return replace(result, verdict=None)
    one, other = sides(kg, r.bindings, result.linked)
    from .nlu import index_for, says

    safety = _safety_verdict(kg, u, one, other)
    if safety is not None:  # "is thick cement safer than runny cement?"
        verdict, why = safety
        return replace(result, verdict=verdict,
                       explanation=f"{verdict.capitalize()}: {why}\n{result.explanation}")
    lexicon = index_for(kg).lexicon  # "more"/"less": lexicon.ttl, lex:ResultClaim
    timed = _time_verdict(kg, u, one, other)
    if timed is not None:  # "does kyphoplasty take longer than vertebroplasty?"
        verdict, why = timed
        return replace(result, verdict=verdict,
                       explanation=f"{verdict.capitalize()}, as recorded: {why}.\n"
                                   f"{result.explanation}")
    asked_more, asked_less = says(lexicon, "more", u.question), says(lexicon, "less", u.question)
    if asked_more == asked_less:
        return _no_verdict(result, "the question does not say whether more or less is asked")
    topic = _topic(kg, result.linked, {one, other})
    if not topic:
        return _no_verdict(result, "no finding records the two side by side on what is "
                                   "asked" if not compare(kg, one, other).findings else
                           "I could not tell on what they are compared")
    ix = index_for(kg)
    harms = ix.lexicon.slot_classes.get("complication", ())
    topic = [t for t in topic if ix.is_a(t, harms)]
    if not topic:  # a benefit's measures differ in which way is better: no verdict from them
        return _no_verdict(result, "a verdict is given only on how often a complication "
                                   "occurs")
    c = compare(kg, one, other)
    on_topic = [f for f in c.findings if set(topic) & {kg.terms.expand(x) or x
                                                        for x in f.about}]
    if any(f.conflicts_with for f in on_topic):
        return _no_verdict(result, "the findings about it conflict")
    relevant = [d for d in c.directions if d.higher and d.significant
                and d.finding in on_topic and (d.finding.unit or "").lower() == "percent"]
    if not relevant:
        return _no_verdict(result, "no finding about it records a significant difference "
                                   "between them")
    if len({d.higher for d in relevant}) > 1:
        return _no_verdict(result, "the findings point different ways")
    higher = relevant[0].higher
    yes = (higher == one) == asked_more
    head = "Yes" if yes else "No"
    return replace(result, verdict="yes" if yes else "no",
                   explanation=f"{head}, as recorded: {relevant[0].text}.\n"
                               f"{result.explanation}")


def _time_verdict(kg: KnowledgeGraph, u: Understanding, one: str, other: str
                  ) -> tuple[str, str] | None:
    """"Does A take longer than B?": the verdict from findings that record a time for each
    side (a unit of time, a value and the comparator's), when they agree and none records the
    difference as not significant; None when the question asks no time or none is recorded."""
    from .nlu import index_for

    lexicon = index_for(kg).lexicon  # lexicon.ttl word classes "longerTime"/"shorterTime"
    longer, shorter = lexicon.has("longerTime", u.tokens), lexicon.has("shorterTime", u.tokens)
    if longer == shorter:
        return None
    units = lexicon.unit_minutes
    timed = [d for d in compare(kg, one, other).directions
             if (d.finding.unit or "") in units and d.higher is not None]
    if not timed or any(d.significant is False for d in timed) \
            or len({d.higher for d in timed}) > 1:
        return None
    yes = (timed[0].higher == one) == longer
    return ("yes" if yes else "no"), "; ".join(d.text for d in timed)


def _safety_verdict(kg: KnowledgeGraph, u: Understanding, one: str, other: str
                    ) -> tuple[str, str] | None:
    """"Is A safer than B?" when the graph records, for one complication, A as a way to
    prevent it and B as a risk factor of it (or the other way round): the verdict and why."""
    lexicon = index_for(kg).lexicon  # the words of each direction: lex:WordClass
    safer, riskier = lexicon.has("safer", u.tokens), lexicon.has("riskier", u.tokens)
    if safer == riskier:
        return None
    prevent = kg.terms.expand("pvp:hasPreventiveMeasure") or ""
    risk = kg.terms.expand("pvp:hasRiskFactor") or ""
    for a, b, a_is_safe in ((one, other, True), (other, one, False)):
        shared = ({e.subject for e in kg.edges.into(a, prevent)}
                  & {e.subject for e in kg.edges.into(b, risk)})
        if shared:
            harm = kg.terms.label(sorted(shared)[0])
            yes = a_is_safe == safer
            why = (f"the graph records {kg.terms.label(a)} as a way to prevent {harm} and "
                   f"{kg.terms.label(b)} as a risk factor of it.")
            return ("yes" if yes else "no"), why
    return None


def _no_verdict(result: Answer, why: str) -> Answer:
    return replace(result, verdict=None,
                   explanation=f"There is no yes or no: {why}.\n{result.explanation}")

"""Answers: the renderer of each named query, found through one registry.

A renderer turns what :func:`pvp_kg.ask.understand` chose (a named query and the concepts bound
to its parameters) into an :class:`~pvp_kg.model.Answer`: it calls the typed answer in
:mod:`pvp_kg.query` and writes the explanation, each item with the path that justifies it and
its sources. Adding a question the library can answer means a ``queries/NAME.rq`` with
``# cues:`` and one ``@renders("NAME")`` function here; a test fails when a query with cues has
no renderer, and :func:`answer` never offers an intent nothing can render.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from . import query as q
from .ask import understand
from .errors import PVPKGError
from .evidence import finding_rank
from .explain import format_path
from .model import (
    UNRANKED,
    Answer,
    Concept,
    Edge,
    Evidence,
    Finding,
    Item,
    Recommendation,
    Source,
    findings_strongest_first,
    strongest_first,
)
from .negatives import negative_facts, recorded_not
from .sparql import NamedQuery, named_queries
from .vocab import CLINICAL_CONDITION, ISSUING_BODY, OBO, OWL, PVP, RDF, RDFS

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["RENDERERS", "Renderer", "answer", "renders"]

#: A renderer: ``(kg, question, query, bound, linked) -> Answer``.
Renderer = Callable[["KnowledgeGraph", str, NamedQuery, dict[str, str], tuple[Concept, ...]],
                    Answer]

#: The renderer of each named query, by query name.
RENDERERS: dict[str, Renderer] = {}


def renders(*names: str) -> Callable[[Renderer], Renderer]:
    """Register the decorated function as the renderer of the named queries ``names``."""

    def register(func: Renderer) -> Renderer:
        for name in names:
            if name in RENDERERS:
                raise ValueError(f"two renderers for the named query {name!r}")
            RENDERERS[name] = func
        return func

    return register


def answer(kg: KnowledgeGraph, question: str) -> Answer:
    """Answer ``question`` from the graph: understand it, then render the chosen query.

    :raises ArgumentTypeError: ``question`` is not a string
    :raises InvalidInputError: the question is empty or too long
    """
    from .respond import answer as respond

    return respond(kg, question)


def answer_by_cues(kg: KnowledgeGraph, question: str) -> Answer:
    """The former cue-phrase answering (kept for comparison; ``answer`` no longer uses it)."""
    understood = understand(kg, question, answerable=RENDERERS)
    query, bound, linked = understood.query, understood.bound, understood.linked
    if query is None or bound is None:
        return _not_covered(kg, question, linked, understood.unknown)
    try:
        return RENDERERS[query.name](kg, question, query, bound, linked)
    except PVPKGError as exc:  # a concept that exists but does not fit the query
        return Answer(question=question, intent=query.name, linked=linked,
                      explanation=f"I understood the question as '{query.title}', but could "
                                  f"not answer it: {exc}", query=query.name)


def _not_covered(kg: KnowledgeGraph, question: str, linked: tuple[Concept, ...],
                 unknown: tuple[str, ...]) -> Answer:
    topics = "; ".join(sorted(q.title.lower() for q in named_queries().values()))
    missing = (f" The graph has no term for {', '.join(repr(w) for w in unknown)}."
               if unknown else "")
    named = (f" I recognised {', '.join(repr(c.label) for c in linked)}, but not what you "
             "want to know about it." if linked else "")
    return Answer(
        question=question, intent=None, linked=linked,
        explanation=("This question is not covered by the PVP knowledge graph, so I give no "
                     f"answer rather than a guess.{missing}{named} It can answer about: {topics}."),
    )


def _sources(items: list[Item], findings: list[Finding]) -> tuple[Source, ...]:
    seen: dict[str, Source] = {}
    for item in items:
        for ev in item.evidence:
            seen.setdefault(ev.source.iri, ev.source)
        for f in item.findings:
            for ev in f.evidence:
                seen.setdefault(ev.source.iri, ev.source)
    for f in findings:
        for ev in f.evidence:
            seen.setdefault(ev.source.iri, ev.source)
    return tuple(seen.values())


def _cited(evidence: tuple[Evidence, ...]) -> str:
    """``[src:A, src:B; level, level]``: the sources, then their levels in words, strongest
    first; empty without evidence."""
    if not evidence:
        return ""
    ordered = strongest_first(evidence)
    src = ", ".join(dict.fromkeys(e.source.curie for e in ordered))
    levels = ", ".join(dict.fromkeys(e.level for e in ordered if e.level))
    return f" [{src}; {levels or 'level not recorded'}]"


def _finding_line(f: Finding) -> str:
    q = f.describe()
    text = f.summary or f.label
    study = f.study_result()
    return (f"    · {text}{' — ' + q if q else ''}{' (' + study + ')' if study else ''}"
            f"{_cited(f.evidence)}")


def _item_level(item: Item) -> str:
    """`` — evidence: observational study, reference work`` (strongest first), or empty."""
    levels = ", ".join(dict.fromkeys(e.level for e in item.evidence if e.level))
    return f" — evidence: {levels}" if levels else ""


def _item_line(item: Item, prefix: str = "-") -> list[str]:
    kind = f" ({item.kind})" if item.kind else ""
    lines = [f"{prefix} {item.label}{kind}{_item_level(item)}"]
    if item.via:
        lines.append(f"    because: {format_path(item.via)}")
    lines.extend(_finding_line(f) for f in item.findings)
    return lines


def _make(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
          items: list[Item], findings: list[Finding], linked: tuple[Concept, ...],
          header: str, body: list[str] | None = None, empty: str | None = None) -> Answer:
    from .evidence import current, narrow

    level = current()  # ask(min_level=...): keep only evidence at that level or stronger
    if level is not None:
        items, findings = narrow(items, findings)
        body = None
        header = f"{header} (only {level.level.label} evidence or stronger)"
        empty = (f"The graph records nothing for '{query.title}' backed by "
                 f"{level.level.label} evidence or stronger.")
    if not items and not findings:
        return Answer(question=question, intent=query.name, linked=linked,
                      explanation=empty or f"The graph records nothing for '{query.title}'.",
                      sparql=query.text, query=query.name)
    lines = [header]
    if body is None:
        for item in items:
            lines.extend(_item_line(item))
        lines.extend(_finding_line(f) for f in findings)
    else:
        lines.extend(body)
    concepts = tuple(dict.fromkeys((*(i.concept for i in items),
                                    *_finding_concepts(kg, findings))))
    return Answer(question=question, intent=query.name, concepts=concepts,
                  explanation="\n".join(lines), sources=_sources(items, findings),
                  sparql=query.text, query=query.name, items=tuple(items),
                  findings=tuple(findings), linked=linked)


def _finding_concepts(kg: KnowledgeGraph, findings: list[Finding]) -> list[Concept]:
    """The concepts the shown findings are about (what their numbers describe), then each
    one's study, result direction, the condition its patients had (``pvp:studiedCondition``)
    and the unit of its numbers (``pvp:unit``: "minute", "week")."""
    out: list[Concept] = []
    studied, unit = str(PVP.studiedCondition), str(PVP.unit)
    for f in findings:
        treated = tuple(e.object for e in kg.edges.out(f.iri, studied))
        units = tuple(e.object for e in kg.edges.out(f.iri, unit))
        for about in (*f.about, *((f.study,) if f.study else ()), *f.direction, *treated,
                      *units):
            iri = kg.terms.expand(about) or about
            try:
                out.append(kg.terms.concept(iri))
            except PVPKGError:
                continue
    return out


def _label(kg: KnowledgeGraph, iri: str | None) -> str:
    return kg.terms.label(iri) if iri else "the procedure"


def _procedure(kg: KnowledgeGraph, query: NamedQuery, bound: dict[str, str]) -> str:
    iri = bound.get("procedure")
    if iri:
        return iri
    default = next((p.default for p in query.params if p.name == "procedure"), None)
    return (kg.terms.expand(default) or default) if default else ""


@renders(
    "indications",
    "complications",
    "serious_complications",
    "benefits",
    "aftercare",
    "activity_restrictions",
    "preventive_measures",
    "pre_procedure_assessment",
)
def _run_simple(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                linked: tuple[Concept, ...]) -> Answer:
    subject_param = "procedure" if any(p.name == "procedure" for p in query.params) else "concept"
    items = [_kind_named(kg, i) for i in
             q.simple(kg, query.name, subject_param=subject_param, **bound)]
    subject = bound.get(subject_param) or _procedure(kg, query, bound)
    header = f"{query.title} — {_label(kg, subject)} ({len(items)}):"
    return _make(kg, question, query, bound, items, [], linked, header)


#: Kinds too general to say anything beside an item ("aftercare advice" of every advice).
_PLAIN_KINDS = frozenset(str(PVP[n]) for n in ("AftercareAdvice", "Complication", "Benefit"))


def _kind_named(kg: KnowledgeGraph, item: Item) -> Item:
    """An item whose kind is a class IRI (an aftercare advice's kind), with the class's label
    in its place, or no kind where the class is the list's own type."""
    kind = item.kind
    if not kind or not kind.startswith(("http://", "https://")):
        return item
    return replace(item, kind=None if kind in _PLAIN_KINDS else kg.terms.label(kind))


# one-hop lists about a condition or a procedure (the graph's pvp:treatedBy, pvp:diagnosedBy,
# pvp:hasClinicalFeature, needle routes): the same renderer as the other simple lists
renders("treatments", "diagnosis", "needle_approaches", "clinical_features")(_run_simple)


@renders("selection_criteria")
def _run_selection(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                   linked: tuple[Concept, ...]) -> Answer:
    """Who is a good candidate: the selection criteria, then what the guidelines on the
    procedure make a condition of doing it (their eligibility and exclusion criteria)."""
    result = _run_simple(kg, question, query, bound, linked)
    proc = _procedure(kg, query, bound)
    lines, extra, sources = [], [], {s.iri: s for s in result.sources}
    for rec in q.recommendations(kg, proc):
        who = f"{rec.body} {rec.year}" if rec.year is not None else rec.body
        for kind, curie in rec.requirements:
            if kind not in ("has eligibility criterion", "has exclusion criterion"):
                continue
            concept = kg.terms.concept(kg.terms.expand(curie) or curie)
            word = "requires" if kind == "has eligibility criterion" else "excludes"
            lines.append(f"- {who} {word}: {concept.label}"
                         + "".join(f" [{s.curie}]" for s in rec.sources[:1]))
            extra.append(concept)
            for s in rec.sources:
                sources.setdefault(s.iri, s)
    if not lines:
        return result
    text = result.explanation + "\nWhat the guidelines on it make a condition of doing it:\n"
    return replace(result, explanation=text + "\n".join(dict.fromkeys(lines)),
                   concepts=tuple(dict.fromkeys((*result.concepts, *extra))),
                   sources=tuple(sources.values()))


@renders("complications_related_to")
def _run_related(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                 linked: tuple[Concept, ...]) -> Answer:
    concept = bound["concept"]
    items = q.related_complications(kg, concept)
    if not items:
        inherited, parents = _inherited_consequences(kg, concept)
        if inherited:
            names = " and ".join(repr(_label(kg, p)) for p in parents)
            header = (f"The graph records no consequence of {_label(kg, concept)} itself; as "
                      f"a kind of {names}, it may lead to what that may lead to "
                      f"({len(inherited)}):")
            body = []
            for item in inherited:
                body.extend(_item_line(item))
            return _make(kg, question, query, bound, inherited, [], linked, header, body)
        denied = [f for f in negative_facts(kg) if f.subject == concept]
        if denied:  # recorded as leading to nothing of the kind
            lines = [f"- not {kg.terms.label(f.object)} ({kg.terms.label(f.predicate)}: recorded "
                     f"as not holding){_cited(f.evidence)}" for f in denied]
            lines += [f"    · {n}" for n in dict.fromkeys(
                e.note for f in denied for e in f.evidence if e.note)]
            header = (f"The graph records no consequence of {_label(kg, concept)}, and records "
                      "what it does not lead to:")
            return Answer(question=question, intent=query.name, linked=linked,
                          explanation="\n".join([header, *lines]), sparql=query.text,
                          query=query.name, concepts=tuple(dict.fromkeys(
                              kg.terms.concept(x) for f in denied for x in (f.subject, f.object))),
                          sources=tuple(dict.fromkeys(
                              e.source for f in denied for e in f.evidence)))
        found = ranked_findings(kg, kg.findings(about=concept))
        if found:  # no consequence edge: what the studies about it report
            header = (f"The graph records no consequence of {_label(kg, concept)}; what its "
                      f"findings about it report ({len(found)}):")
            return _make(kg, question, query, bound, [], found, linked, header,
                         [_finding_line(f) for f in found])
    sub = [i for i in items if i.kind == "subtype"]
    cons = [i for i in items if i.kind != "subtype"]
    body = [f"Kinds of {_label(kg, concept)} ({len(sub)}):"]
    for item in sub:
        body.extend(_item_line(item))
    body.append(f"Consequences — conditions it can lead to ({len(cons)}):")
    for item in cons:
        body.extend(_item_line(item))
    split = q.related_in_every_case(kg, concept, items)
    if split.may:  # say why a reasoner's defined class lists fewer (issue 10)
        cls = (f"the reasoner's defined class {split.defined_class!r} holds them (with "
               f"{_label(kg, concept)} itself)" if split.defined_class else
               "an OWL reasoner can infer them")
        body.append(f"Why a reasoner lists fewer: {len(split.always)} of these follow "
                    f"{_label(kg, concept)} in every case (its kinds, or 'causally downstream "
                    f"of' restrictions), and {cls}; the other {len(split.may)} "
                    f"({', '.join(i.label for i in split.may)}) may follow it but can also "
                    f"have other causes, so they are recorded as 'may lead to' edges, which a "
                    f"reasoner does not count.")
    needed = _needed_treatments(kg, concept, items)
    usual = [e for e in kg.edges.out(concept, str(PVP.hasUsualCourse))
             if e.object == str(PVP.UsuallyNoTreatmentNeeded)]
    if needed:
        body.append(f"What it may need — treatments recorded for it and its kinds "
                    f"({len(needed)}):")
        # the usual course first: "most leaks need no treatment" before any treatment
        body.extend(f"- usually nothing: {format_path((e,))}" for e in usual)
        for edge in needed:
            kind = ("" if edge.subject == concept else
                    f" (for {kg.terms.label(edge.subject)}, a kind of {_label(kg, concept)})")
            body.append(f"- {kg.terms.label(edge.object)}{kind}")
            body.append(f"    because: {format_path((edge,))}")
    header = f"Complications related to {_label(kg, concept)}: {len(items)} found."
    answer = _make(kg, question, query, bound, items, [], linked, header, body)
    # the answer is about the concept: it heads the chain shown, so it is named first
    answer = replace(answer, concepts=tuple(dict.fromkeys((kg.terms.concept(concept),
                                                           *answer.concepts))))
    if not needed:
        return answer
    extra = tuple(kg.terms.concept(edge.object) for edge in needed)
    sources = {s.iri: s for s in answer.sources}
    for edge in (*usual, *needed):
        for ev in edge.evidence:
            sources.setdefault(ev.source.iri, ev.source)
    return replace(answer, concepts=tuple(dict.fromkeys((*answer.concepts, *extra))),
                   sources=tuple(sources.values()))


def _needed_treatments(kg: KnowledgeGraph, concept: str, items: list[Item]) -> list[Edge]:
    """For a consequence question: the 'treated by' edges of the concept and of its kinds
    (not of what it leads to: a consequence's treatment is that consequence's answer), one
    per treatment, the concept's own first."""
    treated_by = str(PVP.treatedBy)
    nodes = [concept, *(i.concept.iri for i in items if i.kind == "subtype")]
    out: dict[str, Edge] = {}
    for node in nodes:
        for edge in kg.edges.out(node, treated_by):
            out.setdefault(edge.object, edge)
    return list(out.values())


def _inherited_consequences(kg: KnowledgeGraph, concept: str) -> tuple[list[Item], list[str]]:
    """The consequences of ``concept``'s nearest kinds that have any (its own parents, then
    theirs), each with the is-a edge put in front of its path; and those parents."""
    frontier = list(kg.edges.out(concept, str(RDFS.subClassOf)))
    seen = {concept}
    while frontier:
        found: dict[str, Item] = {}
        parents = []
        for edge in frontier:
            seen.add(edge.object)
            # only what the parent itself leads to: never a sibling's consequence reached
            # down through another kind of the parent ("cement leakage ←is a— venous …")
            own = [i for i in q.related_complications(kg, edge.object)
                   if i.kind != "subtype" and i.concept.iri not in seen
                   and not any(e.predicate == str(RDFS.subClassOf) for e in i.via)]
            if own:
                parents.append(edge.object)
            for item in own:
                if item.via and recorded_not(kg, concept, item.via[0].object):
                    continue  # recorded as not passed on ("asymptomatic PCE" → failure)
                found.setdefault(item.concept.iri, replace(item, via=(edge, *item.via)))
        if found:
            return list(found.values()), parents
        frontier = [e for edge in frontier for e in kg.edges.out(edge.object, str(RDFS.subClassOf))
                    if e.object not in seen and e.object not in _GENERIC_KINDS]
    return [], []


#: Kinds too general to pass their consequences on ("complication" itself).
_GENERIC_KINDS = frozenset(str(PVP[n]) for n in ("Complication", "ClinicalCondition"))


def _rec_order(r: Recommendation) -> tuple[int, int, str]:
    """Recommendations as the named query orders them: strongest evidence, newest, IRI."""
    return (UNRANKED if r.rank is None else r.rank, -(r.year or 0), r.iri)


def _recs_of_citing_source(kg: KnowledgeGraph, proc: str) -> tuple[list[Recommendation], str]:
    """For a procedure with no recommendation of its own nor on its kinds: the
    recommendations on its sibling procedures that come from the very source the graph cites
    for the procedure's definition (that report names it), and a note saying so."""
    cited = {str(o) for o in kg.graph.objects(URIRef(proc), OBO.IAO_0000119)}
    if not cited:
        return [], ""
    parents = [e.object for e in kg.edges.out(proc, str(RDFS.subClassOf))]
    siblings = sorted({e.subject for p in parents
                       for e in kg.edges.into(p, str(RDFS.subClassOf)) if e.subject != proc},
                      key=lambda k: _label(kg, k))
    found: dict[str, Recommendation] = {}
    on: list[str] = []
    for sib in siblings:
        mine = [r for r in q.recommendations(kg, sib)
                if cited & {s.iri for s in r.sources}]
        if mine:
            on.append(sib)
        for r in mine:
            found.setdefault(r.iri, r)
    if not found:
        return [], ""
    recs = sorted(found.values(), key=_rec_order)
    note = (f"No recommendation is recorded on {_label(kg, proc)} itself; the report the graph "
            f"cites for it ({', '.join(sorted(kg.terms.curie(c) for c in cited))}) makes these, "
            f"recorded on related procedures ({', '.join(_label(kg, s) for s in on)}).")
    return recs, note


@renders("is_kind_of")
def _run_kind_of(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                 linked: tuple[Concept, ...]) -> Answer:
    """"Is X a Y?": Yes with the chain of is-a edges; No only from recorded disjointness
    (an ``owl:disjointWith`` between X or one of its kinds and Y or one of its kinds)."""
    concept, kind = bound["concept"], bound["kind"]
    head = _label(kg, concept)
    what = _label(kg, kind)

    def answer(**fields: Any) -> Answer:
        return Answer(question=question, intent=query.name, linked=linked, sparql=query.text,
                      query=query.name, **fields)

    order = [c.iri for c in linked]
    if concept in order and kind in order and order.index(kind) < order.index(concept):
        # "is bone cement a kind of PMMA?" asks of bone cement: the reading that puts the
        # later name first answers another question (PMMA is a kind of bone cement)
        return answer(verdict=None, explanation=f"The question names {what!r} before "
                                                f"{head!r}: not read the other way round.")
    if concept == kind:  # two names of one concept ("prophylactic augmentation of unfractured
        # vertebrae"): nothing is asked of how the two relate, so the next reading is tried
        return answer(verdict=None, explanation=f"Both names are {head!r}: there is nothing to "
                                                "compare.")
    chain = (kg.edges.chain(concept, kind, str(RDFS.subClassOf))
             if kg.edges.is_a(concept, kind) else None)
    if chain is not None:
        lines = [f"Yes: the graph records {head} as a kind of {what}."]
        if chain:
            lines.append(f"    because: {format_path(chain)}")
        sources = {ev.source.iri: ev.source for e in chain for ev in e.evidence}
        return answer(verdict="yes", explanation="\n".join(lines),
                      concepts=(kg.terms.concept(concept), kg.terms.concept(kind)),
                      sources=tuple(sources.values()))
    split = _disjoint(kg, concept, kind)
    if split is not None:
        edge, up_x, up_y = split
        lines = [f"No: the graph records {_label(kg, edge.subject)} and "
                 f"{_label(kg, edge.object)} as disjoint (nothing is both){_cited(edge.evidence)}."]
        for up in (up_x, up_y):
            if up:
                lines.append(f"    because: {format_path(up)}")
        sources = {ev.source.iri: ev.source for e in (edge, *up_x, *up_y) for ev in e.evidence}
        return answer(verdict="no", explanation="\n".join(lines),
                      concepts=(kg.terms.concept(concept), kg.terms.concept(kind)),
                      sources=tuple(sources.values()))
    parents = [kg.terms.label(e.object) for e in kg.edges.out(concept, str(RDFS.subClassOf))]
    # no concepts: nothing settled, so a close reading of the question is tried in its place
    return answer(verdict=None,
                  explanation=(f"The graph does not record {head} as a kind of {what}, nor the "
                               "two as disjoint, so there is no yes or no."
                               + (f" It records {head} as a kind of: {', '.join(parents)}."
                                  if parents else "")))


def _disjoint(kg: KnowledgeGraph, x: str, y: str
              ) -> tuple[Edge, tuple[Edge, ...], tuple[Edge, ...]] | None:
    """A recorded disjointness between a kind of ``x`` (or ``x``) and a kind of ``y`` (or
    ``y``), with the is-a chains up to them, or None."""
    kinds_y = dict(_kinds(kg, y))
    graph = kg.graph
    for a, up_x in _kinds(kg, x):
        for a_node, b_node in ((URIRef(a), None), (None, URIRef(a))):
            # owl:disjointWith is symmetric: recorded either way round
            pairs = (graph.objects(a_node, OWL.disjointWith) if b_node is None
                     else graph.subjects(OWL.disjointWith, b_node))
            for other in pairs:
                if str(other) not in kinds_y:
                    continue
                s, o = (a, str(other)) if b_node is None else (str(other), a)
                evidence: tuple[Evidence, ...] = ()
                for ax in graph.subjects(OWL.annotatedSource, URIRef(s)):
                    if (ax, OWL.annotatedProperty, OWL.disjointWith) in graph and \
                            (ax, OWL.annotatedTarget, URIRef(o)) in graph:
                        evidence = kg.terms.evidence_of(ax)
                edge = Edge(s, str(OWL.disjointWith), o, evidence,
                            subject_label=kg.terms.label(s), predicate_label="disjoint with",
                            object_label=kg.terms.label(o))
                return edge, up_x, kinds_y[str(other)]
    return None


def _kinds(kg: KnowledgeGraph, iri: str) -> list[tuple[str, tuple[Edge, ...]]]:
    out: list[tuple[str, tuple[Edge, ...]]] = [(iri, ())]
    seen = {iri}
    for node, up in out:
        for edge in kg.edges.out(node, str(RDFS.subClassOf)):
            if edge.object not in seen:
                seen.add(edge.object)
                out.append((edge.object, (*up, edge)))
    return out


@renders("is_contraindication")
def _run_contra(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                linked: tuple[Concept, ...]) -> Answer:
    concept = bound["concept"]
    items = q.is_contraindication(kg, concept, bound.get("procedure"))
    proc = _label(kg, _procedure(kg, query, bound))
    if not items:
        return Answer(question=question, intent=query.name, linked=linked,
                      explanation=f"No: the graph records {_label(kg, concept)!r} as no "
                                  f"contraindication to {proc}, nor as a kind of one.",
                      sparql=query.text, query=query.name)
    first = items[0]
    verdict = (f"Yes: {_label(kg, concept)} is an {first.kind} contraindication to {proc}"
               if first.concept.iri == concept else
               f"Yes: {_label(kg, concept)} is a kind of {first.label}, an {first.kind} "
               f"contraindication to {proc}")
    body = []
    for item in items:
        body.extend(_item_line(item))
    return _make(kg, question, query, bound, items, [], linked, verdict + ".", body)


@renders("contraindications")
def _run_contra_all(kg: KnowledgeGraph, question: str, query: NamedQuery,
                    bound: dict[str, str], linked: tuple[Concept, ...]) -> Answer:
    items = q.contraindications(kg, bound.get("procedure"))
    header = f"Contraindications of {_label(kg, _procedure(kg, query, bound))} ({len(items)}):"
    return _make(kg, question, query, bound, items, [], linked, header)


@renders("steps")
def _run_steps(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
               linked: tuple[Concept, ...]) -> Answer:
    proc = bound.get("procedure")
    items = q.steps(kg, proc)
    body = []
    for item in items:
        body.append(f"{item.kind}. {item.label}")
        via = [e for e in item.via if e.predicate_label == "has part"]
        if via:
            body.append(f"    because: {format_path(tuple(via))}")
        for edge in item.details:
            srcs = ", ".join(e.source.curie for e in edge.evidence)
            may = " (optional)" if edge.quantifier == "some" and edge.predicate_label == (
                "has part") else ""
            body.append(f"    {edge.predicate_label}: {edge.object_label}{may} [{srcs}]")
        body.extend(_finding_line(f) for f in item.findings)
    header = f"Steps of {_label(kg, proc or _procedure(kg, query, bound))}, in order:"
    return _make(kg, question, query, bound, items, [], linked, header, body)


@renders("injected_material")
def _run_injected(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                  linked: tuple[Concept, ...]) -> Answer:
    items, timing = q.injected(kg, bound.get("site"), bound.get("procedure"))
    site_param = next(p for p in query.params if p.name == "site")
    site = bound.get("site") or kg.terms.expand(site_param.default or "")
    header = f"Injected into the {_label(kg, site)}:"
    body = []
    for item in items:
        body.extend(_item_line(item))
    hardening = [f for f in timing if f.unit == "minute"]
    volume = [f for f in timing if f.unit != "minute"]
    if hardening:
        body.append("Time to harden:")
        body.extend(_finding_line(f) for f in hardening)
    if volume:
        body.append("How much cement (smallest volume first):")
        body.extend(_finding_line(f) for f in volume)
    return _make(kg, question, query, bound, items, timing, linked, header, body)


@renders("devices_and_materials")
def _run_equipment(kg: KnowledgeGraph, question: str, query: NamedQuery,
                   bound: dict[str, str], linked: tuple[Concept, ...]) -> Answer:
    proc = _procedure(kg, query, bound)
    items = q.devices_and_materials(kg, proc)
    body = []
    for kind, title in (("device", "Devices"), ("material", "Materials and drugs"),
                        ("imaging", "Imaging that guides it")):
        group = [i for i in items if i.kind == kind]
        if group:
            body.append(f"{title} ({len(group)}):")
            for item in group:
                body.extend(_item_line(replace(item, kind=None)))
    header = f"Equipment and materials of {_label(kg, proc)} ({len(items)}):"
    return _make(kg, question, query, bound, items, [], linked, header, body)


@renders("professionals")
def _run_professionals(kg: KnowledgeGraph, question: str, query: NamedQuery,
                       bound: dict[str, str], linked: tuple[Concept, ...]) -> Answer:
    proc = _procedure(kg, query, bound)
    items = q.professionals(kg, proc)
    header = f"Professionals involved in {_label(kg, proc)} ({len(items)}):"
    return _make(kg, question, query, bound, items, [], linked, header)


@renders("related_procedures")
def _run_related_procedures(kg: KnowledgeGraph, question: str, query: NamedQuery,
                            bound: dict[str, str], linked: tuple[Concept, ...]) -> Answer:
    proc = _procedure(kg, query, bound)
    items = q.related_procedures(kg, proc)
    header = f"Procedures related to {_label(kg, proc)} ({len(items)}):"
    return _make(kg, question, query, bound, items, [], linked, header,
                 empty=f"The graph records no procedure related to {_label(kg, proc)!r}.")


@renders("causes_of")
def _run_causes(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                linked: tuple[Concept, ...]) -> Answer:
    concept = bound["concept"]
    items = q.causes(kg, concept)
    header = f"Causes of {_label(kg, concept)}:"
    return _make(kg, question, query, bound, items, [], linked, header,
                 empty=f"The graph records no cause of {_label(kg, concept)!r}.")


@renders("risk_factors")
def _run_risk(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
              linked: tuple[Concept, ...]) -> Answer:
    concept = bound["concept"]
    items = q.risk_factors(kg, concept)
    header = f"Risk factors of {_label(kg, concept)} ({len(items)}):"
    return _make(kg, question, query, bound, items, [], linked, header,
                 empty=f"The graph records no risk factor of {_label(kg, concept)!r}.")


@renders("risk_factor_effects")
def _run_risk_effects(kg: KnowledgeGraph, question: str, query: NamedQuery,
                      bound: dict[str, str], linked: tuple[Concept, ...]) -> Answer:
    concept = bound["concept"]
    items = q.risk_factor_effects(kg, concept)
    header = f"What {_label(kg, concept)} makes more likely ({len(items)}):"
    return _make(kg, question, query, bound, items, [], linked, header,
                 empty=f"The graph records {_label(kg, concept)!r} as a risk factor of nothing.")


@renders("findings_about")
def _run_findings(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                  linked: tuple[Concept, ...]) -> Answer:
    concept = bound["concept"]
    found = ranked_findings(kg, q.findings(kg, concept))
    header = f"Findings about {_label(kg, concept)} ({len(found)}):"
    from .durations import asks_duration, timed_first
    from .nlu import index_for

    body = _evidence_body(kg, found)[1:]
    units = index_for(kg).lexicon.unit_minutes
    timed = [f for f in timed_first(kg, found, question) if (f.unit or "") in units]
    if timed and asks_duration(index_for(kg).lexicon, question):  # "how long does it take?"
        # the recorded times first, then every finding by evidence level
        body = ["Times recorded:", *(_finding_line(f) for f in timed),
                "All findings, strongest evidence first:", *body]
        found = timed_first(kg, found, question)
    answer = _make(kg, question, query, bound, [], found, linked, header, body,
                   empty=f"The graph records no number or study result about "
                         f"{_label(kg, concept)!r}.")
    if found:
        answer = replace(answer, concepts=tuple(dict.fromkeys(
            (kg.terms.concept(concept), *answer.concepts))))
    return answer


@renders("outcomes")
def _run_outcomes(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                  linked: tuple[Concept, ...]) -> Answer:
    items = q.outcomes(kg, bound.get("procedure"))
    name = _label(kg, _procedure(kg, query, bound))
    header = f"Outcomes of {name}:"
    # what the strongest evidence found comes first; the outcome links (often from weaker
    # sources) follow, each with its level
    proc = _procedure(kg, query, bound)
    findings, elsewhere = _of_procedure(kg, proc, [f for i in items for f in i.findings])
    findings = ranked_findings(kg, findings, focus=kg.terms.curie(proc))
    body = _evidence_body(kg, findings, focus=kg.terms.curie(proc))
    if elsewhere:
        names = ", ".join(sorted({kg.terms.label(kg.terms.expand(i) or i)
                                  for f in elsewhere for i in f.interventions}))
        body.append(f"({len(elsewhere)} finding(s) that studied only {names}, not {name}, "
                    "are left out.)")
    if items:
        body.append(f"Outcomes recorded for {name}:")
    for item in items:
        body.append(f"- {item.label}{_item_level(item)}")
        if item.via:
            body.append(f"    because: {format_path(item.via)}")
    return _make(kg, question, query, bound, items, findings, linked, header, body)


@renders("imaging_guidance")
def _run_imaging(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                 linked: tuple[Concept, ...]) -> Answer:
    items = q.imaging(kg, bound.get("procedure"))
    header = f"Imaging that guides {_label(kg, _procedure(kg, query, bound))}:"
    return _make(kg, question, query, bound, items, [], linked, header)


@renders("describe")
def _run_describe(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                  linked: tuple[Concept, ...]) -> Answer:
    concept = kg.terms.concept(bound["concept"])
    edges = [e for e in q.edges_of(kg, concept.iri) if e.derived_by is None
             or not e.derived_by.startswith("inverse")]
    items = [Item(kg.terms.concept(e.object if e.subject == concept.iri else e.subject),
                  via=(e,), kind=e.predicate_label) for e in edges]
    lines = [f"{concept.label}: {concept.definition or '(no definition recorded)'}"]
    if concept.synonyms or concept.abbreviations:
        lines.append(f"Also called: {', '.join((*concept.abbreviations, *concept.synonyms))}")
    for item in items:
        lines.append(f"- {format_path(item.via)}")
    findings = list(kg.terms.findings_about(concept.iri))
    lines.extend(_finding_line(f) for f in findings)
    result = _make(kg, question, query, bound, items, findings, linked, lines[0], lines[1:])
    return replace(result, concepts=(concept, *result.concepts))


def _levels(f: Finding) -> str:
    levels = [e.level for e in strongest_first(f.evidence) if e.level]
    return ", ".join(dict.fromkeys(levels)) or "level not recorded"


def _issuing_bodies(kg: KnowledgeGraph, linked: tuple[Concept, ...]) -> list[Concept]:
    """The concepts of the question that are issuing bodies of guidelines (NICE, ASBMR …)."""
    return [c for c in linked if (URIRef(c.iri), RDF.type, ISSUING_BODY) in kg.graph]


def _ancestors(kg: KnowledgeGraph, iri: str) -> set[str]:
    return {str(x) for x in kg.graph.transitive_objects(URIRef(iri), RDFS.subClassOf)}


def _asked_conditions(kg: KnowledgeGraph, linked: tuple[Concept, ...]) -> list[Concept]:
    """The concepts of the question that are clinical conditions ("… for metastases")."""
    return [c for c in linked if str(CLINICAL_CONDITION) in _ancestors(kg, c.iri)
            and c.iri != str(CLINICAL_CONDITION)]


def _covers(kg: KnowledgeGraph, rec: Recommendation, conditions: list[Concept]) -> bool:
    """Whether a recommendation applies to one of ``conditions``: one of its conditions is that
    condition, a kind of it, or a broader class that contains it; or one of its eligibility
    criteria is ("… for a recent unhealed fracture": a criterion of NICE TA279)."""
    eligible = (c for kind, c in rec.requirements if kind == "has eligibility criterion")
    for curie in (*rec.conditions, *eligible):
        own = kg.terms.expand(curie) or curie
        for c in conditions:
            if c.iri in _ancestors(kg, own) or own in _ancestors(kg, c.iri):
                return True
    return False


def _short(c: Concept) -> str:
    return (c.abbreviations or (c.label,))[0]


def _rec_lines(kg: KnowledgeGraph, rec: Recommendation) -> list[str]:
    who = f"{rec.body} {rec.year}" if rec.year is not None else rec.body
    population = f" — {rec.population}" if rec.population else ""
    lines = [f"- {who} ({rec.label}): {rec.direction}{population}.{_cited(rec.evidence)}"]
    if rec.statement:
        lines.append(f"    {rec.statement}")
    if rec.strength:
        lines.append(f"    strength: {rec.strength}")
    kinds: dict[str, list[str]] = {}
    for kind, curie in rec.requirements:
        kinds.setdefault(kind, []).append(_label(kg, kg.terms.expand(curie) or curie))
    lines.extend(f"    {kind}: {'; '.join(labels)}" for kind, labels in kinds.items())
    return lines


@renders("recommendations")
def _run_recommendations(kg: KnowledgeGraph, question: str, query: NamedQuery,
                         bound: dict[str, str], linked: tuple[Concept, ...]) -> Answer:
    from .evidence import current

    proc = _procedure(kg, query, bound)
    name = _label(kg, proc)
    recs = q.recommendations(kg, proc)
    kinds_note = ""
    if not recs:  # "vertebral augmentation": the positions are recorded on its kinds
        kinds = sorted({e.subject for e in kg.edges.into(proc, str(RDFS.subClassOf))},
                       key=lambda k: _label(kg, k))
        on_kind = {k: q.recommendations(kg, k) for k in kinds}
        unique = {r.iri: r for found in on_kind.values() for r in found}.values()
        recs = sorted(unique, key=_rec_order)
        if recs:
            kinds_note = ("No recommendation is recorded on " + name + " itself; these are "
                          "on its kinds (" + ", ".join(_label(kg, k) for k, found
                                                      in on_kind.items() if found) + ").")
        else:  # "ASBMR on KIVA": the report the graph cites for it speaks of its siblings
            recs, kinds_note = _recs_of_citing_source(kg, proc)
            if recs:
                name = f"procedures related to {name}, from the report cited for it"
    level = current()  # ask(min_level=...)
    only = ""
    if level is not None:
        recs = level.recommendations(recs)
        only = f" backed by {level.level.label} evidence or stronger"
    base = Answer(question=question, intent=query.name, linked=linked, sparql=query.text,
                  query=query.name)
    bodies = _issuing_bodies(kg, linked)
    conditions = _asked_conditions(kg, linked)
    others = 0
    uncovered = ""
    # a recommendation named by its code ("NICE IPG12"): that one, not its issuer's others
    documents = {c.iri for c in linked
                 if (URIRef(c.iri), RDF.type, PVP.GuidelineRecommendation) in kg.graph}
    if documents and any(r.iri in documents for r in recs):
        others, recs = len(recs) - len(documents), [r for r in recs if r.iri in documents]
        conditions = []
    if conditions:
        covered = [r for r in recs if _covers(kg, r, conditions)]
        what = " or ".join(c.label for c in conditions)
        if bodies:
            covered = [r for r in covered if r.body_iri in {b.iri for b in bodies}]
        if covered:
            others, recs = len(recs) - len(covered), covered
            name = f"{name} for {what}"
        else:  # the populations (text) below may still mention it: show them, claim nothing
            uncovered = (f"No recommendation in the graph is recorded as applying to {what} "
                         "(pvp:appliesToCondition); read the populations below.")
    if bodies:
        asked = {b.iri for b in bodies}
        named = [r for r in recs if r.body_iri in asked]
        if not named:
            who = " or ".join(_short(b) for b in bodies)
            more = (f" It records {len(recs)} recommendation(s) of other bodies on {name}; ask "
                    "'what do guidelines say' for them." if recs else "")
            return replace(base, explanation=f"The graph holds no recommendation of {who} on "
                                             f"{name}{only}.{more}")
        others, recs = others + len(recs) - len(named), named
    if not recs:
        return replace(base, explanation=f"The graph records no guideline recommendation on "
                                         f"{name}{only}.")
    lines = [uncovered] if uncovered else []
    if kinds_note:
        lines.append(kinds_note)
    lines.append(f"Guideline recommendations on {name} ({len(recs)}){only}, strongest evidence "
                 "first, then newest:")
    by_direction: dict[str, list[str]] = {}
    concepts: list[Concept] = []
    sources: dict[str, Source] = {}
    for rec in recs:
        lines.extend(_rec_lines(kg, rec))
        for s in rec.sources:
            sources.setdefault(s.iri, s)
        who = f"{rec.body} {rec.year}" if rec.year is not None else rec.body
        by_direction.setdefault(rec.direction, []).append(who)
        concepts.append(kg.terms.concept(rec.iri))
        concepts.extend(kg.terms.concept(kg.terms.expand(c) or c) for c in rec.conditions)
        concepts.extend(kg.terms.concept(kg.terms.expand(c) or c) for _, c in rec.requirements)
        concepts.append(kg.terms.concept(rec.direction_iri))  # which way it goes
    if len(by_direction) > 1:
        parts = [f"{' and '.join(dict.fromkeys(whos))}: {direction}"
                 for direction, whos in by_direction.items()]
        lines.append("Guidelines disagree — " + "; ".join(parts) + ".")
    else:
        lines.append(f"The recommendations shown agree: {next(iter(by_direction))}.")
    if others:
        lines.append(f"({others} recommendation(s) of other bodies or for other patients not "
                     "shown; ask 'what do guidelines say' for all.)")
    return replace(base, concepts=tuple(dict.fromkeys(concepts)), explanation="\n".join(lines),
                   sources=tuple(sources.values()), recommendations=tuple(recs))


def ranked_findings(kg: KnowledgeGraph, findings: list[Finding],
                    focus: str | None = None) -> list[Finding]:
    """``findings`` without repeats, strongest evidence first (pvp:evidenceRank, then label).

    With ``focus`` (a CURIE), among findings of equal rank those about ``focus`` itself come
    first, then those that studied it alone (the Cochrane review of vertebroplasty before a
    review of all cement augmentation).
    """
    ranked = list(findings_strongest_first(findings))
    if focus is None:
        return ranked
    return sorted(ranked, key=lambda f: (finding_rank(f), focus not in f.about,
                                         f.interventions != (focus,)))


def _of_procedure(kg: KnowledgeGraph, procedure: str, findings: list[Finding]
                  ) -> tuple[list[Finding], list[Finding]]:
    """``findings`` split into those about ``procedure`` and those that studied only other
    procedures of its own kind (kyphoplasty, for vertebroplasty); findings of no recorded
    intervention, or of another kind of care (conservative care: natural history), stay."""
    from .vocab import RDFS

    parents = set(kg.graph.objects(URIRef(procedure), RDFS.subClassOf))
    own = kg.terms.curie(procedure)

    def sibling(curie: str) -> bool:
        iri = kg.terms.expand(curie) or curie
        return curie != own and bool(parents & set(kg.graph.objects(URIRef(iri),
                                                                    RDFS.subClassOf)))

    keep: list[Finding] = []
    elsewhere: list[Finding] = []
    for f in findings:
        other = bool(f.interventions) and own not in f.interventions and all(
            sibling(i) for i in f.interventions)
        (elsewhere if other else keep).append(f)
    return keep, elsewhere


def _evidence_line(f: Finding) -> str:
    src = ", ".join(dict.fromkeys(e.source.curie for e in strongest_first(f.evidence)))
    quantity = f.describe()
    study = f.study_result()
    return (f"- [{_levels(f)}] {f.summary or f.label}{' — ' + quantity if quantity else ''}"
            f"{' (' + study + ')' if study else ''}{' [' + src + ']' if src else ''}")


def _disagree(a: Finding, b: Finding) -> bool:
    return b.curie in a.conflicts_with or a.curie in b.conflicts_with


def weight_of_evidence(kg: KnowledgeGraph, ranked: list[Finding]) -> str:
    """One plain sentence: what the strongest evidence found, and what weaker evidence adds.

    It says weaker evidence disagrees only when a weaker finding is recorded as conflicting
    (``pvp:conflictsWith``) with one of the strongest.
    """
    if not ranked:
        return ""
    top = finding_rank(ranked[0])
    strongest = [f for f in ranked if finding_rank(f) == top]
    weaker = [f for f in ranked if finding_rank(f) != top]
    sources = ", ".join(dict.fromkeys(e.source.curie for f in strongest for e in f.evidence))
    level = _levels(strongest[0])
    found = (strongest[0].summary or strongest[0].label).rstrip(".")
    text = f"Weight of evidence: the strongest evidence here ({level}: {sources}) found: {found}."
    if weaker:
        levels = ", ".join(dict.fromkeys(_levels(f) for f in weaker))
        conflict = [f for f in weaker if any(_disagree(f, g) for g in strongest)]
        if conflict:
            against = ", ".join(dict.fromkeys(_levels(f) for f in conflict))
            text += (f" Weaker evidence ({levels}) adds the other results above; some of it "
                     f"({against}) disagrees with the strongest, and where they differ the "
                     "stronger evidence carries more weight.")
        else:
            text += (f" Weaker evidence ({levels}) adds the other results above; where they "
                     "differ, the stronger evidence carries more weight.")
    return text


def _evidence_body(kg: KnowledgeGraph, findings: list[Finding],
                   focus: str | None = None) -> list[str]:
    ranked = ranked_findings(kg, findings, focus)
    if not ranked:
        return []
    lines = ["What the evidence found, strongest first:"]
    lines.extend(_evidence_line(f) for f in ranked)
    lines.append(weight_of_evidence(kg, ranked))
    return lines


# renderers of their own modules (comparison, order) register on import
from . import compare as _compare  # noqa: E402,F401
from . import order as _order  # noqa: E402,F401

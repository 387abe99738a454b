"""Question answering: question → intent + linked concepts → typed call → :class:`Answer`.

Nothing clinical is written here. The intents are the named queries; each declares the
phrases that announce it (``# cues:``) and the types of its parameters (``# types:``).
Concepts are linked by the ontology's own labels, synonyms (lay words included) and
abbreviations, tolerating typos. A question that matches no intent, or whose required concept
cannot be linked, gets an answer that says so — never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rdflib import URIRef

from .errors import InvalidInputError, PVPKGError
from .explain import format_path
from .index import normalise
from .model import Answer, Concept, Finding, Item, Source
from .sparql import NamedQuery
from .vocab import OWL, RDF, RDFS

_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.AnnotationProperty, OWL.DatatypeProperty)

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["answer", "link_concepts"]

#: Longest question accepted, in characters.
MAX_QUESTION = 1000

_STOP = frozenset(
    "a an the of for to in on at by with from and or is are was be been do does did what which "
    "who whom how when where why can could should would will may might must it its this that "
    "these those there their them they i me my we our you your patient patients get gets "
    "after before about any some into out up take takes taken say says get make go goes "
    "happen happens use used using do done have has having give given need needs also "
    "please usually typically generally exactly".split()
)
_WORD = re.compile(r"[a-z0-9%]+")


@dataclass(frozen=True)
class Span:
    """A linked concept: where it sits in the question and how well it matched."""

    start: int
    end: int
    iri: str
    score: float
    text: str


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _candidates(kg: KnowledgeGraph, question: str) -> list[Span]:
    """Every n-gram of the question that names a term (exactly, or with a typo)."""
    tokens = _tokens(normalise(question))
    keys = kg.index.keys
    candidates: list[Span] = []
    for n in range(min(6, len(tokens)), 0, -1):
        for i in range(len(tokens) - n + 1):
            gram = tokens[i:i + n]
            if all(t in _STOP for t in gram):
                continue
            text = " ".join(gram)
            variants = {text, " ".join([*gram[:-1], _singular(gram[-1])])}
            hit = next((v for v in variants if v in kg.index.by_key), None)
            if hit is not None:
                score = 100.0
            elif len(text) >= 6 and gram[0] not in _STOP and gram[-1] not in _STOP:
                best = process.extractOne(text, keys, scorer=fuzz.ratio, score_cutoff=88)
                if best is None:
                    continue
                hit, score = best[0], float(best[1])
            else:
                continue
            name = next((nm for nm in kg.index.by_key[hit] if not _is_property(kg, nm.iri)),
                        None)
            if name is not None:
                candidates.append(Span(i, i + n, name.iri, score, text))
    return candidates


def _is_property(kg: KnowledgeGraph, iri: str) -> bool:
    node = URIRef(iri)
    return any((node, RDF.type, kind) in kg.graph for kind in _PROPERTY_TYPES)


def _select(candidates: list[Span]) -> list[Span]:
    """Keep the longest, best matches that do not overlap, in question order."""
    ranked = sorted(candidates, key=lambda s: (-(s.end - s.start), -s.score, s.start))
    chosen: list[Span] = []
    for span in ranked:
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def link_concepts(kg: KnowledgeGraph, question: str) -> list[Span]:
    """Find the terms named in ``question`` (longest, best matches; no overlaps)."""
    return _select(_candidates(kg, question))


@dataclass(frozen=True)
class _Intent:
    query: NamedQuery
    score: float
    cue_spans: tuple[tuple[int, int], ...]

    def overlaps(self, span: Span) -> bool:
        return any(not (span.end <= a or span.start >= b) for a, b in self.cue_spans)


def _word_match(word: str, cue_word: str) -> float:
    """1.0 for the same word (plural ignored), 0.9 for a typo of a content word, else 0."""
    if _singular(word) == _singular(cue_word):
        return 1.0
    if cue_word not in _STOP and len(cue_word) >= 5 and fuzz.ratio(word, cue_word) >= 85:
        return 0.9
    return 0.0


def _cue_matches(query: NamedQuery, tokens: list[str]) -> _Intent | None:
    """Score the query's cue phrases found in the question.

    A cue word counts 1 when it carries content and 0.25 when it is a stop word; typos of
    content words count 0.9. Non-overlapping cue phrases add up.
    """
    found: list[tuple[float, tuple[int, int]]] = []
    for cue in query.cues:
        cue_tokens = _tokens(normalise(cue))
        n = len(cue_tokens)
        if not n or (all(t in _STOP for t in cue_tokens) and n < 2):
            continue
        for i in range(len(tokens) - n + 1):
            weights = [_word_match(w, c) for w, c in zip(tokens[i:i + n], cue_tokens, strict=True)]
            if not all(weights):
                continue
            score = sum(w * (0.25 if c in _STOP else 1.0)
                        for w, c in zip(weights, cue_tokens, strict=True))
            found.append((score + (0.5 if all(w == 1.0 for w in weights) else 0.0), (i, i + n)))
    if not found:
        return None
    found.sort(key=lambda f: (-f[0], f[1]))
    chosen: list[tuple[float, tuple[int, int]]] = []
    for score, (a, b) in found:
        if all(b <= c or a >= d for _, (c, d) in chosen):
            chosen.append((score, (a, b)))
    return _Intent(query, sum(score for score, _ in chosen), tuple(span for _, span in chosen))


def _types(query: NamedQuery) -> dict[str, str]:
    spec = query.meta.get("types", "")
    out = {}
    for part in spec.split(","):
        name, _, curie = part.partition("=")
        if name.strip() and curie.strip():
            out[name.strip()] = curie.strip()
    return out


def _is_a(kg: KnowledgeGraph, iri: str, parent: str) -> bool:
    target = kg.terms.expand(parent) or parent
    frontier, seen = [iri], {iri}
    while frontier:
        node = frontier.pop()
        if node == target:
            return True
        for edge in kg.edges.out(node, str(RDFS.subClassOf)):
            if edge.object not in seen:
                seen.add(edge.object)
                frontier.append(edge.object)
    return False


def _assign(kg: KnowledgeGraph, query: NamedQuery, spans: list[Span]) -> dict[str, str] | None:
    """Bind linked concepts to the query's parameters in order; None if a required one fails."""
    types = _types(query)
    free = list(spans)
    bound: dict[str, str] = {}
    for param in query.params:
        wanted = types.get(param.name)
        pick = next((s for s in free if wanted is None or _is_a(kg, s.iri, wanted)), None)
        if wanted is None and pick is not None:
            # an untyped parameter takes the first concept that is not a typed one's
            typed = [s for s in free if any(_is_a(kg, s.iri, t) for t in types.values())]
            pick = next((s for s in free if s not in typed), pick)
        if pick is not None:
            bound[param.name] = pick.iri
            free.remove(pick)
        elif param.required:
            return None
    return bound


def _choose(kg: KnowledgeGraph, tokens: list[str], spans: list[Span]
            ) -> tuple[_Intent, dict[str, str], list[Span]] | None:
    """The best-scoring intent whose required parameters the question's concepts fill.

    Score: the cue phrases found, plus 1 for each parameter filled from the question;
    ``describe`` (the catch-all "what is X") loses ties.
    """
    best: tuple[float, _Intent, dict[str, str], list[Span]] | None = None
    for query in kg.queries.values():
        intent = _cue_matches(query, tokens)
        if intent is None:
            continue
        usable = _select([s for s in spans if not intent.overlaps(s)])
        bound = _assign(kg, query, usable)
        if bound is None:
            continue
        from_question = {s.iri for s in usable}
        if not any(v in from_question for v in bound.values()) and _unknown_words(
                tokens, usable, intent.cue_spans):
            continue  # "is pregnancy a contraindication?": a word the graph does not know
        score = intent.score + 1.0 * len(bound)
        if query.name == "describe":
            if _uncovered(tokens, usable, intent.cue_spans) > 1:
                continue
            score -= 0.5
        if best is None or score > best[0]:
            best = (score, intent, bound, usable)
    return None if best is None else best[1:]


def _unknown_words(tokens: list[str], spans: list[Span],
                   cues: tuple[tuple[int, int], ...]) -> list[str]:
    """Content words of the question explained by neither a cue nor a linked concept."""
    covered = {i for a, b in cues for i in range(a, b)}
    for s in spans:
        covered.update(range(s.start, s.end))
    return [t for i, t in enumerate(tokens) if i not in covered and t not in _STOP
            and len(t) >= 4]


def _uncovered(tokens: list[str], spans: list[Span],
               cues: tuple[tuple[int, int], ...]) -> int:
    covered = {i for a, b in cues for i in range(a, b)}
    for s in spans:
        covered.update(range(s.start, s.end))
    return sum(1 for i, t in enumerate(tokens) if i not in covered and t not in _STOP)


def answer(kg: KnowledgeGraph, question: str) -> Answer:
    """Answer ``question`` from the graph (see the module docstring)."""
    if not isinstance(question, str) or not question.strip():
        raise InvalidInputError("the question is empty")
    if len(question) > MAX_QUESTION:
        raise InvalidInputError(f"the question is {len(question):,} characters long; "
                                f"the limit is {MAX_QUESTION:,}")
    tokens = _tokens(normalise(question))
    spans = _candidates(kg, question)
    linked = tuple(kg.terms.concept(s.iri) for s in _select(spans))
    choice = _choose(kg, tokens, spans)
    if choice is None:
        cue_words = {w for q in kg.queries.values() for c in q.cues for w in _tokens(normalise(c))}
        unknown = [w for w in _unknown_words(tokens, _select(spans), ()) if w not in cue_words]
        return _not_covered(kg, question, linked, unknown)
    intent, bound, _ = choice
    query = intent.query
    try:
        return _RUNNERS.get(query.name, _run_describe)(kg, question, query, bound, linked)
    except PVPKGError as exc:  # a concept that exists but does not fit the query
        return Answer(question=question, intent=query.name, linked=linked,
                      explanation=f"I understood the question as '{query.title}', but could "
                                  f"not answer it: {exc}", query=query.name)


def _not_covered(kg: KnowledgeGraph, question: str, linked: tuple[Concept, ...],
                 unknown: list[str]) -> Answer:
    topics = "; ".join(sorted(q.title.lower() for q in kg.queries.values()))
    missing = (f" The graph has no term for {', '.join(repr(w) for w in unknown)}."
               if unknown else "")
    named = (f" I recognised {', '.join(repr(c.label) for c in linked)}, but not what you "
             "want to know about it." if linked else "")
    return Answer(
        question=question, intent=None, linked=linked,
        explanation=("This question is not covered by the PVP knowledge graph, so I give no "
                     f"answer rather than a guess.{missing}{named} It can answer about: {topics}."),
    )


# -- rendering ---------------------------------------------------------------------------------

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


def _finding_line(f: Finding) -> str:
    src = ", ".join(e.source.curie for e in f.evidence)
    q = f.quantity()
    text = f.summary or f.label
    return f"    · {text}{' — ' + q if q else ''}{' [' + src + ']' if src else ''}"


def _item_line(item: Item, prefix: str = "-") -> list[str]:
    kind = f" ({item.kind})" if item.kind else ""
    lines = [f"{prefix} {item.label}{kind}"]
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
    concepts = tuple(dict.fromkeys(i.concept for i in items))
    return Answer(question=question, intent=query.name, concepts=concepts,
                  explanation="\n".join(lines), sources=_sources(items, findings),
                  sparql=query.text, query=query.name, items=tuple(items),
                  findings=tuple(findings), linked=linked)


def _label(kg: KnowledgeGraph, iri: str | None) -> str:
    return kg.terms.label(iri) if iri else "the procedure"


def _procedure(kg: KnowledgeGraph, query: NamedQuery, bound: dict[str, str]) -> str:
    iri = bound.get("procedure")
    if iri:
        return iri
    default = next((p.default for p in query.params if p.name == "procedure"), None)
    return (kg.terms.expand(default) or default) if default else ""


def _run_simple(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                linked: tuple[Concept, ...]) -> Answer:
    from . import query as q

    subject_param = "procedure" if any(p.name == "procedure" for p in query.params) else "concept"
    items = q.simple(kg, query.name, subject_param=subject_param, **bound)
    subject = bound.get(subject_param) or _procedure(kg, query, bound)
    header = f"{query.title} — {_label(kg, subject)} ({len(items)}):"
    return _make(kg, question, query, bound, items, [], linked, header)


def _run_related(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                 linked: tuple[Concept, ...]) -> Answer:
    concept = bound["concept"]
    items = kg.complications(related_to=concept)
    sub = [i for i in items if i.kind == "subtype"]
    cons = [i for i in items if i.kind != "subtype"]
    body = [f"Kinds of {_label(kg, concept)} ({len(sub)}):"]
    for item in sub:
        body.extend(_item_line(item))
    body.append(f"Consequences — conditions it can lead to ({len(cons)}):")
    for item in cons:
        body.extend(_item_line(item))
    header = f"Complications related to {_label(kg, concept)}: {len(items)} found."
    return _make(kg, question, query, bound, items, [], linked, header, body)


def _run_contra(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                linked: tuple[Concept, ...]) -> Answer:
    from . import query as q

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


def _run_contra_all(kg: KnowledgeGraph, question: str, query: NamedQuery,
                    bound: dict[str, str], linked: tuple[Concept, ...]) -> Answer:
    items = kg.contraindications(bound.get("procedure"))
    header = f"Contraindications of {_label(kg, _procedure(kg, query, bound))} ({len(items)}):"
    return _make(kg, question, query, bound, items, [], linked, header)


def _run_steps(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
               linked: tuple[Concept, ...]) -> Answer:
    proc = bound.get("procedure")
    items = kg.steps(proc)
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


def _run_injected(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                  linked: tuple[Concept, ...]) -> Answer:
    items, timing = kg.injected_material(bound.get("site"), bound.get("procedure"))
    site_param = next(p for p in query.params if p.name == "site")
    site = bound.get("site") or kg.terms.expand(site_param.default or "")
    header = f"Injected into the {_label(kg, site)}:"
    body = []
    for item in items:
        body.extend(_item_line(item))
    if timing:
        body.append("Time to harden:")
        body.extend(_finding_line(f) for f in timing)
    return _make(kg, question, query, bound, items, timing, linked, header, body)


def _run_causes(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                linked: tuple[Concept, ...]) -> Answer:
    concept = bound["concept"]
    items = kg.causes(concept)
    header = f"Causes of {_label(kg, concept)}:"
    return _make(kg, question, query, bound, items, [], linked, header,
                 empty=f"The graph records no cause of {_label(kg, concept)!r}.")


def _run_risk(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
              linked: tuple[Concept, ...]) -> Answer:
    concept = bound["concept"]
    items = kg.risk_factors(concept)
    header = f"Risk factors of {_label(kg, concept)} ({len(items)}):"
    return _make(kg, question, query, bound, items, [], linked, header,
                 empty=f"The graph records no risk factor of {_label(kg, concept)!r}.")


def _run_findings(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                  linked: tuple[Concept, ...]) -> Answer:
    concept = bound["concept"]
    found = kg.findings(concept)
    body = [_finding_line(f).strip(" ·") for f in found]
    body = [f"- {line}" for line in body]
    conflicting = [f for f in found if f.conflicts_with]
    if conflicting:
        body.append("The sources disagree; both sides are shown, none is preferred.")
    header = f"Findings about {_label(kg, concept)} ({len(found)}):"
    answer = _make(kg, question, query, bound, [], found, linked, header, body,
                   empty=f"The graph records no number or study result about "
                         f"{_label(kg, concept)!r}.")
    if found:
        answer = replace(answer, concepts=(kg.terms.concept(concept),))
    return answer


def _run_outcomes(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                  linked: tuple[Concept, ...]) -> Answer:
    items = kg.outcomes(bound.get("procedure"))
    header = f"Outcomes of {_label(kg, _procedure(kg, query, bound))}:"
    return _make(kg, question, query, bound, items, [], linked, header)


def _run_compare(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                 linked: tuple[Concept, ...]) -> Answer:
    first, second = bound["first"], bound["second"]
    items = kg.compare(first, second)
    titles = {
        "shared": "Both are kinds of:",
        f"only {_label(kg, first)}": f"Recorded for {_label(kg, first)}, not for "
                                     f"{_label(kg, second)}:",
        f"only {_label(kg, second)}": f"Recorded for {_label(kg, second)}, not for "
                                      f"{_label(kg, first)}:",
        "compared": "Head-to-head findings:",
    }
    body = []
    for kind in ("shared", f"only {_label(kg, second)}", f"only {_label(kg, first)}",
                 "compared"):
        group = [i for i in items if i.kind == kind]
        if not group:
            continue
        body.append(titles[kind])
        for item in group:
            if kind == "compared":
                body.extend(_finding_line(f) for f in item.findings)
                continue
            edge = item.via[0] if item.via else None
            rel = f"{edge.predicate_label} " if edge and kind != "shared" else ""
            srcs = ", ".join(sorted({e.source.curie for e in item.evidence}))
            body.append(f"- {rel}{item.label} [{srcs}]")
    body.append("(A part or benefit recorded for one procedure only is not evidence that the "
                "other lacks it.)")
    header = f"How {_label(kg, first)} differs from {_label(kg, second)}:"
    findings = [f for i in items for f in i.findings]
    return _make(kg, question, query, bound, [i for i in items if i.kind != "compared"],
                 findings, linked, header, body)


def _run_imaging(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                 linked: tuple[Concept, ...]) -> Answer:
    items = kg.imaging(bound.get("procedure"))
    header = f"Imaging that guides {_label(kg, _procedure(kg, query, bound))}:"
    return _make(kg, question, query, bound, items, [], linked, header)


def _run_describe(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                  linked: tuple[Concept, ...]) -> Answer:
    concept = kg.terms.concept(bound["concept"])
    edges = [e for e in kg.edges_of(concept.iri) if e.derived_by is None
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


_RUNNERS = {
    "complications_related_to": _run_related,
    "is_contraindication": _run_contra,
    "steps": _run_steps,
    "injected_material": _run_injected,
    "causes_of": _run_causes,
    "risk_factors": _run_risk,
    "findings_about": _run_findings,
    "outcomes": _run_outcomes,
    "compare_procedures": _run_compare,
    "imaging_guidance": _run_imaging,
    "describe": _run_describe,
    "indications": _run_simple,
    "complications": _run_simple,
    "serious_complications": _run_simple,
    "benefits": _run_simple,
    "aftercare": _run_simple,
    "activity_restrictions": _run_simple,
    "preventive_measures": _run_simple,
    "pre_procedure_assessment": _run_simple,
    "contraindications": _run_contra_all,
}

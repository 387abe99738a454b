"""Yes/no questions settled by a recorded fact that the question's reading does not reach.

Two kinds, each answered "Yes" or "No" only from edges the graph records, never from an
absence:

- **What a reported case treated.** "Was the first vertebroplasty done for a haemangioma
  (and not for osteoporosis)?" names a finding that records the condition its patients had
  (``pvp:studiedCondition``). A condition named in the question holds when the recorded one
  is it or a kind of it; it is ruled out when the two are not related by kind at all (a
  report of one lesion has one condition). A condition set against the first ("not for",
  "rather than") is read the other way.
- **What the procedure does not take the place of.** "Does the cement kill the tumour?",
  "can I skip radiotherapy after it?" ask whether the procedure treats a disease, or replaces
  a treatment, that its own aftercare advice says goes on after it
  (``pvp:continuedTreatment``): "No", with the advice, the treatment of the disease
  (``pvp:treatedBy``) and, when recorded, the disjointness of the two.

The words that ask for each (replace, cure, contrast) are word classes of the lexicon.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .explain import format_path
from .model import Answer, Concept, Edge, Source
from .nlu import Span, Understanding, index_for
from .vocab import CLINICAL_CONDITION, HAS_PART, PVP, QUANTITATIVE_FINDING, RDFS

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["settle_instead", "settle_kind_named", "settle_not_replaced",
           "settle_studied_condition"]

_SUBCLASS = str(RDFS.subClassOf)
_STUDIED = str(PVP.studiedCondition)
_CONTINUED = str(PVP.continuedTreatment)
_AFTERCARE = str(PVP.hasAftercareAdvice)
_TREATED_BY = str(PVP.treatedBy)
_AUGMENTATION = str(PVP.VertebralAugmentation)
_DEFAULT_PROCEDURE = str(PVP.PercutaneousVertebroplasty)


def _sources(edges: list[Edge]) -> tuple[Source, ...]:
    return tuple({ev.source.iri: ev.source for e in edges for ev in e.evidence}.values())


def _because(edges: list[Edge]) -> list[str]:
    lines = []
    for edge in edges:
        lines.append(f"    because: {format_path((edge,))}")
        lines += [f"    · {ev.note}" for ev in edge.evidence if ev.note][:1]
    return lines


def _answer(kg: KnowledgeGraph, u: Understanding, linked: tuple[Concept, ...], *,
            intent: str, verdict: str, lines: list[str], reading: str, iris: list[str],
            edges: list[Edge], matched: str) -> Answer:
    """A settled answer: the verdict's lines, how the question was read, the concepts and
    the sources of the edges it rests on."""
    return Answer(question=u.question, intent=intent, linked=linked, verdict=verdict,
                  explanation="\n".join(lines) + f"\n(Read as {reading}.)",
                  concepts=tuple(dict.fromkeys(kg.terms.concept(i) for i in iris)),
                  sources=_sources(edges), confidence=0.8, matched=(matched,))


def _contrasted(kg: KnowledgeGraph, u: Understanding, span: Span) -> bool:
    """Whether ``span`` follows a word that sets it against what was named before ("not for
    X", "rather than X"), within the three words before it."""
    lexicon = index_for(kg).lexicon
    return lexicon.has("contrast", u.tokens[max(0, span.start - 3):span.start])


def settle_studied_condition(kg: KnowledgeGraph, u: Understanding,
                             linked: tuple[Concept, ...]) -> Answer | None:
    """"Was <the reported case> done for <condition>?": Yes or No from the finding's recorded
    studied condition; None when the question names no such finding and condition."""
    if not u.polar:
        return None
    ix = index_for(kg)
    finding_spans = [s for s in u.spans if s.score >= 80
                     and ix.is_a(s.iri, (str(QUANTITATIVE_FINDING),))
                     and kg.edges.out(s.iri, _STUDIED)]
    if len(finding_spans) != 1:
        return None
    fspan = finding_spans[0]
    recorded = kg.edges.out(fspan.iri, _STUDIED)
    # a lone head word is enough here ("a haemangioma"): the finding names the context
    asked = [s for s in u.spans if s is not fspan and s.score >= 60
             and not (fspan.start <= s.start < fspan.end)
             and ix.is_a(s.iri, (str(CLINICAL_CONDITION),))]
    if not asked:
        return None
    lexicon = ix.lexicon
    before = [t for i, t in enumerate(u.tokens) if i < min(s.start for s in asked)]
    if lexicon.has("negation", before):  # "wasn't it done for …": no verdict here
        return None
    held: list[str] = []
    ruled_out: list[str] = []
    for span in asked:
        holds = any(kg.edges.is_a(e.object, span.iri) for e in recorded)
        narrower = any(kg.edges.is_a(span.iri, e.object) and span.iri != e.object
                       for e in recorded)
        if narrower:
            return None  # more precise than what is recorded: not settled
        contrasted = _contrasted(kg, u, span)
        if holds != contrasted:
            held.append(span.iri)
        else:
            ruled_out.append(span.iri)
    verdict = "no" if ruled_out else "yes"
    what = kg.terms.label(fspan.iri)
    names = ", ".join(kg.terms.label(e.object) for e in recorded)
    head = f"{verdict.capitalize()}: the graph records that {what} was done for {names}"
    against = [s.iri for s in asked if _contrasted(kg, u, s)]
    if verdict == "no":
        missed = [repr(kg.terms.label(i)) for i in ruled_out if i not in against]
        wrongly = [repr(kg.terms.label(i)) for i in ruled_out if i in against]
        head += "".join((f", not {' or '.join(missed)}" if missed else "",
                         f", which is a kind of {' and '.join(wrongly)}" if wrongly else ""))
    elif against:
        head += ", not " + " or ".join(repr(kg.terms.label(i)) for i in against)
    head += "."
    lines = [head, *_because(recorded)]
    summary = kg.terms.concept(fspan.iri).definition
    if summary:
        lines.append(f"    ({what}: {summary})")
    return _answer(kg, u, linked, intent="findings_about", verdict=verdict, lines=lines,
                   reading=f"a question about the condition {what} was done for; answered "
                           "from its recorded studied condition",
                   iris=[fspan.iri, *(e.object for e in recorded), *(s.iri for s in asked)],
                   edges=recorded, matched="(studied condition)")


def _procedure(kg: KnowledgeGraph, u: Understanding) -> str | None:
    """The vertebral augmentation the question names (the one it is about), else PVP."""
    ix = index_for(kg)
    named = [s.iri for s in u.spans if s.score >= 80
             and ix.is_a(s.iri, (_AUGMENTATION,)) and s.iri != _AUGMENTATION]
    named = list(dict.fromkeys(named))
    if len(named) > 1:
        return None
    return named[0] if named else _DEFAULT_PROCEDURE


def settle_not_replaced(kg: KnowledgeGraph, u: Understanding,
                        linked: tuple[Concept, ...]) -> Answer | None:
    """"Does <procedure> kill <the tumour>?", "does it replace <treatment>?": No when the
    procedure's aftercare advice says that treatment goes on after it ("will he still need
    <treatment>?": Yes); None otherwise."""
    if not u.polar:
        return None
    ix = index_for(kg)
    lexicon = ix.lexicon
    replace_asked = lexicon.has("replace", u.tokens)
    cure_asked = lexicon.has("cure", u.tokens)
    # "will he still need his radiotherapy?": the same record, asked the other way round
    still_asked = lexicon.has("stillNeed", u.tokens) and not (replace_asked or cure_asked)
    if not (replace_asked or cure_asked or still_asked):
        return None
    procedure = _procedure(kg, u)
    if procedure is None:
        return None
    continued = [(advice, e) for advice in kg.edges.out(procedure, _AFTERCARE)
                 for e in kg.edges.out(advice.object, _CONTINUED)]
    if not continued:
        return None
    named = [s for s in u.spans if s.score >= 80 and s.iri != procedure]
    for advice, cont in continued:
        treatment = cont.object
        # a treatment named ("skip radiotherapy"): a kind of the continued one
        hit = next((s for s in named if (replace_asked or still_asked)
                    and kg.edges.is_a(s.iri, treatment)), None)
        via: list[Edge] = []
        if hit is None and cure_asked:
            # a disease named ("kill the myeloma"): one the continued treatment treats
            for s in named:
                treats = [e for e in kg.edges.into(treatment, _TREATED_BY)
                          if kg.edges.is_a(s.iri, e.subject)]
                if treats:
                    hit, via = s, [*kg.edges.chain(s.iri, treats[0].subject, _SUBCLASS),
                                   treats[0]]
                    break
        if hit is None:
            continue
        proc, what = kg.terms.label(procedure), kg.terms.label(treatment)
        verdict = "yes" if still_asked else "no"
        lines = [f"{verdict.capitalize()}: the graph records "
                 f"{kg.terms.label(advice.object)!r} as aftercare after {proc}: {what} goes on "
                 "after it, which the procedure does not take the place of.",
                 *_because([advice, cont, *via])]
        split = _disjointness(kg, procedure, treatment)
        if split is not None:
            lines += _because([split])
        edges = [advice, cont, *via, *([split] if split is not None else [])]
        return _answer(kg, u, linked, intent="aftercare", verdict=verdict, lines=lines,
                       reading=f"whether {proc} takes the place of {what}; answered from its "
                               "recorded aftercare",
                       iris=[procedure, advice.object, treatment, hit.iri], edges=edges,
                       matched="(what the procedure does not replace)")
    return None


def _disjointness(kg: KnowledgeGraph, x: str, y: str) -> Edge | None:
    from .answer import _disjoint  # the is-a reading's own reader of owl:disjointWith
    found = _disjoint(kg, x, y)
    return found[0] if found is not None else None


def settle_instead(kg: KnowledgeGraph, u: Understanding, linked: tuple[Concept, ...]
                   ) -> Answer | None:
    """"Is it done under local anaesthetic rather than general?", "through a needle instead
    of open surgery?": Yes when the graph records the first as a part of every case of the
    procedure and the second as a part only some cases have (or as a procedure disjoint from
    it); No the other way round; None otherwise."""
    if not u.polar:
        return None
    ix = index_for(kg)
    lexicon = ix.lexicon
    toks = u.tokens
    at = next((i for i in range(len(toks)) for p in lexicon.phrases.get("insteadOf", ())
               if tuple(toks[i:i + len(p)]) == p), None)
    if at is None:
        return None
    procedure = _procedure(kg, u)
    if procedure is None:
        return None
    parts = {e.object: e for e in kg.edges.out(procedure, str(HAS_PART))}
    named = [s for s in u.spans if s.score >= 80 and s.iri != procedure
             and not ix.is_a(s.iri, (_AUGMENTATION,))]
    first = next((s for s in named if s.end <= at and s.iri in parts), None)
    second = next((s for s in named if s.start > at), None)
    if first is None or second is None or first.iri == second.iri:
        return None
    one, other = parts[first.iri], parts.get(second.iri)
    proc = kg.terms.label(procedure)
    a, b = kg.terms.label(first.iri), kg.terms.label(second.iri)
    edges: list[Edge] = [one]
    if other is not None and one.quantifier != other.quantifier:
        every, some = (one, other) if one.quantifier == "all" else (other, one)
        verdict = "yes" if every is one else "no"
        head = (f"{verdict.capitalize()}: the graph records {kg.terms.label(every.object)} as a "
                f"part of every {proc}, and {kg.terms.label(some.object)} as a part it may have.")
        edges.append(other)
    elif other is None and one.quantifier == "all":
        split = _disjointness(kg, procedure, second.iri)
        if split is None:
            return None
        verdict = "yes"
        head = (f"Yes: the graph records {a} as a part of every {proc}, and {proc} and {b} as "
                "disjoint (nothing is both).")
        edges.append(split)
    else:
        return None
    return _answer(kg, u, linked, intent="steps", verdict=verdict,
                   lines=[head, *_because(edges)],
                   reading=f"whether {proc} is done with {a} rather than {b}; answered from "
                           "the recorded parts of the procedure",
                   iris=[procedure, first.iri, second.iri], edges=edges,
                   matched="(rather than)")


_MAY_BE = frozenset(("can", "could", "may", "might"))


def _kinds_below(kg: KnowledgeGraph, iri: str, depth: int = 3
                 ) -> list[tuple[str, tuple[Edge, ...]]]:
    """The subclasses of ``iri`` down to ``depth`` levels, each with its is-a chain up."""
    out: list[tuple[str, tuple[Edge, ...]]] = []
    layer: list[tuple[str, tuple[Edge, ...]]] = [(iri, ())]
    seen = {iri}
    for _ in range(depth):
        nxt = []
        for node, chain in layer:
            for edge in kg.edges.into(node, _SUBCLASS):
                if edge.subject not in seen:
                    seen.add(edge.subject)
                    nxt.append((edge.subject, (edge, *chain)))
        out.extend(nxt)
        layer = nxt
    return out


def settle_kind_named(kg: KnowledgeGraph, u: Understanding, linked: tuple[Concept, ...]
                      ) -> Answer | None:
    """"Can spondylitis after vertebroplasty be tuberculous?", "can PCE be asymptomatic?":
    Yes when the graph records a kind of the concept named by the word asked of it, with the
    is-a chain; None otherwise (a kind not recorded is no No)."""
    toks = u.tokens
    if not u.polar or not toks or toks[0] not in _MAY_BE or "be" not in toks:
        return None
    at = toks.index("be")
    before = [s for s in u.spans if s.end <= at and s.score >= 70]
    words = [t for t in toks[at + 1:] if len(t) >= 5]
    if not before or len(words) != 1:
        return None
    from .nlu import tokens

    subject = before[-1]
    for iri in subject.iris[:2]:
        for kind, chain in _kinds_below(kg, iri):
            concept = kg.terms.concept(kind)
            names = (concept.label, *concept.synonyms)
            named = next((n for n in names if words[0] in tokens(n)), None)
            if chain and named is not None:
                what, sub = kg.terms.label(iri), kg.terms.label(kind)
                also = f" (also called {named!r})" if named != sub else ""
                lines = [f"Yes: the graph records {sub}{also} as a kind of {what}.",
                         f"    because: {format_path(chain)}"]
                return _answer(kg, u, linked, intent="is_kind_of", verdict="yes", lines=lines,
                               reading=f"whether {what} can be {words[0]}; answered from its "
                                       "recorded kinds",
                               iris=[iri, kind], edges=list(chain), matched="(a kind of it)")
    return None

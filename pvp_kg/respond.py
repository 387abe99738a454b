"""Answers from readings: run the chosen named query, settle yes/no, say what was understood.

A yes/no question is answered "Yes" only when the concept asked about is (or falls under, or
has as a kind) an item of the query's answer, and "No" only when the graph records it in the
opposite role (an indication asked about as a contraindication). Anything else gets
``verdict=None`` and says what the graph does record. An unknown word is named, never
replaced by another concept.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from . import answer as _ask
from ._check import check_text
from .ask import MAX_QUESTION
from .errors import InvalidInputError, PVPKGError
from .explain import format_path
from .model import Answer, Concept, Item
from .nlu import _AUX, Reading, Understanding, index_for, understand
from .vocab import MEDICAL_DEVICE, RECOMMEND_AGAINST, RECOMMEND_FOR, RECOMMEND_FOR_SELECTED

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["answer"]

_DEVICE = str(MEDICAL_DEVICE)

_ROLE = {
    "complications": "a complication of", "indications": "an indication for",
    "contraindications": "a contraindication to", "steps": "a step of",
    "injected_material": "a material injected in", "imaging_guidance": "imaging that guides",
    "pre_procedure_assessment": "an assessment before", "aftercare": "aftercare advice after",
    "benefits": "a benefit of", "outcomes": "an outcome of",
    "risk_factors": "a risk factor of", "preventive_measures": "a preventive measure of",
}


def answer(kg: KnowledgeGraph, question: str) -> Answer:
    """Answer ``question`` from the graph, or decline saying what was not understood."""
    if not check_text(question, "the question", max_len=MAX_QUESTION):
        raise InvalidInputError("the question is empty")
    u = understand(kg, question)
    linked = tuple(kg.terms.concept(s.iri) for s in u.spans)
    if u.gaps:
        return _decline(kg, u, linked, f"The graph does not cover {_names(u.gaps)}.")
    if u.unknown and not _unknown_is_filler(u):
        body = _unknown_body(u)
        if body:
            return _decline(kg, u, linked, f"The graph holds no recommendation of {body!r}: "
                                           "it has no term for it.")
        return _decline(kg, u, linked, f"The graph does not cover {_names(u.unknown)}: "
                                       "it has no term for it.")
    best = u.best
    if best is None:
        return _decline(kg, u, linked, "I could not tell what you want to know.")
    try:
        result = _run(kg, u, best, linked)
    except PVPKGError as exc:
        return _decline(kg, u, linked, f"I read the question as "
                                       f"'{kg.queries[best.query].title}' but could not answer "
                                       f"it: {exc}")
    return _annotate(kg, u, best, result)


_HEAD_LINK = frozenset(("of", "for", "with"))

#: How clearly the best reading must stand (score) before an unknown word is taken as filler.
FILLER_SCORE = 2.5


def _unknown_is_filler(u: Understanding) -> bool:
    """Whether the question's unknown words can be passed over as filler.

    They can when the other words clearly select a reading: a matched way of asking, a concept
    of the question bound to the query's slot, a score well above the threshold, and few
    unknown words. They cannot in a yes/no question (the unknown word is then usually what is
    asked about, and a verdict would be a guess), nor when nothing of the question fills the
    query's slot (the unknown word is then likely the subject: "complications of knee
    replacement").
    """
    best = u.best
    if best is None or u.form == "yesno" or not best.matched:
        return False
    span_iris = {i for s in u.spans for i in s.iris}
    explicit = [v for k, v in best.bindings.items() if k == "finding" or v in span_iris]
    if not explicit:
        return False
    n = len(set(u.unknown))
    toks = u.tokens
    where = [i for i, t in enumerate(toks) if t in u.unknown]
    for i in where:
        # "the dose of …", "price for …", "vitamin d", "hepatitis b": an unknown head noun
        # or an unknown phrase
        if i + 1 < len(toks) and (toks[i + 1] in _HEAD_LINK or i + 1 in where
                                  or len(toks[i + 1]) == 1):
            return False
    return best.score >= FILLER_SCORE + (n - 1) * 1.0 and n <= 2


def _names(words: list[str]) -> str:
    return ", ".join(repr(w) for w in dict.fromkeys(words))


def _decline(kg: KnowledgeGraph, u: Understanding, linked: tuple[Concept, ...],
             why: str) -> Answer:
    named = (f" I recognised {', '.join(repr(c.label) for c in linked)}." if linked else "")
    return Answer(question=u.question, intent=None, linked=linked,
                  explanation=(f"Not covered by the PVP knowledge graph. {why}{named} I give "
                               "no answer rather than a guess. Try "
                               "rephrasing with the graph's terms (`pvp-kg search …`)."))


def _run(kg: KnowledgeGraph, u: Understanding, r: Reading,
         linked: tuple[Concept, ...]) -> Answer:
    query = kg.queries[r.query]
    bound = {k: v for k, v in r.bindings.items() if k != "finding"}
    if r.query == "findings_about" and "finding" in r.bindings:
        return _findings(kg, u, r, linked)
    result = _ask.RENDERERS.get(r.query, _ask._run_describe)(kg, u.question, query, bound,
                                                           linked)
    if r.query == "recommendations":
        return _recommended(kg, u, result) if _yes_no_question(u) else result
    if u.form == "yesno" and r.check is not None and r.query != "is_contraindication":
        return _yes_no(kg, u, r, result)
    if u.form == "yesno" and index_for(kg).lexicon.queries[r.query].check:
        return _unchecked(kg, u, r, result)
    if r.query == "is_contraindication":
        return _contra(kg, u, r, result)
    return result


def _unchecked(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer) -> Answer:
    """A yes/no question whose concept could not be put in the query's slot: no verdict."""
    ix = index_for(kg)
    slot = ix.lexicon.queries[r.query].check or "concept"
    others = [s for s in u.spans if not any(ix.is_a(i, ix.lexicon.slot_classes["procedure"])
                                            for i in s.iris[:1]) or s.iri not in
              r.bindings.values()]
    named = [kg.terms.label(s.iri) for s in others if s.iri not in r.bindings.values()]
    why = (f"The graph knows {_names(named)}, but not as a {slot} here"
           if named else f"I found no {slot} in the question to check")
    text = (f"{why}, so there is no yes or no. What the graph records:\n{result.explanation}")
    return replace(result, verdict=None, explanation=text)


def _stray(kg: KnowledgeGraph, u: Understanding, r: Reading) -> list[str]:
    """Concepts of the question the reading leaves unused (then a verdict would be a guess:
    "is a larger cement volume associated with better pain relief?" is not "is pain relief
    a benefit?")."""
    ix = index_for(kg)
    generic = {c for classes in ix.lexicon.slot_classes.values() for c in classes}
    used = {r.check, *r.bindings.values()}
    out = [s.iri for s in u.spans if s.iri not in used and not set(s.iris) & used
           and s.iri not in generic]
    if "finding" in r.bindings or any(
            t in ix.finding_words and not any(s.start <= i < s.end for s in u.spans)
            for i, t in enumerate(u.tokens)):
        out.append("finding")
    return out


def _holds(kg: KnowledgeGraph, target: str, items: tuple[Item, ...]) -> Item | None:
    ix = index_for(kg)
    for item in items:
        iri = item.concept.iri
        if iri == target or ix.is_a(target, (iri,)) or ix.is_a(iri, (target,)):
            return item
    return None


def _yes_no(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer) -> Answer:
    target = r.check
    assert target is not None
    label = kg.terms.label(target)
    subject = r.bindings.get("concept") or r.bindings.get("procedure") or _ask._procedure(
        kg, kg.queries[r.query], r.bindings)
    proc = kg.terms.label(subject) if subject else "the procedure"
    role = _ROLE.get(r.query, "recorded for")
    hit = _holds(kg, target, result.items) if r.matched else None
    if hit is not None:
        ix = index_for(kg)
        explained = {n for e in (*hit.via, *hit.details) for n in (e.subject, e.object)}
        stray = [x for x in _stray(kg, u, r) if x not in explained
                 and not ix.is_a(target, (x,)) and not ix.is_a(hit.concept.iri, (x,))
                 and not ix.is_a(x, (_DEVICE,))]
        if stray:
            hit = None
    concept = kg.terms.concept(target)
    if hit is not None:
        how = ("" if hit.concept.iri == target else
               f" ({label} falls under {hit.label})" if index_for(kg).is_a(target, (
                   hit.concept.iri,)) else f" ({hit.label} is a kind of {label})")
        lines = [f"Yes: the graph records {label} as {role} {proc}{how}."]
        lines.extend(_ask._item_line(hit))
        return replace(result, verdict="yes", explanation="\n".join(lines),
                       concepts=tuple(dict.fromkeys((concept, hit.concept))), items=(hit,))
    opp = index_for(kg).lexicon.queries[r.query].opposite
    explicit = any("{" in m for m in r.matched)
    if opp and opp in kg.queries and explicit:
        other = _ask.RENDERERS.get(opp, _ask._run_simple)(kg, u.question, kg.queries[opp], {}, ())
        hit = _holds(kg, target, other.items)
        if hit is not None:
            lines = [f"No: the graph records {label} as {_ROLE.get(opp, opp)} {proc}, "
                     f"not as {role} it."]
            lines.extend(_ask._item_line(hit))
            return replace(other, verdict="no", explanation="\n".join(lines),
                           concepts=(concept, hit.concept), items=(hit,), question=u.question)
    listed = ", ".join(i.label for i in result.items[:8])
    text = (f"The graph does not record {label} as {role} {proc}; it neither confirms nor "
            f"rules it out, so there is no yes or no."
            + (f" It records: {listed}{' …' if len(result.items) > 8 else ''}." if listed else ""))
    return replace(result, verdict=None, explanation=text, concepts=(concept,))


def _unknown_body(u: Understanding) -> str | None:
    """In a guideline question, the unknown word named as the issuer ("recommended by the
    FDA", "guidance from WHO"), or None."""
    if u.best is None or u.best.query != "recommendations":
        return None
    toks = u.tokens
    for i, tok in enumerate(toks):
        if tok in u.unknown:
            before = toks[max(0, i - 2):i]
            if before[-1:] in (["by"], ["from"]) or before in (["by", "the"], ["from", "the"]):
                return tok
    return None


def _unplaced_population(kg: KnowledgeGraph, u: Understanding) -> list[str]:
    """Words after "for" ("… recommended for hemangioma?") that no concept of the question
    covers: the patients asked about, which the verdict could not take into account."""
    toks = u.tokens
    if "for" not in toks:
        return []
    covered = {i for s in u.spans for i in range(s.start, s.end)}
    filler = index_for(kg).lexicon.filler | {"patient", "people", "the", "a", "an", "my", "with"}
    start = toks.index("for") + 1
    return [t for i, t in enumerate(toks[start:], start) if i not in covered
            and t not in filler and len(t) > 2]


def _yes_no_question(u: Understanding) -> bool:
    """A yes/no question: so read, or opening with an auxiliary verb as typed ("Does NICE
    recommend …?", whose normalised first token is no longer "does")."""
    words = u.question.lower().split()
    return u.form == "yesno" or (bool(words) and words[0] in _AUX)


_YES = (str(RECOMMEND_FOR), str(RECOMMEND_FOR_SELECTED))
_NO = (str(RECOMMEND_AGAINST),)


def _recommended(kg: KnowledgeGraph, u: Understanding, result: Answer) -> Answer:
    """"Is it recommended by X?": Yes or No only from X's own recorded recommendations.

    Yes when every recommendation of the bodies asked about is for the procedure (for
    everyone or for selected patients), No when every one is against it; no verdict when they
    differ, when none is recorded, or when no body was named (guidelines differ).
    """
    recs = result.recommendations
    if not _ask._issuing_bodies(kg, result.linked) or not recs:
        return replace(result, verdict=None)
    if u.unknown:  # an unknown word may be the population asked about: no verdict
        return replace(result, verdict=None, explanation=f"The graph has no term for "
                       f"{_names(u.unknown)}, so there is no yes or no.\n{result.explanation}")
    asked = _ask._asked_conditions(kg, result.linked)
    loose = _unplaced_population(kg, u)
    if loose and not asked:
        return replace(result, verdict=None, explanation=f"I could not place {_names(loose)} "
                       "as the patients the question is about, so there is no yes or no."
                       f"\n{result.explanation}")
    if asked and not all(_ask._covers(kg, rec, asked) for rec in recs):
        return replace(result, verdict=None, explanation="There is no yes or no: none of these "
                       "recommendations is recorded as applying to "
                       f"{' or '.join(c.label for c in asked)}.\n{result.explanation}")
    directions = {rec.direction_iri for rec in recs}
    who = " and ".join(dict.fromkeys(rec.body for rec in recs))
    latest = max(recs, key=lambda r: r.year or 0)
    if directions <= set(_YES):
        selected = any(d == str(RECOMMEND_FOR_SELECTED) for d in directions)
        how = " for selected patients only" if selected else ""
        head = (f"Yes{',' + how if how else ''}: the graph records {len(recs)} recommendation(s) "
                f"of {who}, all in favour; the most recent, {latest.body} {latest.year}, is "
                f"'{latest.direction}'.")
        verdict: str | None = "yes"
    elif directions <= set(_NO):
        head = (f"No: the graph records {len(recs)} recommendation(s) of {who}, all against; "
                f"the most recent is {latest.body} {latest.year}.")
        verdict = "no"
    else:
        head = (f"The recommendations of {who} recorded in the graph do not all point the same "
                "way, so there is no single yes or no; the most recent, "
                f"{latest.body} {latest.year}, is '{latest.direction}'.")
        verdict = None
    return replace(result, verdict=verdict, explanation=f"{head}\n{result.explanation}")


def _contra(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer) -> Answer:
    target = r.bindings["concept"]
    label = kg.terms.label(target)
    concept = kg.terms.concept(target)
    if result.items:
        first = result.items[0]
        grammar = "an" if (first.kind or "")[:1] in "aeiou" else "a"
        text = result.explanation.replace(f"an {first.kind} ", f"{grammar} {first.kind} ")
        return replace(result, verdict="yes", explanation=text,
                       concepts=tuple(dict.fromkeys((concept, *result.concepts))))
    other = kg.indications()
    hit = _holds(kg, target, tuple(other)) if any("{" in m for m in r.matched) else None
    if hit is not None:
        lines = [f"No: the graph records {label} as an indication for percutaneous "
                 f"vertebroplasty, not as a contraindication."]
        lines.extend(_ask._item_line(hit))
        return replace(result, verdict="no", explanation="\n".join(lines),
                       concepts=(concept, hit.concept), items=(hit,))
    return replace(result, verdict=None, concepts=(concept,),
                   explanation=f"The graph does not record {label} as a contraindication, "
                               "nor as a kind of one; it neither confirms nor rules it out, "
                               "so there is no yes or no.")


def _findings(kg: KnowledgeGraph, u: Understanding, r: Reading,
              linked: tuple[Concept, ...]) -> Answer:
    iris = r.bindings["finding"].split(",")
    found = [kg.terms.finding(iri) for iri in iris]
    lines = [f"Findings ({len(found)}):"]
    lines.extend(f"- {_ask._finding_line(f).strip(' ·')}" for f in found)
    concepts = tuple(dict.fromkeys(kg.terms.concept(kg.terms.expand(a) or a)
                                   for f in found for a in f.about))
    return Answer(question=u.question, intent="findings_about", concepts=concepts,
                  explanation="\n".join(lines), sources=_ask._sources([], found),
                  sparql=kg.queries["findings_about"].text, query="findings_about",
                  findings=tuple(found), linked=linked)


def _annotate(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer) -> Answer:
    title = kg.queries[r.query].title
    bound = ", ".join(f"{k} = {kg.terms.label(v)}" for k, v in r.bindings.items()
                      if k != "finding")
    how = f"Read as '{title}'"
    if r.matched:
        how += f" (matched: {'; '.join(repr(m) for m in r.matched[:3])})"
    if bound:
        how += f"; {bound}"
    alt = u.runner_up
    alternatives: tuple[str, ...] = ()
    note = ""
    if alt is not None:
        alternatives = (alt.query,)
        note = f"\nAnother close reading: '{kg.queries[alt.query].title}' — ask for it by name."
    explanation = f"{result.explanation}\n({how}; confidence {u.confidence:.2f}.){note}"
    return replace(result, explanation=explanation, confidence=u.confidence,
                   matched=tuple(r.matched), alternatives=alternatives)


def path_line(item: Item) -> str:
    return format_path(item.via) if item.via else item.label

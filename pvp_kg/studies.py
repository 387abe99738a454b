"""Questions about named studies and their results (issue 10).

A study (``pvp:ClinicalStudy``: INVEST, VAPOUR, the Cochrane review …) is a concept; each
finding names the study it comes from (``pvp:fromStudy``) and, where its own source says so,
the way its result came out (``pvp:resultDirection``: a benefit over the comparator, no
significant difference from it, a mixed result, an association found or not).

- A question that names a study is answered with that study's findings: first those about
  what the question asks about ("new fractures in VERTOS II"), then the others.
- A yes/no question about a study result ("Did INVEST show vertebroplasty was better than
  sham?") gets "yes" or "no" only from the recorded direction of the findings that fit the
  question (topic, comparator, time point), at the strongest evidence level among them; when
  they disagree, when the direction is mixed or not recorded, or when the question's claim
  cannot be matched to a direction, there is no verdict.
- An association question without a study ("Is a larger cement volume associated with
  better pain relief?") is settled the same way from the findings about every concept it
  names, when each of them records whether an association was found.

The directions the verdicts read are the controlled individuals of ``sources.ttl``
(:data:`~pvp_kg.vocab.PVP` names below); a direction's general kind is found by following
``pvp:broaderDirection``.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import replace
from typing import TYPE_CHECKING

from rdflib import URIRef

from .evidence import finding_rank
from .model import Answer, Concept, Edge, Finding
from .nlu import says
from .vocab import CLINICAL_CONDITION, CLINICAL_STUDY, PVP, RDF, RESULT_DIRECTION

if TYPE_CHECKING:
    from .graph import KnowledgeGraph
    from .nlu import Lexicon, Understanding

__all__ = ["claim_of", "findings_of_study", "settle", "studies_named", "study_answer"]

#: The general directions a verdict can rest on, by kind.
_KIND = {
    str(PVP.BenefitOverComparator): "benefit",
    str(PVP.NoDifferenceFromComparator): "no difference",
    str(PVP.MixedResult): "mixed",
    str(PVP.AssociationFound): "association",
    str(PVP.NoAssociationFound): "no association",
}
#: Directions that name their comparator: a sham (placebo) procedure or conservative care.
_SHAM = {str(PVP.BenefitOverSham), str(PVP.NoBenefitOverSham),
         str(PVP.NoClinicallyImportantBenefitOverSham)}
_CONSERVATIVE = {str(PVP.BenefitOverConservativeCare)}

# What the question claims the study showed, and the comparator it names, are lexicon cues
# (lexicon.ttl, "Claims about a study's result"), read through pvp_kg.nlu.says.
_TIME = re.compile(r"(\d+(?:\.\d+)?) (day|week|month|year)")
_TIME_WORD = re.compile(r"(\d+ )?(day|week|month|year|hour|minute)s?")


def _is_study(kg: KnowledgeGraph, iri: str) -> bool:
    return (URIRef(iri), RDF.type, CLINICAL_STUDY) in kg.graph


def _is_direction(kg: KnowledgeGraph, iri: str) -> bool:
    return (URIRef(iri), RDF.type, RESULT_DIRECTION) in kg.graph


def studies_named(kg: KnowledgeGraph, u: Understanding) -> list[str]:
    """IRIs of the studies the question names, in question order."""
    return list(dict.fromkeys(i for s in u.spans for i in s.iris[:1] if _is_study(kg, i)))


def findings_of_study(kg: KnowledgeGraph, study: str) -> list[Finding]:
    """Every finding of ``study`` (``pvp:fromStudy``), strongest evidence first."""
    from .model import findings_strongest_first

    iris = sorted(str(f) for f in kg.graph.subjects(PVP.fromStudy, URIRef(study)))
    return list(findings_strongest_first([kg.terms.finding(i) for i in iris]))


def _topics(kg: KnowledgeGraph, u: Understanding) -> list[str]:
    """What the question asks about besides studies, directions and the procedure itself."""
    from .nlu import index_for

    ix = index_for(kg)
    procedures = ix.lexicon.slot_classes.get("procedure", ())
    out = []
    for span in u.spans:
        iri = span.iri
        if _is_study(kg, iri) or _is_direction(kg, iri) or iri in ix.generic:
            continue
        if ix.is_a(iri, procedures) or span.score < 80 or _TIME_WORD.fullmatch(span.text):
            continue  # "at 1 year" is when, not what
        out.append(iri)
    return list(dict.fromkeys(out))


def _edges_backed_by(kg: KnowledgeGraph, sources: set[str], topics: list[str]) -> list[Edge]:
    """The edges whose evidence cites one of ``sources`` and that touch a topic (an end is
    the topic or a kind of it); at most eight."""
    from .nlu import index_for

    if not sources or not topics:
        return []
    ix = index_for(kg)
    by_source = _edges_by_source(kg)
    cited = sorted({pair for src in sources for pair in by_source.get(src, ())},
                   key=lambda pair: pair[0])  # in edge-view order
    return [e for _, e in cited
            if any(ix.is_a(end, tuple(topics)) for end in (e.subject, e.object))][:8]


_BY_SOURCE: weakref.WeakKeyDictionary[
    object, tuple[object, dict[str, list[tuple[int, Edge]]]]] = weakref.WeakKeyDictionary()


def _edges_by_source(kg: KnowledgeGraph) -> dict[str, list[tuple[int, Edge]]]:
    """The asserted edges with their place in the edge view, by the IRI of each source their
    evidence cites (built once per graph state)."""
    cached = _BY_SOURCE.get(kg)
    if cached is not None and cached[0] is kg.index:
        return cached[1]
    out: dict[str, list[tuple[int, Edge]]] = {}
    for i, edge in enumerate(kg.edges):
        if not edge.derived_by:
            for src in dict.fromkeys(ev.source.iri for ev in edge.evidence):
                out.setdefault(src, []).append((i, edge))
    _BY_SOURCE[kg] = (kg.index, out)
    return out


def _about(kg: KnowledgeGraph, f: Finding, topic: str) -> bool:
    from .nlu import index_for

    ix = index_for(kg)
    return any(ix.is_a(kg.terms.expand(a) or a, (topic,)) for a in f.about)


def claim_of(kg: KnowledgeGraph, u: Understanding) -> str | None:
    """What a yes/no question claims a study found: ``no difference``, ``association``,
    ``benefit`` or ``difference`` (more/fewer …); None when it cannot tell or the question
    is negated in another way."""
    lexicon = _lexicon(kg)
    text = u.question
    if says(lexicon, "no difference", text):
        return "no difference"
    if says(lexicon, "negation", text):
        return None  # "did it not …", "no …": the claim's polarity is unclear
    return next((c for c in ("association", "benefit", "difference")
                 if says(lexicon, c, text)), None)


def _general(kg: KnowledgeGraph, direction: str) -> str | None:
    node: str | None = direction
    seen: set[str] = set()
    while node is not None and node not in seen:
        if node in _KIND:
            return _KIND[node]
        seen.add(node)
        parent = kg.graph.value(URIRef(node), PVP.broaderDirection)
        node = str(parent) if parent is not None else None
    return None


def _comparator_of(kg: KnowledgeGraph, f: Finding, direction: str) -> str | None:
    if direction in _SHAM:
        return "sham"
    if direction in _CONSERVATIVE:
        return "conservative"
    return _comparator_named(_lexicon(kg), (f.comparator or "").replace("-", " "))


def _comparator_named(lexicon: Lexicon, text: str) -> str | None:
    return next((c for c in ("sham", "conservative") if says(lexicon, c, text)), None)


def _asked_comparator(kg: KnowledgeGraph, u: Understanding) -> str | None:
    return _comparator_named(_lexicon(kg), u.question)


def _lexicon(kg: KnowledgeGraph) -> Lexicon:
    from .nlu import index_for

    return index_for(kg).lexicon


def _times(text: str) -> set[tuple[float, str]]:
    """The time points a text names: ``{(1.0, "month")}`` for "at 1 month"; both ends of a
    range ("3 to 6 months") and every number of a list ("1 week, 1, 3 or 6 months")."""
    out = set()
    text = text.lower()
    for m in _TIME.finditer(text):
        out.add((float(m.group(1)), m.group(2)))
        before = text[:m.start()]
        for n in re.findall(r"(\d+(?:\.\d+)?)(?=(?:,| or| and| to|-|\u2013) ?$)", before):
            out.add((float(n), m.group(2)))
        run = re.search(r"((?:\d+(?:\.\d+)?(?:,| or| and| to|-|\u2013) ?)+)$", before)
        if run:
            out.update((float(n), m.group(2)) for n in re.findall(r"\d+(?:\.\d+)?", run.group(1)))
    return out


_VERDICT = {
    ("benefit", "benefit"): "yes", ("benefit", "no difference"): "no",
    ("no difference", "no difference"): "yes", ("no difference", "benefit"): "no",
    ("difference", "no difference"): "no",
    ("association", "association"): "yes", ("association", "no association"): "no",
    # "did a larger volume give better relief?" claims an association of the two: a study
    # that found none answers it
    ("benefit", "no association"): "no", ("difference", "no association"): "no",
}


def _judge(kg: KnowledgeGraph, u: Understanding, findings: list[Finding]
           ) -> tuple[str | None, list[Finding], str]:
    """The verdict the findings' recorded directions give the question's claim, the findings
    it rests on, and a sentence saying why (also when there is no verdict)."""
    claim = claim_of(kg, u)
    if claim is None:
        return None, [], "I could not tell what result the question asks about"
    if says(_lexicon(kg), "duration", u.question):
        return None, [], "the question asks how long the result lasted, which the recorded " \
                         "direction does not say"
    asked = _asked_comparator(kg, u)
    times = _times(u.question)
    if times:  # "at 1 month": only the findings at that time point; none recorded: no verdict
        findings = [f for f in findings if _times(f.time_point or "") & times]
        if not findings:
            return None, [], "the graph records no result at the time point asked about"
    kinds: list[tuple[Finding, str, str]] = []
    for f in findings:
        for iri, label in zip(f.direction, f.direction_labels, strict=True):
            full = kg.terms.expand(iri) or iri
            kind = _general(kg, full)
            cmp_ = _comparator_of(kg, f, full)
            if kind is None or (asked is not None and cmp_ not in (asked, None)):
                continue
            if asked is not None and cmp_ is None and kind in ("benefit", "no difference"):
                continue  # the comparator of the result is not the one asked about
            kinds.append((f, kind, label))
    if not kinds:
        return None, [], "the graph records no result direction for it"
    top = min(finding_rank(f) for f, _, _ in kinds)
    kinds = [k for k in kinds if finding_rank(k[0]) == top]
    firm = {kind for _, kind, _ in kinds if kind != "mixed"}
    used = [f for f, kind, _ in kinds if kind != "mixed"]
    if not firm:
        return None, [f for f, _, _ in kinds], "the recorded result is mixed"
    if len(firm) > 1:
        return None, [f for f, _, _ in kinds], ("the findings at the strongest level "
                                                "disagree: " + ", ".join(sorted(firm)))
    kind = next(iter(firm))
    verdict = _VERDICT.get((claim, kind))
    labels = ", ".join(dict.fromkeys(label for _, k, label in kinds if k == kind))
    if verdict is None:
        return None, used, f"the recorded result ({labels}) does not settle that claim"
    mixed = [f for f, k, _ in kinds if k == "mixed"]
    more = (f"; a further finding at the same level is mixed ({mixed[0].label})"
            if mixed else "")
    return verdict, used + mixed, f"the graph records: {labels}{more}"


def _concepts(kg: KnowledgeGraph, findings: list[Finding]) -> list[Concept]:
    from .answer import _finding_concepts

    out = list(_finding_concepts(kg, findings))
    for f in findings:  # the study's design ("open-label randomised trial")
        if f.study:
            design = kg.graph.value(URIRef(kg.terms.expand(f.study) or f.study), PVP.studyDesign)
            if design is not None:
                out.append(kg.terms.concept(str(design)))
    return list(dict.fromkeys(out))


def study_answer(kg: KnowledgeGraph, u: Understanding, linked: tuple[Concept, ...],
                 query: str) -> Answer | None:
    """The answer to a question naming a study: its findings (those about the question's
    topic first), with a verdict for a yes/no question where the recorded direction gives
    one. None when the question names no study or the study has no finding."""
    from .answer import _finding_line, _sources

    studies = studies_named(kg, u)
    if not studies:
        return None
    found = [f for s in studies for f in findings_of_study(kg, s)]
    if not found:
        return None
    topics = _topics(kg, u)
    # a condition none of its findings is about says whom the trial studied ("did VAPOUR
    # show a benefit in acute OVCF?"), not what it measured
    from .nlu import index_for

    on_topic = [f for f in found if topics and any(_about(kg, f, t) for t in topics)]
    if u.polar and topics and not on_topic:
        conditions = (str(CLINICAL_CONDITION),)
        topics = [t for t in topics if not index_for(kg).is_a(t, conditions)]
        on_topic = [f for f in found if topics and any(_about(kg, f, t) for t in topics)]
    shown = list(dict.fromkeys([*on_topic, *found]))
    names = " and ".join(kg.terms.label(s) for s in studies)
    lines = []
    verdict = None
    if u.polar:
        pool = on_topic if topics and on_topic else ([] if topics else found)
        verdict, basis, why = _judge(kg, u, pool) if pool else (
            None, [], f"none of its findings is about "
                      f"{', '.join(kg.terms.label(t) for t in topics)}")
        if verdict is not None:
            lines.append(f"{verdict.capitalize()}: for the {names}, {why}.")
        else:
            lines.append(f"No yes or no for the {names}: {why}.")
        shown = list(dict.fromkeys([*basis, *shown]))
    head = f"Findings of the {names} ({len(shown)})"
    if topics and on_topic:
        head += f", those about {', '.join(kg.terms.label(t) for t in topics)} first"
    # who or what was studied ("21 randomised trials …", "patients aged 60 or over with …"):
    # a trial's answer says it before its numbers
    populations = list(dict.fromkeys(f.population for f in shown if f.population))[:3]
    if populations:
        lines.append("Studied: " + "; ".join(populations) + ".")
    lines.append(head + ":")
    lines.extend(f"- {_finding_line(f).strip(' ·')}" for f in shown)
    # what the trial's report is cited for in the graph on the question's topic ("which local
    # anaesthetics were used in VERTOS IV?": the agents, sourced by its report)
    backed = _edges_backed_by(kg, {e.source.iri for f in shown for e in f.evidence}, topics)
    if backed:
        from .explain import format_path

        lines.append("What its report is cited for in the graph on that:")
        lines.extend(f"- {format_path((e,))}" for e in backed)
    concepts = tuple(dict.fromkeys((*(kg.terms.concept(s) for s in studies),
                                    *_concepts(kg, shown),
                                    *(kg.terms.concept(x) for e in backed
                                      for x in (e.subject, e.object)))))
    return Answer(question=u.question, intent="findings_about", concepts=concepts,
                  explanation="\n".join(lines), sources=_sources([], shown),
                  sparql=kg.queries["findings_about"].text, query="findings_about",
                  findings=tuple(shown), linked=linked, verdict=verdict)


def settle(kg: KnowledgeGraph, u: Understanding, result: Answer) -> Answer:
    """A yes/no association question naming no study ("Is a larger cement volume associated
    with better pain relief?"): a verdict from the findings about every concept it names
    that record whether an association was found; ``result`` unchanged otherwise."""
    if not u.polar or claim_of(kg, u) not in ("association", "benefit", "difference") \
            or studies_named(kg, u):
        return result
    topics = _topics(kg, u)
    if len(topics) < 2:
        return result
    pool = [f for f in kg.terms.findings_about(topics[0])
            if all(_about(kg, f, t) for t in topics[1:])]
    if not pool or not all(any(_general(kg, kg.terms.expand(d) or d) in (
            "association", "no association") for d in f.direction) for f in pool):
        return result  # a finding that records no direction may say otherwise: no verdict
    verdict, basis, why = _judge(kg, u, pool)
    if verdict is None:
        return result
    from .answer import _finding_line, _sources

    asked = ", ".join(kg.terms.label(t) for t in topics)
    lines = [f"{verdict.capitalize()}: for {asked}, {why}.",
             *(f"- {_finding_line(f).strip(' ·')}" for f in basis)]
    return replace(result, verdict=verdict, explanation="\n".join(lines),
                   concepts=tuple(dict.fromkeys((*(kg.terms.concept(t) for t in topics),
                                                 *_concepts(kg, basis)))),
                   findings=tuple(basis), sources=_sources([], basis), items=(),
                   intent="findings_about", query="findings_about",
                   sparql=kg.queries["findings_about"].text)

""""Trace the chain of events from a cement leak to death": the causal paths between two
concepts the question names, as a clinician would draw them.

A question asks for a chain when it holds a word of the lexicon's word class "chain"
("chain", "trace", "pathway", "sequence of events") or opens with "how" and holds one of the
class "leadTo" ("how does a leak lead to death?"). "Can X lead to Y?" is answered Yes with the
same paths when there are any (a recorded causal chain says that it can), never No. The
answer is every
path of subtype and
causal edges (the edges :func:`pvp_kg.explain.paths` calls meaningful) from the first concept
named to the second, at most one edge longer than the shortest, the best-sourced first (by the
weakest evidence on each), each edge with its sources; None when the question names no such
pair or no such path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .explain import _MEANINGFUL, format_path
from .model import Answer, Concept, Edge, Item
from .nlu import Understanding, index_for
from .vocab import RDFS

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["chain_answer", "chain_words"]

_SUBCLASS = str(RDFS.subClassOf)
#: How many paths are shown, and how many a search may collect before it stops.
MAX_PATHS = 5
_MAX_LEN = 7


def chain_words(kg: KnowledgeGraph, u: Understanding) -> set[str]:
    """The question's words of the word classes "chain" and "leadTo" when it asks for a
    chain (they are what is asked, not unknown words to decline on)."""
    if not _asks_chain(kg, u, u.polar):
        return set()
    lexicon = index_for(kg).lexicon
    return {t for t in u.tokens if lexicon.has("chain", (t,)) or lexicon.has("leadTo", (t,))}


def _asks_chain(kg: KnowledgeGraph, u: Understanding, polar: bool = False) -> bool:
    """"Trace the chain …", "how does X lead to Y?", or (``polar``) "can X lead to Y?"."""
    lexicon = index_for(kg).lexicon
    return lexicon.has("chain", u.tokens) or (
        bool(u.tokens) and (u.tokens[0] == "how" or polar) and lexicon.has("leadTo", u.tokens))


def _routes(kg: KnowledgeGraph, start: str, end: str) -> list[tuple[Edge, ...]]:
    """Simple paths of subtype and causal edges from ``start`` to ``end`` (down to subtypes
    too, never up and straight back down), the shortest first, at most one edge longer than
    the shortest."""
    findings = kg.terms.finding_iris
    found: list[tuple[Edge, ...]] = []
    _State = tuple[str, bool, tuple[Edge, ...], frozenset[str]]
    layer: list[_State] = [(start, False, (), frozenset((start,)))]
    shortest = None
    for depth in range(1, _MAX_LEN + 1):
        if shortest is not None and depth > shortest + 1:
            break
        nxt: list[_State] = []
        for node, went_up, route, seen in layer:
            moves = [(e.object, e, e.predicate == _SUBCLASS) for e in kg.edges.out(node)
                     if e.predicate in _MEANINGFUL]
            if not went_up:
                moves += [(e.subject, e, False) for e in kg.edges.into(node, _SUBCLASS)]
            for other, edge, up in moves:
                if other in seen or other in findings:
                    continue
                path = (*route, edge)
                if other == end:
                    found.append(path)
                    shortest = depth if shortest is None else shortest
                elif len(nxt) < 20000:  # bounded however large a merged graph is
                    nxt.append((other, up, path, seen | {other}))
        if len(found) >= MAX_PATHS * 4:
            break
        layer = nxt
    return found


def _strength(path: tuple[Edge, ...]) -> tuple[int, float]:
    """How well sourced a path is: the rank of its weakest edge's best evidence (1 =
    strongest, 99 unknown), then the mean of its edges' best ranks."""
    best = []
    for edge in path:
        ranks = [ev.rank for ev in edge.evidence if ev.rank is not None]
        best.append(min(ranks) if ranks else 99)
    return max(best), sum(best) / len(best)


def chain_answer(kg: KnowledgeGraph, u: Understanding, linked: tuple[Concept, ...]
                 ) -> Answer | None:
    """The causal paths between the two concepts the question names, when it asks for a
    chain; None otherwise."""
    polar = u.polar and index_for(kg).lexicon.has("leadTo", u.tokens)
    if (u.polar and not polar) or not _asks_chain(kg, u, polar):
        return None
    named = list(dict.fromkeys(s.iri for s in sorted(u.spans, key=lambda s: s.start)
                               if s.score >= 80))
    if len(named) != 2:
        return None
    start, end = named
    routes = _routes(kg, start, end)
    if not routes:
        return None
    # the best-sourced chain first (its weakest edge), then the shorter
    routes.sort(key=lambda p: (_strength(p), len(p)))
    shown = routes[:MAX_PATHS]
    a, b = kg.terms.label(start), kg.terms.label(end)
    lines = [(f"Yes: {a} can lead to {b}" if polar else f"How {a} can lead to {b}")
             + f": {len(shown)} chain(s) of subtype and causal edges, the best-sourced first "
             "(by the weakest evidence on each):"]
    nodes: list[str] = []
    for n, path in enumerate(shown, 1):
        lines.append(f"{n}. {format_path(path)}")
        for edge in path:
            for iri in (edge.subject, edge.object):
                if iri not in nodes:
                    nodes.append(iri)
            notes = [ev.note for ev in edge.evidence if ev.note]
            if notes and edge.predicate != _SUBCLASS:
                lines.append(f"    · {edge.subject_label} → {edge.object_label}: {notes[0]}")
    sources = {ev.source.iri: ev.source for p in shown for e in p for ev in e.evidence}
    concepts = tuple(kg.terms.concept(i) for i in nodes)
    items = tuple(Item(kg.terms.concept(end), via=p, kind=f"chain {n}")
                  for n, p in enumerate(shown, 1))
    return Answer(question=u.question, intent="explain", linked=linked,
                  verdict="yes" if polar else None,
                  explanation="\n".join(lines) + f"\n(Read as a question about the chain from "
                                                 f"{a} to {b}; answered from the graph's "
                                                 "subtype and causal edges.)",
                  concepts=concepts, items=items, sources=tuple(sources.values()),
                  confidence=0.8, matched=("(chain of events)",))

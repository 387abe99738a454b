"""Question understanding: question → :class:`Understanding` (intent, bound concepts).

What to answer is decided here; how an answer reads is :mod:`pvp_kg.answer`'s concern.
Nothing clinical is written here. The intents are the named queries; each declares the
phrases that announce it (``# cues:``) and the types of its parameters (``# types:``).
Concepts are linked by the ontology's own labels, synonyms (lay words included) and
abbreviations, tolerating typos. A question that matches no intent, or whose required concept
cannot be linked, gets an answer that says so — never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rdflib import URIRef

from ._check import check_text
from .errors import InvalidInputError
from .lookup import normalise
from .model import Concept
from .sparql import NamedQuery, named_queries
from .vocab import OWL, RDF

_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.AnnotationProperty, OWL.DatatypeProperty)

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["MAX_QUESTION", "Span", "Understanding", "understand"]

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
    return kg.edges.is_a(iri, kg.terms.expand(parent) or parent)


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


def _choose(kg: KnowledgeGraph, tokens: list[str], spans: list[Span], answerable: Collection[str]
            ) -> tuple[_Intent, dict[str, str], list[Span]] | None:
    """The best-scoring intent whose required parameters the question's concepts fill.

    Score: the cue phrases found, plus 1 for each parameter filled from the question;
    ``describe`` (the catch-all "what is X") loses ties.
    """
    best: tuple[float, _Intent, dict[str, str], list[Span]] | None = None
    for query in named_queries().values():
        if query.name not in answerable:  # nothing could render its answer
            continue
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


def _covered(spans: list[Span], cues: tuple[tuple[int, int], ...]) -> set[int]:
    """Token positions explained by a cue phrase or a linked concept."""
    covered = {i for a, b in cues for i in range(a, b)}
    for s in spans:
        covered.update(range(s.start, s.end))
    return covered


def _unknown_words(tokens: list[str], spans: list[Span],
                   cues: tuple[tuple[int, int], ...]) -> list[str]:
    """Content words of the question explained by neither a cue nor a linked concept."""
    covered = _covered(spans, cues)
    return [t for i, t in enumerate(tokens) if i not in covered and t not in _STOP
            and len(t) >= 4]


def _uncovered(tokens: list[str], spans: list[Span],
               cues: tuple[tuple[int, int], ...]) -> int:
    covered = _covered(spans, cues)
    return sum(1 for i, t in enumerate(tokens) if i not in covered and t not in _STOP)


@dataclass(frozen=True, slots=True, kw_only=True)
class Understanding:
    """What a question asks: the named query chosen and the concepts bound to its parameters.

    ``query`` is None when no answerable intent fits; ``unknown`` then lists the question's
    content words the graph has no term for.
    """

    question: str
    linked: tuple[Concept, ...]
    query: NamedQuery | None = None
    bound: dict[str, str] | None = None
    unknown: tuple[str, ...] = ()


def understand(kg: KnowledgeGraph, question: str, *, answerable: Collection[str]
               ) -> Understanding:
    """Choose the intent of ``question`` among the named queries in ``answerable``.

    :raises ArgumentTypeError: ``question`` is not a string
    :raises InvalidInputError: the question is empty or longer than :data:`MAX_QUESTION`
    """
    check_text(question, "the question", max_len=MAX_QUESTION)
    if not question.strip():
        raise InvalidInputError("the question is empty")
    tokens = _tokens(normalise(question))
    spans = _candidates(kg, question)
    linked = tuple(kg.terms.concept(s.iri) for s in _select(spans))
    choice = _choose(kg, tokens, spans, answerable)
    if choice is None:
        cue_words = {w for q in named_queries().values() for c in q.cues
                     for w in _tokens(normalise(c))}
        unknown = [w for w in _unknown_words(tokens, _select(spans), ()) if w not in cue_words]
        return Understanding(question=question, linked=linked, unknown=tuple(unknown))
    intent, bound, _ = choice
    return Understanding(question=question, linked=linked, query=intent.query, bound=bound)

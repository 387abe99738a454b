"""Evidence levels in order, and filtering answers by a minimum level (``min_level=``).

The levels are the instances of ``pvp:EvidenceLevel`` in the graph. Their order, strongest
first, is read from the graph when each level carries a ``pvp:evidenceRank`` (an integer,
1 = strongest); levels without one fall back to the usual order of evidence-based medicine
for the levels the bundled graph defines (systematic review, randomised controlled trial,
observational study, clinical practice guideline, narrative review, reference work,
unverified expert opinion). A level with no rank at all counts as weaker than every ranked
one.

A ``min_level`` names a level by label, synonym, CURIE or IRI (``"randomised controlled
trial"``, ``"RCT"``, ``"pvp:RandomisedTrialEvidence"``) and keeps what has evidence at that
level or stronger.

>>> import pvp_kg
>>> kg = pvp_kg.load()
>>> [level.label for level in levels(kg)][:2]
['systematic review', 'sham-controlled randomised trial']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from .errors import InvalidInputError
from .model import Answer, Evidence, Finding, Item
from .vocab import PVP, RDF

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["Level", "LevelFilter", "fallback_rank", "level_filter", "levels"]

#: Annotation on an evidence level: its rank, 1 = strongest (read when present).
EVIDENCE_RANK = PVP.evidenceRank
EVIDENCE_LEVEL_CLASS = PVP.EvidenceLevel

# The usual order for the levels of the bundled graph, used only where a level has no
# ``pvp:evidenceRank`` of its own.
_FALLBACK_ORDER = ("SystematicReviewEvidence", "RandomisedTrialEvidence",
                   "ObservationalStudyEvidence", "ClinicalGuidelineEvidence",
                   "NarrativeReviewEvidence", "ReferenceWorkEvidence", "UnverifiedExpertOpinion")
_UNRANKED = 10_000


@dataclass(frozen=True, slots=True)
class Level:
    """An evidence level: its IRI, CURIE, label and rank (1 = strongest; None: unranked)."""

    iri: str
    curie: str
    label: str
    rank: int | None

    def __repr__(self) -> str:
        return f"Level({self.rank}: {self.label})"


def fallback_rank(iri: str) -> int | None:
    """The built-in rank of a bundled level's IRI (1 = strongest), or None."""
    local = iri[len(str(PVP)):] if iri.startswith(str(PVP)) else ""
    return _FALLBACK_ORDER.index(local) + 1 if local in _FALLBACK_ORDER else None


def _rank(kg: KnowledgeGraph, iri: str) -> int | None:
    value = kg.graph.value(URIRef(iri), EVIDENCE_RANK)
    if isinstance(value, Literal):
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    return fallback_rank(iri)


def levels(kg: KnowledgeGraph) -> list[Level]:
    """Every evidence level of the graph, strongest first (unranked ones last, by label)."""
    found = []
    for node in set(kg.graph.subjects(RDF.type, EVIDENCE_LEVEL_CLASS)):
        if isinstance(node, URIRef):
            iri = str(node)
            found.append(Level(iri, kg.terms.curie(iri), kg.terms.label(iri), _rank(kg, iri)))
    return sorted(found, key=lambda lv: (lv.rank if lv.rank is not None else _UNRANKED,
                                         lv.label))


@dataclass(frozen=True)
class LevelFilter:
    """Keeps evidence at ``level`` or stronger."""

    level: Level
    ranks: dict[str, int | None]

    def accepts(self, evidence: Evidence) -> bool:
        """True when this piece of evidence is at the level or stronger."""
        iri = evidence.level_iri
        if iri is None:
            return False
        if iri == self.level.iri:
            return True
        rank, floor = self.ranks.get(iri), self.level.rank
        return rank is not None and floor is not None and rank <= floor

    def any(self, evidence: Iterable[Evidence]) -> bool:
        """True when one of ``evidence`` is accepted."""
        return any(self.accepts(ev) for ev in evidence)

    def findings(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings with at least one source at the level or stronger."""
        return [f for f in findings if self.any(f.evidence)]

    def items(self, items: Iterable[Item]) -> list[Item]:
        """Items whose every edge (``via``: what links them to the question) has evidence
        strong enough; an item without edges (a head-to-head finding) is kept when one of its
        findings is. Each kept item's findings are narrowed to the strong enough ones.
        """
        out = []
        for item in items:
            kept = tuple(self.findings(item.findings))
            if all(self.any(edge.evidence) for edge in item.via) if item.via else kept:
                out.append(item if kept == item.findings else replace(item, findings=kept))
        return out

    def answer(self, answer: Answer) -> Answer:
        """An answer narrowed to its strong enough items and findings (explanation as given)."""
        items = self.items(answer.items)
        return replace(answer, items=tuple(items), findings=tuple(self.findings(answer.findings)))


def level_filter(kg: KnowledgeGraph, min_level: str | None) -> LevelFilter | None:
    """The filter for ``min_level`` (label, synonym, CURIE or IRI of a level), or None.

    :raises InvalidInputError: ``min_level`` names no evidence level; the message lists them
    """
    if min_level is None:
        return None
    known = levels(kg)
    if not isinstance(min_level, str):
        raise InvalidInputError(
            f"min_level must be the name of an evidence level, not {type(min_level).__name__}")
    iri = kg.resolve(min_level)
    by_iri = {lv.iri: lv for lv in known}
    if iri not in by_iri:
        names = ", ".join(repr(lv.label) for lv in known)
        raise InvalidInputError(f"{min_level!r} is not an evidence level; use one of: {names}"
                                " (or their CURIEs)")
    return LevelFilter(by_iri[iri], {lv.iri: lv.rank for lv in known})


# -- the level in force while ask() runs ---------------------------------------------------------

_ACTIVE: ContextVar[LevelFilter | None] = ContextVar("pvp_kg_min_level", default=None)


@contextmanager
def active(flt: LevelFilter | None) -> Iterator[None]:
    """Make ``flt`` the filter in force (for :meth:`KnowledgeGraph.ask`) within the block."""
    token = _ACTIVE.set(flt)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def current() -> LevelFilter | None:
    """The filter in force, if any."""
    return _ACTIVE.get()


def narrow(items: Sequence[Item], findings: Sequence[Finding]
           ) -> tuple[list[Item], list[Finding]]:
    """``items`` and ``findings`` narrowed by the filter in force (unchanged without one)."""
    flt = current()
    if flt is None:
        return list(items), list(findings)
    return flt.items(items), flt.findings(findings)

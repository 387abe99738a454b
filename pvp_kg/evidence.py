"""Evidence levels in order, and filtering answers by a minimum level (``min_level=``).

The levels are the instances of ``pvp:EvidenceLevel`` in the graph; their order, strongest
first, is each level's ``pvp:evidenceRank`` (an integer, 1 = strongest). This module is the one
place that reads the ranks from a graph (:func:`evidence_ranks`); every
:class:`~pvp_kg.model.Evidence` the library builds carries its level's ``rank``, and the
ordering of findings, items, pictures and tables goes through :func:`rank_key` /
:attr:`Evidence.rank`. Nothing here names a level: a graph with other levels or other ranks
orders them its way. A level with no rank counts as weaker than every ranked one.

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

from rdflib import Graph, Literal, URIRef

from .errors import InvalidInputError
from .model import (
    UNRANKED,
    Answer,
    Evidence,
    Finding,
    Item,
    Recommendation,
    findings_strongest_first,
    rank_key,
)
from .vocab import EVIDENCE_LEVEL_CLASS, EVIDENCE_RANK, RDF

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["UNRANKED", "Level", "LevelFilter", "evidence_ranks", "finding_rank",
           "findings_strongest_first", "level_filter", "levels", "rank_key"]


def evidence_ranks(source: KnowledgeGraph | Graph) -> dict[str, int]:
    """Every evidence level's ``pvp:evidenceRank`` in a graph: ``{level IRI: rank}``.

    The one reader of the ranks. A level given two ranks keeps the stronger (smaller); a rank
    that is not an integer is ignored.

    >>> min(evidence_ranks(kg).values())
    1
    """
    graph = source if isinstance(source, Graph) else source.graph
    ranks: dict[str, int] = {}
    for level, rank in graph.subject_objects(EVIDENCE_RANK):
        if isinstance(level, URIRef) and isinstance(rank, Literal) and isinstance(
                rank.toPython(), int) and not isinstance(rank.toPython(), bool):
            value = int(rank.toPython())
            ranks[str(level)] = min(value, ranks.get(str(level), value))
    return ranks


def finding_rank(finding: Finding) -> int:
    """A finding's sort key: the strongest (lowest) rank of its evidence; :data:`UNRANKED`
    when none of it is ranked."""
    return min((rank_key(e) for e in finding.evidence), default=UNRANKED)


@dataclass(frozen=True, slots=True)
class Level:
    """An evidence level: its IRI, CURIE, label and rank (1 = strongest; None: unranked)."""

    iri: str
    curie: str
    label: str
    rank: int | None

    def __repr__(self) -> str:
        return f"Level({self.rank}: {self.label})"


def levels(kg: KnowledgeGraph) -> list[Level]:
    """Every evidence level of the graph, strongest first (unranked ones last, by label)."""
    ranks = kg.terms.ranks
    found = []
    for node in set(kg.graph.subjects(RDF.type, EVIDENCE_LEVEL_CLASS)):
        if isinstance(node, URIRef):
            iri = str(node)
            found.append(Level(iri, kg.terms.curie(iri), kg.terms.label(iri), ranks.get(iri)))
    return sorted(found, key=lambda lv: (lv.rank if lv.rank is not None else UNRANKED,
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

    def recommendations(self, recs: Iterable[Recommendation]) -> list[Recommendation]:
        """The recommendations with at least one source at the level or stronger."""
        return [r for r in recs if self.any(r.evidence)]

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
        return replace(answer, items=tuple(items), findings=tuple(self.findings(answer.findings)),
                       recommendations=tuple(self.recommendations(answer.recommendations)))


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

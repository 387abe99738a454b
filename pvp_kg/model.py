"""Immutable result types returned by the library.

Every value here is a frozen dataclass with a short, readable ``repr``; ``to_dict()`` gives a
JSON-ready view (used by ``--json`` on the command line).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Answer",
    "Concept",
    "Edge",
    "Evidence",
    "Finding",
    "Item",
    "Match",
    "Source",
]

Quantifier = Literal["all", "some"]


def as_dict(obj: Any) -> Any:
    """A dataclass value as JSON-ready data: dataclasses become dicts, tuples lists.

    The one ``to_dict`` of the library: every result and report type delegates here.
    """
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: as_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (tuple, list)):
        return [as_dict(x) for x in obj]
    return obj


_as_dict = as_dict


class _Serialisable:
    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dictionary of this value (nested values included)."""
        result: dict[str, Any] = _as_dict(self)
        return result


@dataclass(frozen=True, slots=True)
class Source(_Serialisable):
    """A bibliographic source (article, trial, guideline, the seed article).

    :ivar curie: compact id, e.g. ``src:S1``
    :ivar label: short citation
    :ivar url: resolvable link (DOI) when one is known
    :ivar level: evidence level label of the source
    """

    iri: str
    curie: str
    label: str
    url: str | None = None
    level: str | None = None

    def __repr__(self) -> str:
        return f"Source({self.curie}: {self.label})"


@dataclass(frozen=True, slots=True)
class Evidence(_Serialisable):
    """Why an edge or a number holds: its source, the evidence level and an optional note."""

    source: Source
    level: str | None = None
    note: str | None = None
    level_iri: str | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        level = f", {self.level}" if self.level else ""
        return f"Evidence({self.source.curie}{level})"


@dataclass(frozen=True, slots=True)
class Concept(_Serialisable):
    """A term of the graph (class, property or individual).

    :ivar types: CURIEs of its direct superclasses / types
    :ivar xrefs: cross-references to other code systems (``MESH:D…``, ``ICD10PCS:…``)
    """

    iri: str
    curie: str
    label: str
    definition: str | None = None
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Concept({self.curie}, {self.label!r})"

    def _repr_html_(self) -> str:  # Jupyter (pvp_kg/html.py)
        from .html import concept_html

        return concept_html(self)


@dataclass(frozen=True, slots=True)
class Edge(_Serialisable):
    """One edge of the uniform edge view, with its evidence.

    ``quantifier`` is ``"all"`` when the relation holds for every instance (an existential
    restriction or a subclass axiom) and ``"some"`` when it may hold (an asserted edge).
    ``derived_by`` says how the loader obtained it when it was not written as such.
    """

    subject: str
    predicate: str
    object: str
    evidence: tuple[Evidence, ...] = ()
    quantifier: Quantifier = "some"
    subject_label: str = ""
    predicate_label: str = ""
    object_label: str = ""
    derived_by: str | None = None

    def __repr__(self) -> str:
        src = ", ".join(e.source.curie for e in self.evidence) or "unsourced"
        return (
            f"Edge({self.subject_label or self.subject} --{self.predicate_label or self.predicate}"
            f"--> {self.object_label or self.object} [{src}])"
        )

    def describe(self) -> str:
        """Return the edge as a short sentence, e.g. ``cement leakage has risk factor …``."""
        qualifier = "" if self.quantifier == "all" else " (may)"
        return f"{self.subject_label} {self.predicate_label}{qualifier} {self.object_label}"


@dataclass(frozen=True, slots=True)
class Finding(_Serialisable):
    """A number (or a study result) as a node: value or range, unit, population, source."""

    iri: str
    curie: str
    label: str
    about: tuple[str, ...] = ()
    value: float | None = None
    min_value: float | None = None
    max_value: float | None = None
    unit: str | None = None
    numerator: int | None = None
    denominator: int | None = None
    sample_size: int | None = None
    population: str | None = None
    comparator: str | None = None
    time_point: str | None = None
    summary: str | None = None
    evidence: tuple[Evidence, ...] = ()
    conflicts_with: tuple[str, ...] = ()

    def quantity(self) -> str:
        """Return the number as text, e.g. ``70–90 %``, ``1.9 %, 34/1782`` or ``2.4×``."""
        unit = {"percent": " %", "minute": " min", "millilitre": " mL",
                "ratio (unitless)": "×"}.get(self.unit or "", "")
        if self.unit and not unit and self.unit not in ("count", "ratio (unitless)"):
            unit = f" {self.unit}"
        parts = []
        if self.min_value is not None or self.max_value is not None:
            lo = "" if self.min_value is None else _num(self.min_value)
            hi = "" if self.max_value is None else _num(self.max_value)
            bound = f"{lo}–{hi}" if lo and hi else (f"≥ {lo}" if lo else f"≤ {hi}")
            parts.append(f"{bound}{unit}")
        if self.value is not None:
            parts.append(f"{_num(self.value)}{unit}")
        if self.numerator is not None and self.denominator is not None:
            parts.append(f"{self.numerator}/{self.denominator}")
        if self.sample_size is not None:
            parts.append(f"n = {self.sample_size}")
        return ", ".join(parts)

    def __repr__(self) -> str:
        q = self.quantity()
        return f"Finding({self.label!r}{': ' + q if q else ''})"

    def _repr_html_(self) -> str:  # Jupyter (pvp_kg/html.py)
        from .html import findings_html

        return findings_html([self])


def _num(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True, slots=True)
class Item(_Serialisable):
    """One answer item of a typed method: the concept, why it is there, and its evidence.

    :ivar via: the edges that lead from the query's subject to this concept
    :ivar kind: a qualifier where the method has one (``absolute``/``relative``,
        ``subtype``/``consequence``, the step position …)
    :ivar findings: numbers about this concept
    :ivar details: further edges worth showing (inputs, devices, guidance of a step …)
    """

    concept: Concept
    via: tuple[Edge, ...] = ()
    kind: str | None = None
    findings: tuple[Finding, ...] = ()
    details: tuple[Edge, ...] = ()

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The evidence of every edge in :attr:`via`, in order, without repeats."""
        seen: dict[tuple[str, str | None], Evidence] = {}
        for edge in self.via:
            for ev in edge.evidence:
                seen.setdefault((ev.source.iri, ev.level), ev)
        return tuple(seen.values())

    @property
    def label(self) -> str:
        """The concept's label."""
        return self.concept.label

    def __repr__(self) -> str:
        kind = f", {self.kind}" if self.kind else ""
        src = ", ".join(sorted({e.source.curie for e in self.evidence}))
        return f"Item({self.concept.label!r}{kind}{' [' + src + ']' if src else ''})"

    def _repr_html_(self) -> str:  # Jupyter (pvp_kg/html.py)
        from .html import items_html

        return items_html([self])


@dataclass(frozen=True, slots=True)
class Match(_Serialisable):
    """A search hit: the concept, a 0–100 score and the text that matched."""

    concept: Concept
    score: float
    matched: str

    def __repr__(self) -> str:
        return f"Match({self.concept.label!r}, score={self.score:.0f}, matched={self.matched!r})"


@dataclass(frozen=True, slots=True)
class Answer(_Serialisable):
    """The answer to a question put to :meth:`KnowledgeGraph.ask`.

    ``concepts`` is empty when the question is not covered; ``explanation`` then says what the
    graph does not know. ``sparql`` is the query that produced the answer; ``query`` its name.
    """

    question: str
    intent: str | None
    concepts: tuple[Concept, ...] = ()
    explanation: str = ""
    sources: tuple[Source, ...] = ()
    sparql: str | None = None
    query: str | None = None
    items: tuple[Item, ...] = ()
    findings: tuple[Finding, ...] = ()
    linked: tuple[Concept, ...] = field(default=())
    verdict: str | None = None
    confidence: float = 0.0
    matched: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()

    @property
    def answered(self) -> bool:
        """True when the graph had an answer."""
        return bool(self.concepts) or bool(self.findings)

    @property
    def declined(self) -> bool:
        """True when the question was not understood or is not covered: no answer given.

        ``verdict`` is ``"yes"``/``"no"`` for a yes/no question the graph settles either
        way, and ``None`` otherwise (also when the graph does not record the fact).
        """
        return self.intent is None or not self.answered

    def __str__(self) -> str:
        lines = [f"Q: {self.question}", self.explanation]
        if self.sources:
            lines.append("Sources:")
            lines.extend(f"  [{s.curie}] {s.label}" + (f" <{s.url}>" if s.url else "")
                         for s in self.sources)
        if self.query:
            lines.append(f"(named query: {self.query})")
        return "\n".join(lines)

    def __repr__(self) -> str:
        names = ", ".join(c.label for c in self.concepts[:6])
        more = f", … {len(self.concepts) - 6} more" if len(self.concepts) > 6 else ""
        return f"Answer(intent={self.intent!r}, concepts=[{names}{more}])"

    def _repr_html_(self) -> str:  # Jupyter (pvp_kg/html.py)
        from .html import answer_html

        return answer_html(self)

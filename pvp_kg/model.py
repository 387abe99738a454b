"""Immutable result types returned by the library.

Every value here is a frozen dataclass with a short, readable ``repr``; ``to_dict()`` gives a
JSON-ready view (used by ``--json`` on the command line).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

__all__ = [
    "Answer",
    "Concept",
    "Edge",
    "Evidence",
    "Finding",
    "Item",
    "Match",
    "Recommendation",
    "Source",
]

Quantifier = Literal["all", "some"]


def as_dict(obj: Any) -> Any:
    """A dataclass value as JSON-ready data: dataclasses become dicts, tuples lists.

    The one ``to_dict`` of the library: every result and report type delegates here. A type
    may name derived properties to add (``_json_extra``), e.g. an item's strongest level.
    """
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        data = {f.name: as_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        for name in getattr(type(obj), "_json_extra", ()):
            data[name] = as_dict(getattr(obj, name))
        return data
    if isinstance(obj, (tuple, list)):
        return [as_dict(x) for x in obj]
    return obj


_as_dict = as_dict


class _Serialisable:
    _json_extra: ClassVar[tuple[str, ...]] = ()

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
    """Why an edge or a number holds: its source, the evidence level and an optional note.

    ``rank`` is the level's ``pvp:evidenceRank`` in the graph (1 = strongest; None when the
    level has none), so evidence sorts strongest first without the graph at hand.
    """

    source: Source
    level: str | None = None
    note: str | None = None
    level_iri: str | None = field(default=None, compare=False)
    rank: int | None = field(default=None, compare=False)

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


#: The sort key of evidence whose level has no ``pvp:evidenceRank`` (or no level): last.
UNRANKED = 1_000_000


def rank_key(evidence: Evidence | None) -> int:
    """Sort key of one piece of evidence: its level's rank, :data:`UNRANKED` without one."""
    if evidence is None or evidence.rank is None:
        return UNRANKED
    return evidence.rank


def strongest_first(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """``evidence`` ordered strongest level first (a stable sort: ties keep their order)."""
    return tuple(sorted(evidence, key=rank_key))


@dataclass(frozen=True, slots=True)
class Finding(_Serialisable):
    """A number (or a study result) as a node: value or range, unit, population, source.

    Trial numbers, where the source reports them: ``ci_lower``/``ci_upper`` (95 %
    confidence limits of ``value``), ``p_value``, ``comparator_value`` (the same measure in
    the comparison arm), ``intervention_arm_size``/``comparator_arm_size``, ``cohort_size``
    (the whole cohort, when the finding's own denominator is a part of it or unreported),
    ``outcome_measure``, ``effect_measure``, ``counted_unit`` (what the counts count) and
    ``study_design`` (its label). A finding about a subgroup (a band of cement volume) has
    the band's bounds, ``stratum_min``/``stratum_max``, in ``stratum_unit``. ``interventions``
    are the CURIEs of the procedures studied (``pvp:studiedIntervention``). ``study`` is the
    CURIE of the named trial, review or series it comes from (``pvp:fromStudy``), with its
    label ``study_label``; ``direction`` the CURIEs of the way its result came out
    (``pvp:resultDirection``: a benefit over the comparator, no significant difference …),
    recorded only where its source says so, with their labels ``direction_labels``. ``level``
    and ``rank`` are those of the strongest evidence.
    """

    _json_extra: ClassVar[tuple[str, ...]] = ("level", "rank")

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
    ci_lower: float | None = None
    ci_upper: float | None = None
    p_value: float | None = None
    comparator_value: float | None = None
    intervention_arm_size: int | None = None
    comparator_arm_size: int | None = None
    cohort_size: int | None = None
    outcome_measure: str | None = None
    effect_measure: str | None = None
    counted_unit: str | None = None
    study_design: str | None = None
    stratum_min: float | None = None
    stratum_max: float | None = None
    stratum_unit: str | None = None
    interventions: tuple[str, ...] = ()
    study: str | None = None
    study_label: str | None = None
    direction: tuple[str, ...] = ()
    direction_labels: tuple[str, ...] = ()

    @property
    def rank(self) -> int | None:
        """The ``pvp:evidenceRank`` of the strongest evidence (1 = strongest), or None."""
        ranks = [e.rank for e in self.evidence if e.rank is not None]
        return min(ranks) if ranks else None

    @property
    def level(self) -> str | None:
        """The label of the strongest evidence level behind the finding, or None."""
        best = strongest_first(self.evidence)
        return best[0].level if best else None

    def quantity(self) -> str:
        """Return the numbers as text, e.g. ``70–90 %``, ``1.9 %, 34/1782``,
        ``0.7 points (95 % CI −1.3 to 2.8), p = 0.49, n = 68 vs 63``, ``44 % vs 21 %`` or
        ``0.11 % at 3.5–7 mL, cohort n = 3175``."""
        unit = _unit(self.unit)
        parts = []
        if self.min_value is not None or self.max_value is not None:
            lo = "" if self.min_value is None else _num(self.min_value)
            hi = "" if self.max_value is None else _num(self.max_value)
            bound = f"{lo}–{hi}" if lo and hi else (f"≥ {lo}" if lo else f"≤ {hi}")
            parts.append(f"{bound}{unit}")
        if self.value is not None:
            text = f"{_num(self.value)}{unit}"
            if self.comparator_value is not None:
                text += f" vs {_num(self.comparator_value)}{unit}"
            if self.ci_lower is not None and self.ci_upper is not None:
                text += f" (95 % CI {_num(self.ci_lower)} to {_num(self.ci_upper)})"
            parts.append(text)
        band = self.stratum()
        if band and parts:
            parts[-1] += f" at {band}"
        elif band:
            parts.append(f"at {band}")
        if self.numerator is not None and self.denominator is not None:
            parts.append(f"{self.numerator}/{self.denominator}")
        if self.p_value is not None:
            parts.append(f"p = {_num(self.p_value)}")
        arms = (self.intervention_arm_size, self.comparator_arm_size)
        if arms[0] is not None and arms[1] is not None:
            parts.append(f"n = {arms[0]} vs {arms[1]}")
        elif self.sample_size is not None:
            parts.append(f"n = {self.sample_size}")
        if self.cohort_size is not None and self.sample_size is None and None in arms:
            parts.append(f"cohort n = {self.cohort_size}")
        return ", ".join(parts)

    def stratum(self) -> str:
        """The subgroup's band as text (``3.5–7 mL``, ``< 3.5 mL``, ``> 7 mL``), or ``""``."""
        lo, hi = self.stratum_min, self.stratum_max
        unit = _unit(self.stratum_unit)
        if lo is not None and hi is not None:
            return f"{_num(lo)}–{_num(hi)}{unit}"
        if hi is not None:
            return f"< {_num(hi)}{unit}"
        if lo is not None:
            return f"> {_num(lo)}{unit}"
        return ""

    def describe(self) -> str:
        """The numbers with what was measured, when and how: ``quantity()``, then the outcome
        measure at its time point, then the study design, e.g. ``0.7 points (95 % CI −1.3 to
        2.8), p = 0.49, n = 68 vs 63, Roland-Morris … at 1 month, sham-controlled trial``."""
        parts = [self.quantity()]
        measure = self.outcome_measure
        if measure and self.time_point:
            parts.append(f"{measure} at {self.time_point}")
        elif measure or self.time_point:
            parts.append(measure or f"at {self.time_point}")
        if self.study_design:
            parts.append(self.study_design.removesuffix(" (design)"))
        return ", ".join(p for p in parts if p)

    def study_result(self) -> str:
        """The study and the direction of its result, e.g. ``VAPOUR trial; result: significant
        benefit over sham``, or ``""`` when neither is recorded."""
        parts = [self.study_label] if self.study_label else []
        if self.direction_labels:
            parts.append(f"result: {', '.join(self.direction_labels)}")
        return "; ".join(parts)

    def __repr__(self) -> str:
        q = self.quantity()
        return f"Finding({self.label!r}{': ' + q if q else ''})"

    def _repr_html_(self) -> str:  # Jupyter (pvp_kg/html.py)
        from .html import findings_html

        return findings_html([self])


def _unit(label: str | None) -> str:
    """The unit of a number as written after it: `` %``, `` min``, ``×``, `` points``."""
    unit = {"percent": " %", "minute": " min", "millilitre": " mL",
            "ratio (unitless)": "×"}.get(label or "", "")
    if label and not unit and label not in ("count", "ratio (unitless)"):
        unit = f" {label}"
    return unit


def _num(x: float) -> str:
    return f"{x:g}".replace("-", "\u2212")


def findings_strongest_first(findings: tuple[Finding, ...] | list[Finding]
                             ) -> tuple[Finding, ...]:
    """``findings`` without repeats, strongest evidence first (then by label, then CURIE)."""
    unique = {f.iri: f for f in findings}.values()
    return tuple(sorted(unique, key=lambda f: (UNRANKED if f.rank is None else f.rank,
                                               f.label, f.curie)))


@dataclass(frozen=True, slots=True)
class Item(_Serialisable):
    """One answer item of a typed method: the concept, why it is there, and its evidence.

    :ivar via: the edges that lead from the query's subject to this concept
    :ivar kind: a qualifier where the method has one (``absolute``/``relative``,
        ``subtype``/``consequence``, the step position …)
    :ivar findings: numbers about this concept
    :ivar details: further edges worth showing (inputs, devices, guidance of a step …)
    """

    _json_extra: ClassVar[tuple[str, ...]] = ("evidence", "level")

    concept: Concept
    via: tuple[Edge, ...] = ()
    kind: str | None = None
    findings: tuple[Finding, ...] = ()
    details: tuple[Edge, ...] = ()

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The evidence of every edge in :attr:`via`, without repeats, strongest level first
        (edges in order among equals)."""
        seen: dict[tuple[str, str | None], Evidence] = {}
        for edge in self.via:
            for ev in edge.evidence:
                seen.setdefault((ev.source.iri, ev.level), ev)
        return strongest_first(tuple(seen.values()))

    @property
    def level(self) -> str | None:
        """The label of the strongest evidence level behind :attr:`via`, or None."""
        evidence = self.evidence
        return evidence[0].level if evidence else None

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
class Recommendation(_Serialisable):
    """A guideline's position on a procedure: who issued it, when, for whom, which way.

    :ivar body: the issuing body's short name (its abbreviation, e.g. ``NICE``)
    :ivar body_label: the body's full name; ``body_iri`` its IRI
    :ivar direction: ``for``, ``for selected patients only``, ``against`` or ``no
        recommendation (evidence insufficient)`` (the label of ``direction_iri``)
    :ivar strength: the guideline's own wording of its strength, or a note that none is stated
    :ivar statement: what the recommendation says, in the project's words
    :ivar conditions: CURIEs of the conditions of the patients it covers
    :ivar procedures: CURIEs of the procedures it is about
    :ivar requirements: what it makes a condition of doing the procedure, each as (the kind of
        requirement — ``has eligibility criterion``, ``has exclusion criterion``, ``requires
        practice`` or ``decision agreed by`` —, the CURIE of the required concept), in that
        order
    :ivar evidence: its sources, each at the node's evidence level; ``level``/``rank`` those
        of the strongest
    """

    iri: str
    curie: str
    label: str
    body: str
    body_label: str
    body_iri: str
    year: int | None
    direction: str
    direction_iri: str
    strength: str | None = None
    population: str | None = None
    statement: str | None = None
    conditions: tuple[str, ...] = ()
    procedures: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    level: str | None = None
    rank: int | None = None
    requirements: tuple[tuple[str, str], ...] = ()

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources of the recommendation."""
        return tuple(e.source for e in self.evidence)

    def describe(self) -> str:
        """One line: ``NICE 2013: for selected patients only — <population> [src:…; level]``."""
        who = f"{self.body} {self.year}" if self.year is not None else self.body
        population = f" — {self.population}" if self.population else ""
        cited = ", ".join(s.curie for s in self.sources)
        level = self.level or "level not recorded"
        return f"{who}: {self.direction}{population} [{cited}; {level}]"

    def __repr__(self) -> str:
        who = f"{self.body} {self.year}" if self.year is not None else self.body
        return f"Recommendation({who}: {self.direction})"


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
    ``recommendations`` holds the guideline positions of a guideline question.
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
    recommendations: tuple[Recommendation, ...] = ()

    @property
    def answered(self) -> bool:
        """True when the graph had an answer."""
        return bool(self.concepts) or bool(self.findings) or bool(self.recommendations)

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

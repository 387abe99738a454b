"""Results as pandas DataFrames with typed columns (the ``tables`` extra).

:func:`to_dataframe` takes what the library returns — a list of :class:`~pvp_kg.Item`,
:class:`~pvp_kg.Finding`, :class:`~pvp_kg.Edge`, :class:`~pvp_kg.Match`,
:class:`~pvp_kg.Concept` or :class:`~pvp_kg.Source`, or the rows of a SPARQL SELECT
(:class:`~pvp_kg.SelectResult`) — and gives one row per result:

- numbers are numbers: ``value``, ``min_value``, ``max_value`` and ``score`` are ``float64``;
  ``numerator``, ``denominator``, ``sample_size`` and ``level_rank`` are pandas' nullable
  ``Int64``; booleans are ``boolean``; texts are ``string``;
- the evidence is in columns: ``source`` and ``level`` are the source and level of the
  strongest evidence (``level_rank`` its rank, 1 = strongest), ``sources`` and ``levels``
  all of them joined by ``"; "``;
- SPARQL values become Python values by their datatype (``xsd:integer`` → ``Int64``,
  ``xsd:decimal`` / ``xsd:double`` → ``float64``, ``xsd:boolean`` → ``boolean``,
  ``xsd:date`` → ``datetime64``), IRIs and plain literals strings; a column mixing kinds is
  left as objects.

>>> import pvp_kg
>>> kg = pvp_kg.load()
>>> df = pvp_kg.to_dataframe(kg.findings())  # doctest: +SKIP
>>> df["value"].dtype  # doctest: +SKIP
dtype('float64')
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef

from ._optional import require
from .errors import InvalidInputError
from .model import Concept, Edge, Evidence, Finding, Item, Match, Source
from .sparql import SelectResult

if TYPE_CHECKING:
    import pandas

    from .graph import KnowledgeGraph

__all__ = ["to_dataframe"]

_JOIN = "; "


def _pandas() -> Any:
    return require("pandas", feature="to_dataframe()", extra="tables")


def _strongest(evidence: Sequence[Evidence], ranks: dict[str, int | None] | None
               ) -> tuple[Evidence | None, int | None]:
    best: tuple[Evidence | None, int | None] = (None, None)
    for ev in evidence:
        iri = ev.level_iri or ""
        rank = ranks.get(iri) if ranks is not None else ev.rank
        if best[0] is None or (rank is not None and (best[1] is None or rank < best[1])):
            best = (ev, rank)
    return best


def _evidence_columns(evidence: Sequence[Evidence], ranks: dict[str, int | None] | None
                      ) -> dict[str, Any]:
    best, rank = _strongest(evidence, ranks)
    return {
        "source": best.source.curie if best else None,
        "level": best.level if best else None,
        "level_rank": rank,
        "sources": _JOIN.join(dict.fromkeys(e.source.curie for e in evidence)) or None,
        "levels": _JOIN.join(dict.fromkeys(e.level for e in evidence if e.level)) or None,
    }


def _join(values: Iterable[str]) -> str | None:
    return _JOIN.join(values) or None


def _item_row(item: Item, ranks: dict[str, int | None] | None) -> dict[str, Any]:
    c = item.concept
    return {"curie": c.curie, "label": c.label, "kind": item.kind,
            **_evidence_columns(item.evidence, ranks),
            "path": " / ".join(e.describe() for e in item.via) or None,
            "findings": len(item.findings), "definition": c.definition, "iri": c.iri}


def _finding_row(f: Finding, ranks: dict[str, int | None] | None) -> dict[str, Any]:
    return {"curie": f.curie, "label": f.label, "about": _join(f.about),
            "value": f.value, "min_value": f.min_value, "max_value": f.max_value,
            "unit": f.unit, "numerator": f.numerator, "denominator": f.denominator,
            "sample_size": f.sample_size, "population": f.population,
            "comparator": f.comparator, "time_point": f.time_point, "summary": f.summary,
            "ci_lower": f.ci_lower, "ci_upper": f.ci_upper, "p_value": f.p_value,
            "comparator_value": f.comparator_value,
            "intervention_arm_size": f.intervention_arm_size,
            "comparator_arm_size": f.comparator_arm_size, "cohort_size": f.cohort_size,
            "outcome_measure": f.outcome_measure, "study_design": f.study_design,
            "study": f.study_label, "direction": _join(f.direction_labels),
            **_evidence_columns(f.evidence, ranks),
            "conflicts_with": _join(f.conflicts_with), "iri": f.iri}


def _edge_row(e: Edge, ranks: dict[str, int | None] | None) -> dict[str, Any]:
    return {"subject": e.subject, "predicate": e.predicate, "object": e.object,
            "subject_label": e.subject_label, "predicate_label": e.predicate_label,
            "object_label": e.object_label, "quantifier": e.quantifier,
            "derived_by": e.derived_by, **_evidence_columns(e.evidence, ranks)}


def _concept_row(c: Concept) -> dict[str, Any]:
    return {"curie": c.curie, "label": c.label, "definition": c.definition,
            "synonyms": _join(c.synonyms), "abbreviations": _join(c.abbreviations),
            "types": _join(c.types), "xrefs": _join(c.xrefs), "iri": c.iri}


def _match_row(m: Match) -> dict[str, Any]:
    return {"curie": m.concept.curie, "label": m.concept.label, "score": m.score,
            "matched": m.matched, "iri": m.concept.iri}


def _source_row(s: Source) -> dict[str, Any]:
    return {"curie": s.curie, "label": s.label, "url": s.url, "level": s.level, "iri": s.iri}


_FLOAT = {"value", "min_value", "max_value", "score", "ci_lower", "ci_upper", "p_value",
          "comparator_value"}
_INT = {"numerator", "denominator", "sample_size", "level_rank", "findings",
        "intervention_arm_size", "comparator_arm_size", "cohort_size"}


def _typed(pd: Any, rows: list[dict[str, Any]]) -> pandas.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(rows[0]) if rows else None)
    for col in frame.columns:
        if col in _FLOAT:
            frame[col] = frame[col].astype("float64")
        elif col in _INT:
            frame[col] = frame[col].astype("Int64")
        else:
            frame[col] = frame[col].astype("string")
    return frame


def _python(node: Any) -> Any:
    if node is None:
        return None
    if isinstance(node, Literal):
        value = node.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, Literal):  # a datatype rdflib does not convert
            return str(value)
        return value
    if isinstance(node, (URIRef, BNode)):
        return str(node)
    return node


def _sparql_column(pd: Any, values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    kinds = {type(v) for v in present}
    if kinds and kinds <= {bool}:
        return pd.array(values, dtype="boolean")
    if kinds and kinds <= {int}:
        return pd.array(values, dtype="Int64")
    if kinds and kinds <= {int, float}:
        return pd.array([None if v is None else float(v) for v in values], dtype="float64")
    if kinds and all(issubclass(k, (_dt.date, _dt.datetime)) for k in kinds):
        return pd.to_datetime(pd.Series(values, dtype="object"))
    if kinds and kinds <= {str}:
        return pd.array(values, dtype="string")
    return pd.Series(values, dtype="object").array


def _sparql_frame(pd: Any, result: SelectResult) -> pandas.DataFrame:
    columns = {}
    for i, var in enumerate(result.vars):
        columns[var] = _sparql_column(pd, [_python(row[i]) for row in result.rows])
    return pd.DataFrame(columns, columns=list(result.vars))


def to_dataframe(results: object, *, kg: KnowledgeGraph | None = None) -> pandas.DataFrame:
    """Return ``results`` as a :class:`pandas.DataFrame`, one row per result.

    :param results: a list of items, findings, edges, matches, concepts or sources (one kind),
        or a :class:`~pvp_kg.SelectResult` of SPARQL rows
    :param kg: a graph whose evidence-level ranks decide the strongest evidence (without
        it, the rank each evidence carries from the graph it came from is used)
    :raises InvalidInputError: something that is not a list of results, or a mix of kinds
    :raises MissingDependencyError: pandas is not installed (the ``tables`` extra)
    """
    pd = _pandas()
    if isinstance(results, SelectResult):
        return _sparql_frame(pd, results)
    if isinstance(results, (str, bytes, dict)) or not isinstance(results, Iterable):
        raise InvalidInputError("to_dataframe() takes a list of results (items, findings, "
                                f"edges …) or SPARQL rows, not {type(results).__name__}")
    values = list(results)
    ranks: dict[str, int | None] | None = None
    if kg is not None:
        ranks = dict(kg.terms.ranks)
    kinds = {type(v) for v in values}
    if len(kinds) > 1:
        names = ", ".join(sorted(k.__name__ for k in kinds))
        raise InvalidInputError(f"to_dataframe() needs results of one kind, not a mix of {names}")
    if not values:
        return pd.DataFrame()
    kind = kinds.pop()
    makers: dict[type, Any] = {
        Item: lambda v: _item_row(v, ranks), Finding: lambda v: _finding_row(v, ranks),
        Edge: lambda v: _edge_row(v, ranks), Concept: _concept_row, Match: _match_row,
        Source: _source_row,
    }
    if kind not in makers:
        raise InvalidInputError(f"to_dataframe() cannot tabulate {kind.__name__} values")
    return _typed(pd, [makers[kind](v) for v in values])

"""HTML views of results, for Jupyter (``_repr_html_``) and anything else that shows HTML.

``Answer``, ``Concept``, ``Item`` and ``Finding`` call these from their ``_repr_html_``;
:func:`register_ipython` (run on ``import pvp_kg`` inside IPython) makes plain lists of items or
findings show as tables too. Every text is escaped; links go to the sources' DOIs. An answer
shows its explanation drawn inline when Graphviz is installed (else the table alone). Sources
are listed strongest evidence first, by the bundled ontology's ``pvp:evidenceRank``.

>>> from pvp_kg.model import Concept
>>> "<b>cement &amp; co</b>" in concept_html(Concept("urn:x", "pvp:X", "cement & co"))
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Answer, Concept, Evidence, Finding, Item

__all__ = ["answer_html", "concept_html", "findings_html", "items_html", "register_ipython"]

_STYLE = ("border-collapse:collapse;text-align:left;font-size:0.9em")
_CELL = "border-bottom:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top"


def _sources(evidence: Iterable[Evidence]) -> str:
    from .model import rank_key

    parts = []
    seen: set[tuple[str, str | None]] = set()
    for ev in sorted(evidence, key=rank_key):
        if (ev.source.iri, ev.level) in seen:
            continue
        seen.add((ev.source.iri, ev.level))
        name = escape(ev.source.curie)
        if ev.source.url:
            name = f'<a href="{escape(ev.source.url)}" title="{escape(ev.source.label)}">{name}</a>'
        level = f" <i>({escape(ev.level)})</i>" if ev.level else ""
        parts.append(name + level)
    return "<br>".join(parts) or "<i>no source</i>"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    th = "".join(f'<th style="{_CELL}">{escape(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f'<td style="{_CELL}">{c}</td>' for c in row) + "</tr>"
                   for row in rows)
    return f'<table style="{_STYLE}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def concept_html(concept: Concept) -> str:
    """A concept: label, CURIE, definition, synonyms, abbreviations, types and codes."""
    lines = [f"<b>{escape(concept.label)}</b> <code>{escape(concept.curie)}</code>"]
    if concept.definition:
        lines.append(escape(concept.definition))
    for name, values in (("synonyms", concept.synonyms), ("abbreviations", concept.abbreviations),
                         ("is a", concept.types), ("codes", concept.xrefs)):
        if values:
            lines.append(f"<i>{name}:</i> {escape(', '.join(values))}")
    return '<div class="pvp-kg-concept">' + "<br>".join(lines) + "</div>"


def _why(item: Item) -> str:
    from .explain import format_path

    return escape(format_path(item.via)) if item.via else ""


def items_html(items: Sequence[Item]) -> str:
    """Answer items as a table: concept, kind, the path that links it, and its sources."""
    rows = [[f"<b>{escape(i.concept.label)}</b><br><code>{escape(i.concept.curie)}</code>",
             escape(i.kind or ""), _why(i),
             "<br>".join(f"{escape(f.label)}: {escape(f.quantity())}" for f in i.findings),
             _sources(i.evidence)] for i in items]
    return _table(["concept", "kind", "why", "numbers", "sources"], rows)


def findings_html(findings: Sequence[Finding]) -> str:
    """Findings as a table: what, the number, population and time, and the sources."""
    rows = [[escape(f.label) + (f"<br><small>{escape(f.summary)}</small>" if f.summary else ""),
             escape(f.quantity()),
             escape(" · ".join(x for x in (f.population, f.time_point, f.comparator) if x)),
             _sources(f.evidence)] for f in findings]
    return _table(["finding", "number", "population · time · comparator", "sources"], rows)


def answer_html(answer: Answer) -> str:
    """An answer: the question, its summary, the drawing, items, findings and sources."""
    from .draw import answer_drawing
    from .errors import DrawError, MissingDependencyError

    parts = [f"<p><b>Q: {escape(answer.question)}</b></p>"]
    summary = answer.explanation.splitlines()[0] if answer.explanation else ""
    parts.append(f"<p>{escape(summary if answer.answered else answer.explanation)}</p>")
    if answer.items:
        try:
            parts.append(f"<div>{answer_drawing(answer).svg_inline()}</div>")
        except (DrawError, MissingDependencyError) as exc:  # Graphviz missing, nothing to draw
            parts.append(f"<p><small>(no drawing: {escape(str(exc))})</small></p>")
        parts.append(items_html(answer.items))
    if answer.findings:
        parts.append(findings_html(answer.findings))
    if answer.sources:
        rows = [[escape(s.curie), escape(s.label), escape(s.level or ""),
                 f'<a href="{escape(s.url)}">{escape(s.url)}</a>' if s.url else ""]
                for s in answer.sources]
        parts.append("<p><b>Sources</b></p>" + _table(["source", "", "level", "link"], rows))
    return '<div class="pvp-kg-answer">' + "".join(parts) + "</div>"


def _list_html(value: list[Any]) -> str | None:
    """HTML for a non-empty list of items or of findings; None for any other list."""
    from .model import Finding, Item

    if value and all(isinstance(v, Item) for v in value):
        return items_html(value)
    if value and all(isinstance(v, Finding) for v in value):
        return findings_html(value)
    return None


def register_ipython(shell: Any = None) -> bool:
    """Have IPython show lists of items and findings as tables; True if it did.

    With no ``shell``, the running IPython (if any); does nothing outside IPython.
    """
    if shell is None:
        import sys

        ipython = sys.modules.get("IPython")
        get = getattr(ipython, "get_ipython", None)
        shell = get() if get is not None else None
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", None)
    if not formatters or "text/html" not in formatters:
        return False
    formatters["text/html"].for_type(list, _list_html)
    return True

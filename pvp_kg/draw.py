"""Pictures of the reasoning: a concept's neighbourhood, an answer's explanation, a path.

One renderer serves the web page, :meth:`KnowledgeGraph.draw` and ``pvp-kg draw``. It turns
:class:`~pvp_kg.model.Edge` values (which carry their labels and evidence) into a Graphviz
graph, laid out by Debian's / your system's ``dot`` through the ``graphviz`` binding (the
``draw`` extra), as SVG or PNG.

What a picture shows:

- nodes: the concepts, by label (wrapped); the concepts the picture is about are filled;
- edges: the relation's label, then the sources behind it (``S2, S9``); a solid line holds for
  every instance (an axiom), a dashed line may hold (an asserted edge);
- colour: the best evidence level behind the edge, by the level's ``pvp:evidenceRank`` in the
  graph (legend in the corner); the SVG's hover text on every edge names each source with its
  level, strongest first.

Nothing clinical is written here: labels, sources and levels come from the graph.

>>> from pvp_kg.model import Edge
>>> d = draw_edges([Edge("urn:a", "urn:p", "urn:b", subject_label="a", predicate_label="p",
...                      object_label="b")], title="a to b")
>>> "a to b" in d.dot and '"urn:a" -> "urn:b"' in d.dot
True
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ._check import check_int
from ._optional import require
from .errors import DrawError, InvalidInputError
from .evidence import evidence_ranks
from .model import UNRANKED, Answer, Edge, Evidence, Item, rank_key

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = [
    "PALETTE",
    "UNRANKED",
    "DrawError",
    "Drawing",
    "Ranks",
    "answer_drawing",
    "draw",
    "draw_edges",
    "evidence_ranks",
    "item_drawing",
    "level_colour",
    "level_rank",
    "neighbourhood_drawing",
    "path_drawing",
]

ImageFormat = Literal["svg", "png", "dot"]
#: Hrefs for nodes: given a node IRI, return the link (or None for no link).
Linker = Callable[[str], "str | None"]

#: Evidence level IRI → its ``pvp:evidenceRank`` (1 = strongest), as read from a graph.
Ranks = Mapping[str, int]

#: Edge colours by strength of evidence, strongest first: the i-th strongest evidence level
#: of the graph gets the i-th colour (the weakest levels share the last one).
PALETTE: tuple[str, ...] = ("#1b7837", "#01665e", "#4d9221", "#2166ac", "#6a3d9a", "#8c510a",
                            "#c51b7d", "#525252", "#d95f02")
_NO_EVIDENCE = "#9e9e9e"
_FOCUS_FILL = "#fff2cc"
_FOCUS_EDGE = "#e0b000"
_FONT = "Helvetica,Arial,sans-serif"
#: Most edges one picture holds; a larger neighbourhood is cut (nearest edges kept).
MAX_EDGES = 60


def level_rank(evidence: Evidence | None, ranks: Ranks | None = None) -> int:
    """Sort key of an evidence: its level's ``pvp:evidenceRank`` (1 = strongest).

    Evidence with no level, or a level without a rank, sorts last (:data:`UNRANKED`).

    :param ranks: ranks to use instead (:func:`evidence_ranks` of another graph); None: the
        rank the evidence carries from its graph

    >>> level_rank(None) == UNRANKED
    True
    """
    if ranks is None:
        return rank_key(evidence)
    if evidence is None or evidence.level_iri is None:
        return UNRANKED
    return ranks.get(evidence.level_iri, UNRANKED)


def level_colour(level_iri: str | None, ranks: Ranks) -> str:
    """The colour of an evidence level: by its place among the graph's ranks, strongest first."""
    if level_iri is None or level_iri not in ranks:
        return _NO_EVIDENCE
    order = sorted(set(ranks.values()))
    return PALETTE[min(order.index(ranks[level_iri]), len(PALETTE) - 1)]


def _best(evidence: Sequence[Evidence], ranks: Ranks) -> Evidence | None:
    return min(evidence, key=lambda e: level_rank(e, ranks)) if evidence else None


def _short(curie: str) -> str:
    return curie.split(":", 1)[1] if curie.startswith("src:") else curie


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


@dataclass(frozen=True)
class Drawing:
    """A picture as Graphviz DOT text; :meth:`svg`, :meth:`png` or :meth:`save` render it.

    In Jupyter a drawing shows itself inline (as SVG).
    """

    dot: str
    title: str
    edges: tuple[Edge, ...] = field(default=(), repr=False)

    def render(self, format: ImageFormat = "svg") -> bytes:
        """Return the picture as ``svg``, ``png`` or ``dot`` bytes.

        :raises MissingDependencyError: the ``graphviz`` binding (the ``draw`` extra) is missing
        :raises DrawError: Graphviz's ``dot`` program is missing, or it failed
        """
        if format == "dot":
            return self.dot.encode("utf-8")
        if format not in ("svg", "png"):
            raise InvalidInputError(f"format must be 'svg', 'png' or 'dot', not {format!r}")
        graphviz = require("graphviz", feature="drawing a picture", extra="draw")
        try:
            dot = self.dot if format == "svg" else self.dot.replace(
                "digraph pvp {", "digraph pvp {\n  graph [dpi=144];", 1)
            data: bytes = graphviz.pipe("dot", format, dot.encode("utf-8"), quiet=True)
        except graphviz.ExecutableNotFound as exc:
            raise DrawError("Graphviz's dot program is not installed "
                            "(e.g. apt-get install graphviz)") from exc
        except graphviz.CalledProcessError as exc:
            detail = (exc.stderr or b"").decode("utf-8", "replace").strip()[-400:]
            raise DrawError(f"dot could not draw {self.title!r}: {detail}") from exc
        return data

    def svg(self) -> str:
        """The picture as an SVG document (text)."""
        return self.render("svg").decode("utf-8")

    def svg_inline(self) -> str:
        """The ``<svg>`` element alone (no XML prolog or DOCTYPE), for embedding in HTML."""
        text = self.svg()
        start = text.find("<svg")
        return _strip_comments(text[start:] if start >= 0 else text)

    def png(self) -> bytes:
        """The picture as PNG bytes."""
        return self.render("png")

    def save(self, path: str | Path, format: ImageFormat | None = None) -> Path:
        """Write the picture to ``path``; the format comes from the extension unless given.

        :raises InvalidInputError: the extension is not .svg, .png or .dot
        """
        target = Path(path)
        chosen = format or target.suffix.lower().lstrip(".")
        if chosen not in ("svg", "png", "dot"):
            raise InvalidInputError(f"cannot tell the picture format of {str(path)!r}: "
                                    "use a .svg, .png or .dot name (or give format=)")
        target.write_bytes(self.render(chosen))  # type: ignore[arg-type]
        return target

    def _repr_svg_(self) -> str:  # Jupyter
        return self.svg_inline()

    def __repr__(self) -> str:
        return f"Drawing({self.title!r}, {len(self.edges)} edges)"


_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _strip_comments(svg: str) -> str:
    return _COMMENT.sub("", svg)


def _quote(text: str) -> str:
    """A DOT double-quoted string (labels keep ``\\n`` as line breaks)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n") + '"'


def _attrs(**values: str | None) -> str:
    parts = [f"{k}={_quote(v)}" for k, v in values.items() if v is not None]
    return f" [{', '.join(parts)}]" if parts else ""


def _evidence_text(evidence: Sequence[Evidence], ranks: Ranks) -> str:
    lines = []
    for ev in sorted(evidence, key=lambda e: level_rank(e, ranks)):
        level = f" ({ev.level})" if ev.level else ""
        lines.append(f"{ev.source.curie}: {ev.source.label}{level}")
    return "\n".join(lines) or "no source recorded"


def _legend(edges: Sequence[Edge], focus: bool, ranks: Ranks) -> str:
    """An HTML-like table: line styles, and the evidence levels this picture uses."""
    used: dict[str, str] = {}
    for edge in edges:
        best = _best(edge.evidence, ranks)
        if best is not None and best.level_iri is not None:
            used.setdefault(best.level_iri, best.level or best.level_iri)
    rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>key</B></TD></TR>',
            '<TR><TD ALIGN="LEFT">——</TD><TD ALIGN="LEFT">holds for every case</TD></TR>',
            '<TR><TD ALIGN="LEFT">- - -</TD><TD ALIGN="LEFT">may hold</TD></TR>']
    if focus:
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{_FOCUS_EDGE}">■■</FONT></TD>'
                    '<TD ALIGN="LEFT">what the picture is about</TD></TR>')
    for iri in sorted(used, key=lambda i: (ranks.get(i, UNRANKED), used[i])):
        colour = level_colour(iri, ranks)
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{colour}">■■</FONT></TD>'
                    f'<TD ALIGN="LEFT">{_html_escape(used[iri])}</TD></TR>')
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">'
            + "".join(rows) + "</TABLE>>")


def _html_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def draw_edges(edges: Iterable[Edge], *, title: str, focus: Iterable[str] = (),
               link: Linker | None = None, source_link: Linker | None = None,
               rankdir: str = "LR", legend: bool = True,
               ranks: Ranks | None = None) -> Drawing:
    """Draw ``edges`` (repeats dropped) as one picture.

    :param title: the caption, shown under the picture
    :param focus: IRIs of the nodes the picture is about (drawn filled)
    :param link: gives each node's link (e.g. a concept page); None: no links
    :param source_link: gives each edge's link from its best source's IRI; None: no links
    :param rankdir: ``LR`` (left to right) or ``TB`` (top to bottom)
    :param legend: add the key (line styles and evidence colours)
    :param ranks: the evidence ranks that order and colour the evidence
        (:func:`evidence_ranks` of the graph); None: the ranks the evidence carries
    """
    unique: dict[tuple[str, str, str], Edge] = {}
    for edge in edges:
        unique.setdefault((edge.subject, edge.predicate, edge.object), edge)
    chosen = tuple(unique.values())
    if ranks is None:
        ranks = {e.level_iri: e.rank for edge in chosen for e in edge.evidence
                 if e.level_iri is not None and e.rank is not None}
    focus_set = set(focus)
    labels: dict[str, str] = {}
    for edge in chosen:
        labels.setdefault(edge.subject, edge.subject_label or edge.subject)
        labels.setdefault(edge.object, edge.object_label or edge.object)
    lines = [
        "digraph pvp {",
        f"  graph{_attrs(label=title, labelloc='b', fontname=_FONT, fontsize='12', rankdir=rankdir, nodesep='0.3', ranksep='0.45', bgcolor='white', pad='0.2', tooltip=title)};",  # noqa: E501
        f"  node{_attrs(shape='box', style='rounded', fontname=_FONT, fontsize='11', color='#444444', margin='0.12,0.05')};",  # noqa: E501
        f"  edge{_attrs(fontname=_FONT, fontsize='9', arrowsize='0.7')};",
    ]
    for iri, label in labels.items():
        href = link(iri) if link is not None else None
        attrs = {"label": _wrap(label, 22), "tooltip": label, "URL": href,
                 "target": "_top" if href else None}
        if iri in focus_set:
            attrs.update(style="rounded,filled,bold", fillcolor=_FOCUS_FILL)
        lines.append(f"  {_quote(iri)}{_attrs(**attrs)};")
    for edge in chosen:
        best = _best(edge.evidence, ranks)
        colour = level_colour(best.level_iri, ranks) if best else _NO_EVIDENCE
        sources = ", ".join(dict.fromkeys(_short(e.source.curie) for e in edge.evidence))
        label = _wrap(edge.predicate_label or edge.predicate, 20)
        if sources:
            label += f"\n[{sources}]"
        tip = (f"{edge.subject_label} — {edge.predicate_label} → {edge.object_label}"
               f"{'' if edge.quantifier == 'all' else ' (may)'}\n"
               f"{_evidence_text(edge.evidence, ranks)}")
        href = source_link(best.source.iri) if (source_link and best) else None
        lines.append(
            f"  {_quote(edge.subject)} -> {_quote(edge.object)}"
            + _attrs(label=label, color=colour, fontcolor=colour, tooltip=tip,
                     labeltooltip=tip, URL=href, target="_top" if href else None,
                     style="solid" if edge.quantifier == "all" else "dashed"))
    if legend and chosen:
        key = _attrs(shape="plaintext", fontsize="9", tooltip="key")[:-1]
        table = _legend(chosen, bool(focus_set & set(labels)), ranks)
        lines.append(f"  legend{key}, label={table}];")
    lines.append("}")
    return Drawing("\n".join(lines) + "\n", title, chosen)


# -- what the library draws ------------------------------------------------------------------

def neighbourhood_drawing(kg: KnowledgeGraph, concept: str, *, depth: int = 1,
                          max_edges: int = MAX_EDGES, link: Linker | None = None,
                          source_link: Linker | None = None) -> Drawing:
    """The edges within ``depth`` steps of a concept (nearest first, at most ``max_edges``).

    :raises ConceptNotFoundError: no such concept
    :raises InvalidInputError: depth outside 1–3 or max_edges below 1
    """
    check_int(depth, "depth", low=1, high=3)
    check_int(max_edges, "max_edges", low=1, high=10**6)
    c = kg.concept(concept)
    edges = kg.related(c.iri, depth=depth)
    shown = edges[:max_edges]
    title = f"{c.label}: neighbourhood"
    if len(edges) > len(shown):
        title += f" ({len(shown)} of {len(edges)} edges)"
    return draw_edges(shown, title=title, focus=[c.iri], link=link, source_link=source_link,
                      ranks=evidence_ranks(kg))


def path_drawing(kg: KnowledgeGraph, start: str, end: str, *, max_paths: int = 5,
                 link: Linker | None = None, source_link: Linker | None = None) -> Drawing:
    """The shortest paths from ``start`` to ``end`` (:meth:`KnowledgeGraph.explain`).

    :raises ConceptNotFoundError: either concept is unknown
    :raises DrawError: no path joins them
    """
    a, b = kg.concept(start), kg.concept(end)
    found = kg.explain(a.iri, b.iri, max_paths=max_paths)
    if not found:
        raise DrawError(f"no path joins {a.label!r} and {b.label!r}")
    edges = [e for path in found for e in path]
    return draw_edges(edges, title=f"{a.label} → {b.label}", focus=[a.iri, b.iri], link=link,
                      source_link=source_link, ranks=evidence_ranks(kg))


def item_drawing(item: Item, *, subject: Iterable[str] = (), link: Linker | None = None,
                 source_link: Linker | None = None, legend: bool = False,
                 ranks: Ranks | None = None) -> Drawing:
    """The path behind one answer item: its ``via`` edges (and the item itself, filled).

    :param ranks: the graph's evidence ranks; None: those the evidence carries
    """
    edges = item.via
    if not edges:  # an item with no path still gets a picture of itself
        edges = tuple(item.details[:1])
    return draw_edges(edges, title=f"why: {item.concept.label}",
                      focus=[item.concept.iri, *subject], link=link,
                      source_link=source_link, legend=legend, ranks=ranks)


def answer_drawing(answer: Answer, *, link: Linker | None = None,
                   source_link: Linker | None = None, max_edges: int = MAX_EDGES,
                   ranks: Ranks | None = None) -> Drawing:
    """The explanation of an answer: every item's path in one picture.

    :param ranks: the graph's evidence ranks; None: those the evidence carries

    :raises DrawError: the answer has no item with a path to draw
    """
    edges = [e for item in answer.items for e in item.via][:max_edges]
    if not edges:
        raise DrawError(f"the answer to {answer.question!r} has no path to draw")
    focus = [c.iri for c in answer.linked] + [i.concept.iri for i in answer.items]
    return draw_edges(edges, title=_wrap(answer.question, 60), focus=focus, link=link,
                      source_link=source_link, ranks=ranks)


def draw(kg: KnowledgeGraph, what: object, to: str | None = None, *, depth: int = 1,
         link: Linker | None = None, source_link: Linker | None = None) -> Drawing:
    """Draw a concept's neighbourhood, a path ``what → to``, an answer or an item.

    :param what: a concept name (label, synonym, CURIE, IRI), a :class:`Concept`, an
        :class:`Answer` or an :class:`Item`
    :param to: with a concept ``what``: draw the paths from ``what`` to this concept
    :param depth: the neighbourhood's radius (1–3)
    """
    from .model import Concept

    if isinstance(what, Answer):
        return answer_drawing(what, link=link, source_link=source_link,
                              ranks=evidence_ranks(kg))
    if isinstance(what, Item):
        return item_drawing(what, link=link, source_link=source_link, legend=True,
                            ranks=evidence_ranks(kg))
    if isinstance(what, Concept):
        what = what.iri
    if not isinstance(what, str):
        raise InvalidInputError("draw() takes a concept name, a Concept, an Answer or an "
                                f"Item, not {type(what).__name__}")
    if to is not None:
        return path_drawing(kg, what, to, link=link, source_link=source_link)
    return neighbourhood_drawing(kg, what, depth=depth, link=link, source_link=source_link)

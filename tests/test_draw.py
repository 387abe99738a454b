"""Pictures (pvp_kg.draw, kg.draw, pvp-kg draw / explain) and the Jupyter HTML views.

Pictures are laid out by the real Graphviz ``dot``; the SVG is parsed as XML and read for its
text, hover titles, links and line styles, the PNG checked by its signature and size.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef

from pvp_kg import DrawError
from pvp_kg.draw import (
    PALETTE,
    UNRANKED,
    Drawing,
    draw_edges,
    evidence_ranks,
    level_colour,
    level_rank,
)
from pvp_kg.errors import ConceptNotFoundError, InvalidInputError, PVPKGError
from pvp_kg.model import Answer, Edge, Evidence, Source

from .helpers import require_tool

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
HEADLINE = "Which complications relate to cement leakage?"


@pytest.fixture(scope="module", autouse=True)
def dot() -> str:
    return require_tool("dot")


def texts(svg: str) -> str:
    """All text of the SVG's <text> elements, joined by spaces (labels are wrapped)."""
    root = ET.fromstring(svg)
    return " ".join(t.text or "" for t in root.iter(f"{SVG}text"))


def edge_groups(svg: str) -> list[ET.Element]:
    return [g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "edge"]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_neighbourhood_shows_labels_relations_sources_and_levels(kg):
    c = kg.concept("cement leakage")
    picture = kg.draw("cement leakage")
    svg = picture.svg()
    words = texts(svg)
    for edge in kg.related(c.iri)[:60]:
        assert edge.predicate_label.split()[0] in words
    assert "has risk factor" in " ".join(words.split())
    assert "large cement volume" in " ".join(words.split())
    # hover text of each edge names its sources with their evidence level
    hovers = [" ".join(a.get(f"{XLINK}title", "") for a in g.iter(f"{SVG}a"))
              for g in edge_groups(svg)]
    risk = [h for h in hovers if "has risk factor → large cement volume" in h]
    assert risk, "no edge to 'large cement volume'"
    hover = risk[0]
    edge = next(e for e in kg.related(c.iri) if e.object_label == "large cement volume")
    assert edge.evidence
    for ev in edge.evidence:  # every source of the edge, with its level
        assert f"{ev.source.curie}: " in hover and f"({ev.level})" in hover
        # the key names the levels used
        assert ev.level in words


RANK = URIRef("https://w3id.org/pvp-kg/evidenceRank")


def graph_ranks(kg) -> dict[str, int]:
    """The ranks as the ontology states them, read here without the drawing code."""
    return {str(s): int(o) for s, o in kg.graph.subject_objects(RANK)}


def two_edges() -> tuple[list[Edge], str, str]:
    src = Source("urn:s", "src:T", "Trial", url="https://doi.org/10.1/x")
    a, b = "urn:level:a", "urn:level:b"
    edges = [Edge("urn:a", "urn:p", "urn:b", (Evidence(src, "level a", level_iri=a),), "all",
                  "a", "always", "b"),
             Edge("urn:a", "urn:q", "urn:c", (Evidence(src, "level b", level_iri=b),), "some",
                  "a", "maybe", "c")]
    return edges, a, b


def strokes(svg: str) -> dict[str, ET.Element]:
    return {g.find(f"{SVG}title").text: g.find(f".//{SVG}path") for g in edge_groups(svg)}


def test_line_style_follows_quantifier_and_colour_follows_the_given_ranks():
    edges, a, b = two_edges()
    svg = draw_edges(edges, title="t", ranks={a: 1, b: 2}).svg()
    solid, dashed = strokes(svg)["urn:a->urn:b"], strokes(svg)["urn:a->urn:c"]
    assert solid.get("stroke-dasharray") is None and dashed.get("stroke-dasharray")
    assert solid.get("stroke") == PALETTE[0] and dashed.get("stroke") == PALETTE[1]
    # swap the ranks: the colours (and the key's order) follow the data, not the code
    svg = draw_edges(edges, title="t", ranks={a: 2, b: 1}).svg()
    assert strokes(svg)["urn:a->urn:b"].get("stroke") == PALETTE[1]
    assert strokes(svg)["urn:a->urn:c"].get("stroke") == PALETTE[0]
    words = texts(svg)
    assert words.index("level b") < words.index("level a")
    # a level the graph gives no rank sorts last and is grey
    assert level_rank(edges[0].evidence[0], {}) == UNRANKED == level_rank(None, {})
    assert level_colour(a, {}) == level_colour(None, {b: 1}) != PALETTE[0]


def test_ranks_come_from_the_graph(kg):
    stated = graph_ranks(kg)
    assert evidence_ranks(kg) == stated and len(stated) >= 7
    assert evidence_ranks(kg.graph) == stated  # an rdflib graph works too
    strongest = min(stated, key=stated.get)
    weakest = max(stated, key=stated.get)
    assert level_colour(strongest, stated) == PALETTE[0]
    assert level_colour(weakest, stated) == PALETTE[-1]
    # a graph that ranks one level differently orders it differently
    g = Graph()
    for level, rank in stated.items():
        value = 0 if level == weakest else rank
        g.add((URIRef(level), RANK, Literal(value)))  # an xsd:integer
    changed = evidence_ranks(g)
    ev = Evidence(Source("urn:s", "src:T", "T"), "x", level_iri=weakest)
    strong = Evidence(Source("urn:s", "src:T", "T"), "y", level_iri=strongest)
    assert level_rank(ev, stated) > level_rank(strong, stated)
    assert level_rank(ev, changed) < level_rank(strong, changed)


def test_edge_hover_lists_sources_strongest_first(kg):
    stated = graph_ranks(kg)
    svg = kg.draw("cement leakage").svg()
    names = {kg.terms.label(iri): rank for iri, rank in stated.items()}
    checked = 0
    for g in edge_groups(svg):
        # each link of the edge carries the whole hover text: checked one by one (joined,
        # the last line of one ran into the first of the next and was not read)
        for a in g.iter(f"{SVG}a"):
            hover = a.get(f"{XLINK}title", "")
            levels = [names[n] for line in hover.splitlines()[1:]
                      for n in names if line.endswith(f"({n})")]
            if len(levels) > 1:
                assert levels == sorted(levels), hover
                checked += 1
    assert checked, "no edge of the neighbourhood has two sources"


def test_labels_are_escaped_not_interpreted():
    edges = [Edge("urn:a", "urn:p", "urn:b", (), "some", 'a "quoted" \\ <b>x</b> & y',
                  "p", "<plain>")]
    svg = draw_edges(edges, title="x").svg()
    words = texts(svg)  # parses as XML: nothing leaked out of the text
    assert '"quoted"' in words and "<b>x</b>" in words and "<plain>" in words


def test_path_picture_and_png(kg):
    picture = kg.draw("PVP", "pulmonary embolism")
    words = " ".join(texts(picture.svg()).split())
    assert "percutaneous vertebroplasty" in words and "pulmonary embolism" in words
    width, height = png_size(picture.png())
    assert width > 200 and height > 50


def test_answer_picture_holds_every_item(kg):
    answer = kg.ask(HEADLINE)
    words = " ".join(texts(kg.draw(answer).svg()).split())
    for item in answer.items:
        assert item.concept.label in words
    item_words = " ".join(texts(kg.draw(answer.items[-1]).svg()).split())
    assert answer.items[-1].concept.label in item_words


def test_links_when_asked(kg):
    picture = kg.draw("cement leakage")
    assert f"{XLINK}href" not in picture.svg()  # the CLI's pictures link nowhere
    from pvp_kg.draw import neighbourhood_drawing

    linked = neighbourhood_drawing(kg, "cement leakage", link=lambda iri: f"/c/{iri[-5:]}")
    hrefs = {a.get(f"{XLINK}href") for a in ET.fromstring(linked.svg()).iter(f"{SVG}a")}
    assert "/c/akage" in hrefs


def test_bad_requests_are_clear_errors(kg, tmp_path):
    with pytest.raises(ConceptNotFoundError):
        kg.draw("no such thing at all")
    with pytest.raises(InvalidInputError, match=r"\.svg, \.png or \.dot"):
        kg.draw("cement leakage").save(tmp_path / "x.gif")
    with pytest.raises(InvalidInputError):
        kg.draw(42)
    with pytest.raises(InvalidInputError, match="depth"):
        kg.draw("cement leakage", depth=9)
    with pytest.raises(DrawError, match="no path"):
        kg.draw(Answer("q", None))


def test_missing_graphviz_is_a_clear_error(kg, monkeypatch, tmp_path):
    picture = kg.draw("cement leakage")
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot on this PATH
    with pytest.raises(DrawError, match="apt-get install graphviz") as info:
        picture.svg()
    assert isinstance(info.value, PVPKGError)
    assert picture.render("dot").startswith(b"digraph")


def test_missing_graphviz_binding_names_the_extra(kg, monkeypatch):
    import pvp_kg

    picture = kg.draw("cement leakage")
    monkeypatch.setitem(sys.modules, "graphviz", None)  # import graphviz now fails
    with pytest.raises(pvp_kg.MissingDependencyError, match=r"pvp_kg\[draw\]"):
        picture.svg()


def cli(*args: str, **kw) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "pvp_kg", *args], capture_output=True,
                          timeout=300, check=False, env={**os.environ, "NO_COLOR": "1"}, **kw)


def test_cli_draw_writes_svg_and_png(tmp_path):
    out = tmp_path / "leak.png"
    done = cli("draw", "cement leakage", "-o", str(out))
    assert done.returncode == 0, done.stderr
    png_size(out.read_bytes())
    done = cli("draw", "--ask", HEADLINE)
    assert done.returncode == 0, done.stderr
    assert "venous cement leakage" in " ".join(texts(done.stdout.decode()).split())
    done = cli("draw", "PVP", "--to", "pulmonary embolism", "--format", "dot")
    assert done.returncode == 0 and done.stdout.startswith(b"digraph")


def test_cli_draw_errors():
    assert cli("draw", "no such thing at all").returncode == 1
    no_path = cli("draw", "PVP", "--to", "PVP")  # DrawError: nothing joins them, exit 1
    assert no_path.returncode == 1 and b"error:" in no_path.stderr, no_path.stderr
    assert cli("draw").returncode == 2
    bad = cli("draw", "cement leakage", "-o", "x.gif")
    assert bad.returncode == 2 and b"format" in bad.stderr


def test_cli_explain():
    done = cli("explain", "PVP", "pulmonary embolism")
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr
    assert "percutaneous vertebroplasty" in out and "→ pulmonary embolism" in out
    assert "Sources:" in out and "[src:" in out
    import json

    data = json.loads(cli("explain", "PVP", "pulmonary embolism", "--json").stdout)
    assert data["paths"] and data["paths"][0][0]["evidence"]
    assert cli("explain", "PVP", "no such thing at all").returncode == 1


# -- Jupyter -----------------------------------------------------------------------------------

def test_answer_html_has_items_sources_and_drawing(kg):
    answer = kg.ask(HEADLINE)
    html = answer._repr_html_()
    assert "<svg" in html
    for item in answer.items:
        assert item.concept.label in html
    assert 'href="https://doi.org/' in html
    assert "observational study" in html


def test_concept_item_finding_html(kg):
    c = kg.concept("cement leakage")
    html = c._repr_html_()
    assert c.label in html and c.definition[:30] in html
    items = kg.risk_factors("cement leakage")
    assert items[0].concept.label in items[0]._repr_html_()
    finding = kg.findings("cement leakage")[0]
    assert "<table" in finding._repr_html_() and finding.quantity() in finding._repr_html_()


def test_lists_show_as_tables_in_ipython(kg):
    from IPython.core.interactiveshell import InteractiveShell  # the test extra

    import pvp_kg.html

    shell = InteractiveShell.instance()
    assert pvp_kg.html.register_ipython(shell)
    data, _ = shell.display_formatter.format(kg.findings("cement leakage"))
    assert "<table" in data["text/html"] and "src:" in data["text/html"]
    data, _ = shell.display_formatter.format(kg.risk_factors("cement leakage"))
    assert "large cement volume" in data["text/html"]
    data, _ = shell.display_formatter.format([1, 2])
    assert "text/html" not in data
    data, _ = shell.display_formatter.format(kg.draw("cement leakage"))
    assert "<svg" in data["image/svg+xml"]


def test_drawing_repr():
    assert repr(Drawing("digraph pvp {}", "t")) == "Drawing('t', 0 edges)"

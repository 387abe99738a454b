"""docs/schema.md and docs/cypher.md: every SPARQL and Cypher example runs and answers."""

from __future__ import annotations

import re

import pytest
import real_ladybug

from pvp_kg.propgraph import relationship_type

from .helpers import ROOT
from .test_ladybug import RELATED, RISK_FACTORS

DOCS = {name: (ROOT / "docs" / name).read_text(encoding="utf-8")
        for name in ("schema.md", "cypher.md")}


def blocks(language: str) -> list[tuple[str, str]]:
    return [(name, m.group(1)) for name, text in DOCS.items()
            for m in re.finditer(rf"```{language}\n(.*?)```", text, re.S)]


@pytest.fixture(scope="module")
def conn(kg, tmp_path_factory):
    path = tmp_path_factory.mktemp("doc") / "pvp.lbdb"
    kg.export("ladybug", path)
    db = real_ladybug.Database(str(path), read_only=True)
    yield real_ladybug.Connection(db)
    db.close()


@pytest.mark.parametrize(("doc", "query"), blocks("sparql"))
def test_sparql_examples_answer(kg, doc, query):
    rows = kg.sparql(query)
    assert len(rows) > 0, f"{doc}: no rows for\n{query}"


@pytest.mark.parametrize(("doc", "query"), blocks("cypher"))
def test_cypher_examples_answer(conn, doc, query):
    text = query.strip().rstrip(";")
    params = {"concept": "pvp:CementLeakage"} if "$concept" in text else {}
    result = conn.execute(text, params)
    assert result.has_next(), f"{doc}: no rows for\n{text}"


def test_there_are_examples():
    assert len(blocks("sparql")) >= 4
    assert len(blocks("cypher")) >= 8


def test_competency_queries_are_the_tested_ones():
    shown = {q.strip() for _, q in blocks("cypher")}
    assert RELATED.strip() in shown and RISK_FACTORS.strip() in shown


def test_property_table_matches_the_graph(kg):
    section = DOCS["schema.md"].split("## Properties", 1)[1].split("## Finding fields", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) > 20
    documented = set()
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        curies = re.findall(r"`([^`]+)`", cells[0])
        labels = [x.strip() for x in cells[1].split("/")]
        types = re.findall(r"`([^`]+)`", cells[2])
        assert len(curies) == len(labels) == len(types), row
        for curie, label, rel in zip(curies, labels, types, strict=True):
            iri = kg.terms.expand(curie)
            assert iri is not None, curie
            assert kg.terms.label(iri) == label, row
            assert relationship_type(label) == rel, row
            documented.add(iri)
    used = {e.predicate for e in kg.edges}
    assert documented <= used | {str(kg.terms.expand("rdfs:subClassOf"))}

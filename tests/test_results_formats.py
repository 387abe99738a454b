"""``pvp-kg sparql --format json|xml|csv|tsv``: W3C SPARQL results read back by rdflib; and the
errors for unknown query names, missing files and syntax errors."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result

import pvp_kg
from pvp_kg.cli import cli
from pvp_kg.results import serialize_results

QUERY = """SELECT ?finding ?value ?n ?label ?odd WHERE {
  ?finding pvp:value ?value ; rdfs:label ?label .
  OPTIONAL { ?finding pvp:sampleSize ?n }
  VALUES ?odd { "tab\\there \\"quoted\\"\\nnew line, comma" "plain" 7 "2021-03-04"^^xsd:date }
} ORDER BY ?finding ?odd LIMIT 40"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    # the bytes as written (``output`` would turn CRLF into LF), errors after them
    return result.exit_code, result.stdout_bytes.decode("utf-8") + result.stderr


@pytest.fixture(scope="module")
def expected(kg):
    rows = kg.sparql(QUERY)
    assert len(rows) == 40
    return rows


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_formats_keep_every_term(expected, fmt):
    code, out = run("sparql", "--format", fmt, QUERY)
    assert code == 0, out
    parsed = Result.parse(io.StringIO(out), format=fmt)
    assert [str(v) for v in parsed.vars] == list(expected.vars)
    got = [tuple(b.get(v) for v in parsed.vars) for b in parsed.bindings]
    assert got == [tuple(row) for row in expected.rows]
    # the terms themselves, datatypes and language tags included, not only their text
    for row in got:
        value, n, label = row[1], row[2], row[3]
        assert isinstance(value, Literal) and value.datatype in (XSD.decimal, XSD.integer,
                                                                 XSD.double)
        assert n is None or n.datatype == XSD.integer
        assert label.language == "en"
    assert any(r[4] == Literal("2021-03-04", datatype=XSD.date) for r in got)


def test_csv_has_the_plain_values(expected):
    code, out = run("sparql", "--format", "csv", QUERY)
    assert code == 0, out
    assert out.splitlines()[0] == ",".join(expected.vars)
    assert "\r\n" in out  # RFC 4180 line ends, as the standard asks
    parsed = Result.parse(io.StringIO(out), format="csv")
    got = [tuple(b.get(v) for v in parsed.vars) for b in parsed.bindings]
    assert [tuple("" if t is None else str(t) for t in row) for row in got] == [
        tuple("" if t is None else str(t) for t in row) for row in expected.rows]
    assert all(isinstance(row[0], URIRef) for row in got)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_ask(fmt):
    code, out = run("sparql", "--format", fmt, "ASK { pvp:CementLeakage rdfs:label ?l }")
    assert code == 0
    if fmt in ("json", "xml"):
        assert Result.parse(io.StringIO(out), format=fmt).askAnswer is True
    else:
        assert out.split()[-1] == "true"
    code, out = run("sparql", "--format", fmt, "ASK { pvp:CementLeakage rdfs:label 'nope' }")
    assert code == 1


def test_named_query_with_format(kg):
    code, out = run("sparql", "risk_factors", "-p", "concept=cement leakage", "--format", "json")
    assert code == 0, out
    parsed = Result.parse(io.StringIO(out), format="json")
    items = {str(b[Variable("item")]) for b in parsed.bindings}
    assert items == {i.concept.iri for i in kg.risk_factors("cement leakage")}


def test_table_stays_the_default():
    code, out = run("sparql", "SELECT ?l WHERE { pvp:CementLeakage rdfs:label ?l }")
    assert code == 0 and "1 rows" in out and "cement leakage" in out
    assert '"head"' not in out


def test_construct_formats():
    query = ("CONSTRUCT { pvp:CementLeakage rdfs:label ?l } "
             "WHERE { pvp:CementLeakage rdfs:label ?l }")
    code, out = run("sparql", "--format", "ntriples", query)
    assert code == 0 and '"cement leakage"@en' in out
    code, out = run("sparql", "--format", "tsv", query)
    assert code == 2 and "graph" in out


def test_blank_nodes_and_empty_results():
    rows = pvp_kg.SelectResult(("b",), ((BNode("x1"),),))
    for fmt in ("json", "xml", "tsv"):
        parsed = Result.parse(io.StringIO(serialize_results(rows, fmt)), format=fmt)
        assert isinstance(parsed.bindings[0][Variable("b")], BNode)
    empty = pvp_kg.SelectResult(("a",), ())
    assert Result.parse(io.StringIO(serialize_results(empty, "json")), format="json").bindings == []
    with pytest.raises(pvp_kg.InvalidInputError, match="unknown results format"):
        serialize_results(empty, "yaml")


def test_format_and_json_conflict():
    code, out = run("sparql", "--format", "json", "--json", "ASK { ?s ?p ?o }")
    assert code == 2 and "not both" in out


# -- errors ------------------------------------------------------------------------------------

def test_unknown_query_name_has_its_own_error(kg):
    code, out = run("sparql", "nosuchquery")
    assert code == 2
    assert "no named query 'nosuchquery'" in out and "not a valid SPARQL" not in out
    code, out = run("sparql", "risk_factor")
    assert "did you mean risk_factors" in out
    with pytest.raises(pvp_kg.QueryError, match="no named query"):
        kg.sparql("complications_of_everything")


def test_missing_rq_file_has_its_own_error(tmp_path):
    code, out = run("sparql", str(tmp_path / "missing.rq"))
    assert code == 2
    assert "no query file" in out and "not a valid SPARQL" not in out


def test_syntax_error_points_at_the_users_text(kg):
    query = "SELECT ?x WHERE {\n  ?x rdfs:label ?l .\n  ?x pvp:value ?v ?w .\n}"
    with pytest.raises(pvp_kg.QueryError) as info:
        kg.sparql(query)
    message = str(info.value)
    assert "line 3" in message
    assert "?x pvp:value ?v ?w ." in message
    one_line = "SELECT * WHERE { ?s ?p }"
    with pytest.raises(pvp_kg.QueryError, match=r"line 1, column (\d+)") as info:
        kg.sparql(one_line)
    column = int(str(info.value).split("column ")[1].split(" ")[0])
    assert column <= len(one_line)  # inside what the user typed, not in the prefix header

"""SPARQL: named queries with safe bindings, the read-only guard, limits, parity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pvp_kg
from pvp_kg.sparql import SelectResult


def test_named_query_binds_curie_label_or_iri(kg):
    a = kg.sparql("complications_related_to", concept="pvp:CementLeakage")
    b = kg.sparql("complications_related_to", concept="cement leakage")
    c = kg.sparql("complications_related_to",
                  concept="https://w3id.org/pvp-kg/CementLeakage")
    assert isinstance(a, SelectResult) and len(a) > 5
    assert a.rows == b.rows == c.rows


def test_binding_is_not_string_pasting(kg):
    # a value that would break out of the query if it were pasted into the text
    hostile = 'x" } ; DROP ALL ; SELECT * { ?s ?p ?o'
    with pytest.raises(pvp_kg.ConceptNotFoundError):
        kg.sparql("risk_factors", concept=hostile)
    graph_size = len(kg.graph)
    rows = kg.sparql("SELECT ?s WHERE { ?s rdfs:label ?l }", l=hostile)
    assert isinstance(rows, SelectResult) and len(rows) == 0
    assert len(kg.graph) == graph_size


def test_named_query_parameter_errors(kg):
    with pytest.raises(pvp_kg.QueryError, match="needs a value for 'concept'"):
        kg.sparql("risk_factors")
    with pytest.raises(pvp_kg.QueryError, match="no parameter"):
        kg.sparql("risk_factors", concept="pvp:CementLeakage", colour="red")
    with pytest.raises(pvp_kg.QueryError, match="no named query"):
        kg.sparql("no_such_query", concept="pvp:CementLeakage")


@pytest.mark.parametrize(("query", "reason"), [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "Update"),
    ("DELETE WHERE { ?s ?p ?o }", "Update"),
    ("DROP ALL", "Update"),
    ("LOAD <http://example.org/x.ttl>", "Update"),
    ("CLEAR DEFAULT", "Update"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * FROM <http://example.org/x.ttl> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * WHERE { <file:///etc/passwd> ?p ?o }", "file:"),
])
def test_read_only_guard(kg, query, reason):
    size = len(kg.graph)
    with pytest.raises(pvp_kg.UnsafeQueryError, match=reason):
        kg.sparql(query)
    assert len(kg.graph) == size


def test_syntax_error_is_a_query_error(kg):
    with pytest.raises(pvp_kg.QueryError, match="not a valid SPARQL"):
        kg.sparql("SELEKT ?s WHERE { ?s ?p }")


def test_row_cap(kg):
    with pytest.raises(pvp_kg.QueryError, match="more than 10 rows"):
        kg.sparql("SELECT * WHERE { ?s ?p ?o }", max_rows=10)
    limited = kg.sparql("SELECT * WHERE { ?s ?p ?o } LIMIT 10", max_rows=10)
    assert isinstance(limited, SelectResult) and len(limited) == 10


def test_time_limit_interrupts_a_runaway_query(kg):
    import time

    start = time.monotonic()
    with pytest.raises(pvp_kg.QueryError, match="time limit"):
        kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                  timeout=0.5)
    assert time.monotonic() - start < 5


def test_ask_and_construct(kg):
    assert kg.sparql("ASK { pvp:PercutaneousVertebroplasty pvp:hasComplication "
                     "pvp:CementLeakage }") is True
    g = kg.sparql("CONSTRUCT { ?s pvp:hasIndication ?o } WHERE { ?s pvp:hasIndication ?o }")
    assert len(g) >= 4  # type: ignore[arg-type]


@pytest.mark.parametrize(("method", "query", "kwargs"), [
    ("indications", "indications", {}),
    ("benefits", "benefits", {}),
    ("complications", "complications", {}),
    ("pre_procedure_assessment", "pre_procedure_assessment", {}),
])
def test_typed_methods_and_named_queries_agree(kg, method, query, kwargs):
    typed = {i.concept.iri for i in getattr(kg, method)(**kwargs)}
    rows = kg.sparql(query, **kwargs)
    assert typed == {str(v) for v in rows.column("item")}  # type: ignore[union-attr]


def test_every_named_query_has_a_header_and_runs(kg):
    for name, q in kg.queries.items():
        assert q.title and q.description, name
        bindings = {p.name: "pvp:CementLeakage" for p in q.params if p.required}
        if name == "compare_procedures":
            bindings = {"first": "PVP", "second": "BKP"}
        assert isinstance(kg.sparql(name, **bindings), SelectResult)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=120))
def test_arbitrary_text_is_refused_or_answered_never_crashes(kg, text):
    size = len(kg.graph)
    try:
        kg.sparql(text, max_rows=50, timeout=2)
    except pvp_kg.QueryError:
        pass
    assert len(kg.graph) == size

"""pvp_kg.to_dataframe: typed pandas tables of items, findings, edges and SPARQL rows."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

import pvp_kg
from pvp_kg import to_dataframe


def test_findings_table_has_numeric_columns(kg):
    findings = kg.findings()
    df = to_dataframe(findings)
    assert len(df) == len(findings)
    assert df["value"].dtype == "float64"
    assert str(df["sample_size"].dtype) == "Int64"
    assert str(df["level_rank"].dtype) == "Int64"
    by_curie = df.set_index("curie")
    for f in findings:
        row = by_curie.loc[f.curie]
        if f.value is None:
            assert pd.isna(row["value"])
        else:
            assert row["value"] == f.value
        assert (pd.isna(row["sample_size"]) if f.sample_size is None
                else row["sample_size"] == f.sample_size)
        if f.evidence:
            assert row["source"] in {e.source.curie for e in f.evidence}
            assert row["level"] in {e.level for e in f.evidence}
    # numbers are numbers: arithmetic works without conversion
    assert df["value"].max() > 1
    assert df.loc[df["sample_size"].notna(), "sample_size"].sum() > 100


def test_strongest_level_is_the_source_column(kg):
    df = to_dataframe(kg.findings(about="significant pain relief"), kg=kg)
    cochrane = df[df["sources"].str.contains("src:S19", na=False)]
    assert not cochrane.empty
    assert (cochrane["level"] == "systematic review").all()
    assert (cochrane["level_rank"] == 1).all()
    assert df["level_rank"].min() == 1


def test_items_table(kg):
    items = kg.risk_factors("cement leakage")
    df = to_dataframe(items)
    assert list(df["label"]) == [i.label for i in items]
    assert {"curie", "kind", "source", "level", "sources", "path", "iri"} <= set(df.columns)
    assert df["source"].notna().all()
    assert str(df["findings"].dtype) == "Int64"


def test_edges_table(kg):
    edges = kg.edges_of("cement leakage")
    df = to_dataframe(edges)
    assert len(df) == len(edges)
    assert set(df["quantifier"]) <= {"all", "some"}
    derived = df[df["derived_by"].notna()]
    assert not derived.empty  # the inverse edges are marked


def test_sparql_rows_keep_datatypes(kg):
    rows = kg.sparql("""SELECT ?f ?value ?n ?label ?flag WHERE {
        ?f pvp:value ?value ; rdfs:label ?label .
        OPTIONAL { ?f pvp:sampleSize ?n }
        BIND(?value > 10 AS ?flag) }""")
    df = to_dataframe(rows)
    assert list(df.columns) == ["f", "value", "n", "label", "flag"]
    assert df["value"].dtype == "float64"
    assert str(df["n"].dtype) == "Int64"
    assert str(df["flag"].dtype) == "boolean"
    assert str(df["label"].dtype) == "string"
    assert df["f"].str.startswith("https://w3id.org/pvp-kg/").all()
    assert (df["flag"] == (df["value"] > 10)).all()


def test_sparql_dates(kg):
    rows = kg.sparql('SELECT ?d WHERE { VALUES ?d { "2021-03-04"^^xsd:date '
                     '"2019-01-02"^^xsd:date } }')
    df = to_dataframe(rows)
    assert str(df["d"].dtype).startswith("datetime64")
    assert sorted(df["d"].dt.year) == [2019, 2021]


def test_other_result_kinds(kg):
    assert to_dataframe(kg.search("cement leak", limit=3))["score"].dtype == "float64"
    concepts = [kg.concept("PVP"), kg.concept("cement leakage")]
    assert list(to_dataframe(concepts)["curie"]) == [c.curie for c in concepts]
    assert to_dataframe([]).empty


def test_bad_input(kg):
    with pytest.raises(pvp_kg.InvalidInputError, match="one kind"):
        to_dataframe([*kg.findings()[:1], *kg.complications()[:1]])
    with pytest.raises(pvp_kg.InvalidInputError, match="list of results"):
        to_dataframe("findings")
    with pytest.raises(pvp_kg.InvalidInputError, match="cannot tabulate"):
        to_dataframe([1, 2])


def test_missing_pandas_names_the_extra(kg, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(pvp_kg.MissingDependencyError, match="tables"):
        to_dataframe(kg.findings())

"""The LadybugDB export: a real embedded Cypher database, queried with real_ladybug."""

from __future__ import annotations

import csv
import sys

import pytest
import real_ladybug
from click.testing import CliRunner

import pvp_kg
from pvp_kg.cli import cli

from .helpers import curies

RELATED = """
MATCH (i:PVP)-[:IS_A*1..30]->(:PVP {id: $concept})
RETURN DISTINCT i.id AS id, 'subtype' AS kind
UNION
MATCH (v:PVP)-[:IS_A*0..30]->(:PVP {id: $concept}), (v)-[:CAUSALLY_UPSTREAM_OF*1..30]->(i:PVP)
RETURN DISTINCT i.id AS id, 'consequence' AS kind
UNION
MATCH (v:PVP)-[:IS_A*0..30]->(:PVP {id: $concept}), (v)-[:CAUSALLY_UPSTREAM_OF*1..30]->(c:PVP),
      (i:PVP)-[:IS_A*1..30]->(c)
RETURN DISTINCT i.id AS id, 'consequence' AS kind
"""
RISK_FACTORS = """
MATCH (v:PVP)-[:IS_A*0..30]->(:PVP {id: $concept}), (v)-[r:HAS_RISK_FACTOR]->(i:PVP)
RETURN DISTINCT i.id AS id
"""


@pytest.fixture(scope="module")
def db_path(kg, tmp_path_factory):
    path = tmp_path_factory.mktemp("lb") / "pvp_kg.lbdb"
    kg.export("ladybug", path)
    return path


@pytest.fixture(scope="module")
def conn(db_path):
    db = real_ladybug.Database(str(db_path), read_only=True)
    yield real_ladybug.Connection(db)
    db.close()


def rows(conn, query, **params):
    result = conn.execute(query, params)
    out = []
    while result.has_next():
        out.append(result.get_next())
    return out


@pytest.fixture(scope="module")
def neo4j_csv(kg, tmp_path_factory):
    directory = tmp_path_factory.mktemp("neo4j")
    kg.export("neo4j", directory)
    with (directory / "nodes.csv").open(encoding="utf-8") as fh:
        nodes = list(csv.DictReader(fh))
    with (directory / "relationships.csv").open(encoding="utf-8") as fh:
        rels = list(csv.DictReader(fh))
    return nodes, rels


def test_same_nodes_and_relationships_as_the_neo4j_export(conn, neo4j_csv):
    nodes, rels = neo4j_csv
    db_nodes = {r[0]: r[1] for r in rows(conn, "MATCH (n:PVP) RETURN n.id, n.label")}
    assert db_nodes == {n["id:ID"]: n["name"] for n in nodes}
    db_rels = rows(conn, "MATCH (a:PVP)-[r]->(b:PVP) RETURN a.id, label(r), b.id, r.sources, "
                         "r.predicate, r.derived_by, r.evidence_levels")
    assert sorted((a, t, b) for a, t, b, *_ in db_rels) == sorted(
        (r[":START_ID"], r[":TYPE"], r[":END_ID"]) for r in rels)
    by_key = {(r[":START_ID"], r[":TYPE"], r[":END_ID"]): r for r in rels}
    for a, t, b, sources, predicate, derived_by, levels in db_rels:
        csv_row = by_key[(a, t, b)]
        assert ";".join(sources) == csv_row["sources:string[]"]
        assert ";".join(levels) == csv_row["evidence_levels:string[]"]
        assert predicate == csv_row["predicate"]
        assert (derived_by or "") == csv_row["derived_by"]


def test_finding_numbers_are_typed(conn, kg):
    found = {f.curie: f for f in kg.findings() if f.value is not None}
    assert found
    result = rows(conn, "MATCH (n:PVP) WHERE n.value IS NOT NULL "
                        "RETURN n.id, n.value, n.sample_size")
    assert {r[0] for r in result} == set(found)
    for curie, value, n in result:
        assert isinstance(value, float) and value == found[curie].value
        assert n == found[curie].sample_size and (n is None or isinstance(n, int))
    # trial numbers and words too: CI, p value, arm sizes, design
    trial = rows(conn, "MATCH (n:PVP {id: 'pvp:FindingInvestPainRelief'}) "
                       "RETURN n.ci_lower, n.p_value, n.intervention_arm_size, n.study_design")
    invest = kg.terms.finding(kg.resolve("pvp:FindingInvestPainRelief") or "")
    assert trial == [[invest.ci_lower, invest.p_value, invest.intervention_arm_size,
                      invest.study_design]]
    assert trial[0][:3] == [-1.3, 0.49, 68]


def test_competency_complications_related_to_cement_leakage(conn, kg):
    typed = kg.complications(related_to="cement leakage")
    answer = rows(conn, RELATED, concept="pvp:CementLeakage")
    by_kind: dict[str, str] = {}
    for curie, kind in answer:  # a node that is both counts as a subtype, as in the typed API
        by_kind[curie] = "subtype" if "subtype" in (kind, by_kind.get(curie)) else kind
    assert by_kind == {i.concept.curie: i.kind for i in typed}
    assert len(typed) > 10


def test_competency_risk_factors_of_cement_leakage(conn, kg):
    answer = {r[0] for r in rows(conn, RISK_FACTORS, concept="pvp:CementLeakage")}
    assert answer == curies(kg.risk_factors("cement leakage"))
    assert answer


def test_competency_complications_of_pvp_with_provenance(conn, kg):
    answer = rows(conn, "MATCH (:PVP {id: 'pvp:PercutaneousVertebroplasty'})"
                        "-[r:HAS_COMPLICATION]->(c:PVP) RETURN c.id, r.sources")
    typed = kg.complications()
    assert {r[0] for r in answer} == curies(typed)
    sources = {r[0]: set(r[1]) for r in answer}
    for item in typed:
        assert sources[item.concept.curie] == {e.source.curie for e in item.evidence}


def test_derived_edges_are_marked(conn):
    derived = rows(conn, "MATCH ()-[r]->() WHERE r.derived_by STARTS WITH 'inverse of' "
                         "RETURN count(*), min(r.knowledge_level)")
    assert derived[0][0] > 0 and derived[0][1] == "logical_entailment"


def test_export_replaces_an_existing_database(kg, tmp_path):
    path = tmp_path / "db.lbdb"
    path.write_bytes(b"not a database")
    kg.export("ladybug", path)
    db = real_ladybug.Database(str(path), read_only=True)
    try:
        assert rows(real_ladybug.Connection(db), "MATCH (n:PVP) RETURN count(*)")[0][0] > 100
    finally:
        db.close()
    assert [p.name for p in tmp_path.iterdir()] == ["db.lbdb"]  # no temporary file left


def test_export_errors(kg, tmp_path):
    with pytest.raises(pvp_kg.InvalidInputError, match="database file"):
        kg.export("ladybug")
    with pytest.raises(pvp_kg.InvalidInputError, match="directory"):
        kg.export("ladybug", tmp_path)


def test_missing_real_ladybug_names_the_extra(kg, tmp_path, monkeypatch):
    from pvp_kg.errors import MissingDependencyError

    monkeypatch.setitem(sys.modules, "real_ladybug", None)  # makes the import fail
    with pytest.raises(MissingDependencyError, match="cypher"):
        kg.export("ladybug", tmp_path / "x.lbdb")
    assert not (tmp_path / "x.lbdb").exists()


def test_cli_export_ladybug(tmp_path):
    path = tmp_path / "cli.lbdb"
    result = CliRunner().invoke(cli, ["export", "ladybug", str(path), "--json"])
    assert result.exit_code == 0, result.output
    db = real_ladybug.Database(str(path), read_only=True)
    try:
        got = rows(real_ladybug.Connection(db), RISK_FACTORS, concept="pvp:CementLeakage")
    finally:
        db.close()
    assert got
    no_path = CliRunner().invoke(cli, ["export", "ladybug"])
    assert no_path.exit_code == 2 and "database file" in no_path.output

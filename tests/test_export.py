"""Exports: each format written, then read back by an independent reader and compared.

RDF formats are read by rdflib and by pyoxigraph and compared with the loaded graph after
canonical blank-node labelling (RDFC, pyoxigraph); GraphML by networkx; SSSOM by sssom-py;
KGX by KGX's own reader and validator (on the Biolink Model shipped with ``biolink-model``,
offline); Neo4j CSV against the header rules of ``neo4j-admin database import``; OBO Graphs
JSON by the ``obographs`` pydantic model of the schema.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from collections import Counter
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given
from hypothesis import strategies as st
from rdflib import OWL, RDF, RDFS, URIRef

import pvp_kg
from pvp_kg.export import Format
from pvp_kg.model import Finding
from pvp_kg.resources import ontology_dir
from pvp_kg.vocab import DCTERMS, EVIDENCE_LEVEL, PVP

from .helpers import canonical

RDF_FORMATS = {"turtle": ("turtle", ox.RdfFormat.TURTLE),
               "ntriples": ("nt", ox.RdfFormat.N_TRIPLES),
               "rdfxml": ("xml", ox.RdfFormat.RDF_XML),
               "jsonld": ("json-ld", ox.RdfFormat.JSON_LD)}


# -- what the graph says, computed here from the library's edge view and rdflib -----------------

def expected_nodes(kg: pvp_kg.KnowledgeGraph) -> dict[str, str]:
    """CURIE -> label: every edge end, every labelled class and named individual."""
    iris = {i for e in kg.edges for i in (e.subject, e.object)}
    for kind in (OWL.Class, OWL.NamedIndividual):
        iris |= {str(s) for s in kg.graph.subjects(RDF.type, kind)
                 if isinstance(s, URIRef) and (s, RDFS.label, None) in kg.graph}
    return {kg.terms.curie(i): kg.terms.label(i) for i in iris}


def expected_edges(kg: pvp_kg.KnowledgeGraph) -> dict[tuple[str, str, str], tuple[set, set]]:
    """(subject, predicate, object) CURIEs -> (source CURIEs, evidence level labels).

    An edge without axiom evidence carries its subject's own sources (a finding's)."""
    out = {}
    for e in kg.edges:
        evidence = e.evidence or kg.terms.evidence_of(URIRef(e.subject))
        key = (kg.terms.curie(e.subject), kg.terms.curie(e.predicate), kg.terms.curie(e.object))
        out[key] = ({ev.source.curie for ev in evidence}, {ev.level for ev in evidence if ev.level})
    return out


def split(value: str | list[str] | None, sep: str = "|") -> set[str]:
    """A multi-valued field as a set (KGX's reader may already have split it)."""
    if isinstance(value, list):
        return set(value)
    return set(value.split(sep)) if value else set()


# -- RDF ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def reference(kg) -> ox.Dataset:
    return canonical(kg.graph)


@pytest.mark.parametrize("reader", ["rdflib", "pyoxigraph"])
@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_export_round_trips(kg, reference, tmp_path, fmt, reader):
    path = tmp_path / f"pvp{Format(fmt).suffix}"
    assert kg.export(fmt, path) is None
    rdflib_name, ox_format = RDF_FORMATS[fmt]
    if reader == "rdflib":
        back = rdflib.Graph().parse(path, format=rdflib_name)
        assert len(back) == len(kg.graph)
        assert canonical(back) == reference
    else:
        back_ds = ox.Dataset(ox.parse(path=str(path), format=ox_format))
        assert len(back_ds) == len(kg.graph)
        back_ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        assert back_ds == reference


def test_isomorphism_check_can_fail(kg, reference):
    """The comparison above notices one lost blank-node triple or one changed literal."""
    triples = list(kg.graph)
    axiom_triple = next(t for t in triples if t[1] == DCTERMS.source and
                        isinstance(t[0], rdflib.BNode))
    assert canonical(t for t in triples if t != axiom_triple) != reference
    label = next(t for t in triples if t[1] == RDFS.label)
    changed = [t if t != label else (t[0], t[1], rdflib.Literal(str(t[2]) + "!"))
               for t in triples]
    assert canonical(changed) != reference


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "rdfxml", "jsonld", "obographs",
                                 "sssom", "graphml"])
def test_text_without_path_equals_the_file(kg, tmp_path, fmt):
    path = tmp_path / "out"
    kg.export(fmt, path)
    assert kg.export(fmt) == path.read_text(encoding="utf-8")


def test_rdf_export_of_a_merged_graph_contains_the_merge(fresh_kg, tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                     '<https://example.org/Thing> rdfs:label "a merged thing"@en .\n')
    fresh_kg.merge(extra)
    text = fresh_kg.export("ntriples")
    assert '<https://example.org/Thing> <http://www.w3.org/2000/01/rdf-schema#label> ' \
           '"a merged thing"@en .' in text


# -- formats, paths and atomic writes -----------------------------------------------------------

def test_format_names_and_aliases():
    assert Format("turtle") is Format.TURTLE is Format("TTL") is Format.parse("ttl")
    assert Format.parse(Format.KGX) is Format.KGX
    assert Format("owl") is Format.RDFXML and Format("nt") is Format.NTRIPLES
    assert {f.value for f in Format if f.is_directory} == {"kgx", "neo4j"}
    with pytest.raises(pvp_kg.InvalidInputError, match=r"unknown export format 'yaml'.*turtle"):
        Format.parse("yaml")


@given(st.text(max_size=30))
def test_any_format_name_parses_or_is_refused_clearly(name):
    try:
        fmt = Format.parse(name)
    except pvp_kg.InvalidInputError as exc:
        assert "unknown export format" in str(exc)
    else:
        assert isinstance(fmt, Format)


def test_directory_formats_write_their_files(kg, tmp_path):
    for fmt in (f for f in Format if f.is_directory):
        kg.export(fmt, tmp_path / fmt.value)
        assert sorted(p.name for p in (tmp_path / fmt.value).iterdir()) == sorted(fmt.files)


def test_directory_format_needs_a_path(kg):
    for fmt in ("kgx", "neo4j"):
        with pytest.raises(pvp_kg.InvalidInputError, match="directory"):
            kg.export(fmt)


def test_wrong_kind_of_path_is_refused(kg, tmp_path):
    with pytest.raises(pvp_kg.InvalidInputError, match="is a directory"):
        kg.export("turtle", tmp_path)
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep me")
    with pytest.raises(pvp_kg.InvalidInputError, match="is a file"):
        kg.export("kgx", a_file)
    assert a_file.read_text() == "keep me"


def test_parents_are_created(kg, tmp_path):
    kg.export("graphml", tmp_path / "a" / "b" / "pvp.graphml")
    kg.export("neo4j", tmp_path / "c" / "neo4j")
    assert (tmp_path / "a" / "b" / "pvp.graphml").stat().st_size > 0
    assert sorted(p.name for p in (tmp_path / "c" / "neo4j").iterdir()) == [
        "nodes.csv", "relationships.csv"]


def test_failed_export_leaves_the_old_file_and_no_debris(fresh_kg, tmp_path):
    target = tmp_path / "pvp.owl"
    target.write_text("previous export")
    # a predicate RDF/XML cannot write (no local name): the serializer fails half-way
    fresh_kg.graph.add((URIRef("https://example.org/a"), URIRef("https://example.org/1"),
                        rdflib.Literal("x")))
    with pytest.raises(pvp_kg.InvalidInputError, match="cannot be written as rdfxml"):
        fresh_kg.export("rdfxml", target)
    assert target.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["pvp.owl"]


def test_directory_export_replaces_its_files_and_keeps_others(kg, tmp_path):
    out = tmp_path / "kgx"
    out.mkdir()
    (out / "README.txt").write_text("mine")
    (out / "pvp_kg_nodes.tsv").write_text("stale")
    kg.export("kgx", out)
    assert (out / "README.txt").read_text() == "mine"
    assert (out / "pvp_kg_nodes.tsv").read_text().startswith("id\tcategory")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kgx"]  # no temporary directory left


# -- KGX ---------------------------------------------------------------------------------------

def _biolink_schema() -> Path:
    import biolink_model

    return Path(next(iter(biolink_model.__path__))) / "schema" / "biolink_model.yaml"


@pytest.fixture(scope="module")
def biolink():
    """bmt's toolkit on the Biolink Model installed with the ``biolink-model`` package."""
    import bmt.toolkit

    return bmt.toolkit.Toolkit(str(_biolink_schema()), {"predicate mappings": []})


@pytest.fixture(scope="module")
def kgx_reader():
    """KGX, configured to use the locally installed Biolink Model instead of downloading it."""
    import biolink_model
    import bmt.toolkit

    defaults = list(bmt.toolkit.Toolkit.__init__.__defaults__ or ())
    defaults[:2] = [str(_biolink_schema()), {"predicate mappings": []}][:len(defaults)]
    bmt.toolkit.Toolkit.__init__.__defaults__ = tuple(defaults)
    import kgx.config

    kgx.config.get_config()
    prefix_map = Path(next(iter(biolink_model.__path__))) / "prefixmaps"
    kgx.config.jsonld_context_map["biolink"] = json.loads(
        (prefix_map / "biolink_model_prefix_map.json").read_text())
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    return Transformer, Validator


@pytest.fixture(scope="module")
def kgx_graph(kg, kgx_reader, tmp_path_factory):
    out = tmp_path_factory.mktemp("kgx")
    kg.export("kgx", out)
    transformer_class, _ = kgx_reader
    transformer = transformer_class()
    transformer.transform({"format": "tsv", "filename": [str(out / "pvp_kg_nodes.tsv"),
                                                         str(out / "pvp_kg_edges.tsv")]})
    return transformer.store.graph


def test_kgx_nodes_are_the_graph_nodes(kg, kgx_graph):
    nodes = dict(kgx_graph.nodes(data=True))
    assert {n: d["name"] for n, d in nodes.items()} == expected_nodes(kg)
    for curie, data in nodes.items():
        assert data["category"] and all(c.startswith("biolink:") for c in data["category"])
        assert kg.terms.curie(data["iri"]) == curie


def test_kgx_edges_keep_predicates_and_provenance(kg, kgx_graph):
    expected = expected_edges(kg)
    covered = Counter()
    for s, o, _key, d in kgx_graph.edges(keys=True, data=True):
        originals = split(d["pvp_predicates"])
        assert d["original_predicate"] in originals
        keys = [(s, p, o) for p in originals]
        covered.update(keys)
        # edges sharing subject, Biolink predicate and object are one KGX edge (KGX merges
        # them anyway); their provenance is the union
        assert split(d.get("pvp_sources")) == set().union(*(expected[k][0] for k in keys))
        assert split(d.get("pvp_evidence_levels")) == set().union(*(expected[k][1]
                                                                    for k in keys))
        assert d["primary_knowledge_source"] == "infores:pvp-kg"
        assert d["knowledge_level"] in ("knowledge_assertion", "logical_entailment")
        assert d["agent_type"] in ("manual_agent", "automated_agent")
        assert d["predicate"].startswith("biolink:")
    assert set(covered) == set(expected) and set(covered.values()) == {1}


def test_kgx_publications_are_the_dois_of_the_sources(kg, kgx_graph):
    checked = 0
    for s, o, _k, d in kgx_graph.edges(keys=True, data=True):
        for source in split(d.get("pvp_sources")):
            for url in kg.graph.objects(URIRef(kg.terms.expand(source)), RDFS.seeAlso):
                if str(url).startswith("https://doi.org/"):
                    assert f"doi:{str(url)[16:]}" in d["publications"], (s, o)
                    checked += 1
    assert checked > 0


def test_kgx_uses_valid_biolink_terms(kgx_graph, biolink):
    categories = {c for _, d in kgx_graph.nodes(data=True) for c in d["category"]}
    predicates = {d["predicate"] for *_, d in kgx_graph.edges(keys=True, data=True)}
    for category in categories:
        element = biolink.get_element(category)
        assert biolink.is_category(category) and not element.abstract and not element.mixin, \
            category
    for predicate in predicates:
        element = biolink.get_element(predicate)
        assert biolink.is_predicate(predicate) and not element.abstract and not element.mixin, \
            predicate


def test_kgx_validator_finds_nothing_but_our_own_prefixes(kgx_graph, kgx_reader):
    _, validator_class = kgx_reader
    validator = validator_class()
    validator.validate(kgx_graph)
    own = {"pvp", "src", "unit", "OAE"}
    for level, by_type in validator.get_errors().items():
        for error_type, by_message in by_type.items():
            for message in by_message:
                prefix = re.search(r"CURIE prefix '([^']+)'", message)
                assert prefix is not None and prefix.group(1) in own, (level, error_type,
                                                                     message)


def test_biolink_mapping_follows_the_graph(fresh_kg, tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text("""
@prefix pvp: <https://w3id.org/pvp-kg/> .
@prefix ex: <https://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:hasNastySurprise a owl:ObjectProperty ; rdfs:label "has nasty surprise"@en ;
    rdfs:subPropertyOf pvp:hasComplication .
ex:NewProcedure a owl:Class ; rdfs:label "new procedure"@en ;
    rdfs:subClassOf pvp:MedicalProcedure ; ex:hasNastySurprise ex:Gadget .
ex:Gadget a owl:Class ; rdfs:label "gadget"@en ;
    skos:exactMatch <https://w3id.org/biolink/vocab/Device> .
""")
    fresh_kg.merge(extra)
    out = tmp_path / "kgx"
    fresh_kg.export("kgx", out)
    nodes = {r["id"]: r for r in csv.DictReader((out / "pvp_kg_nodes.tsv").open(),
                                                delimiter="\t")}
    by_iri = {r["iri"]: r for r in nodes.values()}
    assert by_iri["https://example.org/NewProcedure"]["category"] == "biolink:Procedure"
    assert by_iri["https://example.org/Gadget"]["category"] == "biolink:Device"
    edges = list(csv.DictReader((out / "pvp_kg_edges.tsv").open(), delimiter="\t"))
    surprise = [e for e in edges if e["predicate_label"] == "has nasty surprise"]
    assert len(surprise) == 1 and surprise[0]["predicate"] == "biolink:has_adverse_event"


# -- Neo4j -------------------------------------------------------------------------------------

NEO4J_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string",
               "point", "date", "localtime", "time", "localdatetime", "datetime", "duration"}
_HEADER = re.compile(r"^(?P<name>[^:]*)(?::(?P<type>[A-Za-z_]+)(?:\((?P<group>[^)]*)\))?"
                     r"(?P<array>\[\])?)?$")


def parse_neo4j_header(header: list[str], kind: str) -> dict[str, tuple[str, str, bool]]:
    """Apply the neo4j-admin import header rules; return column -> (name, type, is_array)."""
    columns = {}
    names = Counter()
    for field in header:
        match = _HEADER.match(field)
        assert match, f"bad header field {field!r}"
        name, typ, array = match["name"], (match["type"] or "string"), bool(match["array"])
        if typ in ("ID", "START_ID", "END_ID", "LABEL", "TYPE", "IGNORE"):
            assert not array
        else:
            assert name, f"a property column needs a name: {field!r}"
            assert typ.lower() in NEO4J_TYPES, f"unknown property type in {field!r}"
        names[name or typ] += 1
        columns[field] = (name, typ, array)
    assert all(n == 1 for n in names.values()), names
    kinds = Counter(t for _, t, _ in columns.values())
    if kind == "nodes":
        assert kinds["ID"] == 1 and kinds["START_ID"] == kinds["END_ID"] == 0
    else:
        assert kinds["START_ID"] == kinds["END_ID"] == kinds["TYPE"] == 1 and kinds["ID"] == 0
    return columns


def read_neo4j(path: Path, kind: str) -> list[dict[str, object]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        columns = parse_neo4j_header(header, kind)
        rows = []
        for values in reader:
            assert len(values) == len(header)
            row: dict[str, object] = {}
            for field, value in zip(header, values, strict=True):
                name, typ, array = columns[field]
                key = typ if typ in ("ID", "START_ID", "END_ID", "LABEL", "TYPE") else name
                items = value.split(";") if array else [value]
                if value == "" and typ not in ("string",):
                    row[key] = [] if array else None
                    continue
                converted = []
                for item in items:
                    if typ.lower() in ("long", "int", "short", "byte"):
                        converted.append(int(item))
                    elif typ.lower() in ("double", "float"):
                        converted.append(float(item))
                    elif typ.lower() == "boolean":
                        assert item in ("true", "false")
                        converted.append(item == "true")
                    else:
                        converted.append(item)
                row[key] = converted if array else converted[0]
            rows.append(row)
        return rows


@pytest.fixture(scope="module")
def neo4j_dir(kg, tmp_path_factory):
    out = tmp_path_factory.mktemp("neo4j")
    kg.export("neo4j", out)
    return out


def test_neo4j_csv_follows_the_import_rules_and_matches_the_graph(kg, neo4j_dir):
    nodes = read_neo4j(neo4j_dir / "nodes.csv", "nodes")
    rels = read_neo4j(neo4j_dir / "relationships.csv", "relationships")
    ids = [n["ID"] for n in nodes]
    assert len(ids) == len(set(ids))
    assert {n["ID"]: n["name"] for n in nodes} == expected_nodes(kg)
    for n in nodes:
        assert "PVP" in n["LABEL"].split(";")
    expected = expected_edges(kg)
    got = {}
    for r in rels:
        assert r["START_ID"] in set(ids) and r["END_ID"] in set(ids)
        assert re.fullmatch(r"[A-Z_][A-Z0-9_]*", r["TYPE"])
        key = (r["START_ID"], r["predicate"], r["END_ID"])
        got[key] = r
        assert set(r["sources"]) == expected[key][0], key
        assert set(r["evidence_levels"]) == expected[key][1], key
    assert set(got) == set(expected)


def test_neo4j_findings_carry_their_numbers(kg, neo4j_dir):
    nodes = {n["ID"]: n for n in read_neo4j(neo4j_dir / "nodes.csv", "nodes")}
    findings = list(kg.graph.subjects(RDF.type, PVP.QuantitativeFinding))
    assert findings
    for iri in findings:
        finding = kg.terms.finding(str(iri))
        row = nodes[finding.curie]
        for name, value in _finding_scalars(finding).items():  # every field, trial numbers too
            got = row[name]
            if isinstance(got, str):  # a missing word is an empty string in Neo4j's CSV
                got = " ".join(got.split()) or None
            want = " ".join(value.split()) if isinstance(value, str) else value
            assert got == want, (iri, name)
        assert set(row["sources"]) == {e.source.curie for e in finding.evidence}
    invest = nodes["pvp:FindingInvestPainRelief"]
    assert (invest["ci_lower"], invest["p_value"],
            invest["comparator_arm_size"]) == (-1.3, 0.49, 63)


def _finding_scalars(finding: Finding) -> dict[str, object]:
    """The single-valued fields of a finding (numbers and words), named as the class names them."""
    return {f.name: getattr(finding, f.name) for f in dataclasses.fields(finding)
            if f.name not in ("iri", "curie", "label")
            and not isinstance(getattr(finding, f.name), tuple)}


# -- GraphML -----------------------------------------------------------------------------------

def test_graphml_read_by_networkx(kg, tmp_path):
    path = tmp_path / "pvp.graphml"
    kg.export("graphml", path)
    g = nx.read_graphml(path, force_multigraph=True)
    assert isinstance(g, nx.MultiDiGraph)
    assert {n: d["label"] for n, d in g.nodes(data=True)} == expected_nodes(kg)
    expected = expected_edges(kg)
    got = {(u, d["predicate"], v): d for u, v, d in g.edges(data=True)}
    assert set(got) == set(expected) and g.number_of_edges() == len(expected)
    for key, d in got.items():
        assert split(d.get("sources")) == expected[key][0], key
        assert split(d.get("evidence_levels")) == expected[key][1], key
        assert d["biolink_predicate"].startswith("biolink:")
    finding = kg.terms.finding(str(next(kg.graph.subjects(RDF.type, PVP.QuantitativeFinding))))
    node = g.nodes[finding.curie]
    for name in ("value", "min_value", "max_value"):
        assert node.get(name) == getattr(finding, name)


# -- SSSOM -------------------------------------------------------------------------------------

def test_sssom_read_by_sssom_py(kg, tmp_path):
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    path = tmp_path / "pvp.sssom.tsv"
    kg.export("sssom", path)
    msdf = parse_sssom_table(str(path))
    validate(msdf, [SchemaValidationType.PrefixMapCompleteness,
                    SchemaValidationType.JsonSchema], fail_on_error=True)
    got = {(r.subject_id, r.predicate_id, r.object_id) for r in msdf.df.itertuples()}
    # expected: every SKOS mapping the graph asserts from a labelled term ...
    expected = set()
    skos = "http://www.w3.org/2004/02/skos/core#"
    for name in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"):
        for s, o in kg.graph.subject_objects(URIRef(skos + name)):
            if (s, RDFS.label, None) in kg.graph:
                expected.add((kg.terms.curie(str(s)), f"skos:{name}", kg.terms.curie(str(o))))
    # ... and every bundled mapping whose subject is a term of the graph (read by sssom-py)
    bundled = ontology_dir() / "mappings" / "pvp.sssom.tsv"
    if bundled.is_file():
        source = parse_sssom_table(str(bundled))
        for r in source.df.itertuples():
            iri = source.converter.expand(r.subject_id)
            if (URIRef(iri), RDFS.label, None) in kg.graph:
                expected.add((r.subject_id, r.predicate_id, r.object_id))
    assert got == expected
    assert msdf.metadata["license"].startswith("http")


# -- OBO Graphs --------------------------------------------------------------------------------

def test_obographs_validates_and_matches_the_graph(kg, tmp_path):
    import obographs

    path = tmp_path / "pvp.json"
    kg.export("obographs", path)
    raw = json.loads(path.read_text())
    document = obographs.GraphDocument.model_validate(raw)
    # nothing outside the schema: the model re-dumps to exactly the same JSON
    assert document.model_dump(exclude_unset=True, exclude_none=True) == raw
    graph = obographs.read(path)

    nodes = {n.id: n for n in graph.nodes}
    for s in kg.graph.subjects(RDF.type, OWL.Class):
        if isinstance(s, URIRef) and (s, RDFS.label, None) in kg.graph:
            assert nodes[str(s)].type == "CLASS" and nodes[str(s)].lbl == kg.terms.label(str(s))
    for s in kg.graph.subjects(RDF.type, OWL.ObjectProperty):
        if isinstance(s, URIRef):
            assert nodes[str(s)].type == "PROPERTY" and nodes[str(s)].propertyType == "OBJECT"

    edges = {(e.sub, e.pred, e.obj): e for e in graph.edges}
    for e in kg.edges:
        pred = "is_a" if e.predicate == str(RDFS.subClassOf) else e.predicate
        edge = edges[(e.subject, pred, e.object)]
        values = {(p.pred, p.val) for p in (edge.meta.basicPropertyValues if edge.meta else [])}
        sources = {v for p, v in values if p == str(DCTERMS.source)}
        levels = {v for p, v in values if p == str(EVIDENCE_LEVEL)}
        assert sources == {ev.source.iri for ev in e.evidence}
        assert levels == {ev.level_iri for ev in e.evidence if ev.level_iri}
    others = {k[1] for k in edges} - {"is_a"} - {e.predicate for e in kg.edges}
    assert others <= {"type", "subPropertyOf", "inverseOf"}
    individuals = {str(s) for s in kg.graph.subjects(RDF.type, OWL.NamedIndividual)}
    for sub, pred, obj in edges:
        if pred == "type":
            assert sub in individuals and (URIRef(sub), RDF.type, URIRef(obj)) in kg.graph


def test_obographs_keeps_definitions_synonyms_and_numbers(kg):
    graph = json.loads(kg.export("obographs"))["graphs"][0]
    nodes = {n["id"]: n for n in graph["nodes"]}
    concept = kg.concept("PVP")
    meta = nodes[concept.iri]["meta"]
    assert meta["definition"]["val"] == concept.definition
    assert {s["val"] for s in meta.get("synonyms", [])} == {*concept.synonyms,
                                                            *concept.abbreviations}
    finding = kg.terms.finding(str(next(kg.graph.subjects(RDF.type, PVP.QuantitativeFinding))))
    values = {(p["pred"], p["val"]) for p in nodes[finding.iri]["meta"]["basicPropertyValues"]}
    for name in ("minValue", "maxValue", "value"):
        number = getattr(finding, {"minValue": "min_value", "maxValue": "max_value"}.get(
            name, name))
        if number is not None:
            assert any(p == str(PVP[name]) and float(v) == number for p, v in values)


# -- the command line --------------------------------------------------------------------------

def run_cli(*args: str, cwd: Path | None = None):
    import subprocess
    import sys

    return subprocess.run([str(Path(sys.executable).parent / "pvp-kg"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_cli_export(kg, tmp_path):
    out = run_cli("export", "--json", "neo4j", str(tmp_path / "neo4j"))
    assert out.returncode == 0, out.stderr
    files = {Path(f["path"]).name for f in json.loads(out.stdout)["files"]}
    assert files == {"nodes.csv", "relationships.csv"}
    text = run_cli("export", "TTL")  # alias, any case; no PATH: standard output
    assert text.returncode == 0
    assert len(rdflib.Graph().parse(data=text.stdout, format="turtle")) == len(kg.graph)
    written = run_cli("export", "graphml", "pvp.graphml", cwd=tmp_path)
    assert written.returncode == 0 and "pvp.graphml" in written.stdout
    assert (tmp_path / "pvp.graphml").stat().st_size > 0


@pytest.mark.parametrize(("args", "message"), [
    (("export", "yaml", "x"), "unknown export format 'yaml'"),
    (("export", "kgx"), "directory of files"),
])
def test_cli_export_usage_errors(args, message, tmp_path):
    out = run_cli(*args, cwd=tmp_path)
    assert out.returncode == 2 and message in out.stderr
    assert list(tmp_path.iterdir()) == []

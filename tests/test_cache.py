"""The start-up cache of the bundled graph (pvp_kg/cache.py) and the answer caches
(pvp_kg/memo.py): what users rely on is that a cached answer is never a stale or a corrupted
one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import RDFS, Graph, URIRef

import pvp_kg
from pvp_kg import cache, loader, resources
from pvp_kg.prefixes import PrefixTable

PROBE = """@prefix pvp: <https://w3id.org/pvp-kg/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
pvp:CacheProbeLeakage a owl:Class ; rdfs:subClassOf pvp:CementLeakage ;
    rdfs:label "cache probe leakage"@en .
"""


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("PVP_KG_CACHE_DIR", str(directory))
    monkeypatch.delenv("PVP_KG_CACHE", raising=False)
    return directory


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.pickle"))}


def _labels(kg: pvp_kg.KnowledgeGraph, related_to: str = "cement leakage") -> set[str]:
    return {item.label for item in kg.complications(related_to=related_to)}


def test_cache_is_written_and_gives_the_same_graph(cache_dir: Path) -> None:
    first = pvp_kg.load()  # builds and writes the cache
    assert len(_files(cache_dir)) == 1
    second = pvp_kg.load()  # read from it
    assert set(second.graph) == set(first.graph)
    assert list(second.edges) == list(first.edges)
    assert second.concept("PVP").label == "percutaneous vertebroplasty"
    assert _labels(second) == _labels(first)
    assert second.ask("Which complications relate to cement leakage?").intent == \
        "complications_related_to"


def test_each_load_is_an_independent_copy(cache_dir: Path, tmp_path: Path) -> None:
    pvp_kg.load()
    one, two = pvp_kg.load(), pvp_kg.load()
    extra = tmp_path / "probe.ttl"
    extra.write_text(PROBE, encoding="utf-8")
    one.merge(extra)
    assert "cache probe leakage" in _labels(one)
    assert "cache probe leakage" not in _labels(two)


def test_corrupt_cache_file_is_rebuilt(cache_dir: Path) -> None:
    reference = pvp_kg.load()
    (path,) = cache_dir.glob("*.pickle")
    good = path.read_bytes()
    for garbage in (b"", b"not a pickle", good[: len(good) // 2], good[:200] + b"\0" * 500):
        path.write_bytes(garbage)
        kg = pvp_kg.load()
        assert len(kg.graph) == len(reference.graph)
        assert _labels(kg) == _labels(reference)
        rewritten = path.read_bytes()
        assert rewritten != garbage and cache.loads(rewritten[rewritten.index(b"\n", 12) + 1:])


def test_edited_ontology_file_rebuilds_the_cache(cache_dir: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "ontology"
    copy.mkdir()
    for path in resources.ontology_files():
        shutil.copy(path, copy / path.name)
    files = tuple(copy / p.name for p in resources.ontology_files())
    monkeypatch.setattr(resources, "ontology_files", lambda: files)
    monkeypatch.setattr(loader, "ontology_files", lambda: files)

    before = pvp_kg.load()
    assert "cache probe leakage" not in _labels(before)
    assert len(_files(cache_dir)) == 1
    with (copy / "pvp.ttl").open("a", encoding="utf-8") as out:
        out.write("\n" + PROBE.split("\n", 3)[3])
    after = pvp_kg.load()  # the Turtle changed: parsed again, not read from the old cache
    assert "cache probe leakage" in _labels(after)
    assert len(_files(cache_dir)) == 2  # a file under the new key
    assert "cache probe leakage" in _labels(pvp_kg.load())  # and it is the one read back


def test_user_files_are_never_cached_as_the_bundled_graph(cache_dir: Path,
                                                          tmp_path: Path) -> None:
    pvp_kg.load()
    written = _files(cache_dir)
    extra = tmp_path / "probe.ttl"
    extra.write_text(PROBE, encoding="utf-8")
    merged = pvp_kg.load(extra)
    assert "cache probe leakage" in _labels(merged)
    assert _files(cache_dir) == written  # the cache holds the shipped graph only
    assert "cache probe leakage" not in _labels(pvp_kg.load())


def test_cache_can_be_turned_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PVP_KG_CACHE", "0")
    assert cache.cache_dir() is None
    assert pvp_kg.load().concept("PVP").label == "percutaneous vertebroplasty"
    assert not cache_dir.exists()


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PVP_KG_CACHE_DIR", raising=False)
    monkeypatch.delenv("PVP_KG_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "pvp_kg"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "pvp_kg"


def test_unwritable_cache_dir_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("PVP_KG_CACHE_DIR", str(blocker / "cache"))
    assert pvp_kg.load().concept("PVP").label == "percutaneous vertebroplasty"


# -- the answer caches -------------------------------------------------------------------------

def test_merge_invalidates_remembered_answers(fresh_kg: pvp_kg.KnowledgeGraph,
                                              tmp_path: Path) -> None:
    question = "Which complications relate to cement leakage?"
    before = _labels(fresh_kg)
    asked = fresh_kg.ask(question)
    assert "cache probe leakage" not in before
    assert _labels(fresh_kg) == before  # remembered, same answer
    extra = tmp_path / "probe.ttl"
    extra.write_text(PROBE, encoding="utf-8")
    fresh_kg.merge(extra)
    assert _labels(fresh_kg) == before | {"cache probe leakage"}
    after = fresh_kg.ask(question)
    assert "cache probe leakage" in {c.label for c in after.concepts}
    assert len(after.items) == len(asked.items) + 1


def test_direct_graph_edit_is_noticed(fresh_kg: pvp_kg.KnowledgeGraph) -> None:
    from rdflib import Graph

    before = _labels(fresh_kg)
    fresh_kg.graph += Graph().parse(data=PROBE, format="turtle")
    assert _labels(fresh_kg) == before | {"cache probe leakage"}


def test_callers_cannot_corrupt_remembered_answers(fresh_kg: pvp_kg.KnowledgeGraph) -> None:
    first = fresh_kg.complications(related_to="cement leakage")
    expected = list(first)
    first.clear()
    assert fresh_kg.complications(related_to="cement leakage") == expected
    items, _timing = fresh_kg.injected_material()
    items.append(items[0])
    assert len(fresh_kg.injected_material()[0]) == len(items) - 1


def test_bad_arguments_still_raise_when_a_good_call_was_remembered(
        fresh_kg: pvp_kg.KnowledgeGraph) -> None:
    fresh_kg.aftercare(avoid_only=True)
    with pytest.raises(TypeError):
        fresh_kg.aftercare(avoid_only=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        fresh_kg.complications(related_to=["cement leakage"])  # type: ignore[arg-type]


def test_prefix_table_round_trips() -> None:
    table = PrefixTable({"a": "http://x/a#", "ab": "http://x/a#b/"})
    assert table.compress("http://x/a#b/c") == "ab:c"  # the longest namespace wins
    assert table.compress("http://x/a#c") == "a:c"
    assert table.compress("http://y/") is None
    assert table.expand("ab:c") == "http://x/a#b/c"
    assert table.expand("zz:c") is None
    assert table.expand("no-colon") is None
    with pytest.raises(ValueError, match="share the namespace"):
        PrefixTable({"a": "http://x/", "b": "http://x/"})


# -- progress display ----------------------------------------------------------------------------

def test_progress_shows_on_a_terminal_only_and_never_when_quiet() -> None:
    import io

    from rich.console import Console

    from pvp_kg import progress as prog

    screen = io.StringIO()
    with prog.progress("Exporting turtle", console=Console(file=screen, force_terminal=True)):
        pass
    assert "Exporting turtle" in screen.getvalue()
    assert not prog.enabled(io.StringIO())  # a pipe or a file: nothing is shown
    prog.set_quiet(True)
    try:
        quiet = io.StringIO()
        with prog.progress("Exporting turtle", console=Console(file=quiet, force_terminal=True)):
            pass
        assert quiet.getvalue() == ""
    finally:
        prog.set_quiet(False)


def test_cli_quiet_flag_and_no_progress_off_a_terminal(tmp_path: Path) -> None:
    import subprocess
    import sys

    extra = tmp_path / "probe.ttl"
    extra.write_text(PROBE, encoding="utf-8")
    for flags in ([], ["--quiet"]):
        out = subprocess.run([sys.executable, "-m", "pvp_kg", *flags, "--load", str(extra),
                              "export", "ntriples", str(tmp_path / "out.nt")],
                             capture_output=True, text=True, check=True)
        assert out.stderr == ""
        assert "CacheProbeLeakage" in (tmp_path / "out.nt").read_text(encoding="utf-8")


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_the_cache_leaves_the_garbage_collector_as_it_was(enabled):
    """`loads` pauses the collector while it unpickles, and restores the caller's setting,
    also when the data is corrupt."""
    import gc

    data = cache.dumps({"a": (1, 2.5, "x")})
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert cache.loads(data) == {"a": (1, 2.5, "x")}
        assert gc.isenabled() is enabled
        with pytest.raises(Exception):  # noqa: B017 - whatever pickle raises
            cache.loads(b"\x80\x05corrupt")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def _plain_copy(graph: Graph) -> Graph:
    plain = Graph()
    plain += graph
    return plain


def test_lazily_read_store_answers_every_pattern_like_a_plain_one(cache_dir: Path) -> None:
    """The start-up cache leaves out the store's object index and triple sets
    (cache.LazyMemory); every pattern, ``len`` and SPARQL still see exactly the triples of a
    plain rdflib store, and the missing parts are built only when a pattern needs them."""
    pvp_kg.load()
    kg = pvp_kg.load()  # read from the cache file
    store = kg.graph.store
    assert isinstance(store, cache.LazyMemory) and store._pending is not None
    plain = _plain_copy(pvp_kg.load().graph)
    assert len(kg.graph) == len(plain) > 9000
    kg.complications(related_to="cement leakage")
    kg.ask("Which complications relate to cement leakage?")
    assert store._pending is not None  # answers read only the subject and predicate indexes
    pvp = URIRef("https://w3id.org/pvp-kg/PercutaneousVertebroplasty")
    assert set(kg.graph.predicate_objects(pvp)) == set(plain.predicate_objects(pvp))
    assert set(kg.graph.subjects(RDFS.label)) == set(plain.subjects(RDFS.label))
    assert store._pending is not None
    assert set(kg.graph.subject_predicates(pvp)) == set(plain.subject_predicates(pvp))
    assert store._pending is None  # an object-only pattern built the rest
    assert set(kg.graph) == set(plain)
    query = "SELECT ?s ?p WHERE { ?s ?p pvp:PercutaneousVertebroplasty }"
    ns = {"pvp": "https://w3id.org/pvp-kg/"}
    assert set(kg.graph.query(query, initNs=ns)) == set(plain.query(query, initNs=ns))


@pytest.mark.parametrize("change", ["add", "remove"])
def test_lazily_read_store_takes_changes_like_a_plain_one(cache_dir: Path, change: str) -> None:
    pvp_kg.load()
    graph = pvp_kg.load().graph
    plain = _plain_copy(pvp_kg.load().graph)
    pvp = URIRef("https://w3id.org/pvp-kg/PercutaneousVertebroplasty")
    triple = (URIRef("https://w3id.org/pvp-kg/Probe"), RDFS.seeAlso, pvp)
    for g in (graph, plain):
        if change == "add":
            g.add(triple)
        else:
            g.remove((None, None, pvp))
    assert len(graph) == len(plain)
    assert set(graph) == set(plain)
    assert set(graph.subject_predicates(pvp)) == set(plain.subject_predicates(pvp))


def test_a_lazily_read_store_pickles_back_to_the_same_triples(cache_dir: Path) -> None:
    pvp_kg.load()
    graph = pvp_kg.load().graph
    again = cache.loads(cache.dumps(graph))  # pickled while its indexes are still pending
    assert set(again) == set(graph)
    assert len(again) == len(graph)
    graph.add((URIRef("https://w3id.org/pvp-kg/Probe"), RDFS.seeAlso, RDFS.label))
    once_more = cache.loads(cache.dumps(graph))  # pickled after it was completed
    assert once_more.store._pending is not None
    assert set(once_more) == set(graph) and len(once_more) == len(graph)

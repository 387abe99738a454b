"""``serve`` and ``push`` against real Oxigraph server processes on 127.0.0.1.

Each server listens on a free loopback port and is stopped by its fixture's finalizer. The
checks talk to the servers with plain ``urllib`` (SPARQL 1.1 Protocol), not with the code
under test.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

import pvp_kg
from pvp_kg.server import (
    DEFAULT_GRAPH,
    ServerError,
    check_graph_iri,
    free_port,
    push,
    remote_query,
    serve,
)

from .helpers import ROOT

pytestmark = pytest.mark.server

BIN = Path(sys.executable).parent / "pvp-kg"
TIMEOUT = 30


def http(url: str, query: str, *, accept: str = "application/sparql-results+json",
         update: bool = False) -> bytes:
    """POST a query (or update) with urllib; return the body."""
    request = urllib.request.Request(url, data=query.encode(), method="POST", headers={
        "Content-Type": "application/sparql-update" if update else "application/sparql-query",
        "Accept": accept})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return response.read()


def count(server, graph: str | None = None) -> int:
    """Triples in the default graph (None), one named graph, or all named graphs ("*")."""
    pattern = {None: "?s ?p ?o", "*": "GRAPH ?g { ?s ?p ?o }"}.get(
        graph, f"GRAPH <{graph}> {{ ?s ?p ?o }}")
    body = http(server.query_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


_NUMBERS = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("decimal", "double", "float",
                                                                "integer", "int", "long")}


def canonical_nt(data: bytes) -> ox.Dataset:
    """N-Triples as a canonical dataset; numbers compared by value (Oxigraph stores
    ``"70.0"^^xsd:decimal`` as ``"70"``)."""
    def term(t):
        if isinstance(t, ox.Literal) and t.datatype.value in _NUMBERS:
            return ox.Literal(repr(float(t.value)), datatype=t.datatype)
        return t

    dataset = ox.Dataset(ox.Quad(term(q.subject), q.predicate, term(q.object))
                         for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


def graph_back(server, graph: str) -> ox.Dataset:
    return canonical_nt(http(server.query_url, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH "
                                               f"<{graph}> {{ ?s ?p ?o }} }}",
                             accept="application/n-triples"))


def canonical(kg: pvp_kg.KnowledgeGraph) -> ox.Dataset:
    return canonical_nt(kg.export("ntriples").encode())


@pytest.fixture()
def store():
    """An empty, writable Oxigraph server on a free loopback port."""
    server = serve(None, read_only=False)
    yield server
    server.stop()
    assert not server.running


@pytest.fixture(scope="module")
def served(kg):
    """The graph, served read-only."""
    server = serve(kg)
    yield server
    server.stop()


def test_served_graph_answers_sparql_over_http(kg, served):
    assert served.url.startswith("http://127.0.0.1:")
    assert count(served) == len(kg.graph)
    body = http(served.query_url, "SELECT ?label WHERE { <https://w3id.org/pvp-kg/"
                                  "PercutaneousVertebroplasty> "
                                  "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
    labels = [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert labels == [kg.concept("pvp:PercutaneousVertebroplasty").label]


def test_read_only_server_refuses_writes(kg, served):
    with pytest.raises(urllib.error.HTTPError) as info:
        http(served.update_url, "DROP ALL", update=True)
    assert info.value.code in (403, 405)
    with pytest.raises(ServerError, match="refused: HTTP 403"):
        push(kg, served.store_url)
    assert count(served) == len(kg.graph)


@pytest.mark.parametrize(("endpoint", "protocol"), [("store_url", "gsp"),
                                                    ("update_url", "update")])
def test_push_is_idempotent(kg, store, endpoint, protocol):
    url = getattr(store, endpoint)
    first = push(kg, url)
    assert first.protocol == protocol and first.graph == DEFAULT_GRAPH
    assert first.triples == len(kg.graph) == count(store, DEFAULT_GRAPH)
    assert graph_back(store, DEFAULT_GRAPH) == canonical(kg)
    push(kg, url)  # again: replaces, blank nodes and all, so still one copy
    assert count(store, DEFAULT_GRAPH) == len(kg.graph) == count(store, "*")
    assert graph_back(store, DEFAULT_GRAPH) == canonical(kg)


def test_push_replaces_stale_content_and_leaves_other_graphs(kg, store):
    http(store.update_url, "INSERT DATA { GRAPH <https://example.org/g> { <urn:a> <urn:b> 1 } "
                           f"GRAPH <{DEFAULT_GRAPH}> {{ <urn:stale> <urn:b> 2 }} }}", update=True)
    push(kg, store.store_url)
    assert count(store, DEFAULT_GRAPH) == len(kg.graph)
    assert b"urn:stale" not in http(store.query_url, f"SELECT * {{ GRAPH <{DEFAULT_GRAPH}> "
                                                     "{ <urn:stale> ?p ?o } }")
    assert count(store, "https://example.org/g") == 1
    push(kg, store.update_url, graph="https://example.org/second")
    assert count(store, "https://example.org/second") == len(kg.graph)
    assert count(store, "*") == 2 * len(kg.graph) + 1


def test_push_protocol_choice():
    from pvp_kg.server import _protocol_for

    assert _protocol_for("http://h/ds/update", "auto") == "update"
    assert _protocol_for("http://h/repositories/x/statements", "auto") == "update"
    assert _protocol_for("http://h/sparql", "auto") == "update"
    assert _protocol_for("http://h/store", "auto") == "gsp"
    assert _protocol_for("http://h/sparql", "gsp") == "gsp"
    with pytest.raises(pvp_kg.InvalidInputError):
        _protocol_for("http://h/store", "ftp")


@pytest.mark.parametrize("graph", ["not an iri", "https://example.org/a> } ; DROP ALL ; {",
                                   "<https://example.org/x>", ""])
def test_bad_graph_iri_is_refused_before_sending(kg, store, graph):
    with pytest.raises(pvp_kg.InvalidInputError, match="not an absolute IRI"):
        push(kg, store.update_url, graph=graph)
    assert count(store, "*") == count(store) == 0


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text().map(lambda t: "https://example.org/" + t)))
def test_a_graph_name_cannot_break_out_of_the_update(graph):
    """Whatever the name, it is refused, or the update push sends parses (with rdflib's
    SPARQL parser) as exactly the two intended operations on exactly that graph."""
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        check_graph_iri(graph)
    except pvp_kg.InvalidInputError:
        return
    update = translateUpdate(parseUpdate(
        f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n"
        "<urn:a> <urn:b> <urn:c> .\n}}\n"))
    assert [op.name for op in update.algebra] == ["Drop", "InsertData"]
    assert str(update.algebra[0].graphiri) == graph
    assert [str(g) for g in update.algebra[1].quads] == [graph]


def test_unreachable_endpoint_fails_fast(kg):
    port = free_port()
    start = time.monotonic()
    with pytest.raises(ServerError, match="cannot reach"):
        push(kg, f"http://127.0.0.1:{port}/store", timeout=5)
    assert time.monotonic() - start < 10
    with pytest.raises(pvp_kg.InvalidInputError, match="not an http"):
        push(kg, "file:///etc/passwd")


def test_remote_query_kinds(kg, served):
    rows = remote_query(served.query_url, "SELECT ?s WHERE { ?s a "
                        "<http://www.w3.org/2002/07/owl#Axiom> } LIMIT 3", timeout=10)
    assert len(rows) == 3 and all(isinstance(r["s"], rdflib.BNode) for r in rows)
    assert remote_query(served.query_url, "ASK { ?s ?p ?o }") is True
    built = remote_query(served.query_url, "CONSTRUCT WHERE { ?s "
                         "<http://www.w3.org/2000/01/rdf-schema#label> ?o }")
    assert isinstance(built, rdflib.Graph)
    assert len(built) == len(list(kg.graph.triples((None, rdflib.RDFS.label, None))))
    with pytest.raises(ServerError, match="HTTP 400"):
        remote_query(served.query_url, "SELEKT nothing")


def test_federated_query_across_two_servers(kg, served, store):
    push(kg, store.store_url)
    query = f"""SELECT (COUNT(*) AS ?n) WHERE {{
        GRAPH <{DEFAULT_GRAPH}> {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }}
        SERVICE <{served.query_url}> {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }}
    }}"""
    body = json.loads(http(store.query_url, query))
    local = len(set(kg.graph.triples((None, rdflib.RDFS.label, None))))
    assert int(body["results"]["bindings"][0]["n"]["value"]) == local


def test_server_that_cannot_start_reports_why(kg, served):
    port = int(served.url.rsplit(":", 1)[1])  # already taken
    with pytest.raises(ServerError, match=f"cannot listen on 127.0.0.1:{port}"):
        serve(None, read_only=False, port=port, startup_timeout=10)
    assert count(served) == len(kg.graph)  # the running server is untouched


# -- the command line --------------------------------------------------------------------------

def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=120)


def test_cli_push(kg, store):
    out = run("push", store.store_url, "--graph", "https://example.org/cli", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["triples"] == count(store, "https://example.org/cli") == len(
        kg.graph)
    text = run("push", store.update_url, "--graph", "https://example.org/cli")
    assert text.returncode == 0 and "pushed" in text.stdout
    assert count(store, "https://example.org/cli") == len(kg.graph)


def test_cli_push_errors():
    down = run("push", f"http://127.0.0.1:{free_port()}/store", "--timeout", "5")
    assert down.returncode == 1 and "cannot reach" in down.stderr
    bad = run("push", "ftp://example.org/x")
    assert bad.returncode == 2 and "not an http" in bad.stderr
    bad_graph = run("push", "http://127.0.0.1:1/store", "--graph", "no iri")
    assert bad_graph.returncode == 2 and "not an absolute IRI" in bad_graph.stderr


def test_cli_serve_until_terminated(kg):
    process = subprocess.Popen([str(BIN), "serve", "--port", "0", "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()  # printed once the server answers
        info = json.loads(line)
        assert info["read_only"] is True and info["url"].startswith("http://127.0.0.1:")
        assert int(json.loads(http(info["query"], "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
                   ["results"]["bindings"][0]["n"]["value"]) == len(kg.graph)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=TIMEOUT) == 0
        with pytest.raises(urllib.error.URLError):
            http(info["query"], "ASK {}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(TIMEOUT)
        process.stdout.close()
        process.stderr.close()


def test_remote_query_adds_the_predefined_prefixes(kg, served):
    query = ("SELECT ?c WHERE { pvp:PercutaneousVertebroplasty pvp:hasComplication ?c . "
             "?c rdfs:label ?l }")
    rows = remote_query(served.query_url, query)
    assert {str(r["c"]) for r in rows} == {i.concept.iri for i in kg.complications()}
    with pytest.raises(ServerError, match="HTTP 400"):  # as sent, the endpoint knows none
        remote_query(served.query_url, query, prefixes=False)
    declared = "PREFIX pvp: <https://w3id.org/pvp-kg/>\n" + query  # kept, not declared twice
    assert len(remote_query(served.query_url, declared)) == len(rows)


def test_documented_curl_query_carries_its_prefixes(kg, served):
    text = (ROOT / "docs" / "triple-store.md").read_text(encoding="utf-8")
    query = text.split("--data-urlencode 'query=", 1)[1].split("'\n```", 1)[0]
    body = http(served.query_url, query, accept="text/csv")
    labels = body.decode().splitlines()[1:]
    assert sorted(labels) == sorted(i.label for i in kg.complications())

"""Serve the graph as a SPARQL endpoint, and push it into a triple store, twice.

A local Oxigraph server stands in for the remote store here; with a real one (Fuseki,
GraphDB, Virtuoso, QLever …) pass its Graph Store or Update URL to ``push`` instead.

Run: python examples/triple_store.py      (needs the server extra: pip install 'pvp_kg[server]')
"""

import pvp_kg
from pvp_kg.server import push, remote_query, serve

kg = pvp_kg.load()

# 1. A read-only SPARQL 1.1 endpoint over the graph, on 127.0.0.1 (like `pvp-kg serve`).
with serve(kg) as endpoint:
    print("endpoint:", endpoint.query_url)
    rows = remote_query(endpoint.query_url, """
        PREFIX pvp: <https://w3id.org/pvp-kg/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label WHERE {
          pvp:PercutaneousVertebroplasty pvp:hasComplication ?c . ?c rdfs:label ?label
        } ORDER BY ?label""")
    print("complications, straight from the endpoint:", ", ".join(str(r["label"]) for r in rows))

# 2. Push into a named graph of a writable store (like `pvp-kg push URL --graph IRI`).
graph = "https://example.org/graphs/pvp"
count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
with serve(read_only=False) as store:
    for attempt in (1, 2):  # the second push replaces the first: still one copy
        result = push(kg, store.store_url, graph=graph)
        n = int(remote_query(store.query_url, count).rows[0][0])
        print(f"push {attempt}: sent {result.triples:,} triples ({result.protocol}, HTTP "
              f"{result.status}); the named graph holds {n:,}")
        assert n == len(kg.graph)
    # The same through SPARQL Update (DROP SILENT GRAPH + INSERT DATA in one request).
    result = push(kg, store.update_url, graph=graph)
    print(f"push via {result.protocol}: the named graph holds "
          f"{int(remote_query(store.query_url, count).rows[0][0]):,} triples")

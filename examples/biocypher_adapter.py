"""A BioCypher-style adapter over the PVP graph.

BioCypher reads nodes as ``(id, label, properties)`` and edges as
``(id, source, target, label, properties)`` tuples from an adapter's generators. This script
builds both from pvp_kg's property-graph view (Biolink categories and predicates, provenance
on every edge) and checks their shape; hand ``nodes()`` and ``edges()`` to your BioCypher
pipeline (BioCypher itself is not a dependency of pvp_kg, and is not run here).

Run: python examples/biocypher_adapter.py
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pvp_kg
from pvp_kg.propgraph import property_graph

kg = pvp_kg.load()
PG_NODES, PG_EDGES = property_graph(kg)


def nodes() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for node in PG_NODES:
        yield (node.id, node.categories[0] if node.categories else "biolink:NamedThing",
               {"name": node.name, "description": node.description or "",
                "synonyms": list(node.synonyms), "xrefs": list(node.xrefs)})


def edges() -> Iterator[tuple[str, str, str, str, dict[str, Any]]]:
    for edge in PG_EDGES:
        yield (edge.id, edge.subject, edge.object, edge.biolink_predicate,
               {"original_predicate": edge.predicate, "sources": list(edge.sources),
                "evidence_levels": list(edge.levels), "publications": list(edge.publications)})


node_list = list(nodes())
edge_list = list(edges())
ids = {n[0] for n in node_list}
assert all(len(n) == 3 and isinstance(n[2], dict) for n in node_list)
assert all(len(e) == 5 and e[1] in ids and e[2] in ids and e[4]["sources"] for e in edge_list)
print(f"{len(node_list)} nodes, {len(edge_list)} edges, every edge with its sources")

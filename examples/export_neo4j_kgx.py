"""Export the graph for Neo4j and for a Biolink/KGX pipeline, then look at what was written.

Run: python examples/export_neo4j_kgx.py [OUTPUT_DIRECTORY]   (default: ./pvp-kg-export)
"""

import csv
import sys
from collections import Counter
from pathlib import Path

import pvp_kg

out = Path(sys.argv[1] if len(sys.argv) > 1 else "pvp-kg-export")
kg = pvp_kg.load()

# Neo4j: nodes.csv + relationships.csv, ready for `neo4j-admin database import full`.
kg.export("neo4j", out / "neo4j")
with (out / "neo4j" / "relationships.csv").open(encoding="utf-8") as fh:
    relationships = list(csv.DictReader(fh))
print(f"neo4j: {len(relationships)} relationships; the most common types:")
for rel_type, n in Counter(r[":TYPE"] for r in relationships).most_common(5):
    print(f"  {n:4}  {rel_type}")

# KGX: Biolink categories and predicates, our predicate and sources on every edge.
kg.export("kgx", out / "kgx")
with (out / "kgx" / "pvp_kg_edges.tsv").open(encoding="utf-8") as fh:
    edges = list(csv.DictReader(fh, delimiter="\t"))
leak = kg.concept("cement leakage")
print(f"\nkgx: {len(edges)} edges; those into {leak.curie} ({leak.label}):")
for edge in edges:
    if edge["object"] == leak.curie:
        print(f"  {edge['subject']} {edge['predicate']} (ours: {edge['original_predicate']})"
              f"  sources: {edge['pvp_sources'] or '-'}  publications: "
              f"{edge['publications'] or '-'}")

# The other formats are one call each; without a path the single-file ones return text.
kg.export("graphml", out / "pvp.graphml")
kg.export("obographs", out / "pvp.json")
print("\nSSSOM mapping set, first rows:")
print("\n".join(line for line in kg.export("sssom").splitlines()
                if not line.startswith("#"))[:400])

assert relationships and edges and all(e["primary_knowledge_source"] for e in edges)
print(f"\nwritten under {out.resolve()}")

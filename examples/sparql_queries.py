"""SPARQL against the graph: named queries with bound parameters, and free read-only queries.

Run: python examples/sparql_queries.py
"""

import pvp_kg

kg = pvp_kg.load()

for name, query in sorted(kg.queries.items()):
    params = ", ".join(p.name + ("" if p.required else "?") for p in query.params)
    print(f"{name}({params}) — {query.title}")

rows = kg.sparql("risk_factors", concept="pvp:CementLeakage")
for row in rows:
    print(kg.terms.label(str(row["item"])))

count = kg.sparql("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a owl:Class }")
print("classes:", next(iter(count))["n"])

try:
    kg.sparql("DROP ALL")
except pvp_kg.UnsafeQueryError as exc:
    print("refused:", exc)

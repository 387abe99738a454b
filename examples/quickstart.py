"""Quick start: load the graph, ask a question, follow the evidence.

Run: python examples/quickstart.py
"""

import pvp_kg

kg = pvp_kg.load()

answer = kg.ask("Which complications relate to cement leakage?")
print(answer.explanation)
print("\nSources:")
for source in answer.sources:
    print(f"  [{source.curie}] {source.label} {source.url or ''}")

# The same question as a typed call: each item says why it is there.
for item in kg.complications(related_to="cement leakage")[:3]:
    print(item.label, "<-", " / ".join(e.describe() for e in item.via))

# Numbers are nodes with their source: the seed's figure beside the sham-controlled trials.
for finding in kg.findings(about="significant pain relief"):
    print(f"{finding.quantity() or '-':>20}  {finding.label}  "
          f"[{', '.join(e.source.curie for e in finding.evidence)}]")

assert answer.intent == "complications_related_to" and answer.sources

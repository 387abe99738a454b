"""Benchmarks, reported as ratios against plain rdflib doing the same work in the same run.

Run: make bench. Each measurement is the median of several runs; start-up costs are measured
in fresh processes.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPEAT = 5


def median_seconds(func: Callable[[], object], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fresh_process(code: str, repeat: int = 3) -> float:
    def run() -> None:
        subprocess.run([sys.executable, "-c", code], check=True)

    return median_seconds(run, repeat)


def synthetic_turtle(n: int) -> str:
    """A graph shaped like ours: n labelled classes, 2n punned edges each with an axiom."""
    random.seed(7)
    lines = ["@prefix pvp: <https://w3id.org/pvp-kg/> .",
             "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
             "@prefix dcterms: <http://purl.org/dc/terms/> ."]
    for i in range(n):
        lines.append(f'pvp:Syn{i} a owl:Class ; rdfs:label "synthetic {i}"@en ; '
                     "rdfs:subClassOf pvp:Complication .")
    for _ in range(2 * n):
        a, b = random.randrange(n), random.randrange(n)
        lines.append(f"pvp:Syn{a} pvp:hasRiskFactor pvp:Syn{b} .")
        lines.append(f"[] a owl:Axiom ; owl:annotatedSource pvp:Syn{a} ; "
                     f"owl:annotatedProperty pvp:hasRiskFactor ; owl:annotatedTarget pvp:Syn{b} ; "
                     "dcterms:source <https://w3id.org/pvp-kg/source/S1> .")
    return "\n".join(lines)


def main() -> None:
    import rdflib

    import pvp_kg
    from pvp_kg.resources import ontology_files

    files = ontology_files()

    def plain_parse() -> rdflib.Graph:
        g = rdflib.Graph()
        for f in files:
            g.parse(f)
        return g

    rows = []
    base_import = fresh_process("import rdflib")
    ours_import = fresh_process("import pvp_kg; pvp_kg.load()")
    rows.append(("import + load (fresh process)", ours_import, "import rdflib", base_import))

    base_parse = median_seconds(plain_parse)
    ours_load = median_seconds(pvp_kg.load)
    rows.append(("pvp_kg.load()", ours_load, "rdflib parse of the same files", base_parse))

    kg = pvp_kg.load()
    g = plain_parse()
    q = ("SELECT ?x WHERE { pvp:PercutaneousVertebroplasty pvp:hasIndication ?x }")
    ns = {"pvp": "https://w3id.org/pvp-kg/"}
    base_q = median_seconds(lambda: list(g.query(q, initNs=ns)), 20)
    ours_q = median_seconds(lambda: kg.indications(), 20)
    rows.append(("kg.indications() (with evidence)", ours_q, "bare rdflib SELECT", base_q))

    ours_ask = median_seconds(lambda: kg.ask("Which complications relate to cement leakage?"),
                              10)
    rows.append(("kg.ask(headline question)", ours_ask, "bare rdflib SELECT", base_q))

    with tempfile.TemporaryDirectory() as tmp:
        synthetic = Path(tmp) / "synthetic.ttl"
        synthetic.write_text(synthetic_turtle(3000), encoding="utf-8")
        base_big = median_seconds(lambda: rdflib.Graph().parse(synthetic), 3)
        ours_big = median_seconds(lambda: pvp_kg.load().merge(synthetic), 3)
        rows.append(("load + merge 45k sourced triples", ours_big,
                     "rdflib parse of the same file", base_big))

    print(f"{'measurement':40} {'ours':>10} {'baseline':>10} {'ratio':>8}  baseline")
    for name, ours, base_name, base in rows:
        print(f"{name:40} {ours * 1000:9.1f}ms {base * 1000:9.1f}ms {ours / base:7.2f}x  "
              f"{base_name}")


if __name__ == "__main__":
    main()

"""Benchmarks, reported as ratios against plain rdflib doing comparable work in the same run.

Run: make bench. Each figure is a median; start-up costs are measured in fresh processes,
interleaved with their baseline so that a machine busy with other work slows both alike.
Writes a Markdown table (printed, and benchmarks/results.md) and benchmarks/results.json with
the machine it ran on. Absolute times vary with the machine's load; the ratios carry over.

Targets (issue 11): cold start ≤ 1.5× ``import rdflib``; a typed call ≤ 1× and ``ask()`` ≤ 3×
one trivial rdflib SPARQL query on the same graph.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPEAT = 7
QUESTION = "Which complications relate to cement leakage?"
TRIVIAL = "SELECT ?x WHERE { pvp:PercutaneousVertebroplasty pvp:hasIndication ?x }"
PVP = {"pvp": "https://w3id.org/pvp-kg/"}


def median_seconds(func: Callable[[], object], repeat: int = REPEAT, warmup: int = 1) -> float:
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(ours: Callable[[], object], base: Callable[[], object],
           repeat: int = 30) -> tuple[float, float]:
    """Medians of ``ours`` and ``base`` run alternately (a load spike hits both alike)."""
    ours()
    base()
    a, b = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        ours()
        a.append(time.perf_counter() - start)
        start = time.perf_counter()
        base()
        b.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def _child_env() -> dict[str, str]:
    """The environment of the fresh processes: bytecode may be written (as on a user's machine,
    where pip compiles the package at install), and the start-up cache is the usual one."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def fresh_pair(ours: str, base: str, repeat: int = 11) -> tuple[float, float]:
    """Median wall time of ``python -c ours`` and ``python -c base``, run alternately."""
    env = _child_env()

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        return time.perf_counter() - start

    run(ours)  # writes the bytecode and the start-up cache, as a first use would
    run(base)
    a, b = [], []
    for _ in range(repeat):
        a.append(run(ours))
        b.append(run(base))
    return statistics.median(a), statistics.median(b)


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


def machine() -> dict[str, object]:
    info: dict[str, object] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "os": platform.platform(),
        "machine": platform.machine(),
    }
    try:
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    try:
        import rdflib

        info["rdflib"] = rdflib.__version__
    except ImportError:
        pass
    return info


Row = dict[str, object]


def row(name: str, ours: float, base_name: str, base: float, target: float | None = None) -> Row:
    return {"measurement": name, "ours_s": ours, "baseline": base_name, "baseline_s": base,
            "ratio": ours / base, "target": target}


def measure() -> list[Row]:
    import rdflib

    import pvp_kg
    from pvp_kg.resources import ontology_files

    files = ontology_files()
    rows: list[Row] = []

    ours, base = fresh_pair("import pvp_kg; pvp_kg.load()", "import rdflib")
    rows.append(row("cold start: `import pvp_kg; pvp_kg.load()`", ours, "`import rdflib`", base,
                    1.5))
    trivial_code = (f"from rdflib import Graph; g = Graph()\n"
                    f"for f in {[str(f) for f in files]!r}: g.parse(f)\n"
                    f"list(g.query({TRIVIAL!r}, initNs={PVP!r}))")
    ours, base = fresh_pair("import pvp_kg; pvp_kg.load().complications("
                            "related_to='cement leakage')", trivial_code, repeat=7)
    rows.append(row("cold first answer: import, load, one typed call", ours,
                    "import rdflib, parse the same files, one trivial query", base))

    def plain_parse() -> rdflib.Graph:
        g = rdflib.Graph()
        for f in files:
            g.parse(f)
        return g

    ours, base = paired(pvp_kg.load, plain_parse, REPEAT)
    rows.append(row("warm `pvp_kg.load()` (start-up cache)", ours,
                    "rdflib parse of the same files", base))

    kg = pvp_kg.load()

    def trivial() -> object:
        return list(kg.graph.query(TRIVIAL, initNs=PVP))

    def uncached(call: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            kg._results.clear()  # as after a merge: no remembered answers
            return call()
        return run

    base_name = "one trivial rdflib SPARQL query, same graph"
    related = lambda: kg.complications(related_to="cement leakage")  # noqa: E731
    asking = lambda: kg.ask(QUESTION)  # noqa: E731
    for name, call, target, repeat in (
            ('`kg.complications(related_to="cement leakage")`', related, 1.0, 30),
            ("`kg.ask(headline question)`", asking, 3.0, 30),
            ("the same typed call, first time on this graph state", uncached(related), None, 15),
            ("the same `ask()`, first time on this graph state", uncached(asking), None, 15),
            ("`kg.indications()`", kg.indications, None, 30)):
        ours, base = paired(call, trivial, repeat)
        rows.append(row(name, ours, base_name, base, target))

    with tempfile.TemporaryDirectory() as tmp:
        synthetic = Path(tmp) / "synthetic.ttl"
        synthetic.write_text(synthetic_turtle(3000), encoding="utf-8")
        base_big = median_seconds(lambda: rdflib.Graph().parse(synthetic), 3, warmup=0)
        ours_big = median_seconds(lambda: pvp_kg.load().merge(synthetic), 3, warmup=0)
        rows.append(row("load + merge 45k sourced triples", ours_big,
                        "rdflib parse of the same file", base_big))
    return rows


def _ms(seconds: object) -> str:
    value = float(seconds)
    return f"{value * 1e6:,.1f} µs" if value < 1e-3 else f"{value * 1000:,.1f} ms"


def _ratio(value: object) -> str:
    ratio = float(value)
    return f"{ratio:.2f}×" if ratio >= 0.01 else f"{ratio:.4f}×"


def markdown(rows: list[Row], info: dict[str, object]) -> str:
    lines = ["| measurement | ours | baseline | baseline time | ratio | target |",
             "|---|---:|---|---:|---:|---:|"]
    for r in rows:
        target = r["target"]
        mark = "" if target is None else (
            f"≤ {target:g}× {'✓' if float(r['ratio']) <= float(target) else '✗'}")
        lines.append(f"| {r['measurement']} | {_ms(r['ours_s'])} | {r['baseline']} | "
                     f"{_ms(r['baseline_s'])} | {_ratio(r['ratio'])} | {mark} |")
    load = info.get("load_average")
    lines.append("")
    lines.append(f"Machine: {info['cpus']} CPUs, {info['os']}, {info['implementation']} "
                 f"{info['python']}, rdflib {info.get('rdflib', '?')}"
                 + (f"; load average {load[0]} (other work was running)"
                    if load else "") + ".")
    return "\n".join(lines)


def main() -> None:
    info = machine()
    rows = measure()
    info["load_average_after"] = machine().get("load_average")
    table = markdown(rows, info)
    print(table)
    (HERE / "results.md").write_text(table + "\n", encoding="utf-8")
    (HERE / "results.json").write_text(json.dumps(
        {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": info,
         "rows": rows}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

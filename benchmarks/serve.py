"""Throughput of ``pvp-kg serve`` on loopback: a SPARQL query at /query and the page at /.

Run: ``python benchmarks/serve.py``. Starts ``pvp-kg serve --port 0 --json`` as a real process
on 127.0.0.1, then for 1 and 8 concurrent clients (threads, each with its own keep-alive
``http.client`` connection) sends requests for a fixed time and reports requests per second
and p50/p95 latency. The baseline is the same SPARQL query run in-process on a plain rdflib
graph of the same files, one thread. Writes benchmarks/serve.json and benchmarks/serve.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
QUERY = ("PREFIX pvp: <https://w3id.org/pvp-kg/> "
         "SELECT ?x WHERE { pvp:PercutaneousVertebroplasty pvp:hasIndication ?x }")


def start_server() -> tuple[subprocess.Popen[str], str]:
    """Start ``pvp-kg serve`` on a free loopback port; return the process and its base URL."""
    exe = Path(sys.executable).parent / "pvp-kg"
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-m", "pvp_kg"]
    proc = subprocess.Popen([*cmd, "serve", "--host", "127.0.0.1", "--port", "0", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        err = proc.stderr.read() if proc.stderr else ""
        raise RuntimeError(f"pvp-kg serve did not start: {err}")
    info = json.loads(line)
    base: str = info["url"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # until the page answers
        try:
            conn = http.client.HTTPConnection(*_host_port(base), timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.1)
    return proc, base


def _host_port(base: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(base)
    return parts.hostname or "127.0.0.1", parts.port or 80


def load_test(base: str, method: str, path: str, body: bytes | None, headers: dict[str, str],
              clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` threads send requests for ``seconds``; return rps and latency figures."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    stop = time.monotonic() + seconds
    barrier = threading.Barrier(clients)

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(*_host_port(base), timeout=30)
        barrier.wait()
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    errors[i] += 1
            except OSError:
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection(*_host_port(base), timeout=30)
                continue
            latencies[i].append(time.perf_counter() - start)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    return summarise([x for lat in latencies for x in lat], elapsed, sum(errors), clients)


def summarise(latencies: list[float], elapsed: float, errors: int, clients: int) -> dict[str, Any]:
    ordered = sorted(latencies)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0

    return {"clients": clients, "requests": len(ordered), "errors": errors,
            "seconds": round(elapsed, 2), "rps": round(len(ordered) / elapsed, 1),
            "p50_ms": round(pct(0.50), 2), "p95_ms": round(pct(0.95), 2)}


def in_process_baseline(seconds: float) -> dict[str, Any]:
    """The same query on a plain rdflib graph of the bundled files, in this process."""
    import rdflib

    from pvp_kg.resources import ontology_files

    graph = rdflib.Graph()
    for f in ontology_files():
        graph.parse(f, format="turtle")
    run: Callable[[], object] = lambda: list(graph.query(QUERY))  # noqa: E731
    run()
    times = []
    stop = time.monotonic() + seconds
    began = time.monotonic()
    while time.monotonic() < stop:
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return summarise(times, time.monotonic() - began, 0, 1)


def markdown(data: dict[str, Any]) -> str:
    rows = ["| what | clients | requests/s | p50 | p95 | errors |", "|---|---|---|---|---|---|"]
    base = data["baseline"]
    rows.append(f"| SPARQL in-process, plain rdflib (baseline) | 1 | {base['rps']:,} | "
                f"{base['p50_ms']} ms | {base['p95_ms']} ms | 0 |")
    for name, runs in data["server"].items():
        for r in runs:
            rows.append(f"| `pvp-kg serve` {name} | {r['clients']} | {r['rps']:,} | "
                        f"{r['p50_ms']} ms | {r['p95_ms']} ms | {r['errors']} |")
    m = data["machine"]
    return ("\n".join(rows) + f"\n\nMachine: {m['cpus']} cores, {m['platform']}, Python "
            f"{m['python']}, load average {m['load_average']} at the start (shared with other "
            f"work). {data['seconds']} s per row; clients are threads on the same machine, "
            "each with its own keep-alive connection.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    machine = {"platform": platform.platform(), "python": platform.python_version(),
               "cpus": os.cpu_count(),
               "load_average": [round(x, 2) for x in os.getloadavg()]
               if hasattr(os, "getloadavg") else None}
    data: dict[str, Any] = {"machine": machine, "seconds": args.seconds, "query": QUERY,
                            "baseline": in_process_baseline(args.seconds), "server": {}}
    proc, base = start_server()
    try:
        form = urllib.parse.urlencode({"query": QUERY}).encode()
        targets = {
            "SPARQL at /query": ("POST", "/query", form,
                                 {"Content-Type": "application/x-www-form-urlencoded",
                                  "Accept": "application/sparql-results+json"}),
            "page at /": ("GET", "/", None, {"Accept": "text/html"}),
        }
        for name, (method, path, body, headers) in targets.items():
            load_test(base, method, path, body, headers, 1, 1.0)  # warm up
            data["server"][name] = [load_test(base, method, path, body, headers, n, args.seconds)
                                    for n in (1, 8)]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    (HERE / "serve.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    (HERE / "serve.md").write_text(markdown(data), encoding="utf-8")
    print(markdown(data))


if __name__ == "__main__":
    main()

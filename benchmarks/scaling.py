"""Load time and peak memory against graph size, per backend, each point in a fresh process.

Run: ``python benchmarks/scaling.py`` (``--sizes 10000,100000`` for a quick look, ``--all`` to
run the slow pvp_kg rdflib backend at 1M too). Writes benchmarks/scaling.json,
benchmarks/scaling.md and, when matplotlib is installed (the ``bench`` extra), docs/scaling.png.

Each point parses one generated N-Triples file (benchmarks/_synthetic.py: PVP-shaped classes,
annotated edges, restrictions) in a new Python process, which reports its own wall time
(imports included) and peak resident memory (``ru_maxrss``; psutil or /proc as fallbacks).
tracemalloc would miss the native Oxigraph store, hence processes. The ``pvp_kg`` points load
the bundled graph, merge the file and answer one typed call
(``kg.complications(related_to="cement leakage")``); the other points only parse.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _synthetic import write_ntriples  # noqa: E402

#: name → (what it does, the code a fresh process runs on PATH)
KINDS: dict[str, tuple[str, str]] = {
    "rdflib": ("plain rdflib: parse into the default in-memory store (baseline)",
               "import rdflib\ng = rdflib.Graph()\ng.parse(PATH, format='nt')\nn = len(g)"),
    "rdflib+oxrdflib": ("rdflib over the Oxigraph store (oxrdflib), Oxigraph's parser",
                        "import rdflib, oxrdflib\ng = rdflib.Graph(store='Oxigraph')\n"
                        "g.parse(PATH, format='ox-nt')\nn = len(g)"),
    "pvp_kg rdflib": ("pvp_kg backend='rdflib': load + merge + one typed call",
                      "import pvp_kg\nkg = pvp_kg.load(PATH, max_bytes=2**40)\n"
                      "kg.complications(related_to='cement leakage')\nn = len(kg.graph)"),
    "pvp_kg oxigraph": ("pvp_kg backend='oxigraph': load + merge + one typed call",
                        "import pvp_kg\nkg = pvp_kg.load(PATH, backend='oxigraph', "
                        "max_bytes=2**40)\nkg.complications(related_to='cement leakage')\n"
                        "n = len(kg.graph)"),
}
SLOW = {("pvp_kg rdflib", 1_000_000)}  # minutes and gigabytes: only with --all

_POINT = """
import time
_t0 = time.perf_counter()
PATH = {path!r}
{code}
_seconds = time.perf_counter() - _t0
def _peak_mb():
    try:
        import resource, sys
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)
    except ImportError:
        pass
    try:
        import psutil
        info = psutil.Process().memory_info()
        return getattr(info, "peak_wset", info.rss) / 2**20
    except ImportError:
        pass
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
import json
print(json.dumps({{"seconds": _seconds, "peak_mb": _peak_mb(), "triples": n}}))
"""


def run_point(kind: str, path: Path, timeout: float) -> dict[str, Any]:
    """Run one point in a fresh interpreter; return its seconds, peak MB and triple count."""
    code = _POINT.format(path=str(path), code=KINDS[kind][1])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} on {path.name} failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def machine() -> dict[str, Any]:
    """What the figures ran on."""
    info: dict[str, Any] = {"platform": platform.platform(), "python": platform.python_version(),
                            "cpus": os.cpu_count(), "processor": platform.processor() or None}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["processor"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    if hasattr(os, "getloadavg"):
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    return info


def markdown(data: dict[str, Any]) -> str:
    """The results as a Markdown table, with ratios against plain rdflib at each size."""
    sizes = data["sizes"]
    rows = ["| backend | " + " | ".join(f"{n:,} triples" for n in sizes)
            + f" | time ÷ rdflib at {sizes[-1]:,} | memory ÷ rdflib at {sizes[-1]:,} |",
            "|---|" + "---|" * (len(sizes) + 2)]
    base = data["points"]["rdflib"]
    for kind in KINDS:
        points = data["points"].get(kind, {})
        cells = []
        for n in sizes:
            p = points.get(str(n))
            cells.append("—" if p is None else f"{p['seconds']:.2f} s, {p['peak_mb']:.0f} MB")
        last, ref = points.get(str(sizes[-1])), base.get(str(sizes[-1]))
        if last is None or ref is None:
            ratios = ["—", "—"]
        else:
            ratios = [f"{last['seconds'] / ref['seconds']:.2f}×",
                      f"{last['peak_mb'] / ref['peak_mb']:.2f}×"]
        rows.append(f"| {kind} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    m = data["machine"]
    notes = [f"Machine: {m.get('processor')}, {m.get('cpus')} cores, {m.get('memory_gb')} GB, "
             f"{m.get('platform')}, Python {m.get('python')}; load average "
             f"{m.get('load_average_at_start')} at the start (shared with other work).",
             "Each cell: wall time of a fresh process (imports included) and its peak resident "
             f"memory; median of {data['repeat']} runs below 1M triples, one run at 1M."]
    notes += [f"- **{kind}**: {KINDS[kind][0]}" for kind in KINDS]
    return "\n".join(rows) + "\n\n" + "\n".join(notes) + "\n"


def plot(data: dict[str, Any], out: Path) -> bool:
    """Draw time and memory against size (log-log); False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for kind, points in data["points"].items():
        sizes = sorted(int(n) for n in points)
        left.plot(sizes, [points[str(n)]["seconds"] for n in sizes], marker="o", label=kind)
        right.plot(sizes, [points[str(n)]["peak_mb"] for n in sizes], marker="o", label=kind)
    for ax, what in ((left, "load time (s)"), (right, "peak resident memory (MB)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("triples in the merged file")
        ax.set_ylabel(what)
        ax.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)
    fig.suptitle("Loading PVP-shaped N-Triples: each point a fresh process")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--all", action="store_true", help="run the slow points too")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--kinds", default=",".join(KINDS))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = args.kinds.split(",")
    data: dict[str, Any] = {"machine": machine(), "sizes": sizes, "repeat": args.repeat,
                            "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                            "points": {k: {} for k in kinds}}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"synthetic-{n}.nt"
            write_ntriples(path, n)
            for kind in kinds:
                if (kind, n) in SLOW and not args.all:
                    continue
                repeat = 1 if n >= 1_000_000 else args.repeat
                runs = [run_point(kind, path, args.timeout) for _ in range(repeat)]
                point = {"seconds": statistics.median(r["seconds"] for r in runs),
                         "peak_mb": statistics.median(r["peak_mb"] for r in runs),
                         "triples": runs[0]["triples"], "runs": len(runs)}
                data["points"][kind][str(n)] = point
                print(f"{kind:18} {n:>9,}  {point['seconds']:8.2f} s  {point['peak_mb']:7.0f} MB"
                      f"  ({point['triples']:,} triples after)", flush=True)
    if hasattr(os, "getloadavg"):
        data["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    (HERE / "scaling.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    (HERE / "scaling.md").write_text(markdown(data), encoding="utf-8")
    drawn = plot(data, HERE.parent / "docs" / "scaling.png")
    print(markdown(data))
    if not drawn:
        print("matplotlib is missing (pip install 'pvp_kg[bench]'): no docs/scaling.png")


if __name__ == "__main__":
    main()

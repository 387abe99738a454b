"""The ``pvp-kg`` command line, through its real entry points."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "pvp-kg"


def run(*args: str, module: bool = False) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pvp_kg", *args] if module else [str(BIN), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_ask_prints_answer_with_sources():
    out = run("ask", "Which complications relate to cement leakage?")
    assert out.returncode == 0, out.stderr
    assert "pulmonary cement embolism" in out.stdout
    assert "Sources:" in out.stdout and "doi.org" in out.stdout


def test_ask_json_and_module_entry_point():
    out = run("ask", "--json", "What causes pulmonary cement embolism?", module=True)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["intent"] == "causes_of"
    assert any(c["curie"] == "pvp:VenousCementLeakage" for c in data["concepts"])
    assert data["sources"] and data["sparql"]


def test_ask_out_of_scope_exits_1():
    out = run("ask", "What is the capital of France?")
    assert out.returncode == 1
    assert "not covered" in out.stdout.lower()


def test_show_and_unknown_concept():
    out = run("show", "--json", "PMMA")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["concept"]["curie"] == "pvp:PMMABoneCement" and data["edges"]
    missing = run("show", "cement leakge")
    assert missing.returncode == 1
    assert "cement leakage" in missing.stderr


def test_search_json():
    out = run("search", "--json", "kyphoplsty", "--limit", "3")
    assert out.returncode == 0
    hits = json.loads(out.stdout)
    assert hits[0]["concept"]["curie"] == "pvp:BalloonKyphoplasty" and len(hits) <= 3


def test_sparql_list_named_and_text(tmp_path):
    listed = run("sparql", "--list", "--json")
    names = {q["name"] for q in json.loads(listed.stdout)}
    assert {"complications_related_to", "steps", "risk_factors"} <= names
    named = run("sparql", "--json", "risk_factors", "-p", "concept=pvp:CementLeakage")
    assert named.returncode == 0, named.stderr
    assert json.loads(named.stdout)["rows"]
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?x WHERE { pvp:PercutaneousVertebroplasty pvp:hasIndication ?x }")
    from_file = run("sparql", "--json", str(rq))
    assert len(json.loads(from_file.stdout)["rows"]) >= 4


@pytest.mark.parametrize("args", [
    ("sparql", "DROP ALL"),
    ("sparql", "risk_factors", "-p", "colour=red"),
    ("sparql", "risk_factors", "-p", "novalue"),
    ("ask",),
    ("no-such-command",),
])
def test_usage_errors_exit_2(args):
    out = run(*args)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert out.stderr.strip()


def test_stats_json():
    out = run("stats", "--json")
    data = json.loads(out.stdout)
    assert data["classes"] >= 80 and data["edges"] > 100 and data["sources"] >= 15

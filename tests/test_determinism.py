"""ask() is deterministic: the same question gets the same reading and answer in every process,
whatever Python's string-hash seed (set iteration order) happens to be."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .helpers import ROOT

QUESTIONS = [
    "What causes infection after PVP?",  # "infection" names two concepts: a tie to break
    "management of spinal infection after vertebral augmentation",
    "Which complications relate to cement leakage?",
    "what can go wrong with the glue?",
]

SCRIPT = """
import json, sys
import pvp_kg
kg = pvp_kg.load()
out = []
for q in json.loads(sys.argv[1]):
    a = kg.ask(q)
    out.append([a.query, a.verdict, a.declined, [c.iri for c in a.concepts], a.explanation])
print(json.dumps(out))
"""


def _answers(seed: str) -> list[object]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PVP_KG_CACHE": "0"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(QUESTIONS)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.mark.slow
def test_answers_do_not_depend_on_the_hash_seed():
    first = _answers("1")
    assert len(first) == len(QUESTIONS)
    for seed in ("3", "4"):
        assert _answers(seed) == first

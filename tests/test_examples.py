"""Every ``examples/*.py`` runs as a script (a subprocess, in a scratch directory) and exits 0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


def _param(path: Path):  # type: ignore[no-untyped-def]
    starts_server = "pvp_kg.server" in path.read_text(encoding="utf-8")
    return pytest.param(path, id=path.stem,
                        marks=[pytest.mark.server] if starts_server else [])


def test_examples_exist():
    assert EXAMPLES


@pytest.mark.parametrize("example", [_param(p) for p in EXAMPLES])
def test_example_runs(example: Path, tmp_path: Path):
    out = subprocess.run([sys.executable, str(example)], cwd=tmp_path, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, f"{example.name} failed:\n{out.stdout}\n{out.stderr}"
    assert out.stdout.strip(), f"{example.name} printed nothing"

"""The wheel carries the ontology: build it, install it in a fresh venv, load from elsewhere."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_installed_wheel_loads_offline_from_another_directory(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("pvp_kg-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   capture_output=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("import pvp_kg, pathlib; kg = pvp_kg.load(); "
            "print(pathlib.Path(pvp_kg.__file__).parent); "
            "print(kg.concept('PVP').label); "
            "print(kg.ask('Which complications relate to cement leakage?').intent)")
    out = subprocess.run([str(py), "-c", code], cwd=elsewhere, capture_output=True, text=True,
                         check=True, timeout=120)
    where, label, intent = out.stdout.split("\n")[:3]
    assert str(env_dir) in where  # the installed copy, not the checkout
    assert label == "percutaneous vertebroplasty"
    assert intent == "complications_related_to"

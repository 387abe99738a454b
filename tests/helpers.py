"""Helpers the tests import (fixtures stay in conftest.py)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(name: str) -> str:
    """Return the path of an executable; skip without it, except in CI, where that fails."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is required in CI but is not installed")
        pytest.skip(f"{name} is not installed")
    return path


def labels(items: Iterable[Any]) -> set[str]:
    """The labels of answer items or concepts."""
    return {getattr(i, "label", None) or i.concept.label for i in items}


def curies(items: Iterable[Any]) -> set[str]:
    """The CURIEs of answer items or concepts."""
    return {(i.concept if hasattr(i, "concept") else i).curie for i in items}

"""Shared fixtures: one graph per session; tools that CI must have."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import pvp_kg

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def kg() -> pvp_kg.KnowledgeGraph:
    """The bundled graph, loaded once. Tests must not change it (use ``fresh_kg``)."""
    return pvp_kg.load()


@pytest.fixture()
def fresh_kg() -> pvp_kg.KnowledgeGraph:
    """A graph of one's own, for tests that merge or otherwise change it."""
    return pvp_kg.load()


def require_tool(name: str) -> str:
    """Return the path of an executable; skip without it, except in CI, where that fails."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is required in CI but is not installed")
        pytest.skip(f"{name} is not installed")
    return path


def labels(items) -> set[str]:  # type: ignore[no-untyped-def]
    """The labels of answer items or concepts."""
    return {getattr(i, "label", None) or i.concept.label for i in items}


def curies(items) -> set[str]:  # type: ignore[no-untyped-def]
    """The CURIEs of answer items or concepts."""
    return {(i.concept if hasattr(i, "concept") else i).curie for i in items}

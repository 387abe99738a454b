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


def item_of(items: Iterable[Any], curie: str) -> Any:
    """The answer item whose concept has ``curie`` (fails listing the CURIEs there are)."""
    found = {i.concept.curie: i for i in items}
    assert curie in found, sorted(found)
    return found[curie]


def last_sources(item: Any) -> set[str]:
    """The source CURIEs of the last edge of an item's path."""
    return {e.source.curie for e in item.via[-1].evidence}


def canonical(triples: Iterable[Any], *, numbers: bool = False) -> Any:
    """An Oxigraph dataset with canonical blank-node labels: equal datasets <=> isomorphic
    graphs. With ``numbers``, numeric literals are compared by value (1.0 equals 1.00)."""
    from decimal import Decimal

    import pyoxigraph as ox
    import rdflib

    def term(t: Any) -> Any:
        if isinstance(t, rdflib.URIRef):
            return ox.NamedNode(str(t))
        if isinstance(t, rdflib.BNode):
            return ox.BlankNode(str(t))
        if t.language:
            return ox.Literal(str(t), language=t.language)
        text = str(t)
        value = t.toPython()
        if numbers and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            text = repr(float(value))
        return ox.Literal(text, datatype=ox.NamedNode(str(t.datatype)) if t.datatype else None)

    data = ox.Dataset(ox.Quad(*(term(x) for x in t), ox.DefaultGraph()) for t in triples)
    data.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return data

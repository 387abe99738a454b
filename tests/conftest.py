"""Fixtures of the tests/ folder; the session ``kg`` is in the root conftest.py and helpers
are in tests/helpers.py."""

from __future__ import annotations

import pytest

import pvp_kg


@pytest.fixture()
def fresh_kg() -> pvp_kg.KnowledgeGraph:
    """A graph of one's own, for tests that merge or otherwise change it."""
    return pvp_kg.load()

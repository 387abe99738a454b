"""Root fixtures, shared by tests/ and the doctests in pvp_kg/.

The bundled graph is loaded once per session (``kg``); tests and doctests must not change it
(tests that merge take ``fresh_kg`` from tests/conftest.py). Doctests find ``kg`` and
``pvp_kg`` in their namespace.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

# The start-up cache (pvp_kg/cache.py) of this test session lives in a temporary directory of
# its own, never in the user's ~/.cache; subprocesses (CLI tests) inherit it.
if "PVP_KG_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="pvp-kg-test-cache-")
    os.environ["PVP_KG_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, True)

import pvp_kg  # noqa: E402


@pytest.fixture(scope="session")
def kg() -> pvp_kg.KnowledgeGraph:
    """The bundled graph, loaded once. Tests must not change it (use ``fresh_kg``)."""
    return pvp_kg.load()


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict[str, object],
                       request: pytest.FixtureRequest) -> None:
    """Give doctests the session graph as ``kg`` (only doctests pay for loading it)."""
    if isinstance(request.node, pytest.DoctestItem):
        doctest_namespace.update(pvp_kg=pvp_kg, kg=request.getfixturevalue("kg"))

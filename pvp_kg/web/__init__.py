"""The page for people: ask, answers with their reasoning drawn, concept and source pages.

``pvp-kg serve`` serves it at ``/`` beside the SPARQL 1.1 endpoint at ``/query``. It needs the
``web`` extra (Starlette, uvicorn, Jinja2, the Graphviz binding) and Graphviz's ``dot``.
Everything the page loads — styles, the one script of the SPARQL editor — is served from files
in this package; pictures are SVG drawn on the server by :mod:`pvp_kg.draw`.

Nothing clinical lives here: every answer is :meth:`KnowledgeGraph.ask`, every concept
:meth:`KnowledgeGraph.concept`, every search :meth:`KnowledgeGraph.search`.
"""

from __future__ import annotations

import importlib.util

__all__ = ["available", "missing", "require_web"]

_NEEDS = ("starlette", "uvicorn", "jinja2", "graphviz")


def missing() -> list[str]:
    """The Python packages of the ``web`` extra that are not installed."""
    return [name for name in _NEEDS if importlib.util.find_spec(name) is None]


def available() -> bool:
    """True when the ``web`` extra is installed (the page can be served)."""
    return not missing()


def require_web() -> None:
    """Import the ``web`` extra's packages, or raise the error naming the extra.

    :raises MissingDependencyError: one of them is not installed
    """
    from .._optional import require

    for name in _NEEDS:
        require(name, feature="the web page (pvp-kg serve)", extra="web")

"""pvp_kg — an explainable OWL knowledge graph of percutaneous vertebroplasty (PVP).

>>> import pvp_kg
>>> kg = pvp_kg.load()
>>> answer = kg.ask("Which complications relate to cement leakage?")
>>> answer.intent
'complications_related_to'

Only the names in ``__all__`` are the stable public API; modules and their other names may
change between minor versions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    ArgumentTypeError,
    ConceptNotFoundError,
    DrawError,
    InvalidInputError,
    MissingDependencyError,
    PVPKGError,
    QueryError,
    ReasonerError,
    ServerError,
    UnsafeQueryError,
)
from .graph import KnowledgeGraph, load
from .model import Answer, Concept, Edge, Evidence, Finding, Item, Match, Recommendation, Source

if TYPE_CHECKING:
    from .export import Format
    from .reason import Inference, ReasonerReport, Term
    from .sparql import NamedQuery, SelectResult
    from .tables import to_dataframe
    from .validate import Check, ValidationReport, Violation

#: Public names whose modules are imported on first use (keeps ``import pvp_kg`` light).
_LAZY = {
    "Format": "export",
    "Inference": "reason", "ReasonerReport": "reason", "Term": "reason",
    "NamedQuery": "sparql", "SelectResult": "sparql",
    "to_dataframe": "tables",
    "Check": "validate", "ValidationReport": "validate", "Violation": "validate",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pvp_kg' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

#: The one place the version is written; hatch reads it for the package metadata.
__version__ = "0.1.0"

__all__ = [
    "Answer",
    "ArgumentTypeError",
    "Check",
    "Concept",
    "ConceptNotFoundError",
    "DrawError",
    "Edge",
    "Evidence",
    "Finding",
    "Format",
    "Inference",
    "InvalidInputError",
    "Item",
    "KnowledgeGraph",
    "Match",
    "MissingDependencyError",
    "NamedQuery",
    "PVPKGError",
    "QueryError",
    "ReasonerError",
    "Recommendation",
    "ReasonerReport",
    "SelectResult",
    "ServerError",
    "Source",
    "Term",
    "UnsafeQueryError",
    "ValidationReport",
    "Violation",
    "__version__",
    "load",
    "to_dataframe",
]

# Inside IPython/Jupyter, lists of items and findings show as tables (pvp_kg/html.py).
if "IPython" in __import__("sys").modules:
    from .html import register_ipython as _register_ipython

    _register_ipython()

"""The error hierarchy of :mod:`pvp_kg`.

Every error the library raises on purpose is a :class:`PVPKGError`, and also subclasses the
builtin a caller would naturally catch (``KeyError`` for an unknown term, ``ValueError`` for
bad input), so either ``except`` clause works.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ArgumentTypeError",
    "ConceptNotFoundError",
    "DrawError",
    "InvalidInputError",
    "MissingDependencyError",
    "PVPKGError",
    "QueryError",
    "ReasonerError",
    "ServerError",
    "UnsafeQueryError",
]


class PVPKGError(Exception):
    """Root of every error raised on purpose by :mod:`pvp_kg`."""


class InvalidInputError(PVPKGError, ValueError):
    """Input that cannot be used: malformed RDF, an oversize file, a bad argument."""


class ArgumentTypeError(PVPKGError, TypeError):
    """An argument of the wrong type, e.g. a number where a concept name is expected."""


class QueryError(PVPKGError, ValueError):
    """A SPARQL query that cannot be parsed or run, or a named query used wrongly."""


class UnsafeQueryError(QueryError):
    """A SPARQL request refused by the read-only guard (update, SERVICE, LOAD, file: IRI)."""


class ReasonerError(PVPKGError, RuntimeError):
    """The reasoner could not run (no Java for HermiT, an engine error) or did not finish."""


class ServerError(PVPKGError, RuntimeError):
    """A SPARQL server could not be started, could not be reached, or refused a request."""


class DrawError(PVPKGError, RuntimeError):
    """A picture could not be made: nothing to draw (no path joins two concepts), or
    Graphviz's ``dot`` program is missing or failed."""


class MissingDependencyError(PVPKGError, ImportError):
    """An optional dependency is not installed; the message names the extra that brings it.

    :param feature: what needs it, e.g. ``"kg.reason(engine='hermit')"``
    :param extra: the ``pvp_kg`` extra to install, e.g. ``"reason"``
    :param package: the missing distribution, e.g. ``"owlready2"``

    >>> str(MissingDependencyError("kg.validate()", extra="validate", package="pyshacl"))
    "kg.validate() needs pyshacl, which is not installed: pip install 'pvp_kg[validate]'"
    """

    def __init__(self, feature: str, *, extra: str, package: str) -> None:
        self.feature, self.extra, self.package = feature, extra, package
        super().__init__(f"{feature} needs {package}, which is not installed: "
                         f"pip install 'pvp_kg[{extra}]'", name=package)


class ConceptNotFoundError(PVPKGError, KeyError):
    """No term of the graph has this label, synonym, abbreviation, CURIE or IRI.

    :param text: what the caller looked up
    :param suggestions: labels of the closest terms, best first
    """

    def __init__(self, text: str, suggestions: Sequence[str] = ()) -> None:
        self.text = text
        self.suggestions = tuple(suggestions)
        hint = f"; closest matches: {', '.join(repr(s) for s in self.suggestions)}" if (
            self.suggestions
        ) else ""
        super().__init__(f"no concept named {text!r}{hint}")

    def __str__(self) -> str:  # KeyError would otherwise show the repr of the message
        return str(self.args[0])

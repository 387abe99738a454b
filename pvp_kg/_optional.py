"""Optional dependencies: the one rule for importing them.

Every heavy or optional package is imported inside the function that needs it, through
:func:`require`, so a missing one is always a :class:`~pvp_kg.errors.MissingDependencyError`
whose message names the ``pvp_kg`` extra to install.
"""

from __future__ import annotations

from typing import Any

from .errors import MissingDependencyError

__all__ = ["require"]


def require(module: str, *, feature: str, extra: str, package: str | None = None) -> Any:
    """Import an optional module, or raise :class:`MissingDependencyError` naming the extra.

    The one rule for every optional dependency: import it where it is used, through this.

    :param module: the module to import, e.g. ``"pyshacl"``
    :param feature: what needs it, for the message
    :param extra: the ``pvp_kg`` extra that installs it
    :param package: the distribution name when it differs from ``module``
    :returns: the imported module
    :raises MissingDependencyError: it is not installed
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(feature, extra=extra,
                                     package=package or module.split(".")[0]) from exc

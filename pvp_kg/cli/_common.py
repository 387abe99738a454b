"""What every ``pvp-kg`` command shares: exit codes, error handling, the graph, output.

Exit codes: 0 ok; 1 no answer, a failed check, or a part that could not run (a missing
optional dependency, a server or reasoner that failed); 2 usage error (bad arguments, bad
input, refused query).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..errors import (
    ConceptNotFoundError,
    DrawError,
    MissingDependencyError,
    PVPKGError,
    ReasonerError,
    ServerError,
)

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = ["EXIT_NO_ANSWER", "EXIT_OK", "EXIT_USAGE", "emit_json", "graph", "handle_errors",
           "json_option", "table"]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_NO_ANSWER, EXIT_USAGE = 0, 1, 2

#: Errors that mean "could not answer or finish" (exit 1); any other PVPKGError is a usage error.
_FAILED: tuple[type[PVPKGError], ...] = (ConceptNotFoundError, DrawError,
                                          MissingDependencyError, ReasonerError, ServerError)

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def handle_errors(func: F) -> F:
    """Turn library errors into a one-line message on stderr and the documented exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PVPKGError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_NO_ANSWER if isinstance(exc, _FAILED) else EXIT_USAGE)

    return wrapper  # type: ignore[return-value]


def graph(ctx: click.Context) -> KnowledgeGraph:
    """The graph of this invocation: loaded on first use, with the ``--load`` files merged."""
    from ..graph import load
    from ..progress import progress

    obj = ctx.ensure_object(dict)
    if "kg" not in obj:
        extra = obj.get("extra", ())
        if extra:
            with progress(f"Loading the graph and merging {len(extra)} file"
                          f"{'s' if len(extra) > 1 else ''}"):
                obj["kg"] = load(*extra)
        else:
            obj["kg"] = load()
    kg: KnowledgeGraph = obj["kg"]
    return kg


def emit_json(data: object) -> None:
    """Print ``data`` as indented JSON (non-ASCII kept, unknown types as strings)."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    """Print a table (rich), folding long cells instead of cutting them."""
    from rich.console import Console
    from rich.table import Table

    out = Table(title=title, show_lines=False)
    for col in columns:
        out.add_column(col, overflow="fold")
    for row in rows:
        out.add_row(*row)
    Console(soft_wrap=True, highlight=False).print(out)

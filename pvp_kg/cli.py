"""The ``pvp-kg`` command line: thin click commands over the library.

Exit codes: 0 ok, 1 no answer or a failed check, 2 usage error (bad arguments, bad input,
refused query).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import ConceptNotFoundError, PVPKGError, QueryError
from .graph import KnowledgeGraph, load

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_NO_ANSWER, EXIT_USAGE = 0, 1, 2


def _emit_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=True, highlight=False)


def _table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row)
    _console().print(table)


def _errors(func: F) -> F:
    """Turn library errors into clear messages and the documented exit codes."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ConceptNotFoundError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_NO_ANSWER)
        except PVPKGError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)

    return wrapper  # type: ignore[return-value]


def _graph(ctx: click.Context) -> KnowledgeGraph:
    obj = ctx.ensure_object(dict)
    if "kg" not in obj:
        obj["kg"] = load(*obj.get("extra", ()))
    kg: KnowledgeGraph = obj["kg"]
    return kg


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pvp-kg")
@click.option("--load", "extra", multiple=True, type=click.Path(dir_okay=False),
              help="Merge this RDF file into the bundled graph first (repeatable).")
@click.pass_context
def cli(ctx: click.Context, extra: tuple[str, ...]) -> None:
    """Query the percutaneous vertebroplasty (PVP) knowledge graph."""
    ctx.ensure_object(dict)["extra"] = extra


@cli.command()
@click.argument("question", nargs=-1, required=True)
@json_option
@click.option("--sparql", "show_sparql", is_flag=True, help="Also print the query that ran.")
@click.pass_context
@_errors
def ask(ctx: click.Context, question: tuple[str, ...], as_json: bool, show_sparql: bool) -> None:
    """Answer a QUESTION in plain English, with explanation and sources."""
    ans = _graph(ctx).ask(" ".join(question))
    if as_json:
        _emit_json(ans.to_dict())
    else:
        click.echo(str(ans))
        if show_sparql and ans.sparql:
            click.echo("\nSPARQL:\n" + ans.sparql)
    if not ans.answered:
        sys.exit(EXIT_NO_ANSWER)


@cli.command()
@click.argument("concept")
@json_option
@click.pass_context
@_errors
def show(ctx: click.Context, concept: str, as_json: bool) -> None:
    """Show a CONCEPT (label, synonym, abbreviation, CURIE or IRI) and its edges."""
    kg = _graph(ctx)
    c = kg.concept(concept)
    edges = kg.edges_of(c.iri)
    findings = kg.terms.findings_about(c.iri)
    if as_json:
        _emit_json({"concept": c.to_dict(), "edges": [e.to_dict() for e in edges],
                    "findings": [f.to_dict() for f in findings]})
        return
    click.echo(f"{c.label}  ({c.curie})\n  {c.iri}")
    if c.definition:
        click.echo(f"  definition: {c.definition}")
    for name, values in (("abbreviations", c.abbreviations), ("synonyms", c.synonyms),
                         ("types", c.types), ("xrefs", c.xrefs)):
        if values:
            click.echo(f"  {name}: {', '.join(values)}")
    rows = [[e.subject_label, e.predicate_label, e.object_label, e.quantifier,
             ", ".join(ev.source.curie for ev in e.evidence)] for e in edges]
    if rows:
        _table("edges", ["subject", "predicate", "object", "holds for", "sources"], rows)
    for f in findings:
        click.echo(f"  finding: {f.label} — {f.quantity()} "
                   f"[{', '.join(ev.source.curie for ev in f.evidence)}]")


@cli.command()
@click.argument("text")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@json_option
@click.pass_context
@_errors
def search(ctx: click.Context, text: str, limit: int, as_json: bool) -> None:
    """Fuzzy search of labels, synonyms and abbreviations for TEXT."""
    matches = _graph(ctx).search(text, limit=limit)
    if as_json:
        _emit_json([m.to_dict() for m in matches])
    else:
        _table(f"matches for {text!r}", ["score", "label", "curie", "matched"],
               [[f"{m.score:.0f}", m.concept.label, m.concept.curie, m.matched] for m in matches])
    if not matches:
        sys.exit(EXIT_NO_ANSWER)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        name, sep, val = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="--param")
        out[name] = val
    return out


@cli.command()
@click.argument("query", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a named query parameter (CURIE, IRI or label).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(1))
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1))
@json_option
@click.pass_context
@_errors
def sparql(ctx: click.Context, query: str | None, params: tuple[str, ...], list_queries: bool,
           max_rows: int, timeout: float, as_json: bool) -> None:
    """Run QUERY: a named query, a .rq file or SPARQL text (read-only)."""
    kg = _graph(ctx)
    if list_queries:
        named = kg.queries
        if as_json:
            _emit_json([{"name": q.name, "title": q.title, "description": q.description,
                         "params": [{"name": p.name, "required": p.required,
                                     "default": p.default, "description": p.description}
                                    for p in q.params]} for q in named.values()])
        else:
            _table("named queries", ["name", "parameters", "description"],
                   [[q.name, ", ".join(p.name + ("" if p.required else "?") for p in q.params),
                     q.title] for q in named.values()])
        return
    if not query:
        raise click.UsageError("give a query name, a .rq file or SPARQL text (or --list)")
    if query.endswith(".rq") and Path(query).is_file():
        query = Path(query).read_text(encoding="utf-8")
    result = kg.sparql(query, max_rows=max_rows, timeout=timeout, **_parse_params(params))
    from rdflib import Graph

    from .sparql import SelectResult

    if isinstance(result, bool):
        _emit_json({"boolean": result}) if as_json else click.echo("yes" if result else "no")
        sys.exit(EXIT_OK if result else EXIT_NO_ANSWER)
    if isinstance(result, Graph):
        click.echo(result.serialize(format="json-ld" if as_json else "turtle"))
        return
    assert isinstance(result, SelectResult)
    if as_json:
        _emit_json(result.to_dict())
    else:
        rows = [[kg.terms.curie(str(v)) if v is not None else "" for v in row]
                for row in result.rows]
        _table(f"{len(result)} rows", list(result.vars), rows)
    if not len(result):
        sys.exit(EXIT_NO_ANSWER)


@cli.command()
@json_option
@click.pass_context
@_errors
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts of triples, classes, edges, findings and sources."""
    counts = _graph(ctx).stats()
    if as_json:
        _emit_json(counts)
    else:
        _table("pvp_kg", ["what", "count"], [[k, f"{v:,}"] for k, v in counts.items()])


# Commands defined in their own modules register themselves on ``cli`` when imported:
# export / serve / push in cli_interop.py, reason / validate in cli_semantic.py.
from . import cli_interop, cli_semantic  # noqa: E402, F401


def main() -> None:
    """Entry point of the ``pvp-kg`` script."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_NO_ANSWER)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except QueryError as exc:  # pragma: no cover - already handled by _errors
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)

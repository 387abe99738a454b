"""``pvp-kg ask``, ``show``, ``search``, ``sparql`` and ``stats``: reading the graph."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import InvalidInputError
from ..model import strongest_first
from ..sparql import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from ._common import EXIT_NO_ANSWER, EXIT_OK, emit_json, graph, handle_errors, json_option, table

__all__ = ["ask", "search", "show", "sparql", "stats"]


@click.command()
@click.argument("question", nargs=-1, required=True)
@json_option
@click.option("--sparql", "show_sparql", is_flag=True, help="Also print the query that ran.")
@click.option("--min-level", metavar="LEVEL", default=None,
              help="Answer only from evidence at this level or stronger, e.g. "
                   "'randomised controlled trial' or RCT.")
@click.pass_context
@handle_errors
def ask(ctx: click.Context, question: tuple[str, ...], as_json: bool, show_sparql: bool,
        min_level: str | None) -> None:
    """Answer a QUESTION in plain English, with explanation and sources."""
    ans = graph(ctx).ask(" ".join(question), min_level=min_level)
    if as_json:
        emit_json(ans.to_dict())
    else:
        click.echo(str(ans))
        if show_sparql and ans.sparql:
            click.echo("\nSPARQL:\n" + ans.sparql)
    if not ans.answered:
        sys.exit(EXIT_NO_ANSWER)


@click.command()
@click.argument("concept")
@json_option
@click.pass_context
@handle_errors
def show(ctx: click.Context, concept: str, as_json: bool) -> None:
    """Show a CONCEPT (label, synonym, abbreviation, CURIE or IRI) and its edges."""
    kg = graph(ctx)
    c = kg.concept(concept)
    edges = kg.edges_of(c.iri)
    findings = kg.terms.findings_about(c.iri)
    if as_json:
        emit_json({"concept": c.to_dict(), "edges": [e.to_dict() for e in edges],
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
             ", ".join(ev.source.curie for ev in strongest_first(e.evidence)),
             ", ".join(dict.fromkeys(ev.level for ev in strongest_first(e.evidence)
                                     if ev.level))] for e in edges]
    if rows:
        table("edges", ["subject", "predicate", "object", "holds for", "sources", "evidence"],
              rows)
    for f in findings:
        click.echo(f"  finding: {f.label} — {f.describe()} "
                   f"[{', '.join(ev.source.curie for ev in f.evidence)}; "
                   f"{f.level or 'level not recorded'}]")


@click.command()
@click.argument("text")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@json_option
@click.pass_context
@handle_errors
def search(ctx: click.Context, text: str, limit: int, as_json: bool) -> None:
    """Fuzzy search of labels, synonyms and abbreviations for TEXT."""
    matches = graph(ctx).search(text, limit=limit)
    if as_json:
        emit_json([m.to_dict() for m in matches])
    else:
        table(f"matches for {text!r}", ["score", "label", "curie", "matched"],
               [[f"{m.score:.0f}", m.concept.label, m.concept.curie, m.matched] for m in matches])
    if not matches:
        sys.exit(EXIT_NO_ANSWER)


_RESULT_FORMATS = ("json", "xml", "csv", "tsv")
_GRAPH_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
_FORMATS = ("table", *_RESULT_FORMATS, *_GRAPH_FORMATS)


def _print_format(result: object, fmt: str) -> None:
    """Print a query result in ``fmt``: W3C results for rows and ASK, RDF for graphs."""
    from rdflib import Graph

    from ..results import serialize_results
    from ..sparql import SelectResult
    from ..vocab import PREFIXES

    if isinstance(result, Graph):
        if fmt in _RESULT_FORMATS and fmt not in ("json", "xml"):
            raise click.UsageError(f"a CONSTRUCT or DESCRIBE query returns a graph: use "
                                   f"--format {', '.join(_GRAPH_FORMATS)} (or json, xml)")
        rdf = _GRAPH_FORMATS.get(fmt, {"json": "json-ld", "xml": "xml"}.get(fmt, "turtle"))
        for prefix, namespace in PREFIXES.items():
            result.namespace_manager.bind(prefix, namespace, override=False, replace=False)
        click.echo(result.serialize(format=rdf), nl=False)
        return
    assert isinstance(result, (SelectResult, bool))
    if fmt in _GRAPH_FORMATS:
        raise click.UsageError(f"--format {fmt} is for CONSTRUCT/DESCRIBE graphs; rows and "
                               f"ASK answers come as {', '.join(_RESULT_FORMATS)}")
    click.echo(serialize_results(result, fmt), nl=False)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        name, sep, val = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="--param")
        out[name] = val
    return out


@click.command()
@click.argument("query", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a named query parameter (CURIE, IRI or label).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@click.option("--max-rows", default=DEFAULT_MAX_ROWS, show_default=True, type=click.IntRange(1))
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(0.1))
@click.option("--format", "fmt", type=click.Choice(_FORMATS, case_sensitive=False),
              default=None, help="Print W3C SPARQL results (json, xml, csv, tsv) or, for "
              "CONSTRUCT/DESCRIBE, RDF (turtle, ntriples, jsonld, rdfxml); default: a table.")
@json_option
@click.pass_context
@handle_errors
def sparql(ctx: click.Context, query: str | None, params: tuple[str, ...], list_queries: bool,
           max_rows: int, timeout: float, fmt: str | None, as_json: bool) -> None:
    """Run QUERY: a named query, a .rq file or SPARQL text (read-only).

    The default output is a table; --format json|xml|csv|tsv prints the W3C SPARQL 1.1
    results formats (datatypes and language tags kept), --json the library's own JSON.
    """
    if fmt is not None and as_json:
        raise click.UsageError("give --format or --json, not both")
    kg = graph(ctx)
    if list_queries:
        named = kg.queries
        if as_json:
            emit_json([{"name": q.name, "title": q.title, "description": q.description,
                         "params": [{"name": p.name, "required": p.required,
                                     "default": p.default, "description": p.description}
                                    for p in q.params]} for q in named.values()])
        else:
            table("named queries", ["name", "parameters", "description"],
                   [[q.name, ", ".join(p.name + ("" if p.required else "?") for p in q.params),
                     q.title] for q in named.values()])
        return
    if not query:
        raise click.UsageError("give a query name, a .rq file or SPARQL text (or --list)")
    if query.strip().lower().endswith(".rq"):
        path = Path(query.strip())
        if not path.is_file():
            raise InvalidInputError(f"no query file {str(path)!r}"
                                    + (" (it is a directory)" if path.is_dir() else ""))
        query = path.read_text(encoding="utf-8")
    result = kg.sparql(query, max_rows=max_rows, timeout=timeout, **_parse_params(params))
    from rdflib import Graph

    from ..sparql import SelectResult

    if fmt is not None and fmt.lower() != "table":
        _print_format(result, fmt.lower())
        if (isinstance(result, bool) and not result) or (isinstance(
                result, SelectResult) and not len(result)):
            sys.exit(EXIT_NO_ANSWER)
        return
    if isinstance(result, bool):
        emit_json({"boolean": result}) if as_json else click.echo("yes" if result else "no")
        sys.exit(EXIT_OK if result else EXIT_NO_ANSWER)
    if isinstance(result, Graph):
        click.echo(result.serialize(format="json-ld" if as_json else "turtle"))
        return
    assert isinstance(result, SelectResult)
    if as_json:
        emit_json(result.to_dict())
    else:
        rows = [[kg.terms.curie(str(v)) if v is not None else "" for v in row]
                for row in result.rows]
        table(f"{len(result)} rows", list(result.vars), rows)
    if not len(result):
        sys.exit(EXIT_NO_ANSWER)


@click.command()
@json_option
@click.pass_context
@handle_errors
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts of triples, classes, edges, findings and sources."""
    counts = graph(ctx).stats()
    if as_json:
        emit_json(counts)
    else:
        table("pvp_kg", ["what", "count"], [[k, f"{v:,}"] for k, v in counts.items()])

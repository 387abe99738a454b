"""``pvp-kg draw`` and ``pvp-kg explain``: pictures and paths.

Exit codes as everywhere: 0 ok, 1 nothing to show (unknown concept, no path, no answer,
Graphviz missing), 2 usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ._common import EXIT_NO_ANSWER, emit_json, graph, handle_errors, json_option

__all__ = ["draw", "explain"]


@click.command()
@click.argument("concept", required=False)
@click.option("--to", "to", metavar="CONCEPT", help="Draw the paths from CONCEPT to this one.")
@click.option("--ask", "question", metavar="QUESTION",
              help="Draw the explanation of the answer to QUESTION.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1, 3),
              help="Radius of a neighbourhood.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (.svg, .png or .dot); default: SVG on standard output.")
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "dot"]),
              help="Picture format (default: from the file name, else svg).")
@click.pass_context
@handle_errors
def draw(ctx: click.Context, concept: str | None, to: str | None, question: str | None,
         depth: int, output: Path | None, fmt: str | None) -> None:
    """Draw a CONCEPT's neighbourhood, a path (--to) or an answer (--ask) as SVG or PNG.

    \b
    pvp-kg draw "cement leakage" -o leakage.svg
    pvp-kg draw PVP --to "pulmonary embolism" -o path.png
    pvp-kg draw --ask "Which complications relate to cement leakage?" -o answer.png
    """
    if (concept is None) == (question is None):
        raise click.UsageError("give a CONCEPT or --ask QUESTION (not both)")
    if question is not None and to is not None:
        raise click.UsageError("--to goes with a CONCEPT, not with --ask")
    kg = graph(ctx)
    picture = _picture(kg, concept, to, question, depth)  # DrawError (no path): exit 1
    chosen = fmt or (output.suffix.lower().lstrip(".") if output is not None else "svg")
    if chosen not in ("svg", "png", "dot"):
        raise click.UsageError(f"cannot tell the format of {output}: use .svg, .png or .dot "
                               "(or --format)")
    if output is None:
        if chosen == "png" and sys.stdout.isatty():
            raise click.UsageError("refusing to print PNG bytes on a terminal; use -o FILE")
        # a DrawError (Graphviz missing, dot failed) exits 1 through handle_errors
        sys.stdout.buffer.write(picture.render(chosen))
        return
    picture.save(output, chosen)
    click.echo(f"wrote {output} ({output.stat().st_size:,} bytes)", err=True)


def _picture(kg: Any, concept: str | None, to: str | None, question: str | None,
             depth: int) -> Any:
    if question is not None:
        answer = kg.ask(question)
        if not answer.answered:
            click.echo(f"no answer: {answer.explanation}", err=True)
            sys.exit(EXIT_NO_ANSWER)
        return kg.draw(answer)
    assert concept is not None
    return kg.draw(concept, to, depth=depth)


@click.command()
@click.argument("start")
@click.argument("end")
@click.option("--max-paths", default=5, show_default=True, type=click.IntRange(1, 50))
@json_option
@click.pass_context
@handle_errors
def explain(ctx: click.Context, start: str, end: str, max_paths: int, as_json: bool) -> None:
    """Show the shortest paths from START to END, each step with its sources."""
    from ..explain import format_path

    kg = graph(ctx)
    a, b = kg.concept(start), kg.concept(end)
    found = kg.explain(a.iri, b.iri, max_paths=max_paths)
    if as_json:
        emit_json({"start": a.to_dict(), "end": b.to_dict(),
                    "paths": [[e.to_dict() for e in path] for path in found]})
    else:
        click.echo(f"{a.label} → {b.label}: {len(found) or 'no'} path"
                   f"{'' if len(found) == 1 else 's'}")
        for path in found:
            click.echo(f"  {format_path(path)}")
        sources = {ev.source.iri: ev for path in found for e in path for ev in e.evidence}
        if sources:
            click.echo("Sources:")
            for ev in sources.values():
                level = f" ({ev.level})" if ev.level else ""
                url = f" <{ev.source.url}>" if ev.source.url else ""
                click.echo(f"  [{ev.source.curie}] {ev.source.label}{level}{url}")
    if not found:
        sys.exit(EXIT_NO_ANSWER)

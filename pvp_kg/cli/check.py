"""``pvp-kg reason`` and ``pvp-kg validate``: checking the graph.

Exit codes: 0 ok; 1 inconsistent ontology, unsatisfiable class, failed check, a missing
optional dependency or a reasoner that could not finish; 2 usage error.
"""

from __future__ import annotations

import sys

import click

from ..reason import DEFAULT_TIMEOUT, ENGINES
from ._common import EXIT_NO_ANSWER, EXIT_OK, emit_json, graph, handle_errors, json_option, table

__all__ = ["reason_command", "validate_command"]


@click.command("reason")
@click.option("--engine", type=click.Choice(ENGINES), default="auto",
              show_default=True,
              help="HermiT (OWL 2 DL, needs Java) or owlrl (OWL 2 RL, pure Python); auto picks "
                   "HermiT when Java is there.")
@click.option("--timeout", type=click.FloatRange(min=1.0), default=DEFAULT_TIMEOUT,
              show_default=True,
              help="Seconds before the reasoner is stopped.")
@click.option("--all", "show_all", is_flag=True,
              help="List every entailed subsumption, not only defined-class memberships.")
@json_option
@click.pass_context
@handle_errors
def reason_command(ctx: click.Context, engine: str, timeout: float, show_all: bool,
                   as_json: bool) -> None:
    """Check consistency and classify; list the memberships the reasoner infers."""
    from ..progress import progress
    from ..reason import reason

    kg = graph(ctx)
    with progress(f"Reasoning ({engine})"):
        report = reason(kg, engine=engine, timeout=timeout)
    if as_json:
        emit_json(report.to_dict())
    else:
        click.echo(f"engine: {report.engine_detail}")
        if report.fallback_reason:
            click.echo(f"  OWL 2 RL fallback ran because: {report.fallback_reason}")
        click.echo(f"consistent: {'yes' if report.consistent else 'NO'}"
                   + (f" — {report.message}" if report.message else ""))
        if report.unsatisfiable:
            table("unsatisfiable classes", ["label", "IRI"],
                   [[t.label, t.iri] for t in report.unsatisfiable])
        shown = [i for i in report.inferred if show_all or i.defined]
        table(f"inferred, not asserted ({len(shown)} of {len(report.inferred)})",
               ["member", "is a", "defined class"],
               [[i.subject.label, i.superclass.label, "yes" if i.defined else ""]
                for i in shown])
        click.echo(f"{report.seconds:g} s")
    sys.exit(EXIT_OK if report.ok else EXIT_NO_ANSWER)


@click.command("validate")
@click.option("--errors-only", is_flag=True, help="Do not list warnings.")
@json_option
@click.pass_context
@handle_errors
def validate_command(ctx: click.Context, errors_only: bool, as_json: bool) -> None:
    """Run the SHACL shapes and the SPARQL quality checks; list the violations."""
    from ..progress import progress
    from ..validate import validate

    kg = graph(ctx)
    with progress("Validating (SHACL shapes and quality checks)"):
        report = validate(kg)
    if as_json:
        emit_json(report.to_dict())
    else:
        rows = [v.row() for v in (report.errors if errors_only else report.violations)]
        if rows:
            table(f"{len(report.errors)} errors, {len(report.warnings)} warnings",
                   ["check", "severity", "focus", "message", "value"], rows)
        for note in report.notes:
            click.echo(f"note: {note}")
        click.echo(f"{len(report.checks)} checks run: "
                   + ("passed" if report.ok else f"{len(report.errors)} errors")
                   + (f", {len(report.warnings)} warnings" if report.warnings else ""))
    sys.exit(EXIT_OK if report.ok else EXIT_NO_ANSWER)

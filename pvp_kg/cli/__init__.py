"""The ``pvp-kg`` command line: a click group composing thin commands over the library.

Each command parses its arguments, calls the library and formats the result; the commands live
beside what they call (:mod:`.query` reads, :mod:`.interop` exports and stores, :mod:`.check`
reasons and validates, :mod:`.draw` draws pictures and explains paths), and share
:mod:`._common`. Exit codes: 0 ok, 1 no answer or a failed check, 2 usage error (bad
arguments, bad input, refused query).
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from . import check, draw, interop, query
from ._common import EXIT_NO_ANSWER, EXIT_USAGE

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pvp-kg")
@click.option("--load", "extra", multiple=True, type=click.Path(dir_okay=False),
              help="Merge this RDF file into the bundled graph first (repeatable).")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress display for long work (it shows only on a terminal anyway).")
@click.pass_context
def cli(ctx: click.Context, extra: tuple[str, ...], quiet: bool) -> None:
    """Query the percutaneous vertebroplasty (PVP) knowledge graph."""
    from ..progress import set_quiet

    set_quiet(quiet)
    ctx.ensure_object(dict)["extra"] = extra


for _command in (query.ask, query.show, query.search, query.sparql, query.stats,
                 interop.export, interop.serve, interop.push,
                 check.reason_command, check.validate_command,
                 draw.draw, draw.explain):
    cli.add_command(_command)


def main() -> None:
    """Entry point of the ``pvp-kg`` script and of ``python -m pvp_kg``."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_NO_ANSWER)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)

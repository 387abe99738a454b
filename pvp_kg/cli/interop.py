"""``pvp-kg export``, ``serve`` and ``push``: the graph in other formats and stores.

Exit codes as everywhere: 0 ok, 1 failed (a server that cannot be started, reached or that
refused the data; a missing optional dependency), 2 usage error (unknown format, bad path,
bad URL or graph IRI).
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import click

from ..errors import InvalidInputError, ServerError
from ..export import Format
from ..server import DEFAULT_GRAPH, PROTOCOLS
from ._common import emit_json, graph, handle_errors, json_option

__all__ = ["export", "push", "serve"]


def _format(ctx: click.Context, param: click.Parameter, value: str) -> Format:
    """Parse FORMAT (a name or an alias such as ``ttl``, any case) as a usage error if bad."""
    try:
        return Format.parse(value)
    except InvalidInputError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


@click.command()
@click.argument("format", callback=_format)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@json_option
@click.pass_context
@handle_errors
def export(ctx: click.Context, format: Format, path: Path | None, as_json: bool) -> None:
    """Write the graph as FORMAT to PATH (a directory for kgx and neo4j, a database file for
    ladybug).

    FORMAT is one of turtle, ntriples, rdfxml, jsonld, obographs, kgx, sssom, neo4j, graphml,
    bibtex, csljson (the sources as citations), ladybug (an embedded Cypher database).
    Without PATH (or with -) a single-file format is printed on standard output.
    """
    to_stdout = path is None or str(path) == "-"
    if to_stdout and format is Format.LADYBUG:
        raise click.UsageError("the ladybug export is a database file: give a PATH, "
                               "e.g. pvp-kg export ladybug out/pvp_kg.lbdb")
    if to_stdout and format.is_directory:
        raise click.UsageError(f"the {format.value} export is a directory of files: "
                               f"give a PATH, e.g. pvp-kg export {format.value} out/")
    from ..progress import progress

    kg = graph(ctx)
    if to_stdout:
        with progress(f"Exporting {format.value}"):
            text = kg.export(format)
        assert text is not None
        click.echo(text, nl=False)
        return
    assert path is not None
    start = time.monotonic()
    with progress(f"Exporting {format.value} to {path}"):
        kg.export(format, path)
    files = [path / name for name in format.files] if format.is_directory else [path]
    if as_json:
        emit_json({"format": format.value, "path": str(path),
                    "files": [{"path": str(p), "bytes": p.stat().st_size} for p in files],
                    "seconds": round(time.monotonic() - start, 3)})
    else:
        for p in files:
            click.echo(f"wrote {p} ({p.stat().st_size:,} bytes)")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default keeps the endpoint on this machine.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0 picks a free one).")
@click.option("--writable", is_flag=True,
              help="Accept SPARQL Update and Graph Store writes (default: read-only).")
@click.option("--timeout", "query_timeout", default=30.0, show_default=True,
              type=click.FloatRange(1), help="The server's limit on one query, in seconds.")
@json_option
@click.pass_context
@handle_errors
def serve(ctx: click.Context, host: str, port: int, writable: bool, query_timeout: float,
          as_json: bool) -> None:
    """Serve the page for people at / and the SPARQL 1.1 endpoint at /query, until interrupted.

    Without the web extra, only the SPARQL endpoint (Oxigraph) is served.
    """
    from .. import web

    if web.available():
        from ..web.run import run_page

        run_page(graph(ctx), host=host, port=port, writable=writable,
                 query_timeout=query_timeout, as_json=as_json, echo=click.echo)
        return
    click.echo(f"note: no web page (missing {', '.join(web.missing())}; "
               "pip install 'pvp_kg[web]'); serving SPARQL only", err=True)
    from ..server import endpoint_info
    from ..server import serve as start

    server = start(graph(ctx), host=host, port=port, read_only=not writable,
                   query_timeout=query_timeout)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if as_json:
            click.echo(json.dumps(endpoint_info(server)))
        else:
            mode = "read-write" if writable else "read-only"
            click.echo(f"SPARQL endpoint ({mode}): {server.query_url}")
            if writable:
                click.echo(f"  update: {server.update_url}\n  graph store: {server.store_url}")
            click.echo("Press Ctrl-C to stop.")
        while server.running:
            time.sleep(0.2)
        raise ServerError(f"the server stopped unexpectedly: {server.log().strip()[-800:]}")
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()


def _parse_headers(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        name, sep, content = value.partition(":")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not 'Name: value'", param_hint="--header")
        out[name.strip()] = content.strip()
    return out


@click.command()
@click.argument("url")
@click.option("--graph", "graph_iri", default=DEFAULT_GRAPH, show_default=True,
              help="The named graph to replace.")
@click.option("--protocol", type=click.Choice(PROTOCOLS), default="auto",
              show_default=True,
              help="Graph Store HTTP PUT (gsp) or SPARQL Update; auto decides from the URL.")
@click.option("--timeout", default=120.0, show_default=True, type=click.FloatRange(0.1))
@click.option("--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="Extra HTTP header, e.g. Authorization (repeatable).")
@json_option
@click.pass_context
@handle_errors
def push(ctx: click.Context, url: str, graph_iri: str, protocol: str, timeout: float,
         headers: tuple[str, ...], as_json: bool) -> None:
    """Load the graph into the named graph of the SPARQL 1.1 store at URL, replacing it."""
    from ..server import push as send

    result = send(graph(ctx), url, graph=graph_iri, protocol=protocol,  # type: ignore[arg-type]
                  timeout=timeout, headers=_parse_headers(headers))
    if as_json:
        emit_json(result.to_dict())
    else:
        click.echo(f"pushed {result.triples:,} triples into <{result.graph}> at {result.url} "
                   f"({result.protocol}, HTTP {result.status}, {result.seconds:.2f} s)")

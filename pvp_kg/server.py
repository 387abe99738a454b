"""A real SPARQL 1.1 endpoint over the graph (Oxigraph's server), and ``push`` to any store.

:func:`serve` starts ``oxigraph`` (the server of the ``oxigraph`` package on PyPI, installed
with the ``server`` extra) as a child process bound to 127.0.0.1, loaded with the graph, and
returns a :class:`Server` handle; :func:`push` loads the graph into a named graph of any
SPARQL 1.1 store, replacing what that graph held, so pushing twice leaves one copy;
:func:`remote_query` runs a query against an endpoint. Every HTTP call has a timeout, and
nothing is sent anywhere but to the URL the caller gives.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, get_args

from ._check import check_number, check_text, shown
from .errors import (
    ArgumentTypeError,
    InvalidInputError,
    MissingDependencyError,
    QueryError,
    ServerError,
)
from .model import as_dict
from .vocab import PREFIXES, PVP

if TYPE_CHECKING:
    from rdflib import Graph

    from .graph import KnowledgeGraph
    from .sparql import SelectResult

__all__ = ["DEFAULT_GRAPH", "PROTOCOLS", "PushResult", "Server", "ServerError", "check_graph_iri",
           "endpoint_info", "free_port", "push", "remote_query", "serve", "with_prefixes"]

#: The named graph :func:`push` writes to unless told otherwise.
DEFAULT_GRAPH = f"{PVP}graph"
Protocol = Literal["auto", "gsp", "update"]
#: The values :func:`push` takes for ``protocol``.
PROTOCOLS: tuple[Protocol, ...] = get_args(Protocol)
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20\s<>\"{}|\\^`]*")
_UPDATE_PATHS = ("update", "statements", "sparql")
_PREFIX_DECL = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:")
_PREFIXED_NAME = re.compile(r"(?<![\w?$:])([A-Za-z][\w-]*):(?=[\w%]|\s|[;,.)\]}])")
_IRIS_AND_STRINGS = re.compile(r"<[^<>\s]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|#[^\n]*")


# -- serving ---------------------------------------------------------------------------------

def _oxigraph() -> str:
    """The path of the ``oxigraph`` executable (next to this Python first, then on PATH)."""
    beside = Path(sys.executable).parent / ("oxigraph.exe" if os.name == "nt" else "oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise MissingDependencyError("serve()", extra="server", package="oxigraph")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free on ``host`` right now.

    :param host: the address to probe
    :returns: a port number another process may still take before you bind it
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, Linux only
    """Have the kernel stop the server if the Python process that started it dies."""
    import contextlib
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):  # not glibc: the server just outlives us
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _check_port(host: str, port: int) -> None:
    """Fail early, and clearly, when something already listens on ``host:port``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise ServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                              "choose another port (0 picks a free one)") from None


def _shutdown(process: subprocess.Popen[bytes], work: Path | None, timeout: float = 10.0) -> None:
    """Stop a server process (SIGTERM, then SIGKILL after ``timeout``) and remove its files."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)
    if work is not None:
        shutil.rmtree(work, ignore_errors=True)


@dataclass
class Server:
    """A running Oxigraph server (see :func:`serve`); a context manager that stops it.

    A server that is never stopped explicitly is stopped when it is garbage-collected or
    when the interpreter exits.

    :ivar url: the base URL, e.g. ``http://127.0.0.1:7878``
    """

    url: str
    process: subprocess.Popen[bytes]
    read_only: bool
    work: Path | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._finalizer = weakref.finalize(self, _shutdown, self.process, self.work)

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint."""
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        """The SPARQL 1.1 Update endpoint (refused by a read-only server)."""
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        """The SPARQL 1.1 Graph Store HTTP Protocol endpoint."""
        return f"{self.url}/store"

    @property
    def running(self) -> bool:
        """True while the server process is alive."""
        return self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server and remove its files; safe to call twice.

        :param timeout: seconds to wait after SIGTERM before killing the process
        """
        if self._finalizer.detach() is not None:
            _shutdown(self.process, self.work, timeout)

    def log(self) -> str:
        """Return the server's own output so far (its log), for diagnosing a failure."""
        path = self.work / "server.log" if self.work is not None else None
        if path is None or not path.is_file():
            return ""
        return path.read_text(encoding="utf-8", errors="replace")

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _wait_until_up(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.running:
            err = server.log().strip()[-800:]
            server.stop()
            raise ServerError(f"the Oxigraph server exited at start-up "
                              f"(code {server.process.returncode}): {err}")
        try:
            remote_query(server.query_url, "ASK {}", timeout=2.0)
        except ServerError:
            time.sleep(0.05)
            continue
        if server.running:  # the answer came from our process, not from another one
            return
    server.stop()
    raise ServerError(f"the Oxigraph server did not answer on {server.url} within {timeout:g} s")


def serve(kg: KnowledgeGraph | None = None, *, host: str = "127.0.0.1", port: int = 0,
          read_only: bool = True, startup_timeout: float = 60.0,
          query_timeout: float | None = 30.0) -> Server:
    """Start a SPARQL 1.1 server (Oxigraph) holding the graph in its default graph.

    :param kg: the graph to serve; None for an empty, writable in-memory store
    :param host: the address to bind (loopback by default: nothing outside this machine
        can reach it)
    :param port: the TCP port; 0 picks a free one
    :param read_only: refuse SPARQL Update and Graph Store writes (default)
    :param startup_timeout: seconds to wait for loading and for the first answer
    :param query_timeout: the server's own limit on one query, in seconds (None: none)
    :returns: the running server; stop it with :meth:`Server.stop` or a ``with`` block
    :raises ServerError: oxigraph is missing, failed to load the data or did not start
    :raises InvalidInputError: ``read_only`` without a graph (the store would stay empty)

    >>> import pvp_kg
    >>> with serve(pvp_kg.load()) as server:  # doctest: +SKIP
    ...     remote_query(server.query_url, "ASK { ?s ?p ?o }")
    True
    """
    if kg is None and read_only:
        raise InvalidInputError("a read-only server needs a graph to serve; pass kg= "
                                "or read_only=False for an empty writable store")
    exe = _oxigraph()
    if port:
        _check_port(host, port)
    else:
        port = free_port(host)
    work = Path(tempfile.mkdtemp(prefix="pvp-kg-oxigraph-"))  # removed by Server.stop()
    command = [exe, "serve-read-only" if read_only else "serve", "--bind", f"{host}:{port}"]
    if query_timeout is not None:
        command += ["--timeout-s", str(max(1, round(query_timeout)))]
    try:
        if kg is not None:  # an on-disk store in the work directory, bulk-loaded first
            _load_store(kg, exe, work / "store", startup_timeout)
            command += ["--location", str(work / "store")]
        log = (work / "server.log").open("wb")
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                   preexec_fn=_die_with_parent if sys.platform == "linux"
                                   else None)
        log.close()
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    server = Server(f"http://{_host_for_url(host)}:{port}", process, read_only, work)
    _wait_until_up(server, startup_timeout)
    return server


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _load_store(kg: KnowledgeGraph, exe: str, store: Path, timeout: float) -> None:
    """Bulk-load the graph into a new on-disk Oxigraph store with ``oxigraph load``."""
    from .export import export

    data = store.parent / "graph.nt"
    export(kg, "ntriples", data)
    try:
        done = subprocess.run([exe, "load", "--location", str(store), "--file", str(data)],
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ServerError(f"loading the graph into Oxigraph took over {timeout:g} s") from exc
    finally:
        data.unlink(missing_ok=True)
    if done.returncode != 0:
        raise ServerError("oxigraph could not load the graph: "
                          f"{done.stderr.decode(errors='replace').strip()[-800:]}")


# -- HTTP ------------------------------------------------------------------------------------

#: Longest SPARQL text :func:`remote_query` sends (as the web app's ``/query`` accepts).
_MAX_QUERY = 1 << 20


def _check_url(url: str) -> str:
    url = check_text(url, "the endpoint URL", max_len=2000)
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not 0-65535
    except ValueError as exc:
        raise InvalidInputError(f"{shown(url)} is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(
            c.isspace() or not c.isprintable() for c in url):
        raise InvalidInputError(f"{shown(url)} is not an http(s) URL of a SPARQL endpoint")
    return url


def _check_headers(headers: object) -> dict[str, str]:
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise ArgumentTypeError(f"headers must be a mapping of names to values, "
                                f"not {type(headers).__name__}")
    out = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise ArgumentTypeError("headers must map strings to strings, "
                                    f"not {type(name).__name__} to {type(value).__name__}")
        if "\n" in name + value or "\r" in name + value or not name.strip():
            raise InvalidInputError(f"the HTTP header {shown(name)} is not a valid header")
        out[name] = value
    return out


def _request(method: str, url: str, body: bytes | IO[bytes] | None, headers: Mapping[str, str],
             timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked by _check_url
        _check_url(url), data=body, method=method, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:800].decode("utf-8", errors="replace").strip()
        raise ServerError(f"{method} {url} was refused: HTTP {exc.code} {exc.reason}"
                          + (f": {detail}" if detail else "")) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ServerError(f"cannot reach {url}: {reason}") from None
    except (ValueError, OverflowError, http.client.HTTPException) as exc:  # bad URL or header
        raise InvalidInputError(f"cannot send a request to {shown(url)}: {exc}") from None


def with_prefixes(query: str) -> str:
    """Return ``query`` with ``PREFIX`` lines for the library's predefined prefixes
    (``pvp:``, ``src:``, ``obo:``, ``rdfs:`` …) that it uses without declaring.

    >>> print(with_prefixes("SELECT * WHERE { ?s a pvp:Source }"))
    PREFIX pvp: <https://w3id.org/pvp-kg/>
    SELECT * WHERE { ?s a pvp:Source }
    """
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(query)}
    used = {m.group(1) for m in _PREFIXED_NAME.finditer(_IRIS_AND_STRINGS.sub(" ", query))}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()
             if p in used and p not in declared]
    return "\n".join([*lines, query])


def remote_query(url: str, query: str, *, timeout: float = 30.0,
                 headers: Mapping[str, str] | None = None,
                 prefixes: bool = True) -> SelectResult | bool | Graph:
    """Run a SPARQL query against an endpoint (SPARQL 1.1 Protocol, POST).

    :param url: the query endpoint, e.g. ``Server.query_url``
    :param query: SPARQL text; the endpoint enforces its own rules
    :param timeout: seconds before giving up
    :param prefixes: add ``PREFIX`` lines for the predefined prefixes the query uses but does
        not declare (as :meth:`KnowledgeGraph.sparql` knows them); False sends it as is
    :returns: rows for SELECT, a bool for ASK, an :class:`rdflib.Graph` for CONSTRUCT/DESCRIBE
    :raises ServerError: the endpoint is unreachable or refused the query
    """
    import io

    from rdflib import Graph
    from rdflib.query import Result

    from .sparql import SelectResult

    url = _check_url(url)
    query = check_text(query, "query", max_len=_MAX_QUERY)
    seconds = check_number(timeout, "timeout", low=0.001, high=86_400)
    extra = _check_headers(headers)
    if not isinstance(prefixes, bool):
        raise ArgumentTypeError(f"prefixes must be True or False, not {type(prefixes).__name__}")
    if prefixes:
        query = with_prefixes(query)
    accept = "application/sparql-results+json, application/n-triples;q=0.9"
    _, body = _request("POST", url, query.encode("utf-8", errors="surrogatepass"), {
        "Content-Type": "application/sparql-query", "Accept": accept, **extra}, seconds)
    text = body.decode("utf-8", errors="replace")
    if text.lstrip().startswith("{"):
        try:
            result = Result.parse(io.StringIO(text), format="json")
        except (ValueError, KeyError) as exc:
            raise QueryError(f"{url} sent results that are not SPARQL JSON: {exc}") from exc
        if result.type == "ASK":
            return bool(result.askAnswer)
        names = tuple(str(v) for v in (result.vars or ()))
        rows = tuple(tuple(b.get(v) for v in (result.vars or ())) for b in result.bindings)
        return SelectResult(names, rows)
    graph = Graph()
    try:
        graph.parse(data=text, format="nt")
    except Exception as exc:  # rdflib raises many types for bad syntax
        raise QueryError(f"{url} sent a graph that is not N-Triples: {exc}") from exc
    return graph


# -- pushing ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PushResult:
    """What :func:`push` did."""

    url: str
    graph: str
    protocol: str
    triples: int
    status: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready view."""
        data: dict[str, Any] = as_dict(self)
        return data


def _protocol_for(url: str, protocol: str) -> str:
    if protocol not in ("auto", "gsp", "update"):
        raise InvalidInputError("protocol must be 'auto', 'gsp' or 'update', "
                                f"not {shown(protocol)}")
    if protocol != "auto":
        return protocol
    last = urllib.parse.urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].lower()
    return "update" if last in _UPDATE_PATHS else "gsp"


def check_graph_iri(graph: str) -> str:
    """Return ``graph`` if it is an absolute IRI that can stand between ``<`` and ``>``.

    :param graph: the name of a named graph
    :returns: the same text
    :raises InvalidInputError: not an absolute IRI (no scheme, spaces, ``<>"{}|^`\\``)

    >>> check_graph_iri("https://example.org/graphs/pvp")
    'https://example.org/graphs/pvp'
    """
    if not isinstance(graph, str) or not _IRI.fullmatch(graph):
        raise InvalidInputError(f"{shown(graph)} is not an absolute IRI for a named graph")
    return graph


def push(kg: KnowledgeGraph, url: str, *, graph: str = DEFAULT_GRAPH,
         protocol: Protocol = "auto", timeout: float = 120.0,
         headers: Mapping[str, str] | None = None) -> PushResult:
    """Load the graph into the named graph ``graph`` of a SPARQL 1.1 store, replacing it.

    Idempotent: whatever the named graph held is replaced, so pushing twice leaves exactly
    one copy. Two protocols:

    - ``"gsp"``: SPARQL 1.1 Graph Store HTTP Protocol, ``PUT url?graph=IRI`` with N-Triples
      (Oxigraph ``/store``, Fuseki ``/ds/data``, GraphDB ``…/rdf-graphs/service``);
    - ``"update"``: SPARQL 1.1 Update, ``DROP SILENT GRAPH <IRI> ; INSERT DATA { GRAPH <IRI>
      { … } }`` in one request (Oxigraph ``/update``, Fuseki ``/ds/update``, Virtuoso and
      QLever ``/sparql``, GraphDB ``…/statements``).

    ``"auto"`` picks ``update`` when the URL's last path segment is ``update``, ``statements``
    or ``sparql``, else ``gsp``.

    :param kg: the graph to send
    :param url: the endpoint (Graph Store or Update)
    :param graph: the named graph IRI (default :data:`DEFAULT_GRAPH`)
    :param protocol: ``"auto"``, ``"gsp"`` or ``"update"``
    :param timeout: seconds for the whole request
    :param headers: extra HTTP headers (e.g. ``Authorization``)
    :returns: what was sent where, with the HTTP status and the time taken
    :raises InvalidInputError: the URL is not http(s), or the graph IRI is not an IRI
    :raises ServerError: the endpoint cannot be reached or refused the data
    """
    check_graph_iri(graph)
    url = _check_url(url)
    timeout = check_number(timeout, "timeout", low=0.001, high=86_400)
    chosen = _protocol_for(url, protocol)
    data = kg.graph.serialize(format="ox-nt" if kg.backend == "oxigraph" else "nt",
                              encoding="utf-8")
    start = time.monotonic()
    extra = _check_headers(headers)
    if chosen == "gsp":
        separator = "&" if urllib.parse.urlsplit(url).query else "?"
        target = f"{url}{separator}graph={urllib.parse.quote(graph, safe='')}"
        status, _ = _request("PUT", target, data, {
            "Content-Type": "application/n-triples", **extra}, timeout)
    else:
        body = (f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n"
                ).encode() + data + b"}}\n"
        status, _ = _request("POST", url, body, {
            "Content-Type": "application/sparql-update", **extra}, timeout)
    return PushResult(url=url, graph=graph, protocol=chosen, triples=len(kg.graph),
                      status=status, seconds=round(time.monotonic() - start, 3))


def endpoint_info(server: Server) -> dict[str, Any]:
    """Describe a running server (what ``pvp-kg serve --json`` prints).

    :param server: a server from :func:`serve`
    :returns: its URLs, mode and process id, JSON-ready
    """
    return {"url": server.url, "query": server.query_url, "update": server.update_url,
            "store": server.store_url, "read_only": server.read_only,
            "pid": server.process.pid}

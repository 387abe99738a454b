"""Run the page: uvicorn on HOST:PORT, with Oxigraph behind ``/query`` (``pvp-kg serve``)."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._optional import require
from ..errors import ServerError
from . import require_web

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = ["bind", "run_page"]


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (0 picks a free port).

    :raises ServerError: the address is taken or cannot be used
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets that say they are TCP; without
    # it, a keep-alive client waited ~40 ms per response (Nagle against delayed ACKs)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                          "choose another port (0 picks a free one)") from None
    sock.set_inheritable(True)
    return sock


def _server_class() -> Any:
    import uvicorn  # run_page checked it is installed (require_web)

    class Server(uvicorn.Server):
        """uvicorn, but Ctrl-C / SIGTERM is the normal way to stop: exit 0, as before."""

        def handle_exit(self, sig: int, frame: Any) -> None:
            super().handle_exit(sig, frame)
            captured = getattr(self, "_captured_signals", None)
            if isinstance(captured, list):  # uvicorn would re-raise it after shutting down
                captured.clear()

    return Server


def run_page(kg: KnowledgeGraph, *, host: str = "127.0.0.1", port: int = 7878,
             writable: bool = False, query_timeout: float = 30.0, as_json: bool = False,
             echo: Callable[[str], Any] = print) -> None:
    """Serve the page at ``http://HOST:PORT/`` and SPARQL at ``/query`` until interrupted.

    Oxigraph runs as a child process on a free loopback port; the page passes ``/query``
    (and, with ``writable``, ``/update`` and ``/store``) through to it.

    :raises ServerError: the port is taken, or Oxigraph could not start
    :raises MissingDependencyError: the ``web`` extra is not installed
    """
    require_web()
    uvicorn = require("uvicorn", feature="the web page (pvp-kg serve)", extra="web")

    from ..server import serve
    from .app import create_app

    _Server = _server_class()

    sock = bind(host, port)
    actual = sock.getsockname()[1]
    sparql = serve(kg, host="127.0.0.1", port=0, read_only=not writable,
                   query_timeout=query_timeout)
    try:
        app = create_app(kg, sparql_url=sparql.url, writable=writable)
        shown = f"[{host}]" if ":" in host else host
        base = f"http://{shown}:{actual}"
        info = {"url": base, "page": f"{base}/", "query": f"{base}/query",
                "update": f"{base}/update" if writable else None,
                "store": f"{base}/store" if writable else None,
                "read_only": not writable, "sparql_backend": sparql.url}
        if as_json:
            echo(json.dumps(info))
        else:
            echo(f"Page: {base}/")
            echo(f"SPARQL endpoint ({'read-write' if writable else 'read-only'}): {base}/query")
            echo("Press Ctrl-C to stop.")
        config = uvicorn.Config(app, log_level="warning", access_log=False,
                                limit_concurrency=256, timeout_graceful_shutdown=5,
                                server_header=False)
        _Server(config).run(sockets=[sock])
    finally:
        sock.close()
        sparql.stop()

"""The Starlette application behind the page (see :func:`create_app`).

Routes (HTML unless noted):

- ``/`` the question box and what the graph can answer; ``/ask?q=…`` an answer;
- ``/concept/{name}`` a concept (CURIE, label or IRI); ``/source/{curie}`` a source;
- ``/search?q=…`` search with typos allowed; ``/sparql`` the SPARQL editor;
- ``/query`` (and ``/update``, ``/store`` when writable): the SPARQL 1.1 endpoint, passed
  through to the Oxigraph server started beside the page;
- ``/draw/concept/{name}.svg|png``, ``/draw/ask.svg|png?q=…``: the pictures as files;
- ``/api/ask``, ``/api/search``, ``/api/concept/{name}`` (JSON); ``/healthz``.

Library calls are serialised by one lock (the graph's caches are not made for threads);
pictures are rendered outside it and kept in a small cache. Errors become a page (or JSON for
``/api``, ``/query``), never a traceback. Evidence is ordered and coloured by the graph's
``pvp:evidenceRank``.

Import this module after :func:`pvp_kg.web.require_web` (as :func:`pvp_kg.web.run.run_page`
does), so that a missing dependency names the ``web`` extra.
"""

from __future__ import annotations

import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..draw import Drawing, draw_edges, item_drawing
from ..errors import ConceptNotFoundError, DrawError, MissingDependencyError, PVPKGError
from ..model import Answer, Edge, Evidence, Item, rank_key

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = ["create_app"]

log = logging.getLogger("pvp_kg.web")
T = TypeVar("T")
HERE = Path(__file__).resolve().parent
MAX_TEXT = 1000          # longest question or search text accepted
MAX_QUERY_BODY = 1 << 20  # a SPARQL query or update sent to /query or /update
MAX_STORE_BODY = 256 << 20  # a Graph Store upload (writable servers only)
NEIGHBOURHOOD_EDGES = 40

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")


class _Headers:
    """Adds the security headers to every response (CSP: nothing from another host)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", CSP.encode()),
                            (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"DENY")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, add)


class _Cache:
    """A small, thread-safe LRU cache of rendered pictures."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.data: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                value: T = self.data[key]
                return value
        value = make()
        with self.lock:
            self.data[key] = value
            while len(self.data) > self.size:
                self.data.popitem(last=False)
        return value


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return (path.startswith(("/api/", "/query", "/update", "/store"))
            or ("application/json" in request.headers.get("accept", "")
                and "text/html" not in request.headers.get("accept", "")))


def _editor_text(text: str, params: Any) -> str:
    """A named query as the editor shows it: PREFIX lines, the text, and its defaults as a
    trailing ``VALUES`` clause (required parameters stay unbound, i.e. match anything)."""
    from ..vocab import PREFIXES

    body = "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()
    used = [p for p in PREFIXES if f"{p}:" in body]
    head = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used)
    defaults = [p for p in params if p.default]
    if defaults:
        names = " ".join(f"?{p.name}" for p in defaults)
        values = " ".join(p.default for p in defaults)
        body += f"\nVALUES ({names}) {{ ({values}) }}"
    return head + body + "\n"


def create_app(kg: KnowledgeGraph, *, sparql_url: str | None = None,
               writable: bool = False) -> Starlette:
    """Build the page's ASGI app over ``kg``.

    :param kg: the graph every page reads
    :param sparql_url: base URL of the SPARQL server (Oxigraph) that ``/query`` passes
        requests to; None: ``/query`` answers 503
    :param writable: also pass ``/update`` and ``/store`` through
    """
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(("html",)), trim_blocks=True,
                      lstrip_blocks=True)
    lock = threading.Lock()
    pictures = _Cache()
    ranks = kg.terms.ranks  # the graph's pvp:evidenceRank orders and colours evidence

    def curie(iri: str) -> str:
        return kg.terms.curie(iri)

    def concept_href(iri: str) -> str:
        return "/concept/" + urllib.parse.quote(curie(iri), safe=":")

    def source_href(iri: str) -> str:
        return "/source/" + urllib.parse.quote(curie(iri), safe=":")

    env.globals.update(concept_href=concept_href, source_href=source_href,
                       version=__version__, writable=writable,
                       quote=lambda s: urllib.parse.quote(s, safe=""))

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)

    async def locked(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        def call() -> T:
            with lock:
                return func(*args, **kwargs)
        return await run_in_threadpool(call)

    def svg(key: tuple[Any, ...], make: Callable[[], Drawing]) -> str | None:
        """Inline SVG of a drawing, or None when it cannot be drawn (logged)."""
        def render() -> str | None:
            try:
                return make().svg_inline()
            except (DrawError, MissingDependencyError) as exc:
                log.warning("cannot draw %s: %s", key, exc)
                return None
        return pictures.get(key, render)

    def text_param(request: Request, name: str = "q") -> str:
        value = request.query_params.get(name, "").strip()
        if len(value) > MAX_TEXT:
            raise HTTPException(400, f"the text is too long ({len(value)} characters; "
                                     f"at most {MAX_TEXT})")
        return value

    # -- pages -------------------------------------------------------------------------------
    async def home(request: Request) -> Response:
        queries = await locked(lambda: sorted(kg.queries.values(), key=lambda q: q.title))
        stats = await locked(kg.stats)
        return page("home.html", title="Ask the PVP knowledge graph", queries=queries,
                    stats=stats)

    def evidence_view(evidence: tuple[Evidence, ...]) -> list[Evidence]:
        """Sources strongest first (by pvp:evidenceRank), then by CURIE."""
        return sorted(evidence, key=lambda e: (rank_key(e), e.source.curie))

    async def ask(request: Request) -> Response:
        question = text_param(request)
        if not question:
            return page("home.html", title="Ask the PVP knowledge graph",
                        queries=sorted(kg.queries.values(), key=lambda q: q.title),
                        stats=await locked(kg.stats))
        answer: Answer = await locked(kg.ask, question)
        suggestions = [] if answer.answered else await locked(kg.search, question, limit=5)
        subject = [c.iri for c in answer.linked]

        def item_picture(n: int, item: Item) -> str | None:
            if not item.via:
                return None
            return svg(("item", question, n), partial(
                item_drawing, item, subject=subject, link=concept_href,
                source_link=source_href, ranks=ranks))

        def pictures_for() -> tuple[str | None, list[str | None]]:
            overview = None
            edges = [e for item in answer.items for e in item.via]
            if edges:
                overview = svg(("answer", question), partial(
                    draw_edges, edges[:60], title=question,
                    focus=[i.concept.iri for i in answer.items], link=concept_href,
                    source_link=source_href, ranks=ranks))
            with ThreadPoolExecutor(2) as pool:  # dot runs as a child process: use both cores
                per_item = list(pool.map(item_picture, range(len(answer.items)), answer.items))
            return overview, per_item

        overview, per_item = await run_in_threadpool(pictures_for)
        return page("answer.html", title=question, question=question, answer=answer,
                    overview=overview, items=list(zip(answer.items, per_item, strict=True)),
                    suggestions=suggestions, evidence=evidence_view)

    def _concept_data(name: str) -> dict[str, Any]:
        c = kg.concept(name)
        out_edges = list(kg.edges.out(c.iri))
        in_edges = [e for e in kg.edges.into(c.iri)
                    if not (e.derived_by or "").startswith("inverse")]
        findings = kg.findings(c.iri)  # strongest evidence first (pvp:evidenceRank)
        types = [kg.terms.concept(kg.terms.expand(t) or t) for t in c.types
                 if kg.terms.expand(t) in kg.terms.labelled]
        related = kg.related(c.iri, depth=1)
        return {"concept": c, "out_edges": out_edges, "in_edges": in_edges,
                "findings": findings, "types": types, "related": related}

    async def concept(request: Request) -> Response:
        name = request.path_params["name"]
        data = await locked(_concept_data, name)
        c = data["concept"]
        related: list[Edge] = data["related"]
        shown = related[:NEIGHBOURHOOD_EDGES]
        title = f"{c.label}: neighbourhood"
        if len(shown) < len(related):
            title += f" ({len(shown)} of {len(related)} edges)"
        picture = await run_in_threadpool(svg, ("concept", c.iri), lambda: draw_edges(
            shown, title=title, focus=[c.iri], link=concept_href, source_link=source_href,
            ranks=ranks))
        return page("concept.html", title=c.label, picture=picture, evidence=evidence_view,
                    **data)

    def _source_data(name: str) -> dict[str, Any]:
        from rdflib import URIRef

        from ..vocab import DCTERMS, PVP, QUANTITATIVE_FINDING, RDF, RDFS

        iri = kg.terms.expand(name) or name
        node = URIRef(iri)
        if (node, RDF.type, PVP.Source) not in kg.graph:
            raise HTTPException(404, f"no source {name!r} in the graph")
        src = kg.terms.source(iri)
        facts = {}
        for label, prop in (("title", DCTERMS.title), ("citation", DCTERMS.bibliographicCitation),
                            ("date", DCTERMS.date), ("identifier", DCTERMS.identifier),
                            ("note", RDFS.comment)):
            value = kg.graph.value(node, prop)
            if value is not None:
                facts[label] = str(value)
        edges = [e for e in kg.edges if any(ev.source.iri == iri for ev in e.evidence)
                 and not (e.derived_by or "").startswith("inverse")]
        findings = []
        for f_node in kg.graph.subjects(RDF.type, QUANTITATIVE_FINDING):
            f = kg.terms.finding(str(f_node))
            if any(ev.source.iri == iri for ev in f.evidence):
                findings.append(f)
        findings.sort(key=lambda f: f.label)
        return {"source": src, "facts": facts, "edges": edges, "findings": findings}

    async def source(request: Request) -> Response:
        data = await locked(_source_data, request.path_params["name"])
        return page("source.html", title=data["source"].label, evidence=evidence_view, **data)

    async def search(request: Request) -> Response:
        text = text_param(request)
        matches = await locked(kg.search, text, limit=25) if text else []
        return page("search.html", title=f"Search: {text}" if text else "Search", text=text,
                    matches=matches)

    async def sparql_page(request: Request) -> Response:
        queries = [(q, _editor_text(q.text, q.params))
                   for q in sorted(kg.queries.values(), key=lambda q: q.title)]
        return page("sparql.html", title="SPARQL", queries=queries,
                    initial=request.query_params.get("query", "")[:MAX_QUERY_BODY],
                    endpoint=sparql_url is not None)

    # -- pictures as files -------------------------------------------------------------------
    def _picture(kind: str, arg: str) -> Drawing:
        if kind == "concept":
            from ..draw import neighbourhood_drawing

            return neighbourhood_drawing(kg, arg, max_edges=NEIGHBOURHOOD_EDGES)
        from ..draw import answer_drawing

        return answer_drawing(kg.ask(arg))

    async def picture_file(request: Request) -> Response:
        kind, fmt = request.path_params["kind"], request.path_params["fmt"]
        if kind not in ("concept", "ask") or fmt not in ("svg", "png"):
            raise HTTPException(404, "pictures are /draw/concept.svg?name=… or "
                                     "/draw/ask.svg?q=… (or .png)")
        arg = text_param(request, "name" if kind == "concept" else "q")
        if not arg:
            raise HTTPException(400, "say what to draw: ?name=CONCEPT or ?q=QUESTION")
        drawing = await locked(_picture, kind, arg)
        try:
            data = await run_in_threadpool(drawing.render, fmt)
        except (DrawError, MissingDependencyError) as exc:
            raise HTTPException(503, str(exc)) from None
        return Response(data, media_type="image/svg+xml" if fmt == "svg" else "image/png")

    # -- JSON --------------------------------------------------------------------------------
    async def api_ask(request: Request) -> Response:
        question = text_param(request)
        if not question:
            raise HTTPException(400, "give a question: /api/ask?q=…")
        answer = await locked(kg.ask, question)
        return JSONResponse(answer.to_dict())

    async def api_search(request: Request) -> Response:
        text = text_param(request)
        if not text:
            raise HTTPException(400, "give a text: /api/search?q=…")
        matches = await locked(kg.search, text, limit=25)
        return JSONResponse([m.to_dict() for m in matches])

    async def api_concept(request: Request) -> Response:
        data = await locked(_concept_data, request.path_params["name"])
        return JSONResponse({"concept": data["concept"].to_dict(),
                             "edges": [e.to_dict() for e in data["out_edges"] + data["in_edges"]],
                             "findings": [f.to_dict() for f in data["findings"]]})

    async def healthz(request: Request) -> Response:
        return JSONResponse({"ok": True, "version": __version__,
                             "sparql": sparql_url is not None})

    # -- the SPARQL endpoint (passed through to Oxigraph) ---------------------------------------
    async def passthrough(request: Request) -> Response:
        name = request.url.path.strip("/")
        if sparql_url is None:
            raise HTTPException(503, "this page was started without a SPARQL server")
        if name in ("update", "store") and not writable:
            if name == "store" and request.method in ("GET", "HEAD"):
                pass
            else:
                raise HTTPException(403, "this endpoint is read-only; start it with "
                                         "pvp-kg serve --writable to accept writes")
        limit = MAX_STORE_BODY if name == "store" else MAX_QUERY_BODY
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise HTTPException(413, f"the request body is over {limit:,} bytes")
        target = f"{sparql_url}/{name}"
        if request.url.query:
            target += "?" + request.url.query
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() in ("content-type", "accept")}
        return await run_in_threadpool(_forward, request.method, target, bytes(body) or None,
                                       headers)

    def _forward(method: str, url: str, body: bytes | None, headers: dict[str, str]) -> Response:
        req = urllib.request.Request(url, data=body, method=method,  # noqa: S310 - loopback
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:  # noqa: S310
                data = resp.read()
                return Response(data, status_code=resp.status,
                                media_type=resp.headers.get("content-type"))
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:2000].decode("utf-8", "replace").strip()
            return JSONResponse({"error": detail or exc.reason, "status": exc.code},
                                status_code=exc.code)
        except (urllib.error.URLError, OSError) as exc:
            log.error("SPARQL server unreachable at %s: %s", url, exc)
            return JSONResponse({"error": "the SPARQL server is not answering",
                                 "status": 502}, status_code=502)

    # -- errors ------------------------------------------------------------------------------
    def error(request: Request, status: int, message: str, **extra: Any) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": message, "status": status, **extra},
                                status_code=status)
        return page("error.html", status=status, title=f"Error {status}", status_code=status,
                    message=message, **extra)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = exc.detail if exc.status_code != 404 or exc.detail != "Not Found" else (
            f"there is no page at {request.url.path}")
        return error(request, exc.status_code, str(message))

    async def not_found(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ConceptNotFoundError)
        suggestions = [(s, concept_href(kg.resolve(s) or s)) for s in exc.suggestions]
        return error(request, 404, str(exc), suggestions=suggestions)

    async def bad_input(request: Request, exc: Exception) -> Response:
        return error(request, 400, str(exc))

    async def server_error(request: Request, exc: Exception) -> Response:
        log.error("error serving %s", request.url.path, exc_info=exc)
        return error(request, 500, "something went wrong on the server; the error is in the "
                                   "server's log")

    routes = [
        Route("/", home),
        Route("/ask", ask),
        Route("/concept/{name:path}", concept),
        Route("/source/{name:path}", source),
        Route("/search", search),
        Route("/sparql", sparql_page),
        Route("/draw/{kind:str}.{fmt:str}", picture_file),
        Route("/api/ask", api_ask),
        Route("/api/search", api_search),
        Route("/api/concept/{name:path}", api_concept),
        Route("/healthz", healthz),
        Route("/query", passthrough, methods=["GET", "POST"]),
        Route("/update", passthrough, methods=["POST"]),
        Route("/store", passthrough, methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(_Headers)],
        exception_handlers={HTTPException: http_error, ConceptNotFoundError: not_found,
                            PVPKGError: bad_input, Exception: server_error},
    )
    return app

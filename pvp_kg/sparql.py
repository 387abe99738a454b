"""Named SPARQL queries, safe bindings, the read-only guard and the limits.

Named queries live in ``ontology/queries/*.rq``. Each starts with a header of ``# key: value``
comment lines::

    # title: Complications related to a concept
    # description: Subtypes of the concept and everything causally downstream of it.
    # param: concept — the complication to start from (required)
    # param: procedure = pvp:PercutaneousVertebroplasty — the procedure
    # cues: complications related to | relate to | linked to

Parameters are bound as RDF terms through rdflib's ``initBindings`` (never by editing the
query text). A parameter with ``= default`` is optional.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ._check import shown
from .errors import QueryError, UnsafeQueryError
from .limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from .model import Concept
from .resources import ontology_dir
from .vocab import IRI_SCHEMES, PREFIXES

if TYPE_CHECKING:
    from pyparsing import ParseException

    from .lookup import LabelIndex

# rdflib's SPARQL parser (pyparsing) costs more to import than rdflib itself: the functions
# below import it when a query first runs, so ``import pvp_kg; pvp_kg.load()`` stays light.

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "NamedQuery",
    "Param",
    "SelectResult",
    "bind",
    "check_read_only",
    "execute",
    "named_queries",
    "read_header",
    "run_query",
    "select",
    "terms_for",
    "to_term",
]


_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


@dataclass(frozen=True, slots=True)
class Param:
    """A parameter of a named query."""

    name: str
    description: str = ""
    default: str | None = None

    @property
    def required(self) -> bool:
        """True when the caller must give a value."""
        return self.default is None


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A named SPARQL query read from ``ontology/queries/NAME.rq``."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    cues: tuple[str, ...] = ()
    meta: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        params = ", ".join(p.name + ("" if p.required else "?") for p in self.params)
        return f"NamedQuery({self.name}({params}): {self.title})"


@dataclass(frozen=True, slots=True)
class SelectResult:
    """Rows of a SELECT query: ``vars`` names the columns; iterate for ``{var: term}`` rows."""

    vars: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]

    def __iter__(self) -> Iterator[dict[str, Node]]:
        for row in self.rows:
            yield {v: t for v, t in zip(self.vars, row, strict=True) if t is not None}

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, var: str) -> list[Node]:
        """Return the bound values of one column, in row order."""
        i = self.vars.index(var)
        return [value for row in self.rows if (value := row[i]) is not None]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready view: ``{"vars": [...], "rows": [{var: "value"}, ...]}``."""
        return {"vars": list(self.vars),
                "rows": [{k: str(v) for k, v in row.items()} for row in self]}


def read_header(text: str) -> tuple[dict[str, str], tuple[Param, ...]]:
    r"""Read the ``# key: value`` header of a ``.rq`` file (named query or quality check).

    The header is the run of comment lines before the first line of SPARQL; keys are folded to
    lower case; ``# param:`` lines become :class:`Param` objects, in order.

    >>> meta, params = read_header("# title: T\n# param: concept — what\nSELECT * {}")
    >>> meta, params
    ({'title': 'T'}, (Param(name='concept', description='what', default=None),))
    """
    meta: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        key, sep, value = line.lstrip("# ").partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "param":
            head, _, desc = value.partition("—")
            pname, eq, default = head.partition("=")
            params.append(Param(pname.strip(), desc.strip(), default.strip() if eq else None))
        else:
            meta[key] = value
    return meta, tuple(params)


def _parse_named(name: str, text: str) -> NamedQuery:
    meta, params = read_header(text)
    cues = tuple(c.strip() for c in meta.get("cues", "").split("|") if c.strip())
    return NamedQuery(
        name=name, title=meta.get("title", name), description=meta.get("description", ""),
        params=params, text=text, cues=cues, meta=meta,
    )


@cache
def _load_dir(directory: str) -> dict[str, NamedQuery]:
    queries = {}
    for path in sorted(Path(directory).glob("*.rq")):
        queries[path.stem] = _parse_named(path.stem, path.read_text(encoding="utf-8"))
    return queries


def named_queries(directory: Path | None = None) -> dict[str, NamedQuery]:
    """Return the named queries, by name.

    >>> "complications_related_to" in named_queries()
    True
    """
    return dict(_load_dir(str(directory) if directory else _default_dir()))


@cache
def _default_dir() -> str:
    return str(ontology_dir() / "queries")


# -- the guard ---------------------------------------------------------------------------------

def _walk(node: object) -> Iterator[object]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, CompValue):
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)


def syntax_error(text: str, exc: ParseException) -> QueryError:
    """A :class:`QueryError` that points at the position of a syntax error in ``text``, as
    the user typed it (the predefined prefixes put in front of it are not counted)."""
    loc = min(max(0, exc.loc - len(_PROLOGUE)), len(text))
    line = text.count("\n", 0, loc) + 1
    start = text.rfind("\n", 0, loc) + 1
    end = text.find("\n", loc)
    snippet = text[start:end if end >= 0 else len(text)]
    col = loc - start + 1
    if len(snippet) > 100:  # a window around the position
        cut = max(0, col - 60)
        snippet, col = snippet[cut:cut + 100], col - cut
    rest = text[loc:].split()
    near = f"at {rest[0][:30]!r}" if rest else "at the end of the query"
    expected = " ".join(str(exc.msg).split())
    if len(expected) > 160:
        expected = expected[:157] + "…"
    return QueryError(f"not a valid SPARQL 1.1 query: syntax error at line {line}, column "
                      f"{col} ({near}): {expected}\n  {snippet}\n  {' ' * (col - 1)}^")


def check_read_only(text: str) -> None:
    """Refuse anything but a read-only query over the loaded graph.

    :raises UnsafeQueryError: SPARQL Update (INSERT, DELETE, LOAD, CLEAR …), ``SERVICE``,
        ``FROM``/``FROM NAMED`` (which would load documents) or a ``file:`` IRI
    :raises QueryError: text that is not SPARQL

    >>> check_read_only("SELECT * WHERE { ?s ?p ?o }")
    >>> check_read_only("DROP ALL")
    Traceback (most recent call last):
    ...
    pvp_kg.errors.UnsafeQueryError: SPARQL Update (DROP ALL …) is refused: the graph is read-only
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(_PROLOGUE + text)
    except ParseException as exc:
        try:
            parseUpdate(_PROLOGUE + text)
        except ParseException:
            raise syntax_error(text, exc) from None
        except RecursionError:
            raise _too_deep() from None
        words = " ".join(text.split()[:2])
        raise UnsafeQueryError(
            f"SPARQL Update ({words} …) is refused: the graph is read-only") from None
    except RecursionError:
        raise _too_deep() from None
    for node in _walk(tree):
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                raise UnsafeQueryError("SERVICE is refused: queries run on the local graph only")
            if node.name == "DatasetClause":
                raise UnsafeQueryError(
                    "FROM / FROM NAMED is refused: queries run on the loaded graph only")
        if isinstance(node, URIRef) and str(node).lower().startswith("file:"):
            raise UnsafeQueryError(f"file: IRIs are refused ({node})")


def _too_deep() -> QueryError:
    return QueryError("the query nests brackets or groups too deeply to be parsed; "
                      "flatten it (a few dozen levels at most)")


# -- running ---------------------------------------------------------------------------------

class _Timeout(BaseException):
    """Raised inside the worker thread when a query runs past its time limit."""


def _run_with_timeout(func: Callable[[], Any], timeout: float) -> Any:
    """Run ``func`` in a worker thread; interrupt it and raise after ``timeout`` seconds."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = func()
        except BaseException as exc:  # handed over to the caller below
            box["error"] = exc

    worker = threading.Thread(target=target, daemon=True, name="pvp-kg-sparql")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        ident = worker.ident
        import ctypes

        for _ in range(5):  # ask the interpreter to raise inside the worker (again, if the
            if ident is None or not worker.is_alive():  # exception landed where it is ignored,
                break  # e.g. in a garbage-collector callback)
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                                       ctypes.py_object(_Timeout))
            worker.join(0.2)
        raise QueryError(f"the query ran longer than its time limit of {timeout:g} s; "
                         "narrow it or pass a larger timeout=")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def run_query(
    graph: Graph,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    timeout: float = DEFAULT_TIMEOUT,
) -> SelectResult | bool | Graph:
    """Run a read-only SPARQL query on ``graph`` within limits.

    :returns: :class:`SelectResult` for SELECT, ``bool`` for ASK, a new graph for
        CONSTRUCT / DESCRIBE
    :raises UnsafeQueryError: see :func:`check_read_only`
    :raises QueryError: bad syntax, more than ``max_rows`` rows, or over ``timeout`` seconds
        (parsing included: a long query can take pyparsing minutes)
    """

    def execute() -> SelectResult | bool | Graph:
        # parsed inside the timed worker: a long query can take pyparsing minutes
        prepared, ordered = _prepare(text) if len(text) <= _MAX_CACHED_TEXT else (
            _prepare.__wrapped__(text))
        result = graph.query(prepared, initBindings=dict(bindings or {}))  # type: ignore[arg-type]
        if result.type == "ASK":
            return bool(result.askAnswer)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            out = Graph()
            for i, triple in enumerate(result):
                if i >= max_rows:
                    raise QueryError(f"the query built more than {max_rows:,} triples; "
                                     "add a LIMIT or pass a larger max_rows=")
                out.add(triple)  # type: ignore[arg-type]
            return out
        names = tuple(str(v) for v in (result.vars or ()))
        rows = []
        for i, row in enumerate(result):
            if i >= max_rows:
                raise QueryError(f"the query returned more than {max_rows:,} rows; "
                                 "add a LIMIT or pass a larger max_rows=")
            rows.append(tuple(row))  # type: ignore[arg-type]
        if not ordered:
            rows.sort(key=_row_key)  # same rows in the same order on every backend
        return SelectResult(names, tuple(rows))

    start = time.monotonic()
    try:
        return _run_with_timeout(execute, timeout)  # type: ignore[no-any-return]
    except QueryError:
        raise
    except RecursionError:
        raise QueryError("the query is nested too deeply to be evaluated; flatten it") from None
    except Exception as exc:
        raise QueryError(f"the query failed after {time.monotonic() - start:.2f} s: {exc}"
                         ) from exc


#: Longer query texts are prepared every time rather than kept.
_MAX_CACHED_TEXT = 20_000


@lru_cache(maxsize=256)
def _prepare(text: str) -> tuple[Any, bool]:
    """Check, parse and translate a query once: the prepared query and whether it has an
    ORDER BY. Parsing (pyparsing) costs ten times more than running a small query, so a
    named query, or a free query run again, is parsed only the first time."""
    from rdflib.plugins.sparql import prepareQuery

    check_read_only(text)
    try:
        prepared = prepareQuery(text, initNs=PREFIXES)
    except RecursionError:
        raise _too_deep() from None
    except Exception as exc:  # rdflib raises several types for semantic errors
        raise QueryError(f"cannot prepare the query: {exc}") from exc
    _break_ties(prepared.algebra)
    return prepared, _is_ordered(prepared.algebra)


def _is_ordered(algebra: object) -> bool:
    """True when the query has an ORDER BY (its row order is then the query's own)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    return any(isinstance(node, CompValue) and node.name == "OrderBy" for node in _walk(algebra))


def _break_ties(algebra: object) -> None:
    """Make every ORDER BY total: rows that tie on its keys are then ordered by the projected
    variables, so tied rows come in the same order whatever store the graph is in."""
    from rdflib.plugins.sparql.parserutils import CompValue

    for node in _walk(algebra):
        if isinstance(node, CompValue) and node.name == "Project" and isinstance(
                node.p, CompValue) and node.p.name == "OrderBy":
            keys = {getattr(cond, "expr", None) for cond in node.p.expr}
            node.p.expr = list(node.p.expr) + [CompValue("OrderCondition", expr=var, order=None)
                                               for var in node.PV if var not in keys]


def _row_key(row: tuple[Node | None, ...]) -> tuple[tuple[int, str, str], ...]:
    """Sort key of a result row: a query without ORDER BY has no defined order, and stores
    differ in the one they happen to return."""
    return tuple((0, "", "") if t is None else (1, type(t).__name__, str(t)) for t in row)


# -- binding -----------------------------------------------------------------------------------

def bind(named: NamedQuery, bindings: Mapping[str, object], names: LabelIndex) -> dict[str, Node]:
    """Check ``bindings`` against the parameters of ``named`` and turn them into RDF terms.

    A missing optional parameter takes its default; a plain string names a concept (label,
    synonym, abbreviation, CURIE or IRI), resolved through ``names``.

    :raises QueryError: an unknown parameter, or no value for a required one
    :raises ConceptNotFoundError: a value names no concept
    """
    known = {p.name: p for p in named.params}
    unknown = sorted(set(bindings) - set(known))
    if unknown:
        raise QueryError(f"{named.name} has no parameter {', '.join(unknown)}; "
                         f"its parameters: {', '.join(known) or 'none'}")
    values: dict[str, object] = {}
    for param in named.params:
        if param.name in bindings and bindings[param.name] is not None:
            values[param.name] = bindings[param.name]
        elif param.default is not None:
            values[param.name] = param.default
        else:
            raise QueryError(f"{named.name} needs a value for {param.name!r}"
                             f" ({param.description})")
    return terms_for(values, names)


def terms_for(values: Mapping[str, object], names: LabelIndex, *,
              labels: bool = True) -> dict[str, Node]:
    """Turn binding values into RDF terms.

    With ``labels`` (named-query parameters) a plain string that is neither an IRI nor a CURIE
    names a concept; without it (free queries) it is a literal.
    """
    out: dict[str, Node] = {}
    for name, value in values.items():
        if isinstance(value, Concept):
            value = URIRef(value.iri)
        if labels and isinstance(value, str) and not value.startswith(
                ("http://", "https://")) and names.terms.expand(value) is None:
            value = URIRef(names.iri(value))
        out[name] = to_term(value, names.terms.expand)
    return out


#: A bare name (not SPARQL text): looked up as a named query only.
_BARE_NAME = re.compile(r"[A-Za-z_][\w.-]*")


def execute(graph: Graph, query: str, bindings: Mapping[str, object], names: LabelIndex, *,
            max_rows: int = DEFAULT_MAX_ROWS,
            timeout: float = DEFAULT_TIMEOUT) -> SelectResult | bool | Graph:
    """Run a named query (its parameters bound) or any read-only SPARQL text.

    :raises UnsafeQueryError: updates, SERVICE, FROM, file: IRIs
    :raises QueryError: unknown parameter, missing required one, syntax, limits
    """
    named = named_queries().get(query.strip())
    if named is None:
        if _BARE_NAME.fullmatch(query.strip()):  # a name, not SPARQL: no such query
            import difflib

            close = difflib.get_close_matches(query.strip(), named_queries(), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise QueryError(f"no named query {shown(query.strip())}{hint} "
                             "(pvp-kg sparql --list shows them)")
        return run_query(graph, query, terms_for(bindings, names, labels=False),
                         max_rows=max_rows, timeout=timeout)
    return run_query(graph, named.text, bind(named, bindings, names),
                     max_rows=max_rows, timeout=timeout)


def select(graph: Graph, name: str, names: LabelIndex, **bindings: object) -> SelectResult:
    """Run the named SELECT query ``name``; ``None`` values are left unbound (defaults apply)."""
    given = {k: v for k, v in bindings.items() if v is not None}
    result = execute(graph, name, given, names)
    if not isinstance(result, SelectResult):
        raise QueryError(f"the named query {name!r} is not a SELECT query")
    return result


def to_term(value: object, expand: Callable[[str], str | None]) -> Node:
    """Turn a Python value into an RDF term for binding (CURIE or IRI → IRI, else literal)."""
    if isinstance(value, Node):
        return value
    if isinstance(value, str):
        if value.startswith(IRI_SCHEMES):
            return URIRef(value)
        iri = expand(value)
        if iri is not None:
            return URIRef(iri)
        return Literal(value)
    return Literal(value)

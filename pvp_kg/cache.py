"""A start-up cache of the bundled graph: the parsed triples and the state derived from them.

Parsing the bundled Turtle and deriving the term table, edge view and lookup index takes
longer than importing rdflib. :func:`bundled` therefore keeps both, pickled, in a user cache
directory, keyed by the SHA-256 of

- the bundled sources (``pvp.ttl``, ``sources.ttl``, the SSSOM mappings): the Turtle stays the
  single source of truth, and an edited file is parsed again;
- the package's modules (name, size and modification time), its version, the Python version
  and the rdflib version (the pickle holds rdflib's store and pvp_kg's own classes).

A stale, unreadable or corrupt cache file is rebuilt from the sources and rewritten; a cache
directory that cannot be written just means no cache. Only the bundled graph is ever cached:
``load(path)`` starts from a fresh copy of it and merges the user's files in memory.

Where: ``$PVP_KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/pvp_kg``, else ``~/.cache/pvp_kg``.
``PVP_KG_CACHE=0`` turns the cache off. The file is written atomically with mode 0600; like any
pickle it must not come from someone else (it lives in the user's own cache directory).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

__all__ = ["LazyMemory", "bundled_sources", "cache_dir", "cache_key", "cached", "dumps", "interned",
           "loads"]

T = TypeVar("T")

#: Bumped when the layout of the cached value changes.
FORMAT = 2
_MAGIC = b"PVPKG-CACHE\n"
#: Files of a superseded key are removed once they are this old (seconds).
_STALE_AFTER = 7 * 24 * 3600


def cache_dir() -> Path | None:
    """The cache directory, or None when ``PVP_KG_CACHE=0`` turns the cache off."""
    if os.environ.get("PVP_KG_CACHE", "").strip().lower() in ("0", "false", "no", "off"):
        return None
    explicit = os.environ.get("PVP_KG_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser() / "pvp_kg"
    try:
        return Path.home() / ".cache" / "pvp_kg"
    except (RuntimeError, KeyError):  # no home directory: no cache
        return None


def bundled_sources() -> tuple[Path, ...]:
    """The files the bundled graph and its derived state are built from."""
    from .resources import mappings_file, ontology_files

    return (*ontology_files(), mappings_file())


def _code_stamps() -> list[tuple[str, int, int]]:
    """Name, size and modification time of each of the package's modules."""
    with os.scandir(os.path.dirname(os.path.abspath(__file__))) as entries:
        found = [(e.name, e.stat()) for e in entries if e.name.endswith(".py") and e.is_file()]
    return sorted((name, info.st_size, info.st_mtime_ns) for name, info in found)


def cache_key(sources: Iterable[Path]) -> str:
    """SHA-256 over the sources' names and bytes, the package's modules and the versions."""
    import rdflib

    from . import __version__

    digest = hashlib.sha256()
    digest.update(f"{FORMAT}|{__version__}|{sys.version}|{rdflib.__version__}".encode())
    for path in sources:
        data = path.read_bytes()
        digest.update(f"|{path.name}|{len(data)}|".encode())
        digest.update(data)
    for name, size, mtime in _code_stamps():  # an edited module changes its size or time
        digest.update(f"|{name}|{size}|{mtime}".encode())
    return digest.hexdigest()


def interned(graph: Graph) -> Graph:
    """A copy of ``graph`` (same triples and prefixes) in which equal terms are one object.

    A parser makes a new term object for every occurrence; sharing them halves the size of the
    pickle and the time to read it back. The copy's store is a :class:`LazyMemory`, and its
    triples go in subject by subject, in the order of ``graph``'s subject index (for a parsed
    graph, the order of the file) rather than its hash-ordered set of triples.
    """
    memo: dict[tuple[object, ...], Node] = {}

    def canon(term: Node) -> Node:
        key = (type(term), str(term), getattr(term, "language", None),
               getattr(term, "datatype", None))
        return memo.setdefault(key, term)

    out = Graph(store=LazyMemory())
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    out.addN((canon(s), canon(p), canon(o), out) for s, p, o in _by_subject(graph))
    return out


def _by_subject(graph: Graph) -> Iterable[tuple[Node, Node, Node]]:
    spo = getattr(graph.store, "_Memory__spo", None)
    if not isinstance(graph.store, Memory) or not isinstance(spo, dict):
        yield from graph
        return
    for s, po in list(spo.items()):
        for p, objects in list(po.items()):
            for o in list(objects):
                yield s, p, o


# -- a memory store that reads its rarely used indexes only when they are needed ---------------

class LazyMemory(Memory):
    """rdflib's :class:`~rdflib.plugins.stores.memory.Memory` store, pickled without the two
    structures that typed calls and questions never read.

    A Memory store keeps every triple three times over, in nested dictionaries indexed by
    subject (spo), predicate (pos) and object (osp), and once more as a tuple in two sets (the
    triples of each context). Unpickling them all was most of the start-up cache's time, and the
    garbage collector then traverses every one of those containers again at each full
    collection and at exit. Answers read only the spo and pos indexes (``objects``, ``value``,
    ``subjects``): the object index and the sets are therefore left out of the pickle and built
    from the spo index, exactly as ``add`` would have built them, the first time anything needs
    them — a pattern with only its object bound or nothing bound (whole-graph iteration,
    serialisation, some SPARQL), ``contexts``, or any change (``add``, ``remove``, a merge).
    Until then ``len`` comes from a stored count. Afterwards it is a plain Memory store.
    """

    # (number of triples, the context keys they are in) while osp and the sets are not built
    _pending: tuple[int, tuple[str | None, ...]] | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_lock", None)
        pending = self._pending
        if pending is None:
            contexts = state["_Memory__contextTriples"]
            count = len(contexts.get(None, ()))
            keys = tuple(contexts)
            # only a store whose triples all sit in the same contexts can be rebuilt from spo
            if state["_Memory__tripleContexts"] or any(
                    len(triples) != count for triples in contexts.values()):
                return state
            pending = (count, keys)
        state["_Memory__osp"] = {}
        state["_Memory__contextTriples"] = {None: set()}
        state["_pending"] = pending
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def _complete(self) -> None:
        """Build the object index and the context sets from the spo index (once)."""
        if self._pending is None:
            return
        lock = self.__dict__.setdefault("_lock", _new_lock())
        with lock:
            pending = self._pending
            if pending is None:
                return
            osp: dict[Node, dict[Node, dict[Node, int]]] = {}
            everything: set[tuple[Node, Node, Node]] = set()
            add = everything.add
            for s, po in self._Memory__spo.items():  # type: ignore[attr-defined]
                for p, objects in po.items():
                    for o in objects:
                        by_subject = osp.get(o)
                        if by_subject is None:
                            by_subject = osp[o] = {}
                        predicates = by_subject.get(s)
                        if predicates is None:
                            predicates = by_subject[s] = {}
                        predicates[p] = 1
                        add((s, p, o))
            self._Memory__osp = osp
            self._Memory__contextTriples = {
                key: everything if key is None else set(everything) for key in pending[1]}
            self._pending = None

    # -- what needs the full store -----------------------------------------------------------
    def triples(self, triple_pattern: Any, context: Any = None) -> Any:
        if self._pending is not None and triple_pattern[0] is None and (
                triple_pattern[1] is None):
            self._complete()
        return super().triples(triple_pattern, context)

    def __len__(self, context: Any = None) -> int:
        pending = self._pending
        if pending is not None:
            key = self._Memory__ctx_to_str(context)  # type: ignore[attr-defined]
            return pending[0] if key in pending[1] else 0
        return super().__len__(context)

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        self._complete()
        super().add(triple, context, quoted)

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        self._complete()
        super().remove(triple_pattern, context)

    def contexts(self, triple: Any = None) -> Any:
        self._complete()
        return super().contexts(triple)

    def add_graph(self, graph: Any) -> None:
        self._complete()
        super().add_graph(graph)

    def remove_graph(self, graph: Any) -> None:
        self._complete()
        super().remove_graph(graph)


def _new_lock() -> Any:
    import threading

    return threading.Lock()


# -- a pickle that rebuilds rdflib terms and frozen dataclasses quickly ------------------------
# The default pickle of an rdflib term calls its constructor, which validates the IRI or
# re-converts the literal's lexical form; the default pickle of a slotted dataclass sets each
# field through a generic loop. These reducers rebuild them directly from trusted values.

_new_str = str.__new__
_SIMPLE = (type(None), str, bool, int, float, Decimal, date, datetime, dtime, bytes)


def _uri(value: str) -> URIRef:
    return _new_str(URIRef, value)


def _bnode(value: str) -> BNode:
    return _new_str(BNode, value)


def _literal(lexical: str, language: str | None, datatype: URIRef | None, value: object,
             ill_typed: bool | None) -> Literal:
    lit: Literal = _new_str(Literal, lexical)
    lit._language = language
    lit._datatype = datatype
    lit._value = value
    lit._ill_typed = ill_typed
    return lit


def _dataclass(cls: type[T], values: tuple[Any, ...]) -> T:
    return cls(*values)


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _positional_fields(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass whose fields are all ``__init__`` arguments, else None."""
    if cls not in _FIELDS:
        found = fields(cls)
        ok = all(f.init for f in found) and not hasattr(cls, "__post_init__")
        _FIELDS[cls] = tuple(f.name for f in found) if ok else None
    return _FIELDS[cls]


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        if kind is URIRef:
            return _uri, (str(obj),)
        if kind is BNode:
            return _bnode, (str(obj),)
        if kind is Literal and isinstance(obj._value, _SIMPLE):
            return _literal, (str(obj), obj._language, obj._datatype, obj._value,
                              obj._ill_typed)
        if is_dataclass(obj) and not isinstance(obj, type) and kind.__module__.startswith(
                "pvp_kg."):
            names = _positional_fields(kind)
            if names is not None:
                return _dataclass, (kind, tuple(getattr(obj, n) for n in names))
        return NotImplemented


def dumps(value: object) -> bytes:
    """Pickle ``value`` with the fast reducers."""
    import io

    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    """Unpickle what :func:`dumps` wrote.

    The garbage collector is paused meanwhile: unpickling creates some hundred thousand
    objects, none of them garbage, and the collections they trigger took about 40 % of the
    time (measured: 25–33 ms with, 15–19 ms without).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)  # noqa: S301 - our own file in the user's cache directory
    finally:
        if enabled:
            gc.enable()


# -- the cache file ----------------------------------------------------------------------------

def cached(name: str, sources: Sequence[Path], build: Callable[[], T],
           check: Callable[[object], bool]) -> T:
    """``build()``'s value, from the cache file of ``name`` when it matches ``sources``.

    :param check: True when an unpickled value has the right shape (else it is rebuilt)
    """
    directory = cache_dir()
    if directory is None:
        return build()
    key = cache_key(sources)
    path = directory / f"{name}-{key[:24]}.pickle"
    header = _MAGIC + key.encode() + b"\n"
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    if data.startswith(header):
        try:
            value = loads(data[len(header):])
        except Exception:  # a corrupt or truncated file: rebuild it below
            value = None
        if value is not None and check(value):
            return value  # type: ignore[no-any-return]
    value = build()
    _write(path, header, value, name)
    return value


def _write(path: Path, header: bytes, value: object, name: str) -> None:
    """Write the cache file atomically (mode 0600); drop old files of ``name``; never raise."""
    try:
        payload = header + dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        now = time.time()
        for old in path.parent.glob(f"{name}-*.pickle"):
            if old != path and now - old.stat().st_mtime > _STALE_AFTER:
                old.unlink(missing_ok=True)
    except Exception:  # noqa: S110 - a cache that cannot be written is no cache, not an error
        pass

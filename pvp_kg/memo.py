"""Answers remembered per graph state: typed calls, named-query rows and ``ask()``.

A :class:`ResultCache` belongs to one state of one :class:`~pvp_kg.KnowledgeGraph`; the graph
replaces it whenever its triples change (``merge()``), so an answer is never older than the
graph. Values are stored frozen (lists as tuples) and handed out as fresh lists, so a caller
that edits a returned list cannot change what the next caller gets; the items in them are
frozen dataclasses.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Concatenate, ParamSpec, TypeVar

__all__ = ["ResultCache", "call_key", "remembered", "results_of"]

P = ParamSpec("P")
R = TypeVar("R")

#: Answers kept per graph state (least recently used ones are dropped first).
MAXSIZE = 1024
_MISSING = object()


class _List(tuple):  # type: ignore[type-arg]
    """A list, stored as a tuple."""

    __slots__ = ()


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return _List(_freeze(v) for v in value)
    if type(value) is tuple:
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, _List):
        return [_thaw(v) for v in value]
    if type(value) is tuple:
        return tuple(_thaw(v) for v in value)
    return value


class ResultCache:
    """A bounded, thread-safe map from call keys to frozen results."""

    def __init__(self, maxsize: int = MAXSIZE, *, size: int = -1) -> None:
        self.maxsize = maxsize
        #: the graph's length when the cache was made (-1: not tracked)
        self.size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def get_or_compute(self, key: Hashable, compute: Callable[[], R]) -> R:
        """The remembered result for ``key``, else ``compute()`` (remembered; errors are not)."""
        with self._lock:
            found = self._data.get(key, _MISSING)
            if found is not _MISSING:
                self._data.move_to_end(key)
                self.hits += 1
        if found is not _MISSING:
            return _thaw(found)  # type: ignore[no-any-return]
        value = compute()
        frozen = _freeze(value)
        with self._lock:
            self.misses += 1
            self._data[key] = frozen
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return _thaw(frozen)  # type: ignore[no-any-return]

    def clear(self) -> None:
        """Forget every result."""
        with self._lock:
            self._data.clear()


def results_of(kg: Any) -> ResultCache:
    """The result cache of ``kg``'s current state.

    ``merge()`` replaces it. On the rdflib backend a direct edit of ``kg.graph`` that changes
    its size (``kg.graph.add(...)``) is noticed too (its length is a dictionary look-up there),
    and the remembered answers are dropped.
    """
    cache: ResultCache | None = getattr(kg, "_results", None)
    size = len(kg.graph) if getattr(kg, "backend", None) == "rdflib" else -1
    if cache is None or cache.size != size:
        cache = kg._results = ResultCache(size=size)
    return cache


def call_key(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable | None:
    """A key for one call, with each argument's type (``1`` and ``True`` differ); None when an
    argument cannot be hashed (the call then runs uncached and reports a bad argument itself).
    """
    key = (name, tuple((type(a), a) for a in args),
           tuple(sorted((k, type(v), v) for k, v in kwargs.items())))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def remembered(method: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """Remember a :class:`~pvp_kg.KnowledgeGraph` method's results in its :func:`results_of`."""
    name = method.__name__

    @functools.wraps(method)
    def wrapper(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> R:
        key = call_key(name, args, kwargs)
        if key is None:
            return method(self, *args, **kwargs)
        return results_of(self).get_or_compute(key, lambda: method(self, *args, **kwargs))

    return wrapper

"""The CURIE prefix table: compress IRIs to CURIEs and expand them back, with no dependency.

A plain longest-namespace-first table built from :mod:`.vocab`; it replaces a ``curies``
converter on the load path (that library pulls pydantic in, which costs more than the rest of
the start-up).

>>> table = prefix_table()
>>> table.compress("http://purl.obolibrary.org/obo/RO_0002411")
'RO:0002411'
>>> table.expand("pvp:CementLeakage")
'https://w3id.org/pvp-kg/CementLeakage'
>>> table.expand("nosuch:Thing") is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from .vocab import OBO, OBO_PREFIXES, PREFIXES, XREF_PREFIXES

__all__ = ["PrefixTable", "prefix_map", "prefix_table"]


def prefix_map() -> dict[str, str]:
    """Every prefix the graph uses, mapped to its namespace IRI.

    ``obo:`` itself is left out: an OBO term compresses to its ontology's own prefix
    (``RO:0002411``, not ``obo:RO_0002411``).
    """
    out = {p: ns for p, ns in PREFIXES.items() if p != "obo"}
    out.update({p: f"{OBO}{p}_" for p in OBO_PREFIXES})
    out.update(XREF_PREFIXES)
    return out


class PrefixTable:
    """Compress and expand CURIEs with one prefix map (namespaces must be distinct)."""

    __slots__ = ("_by_length", "_by_prefix", "_cache")

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self._by_prefix = dict(prefixes)
        seen: dict[str, str] = {}
        for prefix, namespace in self._by_prefix.items():
            if namespace in seen:
                raise ValueError(f"prefixes {seen[namespace]!r} and {prefix!r} share the "
                                 f"namespace {namespace!r}")
            seen[namespace] = prefix
        # (namespace, prefix), longest namespace first: the most specific one wins
        self._by_length = sorted(((ns, p) for p, ns in self._by_prefix.items()),
                                 key=lambda t: -len(t[0]))
        self._cache: dict[str, str | None] = {}

    def compress(self, iri: str) -> str | None:
        """``prefix:local`` for ``iri`` (the longest matching namespace), or None."""
        try:
            return self._cache[iri]
        except KeyError:
            pass
        found = None
        for namespace, prefix in self._by_length:
            if iri.startswith(namespace):
                found = f"{prefix}:{iri[len(namespace):]}"
                break
        if len(self._cache) < 100_000:
            self._cache[iri] = found
        return found

    def expand(self, curie: str) -> str | None:
        """The IRI of ``prefix:local``, or None when the prefix is unknown or there is none."""
        prefix, sep, local = curie.partition(":")
        if not sep:
            return None
        namespace = self._by_prefix.get(prefix)
        return None if namespace is None else namespace + local

    def __reduce__(self) -> tuple[type[PrefixTable], tuple[dict[str, str]]]:
        return (PrefixTable, (self._by_prefix,))

    @property
    def prefix_map(self) -> dict[str, str]:
        """A copy of the prefix map."""
        return dict(self._by_prefix)


@cache
def prefix_table() -> PrefixTable:
    """The shared table of :func:`prefix_map` (built once)."""
    return PrefixTable(prefix_map())

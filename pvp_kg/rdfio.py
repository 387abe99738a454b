"""Reading RDF from files and strings, defensively.

Every parse goes into a fresh graph, so a failure leaves the caller's graph untouched. Files
larger than ``max_bytes`` and XML with entity declarations (the "billion laughs" family) are
refused before parsing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from rdflib import Graph

from .errors import InvalidInputError
from .limits import DEFAULT_MAX_BYTES  # 200 MB

__all__ = ["DEFAULT_MAX_BYTES", "check_file", "guess_format", "parse_rdf"]


_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".n3": "n3",
    ".owl": "xml",
    ".rdf": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".nq": "nquads",
    ".trig": "trig",
}
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def guess_format(path: str | Path) -> str:
    """Return the rdflib parser name for a file name.

    >>> guess_format("extra.ttl")
    'turtle'
    >>> guess_format("pvp.owl")
    'xml'
    """
    suffix = Path(path).suffix.lower()
    try:
        return _FORMATS[suffix]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise InvalidInputError(
            f"cannot tell the RDF format of {str(path)!r} from its extension; "
            f"use one of {known} or pass format="
        ) from None


def parse_rdf(
    source: str | Path | bytes,
    *,
    format: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    name: str | None = None,
    into: Graph | None = None,
) -> Graph:
    """Parse a file (path) or RDF text (``bytes``) into a new :class:`rdflib.Graph`.

    :param source: a path, or the RDF document itself as bytes
    :param format: rdflib parser name; guessed from the file extension when omitted
    :param max_bytes: refuse inputs larger than this
    :param name: how to call the input in error messages
    :param into: parse into this (scratch) graph instead of a new one; it may be left
        partly filled when parsing fails
    :raises InvalidInputError: missing or oversize file, entity declarations, syntax errors

    >>> g = parse_rdf(b"<urn:a> <urn:b> <urn:c> .", format="nt")
    >>> len(g)
    1
    """
    if isinstance(source, bytes):
        data, label = source, name or "<data>"
        if format is None:
            raise InvalidInputError("format= is required when parsing RDF given as bytes")
    else:
        path, format, label = check_file(source, format=format, max_bytes=max_bytes, name=name)
        data = path.read_bytes()
    if len(data) > max_bytes:
        raise InvalidInputError(f"{label!r} is over the limit of {max_bytes:,} bytes")
    _refuse_hostile(data, format, label)
    graph = Graph() if into is None else into
    try:
        graph.parse(data=data, format=format)
    except RecursionError:
        raise InvalidInputError(f"{label!r} nests lists, blank nodes or elements too deeply "
                                "to be read") from None
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        raise InvalidInputError(f"{label!r} is not valid {format}: {exc}") from exc
    return graph


def check_file(source: str | Path, *, format: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None,
               read: bool = False) -> tuple[Path, str, str]:
    """Check an RDF file before parsing: it exists, is small enough, has a known format.

    With ``read``, XML entity declarations and remote JSON-LD contexts are refused too (the
    file is read for that; N-Triples and Turtle need no read).

    :returns: the path, the rdflib format name and the name to use in messages
    :raises InvalidInputError: missing, oversize, unknown format or hostile content
    """
    path = Path(source)
    label = name or str(path)
    if len(label) > 300:  # quoted in every message below
        label = label[:150] + "…" + label[-100:]
    try:
        size = path.stat().st_size if path.is_file() else -1
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte, no permission
        raise InvalidInputError(f"cannot read the RDF file {label!r}: "
                                f"{getattr(exc, 'strerror', None) or type(exc).__name__}") from None
    if size < 0:
        raise InvalidInputError(f"no such RDF file: {label!r}")
    if size > max_bytes:
        raise InvalidInputError(
            f"{label!r} is {size:,} bytes, over the limit of {max_bytes:,}; "
            "raise max_bytes= or use backend='oxigraph' for large graphs"
        )
    format = format or guess_format(path)
    if read and format in ("xml", "application/rdf+xml", "trix", "json-ld"):
        _refuse_hostile(path.read_bytes(), format, label)
    return path, format, label


def _refuse_hostile(data: bytes, format: str, label: str) -> None:
    """Refuse XML with entity declarations and JSON-LD with a remote context."""
    if format in ("xml", "application/rdf+xml", "trix") and _ENTITY.search(data):
        raise InvalidInputError(
            f"{label!r} declares XML entities (<!ENTITY …>); they are refused to prevent "
            "entity-expansion attacks"
        )
    if format == "json-ld":
        _refuse_remote_context(data, label)


def _refuse_remote_context(data: bytes, label: str) -> None:
    """Refuse JSON-LD that names a remote ``@context``: loading never touches the network."""
    try:
        doc = json.loads(data)
    except RecursionError:
        raise InvalidInputError(f"{label!r} nests JSON arrays or objects too deeply") from None
    except ValueError as exc:
        raise InvalidInputError(f"{label!r} is not valid JSON: {exc}") from exc
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ctx = node.get("@context")
            entries = ctx if isinstance(ctx, list) else [ctx]
            for entry in [*entries, node.get("@import")]:  # @import in a context loads one too
                if isinstance(entry, str):
                    raise InvalidInputError(
                        f"{label!r} refers to a remote JSON-LD @context ({entry!r}); "
                        "inline the context: pvp_kg does not fetch anything"
                    )
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)

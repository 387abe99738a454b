"""Exports: the graph in nine formats, written atomically.

========== ====== ==========================================================================
format     shape  content
========== ====== ==========================================================================
turtle     file   the whole RDF graph (ontology, sources, derived edges), Turtle
ntriples   file   the same, N-Triples
rdfxml     file   the same, RDF/XML (the OWL exchange syntax: Protégé, ROBOT, OWL API)
jsonld     file   the same, JSON-LD with an inline ``@context`` of the library's prefixes
obographs  file   OBO Graphs JSON (:mod:`pvp_kg.obographs`)
kgx        dir    KGX TSV ``pvp_kg_nodes.tsv`` / ``pvp_kg_edges.tsv``, Biolink categories,
                  predicates and provenance (:mod:`pvp_kg.propgraph`, :mod:`pvp_kg.biolink`)
sssom      file   SSSOM/TSV mapping set (:mod:`pvp_kg.mappings`)
neo4j      dir    ``nodes.csv`` / ``relationships.csv`` for ``neo4j-admin database import``
graphml    file   GraphML of the property graph (networkx, yEd, Gephi, Cytoscape)
bibtex     file   the sources as BibTeX, keyed by CURIE (:mod:`pvp_kg.citations`)
csljson    file   the sources as CSL-JSON (Zotero, Pandoc, citeproc)
ladybug    file   a LadybugDB (embedded Cypher) database of the property graph
                  (:mod:`pvp_kg.ladybug`; the ``cypher`` extra)
========== ====== ==========================================================================

On ``backend="oxigraph"`` the RDF formats are written by Oxigraph's own serialisers straight
from its store (one to two orders of magnitude faster on large graphs; the same triples, laid
out differently: JSON-LD comes out in expanded form, without a ``@context``).

Writes are atomic: a file is written to a temporary name beside its target and renamed over
it, so a failed export never leaves a half-written file; a directory export builds its files
in a temporary directory first. Missing parent directories are created.
"""

from __future__ import annotations

import io
import os
import secrets
import shutil
import stat
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ._check import shown
from .errors import InvalidInputError, PVPKGError
from .vocab import PREFIXES

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["Format", "export"]


class Format(str, Enum):
    """An export format. ``Format("ttl")``, ``Format("KGX")`` and ``Format.KGX`` all work.

    >>> Format("ttl")
    <Format.TURTLE: 'turtle'>
    >>> Format.KGX.is_directory
    True
    """

    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    RDFXML = "rdfxml"
    JSONLD = "jsonld"
    OBOGRAPHS = "obographs"
    KGX = "kgx"
    SSSOM = "sssom"
    NEO4J = "neo4j"
    GRAPHML = "graphml"
    BIBTEX = "bibtex"
    CSLJSON = "csljson"
    LADYBUG = "ladybug"

    @classmethod
    def _missing_(cls, value: object) -> Format | None:
        if not isinstance(value, str):
            return None
        key = value.strip().lower().replace("-", "").replace("_", "").replace("/", "")
        key = _ALIASES.get(key, key)
        return next((member for member in cls if member.value == key), None)

    @classmethod
    def parse(cls, value: Format | str) -> Format:
        """Return the format named ``value``.

        :raises InvalidInputError: no format has that name; the message lists them
        """
        try:
            return cls(value)
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise InvalidInputError(
                f"unknown export format {shown(value)}; use one of: {names}") from None

    @property
    def is_directory(self) -> bool:
        """True for formats written as several files into a directory (kgx, neo4j)."""
        return self in (Format.KGX, Format.NEO4J)

    @property
    def needs_path(self) -> bool:
        """True for formats that can only be written to a path (directories, databases)."""
        return self.is_directory or self is Format.LADYBUG

    @property
    def suffix(self) -> str:
        """The usual file name extension (empty for directory formats)."""
        return _SUFFIXES[self]

    @property
    def files(self) -> tuple[str, ...]:
        """The names of the files a directory format writes (empty for single-file ones)."""
        return _FILES.get(self, ())


_ALIASES = {"ttl": "turtle", "nt": "ntriples", "owl": "rdfxml", "xml": "rdfxml",
            "rdf": "rdfxml", "obojson": "obographs", "obograph": "obographs",
            "neo4jcsv": "neo4j", "kgxtsv": "kgx", "bib": "bibtex", "csl": "csljson",
            "lbdb": "ladybug", "ladybugdb": "ladybug",
            "kuzu": "ladybug", "cypher": "ladybug"}
_SUFFIXES = {Format.TURTLE: ".ttl", Format.NTRIPLES: ".nt", Format.RDFXML: ".owl",
             Format.JSONLD: ".jsonld", Format.OBOGRAPHS: ".json", Format.SSSOM: ".sssom.tsv",
             Format.GRAPHML: ".graphml", Format.KGX: "", Format.NEO4J: "",
             Format.BIBTEX: ".bib", Format.CSLJSON: ".json", Format.LADYBUG: ".lbdb"}
_FILES = {Format.KGX: ("pvp_kg_nodes.tsv", "pvp_kg_edges.tsv"),
          Format.NEO4J: ("nodes.csv", "relationships.csv")}
_RDFLIB = {Format.TURTLE: "turtle", Format.NTRIPLES: "nt", Format.RDFXML: "xml",
           Format.JSONLD: "json-ld"}
_OXRDFLIB = {Format.TURTLE: "ox-turtle", Format.NTRIPLES: "ox-nt", Format.RDFXML: "ox-xml",
             Format.JSONLD: "ox-json-ld"}


# -- the formats -------------------------------------------------------------------------------

def _write_rdf(kg: KnowledgeGraph, fmt: Format, stream: IO[bytes]) -> None:
    graph = kg.graph
    for prefix, namespace in PREFIXES.items():  # prefixes for readable Turtle / XML / JSON-LD
        graph.namespace_manager.bind(prefix, namespace, override=False, replace=False)
    try:
        if kg.backend == "oxigraph":  # Oxigraph's own serialisers, straight from its store
            graph.serialize(stream, format=_OXRDFLIB[fmt], encoding="utf-8")
        elif fmt is Format.JSONLD:
            graph.serialize(stream, format="json-ld", context=dict(PREFIXES), auto_compact=True,
                            encoding="utf-8")
        else:
            graph.serialize(stream, format=_RDFLIB[fmt], encoding="utf-8")
    except Exception as exc:  # rdflib's serializers raise several types
        raise InvalidInputError(f"the graph cannot be written as {fmt.value}: {exc}") from exc


def _single_file_writer(kg: KnowledgeGraph, fmt: Format) -> Callable[[IO[bytes]], None]:
    if fmt in _RDFLIB:
        return lambda stream: _write_rdf(kg, fmt, stream)
    if fmt is Format.GRAPHML:
        from .propgraph import write_graphml

        return lambda stream: write_graphml(kg, stream)
    if fmt in (Format.BIBTEX, Format.CSLJSON):
        from .citations import write_bibtex, write_csljson

        write = write_bibtex if fmt is Format.BIBTEX else write_csljson
        return lambda stream: write(kg, stream)

    def text(stream: IO[bytes]) -> None:
        if fmt is Format.OBOGRAPHS:
            from .obographs import write_obographs

            stream.write(write_obographs(kg).encode("utf-8"))
        else:
            from .sssom import write_sssom

            stream.write(write_sssom(kg).encode("utf-8"))

    return text


def _directory_writer(kg: KnowledgeGraph, fmt: Format) -> Callable[[Path], list[str]]:
    from .propgraph import write_kgx, write_neo4j

    write = write_kgx if fmt is Format.KGX else write_neo4j
    return lambda directory: write(kg, directory)


# -- atomic writes -----------------------------------------------------------------------------

def _temporary_name(path: Path) -> Path:
    """A fresh hidden name beside ``path``: the rename that publishes it stays on one disk."""
    return path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"


def _keep_mode(new: Path, old: Path) -> None:
    """Give a replacement the permissions of the file it replaces (new files keep the umask)."""
    if old.exists():
        os.chmod(new, stat.S_IMODE(old.stat().st_mode))


def _atomic_file(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    if path.is_dir():
        raise InvalidInputError(f"{shown(path)} is a directory; give a file name for this format")
    if path.exists() and not path.is_file():  # the rename would replace a device or a pipe
        raise InvalidInputError(f"{shown(path)} is not a regular file; give a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary_name(path)
    try:
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        _keep_mode(tmp, path)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _atomic_directory(path: Path, write: Callable[[Path], list[str]]) -> None:
    if path.exists() and not path.is_dir():
        raise InvalidInputError(
            f"{shown(path)} is a file; this format writes several files into a directory")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary_name(path)
    tmp.mkdir()
    try:
        names = write(tmp)
        if not path.exists():  # one rename publishes the whole directory
            os.replace(tmp, path)
        else:  # an existing directory: each file is replaced atomically, other files stay
            for name in names:
                _keep_mode(tmp / name, path / name)
                os.replace(tmp / name, path / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# -- entry point -------------------------------------------------------------------------------

def export(kg: KnowledgeGraph, format: Format | str, path: str | Path | None = None) -> str | None:
    """Write the graph in ``format`` to ``path``, or return it as text when ``path`` is None.

    :param kg: the knowledge graph
    :param format: a :class:`Format` or its name (``"turtle"``, ``"kgx"``, …; ``"ttl"``,
        ``"nt"``, ``"owl"`` are accepted too)
    :param path: a file (single-file formats) or a directory (``kgx``, ``neo4j``), created with
        its parents if missing; None to get the text back
    :returns: the exported text when ``path`` is None, else None
    :raises InvalidInputError: unknown format; no path for a directory format; a directory
        given for a file format or a file for a directory format

    >>> text = kg.export("ntriples")
    >>> "<https://w3id.org/pvp-kg/CementLeakage>" in text
    True
    """
    fmt = Format.parse(format)
    if path is None:
        if fmt is Format.LADYBUG:
            raise InvalidInputError("the ladybug export is a database file: give its path, "
                                    "e.g. export('ladybug', 'out/pvp_kg.lbdb')")
        if fmt.is_directory:
            raise InvalidInputError(
                f"the {fmt.value} export is a directory of files: give a directory path, "
                f"e.g. export({fmt.value!r}, 'out/{fmt.value}')")
        buffer = io.BytesIO()
        _single_file_writer(kg, fmt)(buffer)
        return buffer.getvalue().decode("utf-8")
    target = Path(path)
    try:
        if fmt is Format.LADYBUG:
            from .ladybug import write_ladybug

            write_ladybug(kg, target)  # atomic on its own: built under a temporary name
        elif fmt.is_directory:
            _atomic_directory(target, _directory_writer(kg, fmt))
        else:
            _atomic_file(target, _single_file_writer(kg, fmt))
    except PVPKGError:
        raise
    except (OSError, ValueError) as exc:  # a parent that is a file, a NUL byte, a full disk
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InvalidInputError(f"cannot write the {fmt.value} export to {shown(str(path))}: "
                                f"{reason}") from exc
    return None

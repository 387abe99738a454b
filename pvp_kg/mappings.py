"""Read the SSSOM cross-references (``ontology/mappings/pvp.sssom.tsv``) with the csv module.

The file is SSSOM/TSV: a commented YAML header (``# curie_map:`` and the mapping-set metadata)
followed by one mapping per row. sssom-py reads it too (the tests do), but the library does
not need it at run time: :func:`read_mappings` gives the ``Concept.xrefs`` of every subject.

>>> xrefs = read_mappings()
>>> "ICD10PCS:0PU43JZ" in xrefs["https://w3id.org/pvp-kg/PercutaneousVertebroplasty"]
True
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InvalidInputError
from .resources import ontology_dir

__all__ = [
    "Mapping",
    "default_mappings_path",
    "read_mapping_rows",
    "read_mappings",
    "write_sssom",
]

#: Refuse mapping files larger than this (bytes).
MAX_BYTES = 20_000_000
_REQUIRED = ("subject_id", "predicate_id", "object_id", "mapping_justification")
_PREFIX_LINE = re.compile(r"^#\s+([A-Za-z_][\w.-]*):\s*(\S+)\s*$")


@dataclass(frozen=True, slots=True)
class Mapping:
    """One SSSOM row: ``subject_id predicate_id object_id`` with its justification."""

    subject_id: str
    subject_iri: str
    predicate_id: str
    object_id: str
    mapping_justification: str
    subject_label: str = ""
    object_label: str = ""
    confidence: float | None = None
    comment: str = ""


def default_mappings_path() -> Path:
    """Return the path of the bundled SSSOM file."""
    return ontology_dir() / "mappings" / "pvp.sssom.tsv"


def read_mapping_rows(path: str | Path | None = None) -> list[Mapping]:
    """Read every mapping of an SSSOM/TSV file (default: the bundled one).

    :param path: the ``.sssom.tsv`` file
    :returns: the mappings in file order
    :raises InvalidInputError: the file is missing, too large, or lacks a required column,
        a CURIE prefix of its ``curie_map`` or a valid confidence
    """
    path = Path(path) if path is not None else default_mappings_path()
    if not path.is_file():
        raise InvalidInputError(f"no mappings file at {path}")
    if path.stat().st_size > MAX_BYTES:
        raise InvalidInputError(f"{path.name} is larger than {MAX_BYTES:,} bytes")
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    prefixes = _curie_map(header)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    reader = csv.DictReader(io.StringIO(body), delimiter="\t")
    missing = [c for c in _REQUIRED if c not in (reader.fieldnames or ())]
    if missing:
        raise InvalidInputError(f"{path.name} lacks the SSSOM column(s) {', '.join(missing)}")
    rows = []
    for number, row in enumerate(reader, start=2 + len(header)):
        subject = row["subject_id"].strip()
        prefix, _, local = subject.partition(":")
        if prefix not in prefixes or not local:
            raise InvalidInputError(f"{path.name} line {number}: subject {subject!r} has no "
                                    "prefix in the curie_map")
        try:
            confidence = float(row["confidence"]) if row.get("confidence") else None
        except ValueError:
            raise InvalidInputError(f"{path.name} line {number}: confidence "
                                    f"{row['confidence']!r} is not a number") from None
        if confidence is not None and not 0.0 <= confidence <= 1.0:
            raise InvalidInputError(f"{path.name} line {number}: confidence must be in [0, 1]")
        rows.append(Mapping(
            subject_id=subject, subject_iri=prefixes[prefix] + local,
            predicate_id=row["predicate_id"].strip(), object_id=row["object_id"].strip(),
            mapping_justification=row["mapping_justification"].strip(),
            subject_label=(row.get("subject_label") or "").strip(),
            object_label=(row.get("object_label") or "").strip(),
            confidence=confidence, comment=(row.get("comment") or "").strip()))
    return rows


def read_mappings(path: str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """Return the cross-references of each subject: ``{subject IRI: (object CURIE, ...)}``.

    This is the ``xrefs`` argument of :class:`~pvp_kg.terms.TermTable`. With no ``path`` the
    bundled file is read; when it is absent (a bare install), the result is empty.

    :param path: an SSSOM/TSV file
    :returns: sorted, de-duplicated object CURIEs per subject IRI
    :raises InvalidInputError: an explicit ``path`` is missing or malformed
    """
    if path is None and not default_mappings_path().is_file():
        return {}
    out: dict[str, set[str]] = {}
    for m in read_mapping_rows(path):
        out.setdefault(m.subject_iri, set()).add(m.object_id)
    return {iri: tuple(sorted(objects)) for iri, objects in sorted(out.items())}


def _curie_map(header: list[str]) -> dict[str, str]:
    """Parse the ``# curie_map:`` block of an SSSOM/TSV header."""
    prefixes: dict[str, str] = {}
    inside = False
    for line in header:
        if re.match(r"^#\s*curie_map:\s*$", line):
            inside = True
            continue
        if inside:
            match = _PREFIX_LINE.match(line)
            if match is None or not line.startswith("#  "):
                inside = False
                continue
            prefixes[match.group(1)] = match.group(2)
    return prefixes


_COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
            "mapping_justification", "confidence", "comment")
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
_SET_ID = "https://w3id.org/pvp-kg/mappings/pvp.sssom.tsv"


def write_sssom(kg: Any) -> str:
    """Return the mapping set of ``kg`` as SSSOM/TSV text (the ``sssom`` export format).

    The set holds the bundled mappings whose subject is a term of the graph, plus every SKOS
    mapping triple the graph asserts (``skos:closeMatch`` of the evidence levels to ECO, and
    any a merged file adds), as ``semapv:ManualMappingCuration``. The header carries the
    ``curie_map`` of every prefix used, the licence and the ontology's version IRI.
    :func:`read_mapping_rows` reads it back.

    :param kg: a :class:`~pvp_kg.KnowledgeGraph`
    :returns: the SSSOM/TSV text
    """
    from rdflib import Literal, URIRef

    from .terms import converter
    from .vocab import OWL, RDFS

    graph = kg.graph
    conv = converter()

    def label(node: object) -> str:
        values = [o for o in graph.objects(node, RDFS.label) if isinstance(o, Literal)]
        return str(values[0]) if values else ""

    rows: dict[tuple[str, str, str], dict[str, str]] = {}
    bundled = read_mapping_rows() if default_mappings_path().is_file() else []
    for m in bundled:
        if label(URIRef(m.subject_iri)):
            rows[(m.subject_id, m.predicate_id, m.object_id)] = {
                "subject_id": m.subject_id, "subject_label": label(URIRef(m.subject_iri)),
                "predicate_id": m.predicate_id, "object_id": m.object_id,
                "object_label": m.object_label, "mapping_justification": m.mapping_justification,
                "confidence": "" if m.confidence is None else f"{m.confidence:.2f}",
                "comment": m.comment}
    for name in _MATCHES:
        for s, o in graph.subject_objects(URIRef(_SKOS + name)):
            subject, obj = conv.compress(str(s)), conv.compress(str(o))
            if not isinstance(s, URIRef) or subject is None or obj is None:
                continue
            rows.setdefault((subject, f"skos:{name}", obj), {
                "subject_id": subject, "subject_label": label(s), "predicate_id": f"skos:{name}",
                "object_id": obj, "object_label": label(o),
                "mapping_justification": "semapv:ManualMappingCuration", "confidence": "",
                "comment": "asserted in the graph"})
    used = {"semapv", "skos"} | {r[k].split(":", 1)[0] for r in rows.values()
                                 for k in ("subject_id", "object_id")}
    prefix_map = {p: conv.prefix_map[p] for p in used if p in conv.prefix_map}
    prefix_map.update(semapv="https://w3id.org/semapv/vocab/", skos=_SKOS)
    if bundled:
        with default_mappings_path().open(encoding="utf-8") as fh:
            header = _curie_map([line.rstrip("\n") for line in fh if line.startswith("#")])
        prefix_map.update({p: ns for p, ns in header.items() if p in used})
    version = next(iter(sorted(graph.objects(None, OWL.versionIRI))), None)
    out = io.StringIO()
    out.write("# curie_map:\n")
    for prefix in sorted(prefix_map, key=str.lower):
        out.write(f"#   {prefix}: {prefix_map[prefix]}\n")
    out.write(f"# mapping_set_id: {_SET_ID}\n")
    if version is not None:
        out.write(f"# mapping_set_version: {version}\n")
    out.write("# license: https://creativecommons.org/licenses/by/4.0/\n")
    writer = csv.DictWriter(out, _COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows[key] for key in sorted(rows))
    return out.getvalue()

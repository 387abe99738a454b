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

from .errors import InvalidInputError
from .resources import mappings_file

__all__ = [
    "Mapping",
    "curie_map",
    "default_mappings_path",
    "read_mapping_rows",
    "read_mappings",
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
    return mappings_file()


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
    prefixes = curie_map(header)
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


def curie_map(header: list[str]) -> dict[str, str]:
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

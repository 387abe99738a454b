"""Consistency checking and classification of the graph (design §6).

Two engines, one report:

* ``"hermit"`` — OWL 2 DL reasoning with HermiT through owlready2 (needs Java): checks
  consistency, finds unsatisfiable classes and classifies every named class.
* ``"owlrl"`` — OWL 2 RL materialisation in pure Python (owlrl), used when Java is missing.
  OWL 2 RL works on instances, so each named class gets one *prototype* instance; the types
  the rules give that instance are the superclasses the engine can prove. This is sound but
  incomplete: reasoning by cases (a union inside an existential, say) is left to HermiT.

Either engine runs in a child process (``python -m pvp_kg.reason``) that is killed, with the
Java process it started, when it overruns its time limit. The reasoner is given the graph
without its ``owl:Axiom`` annotations (provenance, no logic); the punned "may" edges between
classes stay in, as OWL 2 DL allows. :class:`ReasonerReport` says which engine ran and why.

>>> from pvp_kg import load
>>> report = reason(load(), engine="owlrl")
>>> report.engine, report.consistent
('owlrl', True)
>>> "symptomatic pulmonary cement embolism" in report.memberships("serious complication")
True
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from .edges import closure
from .errors import InvalidInputError, MissingDependencyError, ReasonerError
from .model import as_dict
from .terms import english_label
from .vocab import OWL, RDF, RDFS, REASONER_INVERSE, REASONER_PROTOTYPE

__all__ = ["DEFAULT_TIMEOUT", "ENGINES", "Inference", "ReasonerError", "ReasonerReport", "Term",
           "reason"]

ENGINES = ("auto", "hermit", "owlrl")
#: Seconds the child process may run before it (and Java) is killed.
DEFAULT_TIMEOUT = 300.0
_PROTOTYPE = REASONER_PROTOTYPE
_INVERSE = REASONER_INVERSE
_BUILTIN = (str(OWL), str(RDF), str(RDFS))


@dataclass(frozen=True, slots=True)
class Term:
    """A named term in a report: its IRI and English label."""

    iri: str
    label: str

    def __repr__(self) -> str:
        return f"Term({self.label!r})"


@dataclass(frozen=True, slots=True)
class Inference:
    """One entailed membership that the graph does not assert.

    ``kind`` is ``"subclass"`` (``subject`` ⊑ ``superclass``, between named classes) or
    ``"instance"`` (``subject`` is a named individual of ``superclass``). ``defined`` is true
    when ``superclass`` is a defined class (it has an equivalence axiom).
    """

    subject: Term
    superclass: Term
    kind: Literal["subclass", "instance"] = "subclass"
    defined: bool = False

    def describe(self) -> str:
        """Return the inference as text, e.g. ``spinal cord compression ⊑ serious complication``."""
        sign = "⊑" if self.kind == "subclass" else "∈"
        return f"{self.subject.label} {sign} {self.superclass.label}"


@dataclass(frozen=True, slots=True)
class ReasonerReport:
    """What a reasoner run found.

    :ivar engine: ``"hermit"`` or ``"owlrl"`` — the engine that actually ran
    :ivar engine_detail: engine and version, e.g. ``HermiT (owlready2 0.51)``
    :ivar fallback_reason: why the OWL 2 RL fallback ran instead of HermiT, if it did
    :ivar consistent: false when the ontology as a whole has no model
    :ivar unsatisfiable: named classes that can have no instance
    :ivar inferred: memberships entailed but not asserted (named classes and individuals)
    :ivar defined_classes: classes with an equivalence axiom
    :ivar message: the reasoner's own words when it found a problem
    """

    engine: Literal["hermit", "owlrl"]
    engine_detail: str
    consistent: bool
    unsatisfiable: tuple[Term, ...] = ()
    inferred: tuple[Inference, ...] = ()
    defined_classes: tuple[Term, ...] = ()
    fallback_reason: str | None = None
    message: str | None = None
    seconds: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the ontology is consistent and every class is satisfiable."""
        return self.consistent and not self.unsatisfiable

    def memberships(self, defined: str | None = None) -> tuple[str, ...]:
        """Labels of the classes inferred to fall under ``defined`` (label or IRI).

        With no argument: every inferred ``subject ⊑ defined class`` as text.
        """
        if defined is None:
            return tuple(i.describe() for i in self.inferred if i.defined)
        return tuple(sorted({i.subject.label for i in self.inferred
                             if defined in (i.superclass.iri, i.superclass.label)}))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dictionary (``ok`` included)."""
        data: dict[str, Any] = as_dict(self)
        data["ok"] = self.ok
        return data

    def __str__(self) -> str:
        lines = [f"engine: {self.engine_detail}"]
        if self.fallback_reason:
            lines.append(f"  (OWL 2 RL fallback: {self.fallback_reason})")
        lines.append(f"consistent: {'yes' if self.consistent else 'NO'}")
        if self.message:
            lines.append(f"  {self.message}")
        lines.append(f"unsatisfiable classes: {len(self.unsatisfiable)}")
        lines += [f"  - {t.label}  <{t.iri}>" for t in self.unsatisfiable]
        lines.append(f"inferred memberships (not asserted): {len(self.inferred)}")
        lines += [f"  - {i.describe()}" for i in self.inferred if i.defined]
        others = sum(1 for i in self.inferred if not i.defined)
        if others:
            lines.append(f"  ... and {others} other entailed subsumptions or types")
        return "\n".join(lines)


# -- public entry point -------------------------------------------------------------------------
def reason(kg: Any, *, engine: str = "auto", timeout: float = DEFAULT_TIMEOUT) -> ReasonerReport:
    """Check consistency and classify the graph of ``kg``.

    :param kg: a :class:`~pvp_kg.KnowledgeGraph` (or a plain :class:`rdflib.Graph`)
    :param engine: ``"auto"`` (HermiT when Java and owlready2 are there, else OWL 2 RL),
        ``"hermit"`` or ``"owlrl"``
    :param timeout: seconds before the reasoner process is killed
    :returns: the report; ``report.ok`` is false for an inconsistency or unsatisfiable class
    :raises InvalidInputError: unknown engine name or a non-positive timeout
    :raises MissingDependencyError: the chosen engine's package is not installed
    :raises ReasonerError: no Java for HermiT, the engine failed, or it overran ``timeout``
    """
    if engine not in ENGINES:
        raise InvalidInputError(f"unknown reasoner engine {engine!r}; use one of {ENGINES}")
    if timeout <= 0:
        raise InvalidInputError("timeout must be positive")
    graph: Graph = kg.graph if hasattr(kg, "graph") else kg
    chosen, fallback = _choose(engine)
    logic, notes = reasoner_input(graph, for_rl=chosen == "owlrl")
    started = time.monotonic()
    raw = _run_child(chosen, logic, timeout)
    return _report(graph, raw, chosen, fallback, notes, time.monotonic() - started)


def _choose(engine: str) -> tuple[Literal["hermit", "owlrl"], str | None]:
    java = shutil.which("java")
    has_owlready = _importable("owlready2")
    if engine == "hermit":
        if java is None:
            raise ReasonerError("engine='hermit' needs a Java runtime (java on PATH)")
        if not has_owlready:
            raise MissingDependencyError("engine='hermit'", extra="reason", package="owlready2")
        return "hermit", None
    if engine == "auto" and java is not None and has_owlready:
        return "hermit", None
    if not _importable("owlrl"):
        raise MissingDependencyError(f"engine={engine!r}", extra="reason", package="owlrl")
    if engine == "owlrl":
        return "owlrl", None
    return "owlrl", "no Java runtime on PATH" if java is None else "owlready2 is not installed"


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


# -- what the reasoner sees ---------------------------------------------------------------------
def reasoner_input(graph: Graph, *, for_rl: bool = False) -> tuple[Graph, tuple[str, ...]]:
    """Return the part of ``graph`` given to the reasoner, and notes on what was left out.

    ``owl:Axiom`` annotation nodes are left out (they carry sources, not logic). Each anonymous
    inverse property (``[ owl:inverseOf p ]``) becomes one named property with the same meaning,
    so that restrictions on the same inverse share it (the RL rules match properties by name).
    For OWL 2 RL,
    annotation-property triples (labels, definitions, synonyms) are left out as well, which
    makes the rule engine several times faster without changing what it can infer.
    """
    axioms = set(graph.subjects(RDF.type, OWL.Axiom))
    annotation = set(graph.subjects(RDF.type, OWL.AnnotationProperty)) | {RDFS.label,
                                                                            RDFS.comment}
    inverses: dict[Node, Node] = {
        b: URIRef(f"{_INVERSE}{graph.value(b, OWL.inverseOf)}")
        for b in graph.subjects(OWL.inverseOf, None) if isinstance(b, BNode)}
    out = Graph()
    dropped_annotations = 0
    for s, p, o in graph:
        if s in axioms:
            continue
        if for_rl and p in annotation:
            dropped_annotations += 1
            continue
        out.add((inverses.get(s, s), p, inverses.get(o, o)))
    notes = [f"{len(axioms)} owl:Axiom annotation nodes (sources, evidence) not given to the "
             "reasoner: they carry provenance, not logic"]
    if for_rl:
        notes.append(f"{dropped_annotations} annotation triples (labels, definitions, synonyms) "
                     "left out of the rule engine's input")
    return out, tuple(notes)


def named_classes(graph: Graph) -> set[URIRef]:
    """Every named class declared or used as such in ``graph`` (OWL/RDF built-ins excluded)."""
    found = {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    for s, o in graph.subject_objects(RDFS.subClassOf):
        found |= {n for n in (s, o) if isinstance(n, URIRef)}
    return {c for c in found if not str(c).startswith(_BUILTIN)}


def defined_classes(graph: Graph) -> set[URIRef]:
    """Named classes with an equivalence axiom to a class expression."""
    return {s for s, o in graph.subject_objects(OWL.equivalentClass)
            if isinstance(s, URIRef) and isinstance(o, BNode)}


def asserted_ancestors(graph: Graph) -> dict[str, set[str]]:
    """Named superclasses of each named class that the graph states, transitively.

    Counts ``rdfs:subClassOf`` and ``owl:equivalentClass`` between named classes and the named
    operands of an ``owl:intersectionOf`` a class is defined as equivalent to.
    """
    up: dict[Node, set[Node]] = {}
    for s, o in graph.subject_objects(RDFS.subClassOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            up.setdefault(s, set()).add(o)
    for s, o in graph.subject_objects(OWL.equivalentClass):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            up.setdefault(s, set()).add(o)
            up.setdefault(o, set()).add(s)
        elif isinstance(s, URIRef):
            for lst in graph.objects(o, OWL.intersectionOf):
                up.setdefault(s, set()).update(x for x in Collection(graph, lst)
                                               if isinstance(x, URIRef))
    return {str(start): {str(n) for n in closure(start, lambda n: up.get(n, ()))}
            for start in up}


# -- the child process --------------------------------------------------------------------------
def _run_child(engine: str, logic: Graph, timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="pvp-kg-reason-") as tmp:
        src, dst = Path(tmp) / "input.nt", Path(tmp) / "result.json"
        logic.serialize(src, format="nt", encoding="utf-8")
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
        cmd = [sys.executable, "-m", "pvp_kg.reason", engine, str(src), str(dst)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ReasonerError(f"{engine} did not finish within {timeout:g} s; it was stopped"
                                ) from None
        if proc.returncode != 0 or not dst.is_file():
            detail = err.decode("utf-8", "replace").strip().splitlines()[-12:]
            raise ReasonerError(f"{engine} failed (exit {proc.returncode}): " + " | ".join(detail))
        result: dict[str, Any] = json.loads(dst.read_text(encoding="utf-8"))
        return result


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the child and everything it started (the Java process included)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # pragma: no cover - already gone
        proc.kill()
    proc.wait()


def _hermit_worker(src: Path) -> dict[str, Any]:
    import owlready2

    world = owlready2.World()
    world.get_ontology(src.resolve().as_uri()).load()
    out: dict[str, Any] = {"detail": f"HermiT (owlready2 {owlready2.VERSION})",
                           "consistent": True, "message": None, "unsatisfiable": [],
                           "parents": {}, "types": {}}
    # owlready2 applies the inferred parents only to entities already loaded in Python: load
    # every class and individual first (and keep them referenced).
    loaded = [*world.classes(), *world.individuals()]
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        out.update(consistent=False, message="HermiT: the ontology is inconsistent (it has no "
                   "model); no classification was possible")
        return out
    thing = owlready2.ThingClass
    out["unsatisfiable"] = sorted(c.iri for c in world.inconsistent_classes()
                                  if isinstance(c, thing))
    for cls in (e for e in loaded if isinstance(e, thing)):
        out["parents"][cls.iri] = sorted({p.iri for p in [*cls.is_a, *cls.equivalent_to]
                                          if isinstance(p, thing)})
    for ind in (e for e in loaded if not isinstance(e, thing)):
        out["types"][ind.iri] = sorted({t.iri for t in ind.is_a if isinstance(t, thing)})
    return out


def _owlrl_worker(src: Path) -> dict[str, Any]:
    import owlrl
    from owlrl.Namespaces import ERRNS

    graph = Graph()
    graph.parse(src, format="nt")
    protos = {URIRef(f"{_PROTOTYPE}{i}"): c for i, c in enumerate(sorted(named_classes(graph)))}
    individuals = {i for i in graph.subjects(RDF.type, OWL.NamedIndividual)
                   if isinstance(i, URIRef)}
    for proto, cls in protos.items():
        graph.add((proto, RDF.type, cls))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(graph)
    errors = [str(m) for m in graph.objects(None, ERRNS.error)]
    hit = {int(n) for e in errors for n in re.findall(re.escape(_PROTOTYPE) + r"(\d+)", e)}
    unsat = {str(c) for i, c in enumerate(protos.values()) if i in hit}
    clash = [e for e in errors if _PROTOTYPE not in e]

    def types(node: URIRef) -> list[str]:
        return sorted({str(t) for t in graph.objects(node, RDF.type)
                       if isinstance(t, URIRef) and not str(t).startswith(_BUILTIN)})

    return {"detail": f"owlrl {getattr(owlrl, '__version__', '')} (OWL 2 RL rules)".replace(
                "  ", " "),
            "consistent": not clash, "message": "; ".join(clash[:5]) or None,
            "unsatisfiable": sorted(unsat),
            "parents": {str(c): [t for t in types(p) if t != str(c)] for p, c in protos.items()},
            "types": {str(i): types(i) for i in individuals}}


def _worker_main(argv: list[str]) -> int:
    engine, src, dst = argv
    worker = _hermit_worker if engine == "hermit" else _owlrl_worker
    result = worker(Path(src))
    Path(dst).write_text(json.dumps(result), encoding="utf-8")
    return 0


# -- turning the raw result into a report -------------------------------------------------------
def _label(graph: Graph, iri: str) -> str:
    return english_label(graph, URIRef(iri)) or iri


def _closure(parents: Mapping[str, Iterable[str]], start: str) -> set[str]:
    return closure(start, lambda node: parents.get(node, ()))


def _report(graph: Graph, raw: Mapping[str, Any], engine: Literal["hermit", "owlrl"],
            fallback: str | None, notes: tuple[str, ...], seconds: float) -> ReasonerReport:
    def term(iri: str) -> Term:
        return Term(iri, _label(graph, iri))

    asserted = asserted_ancestors(graph)
    defined = {str(c) for c in defined_classes(graph)}
    parents: Mapping[str, list[str]] = raw["parents"]
    nothing = str(OWL.Nothing)
    # a class is unsatisfiable when the reasoner puts it (or one of its superclasses) under
    # owl:Nothing; owlready2 lists only some of them in inconsistent_classes()
    unsat = {c for c in (set(raw["unsatisfiable"]) | {c for c in parents
                                                      if nothing in _closure(parents, c)})
             if c != nothing}
    known = {str(c) for c in named_classes(graph)}
    inferred: list[Inference] = []
    for cls in sorted(known & set(parents)):
        if cls in unsat:
            continue
        for sup in sorted(_closure(parents, cls) - asserted.get(cls, set()) - unsat):
            if sup in known and sup != str(OWL.Thing):
                inferred.append(Inference(term(cls), term(sup), "subclass", sup in defined))
    for ind, types in sorted(raw["types"].items()):
        stated = {str(t) for t in graph.objects(URIRef(ind), RDF.type)}
        stated |= {a for t in stated for a in asserted.get(t, ())}
        for sup in sorted(set().union(*(_closure(parents, t) | {t} for t in types)) - stated):
            if sup in known:
                inferred.append(Inference(term(ind), term(sup), "instance", sup in defined))
    inferred.sort(key=lambda i: (not i.defined, i.superclass.label, i.subject.label))
    return ReasonerReport(
        engine=engine, engine_detail=raw["detail"], consistent=raw["consistent"],
        unsatisfiable=tuple(sorted((term(i) for i in unsat), key=lambda t: t.label)),
        inferred=tuple(inferred),
        defined_classes=tuple(sorted((term(d) for d in defined), key=lambda t: t.label)),
        fallback_reason=fallback, message=raw["message"], seconds=round(seconds, 2),
        notes=notes)


if __name__ == "__main__":  # the child process started by _run_child
    sys.exit(_worker_main(sys.argv[1:]))

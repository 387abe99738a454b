"""The ``sssom`` export: the graph's mappings as SSSOM/TSV (reading them is :mod:`.mappings`)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.term import Node

from .mappings import curie_map, default_mappings_path, read_mapping_rows
from .terms import converter, english_label
from .vocab import LICENSE_CC_BY, MAPPING_SET_ID, OWL, SEMAPV, SKOS

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["write_sssom"]


_COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
            "mapping_justification", "confidence", "comment")
_MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


def write_sssom(kg: KnowledgeGraph) -> str:
    """Return the mapping set of ``kg`` as SSSOM/TSV text (the ``sssom`` export format).

    The set holds the bundled mappings whose subject is a term of the graph, plus every SKOS
    mapping triple the graph asserts (``skos:closeMatch`` of the evidence levels to ECO, and
    any a merged file adds), as ``semapv:ManualMappingCuration``. The header carries the
    ``curie_map`` of every prefix used, the licence and the ontology's version IRI.
    :func:`read_mapping_rows` reads it back.

    :param kg: a :class:`~pvp_kg.KnowledgeGraph`
    :returns: the SSSOM/TSV text
    """
    graph = kg.graph
    conv = converter()

    def label(node: Node) -> str:
        return english_label(graph, node) or ""

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
        for s, o in graph.subject_objects(SKOS[name]):
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
    prefix_map.update(semapv=str(SEMAPV), skos=str(SKOS))
    if bundled:
        with default_mappings_path().open(encoding="utf-8") as fh:
            header = curie_map([line.rstrip("\n") for line in fh if line.startswith("#")])
        prefix_map.update({p: ns for p, ns in header.items() if p in used})
    version = next(iter(sorted(graph.objects(None, OWL.versionIRI), key=str)), None)
    out = io.StringIO()
    out.write("# curie_map:\n")
    for prefix in sorted(prefix_map, key=str.lower):
        out.write(f"#   {prefix}: {prefix_map[prefix]}\n")
    out.write(f"# mapping_set_id: {MAPPING_SET_ID}\n")
    if version is not None:
        out.write(f"# mapping_set_version: {version}\n")
    out.write(f"# license: {LICENSE_CC_BY}\n")
    writer = csv.DictWriter(out, _COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows[key] for key in sorted(rows))
    return out.getvalue()

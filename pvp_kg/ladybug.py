"""The graph in LadybugDB, an embedded Cypher database (``real-ladybug``, the maintained fork
of Kùzu; the ``cypher`` extra).

:func:`write_ladybug` writes the property graph the Neo4j export writes (the same nodes, the
same relationships, the same properties) into a new LadybugDB database file:

- one node table ``PVP`` (the label every node of the Neo4j export carries), primary key
  ``id`` (the CURIE), with ``label`` (the term's label; ``name`` holds it too, as in the
  Neo4j CSV), ``iri``, ``definition``, ``category`` (Biolink), ``synonyms``, ``xrefs``,
  ``types``, ``sources``, ``deprecated`` and, for a finding, its numbers (``value``,
  ``min_value``, ``max_value`` as DOUBLE, ``numerator``, ``denominator``, ``sample_size`` as
  INT64) and texts;
- one relationship table per predicate, named as the Neo4j relationship types
  (``HAS_COMPLICATION``, ``IS_A``, ``CAUSALLY_UPSTREAM_OF`` …), with the provenance as
  properties: ``predicate`` (CURIE), ``predicate_iri``, ``predicate_label``,
  ``biolink_predicate``, ``quantifier``, ``derived_by``, ``sources``, ``publications``,
  ``evidence_levels``, ``knowledge_level``, ``agent_type``.

Open it with ``real_ladybug.Database(path)`` and query it in Cypher; see docs/cypher.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._optional import require
from .errors import InvalidInputError
from .propgraph import _FINDING_FIELDS, _FLOATS, _INTS, property_graph, relationship_type

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["NODE_TABLE", "REL_PROPERTIES", "write_ladybug"]

#: The node table: the label every node has in the Neo4j export.
NODE_TABLE = "PVP"
_NODE_LISTS = ("category", "synonyms", "xrefs", "types", "sources")
_NODE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "STRING"), ("label", "STRING"), ("name", "STRING"), ("iri", "STRING"),
    ("definition", "STRING"), *((name, "STRING[]") for name in _NODE_LISTS),
    ("deprecated", "BOOLEAN"),
    *((f, "DOUBLE" if f in _FLOATS else "INT64" if f in _INTS else "STRING")
      for f in _FINDING_FIELDS),
)
#: The properties of every relationship, with their Cypher types.
REL_PROPERTIES: tuple[tuple[str, str], ...] = (
    ("predicate", "STRING"), ("predicate_iri", "STRING"), ("predicate_label", "STRING"),
    ("biolink_predicate", "STRING"), ("quantifier", "STRING"), ("derived_by", "STRING"),
    ("sources", "STRING[]"), ("publications", "STRING[]"), ("evidence_levels", "STRING[]"),
    ("knowledge_level", "STRING"), ("agent_type", "STRING"),
)


def _lb() -> Any:
    return require("real_ladybug", feature="the LadybugDB (Cypher) export", extra="cypher",
                   package="real-ladybug")


def _ddl(rel_types: list[str]) -> list[str]:
    columns = ", ".join(f"{name} {kind}" for name, kind in _NODE_COLUMNS)
    statements = [f"CREATE NODE TABLE {NODE_TABLE}({columns}, PRIMARY KEY (id))"]
    props = ", ".join(f"{name} {kind}" for name, kind in REL_PROPERTIES)
    statements += [f"CREATE REL TABLE `{t}`(FROM {NODE_TABLE} TO {NODE_TABLE}, {props})"
                   for t in rel_types]
    return statements


def _fill(conn: Any, kg: KnowledgeGraph) -> tuple[int, int]:
    nodes, edges = property_graph(kg)
    rel_types = sorted({relationship_type(e.edge.predicate_label or e.predicate) for e in edges})
    for statement in _ddl(rel_types):
        conn.execute(statement)
    conn.execute("BEGIN TRANSACTION")
    names = [name for name, _ in _NODE_COLUMNS]
    kinds = dict(_NODE_COLUMNS)
    node_rows = []
    for n in nodes:
        finding = n.finding
        row: dict[str, Any] = {
            "id": n.id, "label": n.name, "name": n.name, "iri": n.iri,
            "definition": n.description, "category": list(n.categories),
            "synonyms": list(n.synonyms), "xrefs": list(n.xrefs), "types": list(n.types),
            "sources": list(n.sources), "deprecated": n.deprecated,
        }
        for f in _FINDING_FIELDS:
            value = getattr(finding, f) if finding is not None else None
            row[f] = (float(value) if f in _FLOATS else int(value) if f in _INTS
                      else str(value)) if value is not None else None
        node_rows.append(row)
    # one statement for all nodes; casts keep the column types when a value is null
    fields = ", ".join(f"{n}: CAST(r.{n} AS {kinds[n]})" for n in names)
    conn.execute(f"UNWIND $rows AS r CREATE (:{NODE_TABLE} {{{fields}}})", {"rows": node_rows})
    by_type: dict[str, list[dict[str, Any]]] = {}
    for e in edges:
        by_type.setdefault(relationship_type(e.edge.predicate_label or e.predicate), []).append({
            "subject": e.subject, "object": e.object, "predicate": e.predicate,
            "predicate_iri": e.edge.predicate, "predicate_label": e.edge.predicate_label,
            "biolink_predicate": e.biolink_predicate, "quantifier": e.edge.quantifier,
            "derived_by": e.edge.derived_by, "sources": list(e.sources),
            "publications": list(e.publications), "evidence_levels": list(e.levels),
            "knowledge_level": e.knowledge_level, "agent_type": e.agent_type,
        })
    props = ", ".join(f"{p}: CAST(r.{p} AS {kind})" for p, kind in REL_PROPERTIES)
    for rel, rel_rows in by_type.items():
        conn.execute(f"UNWIND $rows AS r MATCH (a:{NODE_TABLE} {{id: r.subject}}), "
                     f"(b:{NODE_TABLE} {{id: r.object}}) CREATE (a)-[:`{rel}` {{{props}}}]->(b)",
                     {"rows": rel_rows})
    conn.execute("COMMIT")
    return len(nodes), len(edges)


def write_ladybug(kg: KnowledgeGraph, path: str | Path) -> tuple[int, int]:
    """Write the graph into a new LadybugDB database file at ``path`` (replacing one there).

    The database is built under a temporary name beside ``path`` and renamed over it when
    complete, so a failed export leaves no half-written database.

    :returns: the numbers of nodes and relationships written
    :raises MissingDependencyError: ``real-ladybug`` is not installed (the ``cypher`` extra)
    :raises InvalidInputError: ``path`` is a directory
    """
    lb = _lb()
    target = Path(path)
    if target.is_dir():
        raise InvalidInputError(f"{str(target)!r} is a directory; the LadybugDB export is one "
                                "database file: give a file name, e.g. out/pvp_kg.lbdb")
    if target.exists() and not target.is_file():  # the rename would replace a device or pipe
        raise InvalidInputError(f"{str(target)!r} is not a regular file; give a file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        db = lb.Database(str(tmp))
        try:
            counts = _fill(lb.Connection(db), kg)
        finally:
            db.close()
        os.replace(tmp, target)
        stale = Path(f"{target}.wal")
        stale.unlink(missing_ok=True)  # a log of the database that was replaced
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)
    return counts

"""SPARQL results in the W3C SPARQL 1.1 result formats: JSON, XML, CSV and TSV.

:func:`serialize_results` writes the rows of a SELECT (:class:`~pvp_kg.SelectResult`) or the
answer of an ASK (a ``bool``) as

========  ======================================================  ============================
format    specification                                           keeps
========  ======================================================  ============================
``json``  SPARQL 1.1 Query Results JSON Format                    datatypes, language tags
``xml``   SPARQL Query Results XML Format (Second Edition)        datatypes, language tags
``csv``   SPARQL 1.1 Query Results CSV and TSV Formats (CSV)      the plain values only
``tsv``   the same (TSV: terms in Turtle syntax)                  datatypes, language tags
========  ======================================================  ============================

CSV and TSV carry no ASK answer in the standard; an ASK is written as a one-column table
``boolean`` / ``true``. rdflib's result parsers (``rdflib.query.Result.parse``) read all
four back.

>>> from rdflib import Literal, URIRef
>>> from pvp_kg.sparql import SelectResult
>>> rows = SelectResult(("s", "n"), ((URIRef("https://w3id.org/pvp-kg/X"), Literal(3)),))
>>> serialize_results(rows, "tsv").splitlines()
['?s\\t?n', '<https://w3id.org/pvp-kg/X>\\t3']
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .errors import InvalidInputError
from .sparql import SelectResult
from .vocab import SPARQL_RESULTS

__all__ = ["RESULT_FORMATS", "serialize_results"]

#: The result formats, with their media types.
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
# Lexical forms that Turtle (and so TSV) writes as bare numbers, by datatype.
_BARE_NUMBERS = {XSD.integer: re.compile(r"[+-]?\d+"),
                 XSD.decimal: re.compile(r"[+-]?\d*\.\d+"),
                 XSD.double: re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+")}


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    raise InvalidInputError(f"cannot write {term!r} as a SPARQL result term")


def _to_json(result: SelectResult | bool) -> str:
    if isinstance(result, bool):
        doc: dict[str, Any] = {"head": {}, "boolean": result}
    else:
        bindings = [{var: _json_term(term) for var, term in zip(result.vars, row, strict=True)
                     if term is not None} for row in result.rows]
        doc = {"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            attr = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype is not None:
            attr = f" datatype={quoteattr(str(term.datatype))}"
        else:
            attr = ""
        return f"<literal{attr}>{escape(str(term))}</literal>"
    raise InvalidInputError(f"cannot write {term!r} as a SPARQL result term")


def _to_xml(result: SelectResult | bool) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<sparql xmlns="{SPARQL_RESULTS}">']
    if isinstance(result, bool):
        lines += ["  <head/>", f"  <boolean>{'true' if result else 'false'}</boolean>"]
    else:
        lines.append("  <head>")
        lines += [f"    <variable name={quoteattr(v)}/>" for v in result.vars]
        lines += ["  </head>", "  <results>"]
        for row in result.rows:
            lines.append("    <result>")
            for var, term in zip(result.vars, row, strict=True):
                if term is not None:
                    lines.append(f"      <binding name={quoteattr(var)}>{_xml_term(term)}"
                                 "</binding>")
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _to_csv(result: SelectResult | bool) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as the standard asks
    if isinstance(result, bool):
        writer.writerows([["boolean"], ["true" if result else "false"]])
        return buffer.getvalue()
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow(["" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t)
                         for t in row])
    return buffer.getvalue()


def _tsv_string(text: str) -> str:
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\r", "\\r").replace("\t", "\\t")) + '"'


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        if term.language:
            return f"{_tsv_string(str(term))}@{term.language}"
        bare = _BARE_NUMBERS.get(term.datatype) if term.datatype is not None else None
        if bare is not None and bare.fullmatch(str(term)):
            return str(term)  # Turtle's short form of a number: 3, 2.5, 1.0E3
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{_tsv_string(str(term))}^^<{term.datatype}>"
        return _tsv_string(str(term))
    raise InvalidInputError(f"cannot write {term!r} as a SPARQL result term")


def _to_tsv(result: SelectResult | bool) -> str:
    if isinstance(result, bool):
        return f"?boolean\n{'true' if result else 'false'}\n"
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


_WRITERS = {"json": _to_json, "xml": _to_xml, "csv": _to_csv, "tsv": _to_tsv}


def serialize_results(result: SelectResult | bool, format: str) -> str:
    """Return a SELECT's rows or an ASK's answer in a W3C SPARQL 1.1 results format.

    :param result: what :meth:`KnowledgeGraph.sparql` returned for a SELECT or an ASK
    :param format: ``json``, ``xml``, ``csv`` or ``tsv``
    :raises InvalidInputError: an unknown format, or a graph (CONSTRUCT/DESCRIBE) result
    """
    writer = _WRITERS.get(str(format).lower())
    if writer is None:
        raise InvalidInputError(f"unknown results format {format!r}; use one of: "
                                f"{', '.join(RESULT_FORMATS)}")
    if not isinstance(result, (SelectResult, bool)):
        raise InvalidInputError("a CONSTRUCT or DESCRIBE query returns a graph, not rows: "
                                "write it as RDF (turtle, ntriples, jsonld, rdfxml)")
    return writer(result)

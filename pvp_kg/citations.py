"""The sources of the graph as citations: BibTeX and CSL-JSON.

Every ``pvp:Source`` of the graph, and every other node cited with ``dcterms:source``
(sources of merged files), becomes one entry keyed by its CURIE (``src:S1``: the tag answers
print, so ``\\cite{src:S1}`` cites what an answer showed). The metadata is read by property,
whatever the source:

================================  ===============================  =========================
graph                             BibTeX                           CSL-JSON
================================  ===============================  =========================
``dcterms:title`` (else label)    ``title``                        ``title``
``dcterms:creator``               ``author`` (``and``-joined)      ``author`` (``literal``)
``dcterms:date`` / ``modified``   ``year`` (+ ``date``)            ``issued``
``dcterms:identifier`` ``doi:…``  ``doi``                          ``DOI``
… ``pmid:…`` / ``PMC…``           ``pmid`` / ``pmcid``             ``PMID`` / ``PMCID``
… ``isbn:…``                      ``isbn``                         ``ISBN``
``rdfs:seeAlso`` (a URL)          ``url``                          ``URL``
``dcterms:publisher``             ``publisher``                    ``publisher``
``dcterms:bibliographicCitation``  ``note``                         ``note``
``pvp:evidenceLevel``             ``note`` ("evidence level: …")   ``note``
================================  ===============================  =========================

A DOI, PMID or PMCID also found only in a ``https://doi.org/…`` or PubMed URL is used too.
An entry is an ``@article`` (``article-journal``) when it has a DOI or PMID, else ``@misc``
(``document``; ``webpage`` when all it has is a URL).

>>> import pvp_kg
>>> entries = citations(pvp_kg.load())
>>> entries[0].key
'src:AppropriatenessReview2017'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from .vocab import DCTERMS, EVIDENCE_LEVEL, PVP, RDF, RDFS

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["Citation", "citations", "to_bibtex", "to_csljson", "write_bibtex", "write_csljson"]

_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\..+)$", re.IGNORECASE)
_PUBMED_URL = re.compile(r"^https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/"
                         r"pubmed)/(\d+)/?$", re.IGNORECASE)
_PMC_URL = re.compile(r"/pmc/articles/(PMC\d+)/?$", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")


@dataclass(frozen=True, slots=True)
class Citation:
    """The bibliographic record of one source, as read from the graph."""

    key: str
    iri: str
    title: str
    label: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    date: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    isbn: str | None = None
    url: str | None = None
    publisher: str | None = None
    citation: str | None = None
    level: str | None = None
    extra_ids: tuple[str, ...] = field(default=())

    @property
    def kind(self) -> str:
        """``article``, ``webpage`` or ``misc``."""
        if self.doi or self.pmid or self.pmcid:
            return "article"
        if self.isbn:
            return "book"
        return "webpage" if self.url else "misc"

    @property
    def note(self) -> str:
        """The free-text note: the citation as recorded, and the evidence level."""
        parts = [p for p in (self.citation,
                             f"evidence level: {self.level}" if self.level else None) if p]
        return "; ".join(parts)


def _text(kg: KnowledgeGraph, node: URIRef, prop: URIRef) -> str | None:
    values = [o for o in kg.graph.objects(node, prop) if isinstance(o, Literal)]
    for lit in sorted(values, key=lambda v: (v.language not in ("en", None), str(v))):
        text = " ".join(str(lit).split())
        if text:
            return text
    return None


def _source_iris(kg: KnowledgeGraph) -> list[str]:
    found = {str(s) for s in kg.graph.subjects(RDF.type, PVP.Source) if isinstance(s, URIRef)}
    found |= {str(o) for o in kg.graph.objects(None, DCTERMS.source) if isinstance(o, URIRef)}
    return sorted(found, key=lambda iri: _natural(kg.terms.curie(iri)))


def _natural(text: str) -> tuple[object, ...]:
    """Sort key that puts ``src:S2`` before ``src:S10``."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def _identifiers(kg: KnowledgeGraph, node: URIRef) -> dict[str, str]:
    ids: dict[str, str] = {}
    extra: list[str] = []
    for value in kg.graph.objects(node, DCTERMS.identifier):
        text = str(value).strip()
        prefix, sep, local = text.partition(":")
        key = prefix.strip().lower() if sep else ""
        if key in ("doi", "pmid", "pmcid", "isbn") and local.strip():
            ids.setdefault(key, local.strip())
        elif text.upper().startswith("PMC") and text[3:].isdigit():
            ids.setdefault("pmcid", text.upper())
        elif text.startswith("10.") and "/" in text:
            ids.setdefault("doi", text)
        elif text:
            extra.append(text)
    urls = sorted(str(o) for o in kg.graph.objects(node, RDFS.seeAlso) if isinstance(o, URIRef))
    iri = str(node)
    if not iri.startswith(str(PVP)) and iri.startswith(("http://", "https://")):
        urls.append(iri)  # a source named by its own URL (a DOI IRI, a guideline page)
    for url in urls:
        if (m := _DOI_URL.match(url)) is not None:
            ids.setdefault("doi", m.group(1))
        elif (m := _PUBMED_URL.match(url)) is not None:
            ids.setdefault("pmid", m.group(1))
        elif (m := _PMC_URL.search(url)) is not None:
            ids.setdefault("pmcid", m.group(1).upper())
        ids.setdefault("url", url)
    if extra:
        ids["extra"] = "\x1f".join(extra)
    return ids


def citations(kg: KnowledgeGraph) -> list[Citation]:
    """Every source of the graph as a :class:`Citation`, in CURIE order (``S2`` before
    ``S10``)."""
    out = []
    for iri in _source_iris(kg):
        node = URIRef(iri)
        label = kg.terms.label(iri)
        date = _text(kg, node, DCTERMS.date) or _text(kg, node, DCTERMS.issued) or _text(
            kg, node, DCTERMS.modified)
        year_match = _YEAR.search(date or "")
        level = kg.graph.value(node, EVIDENCE_LEVEL)
        ids = _identifiers(kg, node)
        creators = sorted({" ".join(str(o).split()) for o in kg.graph.objects(node,
                                                                                DCTERMS.creator)
                           if isinstance(o, Literal)})
        out.append(Citation(
            key=kg.terms.curie(iri), iri=iri,
            title=_text(kg, node, DCTERMS.title) or label, label=label,
            authors=tuple(creators),
            year=int(year_match.group(1)) if year_match else None, date=date,
            doi=ids.get("doi"), pmid=ids.get("pmid"), pmcid=ids.get("pmcid"),
            isbn=ids.get("isbn"), url=ids.get("url"),
            publisher=_text(kg, node, DCTERMS.publisher),
            citation=_text(kg, node, DCTERMS.bibliographicCitation),
            level=kg.terms.label(str(level)) if level is not None else None,
            extra_ids=tuple(ids["extra"].split("\x1f")) if "extra" in ids else (),
        ))
    return out


# -- BibTeX ------------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
                   "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                   "^": r"\textasciicircum{}"}
_BIBTEX_KEY = re.compile(r"[^A-Za-z0-9:_.+/-]")


def _bib_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in " ".join(text.split()))


def _bib_key(key: str) -> str:
    return _BIBTEX_KEY.sub("_", key)


def _bib_fields(c: Citation) -> list[tuple[str, str]]:
    fields: list[tuple[str, str | None]] = [
        ("title", c.title),
        ("author", " and ".join(c.authors) if c.authors else None),
        ("year", str(c.year) if c.year else None),
        ("date", c.date if c.date and c.date != str(c.year) else None),
        ("publisher", c.publisher),
        ("doi", c.doi), ("pmid", c.pmid), ("pmcid", c.pmcid), ("isbn", c.isbn),
        ("url", c.url),
        ("howpublished", c.citation if c.kind == "misc" else None),
        ("note", c.note or None),
    ]
    return [(name, value) for name, value in fields if value]


def to_bibtex(entries: Iterable[Citation]) -> str:
    """Return the citations as a BibTeX database (UTF-8, one ``@type{key, …}`` each)."""
    chunks = ["% Sources of the pvp_kg knowledge graph; keys are the CURIEs answers cite.\n"]
    for c in entries:
        kind = {"article": "article", "book": "book"}.get(c.kind, "misc")
        lines = [f"@{kind}{{{_bib_key(c.key)},"]
        for name, value in _bib_fields(c):
            # identifiers and URLs are verbatim; everything else is escaped text
            text = value if name in ("doi", "url", "pmid", "pmcid", "isbn") else _bib_escape(value)
            lines.append(f"  {name} = {{{text}}},")
        lines.append("}")
        chunks.append("\n".join(lines) + "\n")
    return "\n".join(chunks)


# -- CSL-JSON ----------------------------------------------------------------------------------

_CSL_TYPES = {"article": "article-journal", "book": "book", "webpage": "webpage",
              "misc": "document"}


def _csl_item(c: Citation) -> dict[str, Any]:
    item: dict[str, Any] = {"id": c.key, "type": _CSL_TYPES[c.kind], "title": c.title}
    if c.authors:
        item["author"] = [{"literal": name} for name in c.authors]
    if c.year:
        parts = [int(p) for p in re.findall(r"\d+", c.date or "")[:3]]
        if not parts or parts[0] != c.year:
            parts = [c.year]
        item["issued"] = {"date-parts": [parts]}
    for key, value in (("publisher", c.publisher), ("DOI", c.doi), ("PMID", c.pmid),
                       ("PMCID", c.pmcid), ("ISBN", c.isbn), ("URL", c.url),
                       ("note", c.note or None)):
        if value:
            item[key] = value
    return item


def to_csljson(entries: Iterable[Citation]) -> str:
    """Return the citations as CSL-JSON (a JSON array of CSL items)."""
    return json.dumps([_csl_item(c) for c in entries], indent=2, ensure_ascii=False) + "\n"


def write_bibtex(kg: KnowledgeGraph, stream: IO[bytes]) -> None:
    """Write the graph's sources as BibTeX to a binary stream."""
    stream.write(to_bibtex(citations(kg)).encode("utf-8"))


def write_csljson(kg: KnowledgeGraph, stream: IO[bytes]) -> None:
    """Write the graph's sources as CSL-JSON to a binary stream."""
    stream.write(to_csljson(citations(kg)).encode("utf-8"))

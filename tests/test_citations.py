"""BibTeX and CSL-JSON exports of the sources, read back by independent readers."""

from __future__ import annotations

import json

import bibtexparser
import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from click.testing import CliRunner

from pvp_kg.cli import cli

_SOURCES = """
SELECT ?s ?title ?id WHERE {
  ?s a pvp:Source .
  OPTIONAL { ?s dcterms:title ?title }
  OPTIONAL { ?s dcterms:identifier ?id }
}"""


def _graph_sources(kg):
    """Source CURIE → (title, DOIs given as identifiers), straight from SPARQL."""
    out: dict[str, tuple[str, set[str]]] = {}
    for row in kg.sparql(_SOURCES):
        curie = kg.terms.curie(str(row["s"]))
        title, dois = out.get(curie, (str(row.get("title", "")), set()))
        ident = str(row.get("id", ""))
        if ident.lower().startswith("doi:"):
            dois.add(ident[4:])
        out[curie] = (title, dois)
    return out


def test_bibtex_read_back_by_bibtexparser(kg, tmp_path):
    path = tmp_path / "sources.bib"
    kg.export("bibtex", path)
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    expected = _graph_sources(kg)
    assert set(expected) <= set(entries)
    for curie, (title, dois) in expected.items():
        fields = entries[curie].fields_dict
        assert fields["title"].value == title
        if dois:
            assert fields["doi"].value in dois
            assert entries[curie].entry_type == "article"
    s6 = entries["src:S6"].fields_dict
    assert s6["year"].value == "2010"
    assert s6["pmid"].value == "20701962"
    assert "randomised controlled trial" in s6["note"].value


def test_bibtex_escapes_special_characters(fresh_kg, tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text("""
@prefix pvp: <https://w3id.org/pvp-kg/> . @prefix src: <https://w3id.org/pvp-kg/source/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
src:Mine a pvp:Source ; rdfs:label "mine"@en ;
  dcterms:title "Cement & 50% {braces} of #1 study_x"@en ; dcterms:date "2024-05-01" ;
  dcterms:creator "Doe, Jane" , "Roe, Richard" ;
  rdfs:seeAlso <https://pubmed.ncbi.nlm.nih.gov/12345678/> .
""", encoding="utf-8")
    fresh_kg.merge(mine)
    library = bibtexparser.parse_string(fresh_kg.export("bibtex"))
    assert not library.failed_blocks
    entry = next(e for e in library.entries if e.key == "src:Mine")
    assert entry.fields_dict["title"].value == r"Cement \& 50\% \{braces\} of \#1 study\_x"
    assert entry.fields_dict["author"].value == "Doe, Jane and Roe, Richard"
    assert entry.fields_dict["pmid"].value == "12345678"
    assert entry.fields_dict["year"].value == "2024"
    item = next(i for i in json.loads(fresh_kg.export("csljson")) if i["id"] == "src:Mine")
    assert item["issued"] == {"date-parts": [[2024, 5, 1]]}
    assert item["author"] == [{"literal": "Doe, Jane"}, {"literal": "Roe, Richard"}]
    assert item["PMID"] == "12345678"


def test_csljson_rendered_by_citeproc(kg, tmp_path):
    path = tmp_path / "sources.json"
    kg.export("csljson", path)
    items = json.loads(path.read_text(encoding="utf-8"))
    expected = _graph_sources(kg)
    assert {i["id"] for i in items} >= set(expected)
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(items)
    text = "\n".join(rendered)
    for title, dois in expected.values():
        assert title in text
        for doi in dois:
            if any(i.get("DOI") == doi for i in items):
                assert f"https://doi.org/{doi}" in text
    vertos = next(i for i in items if i["id"] == "src:S6")
    assert vertos["type"] == "article-journal"
    assert vertos["issued"] == {"date-parts": [[2010]]}


@pytest.mark.parametrize("fmt,reader", [("bibtex", "bib"), ("csljson", "json")])
def test_cli_export_citations(kg, tmp_path, fmt, reader):
    path = tmp_path / f"out.{reader}"
    result = CliRunner().invoke(cli, ["export", fmt, str(path)])
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    keys = ({e.key for e in bibtexparser.parse_string(text).entries} if reader == "bib"
            else {i["id"] for i in json.loads(text)})
    assert set(_graph_sources(kg)) <= keys
    stdout = CliRunner().invoke(cli, ["export", fmt])
    assert stdout.exit_code == 0 and stdout.output == text

"""Synthetic N-Triples shaped like the PVP graph, for scaling benchmarks and merge tests.

:func:`write_ntriples` writes about ``n`` triples: labelled classes (with synonyms) under
existing complications, punned edges between them (causal, risk factor, part of, inverse-bearing
ones), each with an annotated ``owl:Axiom`` citing a source, and a share of existential
restrictions with their axioms. A handful of the new classes are causally downstream of cement
leakage or subtypes of it, so ``kg.complications(related_to="cement leakage")`` sees the merge.

Run ``python benchmarks/_synthetic.py 1000000 out.nt`` to write a file.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import TextIO

__all__ = ["RELATED_TO_CEMENT_LEAKAGE", "write_ntriples"]

PVP = "https://w3id.org/pvp-kg/"
OBO = "http://purl.obolibrary.org/obo/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
CLASS = "<http://www.w3.org/2002/07/owl#Class>"
AXIOM = "<http://www.w3.org/2002/07/owl#Axiom>"
RESTRICTION = "<http://www.w3.org/2002/07/owl#Restriction>"
ON_PROPERTY = "<http://www.w3.org/2002/07/owl#onProperty>"
SOME = "<http://www.w3.org/2002/07/owl#someValuesFrom>"
A_SOURCE = "<http://www.w3.org/2002/07/owl#annotatedSource>"
A_PROPERTY = "<http://www.w3.org/2002/07/owl#annotatedProperty>"
A_TARGET = "<http://www.w3.org/2002/07/owl#annotatedTarget>"
SOURCE = "<http://purl.org/dc/terms/source>"
EXACT = "<http://www.geneontology.org/formats/oboInOwl#hasExactSynonym>"
SEED_SOURCE = f"<{PVP}source/SeedArticle>"

#: Existing parents of the new classes (all in the bundled graph).
PARENTS = [f"<{PVP}{n}>" for n in ("Complication", "PostProceduralInfection",
                                   "VertebralFracture")]
#: Predicates of the new edges: causal (its inverse is declared), risk factor, part of.
PREDICATES = [f"<{OBO}RO_0002411>", f"<{PVP}hasRiskFactor>", f"<{OBO}BFO_0000050>",
              f"<{PVP}hasPreventiveMeasure>"]
#: How many new classes are wired to cement leakage (subtypes and consequences).
RELATED_TO_CEMENT_LEAKAGE = 6


def _iri(i: int) -> str:
    return f"<{PVP}Synthetic{i}>"


def _axiom(out: TextIO, name: str, s: str, p: str, o: str) -> None:
    out.write(f"_:{name} {RDF_TYPE} {AXIOM} .\n_:{name} {A_SOURCE} {s} .\n"
              f"_:{name} {A_PROPERTY} {p} .\n_:{name} {A_TARGET} {o} .\n"
              f"_:{name} {SOURCE} {SEED_SOURCE} .\n")


def write_ntriples(path: str | Path, n: int, *, seed: int = 7, prefix: str = "b") -> int:
    """Write about ``n`` triples of PVP-shaped N-Triples to ``path``; return the exact count.

    :param prefix: blank-node label prefix (give each file of one merge its own)
    """
    rng = random.Random(seed)
    # per class: 4 (type, label, synonym, subClassOf) + 6 (subClassOf axiom) = 10
    # per edge: 1 + 5 (axiom) = 6; per restriction: 1 + 3 + 5 = 9.  ~ 2 edges, 0.2 restr. / class
    classes = max(RELATED_TO_CEMENT_LEAKAGE + 2, n // 24)
    count = 0
    ax = 0
    leakage = f"<{PVP}CementLeakage>"
    upstream = f"<{OBO}RO_0002411>"
    with Path(path).open("w", encoding="utf-8") as out:
        for i in range(classes):
            s = _iri(i)
            if i < RELATED_TO_CEMENT_LEAKAGE // 2:
                parent = leakage  # subtypes of cement leakage
            else:
                parent = PARENTS[0] if i < RELATED_TO_CEMENT_LEAKAGE else rng.choice(PARENTS)
            out.write(f"{s} {RDF_TYPE} {CLASS} .\n{s} {LABEL} \"synthetic complication {i}\"@en .\n"
                      f"{s} {EXACT} \"synthetic {i}\"@en .\n{s} {SUBCLASS} {parent} .\n")
            _axiom(out, f"{prefix}a{ax}", s, SUBCLASS, parent)
            ax += 1
            count += 10
            if RELATED_TO_CEMENT_LEAKAGE // 2 <= i < RELATED_TO_CEMENT_LEAKAGE:
                out.write(f"{leakage} {upstream} {s} .\n")  # consequences of cement leakage
                _axiom(out, f"{prefix}a{ax}", leakage, upstream, s)
                ax += 1
                count += 6
        while count < n - 8:
            a, b = rng.randrange(RELATED_TO_CEMENT_LEAKAGE, classes), rng.randrange(classes)
            p = rng.choice(PREDICATES)
            if rng.random() < 0.1:  # an existential restriction, annotated
                r = f"_:{prefix}r{ax}"
                out.write(f"{_iri(a)} {SUBCLASS} {r} .\n{r} {RDF_TYPE} {RESTRICTION} .\n"
                          f"{r} {ON_PROPERTY} {p} .\n{r} {SOME} {_iri(b)} .\n")
                _axiom(out, f"{prefix}a{ax}", _iri(a), SUBCLASS, r)
                count += 9
            else:
                out.write(f"{_iri(a)} {p} {_iri(b)} .\n")
                _axiom(out, f"{prefix}a{ax}", _iri(a), p, _iri(b))
                count += 6
            ax += 1
    return count


if __name__ == "__main__":
    print(write_ntriples(sys.argv[2], int(sys.argv[1])))

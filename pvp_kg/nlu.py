"""Question understanding: question → scored readings (named query × typed concept bindings).

How people ask lives in ``ontology/lexicon.ttl`` (ways of asking per named query, lay
phrasings per relation, lay synonyms, filler words, known gaps, question forms); nothing
clinical and no phrasing is written here. The procedure:

1. normalise the question and link every span that names a concept (labels, synonyms,
   abbreviations, lexicon lay synonyms; typos through rapidfuzz on unknown words only);
2. detect the question form (list, yes/no, value, definition, cause, consequence,
   comparison, order, efficacy, guideline) and, apart from it, whether the question wants a
   yes or no (:attr:`Understanding.polar`: "Does NICE recommend it?" is a guideline question
   and a yes/no one). Both come from the ``lex:QuestionForm`` individuals of the lexicon's
   "Question forms" section (:class:`QuestionForms`): cue phrases anywhere or at the
   question's (or a clause's) start, priorities, the conditions under which a form gives way
   to another; the guideline form's cues include the names of the graph's
   ``pvp:IssuingBody`` members, so a body merged into the graph is recognised;
3. enumerate every (named query × type-compatible binding) candidate and score it:
   matched phrases and templates, bound concepts, form agreement, unexplained words;
4. decline below a threshold or when a content word is unknown, naming what was not
   understood; when the best two readings are close, keep the runner-up to offer it. An
   unknown word of the domain's own vocabulary or a common word of asking
   (``lex:domainWords``) is kept apart (``Understanding.soft``): it costs a reading less and
   does not by itself decline a question that names a concept of the graph.

Everything heavy (indexes, ancestor sets, the lexicon) is built once per graph.
"""

from __future__ import annotations

import functools
import itertools
import re
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rdflib import Graph, Literal, URIRef

from .lookup import NAME_KINDS, loose_key, normalise, stem
from .resources import ontology_dir
from .vocab import CLINICAL_STUDY, LEX, OBO, OWL, PVP, QUANTITATIVE_FINDING, RDF, RDFS, SRC, UNIT

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["Lexicon", "Reading", "Understanding", "understand"]

_FINDING = str(QUANTITATIVE_FINDING)
_UNITS = str(UNIT)

#: Minimum score of an accepted reading, and the margin under which the runner-up is offered.
THRESHOLD = 1.5
MARGIN = 0.75

_STOP = frozenset(
    "a an the of for to in on at by with from and or is are was were be been being do does did "
    "what which who whom whose how when where why can could should would will may might must it "
    "its this that these those there their them they i me my we our you your he she his her if "
    "than then so as not no any some into out up about after before during has have had having "
    "get gets got am s t d ll re ve there here just".split())
_WORD = re.compile(r"[a-z0-9%]+")
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.AnnotationProperty, OWL.DatatypeProperty)


#: Words that open a time clause inside a name.
_WHEN = frozenset(("before", "after", "during", "until", "while"))

#: Words whose final "s" is not a plural ending.
_NOT_PLURAL = frozenset("does goes was has this its his hers yes less gas always sometimes "
                        "perhaps whereas towards afterwards".split())


def singular(word: str) -> str:
    if word in _NOT_PLURAL:
        return word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith(("ches", "shes", "sses", "xes")) \
            and not word.endswith(("headaches", "backaches", "earaches", "toothaches")):
        # "approaches", "crashes"; not "backaches"
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


#: Contractions written without the apostrophe, as they reach the tokenizer.
_CONTRACTIONS = {
    "cant": "can not", "cannot": "can not", "wont": "will not", "dont": "do not",
    "doesnt": "does not", "didnt": "did not", "isnt": "is not", "arent": "are not",
    "wasnt": "was not", "werent": "were not", "shouldnt": "should not", "couldnt": "could not",
    "wouldnt": "would not", "havent": "have not", "hasnt": "has not", "whats": "what is",
    "hows": "how is", "wheres": "where is", "whos": "who is", "thats": "that is",
    "theres": "there is", "ive": "i have", "id": "i would", "youre": "you are",
    "theyve": "they have", "theyre": "they are", "theyll": "they will", "theyd": "they would",
    "weve": "we have", "youve": "you have", "youll": "you will", "hes": "he is",
    "shes": "she is", "shouldve": "should have", "wouldve": "would have",
    "couldve": "could have", "whove": "who have", "itll": "it will", "pts": "patients",
}


def tokens(text: str) -> list[str]:
    """Normalised (case, accents, spelling, contractions) singular words."""
    out: list[str] = []
    for w in _WORD.findall(normalise(text.replace("'", "").replace("\u2019", ""))):
        out.extend(singular(x) for x in _CONTRACTIONS.get(w, w).split())
    return out


# the stop words as :func:`tokens` spells them
_STOP = frozenset(w for word in _STOP for w in tokens(word))


_STOP3 = sorted(w for w in _STOP if len(w) == 3)


# -- the lexicon --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pattern:
    """A phrase or template: words, with ``{slot}`` markers in templates."""

    parts: tuple[str, ...]
    text: str
    template: bool


@dataclass
class QueryLex:
    query: str
    forms: frozenset[str]
    patterns: list[Pattern]
    check: str | None = None
    opposite: str | None = None
    prior: float = 0.0
    defaults: frozenset[str] = frozenset()  # forms answered even when no phrase matched
    permission: frozenset[str] = frozenset()  # "can I have it if …": the verdict is reversed
    #: cues (question-form syntax) under which none of the query's phrases counts ("after X"
    #: in "is A done before or after X?" does not ask what follows X)
    unless: tuple[str, ...] = ()
    #: the only question form the query is read for (lex:onlyForm: "is X a Y?" is read only
    #: in a yes/no question, never inside "how is X treated")
    only_form: str | None = None
    #: lex:tightSlots: a template's slot skips no word that says something
    tight: bool = False


@dataclass
class Lexicon:
    queries: dict[str, QueryLex]
    slot_classes: dict[str, tuple[str, ...]]
    lay: dict[str, list[str]]          # normalised phrase → concept IRIs
    filler: frozenset[str]
    gaps: dict[str, str]               # normalised gap phrase → as written
    quantifiers: frozenset[str] = frozenset()  # "usually", "most": how often, not whether
    quantified: frozenset[str] = frozenset()   # the queries whose edges say "can", not "how often"
    domain: frozenset[str] = frozenset()  # words of the domain that name no concept
    #: what a question says about a study's result ("no difference", "benefit", "sham" …):
    #: a claim or comparator name → its cues (lexicon.ttl, "Claims about a study's result")
    claims: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: concepts held only as context ("cemented hip arthroplasty"): not asked about
    context: frozenset[str] = frozenset()
    #: words that stand for one another inside a name (lex:WordSynonyms: "fracture",
    #: "break"; "pulmonary", "lung"), each as normalised words
    word_groups: tuple[tuple[tuple[str, ...], ...], ...] = ()
    forms: list[FormSpec] = field(default_factory=list)  # the question forms, as written
    #: lex:WordClass: a class name ("negation", "majority" …) → its single words
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    #: lex:WordClass phrases: a class name → its phrases, each as normalised words
    phrases: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    #: lex:notQuantifier: phrases whose quantifier word asks no "how often" ("all the way")
    not_quantifier: tuple[tuple[str, ...], ...] = ()
    #: lex:DurationUnit: a unit word as typed ("days") → its length in minutes
    duration_words: dict[str, float] = field(default_factory=dict)
    #: lex:DurationUnit: a unit's name (a finding's unit label: "minute") → minutes
    unit_minutes: dict[str, float] = field(default_factory=dict)
    #: lex:DurationPhrase: a phrase as lower-case words typed → its length in minutes
    duration_phrases: tuple[tuple[tuple[str, ...], float], ...] = ()

    def has(self, word_class: str, toks: Sequence[str]) -> bool:
        """Whether ``toks`` (normalised words) hold a word or phrase of ``word_class``."""
        if not self.words.get(word_class, frozenset()).isdisjoint(toks):
            return True
        return any(_within(toks, p) for p in self.phrases.get(word_class, ()))

    def without_idioms(self, toks: Sequence[str]) -> list[str]:
        """``toks`` less the words of a lex:notQuantifier phrase ("all the way to the heart"
        asks nothing of all cases)."""
        toks = list(toks)
        passed: set[int] = set()
        for phrase in self.not_quantifier:
            n = len(phrase)
            passed.update(j for i in range(len(toks) - n + 1) if tuple(toks[i:i + n]) == phrase
                          for j in range(i, i + n))
        return [w for i, w in enumerate(toks) if i not in passed]

    def quantifiers_in(self, toks: Sequence[str]) -> list[str]:
        """The question's words that ask how often or for how many (lex:quantifierWords),
        outside a lex:notQuantifier phrase, in order, once each."""
        return list(dict.fromkeys(w for w in self.without_idioms(toks) if w in self.quantifiers))

    @classmethod
    def from_graph(cls, graph: Graph) -> Lexicon:
        slots = {}
        for node in graph.subjects(RDF.type, LEX.SlotType):
            name = str(graph.value(node, LEX.name))
            slots[name] = tuple(sorted(str(c) for c in graph.objects(node, LEX["class"])))
        relation_phrases: dict[str, list[str]] = {}
        for s, o in graph.subject_objects(LEX.layPhrase):
            relation_phrases.setdefault(str(s), []).append(str(o))
        queries = {}
        for node in graph.subjects(RDF.type, LEX.QueryLexicon):
            name = str(graph.value(node, LEX.query))
            patterns = [_pattern(str(o), False) for o in graph.objects(node, LEX.phrase)]
            patterns += [_pattern(str(o), True) for o in graph.objects(node, LEX.template)]
            for rel in graph.objects(node, LEX.relation):
                patterns += [_pattern(p, False) for p in relation_phrases.get(str(rel), ())]
            prior = graph.value(node, LEX.prior)
            queries[name] = QueryLex(
                name, frozenset(str(o) for o in graph.objects(node, LEX.form)),
                sorted({p for p in patterns if p.parts}, key=lambda p: p.text),
                check=_opt(graph.value(node, LEX.check)),
                opposite=_opt(graph.value(node, LEX.opposite)),
                prior=float(prior) if isinstance(prior, Literal) else 0.0,
                defaults=frozenset(str(o) for o in graph.objects(node, LEX.byDefault)),
                permission=frozenset(str(o) for o in graph.objects(node, LEX.permission)),
                unless=_strings(graph, node, LEX.unlessCue),
                only_form=_opt(graph.value(node, LEX.onlyForm)),
                tight=(node, LEX.tightSlots, Literal(True)) in graph)
        lay: dict[str, list[str]] = {}
        for s, o in sorted(graph.subject_objects(LEX.laySynonym)):  # same order every run
            lay.setdefault(" ".join(tokens(str(o))), []).append(str(s))
        filler = set()
        for o in graph.objects(None, LEX.fillerWords):
            filler.update(tokens(str(o)))
        gaps = {" ".join(tokens(str(o))): str(o) for o in graph.objects(None, LEX.knownGap)}
        quantifiers = {w for o in graph.objects(None, LEX.quantifierWords) for w in tokens(str(o))}
        quantified = frozenset(str(o) for o in graph.objects(None, LEX.quantifiedQuery))
        domain = set()
        for o in graph.objects(None, LEX.domainWords):
            domain.update(tokens(str(o)))
        words: dict[str, set[str]] = {}
        phrases: dict[str, set[tuple[str, ...]]] = {}
        for node in graph.subjects(RDF.type, LEX.WordClass):
            name = str(graph.value(node, LEX.name))
            for o in graph.objects(node, LEX.words):
                for word in str(o).split():
                    spelt = tuple(tokens(word))  # as a question's words are spelt
                    if len(spelt) == 1:
                        words.setdefault(name, set()).add(spelt[0])
                    elif spelt:  # "dont" is spelt "do not": a phrase, never "do" alone
                        phrases.setdefault(name, set()).add(spelt)
            for o in graph.objects(node, LEX.wordPhrase):
                phrases.setdefault(name, set()).add(tuple(tokens(str(o))))
        duration_words, unit_minutes = {}, {}
        for node in graph.subjects(RDF.type, LEX.DurationUnit):
            minutes = _number(graph, node, LEX.minutes)
            if minutes is None:
                continue
            unit_minutes[str(graph.value(node, LEX.name))] = minutes
            for o in graph.objects(node, LEX.word):
                duration_words[str(o).lower()] = minutes
        duration_phrases = sorted(
            (tuple(re.findall(r"[a-z]+", str(p).lower())), m)
            for node in graph.subjects(RDF.type, LEX.DurationPhrase)
            if (m := _number(graph, node, LEX.minutes)) is not None
            for p in graph.objects(node, LEX.phrase))
        return cls(queries, slots, lay, frozenset(filler), gaps, quantifiers=frozenset(quantifiers),
                   quantified=quantified, domain=frozenset(domain - filler),
                   forms=_form_specs(graph), claims=_claims(graph),
                   context=frozenset(str(o) for o in graph.objects(None, LEX.contextOnly)),
                   word_groups=_word_groups(graph),
                   words={k: frozenset(v) for k, v in sorted(words.items())},
                   phrases={k: tuple(sorted(v)) for k, v in sorted(phrases.items())},
                   not_quantifier=tuple(sorted({tuple(tokens(str(o))) for o in graph.objects(
                       None, LEX.notQuantifier)})),
                   duration_words=dict(sorted(duration_words.items())),
                   unit_minutes=dict(sorted(unit_minutes.items())),
                   duration_phrases=tuple(duration_phrases))


def _within(toks: Sequence[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return n > 0 and any(tuple(toks[i:i + n]) == phrase for i in range(len(toks) - n + 1))


def _word_groups(graph: Graph) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The lex:WordSynonyms groups, each word or phrase as its stems (lookup.loose_key), so
    that a group meets every form of its words ("fractured" of "fracture")."""
    groups = []
    for node in graph.subjects(RDF.type, LEX.WordSynonyms):
        words = sorted({tuple(k for t in tokens(str(o)) if (k := loose_key((t,))))
                        for o in graph.objects(node, LEX.word)})
        if len(words) > 1:
            groups.append(tuple(w for w in words if w))
    return tuple(sorted(groups))


def _variants(words: list[str], groups: tuple[tuple[tuple[str, ...], ...], ...],
              by_first: dict[str, list[tuple[tuple[str, ...], int]]]) -> list[list[str]]:
    """``words`` (stems) with one or two of its words (or phrases) replaced by another member
    of their lex:WordSynonyms group ("nerve injury" → "nerve damage")."""
    spots = []  # (start, end, group)
    i = 0
    while i < len(words):
        hit = next(((i, i + len(p), g) for p, g in by_first.get(words[i], ())
                    if tuple(words[i:i + len(p)]) == p), None)
        if hit:
            spots.append(hit)
            i = hit[1]
        else:
            i += 1
    out: list[list[str]] = []

    def swap(base: list[str], spot: tuple[int, int, int],
             shift: int) -> list[tuple[list[str], int]]:
        a, b, g = spot
        done = []
        for alt in groups[g]:
            if alt != tuple(base[a + shift:b + shift]):
                done.append((base[:a + shift] + list(alt) + base[b + shift:],
                             shift + len(alt) - (b - a)))
        return done

    for k, spot in enumerate(spots):
        for one, shift in swap(words, spot, 0):
            out.append(one)
            for later in spots[k + 1:]:
                out.extend(two for two, _ in swap(one, later, shift))
    return out


# -- question forms (lexicon.ttl, "Question forms") -----------------------------------------------

@dataclass(frozen=True)
class RuleSpec:
    """One way a question form is recognised, as the lexicon writes it (cues unparsed)."""

    priority: float
    cues: tuple[str, ...] = ()
    opening: tuple[str, ...] = ()
    clause: tuple[str, ...] = ()
    clause_priority: float | None = None
    unless: tuple[str, ...] = ()
    unless_opening: tuple[str, ...] = ()
    max_words: int | None = None
    yields_to: tuple[str, ...] = ()
    yield_opening: tuple[str, ...] = ()
    cue_classes: tuple[str, ...] = ()
    after_mark: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormSpec:
    """A ``lex:QuestionForm``: its name, its rules, whether it is the fallback, and whether
    its clause cues make a question polar (a yes/no question)."""

    name: str
    rules: tuple[RuleSpec, ...]
    fallback: bool = False
    polar: bool = False


def _strings(graph: Graph, node: object, prop: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in graph.objects(node, prop)))  # type: ignore[arg-type]


def _number(graph: Graph, node: object, prop: URIRef) -> float | None:
    values = [float(o) for o in graph.objects(node, prop)  # type: ignore[arg-type]
              if isinstance(o, Literal)]
    return min(values) if values else None


def _form_specs(graph: Graph) -> list[FormSpec]:
    names = {node: str(graph.value(node, LEX.name))
             for node in graph.subjects(RDF.type, LEX.QuestionForm)
             if graph.value(node, LEX.name) is not None}

    def rule(node: object, default: float) -> RuleSpec:
        priority = _number(graph, node, LEX.priority)
        words = _number(graph, node, LEX.maxWords)
        return RuleSpec(
            default if priority is None else priority,
            cues=_strings(graph, node, LEX.cue),
            opening=_strings(graph, node, LEX.openingCue),
            clause=_strings(graph, node, LEX.clauseCue),
            clause_priority=_number(graph, node, LEX.clausePriority),
            unless=_strings(graph, node, LEX.unlessCue),
            unless_opening=_strings(graph, node, LEX.unlessOpening),
            max_words=None if words is None else int(words),
            yields_to=tuple(sorted(names[o] for o in graph.objects(node, LEX.yieldsTo)  # type: ignore[arg-type]
                                   if o in names)),
            yield_opening=_strings(graph, node, LEX.yieldsWhenOpening),
            cue_classes=_strings(graph, node, LEX.cueClass),
            after_mark=_strings(graph, node, LEX.afterMarkCue))

    specs = []
    for node, name in sorted(names.items(), key=lambda kv: kv[1]):
        main = rule(node, 100.0)
        extra = sorted((rule(r, main.priority) for r in graph.objects(node, LEX.rule)),
                       key=repr)
        specs.append(FormSpec(name, (main, *extra),
                              fallback=(node, LEX.fallback, Literal(True)) in graph,
                              polar=(node, LEX.polar, Literal(True)) in graph))
    return specs


def _cue_regex(cue: str) -> str:
    """A cue as a regular expression over words each followed by one space: "a/b" either
    word, "*" any one word (within a word: any letters), "…" one or more words; the words
    spelt as :func:`tokens` spells a question's."""
    out = []
    for part in cue.replace("...", "…").split():
        if part == "…":
            out.append(r"(?:[^ |]+ )+")
        elif part == "*":
            out.append(r"[^ |]+ ")
        elif "*" in part:
            out.append(re.escape(part.lower()).replace(r"\*", "[^ |]*") + " ")
        else:
            alts = sorted({" ".join(tokens(a)) for a in part.split("/")} - {""})
            if alts:
                out.append("(?:" + "|".join(re.escape(a) for a in alts) + ") ")
    return "".join(out)


def _claims(graph: Graph) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for node in graph.subjects(RDF.type, LEX.ResultClaim):
        name = graph.value(node, LEX.name)
        if name is not None:
            out[str(name)] = (*out.get(str(name), ()), *_strings(graph, node, LEX.cue))
    return dict(sorted(out.items()))


@cache
def cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str] | None:
    """Lexicon cues (the syntax of the question forms) as one pattern searched in
    ``" " + " ".join(tokens(text)) + " "``; None when there are no cues."""
    return _any(cues, True)


def says(lexicon: Lexicon, claim: str, text: str) -> bool:
    """Whether ``text`` (any text: tokenised here) says the lexicon's ``claim``."""
    pattern = cue_pattern(lexicon.claims.get(claim, ()))
    return pattern is not None and pattern.search(" " + " ".join(tokens(text)) + " ") is not None


def _any(cues: Iterable[str], anywhere: bool) -> re.Pattern[str] | None:
    bodies = sorted({b for b in (_cue_regex(c) for c in cues) if b})
    if not bodies:
        return None
    return re.compile((" " if anywhere else "") + "(?:" + "|".join(bodies) + ")")


@dataclass(frozen=True)
class FormRule:
    """A compiled :class:`RuleSpec`: its cues as regular expressions."""

    form: str
    priority: float
    cue: re.Pattern[str] | None         # anywhere: searched in " corrected | as typed "
    opening: re.Pattern[str] | None     # at the question's start
    clause: re.Pattern[str] | None      # at the start of a later clause
    unless: re.Pattern[str] | None
    unless_opening: re.Pattern[str] | None
    max_words: int | None
    yields_to: tuple[str, ...]
    yield_opening: re.Pattern[str] | None
    after_mark: re.Pattern[str] | None = None  # at the start of a clause after a mark


#: Where a clause starts: the question's start or after one of these marks.
_CLAUSE = re.compile(r"[,.;:?!\-\u2013\u2014]")
_OPENING_WORD = re.compile(r"\s*[\w']+\s")


@dataclass(frozen=True)
class _Asked:
    """A question as the form rules see it."""

    words: str           # " corrected words | words as typed "
    start: str           # the corrected words and a space
    clauses: tuple[str, ...]  # each clause's words as typed, and a space
    size: int
    #: the clauses after the first, their words as typed (not made singular), and a space
    later: tuple[str, ...] = ()


class QuestionForms:
    """The question forms of the lexicon, compiled: :meth:`detect` gives a question's form
    and whether it asks for a yes or no."""

    def __init__(self, specs: list[FormSpec], class_names: Callable[[str], Iterable[str]],
                 adverbs: frozenset[str] = frozenset()) -> None:
        #: adverbs of frequency and emphasis (lex:WordClass "adverb"), passed over
        self.adverbs = adverbs
        rules: list[FormRule] = []
        self.fallback = "list"
        polar: list[str] = []
        not_polar: list[str] = []
        polar_rules: list[FormRule] = []
        for spec in specs:
            if spec.fallback:
                self.fallback = spec.name
            for r in spec.rules:
                # the names of a cue class's members are taken literally, not as cue syntax
                named = [re.sub(r"[/*…]|\.\.\.", " ", n)
                         for c in r.cue_classes for n in class_names(c)]
                common = (_any(r.unless, True), _any(r.unless_opening, False), r.max_words,
                          r.yields_to, _any(r.yield_opening, False))
                cue, opening = _any((*r.cues, *named), True), _any((*r.opening, *r.clause), False)
                if cue or opening:
                    rules.append(FormRule(spec.name, r.priority, cue, opening, None, *common))
                if r.clause:
                    rules.append(FormRule(spec.name, r.priority if r.clause_priority is None
                                          else r.clause_priority, None, None,
                                          _any(r.clause, False), *common))
                if r.after_mark:  # "haemangioma - indication for PVP?": a later clause
                    tail = FormRule(spec.name, r.priority, None, None, None, *common,
                                    after_mark=_any(r.after_mark, False))
                    rules.append(tail)
                    if spec.polar:
                        polar_rules.append(tail)
                if spec.polar:
                    polar.extend(r.clause)
                    if r.clause:  # a further rule's conditions are its own (see _applies)
                        not_polar.extend(r.unless)
                    if r.opening and not r.clause:  # a polar rule of its own (elliptical)
                        polar_rules.append(FormRule(spec.name, r.priority, None,
                                                    _any(r.opening, False), None, *common))
        self.rules = sorted(rules, key=lambda r: (r.priority, r.form))
        self.polar = _any(polar, False)
        # the polar form's lex:unlessCue: a choice ("is it done before or after X?") wants
        # one of two answers, not a yes or no
        self.not_polar = _any(not_polar, True)
        #: the polar form's further rules: a question they match wants a yes or no too
        self.polar_rules = tuple(polar_rules)

    def detect(self, toks: list[str], question: str) -> tuple[str, bool]:
        """(form, polar): the first form whose rule matches, by priority; whether the
        question or one of its clauses opens with a cue of the polar form."""
        text = " ".join(toks)
        # the cues are written in plain spelling: match the corrected words and the words typed
        plain = " ".join(singular(w) for w in _WORD.findall(question.lower().replace("'", "")))
        # a clause opens with a whole word ("has_complication" opens none)
        clauses = tuple(" ".join(tokens(p)) + " " for p in _CLAUSE.split(question)
                        if _OPENING_WORD.match(p))
        # a question's length is its first question's: "what is X? the scan mentioned one"
        # is a short "what is" question followed by a remark
        first, mark, rest = question.partition("?")
        size = len(tokens(first)) if mark and tokens(rest) else len(toks)
        # an adverb of how often or how much does not change what is asked ("what *usually*
        # causes X" is a cause question): the words without them are matched too
        bare = " ".join(t for t in toks if t not in self.adverbs)
        parts = [p for p in _CLAUSE.split(question) if _OPENING_WORD.match(p)]
        later = tuple(" ".join(_WORD.findall(p.lower().replace("'", ""))) + " "
                      for p in parts[1:])
        asked = _Asked(" " + text + " | " + plain + " | " + bare + " ", text + " ", clauses,
                       size, later)
        form = next((r.form for r in self.rules if self._applies(r, asked, set())),
                    self.fallback)
        polar = ((self.polar is not None and any(
            self.polar.match(s) for s in (asked.start, *clauses))) or any(
            self._applies(r, asked, set()) for r in self.polar_rules)) and not (
            self.not_polar is not None and self.not_polar.search(asked.words))
        return form, polar

    def _matches(self, form: str, asked: _Asked, seen: set[str]) -> bool:
        return any(self._applies(r, asked, seen) for r in self.rules if r.form == form)

    def _applies(self, r: FormRule, asked: _Asked, seen: set[str]) -> bool:
        if not ((r.cue is not None and r.cue.search(asked.words))
                or (r.opening is not None and r.opening.match(asked.start))
                or (r.clause is not None and any(r.clause.match(c) for c in asked.clauses))
                or (r.after_mark is not None and any(r.after_mark.match(c)
                                                     for c in asked.later))):
            return False
        if (r.unless is not None and r.unless.search(asked.words)) or (
                r.unless_opening is not None and r.unless_opening.match(asked.start)) or (
                r.max_words is not None and asked.size > r.max_words):
            return False
        if r.yields_to and (r.yield_opening is None or r.yield_opening.match(asked.start)):
            seen = seen | {r.form}
            if any(f not in seen and self._matches(f, asked, seen) for f in r.yields_to):
                return False
        return True




def _opt(node: object) -> str | None:
    return None if node is None else str(node)


def _pattern(text: str, template: bool) -> Pattern:
    parts: list[str] = []
    for chunk in re.split(r"(\{[a-z]+\})", text):
        if chunk.startswith("{"):
            parts.append(chunk)
        else:
            parts.extend(tokens(chunk))
    return Pattern(tuple(parts), text, template)


@cache
def bundled_lexicon_graph() -> Graph:
    """The parsed ``lexicon.ttl``, from the start-up cache when it is fresh (:mod:`.cache`)."""
    from .cache import cached, interned

    path = ontology_dir() / "lexicon.ttl"

    def build() -> Graph:
        graph = Graph()
        graph.parse(path, format="turtle")
        return interned(graph)

    return cached("lexicon", (path,), build, lambda value: type(value) is Graph)


# -- per-graph index, built once ------------------------------------------------------------------

class _Index:
    def __init__(self, kg: KnowledgeGraph) -> None:
        lex_graph = bundled_lexicon_graph()
        if any((None, p, o) in kg.graph for p, o in _MERGED_LEXICON):  # a merged lexicon extends it
            merged = Graph()
            for t in lex_graph:
                merged.add(t)
            for t in kg.graph.triples((None, None, None)):
                if str(t[1]).startswith(str(LEX)) or (t[2] in (LEX.QueryLexicon, LEX.SlotType,
                                                               LEX.QuestionForm, LEX.WordClass,
                                                               LEX.DurationUnit,
                                                               LEX.DurationPhrase)):
                    merged.add(t)
            lex_graph = merged
        self.lexicon = Lexicon.from_graph(lex_graph)
        self.forms = QuestionForms(self.lexicon.forms, lambda c: _names_of_members(kg.graph, c),
                                   self.lexicon.words.get("adverb", frozenset()))
        self.generic = frozenset(c for classes in self.lexicon.slot_classes.values()
                                 for c in classes)
        # each named query's own `# cues:` are ways of asking too
        for name, query in kg.queries.items():
            ql = self.lexicon.queries.get(name)
            if ql is None:
                if not query.cues:
                    continue
                ql = self.lexicon.queries[name] = QueryLex(name, frozenset({"list"}), [])
            extra = [_pattern(c, False) for c in query.cues]
            ql.patterns = sorted({*ql.patterns, *(p for p in extra if p.parts)},
                                 key=lambda p: p.text)
        properties = {str(s) for kind in _PROPERTY_TYPES for s in kg.graph.subjects(RDF.type, kind)}
        self.names: dict[str, list[str]] = {}
        #: (name, IRI) pairs given only by a related synonym: a loose lay description, whose
        #: words do not name the concept on their own (see by_word below)
        loose_names: set[tuple[str, str]] = set()
        for key, names in kg.index.by_key.items():
            iris = list(dict.fromkeys(n.iri for n in names if n.iri not in properties))
            if iris:
                k = " ".join(singular(w) for w in key.split())
                self.names[k] = iris
                strong = {n.iri for n in names if n.kind != "related"}
                loose_names.update((k, i) for i in iris if i not in strong)
        for key, iris in self.lexicon.lay.items():
            self.names.setdefault(key, [])
            self.names[key] = list(dict.fromkeys([*iris, *self.names[key]]))
            loose_names.difference_update((key, i) for i in iris)
        dropped = _drop_ambiguous_words(self.names, loose_names,
                                        self.generic | {str(CLINICAL_STUDY)})
        _document_codes(kg, self.names)
        self.keys = [k for k in self.names if len(k) >= 5]
        self.labels = {iri: kg.terms.label(iri) for iris in self.names.values() for iri in iris}
        self.phrase_vocab = {w for q in self.lexicon.queries.values() for p in q.patterns
                             for w in p.parts if not w.startswith("{")}
        self.typo_cache: dict[str, str] = {}
        # ancestors (subclass closure) of every class, for slot type checks
        parents: dict[str, set[str]] = {}
        for s, o in kg.graph.subject_objects(RDFS.subClassOf):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                parents.setdefault(str(s), set()).add(str(o))
        for s in kg.graph.subjects(RDF.type, URIRef(_FINDING)):
            parents.setdefault(str(s), set()).add(_FINDING)
        for s in kg.graph.subjects(RDF.type, CLINICAL_STUDY):  # a {study} slot takes them
            parents.setdefault(str(s), set()).add(str(CLINICAL_STUDY))
        self.ancestors: dict[str, frozenset[str]] = {}
        for node in parents:
            self.ancestors[node] = self._closure(node, parents)
        self.ordered = _ordered(kg.graph)
        #: a one-word member of a lex:WordSynonyms group → the group's first one-word member
        #: (stems)
        self.same_word: dict[str, str] = {}
        for group in self.lexicon.word_groups:
            single = [p[0] for p in group if len(p) == 1]
            for k in single[1:]:
                self.same_word.setdefault(k, single[0])
        self.gapped: dict[str, list[tuple[str, tuple[str, ...], tuple[str, ...]]]] = {}
        plain = {iri for s, a in self.ancestors.items() if _FINDING in a for iri in (s,)}
        turning = self.lexicon.words.get("nameNegation", frozenset())
        for key, iris in self.names.items():
            if all(i in plain or i.startswith(str(SRC)) for i in iris):
                continue  # findings and sources are named exactly or not at all
            # a negation is content: "no benefit over placebo" is not "a benefit … over
            # placebo"
            content = tuple(w for w in key.split() if w not in _STOP or w in turning)
            if len(content) >= 2 and len(content) < len(key.split()) + 1:
                # by stems: "improve … quality of life" meets "improved quality of life";
                # one-word lex:WordSynonyms meet ("glue … disc" is "cement in the disc")
                canon = tuple(self.same_word.get(k, k) for k in map(stem, content))
                self.gapped.setdefault(canon[0], []).append((key, canon, content))
        # words the graph knows: names of its concepts and sources (not the words of finding
        # labels only: "survival" in a finding's title is not a term), and ways of asking
        # (not the words only of concepts held as context: "hip" of "cemented hip
        # arthroplasty" does not make "hip fracture surgery" a question about the graph)
        context = self.lexicon.context
        self.vocab = {w for k, iris in self.names.items()
                      if any(i not in plain and i not in context for i in iris)
                      for w in k.split()}
        for q in self.lexicon.queries.values():
            for p in q.patterns:
                self.vocab.update(w for w in p.parts if not w.startswith("{"))
        # words of finding labels only: known only in a question that names a trial
        self.study_vocab = {w for k in self.names for w in k.split()} - self.vocab
        self.vocab_list = sorted({w for w in (*self.vocab, *_STOP) if len(w) >= 4})
        # names by their loose key (lookup.loose_key): inflected, derived, hyphenated and
        # run-together forms of a name ("leaking cement", "osteoporotic", "x-ray") meet it;
        # findings and sources are named exactly or not at all
        self.loose: dict[str, list[str]] = {}
        name_stems: dict[str, list[str]] = {}
        for key, iris in self.names.items():
            if all(i in plain or i.startswith(str(SRC)) for i in iris):
                continue
            stems = name_stems[key] = [k for w in key.split() if (k := loose_key((w,)))]
            loose = "".join(stems)
            if " " not in key:  # one word: only from a concept's own (not related) names
                iris = [i for i in iris if (key, i) not in loose_names]
            if len(loose) >= 5 and iris:
                here = self.loose.setdefault(loose, [])
                here.extend(i for i in iris if i not in here)
        # the same names with a word replaced by one of its lex:WordSynonyms ("nerve damage",
        # "lung cement embolism"), where no other concept has that name already
        groups = self.lexicon.word_groups
        by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for g, group in enumerate(groups):
            for phrase in group:
                by_first.setdefault(phrase[0], []).append((phrase, g))
        for key, stems in name_stems.items():
            if by_first.keys().isdisjoint(stems):
                continue
            iris = self.names[key]
            for variant in _variants(stems, groups, by_first):
                loose = "".join(variant)
                if len(loose) >= 5 and loose not in self.loose:
                    self.loose[loose] = list(iris)
        #: stems of the words the graph knows: a word of a known word's family is not a typo
        self.vocab_stems = frozenset(stem(w) for w in self.vocab if len(w) >= 5)
        self.by_word: dict[str, set[str]] = {}
        self.by_word_weak: set[tuple[str, str]] = set()
        strong_words: set[tuple[str, str]] = set()
        for key, iris in self.names.items():
            concepts = [i for i in iris if i not in plain and not i.startswith(str(SRC))]
            # the head word of a name ("leak" of "cement leak"), never a word that only
            # qualifies it ("under" of "injection under fluoroscopy") nor a filler word
            words = key.split()
            # not a word of a time clause: "cementing" of "bone biopsy before cementing" is
            # when the biopsy is done, not what it is
            words = words[:next((j for j, w in enumerate(words) if w in _WHEN), len(words))]
            parts = [w for w in words if w not in _STOP]
            # "operation" of the related synonym "operation to free the nerves" names no one
            # concept: it counts among a word's concepts, but is not linked (a concept held
            # as context only, "hip replacement", still is: a question about it is declined)
            weak = bool(concepts) and (key, concepts[0]) in loose_names \
                and concepts[0] not in self.lexicon.context
            # nor is the verb of a lay phrase ("putting" of "putting you fully to sleep")
            lay_phrase = bool(concepts) and key in self.lexicon.lay and len(words) >= 3
            for w in parts:
                if len(w) >= 5 and concepts and w not in self.lexicon.filler:
                    self.by_word.setdefault(w, set()).update(concepts[:1])
                    (self.by_word_weak if weak or (lay_phrase and w.endswith("ing"))
                     else strong_words).add((w, concepts[0]))
        self.by_word_weak -= strong_words  # also a word of a stronger name of the concept
        for w, c in dropped:  # still one of the word's meanings: "collapse" stays ambiguous
            self.by_word.setdefault(w, set()).add(c)
            self.by_word_weak.add((w, c))
        # a study named by its cohort ("the 5,749-patient series"): the one study whose
        # findings report that many patients
        sizes: dict[int, set[str]] = {}
        for f in kg.findings():
            if f.study:
                # a count's denominator names the cohort only when it is one (not "3 of 9")
                big = f.denominator if (f.denominator or 0) >= 100 else None
                for size in (f.sample_size, f.cohort_size, big):
                    if size:
                        sizes.setdefault(size, set()).add(kg.terms.expand(f.study) or f.study)
        self.study_by_size = {n: next(iter(s)) for n, s in sorted(sizes.items()) if len(s) == 1}
        # a word that occurs only in finding labels (trial names: VAPOUR, INVEST …)
        self.finding_words: dict[str, list[str]] = {}
        for iri in (s for s, a in self.ancestors.items() if _FINDING in a):
            for w in set(tokens(kg.terms.label(iri))):
                if len(w) >= 4 and w not in _STOP:
                    self.finding_words.setdefault(w, []).append(iri)
        findings = set(self.finding_words.get("", ())) | {
            s for s, a in self.ancestors.items() if _FINDING in a}
        # the words of other concepts' names and of ways of asking (finding labels are names too)
        known = {w for k, iris in self.names.items()
                 if any(i not in findings and not i.startswith(str(SRC)) for i in iris)
                 for w in k.split()} | self.phrase_vocab
        # trial and author names: words a source's name shares with finding labels
        cited = {w for k, iris in self.names.items()
                 if any(i.startswith(str(SRC)) for i in iris) for w in k.split()}
        common = {w for w, f in self.finding_words.items() if len(f) > 8 or w in known
                  or w in self.lexicon.filler or w not in cited or w.isdigit()}
        for w in common:
            del self.finding_words[w]

    @staticmethod
    def _closure(node: str, parents: dict[str, set[str]]) -> frozenset[str]:
        out, stack = {node}, [node]
        while stack:
            for p in parents.get(stack.pop(), ()):
                if p not in out:
                    out.add(p)
                    stack.append(p)
        return frozenset(out)

    def is_a(self, iri: str, classes: tuple[str, ...]) -> bool:
        anc = self.ancestors.get(iri, frozenset((iri,)))
        return any(c in anc for c in classes)


def _drop_ambiguous_words(names: dict[str, list[str]], loose_names: set[tuple[str, str]],
                          kinds: frozenset[str] | set[str]) -> list[tuple[str, str]]:
    """Drop a one-word related synonym that is a common word of the domain with other
    meanings: "collapse" is a related synonym of cardiorespiratory failure, but a word of
    the names of several other concepts (vertebral body collapse, severe vertebral collapse),
    so on its own it names none of them. Kept: a word of the concept's own stronger names
    ("cement" of bone cement), and the names of the kinds slots take ("trial"). Returns the
    (word, IRI) pairs dropped."""
    words: dict[str, set[str]] = {}
    own: dict[str, set[str]] = {}
    for key, iris in names.items():
        for w in key.split():
            words.setdefault(w, set()).update(iris)
            for i in iris:
                if (key, i) not in loose_names:
                    own.setdefault(i, set()).add(w)
    dropped: list[tuple[str, str]] = []
    for key in [k for k in names if " " not in k]:
        ambiguous = [i for i in names[key] if (key, i) in loose_names and i not in kinds
                     and key not in own.get(i, ()) and len(words[key] - {i}) >= 2]
        if ambiguous:
            dropped.extend((key, i) for i in ambiguous)
            names[key] = [i for i in names[key] if i not in ambiguous]
            if not names[key]:
                del names[key]
    return dropped


#: A document's code as its name spells it: letters then digits ("IPG12", "TA279", "CG75").
_CODE = re.compile(r"[a-z]{2,4}[0-9]{2,4}")


def _document_codes(kg: KnowledgeGraph, names: dict[str, list[str]]) -> None:
    """Name each document by its code alone ("NICE IPG12 guidance?"): a code word of the
    names of a guideline recommendation or source (and of nothing else) names the
    recommendation recorded from it; a source with none names the one concept it is the
    definition source of, else itself. A named document wins over its issuer's others."""
    found: dict[str, list[str]] = {}
    for key, iris in names.items():
        for word in key.split():
            if _CODE.fullmatch(word) and word not in names:
                have = found.setdefault(word, [])
                have.extend(i for i in iris if i not in have)
    recommendation = str(PVP.GuidelineRecommendation)
    for code, iris in sorted(found.items()):
        recs = [i for i in iris if (URIRef(i), RDF.type, URIRef(recommendation)) in kg.graph]
        if recs:
            names[code] = recs
            continue
        if any(not i.startswith(str(SRC)) for i in iris):
            continue  # a word of a concept's own name: not a document's code
        defined = sorted({str(s) for i in iris
                          for s in kg.graph.subjects(OBO.IAO_0000119, URIRef(i))})
        names[code] = defined if len(defined) == 1 else list(dict.fromkeys(iris))


def _ordered(graph: Graph) -> frozenset[str]:
    """What an order question can be about: what 'precedes' orders, what its steps use
    (input, device, guidance), and the procedures made of them."""
    steps = {str(x) for s, o in graph.subject_objects(OBO.BFO_0000063) for x in (s, o)}
    used = {str(o) for s in steps for p in (OBO.RO_0002233, PVP.usesDevice, PVP.guidedBy)
            for o in graph.objects(URIRef(s), p)}
    wholes = {str(s) for s, o in graph.subject_objects(OBO.BFO_0000051) if str(o) in steps}
    # a broader procedure ("vertebral augmentation") stands for its kinds made of steps
    broader: set[str] = set()
    for whole in wholes:
        broader.update(str(c) for c in graph.transitive_objects(URIRef(whole), RDFS.subClassOf)
                       if isinstance(c, URIRef) and str(c) != whole)
    procedure = str(PVP.MedicalProcedure)
    broader = {c for c in broader if c != procedure and (
        URIRef(c), RDFS.subClassOf, None) in graph and any(
        str(a) == procedure for a in graph.transitive_objects(URIRef(c), RDFS.subClassOf))}
    return frozenset(steps | used | wholes | broader)


#: A merged graph holding one of these (predicate, object) pairs extends the lexicon.
_MERGED_LEXICON = ((RDF.type, LEX.QueryLexicon), (RDF.type, LEX.QuestionForm),
                   (LEX.cue, None), (LEX.openingCue, None), (LEX.clauseCue, None))


def _names_of_members(graph: Graph, cls: str) -> list[str]:
    """Labels, abbreviations and synonyms of the members of ``cls`` (and of its subclasses)."""
    classes = set(graph.transitive_subjects(RDFS.subClassOf, URIRef(cls)))
    members = {m for c in classes for m in graph.subjects(RDF.type, c) if isinstance(m, URIRef)}
    return sorted(str(o) for m in members for prop, _kind in NAME_KINDS
                  for o in graph.objects(m, prop))


_INDEXES: weakref.WeakKeyDictionary[object, tuple[object, _Index]] = weakref.WeakKeyDictionary()


def forget(kg: KnowledgeGraph) -> None:
    """Drop the understanding index of ``kg`` (a merge may add names, ways of asking or
    members of a cue class such as an issuing body)."""
    _INDEXES.pop(kg, None)


def index_for(kg: KnowledgeGraph) -> _Index:
    """The understanding index of ``kg``, rebuilt only when the graph was rebuilt (merge)."""
    cached = _INDEXES.get(kg)
    if cached is None or cached[0] is not kg.index:
        cached = (kg.index, _Index(kg))
        _INDEXES[kg] = cached
    return cached[1]


# -- understanding ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    """A linked concept: token positions, IRIs it may name (best first), match quality."""

    start: int
    end: int
    iris: tuple[str, ...]
    score: float
    text: str
    size: int = 0      # words of the name matched, when fewer than the span (a gapped match)

    @property
    def iri(self) -> str:
        return self.iris[0]

    @property
    def weight(self) -> float:
        # a gapped match names more than an exact one of as many words ("bone cement … the
        # lungs" → cement in the lungs, not bone cement)
        return self.size + 0.5 if self.size else self.end - self.start


@dataclass
class Reading:
    """One way of understanding the question: a named query with typed bindings."""

    query: str
    form: str
    bindings: dict[str, str]
    score: float
    matched: list[str] = field(default_factory=list)
    check: str | None = None       # yes/no: the concept looked up among the items
    check_span: Span | None = None
    cue_tokens: frozenset[int] = frozenset()  # positions of the words of the matched phrases
    by_default: bool = False       # no phrase matched: the form and the concept's type chose it
    unexplained: tuple[str, ...] = ()  # content words neither a phrase nor a concept explains


@dataclass
class Understanding:
    question: str
    tokens: list[str]
    form: str          # how it asks (lexicon.ttl, "Question forms"): list, value, guideline …
    polar: bool        # whether it wants a yes or no, whatever its form
    spans: list[Span]
    readings: list[Reading]
    unknown: list[str]
    gaps: list[str]
    #: unknown words of the domain's own vocabulary (``lex:domainWords``): they do not by
    #: themselves put the question out of scope
    soft: list[str] = field(default_factory=list)

    @property
    def best(self) -> Reading | None:
        return self.readings[0] if self.readings else None

    @property
    def runner_up(self) -> Reading | None:
        if len(self.readings) < 2:
            return None
        a, b = self.readings[0], self.readings[1]
        return b if b.query != a.query and a.score - b.score < MARGIN else None

    @property
    def confidence(self) -> float:
        best = self.best
        if best is None:
            return 0.0
        gap = best.score - (self.readings[1].score if len(self.readings) > 1 else 0.0)
        return round(min(1.0, 0.5 * best.score / (THRESHOLD * 2) + 0.5 * min(gap, 2.0) / 2), 2)


def _correct(ix: _Index, word: str) -> str:
    """A word the graph and lexicon do not know, replaced by a close known word (a typo)."""
    if word.endswith("s") and word not in ix.vocab and word[:-1] in ix.vocab:
        return word[:-1]  # a plural abbreviation: "CIs", "VCFs"
    if word not in ix.vocab and len(word) >= 6:  # an inflection: "leaking", "leaked"
        for end in ("ing", "ed"):
            stem = word[:-len(end)]
            if word.endswith(end) and len(stem) >= 3:
                for cand in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else ""):
                    if cand and cand in ix.vocab:
                        return cand
    if len(word) == 3 and word not in _STOP and word not in ix.vocab \
            and word not in ix.lexicon.filler:  # "teh", "adn": a short word, letters swapped
        return next((w for w in _STOP3 if w[0] == word[0] and _swapped(w, word)), word)
    if word in ix.vocab or word in _STOP or word in ix.lexicon.filler or len(word) < 4 \
            or word.isdigit() or word in ix.lexicon.domain or _family(ix, word):
        return word
    hit = ix.typo_cache.get(word)
    if hit is None:
        # two neighbouring letters swapped ("needel", "waht") is the likeliest typo: it
        # wins over an equally close word with one letter changed ("needed")
        hit = next((w for w in ix.vocab_list if len(w) == len(word) and w[0] == word[0]
                    and _swapped(w, word)), None)
        if hit is None:
            best = process.extractOne(word, ix.vocab_list, scorer=fuzz.ratio,
                                      score_cutoff=83 if len(word) >= 6 else 88)
            # a typo seldom changes the first letter: "replacement" is not "placement"
            hit = best[0] if best is not None and best[0][0] == word[0] else word
            if best is None and len(word) <= 5:  # letters out of order: "waht", "teh"
                hit = next((w for w in ix.vocab_list if len(w) == len(word)
                            and w[0] == word[0] and sorted(w) == sorted(word)), word)
        if len(ix.typo_cache) < 10_000:
            ix.typo_cache[word] = hit
    return hit


def _swapped(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with two neighbouring letters swapped (same length)."""
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
        and a[diff[1]] == b[diff[0]]


def _family(ix: _Index, word: str) -> bool:
    """Whether ``word`` is of the family of a word the graph knows ("osteoporotic" of
    "osteoporosis", "paralysis" of "paralysed"): such a word is neither a typo nor foreign."""
    return len(word) >= 5 and stem(word) in ix.vocab_stems


#: Words that join a head to what it is of, in or to: "leak of cement" is "cement leak".
_OF = frozenset(("of", "in", "to"))


def _foreign(ix: _Index, word: str) -> bool:
    """A word neither the graph, the lexicon nor the domain's vocabulary knows."""
    return not (word in ix.vocab or word in _STOP or word in ix.lexicon.filler
                or word in ix.lexicon.domain or word.isdigit() or len(word) < 3
                or _family(ix, word))


#: Words that open a new clause: a gapped name never runs across them.
_CLAUSE_WORDS = frozenset("what which who when where why how does do did".split())


def _names_procedure(ix: _Index, word: str) -> bool:
    """Whether ``word`` on its own is a name of a procedure ("kyphoplasty")."""
    proc = ix.lexicon.slot_classes.get("procedure", ())
    return any(ix.is_a(i, proc) for i in ix.names.get(word, ()))


def _link(ix: _Index, toks: list[str]) -> list[Span]:
    spans: list[Span] = []
    n_tok = len(toks)
    stems = [loose_key((t,)) for t in toks]  # "" for an article or possessive
    for n in range(min(7, n_tok), 0, -1):
        for i in range(n_tok - n + 1):
            gram = toks[i:i + n]
            if all(t in _STOP for t in gram) or (gram[0] in _STOP and n == 1):
                continue
            text = " ".join(gram)
            iris = ix.names.get(text)
            if iris:
                spans.append(Span(i, i + n, tuple(iris), 100.0 if n > 1 or len(text) > 2
                                  else 90.0, text))
                continue
            if gram[0] not in _STOP and gram[-1] not in _STOP:
                # the same name inflected, derived, hyphenated or run together ("leaking
                # cement", "osteoporotic", "xray"), or turned round ("leakage of cement")
                loose = "".join(stems[i:i + n])
                iris = ix.loose.get(loose)
                if iris is None and 3 <= n <= 5:
                    k = next((k for k in range(1, n - 1) if gram[k] in _OF), 0)
                    if k:  # "collapse of the vertebra": "vertebral collapse", "collapsed vertebra"
                        head, rest = stems[i:i + k], stems[i + k + 1:i + n]
                        iris = ix.loose.get("".join(rest + head)) or ix.loose.get(
                            "".join(head + rest))
                if iris is None and 2 <= n <= 4 and gram[0].endswith(("ed", "ing")):
                    # a verb form before its noun: "fractured rib" is "rib fracture",
                    # "injected the cement" "cement injection"
                    iris = ix.loose.get("".join(stems[i + 1:i + n]) + stems[i])
                if iris and n == 1 and i + 1 < n_tok and toks[i + 1] not in _STOP \
                        and toks[i + 1] not in ix.lexicon.filler:
                    # a derived word before a noun qualifies it: "osteoporotic" names
                    # osteoporosis, but "osteoporotic fracture" is a kind of fracture
                    iris = None
                if iris:
                    spans.append(Span(i, i + n, tuple(iris), 95.0, text))
                    continue
            if n <= 4 and len(text) >= 6 and gram[0] not in _STOP and gram[-1] not in _STOP \
                    and any(t not in ix.vocab for t in gram):
                best = process.extractOne(text, ix.keys, scorer=fuzz.ratio, score_cutoff=87)
                # a typo seldom changes the first letter: "replacement" is not "placement";
                # nor is a number a typo of another ("357 patient" is not "3,175-patient")
                if best is not None and best[0][0] == text[0] and re.findall(
                        r"\d+", best[0]) == re.findall(r"\d+", text):
                    spans.append(Span(i, i + n, tuple(ix.names[best[0]]), float(best[1]) - 5,
                                      text))
    # gapped: a name's content words in order with a few words between ("cement end up in
    # the heart" → "cement in the heart"), for names of two or more content words
    exact = {(s.start, s.end) for s in spans}
    word_stems = [ix.same_word.get(k, k) for k in map(stem, toks)]
    proc_classes = ix.lexicon.slot_classes.get("procedure", ())
    by_stem: set[Span] = set()  # gapped matches with a word in another form
    for i in range(n_tok):
        for key, content, words in ix.gapped.get(word_stems[i], ()):
            pos, ok, inserted = i, True, 0
            # words matched in another form of the same word (not a synonym)
            other_form = int(toks[i] != words[0] and stem(toks[i]) == stem(words[0]))
            for c, word in zip(content[1:], words[1:], strict=True):
                nxt = next((j for j in range(pos + 1, min(n_tok, pos + 7))
                            if word_stems[j] == c), None)
                if nxt is None:
                    ok = False
                    break
                if any(w in _CLAUSE_WORDS for w in toks[pos + 1:nxt]):
                    ok = False  # a name does not run across a new clause ("… when is the …")
                    break
                if any(w in _CONJ and w not in key.split() for w in toks[pos + 1:nxt]):
                    ok = False  # nor across a choice ("heparin or coumarin" is two things,
                    break  # not "heparin then coumarin")
                if any(_foreign(ix, w) for w in toks[pos + 1:nxt]):
                    ok = False  # nor across a word the graph does not know ("spinal fusion
                    break  # for degenerative disc" is not "spinal disc")
                inserted += sum(1 for w in toks[pos + 1:nxt] if w not in _STOP)
                other_form += toks[nxt] != word and stem(toks[nxt]) == stem(word)
                pos = nxt
            # a word in another form counts as a word put in: "osteoporotic VCF treatment"
            # is not "osteoporosis treatment"
            if ok and pos > i + 1 and _names_procedure(ix, toks[i]) and not any(
                    ix.is_a(x, proc_classes) for x in ix.names[key]):
                ok = False  # "kyphoplasty is the balloon": the procedure, then another name
            if ok and inserted <= 2 and (not other_form or inserted + other_form <= 1) \
                    and (i, pos + 1) not in exact and pos + 1 - i <= len(key.split()) + 4:
                spans.append(Span(i, pos + 1, tuple(ix.names[key]), 85.0,
                                  " ".join(toks[i:pos + 1]), size=len(content)))
                if other_form:
                    by_stem.add(spans[-1])
    # a gapped match never jumps over another concept's full name ("vertebral augmentation
    # for an osteoporotic fracture" is not "vertebral fracture")
    whole = [s for s in spans if not s.size and s.score >= 90 and s.end - s.start > 1]
    spans = [s for s in spans if not s.size or s.end - s.start <= s.size or not any(
        s.start <= o.start and o.end <= s.end and o.end - o.start < s.end - s.start
        for o in whole)]  # (a run with no gap, "new vertebral fracture", jumps over nothing)
    # nor, with a word in another form, cut one in two ("lung cancer with spinal metastases":
    # "spinal" belongs to "spinal metastases", not to a gapped "cancer … spine")
    spans = [s for s in spans if s not in by_stem or not any(
        o.start < s.start < o.end < s.end or s.start < o.start < s.end < o.end
        for o in whole)]
    spans += _elided(ix, toks, spans)
    spans += _cohorts(ix, toks)
    # head-word: a lone word naming few concepts ("anaesthesia" → local anaesthesia)
    covered = {i for s in spans for i in range(s.start, s.end)}
    for i, t in enumerate(toks):
        named = ix.by_word.get(t, set())
        if i not in covered and 0 < len(named) <= 6 and t not in ix.phrase_vocab:
            # the meaning whose other words the question also holds first ("severe heart
            # *disease*": severe cardiopulmonary disease), then the shortest name
            around = set(toks) - {t} - _STOP
            ranked = sorted((c for c in named if (t, c) not in ix.by_word_weak),
                            key=lambda x: (-len(around & set(tokens(ix.labels.get(x) or ""))),
                                           len(ix.labels.get(x) or x), x))
            shared = [len(around & set(tokens(ix.labels.get(x) or ""))) for x in ranked]
            if len(ranked) > 1 and shared[0] > 0 and shared.count(shared[0]) == 1 and not \
                    ix.is_a(ranked[0], (str(CLINICAL_STUDY), _FINDING)):
                ranked = ranked[:1]  # the one meaning the question's other words point to
            if len(ranked) > 1:  # several kinds of one thing: the guess is that thing
                ranked = _head_concept(ix, ranked) or _common_kind(ix, ranked) or ranked
            if len(ranked) > 3:
                continue  # too many meanings to guess from one word
            if ranked:
                spans.append(Span(i, i + 1, tuple(ranked), 70.0, t))
    return spans


def _cohorts(ix: _Index, toks: list[str]) -> list[Span]:
    """"the 5,749-patient series", "of 357 patients": the study whose findings report that
    many patients (only when one study does), named by the number and "patient"."""
    out = []
    for i in range(1, len(toks)):
        if toks[i] != "patient" or not toks[i - 1].isdigit():
            continue
        start, digits = i - 1, toks[i - 1]
        if start > 0 and toks[start - 1].isdigit() and len(digits) == 3:
            start, digits = start - 1, toks[start - 1] + digits  # "5,749" is "5 749"
        study = ix.study_by_size.get(int(digits))
        if study is not None:
            out.append(Span(start, i + 1, (study,), 95.0, " ".join(toks[start:i + 1])))
    return out


def _head_concept(ix: _Index, iris: list[str]) -> list[str] | None:
    """The one of ``iris`` that every other is a kind of or is named after ("haemangioma":
    vertebral haemangioma, not its symptomatic kind or the bleeding at its surgery), as a
    one-item list; None when there is none."""
    for head in iris:
        name = set((ix.labels.get(head) or "").lower().split())
        if name and all(o == head or ix.is_a(o, (head,))
                        or name <= set((ix.labels.get(o) or "").lower().split())
                        for o in iris):
            return [head]
    return None


def _common_kind(ix: _Index, iris: list[str]) -> list[str] | None:
    """The nearest named class that the classes among ``iris`` fall under ("spondylitis":
    pyogenic and tuberculous spondylitis are kinds of post-procedural spondylodiscitis),
    first, then the rest (a study named after them); None when they share none but the
    graph's broad classes."""
    def kinds(iri: str) -> set[str]:
        return {a for a in ix.ancestors.get(iri, ()) if a != iri and a not in ix.generic
                and a.startswith(str(PVP)) and a in ix.labels}

    # the studies and findings named after them stand apart; every other meaning must
    # fall under the kind ("disease": two tumours and a heart disease share none)
    apart = {i for i in iris if ix.is_a(i, (str(CLINICAL_STUDY), _FINDING))}
    classes = [i for i in iris if i not in apart]
    if len(classes) < 2 or not all(kinds(i) for i in classes):
        return None
    shared = set.intersection(*(kinds(i) for i in classes))
    if not shared:
        return None
    kind = max(sorted(shared), key=lambda a: len(ix.ancestors.get(a, ())))
    return [kind, *(i for i in iris if i in apart)]


_CONJ = frozenset(("vs", "versus", "or", "and", "v"))


def _elided(ix: _Index, toks: list[str], spans: list[Span]) -> list[Span]:
    """A name shortened before "vs"/"or"/"and": "unipedicular vs bipedicular approach",
    "venous or intradiscal cement leakage" — the first word(s) and the tail of the second
    name form a name of their own. The span (weighted as the whole name) covers the first
    word(s) only."""
    out: list[Span] = []
    for s in spans:
        if s.score < 100 or s.start < 2 or toks[s.start - 1] not in _CONJ:
            continue
        words = toks[s.start:s.end]
        for k in range(1, len(words)):
            for head_len in (1, 2):
                start = s.start - 1 - head_len
                if start < 0:
                    break
                key = " ".join([*toks[start:s.start - 1], *words[k:]])
                iris = ix.names.get(key)
                if iris and key != " ".join(words):
                    out.append(Span(start, s.start - 1, tuple(iris), 90.0,
                                    " ".join(toks[start:s.start - 1]), size=len(key.split())))
    return out


def _select(spans: list[Span], blocked: set[int] = frozenset()) -> list[Span]:  # type: ignore[assignment]
    ranked = sorted(spans, key=lambda s: (-s.weight, -s.score, s.start))
    chosen: list[Span] = []
    for span in ranked:
        if any(i in blocked for i in range(span.start, span.end)):
            continue
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


@cache
def _short_words(pat: Pattern) -> frozenset[str]:
    """The pattern's words of fewer than 5 letters: matched only exactly, never as a typo, so a
    question lacking one of them cannot match the pattern at any start."""
    return frozenset(p for p in pat.parts if len(p) < 5 and not p.startswith("{"))


@functools.lru_cache(maxsize=4096)
def _starts(toks: tuple[str, ...], first: str) -> tuple[int, ...]:
    """Where a pattern opening with the word ``first`` may start: a short word only at
    itself, a long word also at a close typo of it (remembered: every pattern asks)."""
    if len(first) < 5:
        return tuple(i for i, t in enumerate(toks) if t == first)
    return tuple(i for i, t in enumerate(toks)
                 if t == first or (len(t) >= 5 and fuzz.ratio(t, first) >= 85))


def _match_pattern(ix: _Index, pat: Pattern, toks: list[str], spans: list[Span],
                   tight: bool = False) -> tuple[float, set[int], dict[str, Span]] | None:
    """Match words in order (gaps of ≤ 2 words allowed); a ``{slot}`` takes a span of its type."""
    best: tuple[float, set[int], dict[str, Span]] | None = None
    first = pat.parts[0] if pat.parts else ""
    if first.startswith("{"):  # a slot opens the pattern: only where a span starts
        starts: Iterable[int] = sorted({s.start for s in spans})
    else:
        starts = _starts(tuple(toks), first)
    for start in starts:
        used: set[int] = set()
        slots: dict[str, Span] = {}
        pos, score, ok, last = start, 0.0, True, None
        for k, part in enumerate(pat.parts):
            limit = 1 if k == 0 else 3
            found = False
            for j in range(pos, min(len(toks), pos + limit)):
                if part.startswith("{"):
                    name = part[1:-1]
                    classes = ix.lexicon.slot_classes.get(name)
                    fitting = [s for s in spans if s.start == j and (
                        classes is None or any(ix.is_a(i, classes) for i in s.iris))]
                    span = fitting[0] if fitting else None
                    if span is not None and tight and (span.score < 80 or any(
                            t not in _STOP and t not in ix.lexicon.filler for t in toks[pos:j])):
                        # (nor takes a guess: a lone word of a longer name)
                        # a slot does not skip words that say something ("is X a
                        # *contraindication to* PVP" does not put PVP in "is X a {any}")
                        span = None
                    nxt = pat.parts[k + 1] if k + 1 < len(pat.parts) else None
                    if len(fitting) > 1 and nxt is not None and not nxt.startswith("{"):
                        # several names start here ("cement", "cement prepared and
                        # injected"): a longer one after which the pattern's next word
                        # follows, the longest first (never a shorter one: "infection"
                        # of "infection after vertebroplasty" is not the slot's name)
                        follows = [s for s in sorted(fitting, key=lambda s: -s.end)
                                   if s.end > fitting[0].end and nxt in toks[s.end:s.end + 3]]
                        span = follows[0] if follows else span
                    if span is None:
                        continue
                    slots[name if name not in slots else name + "2"] = span
                    used.update(range(span.start, span.end))
                    score += 0.5
                    pos, found = span.end, True
                    break
                w = toks[j]
                if w == part or (len(part) >= 5 and len(w) >= 5 and fuzz.ratio(w, part) >= 85):
                    used.add(j)
                    score += 0.25 if part in _STOP else 1.0
                    pos, found = j + 1, True
                    break
            if not found:
                ok = False
                break
            last = pos
        if ok and used and last is not None:
            if all(p in _STOP for p in pat.parts if not p.startswith("{")) and not slots \
                    and len(pat.parts) < 3:  # "what is" says nothing; "should not have" does
                continue
            if best is None or score > best[0]:
                best = (score, used, slots)
    return best


def _slots_of(kg: KnowledgeGraph, name: str) -> list[tuple[str, bool, str | None]]:
    """(parameter, required, slot type) of a named query."""
    query = kg.queries[name]
    types = {}
    for part in query.meta.get("types", "").split(","):
        key, _, curie = part.partition("=")
        if key.strip():
            types[key.strip()] = curie.strip()
    out = []
    for p in query.params:
        kind = {"procedure": "procedure", "first": "procedure", "second": "procedure",
                "site": "site", "one": "specific", "other": "specific",
                "step": "ordered", "other_step": "ordered", "kind": "any"}.get(p.name)
        if p.name == "concept":
            kind = _CONCEPT_SLOT.get(name, "any")
        out.append((p.name, p.required, kind))
    return out


_PVP_IRI = str(PVP.PercutaneousVertebroplasty)

#: The type a query's generic ``concept`` parameter must have (the procedure never fills it).
_CONCEPT_SLOT = {
    "complications_related_to": "complication", "causes_of": "effect",
    "risk_factors": "effect", "preventive_measures": "complication",
    "risk_factor_effects": "risk",
    "is_contraindication": "condition", "findings_about": "any", "describe": "any",
    "treatments": "effect", "diagnosis": "effect",
}


def _fits(ix: _Index, iri: str, kind: str | None, procedure_ok: bool = False) -> bool:
    if kind is None or kind == "site":
        return False
    proc = ix.lexicon.slot_classes.get("procedure", ())
    if iri.startswith(_UNITS):  # "year", "day": how a number is given, not what is asked of
        return False
    if kind == "any":
        return True
    if kind == "specific":  # any concept but a slot's type itself ("complication")
        return iri not in ix.generic
    if kind == "ordered":  # a step, or what a step uses, or a procedure made of steps
        return iri in ix.ordered and iri not in ix.generic
    if kind == "effect":
        return iri not in ix.generic and ix.is_a(
            iri, (*ix.lexicon.slot_classes.get("complication", ()),
                  *ix.lexicon.slot_classes.get("condition", ())))
    classes = ix.lexicon.slot_classes.get(kind)
    if classes is None:
        return False
    if iri in ix.generic and kind != "procedure":  # the slot's type itself is not an instance
        return False
    if kind != "procedure" and ix.is_a(iri, proc) and not procedure_ok:
        return False
    return ix.is_a(iri, classes)


def _assignments(ix: _Index, slots: list[tuple[str, bool, str | None]], free: list[Span]
                 ) -> list[tuple[dict[str, str], float, set[Span], bool]]:
    """Every way (at most a few) to fill the query's slots with type-compatible concepts of
    the question, best first: for each slot its fitting spans in order, and for an optional
    slot also its default; the same span never fills two slots."""
    options: list[list[tuple[Span, str] | None]] = []
    for _param, required, kind in slots:
        # every concept a span may name that fits the slot ("infection": the condition or
        # the post-procedural complication), the span's first reading first
        fits = [(sp, iri) for sp in free
                for iri in [i for i in sp.iris if _fits(ix, i, kind)][:2]][:4]
        opts: list[tuple[Span, str] | None] = list(fits)
        if not required or not fits:
            opts.append(None)
        options.append(opts)
    out: list[tuple[dict[str, str], float, set[Span], bool]] = []
    for combo in itertools.islice(itertools.product(*options), 12):
        spans_used = [c[0] for c in combo if c is not None]
        if len(set(spans_used)) != len(spans_used):
            continue
        bindings = {slots[k][0]: c[1] for k, c in enumerate(combo) if c is not None}
        if len(set(bindings.values())) != len(bindings):
            continue  # two names of one concept fill two slots: no relation is asked
        ok = all(c is not None or not slots[k][1] for k, c in enumerate(combo))
        score = sum(c[0].score / 100.0 for c in combo if c is not None)
        out.append((bindings, score, set(spans_used), ok))
        if len(out) >= 4:
            break
    return out or [({}, 0.0, set(), not any(r for _, r, _ in slots))]


def _inside_name(toks: list[str], used: set[int], spans: list[Span]) -> bool:
    """Whether a phrase's content words all lie inside one multi-word concept name that the
    phrase does not cover whole (the phrase then only borrows a word of that name)."""
    content = {i for i in used if toks[i] not in _STOP}
    return bool(content) and any(
        sp.end - sp.start > 1 and not sp.size and content <= set(range(sp.start, sp.end))
        and not set(range(sp.start, sp.end)) <= used for sp in spans)


def _inflected(word: str, other: str) -> bool:
    """Whether two words are one word inflected ("reduce"/"reduced", "shorten"/"shorter"):
    a shared start of at least five letters and at most two more letters on either."""
    n = 0
    for a, b in zip(word, other, strict=False):
        if a != b:
            break
        n += 1
    return n >= 5 and len(word) - n <= 2 and len(other) - n <= 2


def _beyond(kg: KnowledgeGraph, iri: str, words: Iterable[str]) -> list[str]:
    """The words that are not a word of ``iri``'s names, nor one inflected."""
    concept = kg.terms.concept(iri)
    own = {w for name in (concept.label, *concept.synonyms, *concept.abbreviations)
           for w in tokens(name)}
    return [w for w in words if w not in own and not w.isdigit()
            and not any(_inflected(w, o) for o in own)]


#: Comparatives after which "then" is a slip for "than" ("safer then vertebroplasty").
_COMPARATIVES = frozenset(
    "better worse safer riskier more less fewer higher lower greater larger smaller bigger "
    "quicker faster slower longer shorter easier harder stronger weaker commoner rarer "
    "likelier".split())


def _than(toks: list[str]) -> list[str]:
    return [("than" if t == "then" and i and toks[i - 1] in _COMPARATIVES else t)
            for i, t in enumerate(toks)]


def understand(kg: KnowledgeGraph, question: str) -> Understanding:
    """Every reading of ``question``, best first (see the module docstring)."""
    ix = index_for(kg)
    lex = ix.lexicon
    toks = _than([_correct(ix, t) for t in tokens(question)])
    form, polar = ix.forms.detect(toks, question)
    all_spans = _link(ix, toks)
    spans = _select(all_spans)
    text = " " + " ".join(toks) + " "
    gaps = [g for k, g in lex.gaps.items() if f" {k} " in text]
    # finding words (trial names) count as concept-like spans of their own
    finding_hits = [(i, ix.finding_words[t]) for i, t in enumerate(toks)
                    if t in ix.finding_words and not any(s.start <= i < s.end for s in spans)]
    generic = {c for classes in lex.slot_classes.values() for c in classes}
    readings: list[Reading] = []
    pattern_hits: dict[str, list[tuple[float, set[int], dict[str, Span], str]]] = {}
    present = frozenset(toks)
    for name, ql in lex.queries.items():
        if name not in kg.queries:
            continue
        if ql.only_form is not None and form != ql.only_form:
            pattern_hits[name] = []  # a query that only settles yes or no ("is X a Y?")
            continue
        hits = []
        blocker = cue_pattern(ql.unless) if ql.unless else None
        for pat in ql.patterns if blocker is None or not blocker.search(text) else ():
            if not _short_words(pat) <= present:
                continue
            m = _match_pattern(ix, pat, toks, all_spans, ql.tight)
            if m is not None and not pat.template and _inside_name(toks, m[1], spans):
                continue  # "what cement" in "what cement leakage is" asks of the leakage
            if m is not None:
                hits.append((m[0] + (0.5 if pat.template else 0.0), m[1], m[2], pat.text))
        hits.sort(key=lambda h: -h[0])
        chosen: list[tuple[float, set[int], dict[str, Span], str]] = []
        for h in hits:
            if all(not (h[1] & c[1]) for c in chosen):
                chosen.append(h)
        pattern_hits[name] = chosen
    covered_by_any = set()
    for chosen in pattern_hits.values():
        for h in chosen:
            covered_by_any |= {i for i in h[1] if not any(s.start <= i < s.end for s in spans)}
    for name, ql in lex.queries.items():
        if name not in kg.queries:
            continue
        chosen = pattern_hits[name]
        phrase_score = sum(h[0] for h in chosen)
        cue_tokens = set().union(*(h[1] for h in chosen)) if chosen else set()
        template_slots: dict[str, Span] = {}
        for h in chosen:
            template_slots.update(h[2])
        free = [s for s in spans if not all(i in cue_tokens for i in range(s.start, s.end))]
        free += [s for s in all_spans if s in template_slots.values() and s not in free]
        slot_order = sorted(free, key=lambda s: (s not in template_slots.values(), s.start))
        # a concept named inside a matched phrase ("stop *the cement from leaking*") may
        # still fill the query's slot, after every other span
        slot_order += [s for s in spans if s not in free and s.score >= 90]
        assignments = _assignments(ix, _slots_of(kg, name), slot_order)
        if name == "compare_procedures" and not any(a[3] for a in assignments):
            # "how is it different from open surgery?": one procedure named, set against the
            # one the graph is about
            others = {s.iri: s for s in slot_order if _fits(ix, s.iri, "procedure")
                      and s.iri != _PVP_IRI}
            if len(others) == 1:
                sp = next(iter(others.values()))
                assignments = [({"first": _PVP_IRI, "second": sp.iri}, sp.score / 100.0,
                                 {sp}, True)]
        for rank, (bindings, bind_score, used, ok) in enumerate(assignments):
            if name == "findings_about" and ix.is_a(bindings.get("concept", ""), (_FINDING,)):
                # the question names a finding itself ("the first vertebroplasty"): that
                # finding, not the findings about it (there are none)
                bindings["finding"] = bindings.pop("concept")
            if name == "findings_about" and finding_hits:
                # trial or author names: their findings (within the concept's, if one is named)
                bindings["finding"] = ",".join(dict.fromkeys(
                    f for _, fs in finding_hits for f in fs))
                if "concept" not in bindings:
                    bind_score += 1.0
                    ok = True
            check, check_span = None, None
            if form == "yesno" and ql.check:
                classes = lex.slot_classes.get(ql.check, ())
                for sp in spans:
                    if sp in used and name != "is_contraindication":
                        continue
                    # a procedure is checked only where the query checks for one (a
                    # treatment), and never the vertebral augmentation asked about
                    iri = next((i for i in sp.iris if ix.is_a(i, classes) and i not in generic
                                and (not ix.is_a(i, lex.slot_classes["procedure"]) or (
                                    ql.check == "treatment"
                                    and not ix.is_a(i, (str(PVP.VertebralAugmentation),))))),
                               None)
                    # the first concept named; a better naming of the same concept wins
                    # ("active discitis": the discitis named in full, not the guess "active")
                    if iri is not None and (check_span is None or (
                            (iri == check or (check is not None and ix.is_a(iri, (check,))))
                            and sp.score > check_span.score)):
                        check, check_span = iri, sp
            # a yes/no question that names a concept of the type a query checks ("does it
            # <verb> <a benefit>?") is that query's by default, whatever its phrases; a
            # query answering yes/no by default needs such a concept too (with none, its
            # verdict could only be "not recorded here")
            explained = set(cue_tokens)
            for sp in spans:
                explained.update(range(sp.start, sp.end))
            unexplained = [t for i, t in enumerate(toks) if i not in explained and t not in _STOP
                           and t not in lex.filler and i not in {f[0] for f in finding_hits}]
            named = any(v in {i for sp in used for i in sp.iris} for v in bindings.values())
            # (a query about the procedure only: "is X a risk factor for Y?" relates two
            # concepts and needs its own way of asking)
            checked_default = (form == "yesno" and "yesno" in ql.forms and ql.check is not None
                               and check is not None and (named or not unexplained)
                               and all(kind == "procedure" or not required
                                       for _p, required, kind in _slots_of(kg, name)))
            # a question naming a trial and nothing of how it asks ("VAPOUR hospital stay"):
            # the trial's findings
            studied = (name == "findings_about" and form in ("list", "value") and named
                       and any(ix.is_a(v, (str(CLINICAL_STUDY),)) for v in bindings.values()))
            by_default = (phrase_score == 0 and (form in ql.defaults or checked_default
                                                 or studied) and (
                (named and not (form == "yesno" and ql.check is not None and check is None))
                or check is not None))
            if not ok or (phrase_score == 0 and name != "describe" and not by_default):
                continue
            # the two concepts a template's slots placed ("is A before or after B") fill the
            # query's parameters before others of the question
            # (names the question's linking kept whole, not words inside a longer name)
            placed = set(template_slots.values()) & set(spans)
            score = phrase_score + bind_score + ql.prior - 0.05 * rank + (
                0.2 * len(used & placed) if len(placed) >= 2 else 0.0)
            if by_default:
                score += 0.75
                if checked_default and check is not None and _beyond(kg, check, unexplained):
                    # a word not understood may ask something else of X ("does it *prevent*
                    # X?"): behind a reading whose way of asking matched
                    score -= 0.5
            if form in ql.forms:
                score += 1.0
            elif form not in ("list", "definition", "yesno"):
                # a cause question is not answered by a list of complications
                score -= 0.75
            if check is not None:
                score += 1.0
            if form == "yesno" and ql.check and check is None:
                score -= 0.5
            # a word of the domain that names nothing costs less than a foreign one
            # (a number is what a value question gives, "< 4 at 14 days": it costs nothing)
            score -= sum(0.15 if t in lex.domain else 0.3 for t in unexplained
                         if not t.isdigit())
            if name == "findings_about" and form in ql.forms and any(
                    ix.is_a(v, (str(CLINICAL_STUDY),)) for v in bindings.values()):
                # a value or result question naming a trial: the trial's own numbers
                score += 0.5
            if name == "describe":
                score -= 0.5
            # a concept a template's slot placed but the query does not take ("treatment of
            # <spondylitis> after <vertebroplasty>" read as the procedure's complications):
            # what was asked of it is lost, so a reading that takes it comes first
            bound = set(bindings.values())
            score -= 0.3 * sum(1 for sp in template_slots.values()
                               if not any(i in bound or i in generic for i in sp.iris))
            # the procedure a template placed ("does {procedure} use {material}") is the one
            # asked about, not another procedure a word of the question may also name
            placed_proc = template_slots.get("procedure")
            if placed_proc is not None and "procedure" in bindings \
                    and bindings["procedure"] not in placed_proc.iris:
                score -= 0.5
            matched = [h[3] for h in chosen] or ([f"({form} question)"] if by_default else [])
            readings.append(Reading(name, form, bindings, round(score, 3), matched, check,
                                    check_span, frozenset(cue_tokens), by_default,
                                    tuple(unexplained)))
    if form not in ("list", "definition", "yesno") and any(
            form in lex.queries[r.query].forms and not r.by_default and r.matched
            and r.score >= THRESHOLD for r in readings):
        # a way of asking of the question's form matched ("incidence" in a value question):
        # a query of another form ("post-op" of aftercare) is further behind
        readings = [r if form in lex.queries[r.query].forms
                    else replace(r, score=round(r.score - 0.75, 3)) for r in readings]
    asked_checks = {r.check for r in readings if r.form == "yesno" and not r.by_default
                    and r.matched and (lex.queries[r.query].check
                                       or "yesno" in lex.queries[r.query].forms)
                    and r.score >= THRESHOLD}
    if asked_checks:
        # "can I have it if I have an infection?": the way of asking chose the query; the
        # complication reading of the same word is not offered in its place. A by-default
        # reading checking the same concept in another query stays ("does it improve X?":
        # X may be recorded as an outcome rather than a benefit)
        readings = [r for r in readings if not (r.form == "yesno" and r.by_default)
                    or (r.check is not None and r.check in asked_checks)]
    readings.sort(key=lambda r: (-r.score, r.query))
    explained_any = set(covered_by_any)
    for s in all_spans:
        explained_any.update(range(s.start, s.end))
    explained_any.update(i for i, _ in finding_hits)
    unknown = [t for i, t in enumerate(toks) if i not in explained_any and t not in _STOP
               and t not in lex.filler and t not in ix.vocab and not t.isdigit()
               and not _family(ix, t)
               and not (finding_hits and t in ix.study_vocab)]
    soft = [t for t in unknown if t in lex.domain]
    unknown = [t for t in unknown if t not in lex.domain]
    kept = [r for r in readings if r.score >= THRESHOLD]
    if not kept and not unknown and form in ("list", "definition"):
        # no way of asking fits, but the question clearly names one concept of the graph and
        # nothing foreign: say what the graph records about it (low confidence)
        sure = {i for sp in spans if sp.score >= 90 and sp.iri not in generic
                for i in sp.iris[:1]}
        about = [r for r in readings if r.query == "describe"
                 and r.bindings.get("concept") in sure]
        if len(sure) == 1 and about:
            kept = [replace(about[0], score=THRESHOLD,
                            matched=["(what the graph records about it)"])]
    named_iris = {i for sp in spans for i in sp.iris}
    finding_spans = [sp for sp in spans if sp.score >= 90 and sp.end - sp.start > 2
                     and ix.is_a(sp.iris[0], (_FINDING,))]
    # a way of asking matched inside a finding's own name ("ten years *after vertebroplasty*"
    # is no question about aftercare): that reading stands behind the finding
    inside_finding = bool(kept) and len(finding_spans) == 1 and not (
        set(kept[0].bindings.values()) & {finding_spans[0].iris[0]}) and any(
        finding_spans[0].start <= i < finding_spans[0].end for i in kept[0].cue_tokens)
    if not unknown and (inside_finding or all(r.by_default or (r.score < 2.5 and not (
            set(r.bindings.values()) & named_iris)) for r in kept)):
        # no way of asking fits (or only the question's form chose, or a weak phrase that
        # binds nothing of the question: "what *happens* to the pain …"), but the question
        # names one finding of the graph clearly ("will my fracture pain just go away on its
        # own?": the natural course): that finding first
        one_finding = {i for sp in spans if sp.score >= 90 and sp.end - sp.start > 1
                       for i in sp.iris[:1] if ix.is_a(i, (_FINDING,))}
        if len(one_finding) == 1 and "findings_about" in kg.queries:
            kept = [Reading("findings_about", form, {"finding": one_finding.pop()},
                            max([THRESHOLD, *(r.score for r in kept)]),
                            ["(the finding the question names)"], None, None, frozenset(),
                            True, ()), *kept]
    readings = kept
    return Understanding(question, toks, form, polar, spans, readings, unknown, gaps, soft)

"""Answers from readings: run the chosen named query, settle yes/no, say what was understood.

A yes/no question is answered "Yes" only when the concept asked about is (or falls under, or
has as a kind) an item of the query's answer, and "No" only when the graph records it in the
opposite role (an indication asked about as a contraindication). Anything else gets
``verdict=None`` and says what the graph does record. An unknown word is named, never
replaced by another concept.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from . import answer as _ask
from . import studies as _studies
from ._check import check_text
from .ask import MAX_QUESTION
from .chains import chain_answer, chain_words
from .claims import (
    settle_instead,
    settle_kind_named,
    settle_not_replaced,
    settle_studied_condition,
)
from .compare import settle_comparison
from .durations import settle_duration
from .errors import InvalidInputError, PVPKGError
from .explain import format_path
from .lookup import stem
from .model import Answer, Concept, Edge, Item
from .negatives import recorded_not
from .nlu import (
    Lexicon,
    Reading,
    Span,
    Understanding,
    _inflected,
    _within,
    index_for,
    tokens,
    understand,
)
from .order import settle_order
from .vocab import (
    CAUSALLY_UPSTREAM_OF,
    HAS_PART,
    MEDICAL_DEVICE,
    PVP,
    RDFS,
    RECOMMEND_AGAINST,
    RECOMMEND_FOR,
    RECOMMEND_FOR_SELECTED,
)

if TYPE_CHECKING:
    from .graph import KnowledgeGraph
    from .sparql import NamedQuery

__all__ = ["answer"]

_DEVICE = str(MEDICAL_DEVICE)

_ROLE = {
    "complications": "a complication of", "indications": "an indication for",
    "contraindications": "a contraindication to", "steps": "a step of",
    "injected_material": "a material injected in", "imaging_guidance": "imaging that guides",
    "pre_procedure_assessment": "an assessment before", "aftercare": "aftercare advice after",
    "benefits": "a benefit of", "outcomes": "an outcome of",
    "risk_factors": "a risk factor of", "preventive_measures": "a preventive measure of",
    "devices_and_materials": "equipment or material of", "treatments": "a treatment of",
    "diagnosis": "a test that detects",
}


def answer(kg: KnowledgeGraph, question: str) -> Answer:
    """Answer ``question`` from the graph, or decline saying what was not understood."""
    if not check_text(question, "the question", max_len=MAX_QUESTION):
        raise InvalidInputError("the question is empty")
    u = understand(kg, question)
    linked = tuple(kg.terms.concept(s.iri) for s in u.spans)
    if u.gaps:
        return _decline(kg, u, linked, f"The graph does not cover {_names(u.gaps)}.")
    body = _unknown_body(u) if u.unknown or u.soft else None
    if body:  # "recommended by the FDA": the unknown word is who is asked about, never filler
        return _decline(kg, u, linked, f"The graph holds no recommendation of {body!r}: "
                                       "it has no term for it.")
    if set(u.unknown) | set(u.soft) <= chain_words(kg, u) | _claim_words(kg, u):
        chain = chain_answer(kg, u, linked)
        if chain is not None:  # "trace the chain of events from a cement leak to death"
            return chain
    if set(u.unknown) <= _claim_words(kg, u):
        for settle in (settle_studied_condition, settle_not_replaced, settle_instead,
                       settle_kind_named):
            claimed = settle(kg, u, linked)  # "was the first one done for X?", "does it cure X?"
            if claimed is not None:
                return claimed
    if u.unknown and not _unknown_is_filler(u):
        return _decline(kg, u, linked, f"The graph does not cover {_names(u.unknown)}: "
                                       "it has no term for it.")
    if u.soft and not u.unknown and not _soft_is_filler(u):
        return _decline(kg, u, linked, f"I could not place {_names(u.soft)} in what the graph "
                                       "records.")
    always = _always_part(kg, u, linked) if u.polar else None
    if always is not None:  # "do you always need general anaesthesia?": a part it *may* have
        return always
    best = u.best
    if best is None:
        return _decline(kg, u, linked, "I could not tell what you want to know.")
    if _everything_about_the_procedure(kg, u, best):
        return _decline(kg, u, linked, (
            "I could not tell what you want to know about the procedure "
            f"({_names(list(best.unexplained))} is not something the graph records)."))
    rival = _rival_guess(u, best)
    if rival is not None:  # "findings about transient fever": two lone words, two guesses
        return _decline(kg, u, linked, (
            f"I could only guess which concept you mean: {kg.terms.label(rival[0])!r} or "
            f"{kg.terms.label(rival[1])!r} (each from a single word of a longer name)."))
    context = [v for v in best.bindings.values()
               if v in index_for(kg).lexicon.context] if best.query != "describe" else []
    if context:  # "complications of a hip replacement": the graph holds it only as context
        return _decline(kg, u, linked, f"The graph holds {kg.terms.label(context[0])!r} only "
                                       "as context for vertebroplasty, so it does not answer "
                                       f"'{kg.queries[best.query].title}' about it.")
    usual = _usual_course(kg, u, linked) if u.form == "yesno" else None
    if usual is not None:  # "does cement leakage usually cause symptoms?": a recorded course
        return usual
    chosen, result, passed = _first_answered(kg, u, linked)
    if result is None:
        return _decline(kg, u, linked, f"I read the question as "
                                       f"'{kg.queries[best.query].title}' but could not answer "
                                       f"it: {passed[0][1]}")
    result = _studies.settle(kg, u, result)
    timed = settle_duration(kg, u, result)
    if timed is not None:  # "does the cement take days to harden?": a recorded time
        return _annotate(kg, u, chosen, _unsettled(kg, u, chosen, timed), passed)
    result = _unsettled(kg, u, chosen, result)
    if not u.polar:
        result = _focus(kg, u, chosen, result)
    qualifier = _soft_qualifier(kg, u, chosen) if result.verdict in ("yes", "no") else None
    if qualifier is not None:  # "is *general* anaesthesia used?": not the concept checked
        word, label = qualifier
        result = replace(result, verdict=None, explanation=(
            f"I did not understand {word!r}, which qualifies {label!r}, so there is no yes or "
            f"no. What the graph records:\n{result.explanation}"))
    return _annotate(kg, u, chosen, result, passed)


def _free_words(u: Understanding, r: Reading) -> list[str]:
    """The question's words outside every concept's name and every matched way of asking."""
    inside = {i for s in u.spans for i in range(s.start, s.end)}
    matched = {w for m in r.matched for w in tokens(m)}
    return [t for i, t in enumerate(u.tokens) if i not in inside and t not in matched]


def _unsettled(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer) -> Answer:
    """No verdict where what the question claims is more than the recorded fact says:

    - a negation outside the names ("is fluoroscopy *never* used?"): the recorded edge says
      that it is used, which answers the opposite of what is asked (lex:WordClass negation);
    - "only", "main", "most common" (lex:WordClass exclusive): an edge says that it is one,
      not that it is the only or the main one — a Yes is withheld, a No stands;
    - a role the question names that the concept confirmed is not of ("is pain relief a
      *complication*?" confirmed as an outcome): a Yes is withheld;
    - "still need" of a benefit ("will I still need painkillers?" confirmed as reduced
      analgesic use): a Yes is withheld.
    """
    if result.verdict not in ("yes", "no"):
        return result
    lexicon = index_for(kg).lexicon
    free = _free_words(u, r)
    why = None
    permission = set(r.matched) & lexicon.queries[r.query].permission
    # "can I still have it if it doesn't hurt?": the negation describes the patient
    negation = [] if permission else [w for w in free if lexicon.has("negation", (w,))] + [
        " ".join(p) for p in lexicon.phrases.get("negation", ()) if _within(free, p)]
    if negation:
        why = (f"the question asks with {_names(negation)}, and the graph records only what "
               "holds, not its negation in these words")
    elif result.verdict == "yes":
        classes = ("exclusive", "superlative") if r.query in lexicon.quantified else (
            "exclusive",)
        exclusive = [w for c in classes for w in free if lexicon.has(c, (w,))] or [
            " ".join(p) for c in classes for p in lexicon.phrases.get(c, ())
            if _within(free, p)]
        often = lexicon.quantifiers_in(u.tokens) if r.query in lexicon.quantified else []
        if exclusive:
            why = (f"the question asks {_names(exclusive)}; an edge says that it is one, not "
                   "that it is the only or the main one")
        elif often:  # "is infection a *common* complication?": a kind, not how often
            why = (f"the question asks {_names(often)}; an edge says that it can be so, not "
                   "how often")
        elif r.query in ("benefits", "outcomes") and lexicon.has("stillNeed", u.tokens):
            # "will I still need painkillers?": a benefit (less of them) does not say
            why = ("the question asks whether something is still needed, and the graph "
                   "records a benefit, not that")
        else:
            role = _role_not_confirmed(kg, u, r, result)
            if role is not None:
                why = (f"the question asks whether it is {_a(role)} {role}, and the graph "
                       f"records it as something else")
    if why is None:
        return result
    head, _, rest = result.explanation.partition("\n")
    head = head.split(":", 1)[1].strip() if head.startswith(("Yes:", "No:")) else head
    return replace(result, verdict=None, explanation=(
        f"There is no yes or no: {why}. What the graph records: {head}\n{rest}").rstrip())


def _focus(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer) -> Answer:
    """A list whose question names one group of its items ("which *coag labs* before
    PVP?"): the items of that group are named first, in a line of their own."""
    ix = index_for(kg)
    bound = set(r.bindings.values())
    for span in u.spans:
        group = span.iris[0]
        if span.score < 80 or group in bound or group in ix.generic:
            continue
        members = [i for i in result.items
                   if i.concept.iri == group or ix.is_a(i.concept.iri, (group,))]
        if not members or len(members) == len(result.items):
            continue
        names = ", ".join(dict.fromkeys(i.label for i in members))
        head, _, rest = result.explanation.partition("\n")
        return replace(result, explanation=(
            f"{head}\nOf these, {kg.terms.label(group)}: {names}.\n{rest}").rstrip(),
            concepts=tuple(dict.fromkeys((*(i.concept for i in members), *result.concepts))))
    return result


def _role_not_confirmed(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer
                        ) -> str | None:
    """The label of a broad class the question names ("complication") that none of the
    confirmed concepts is of, when the reading's own role is another one; else None."""
    ix = index_for(kg)
    procedures = set(ix.lexicon.slot_classes.get("procedure", ()))
    bound = set(r.bindings.values())
    named = [i for s in u.spans if s.score >= 90 for i in s.iris[:1]
             if i in ix.generic and i not in procedures and i not in bound]
    confirmed = [i.concept.iri for i in result.items] or [r.check] if r.check else []
    for g in named:
        if confirmed and not any(c == g or ix.is_a(c, (g,)) for c in confirmed):
            return kg.terms.label(g)
    return None


def _everything_about_the_procedure(kg: KnowledgeGraph, u: Understanding, best: Reading
                                    ) -> bool:
    """A value question read, with no way of asking matched, as "findings about" the
    procedure itself, with words left that the reading does not explain ("how soon after
    vertebroplasty can I have sex again?"): every finding of the graph is no answer."""
    if best.query != "findings_about" or not best.by_default or not best.unexplained:
        return False
    bound = [v for k, v in best.bindings.items() if k != "finding"]
    return bool(bound) and "finding" not in best.bindings and all(
        index_for(kg).is_a(v, (str(PVP.VertebralAugmentation),)) for v in bound)


def _rival_guess(u: Understanding, best: Reading) -> tuple[str, str] | None:
    """When the best reading's concepts come only from guessed links (a lone word of a longer
    name) and a reading of the same query binds another guessed concept about as well: the
    two concepts; else None."""
    weak = {i for s in u.spans if s.score < 80 for i in s.iris}
    strong = {i for s in u.spans if s.score >= 80 for i in s.iris}
    mine = [v for k, v in best.bindings.items() if k != "finding" and v not in strong]
    if len(mine) != 1 or len(best.bindings) != 1 or mine[0] not in weak \
            or best.check is not None:
        return None
    for r in u.readings[1:]:
        if r.query != best.query or best.score - r.score >= 0.5:
            continue
        other = [v for k, v in r.bindings.items() if k != "finding" and v not in strong]
        if len(other) == 1 and len(r.bindings) == 1 and other[0] in weak \
                and other[0] != mine[0]:
            return mine[0], other[0]
    return None


#: Named queries a question naming a study is not answered with its findings in place of.
_NOT_STUDY = frozenset(("recommendations", "is_contraindication", "contraindications", "steps",
                        "aftercare", "activity_restrictions"))

#: How far below the best reading another one may score and still be tried when the best
#: finds nothing recorded.
TRY_WITHIN = 1.5


def _empty(result: Answer) -> bool:
    return not (result.items or result.findings or result.concepts or result.verdict)


def _bound_from_question(u: Understanding, r: Reading) -> int:
    span_iris = {i for s in u.spans for i in s.iris}
    return sum(1 for k, v in r.bindings.items() if k == "finding" or v in span_iris) + (
        r.check is not None)


def _first_answered(kg: KnowledgeGraph, u: Understanding, linked: tuple[Concept, ...]
                    ) -> tuple[Reading, Answer | None, list[tuple[Reading, str]]]:
    """Run the best reading; when the graph records nothing for it, try the next close
    readings (a different concept in the slot, or another query) and keep the first that
    finds something. Returns the reading taken, its answer, and the readings passed over
    with why."""
    best = u.best
    assert best is not None
    passed: list[tuple[Reading, str]] = []
    first: tuple[Reading, Answer] | None = None
    undecided: tuple[Reading, Answer] | None = None
    asked = _bound_from_question(u, best)
    span_iris = {i for s in u.spans for i in s.iris}
    named = {v for v in best.bindings.values() if v in span_iris}
    named_all = {s.iri for s in u.spans if s.score >= 80}
    for r in u.readings[:5]:
        if r.score < best.score - TRY_WITHIN and not (
                first is not None and _empty(first[1]) and named
                and named <= set(r.bindings.values())):
            # further down, only the same concepts asked another way ("does X work?" with
            # no outcome recorded on X: what the studies found about X)
            break
        if _bound_from_question(u, r) < asked:
            continue  # never fall back to a default in place of a concept the question named
        if r is not best and u.form not in ("list", "definition", "yesno") \
                and u.form in index_for(kg).lexicon.queries[best.query].forms \
                and u.form not in index_for(kg).lexicon.queries[r.query].forms:
            continue  # a cause question is not answered by a list of complications
        try:
            result = _run(kg, u, r, linked)
        except PVPKGError as exc:
            passed.append((r, str(exc)))
            continue
        if first is None:
            first = (r, result)
        if r.query == "is_contraindication" and result.verdict is None \
                and not _empty(result) and r.bindings.get("concept") in named_all:
            # "osteoporosis but no fracture yet - could they do it to prevent fractures?": of
            # the conditions named, the one the graph records either way settles it
            if undecided is None:
                undecided = (r, result)
            continue
        if undecided is not None and r.check != undecided[0].check:
            continue  # another concept checked: not the same question
        if not _empty(result) and u.form == "yesno" and r.check is not None \
                and result.verdict is None:
            # "does it <verb> X?" read by default: a close reading whose answer holds X
            # (X an outcome rather than a benefit) settles it; else this answer stands
            if undecided is None or (_holds(kg, r.check, result.items) is not None
                                     and _holds(kg, r.check, undecided[1].items) is None
                                     and not _other_named_procedure(u, undecided[0], r)):
                undecided = (r, result)
            continue
        if not _empty(result):
            return r, result, [p for p in passed if p[0] is not r]
        passed.append((r, "the graph records nothing for it"))
    if undecided is not None:
        return undecided[0], undecided[1], [p for p in passed if p[0] is not undecided[0]]
    for r, why in list(passed):
        if why != "the graph records nothing for it":
            continue
        # nothing recorded for any close reading: on the kinds of a general procedure asked
        # about ("complications of vertebral augmentation": those of vertebroplasty)
        result = _run(kg, u, r, linked, on_kinds=True)
        if not _empty(result):
            return r, result, [p for p in passed if p[0] is not r]
    if first is None:
        return best, None, passed
    return first[0], first[1], [p for p in passed if p[0] is not first[0]]


def _other_named_procedure(u: Understanding, first: Reading, r: Reading) -> bool:
    """Whether ``r`` asks of another procedure than the one ``first`` took from the question
    ("does plain vertebroplasty use a balloon?" is not answered from kyphoplasty's list)."""
    span_iris = {i for s in u.spans for i in s.iris}
    asked = first.bindings.get("procedure")
    return asked is not None and asked in span_iris and r.bindings.get("procedure") != asked


_HEAD_LINK = frozenset(("of", "for", "with"))

#: How clearly the best reading must stand (score) before an unknown word is taken as filler.
FILLER_SCORE = 2.5


def _claim_words(kg: KnowledgeGraph, u: Understanding) -> set[str]:
    """The question's words of the lexicon's claim classes ("kill", "replace", "rather"): an
    unknown one among them is what :mod:`pvp_kg.claims` reads, not a word to decline on."""
    lexicon = index_for(kg).lexicon
    return {t for t in u.tokens if any(lexicon.has(c, (t,)) for c in ("replace", "cure"))}


def _unknown_is_filler(u: Understanding) -> bool:
    """Whether the question's unknown words can be passed over as filler.

    They can when the other words clearly select a reading: a matched way of asking, a concept
    of the question bound to the query's slot, a score well above the threshold, and few
    unknown words. They cannot in a yes/no question (the unknown word is then usually what is
    asked about, and a verdict would be a guess), nor when nothing of the question fills the
    query's slot (the unknown word is then likely the subject: "complications of knee
    replacement").
    """
    best = u.best
    if best is None or u.form == "yesno" or not best.matched:
        return False
    # a guessed link (a lone head word) is no evidence that the question is about the graph
    span_iris = {i for s in u.spans if s.score >= 80 for i in s.iris}
    explicit = [v for k, v in best.bindings.items() if k == "finding" or v in span_iris]
    if not explicit:
        return False
    words = {*u.unknown, *u.soft}
    n = len(words)
    toks = u.tokens
    where = [i for i, t in enumerate(toks) if t in words]
    for i in where:
        # "the dose of …", "price for …", "vitamin d", "hepatitis b": an unknown head noun
        # or an unknown phrase
        if i + 1 < len(toks) and (toks[i + 1] in _HEAD_LINK or i + 1 in where
                                  or len(toks[i + 1]) == 1):
            return False
        # "survival rate", "dental cement": an unknown word that modifies a word the
        # reading rests on changes what is asked
        if i + 1 in best.cue_tokens or any(s.start == i + 1 for s in u.spans):
            return False
    return best.score >= FILLER_SCORE + (n - 1) * 1.0 and n <= 2


#: How clearly the best reading must stand before unknown words of the domain are passed over.
SOFT_SCORE = 2.0


def _soft_is_filler(u: Understanding) -> bool:
    """Whether unknown words that belong to the domain's vocabulary (``lex:domainWords``:
    "organism", "mechanism", "lumbar") can be passed over.

    A question made only of known words and such words is in scope: it is answered when a
    reading matched a way of asking, the question names a concept of the graph (bound, checked
    or not) and the reading stands clearly above the threshold; few such words are allowed.
    Whether a passed-over word qualifies the concept a verdict rests on is checked after
    (:func:`_soft_qualifier`).
    """
    best = u.best
    if best is None or not best.matched:
        return False
    span_iris = {i for s in u.spans for i in s.iris}
    explicit = [v for k, v in best.bindings.items() if k == "finding" or v in span_iris]
    named = [s for s in u.spans if s.score >= 80]  # the question names a concept of the graph
    if not explicit and best.check is None and not named:
        return False
    n = len(set(u.soft))
    return n <= 3 and best.score >= SOFT_SCORE + 0.5 * (n - 1)


def _own_word(kg: KnowledgeGraph, span: Span, word: str) -> bool:
    """Whether ``word`` is a word of a name of a concept ``span`` may name ("vertebral" of
    "vertebral height restoration")."""
    root = stem(word)  # "restore" of "height restoration": the same word, derived
    return any(word == w or root == stem(w)
               for iri in span.iris for n in _names_of(kg, iri) for w in tokens(n))


def _soft_qualifier(kg: KnowledgeGraph, u: Understanding, r: Reading
                    ) -> tuple[str, str] | None:
    """A passed-over word standing right before a concept the verdict rests on ("*general*
    anaesthetic", "*lumbar* level"): (the word, the span's text), or None."""
    used = [s for s in u.spans if s is r.check_span or set(s.iris) & set(r.bindings.values())]
    # a word the reading left unexplained qualifies the concept just as much ("does an
    # *asymptomatic* cement embolism need …" is not asked of every cement embolism)
    passed = {*u.soft, *r.unexplained}
    for s in used:
        word = u.tokens[s.start - 1] if s.start > 0 else ""
        if word in u.soft or (word in passed and not _own_word(kg, s, word)):
            return word, s.text
    return None


def _names(words: list[str]) -> str:
    return ", ".join(repr(w) for w in dict.fromkeys(words))


def _decline(kg: KnowledgeGraph, u: Understanding, linked: tuple[Concept, ...],
             why: str) -> Answer:
    named = (f" I recognised {', '.join(repr(c.label) for c in linked)}." if linked else "")
    return Answer(question=u.question, intent=None, linked=linked,
                  explanation=(f"Not covered by the PVP knowledge graph. {why}{named} I give "
                               "no answer rather than a guess. Try "
                               "rephrasing with the graph's terms (`pvp-kg search …`)."))


def _run(kg: KnowledgeGraph, u: Understanding, r: Reading,
         linked: tuple[Concept, ...], on_kinds: bool = False) -> Answer:
    query = kg.queries[r.query]
    if r.query not in _NOT_STUDY:  # "what did VAPOUR show?": the trial's findings
        studied = _studies.study_answer(kg, u, linked, r.query)
        if studied is not None:
            return studied
    bound = {k: v for k, v in r.bindings.items() if k != "finding"}
    if r.query == "findings_about" and "finding" in r.bindings:
        if "concept" in r.bindings:
            named = set(r.bindings["finding"].split(","))
            about = [f.iri for f in kg.findings(about=r.bindings["concept"]) if f.iri in named]
            if about:  # "hospital stay in VAPOUR": the trial's findings about the concept
                return _findings(kg, u, replace(r, bindings={**r.bindings,
                                                             "finding": ",".join(about)}),
                                 linked)
        else:
            return _findings(kg, u, r, linked)
    render = _ask.RENDERERS.get(r.query, _ask._run_describe)
    result = render(kg, u.question, query, bound, linked)
    # (whether a condition is a contraindication is only ever asked one way: at once)
    if (on_kinds or r.query == "is_contraindication" or (u.polar and r.check is not None)) \
            and _empty(result) \
            and bound.get("procedure") and r.query != "recommendations":
        on_kind = _on_a_kind(kg, u, query, bound, linked, render)
        if on_kind is not None:
            note = on_kind.explanation.partition("\n")[0]
            settled = _settled(kg, u, r, on_kind)
            # the note stays at the head however the verdict was worded
            return settled if settled.explanation.startswith(note) else replace(
                settled, explanation=f"{note}\n{settled.explanation}")
    if r.query == "recommendations":
        return _recommended(kg, u, result) if u.polar else result
    return _settled(kg, u, r, result)


def _settled(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer) -> Answer:
    """A reading's answer with its yes/no verdict settled as its query settles one."""
    settle = _SETTLE.get(r.query)
    if settle is not None:  # comparison and order: a verdict only from a recorded fact
        return settle(kg, u, r, result) if u.polar else result
    if u.form == "yesno" and r.check is not None and r.query != "is_contraindication":
        return _permission(kg, u, r, _yes_no(kg, u, r, result))
    if u.form == "yesno" and index_for(kg).lexicon.queries[r.query].check:
        return _unchecked(kg, u, r, result)
    if r.query == "is_contraindication":
        return _permission(kg, u, r, _contra(kg, u, r, result))
    return result


def _on_a_kind(kg: KnowledgeGraph, u: Understanding, query: NamedQuery, bound: dict[str, str],
               linked: tuple[Concept, ...], render: _ask.Renderer) -> Answer | None:
    """"Complications of vertebral augmentation": nothing is recorded on the general procedure
    itself, so the answer for its kinds, percutaneous vertebroplasty first (the graph's own
    procedure), saying so; None when no kind has one either."""
    proc = bound["procedure"]
    kinds = sorted({e.subject for e in kg.edges.into(proc, str(RDFS.subClassOf))},
                   key=lambda k: (k != str(PVP.PercutaneousVertebroplasty), kg.terms.label(k)))
    for kind in kinds:
        result = render(kg, u.question, query, {**bound, "procedure": kind}, linked)
        if not _empty(result):
            note = (f"Nothing is recorded on {kg.terms.label(proc)} itself; this is what the "
                    f"graph records for its kind {kg.terms.label(kind)}.")
            return replace(result, explanation=f"{note}\n{result.explanation}")
    return None


_SETTLE = {"compare_procedures": settle_comparison, "compare_concepts": settle_comparison,
           "step_order": settle_order}


def _permission(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer) -> Answer:
    """"Can I have it if I have X?" asks the opposite of "is X a contraindication?" — but
    "does X mean she is *not* allowed to have it?" asks the same."""
    lexicon = index_for(kg).lexicon
    asked = set(r.matched) & lexicon.queries[r.query].permission
    if not asked or result.verdict not in ("yes", "no"):
        return result
    start = min(r.cue_tokens, default=0)
    if lexicon.has("negation", u.tokens[max(0, start - 2):start]):
        return result
    if result.verdict == "yes":
        verdict, head = "no", ("No — the graph argues against it: ")
    else:
        verdict, head = "yes", ("Yes, as far as the graph records: ")
    text = result.explanation
    first, _, rest = text.partition("\n")
    first = first.split(":", 1)[1].strip() if first.startswith(("Yes", "No")) else first
    return replace(result, verdict=verdict, explanation=f"{head}{first}\n{rest}".rstrip())


def _unchecked(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer) -> Answer:
    """A yes/no question whose concept could not be put in the query's slot: no verdict."""
    ix = index_for(kg)
    slot = ix.lexicon.queries[r.query].check or "concept"
    others = [s for s in u.spans if not any(ix.is_a(i, ix.lexicon.slot_classes["procedure"])
                                            for i in s.iris[:1]) or s.iri not in
              r.bindings.values()]
    named = [kg.terms.label(s.iri) for s in others if s.iri not in r.bindings.values()]
    why = (f"The graph knows {_names(named)}, but not as a {slot} here"
           if named else f"I found no {slot} in the question to check")
    text = (f"{why}, so there is no yes or no. What the graph records:\n{result.explanation}")
    return replace(result, verdict=None, explanation=text)


def _stray(kg: KnowledgeGraph, u: Understanding, r: Reading) -> list[str]:
    """Concepts of the question the reading leaves unused (then a verdict would be a guess:
    "is a larger cement volume associated with better pain relief?" is not "is pain relief
    a benefit?")."""
    ix = index_for(kg)
    generic = {c for classes in ix.lexicon.slot_classes.values() for c in classes}
    used = {r.check, *r.bindings.values()}
    own = set(tokens(kg.terms.label(r.check))) if r.check else set()
    # a guessed link (a lone head word, a typo) is not evidence of another concept, nor is a
    # concept the checked one's name already speaks of ("the cement" in "cement embolism")
    out = [s.iri for s in u.spans if s.iri not in used and not set(s.iris) & used
           and s.iri not in generic and s.score >= 80
           and (tokens(kg.terms.label(s.iri)) or [""])[-1] not in own]
    if "finding" in r.bindings or any(
            t in ix.finding_words and not any(s.start <= i < s.end for s in u.spans)
            for i, t in enumerate(u.tokens)):
        out.append("finding")
    return out


def _names_of(kg: KnowledgeGraph, iri: str) -> list[str]:
    concept = kg.terms.concept(iri)
    return [concept.label, *concept.synonyms, *concept.abbreviations]


def _chain_to(kg: KnowledgeGraph, start: str, goal: str) -> Item | None:
    """``goal`` among what ``start`` is related to (its kinds and what it can lead to), with
    the path; or None."""
    from . import query as _q

    try:
        related = _q.related_complications(kg, start)
    except PVPKGError:
        return None
    return next((i for i in related if i.concept.iri == goal), None)


def _holds(kg: KnowledgeGraph, target: str, items: tuple[Item, ...]) -> Item | None:
    ix = index_for(kg)
    for item in items:
        iri = item.concept.iri
        if iri == target or ix.is_a(target, (iri,)) or ix.is_a(iri, (target,)):
            return item
    return None


def _yes_no(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer) -> Answer:
    target = r.check
    assert target is not None
    if r.matched and _holds(kg, target, result.items) is None:
        # "osteoporosis, but nothing broken yet - could they do it to prevent fractures?": of
        # the concepts of the checked kind the question names clearly, the one the answer
        # holds is what is asked about
        classes = index_for(kg).lexicon.slot_classes.get(
            index_for(kg).lexicon.queries[r.query].check or "", ())
        held = next((s for s in u.spans if s.score >= 90 and s.iri != target
                     and s.iri not in r.bindings.values()
                     and index_for(kg).is_a(s.iri, classes)
                     and _holds(kg, s.iri, result.items) is not None), None)
        if held is not None:
            r = replace(r, check=held.iri, check_span=held)
            target = held.iri
    label = kg.terms.label(target)
    subject = r.bindings.get("concept") or r.bindings.get("procedure") or _ask._procedure(
        kg, kg.queries[r.query], r.bindings)
    proc = kg.terms.label(subject) if subject else "the procedure"
    role = _ROLE.get(r.query, "recorded for")
    hit = _holds(kg, target, result.items) if r.matched else None
    said = _quantifiers(kg, u, r)
    if said:  # "usually", "most": an edge says it can be, not how often it is
        return _how_often(kg, target, hit, result, said, f"{label} as {role} {proc}")
    loose_links = [s for s in u.spans if s.score < 80 and s is not r.check_span
                   and not set(s.iris) & set(r.bindings.values())]
    templated = any("{" in m for m in r.matched)
    loose = r.check_span is not None and r.check_span.score < 80
    # a word of the checked concept's own names adds nothing ("can the cement leak out of
    # the bone?": bone cement leakage)
    # nor does a word of a kind it falls under ("active discitis": discitis is an active
    # infection); the graph's broad classes (condition, complication …) are not kinds here
    ix = index_for(kg)
    kinds = [a for a in ix.ancestors.get(target, ()) if a not in ix.generic
             and a.startswith(str(PVP)) and kg.terms.label(a)]
    own_words = {w for iri in (target, *kinds) for name in _names_of(kg, iri)
                 for w in tokens(name)}
    # "reduce" of "reduced analgesic use": the same word, inflected
    unexplained = [w for w in r.unexplained if w not in own_words
                   and not any(_inflected(w, o) for o in own_words)]
    # a loose guess at the checked concept itself, or at words of its own kinds, is no doubt
    guessed = [s.text for s in loose_links if target not in s.iris
               and not set(tokens(s.text)) <= own_words]
    # a phrase matched but no typed template: a word of the domain left over ("in one
    # session") is no reason to doubt; a foreign word, a guessed link is
    foreign = [w for w in unexplained if w not in index_for(kg).lexicon.domain]
    if hit is None and r.by_default and loose and unexplained:
        # no way of asking matched, the concept checked is only a guess and words are left
        # unexplained ("is cementoplasty just another word for …"): nothing was understood,
        # so nothing is answered (the next reading is tried, or the question declined)
        return replace(result, verdict=None, items=(), concepts=(), findings=(),
                       explanation=f"I only guessed at {label!r} and did not understand "
                                   f"{_names(unexplained)}.")
    if hit is not None and ((r.by_default and (unexplained or guessed or loose)) or (
            not templated and (foreign or guessed or loose))):
        # no typed way of asking placed the concept, and some words are not understood (or
        # only guessed at): what the question asks about the concept is unknown ("do all
        # patients with X get symptoms?", "does X usually cause symptoms?")
        doubt = _names([*unexplained, *guessed])
        text = (f"The graph records {label} as {role} {proc}, but I did not understand what "
                "the question asks about it" + (f" ({doubt})" if doubt else
                                                f" (I only guessed at {label!r})")
                + "; so there is no yes or no.")
        return replace(result, verdict=None, explanation=text,
                       concepts=tuple(dict.fromkeys((kg.terms.concept(target), hit.concept))),
                       items=(hit,))
    if hit is not None:
        ix = index_for(kg)
        explained = {n for e in (*hit.via, *hit.details) for n in (e.subject, e.object)}
        stray = [x for x in _stray(kg, u, r) if x not in explained
                 and not ix.is_a(target, (x,)) and not ix.is_a(hit.concept.iri, (x,))
                 and not ix.is_a(x, (_DEVICE,))]
        # what the checked complication can lead to is part of the question ("can the cement
        # leak out and end up in my lungs?"): the chain is shown with the verdict
        chained = [c for c in (_chain_to(kg, target, x) for x in stray if x != "finding") if c]
        if chained and len(chained) == len(stray):
            lines = [f"Yes: the graph records {label} as {role} {proc}, and what it can lead "
                     "to:"]
            lines.extend(_ask._item_line(hit))
            for item in chained:
                lines.extend(_ask._item_line(item))
            return replace(result, verdict="yes", explanation="\n".join(lines),
                           concepts=tuple(dict.fromkeys((kg.terms.concept(target), hit.concept,
                                                         *(i.concept for i in chained)))),
                           items=(hit, *chained))
        if stray:
            others = ", ".join(repr(kg.terms.label(x)) for x in stray if x != "finding")
            text = (f"The graph records {label} as {role} {proc}, but nothing on what the "
                    f"question adds{' about ' + others if others else ''}; so there is no yes "
                    "or no.")
            return replace(result, verdict=None, explanation=text,
                           concepts=tuple(dict.fromkeys((kg.terms.concept(target),
                                                         hit.concept))), items=(hit,))
    concept = kg.terms.concept(target)
    if hit is not None and r.query == "contraindications" and hit.kind in ("absolute",
                                                                         "relative"):
        asked = _asked_strength(kg, u)
        kind = hit.kind
        if asked is not None and asked != kind:  # "an *absolute* one?": recorded as relative
            lines = [f"No: the graph records {label} as {_a(kind)} {kind} contraindication"
                     f" to {proc}, not {_a(asked)} {asked} one."]
            lines.extend(_ask._item_line(hit))
            return replace(result, verdict="no", explanation="\n".join(lines),
                           concepts=tuple(dict.fromkeys((concept, hit.concept))), items=(hit,))
        role = f"{_a(kind)} {kind} contraindication to"
    if hit is not None:
        how = ("" if hit.concept.iri == target else
               f" ({label} falls under {hit.label})" if index_for(kg).is_a(target, (
                   hit.concept.iri,)) else f" ({hit.label} is a kind of {label})")
        lines = [f"Yes: the graph records {label} as {role} {proc}{how}."]
        lines.extend(_ask._item_line(hit))
        return replace(result, verdict="yes", explanation="\n".join(lines),
                       concepts=tuple(dict.fromkeys((concept, hit.concept))), items=(hit,))
    opp = index_for(kg).lexicon.queries[r.query].opposite
    # a typed way of asking placed the concept, or the question names it clearly
    # — never a reading taken by default: no way of asking chose this role over its
    # opposite ("can vertebroplasty be used in myeloma?" read as contraindications by default
    # must not be answered "No" because myeloma is an indication)
    explicit = not r.by_default and (any("{" in m for m in r.matched) or (
        r.matched and r.check_span is not None and r.check_span.score >= 90
        and r.check_span.end - r.check_span.start > 1))
    if opp and opp in kg.queries and explicit:
        other = _ask.RENDERERS.get(opp, _ask._run_simple)(kg, u.question, kg.queries[opp], {}, ())
        hit = _holds(kg, target, other.items)
        if hit is not None:
            lines = [f"No: the graph records {label} as {_ROLE.get(opp, opp)} {proc}, "
                     f"not as {role} it."]
            lines.extend(_ask._item_line(hit))
            return replace(other, verdict="no", explanation="\n".join(lines),
                           concepts=(concept, hit.concept), items=(hit,), question=u.question)
    # only of a subject the question names: a default one may not be what it asks about
    named_subject = subject is not None and any(subject in sp.iris for sp in u.spans)
    denied = recorded_not(kg, subject, target) if subject and named_subject else []
    if denied:  # a negative fact recorded with its source: "No", never from an absence
        fact = denied[0]
        lines = [f"No: the graph records as not holding: {kg.terms.label(subject)} "
                 f"—{kg.terms.label(fact.predicate)}→ {label}{_ask._cited(fact.evidence)}."]
        lines.extend(f"    · {note}" for note in dict.fromkeys(
            e.note for e in fact.evidence if e.note))
        sources = tuple(dict.fromkeys(e.source for e in fact.evidence))
        return replace(result, verdict="no", explanation="\n".join(lines),
                       concepts=(concept, kg.terms.concept(subject)), items=(),
                       sources=sources)
    listed = ", ".join(i.label for i in result.items[:8])
    text = (f"The graph does not record {label} as {role} {proc}; it neither confirms nor "
            f"rules it out, so there is no yes or no."
            + (f" It records: {listed}{' …' if len(result.items) > 8 else ''}." if listed else ""))
    return replace(result, verdict=None, explanation=text, concepts=(concept,))


def _course_claim(lexicon: Lexicon, toks: list[str]) -> str | None:
    """What a yes/no question claims of most or all cases: ``symptoms``, ``no symptoms``,
    ``treatment`` or ``no treatment``; None when it is unclear or claims both. The words of
    silence, need and negation are the lexicon's (lex:WordClass)."""
    claims = set()
    for i, t in enumerate(toks):
        before = toks[max(0, i - 3):i]
        if lexicon.has("silent", (t,)):
            claims.add("no symptoms")
        elif t in ("symptom", "symptomatic"):
            claims.add("no symptoms" if lexicon.has("negation", before) else "symptoms")
        elif lexicon.has("harm", (t,)):  # "most leaks don't actually cause any harm"
            claims.add("no symptoms" if lexicon.has("negation", toks[max(0, i - 5):i])
                       else "symptoms")
        elif t.startswith("treat") or t in ("management", "managed"):
            window = toks[max(0, i - 4):i]
            if lexicon.has("need", window) or "be" in window:
                claims.add("no treatment" if lexicon.has("negation", window) else "treatment")
    return claims.pop() if len(claims) == 1 else None


def _usual_course(kg: KnowledgeGraph, u: Understanding, linked: tuple[Concept, ...]
                  ) -> Answer | None:
    """A yes/no question about most or all cases of a concept whose usual course the graph
    records (``pvp:hasUsualCourse``): Yes or No from it, with the edge; None otherwise."""
    toks = u.tokens
    lexicon = index_for(kg).lexicon
    said = lexicon.without_idioms(toks)  # "all the way" asks nothing of all cases
    majority, every = lexicon.has("majority", said), lexicon.has("every", said)
    claim = _course_claim(lexicon, toks)
    if claim is None or majority == every:
        return None
    wanted = {"symptoms": "UsuallyAsymptomatic", "no symptoms": "UsuallyAsymptomatic",
              "treatment": "UsuallyNoTreatmentNeeded",
              "no treatment": "UsuallyNoTreatmentNeeded"}[claim]
    course = str(PVP[wanted])
    usual = str(PVP.hasUsualCourse)
    named = [s for s in u.spans if s.score >= 80]
    edges = list({(e.subject, e.object): e for s in named for iri in s.iris[:2]
                  for e in kg.edges.out(iri, usual) if e.object == course}.values())
    if len(edges) != 1:
        return None  # no concept of the question (or several) with that recorded course
    edge = edges[0]
    positive = claim in ("no symptoms", "no treatment")
    if every and positive:
        return None  # "are *all* leaks silent?": most are, which does not settle all
    verdict = "yes" if positive else "no"
    what = kg.terms.label(edge.subject)
    most = ("most cases of {0} cause no symptoms" if wanted == "UsuallyAsymptomatic"
            else "most cases of {0} need no treatment").format(what)
    head = (f"Yes: {most} (the usual course the graph records for it)." if positive else
            f"No: {most} (the usual course the graph records for it), so "
            + ("not every case " if every else "it is not true that most ")
            + {("UsuallyAsymptomatic", True): "causes symptoms.",
               ("UsuallyAsymptomatic", False): "cause symptoms.",
               ("UsuallyNoTreatmentNeeded", True): "needs treatment.",
               ("UsuallyNoTreatmentNeeded", False): "need treatment."}[(wanted, every)])
    lines = [head, f"    because: {format_path((edge,))}"]
    lines += [f"    · {e.note}" for e in edge.evidence if e.note][:1]
    findings = _ask.ranked_findings(kg, kg.findings(about=edge.subject))[:3]
    if findings:
        lines.append("What the graph's numbers say:")
        lines.extend(f"- {_ask._finding_line(f).strip(' ·')}" for f in findings)
    sources = {e.source.iri: e.source for e in edge.evidence}
    for f in findings:
        for e in f.evidence:
            sources.setdefault(e.source.iri, e.source)
    return Answer(question=u.question, intent="complications_related_to", linked=linked,
                  verdict=verdict, explanation="\n".join(lines) + (
                      f"\n(Read as a question about most or all cases of {what}; "
                      "answered from its recorded usual course.)"),
                  concepts=tuple(dict.fromkeys((kg.terms.concept(edge.subject),
                                                kg.terms.concept(course),
                                                *_ask._finding_concepts(kg, findings)))),
                  findings=tuple(findings), sources=tuple(sources.values()),
                  confidence=0.8, matched=("(usual course)",))


def _always_part(kg: KnowledgeGraph, u: Understanding, linked: tuple[Concept, ...]
                 ) -> Answer | None:
    """"Is X always part of P?", "do you always need X for P?": Yes when the graph records X
    as a part every P has, No when only as a part P may have (the edge's quantifier); None
    when the question asks of no such part, or not of every case."""
    ix = index_for(kg)
    lexicon = ix.lexicon
    if not lexicon.has("every", lexicon.without_idioms(u.tokens)):
        return None
    procedures = ix.lexicon.slot_classes.get("procedure", ())
    named = [s.iris[0] for s in u.spans if s.score >= 90]
    subjects = [i for i in named if ix.is_a(i, procedures)
                and any(e.predicate == str(HAS_PART) for e in kg.edges.out(i))]
    if len(subjects) > 1:
        return None
    subject = subjects[0] if subjects else str(PVP.PercutaneousVertebroplasty)
    parts = {e.object: e for e in kg.edges.out(subject, str(HAS_PART))}
    asked = [parts[i] for i in dict.fromkeys(named) if i in parts and i != subject]
    if len(asked) != 1:
        return None
    edge = asked[0]
    part, proc = kg.terms.label(edge.object), kg.terms.label(subject)
    if edge.quantifier == "all":
        head = f"Yes: the graph records {part} as a part of every {proc}."
        verdict = "yes"
    else:
        head = (f"No: the graph records {part} as a part {proc} may have, not one every "
                f"{proc} has.")
        verdict = "no"
    lines = [head, f"    because: {format_path((edge,))}"]
    lines += [f"    · {e.note}" for e in edge.evidence if e.note][:1]
    sources = tuple(dict.fromkeys(e.source for e in edge.evidence))
    return Answer(question=u.question, intent="steps", linked=linked, verdict=verdict,
                  explanation="\n".join(lines) + f"\n(Read as a question about every case of "
                                                  f"{proc}; answered from the part's recorded "
                                                  "quantifier.)",
                  concepts=(kg.terms.concept(edge.object), kg.terms.concept(subject)),
                  sources=sources, confidence=0.8, matched=("(every case)",))


def _quantifiers(kg: KnowledgeGraph, u: Understanding, r: Reading) -> list[str]:
    """The words of the question that ask how often or for how many (lexicon.ttl), when the
    reading's edges only say what can be."""
    lexicon = index_for(kg).lexicon
    if r.query not in lexicon.quantified:
        return []
    return lexicon.quantifiers_in(u.tokens)


def _how_often(kg: KnowledgeGraph, target: str, hit: Item | None, result: Answer,
               said: list[str], recorded: str) -> Answer:
    """No verdict for a yes/no question about how often; the numbers the graph has instead."""
    findings = _ask.ranked_findings(kg, kg.findings(about=target))[:3]
    head = (f"The graph records {recorded}" if hit is not None else
            f"The graph does not record {recorded}")
    lines = [f"{head}, but an edge says that it can be so, not how often: the question asks "
             f"{_names(said)}, so there is no yes or no."]
    if findings:
        lines.append("What the graph's numbers say:")
        lines.extend(f"- {_ask._finding_line(f).strip(' ·')}" for f in findings)
    concepts = (kg.terms.concept(target), *((hit.concept,) if hit is not None else ()),
                *_ask._finding_concepts(kg, findings))
    return replace(result, verdict=None, explanation="\n".join(lines),
                   concepts=tuple(dict.fromkeys(concepts)),
                   items=(hit,) if hit is not None else (), findings=tuple(findings),
                   sources=_ask._sources([hit] if hit is not None else [], findings))


def _unknown_body(u: Understanding) -> str | None:
    """In a guideline question, the unknown word named as the issuer ("recommended by the
    FDA", "guidance from WHO"), or None."""
    if u.best is None or u.best.query != "recommendations":
        return None
    toks = u.tokens
    for i, tok in enumerate(toks):
        if tok in u.unknown:
            before = toks[max(0, i - 2):i]
            if before[-1:] in (["by"], ["from"]) or before in (["by", "the"], ["from", "the"]):
                return tok
    return None


def _unplaced_population(kg: KnowledgeGraph, u: Understanding) -> list[str]:
    """Words after "for" ("… recommended for hemangioma?") that no concept of the question
    covers: the patients asked about, which the verdict could not take into account."""
    toks = u.tokens
    if "for" not in toks:
        return []
    covered = {i for s in u.spans for i in range(s.start, s.end)}
    filler = index_for(kg).lexicon.filler | {"patient", "people", "the", "a", "an", "my", "with"}
    start = toks.index("for") + 1
    return [t for i, t in enumerate(toks[start:], start) if i not in covered
            and t not in filler and len(t) > 2]


_YES = (str(RECOMMEND_FOR), str(RECOMMEND_FOR_SELECTED))
_NO = (str(RECOMMEND_AGAINST),)


def _recommended(kg: KnowledgeGraph, u: Understanding, result: Answer) -> Answer:
    """"Is it recommended by X?": Yes or No only from X's own recorded recommendations.

    Yes when every recommendation of the bodies asked about is for the procedure (for
    everyone or for selected patients), No when every one is against it; no verdict when they
    differ, when none is recorded, or when no body was named (guidelines differ).
    """
    recs = result.recommendations
    if not _ask._issuing_bodies(kg, result.linked) or not recs:
        return replace(result, verdict=None)
    if u.unknown or u.soft:  # an unknown word may be the population asked about: no verdict
        return replace(result, verdict=None, explanation=f"The graph has no term for "
                       f"{_names([*u.unknown, *u.soft])}, so there is no yes or no."
                       f"\n{result.explanation}")
    asked = _ask._asked_conditions(kg, result.linked)
    loose = _unplaced_population(kg, u)
    if loose and not asked:
        return replace(result, verdict=None, explanation=f"I could not place {_names(loose)} "
                       "as the patients the question is about, so there is no yes or no."
                       f"\n{result.explanation}")
    if asked and not all(_ask._covers(kg, rec, asked) for rec in recs):
        return replace(result, verdict=None, explanation="There is no yes or no: none of these "
                       "recommendations is recorded as applying to "
                       f"{' or '.join(c.label for c in asked)}.\n{result.explanation}")
    directions = {rec.direction_iri for rec in recs}
    who = " and ".join(dict.fromkeys(rec.body for rec in recs))
    latest = max(recs, key=lambda r: r.year or 0)
    # "is NICE *against* it?" asks the opposite of "does NICE recommend it?"
    against = index_for(kg).lexicon.has("against", u.tokens)
    if against and (directions <= set(_YES) or directions <= set(_NO)):
        all_for = directions <= set(_YES)
        head = (f"{'No' if all_for else 'Yes'}: the graph records {len(recs)} "
                f"recommendation(s) of {who}, all {'in favour' if all_for else 'against'}; "
                f"the most recent, {latest.body} {latest.year}, is '{latest.direction}'.")
        return replace(result, verdict="no" if all_for else "yes",
                       explanation=f"{head}\n{result.explanation}")
    if directions <= set(_YES):
        selected = any(d == str(RECOMMEND_FOR_SELECTED) for d in directions)
        how = " for selected patients only" if selected else ""
        head = (f"Yes{',' + how if how else ''}: the graph records {len(recs)} recommendation(s) "
                f"of {who}, all in favour; the most recent, {latest.body} {latest.year}, is "
                f"'{latest.direction}'.")
        verdict: str | None = "yes"
    elif directions <= set(_NO):
        head = (f"No: the graph records {len(recs)} recommendation(s) of {who}, all against; "
                f"the most recent is {latest.body} {latest.year}.")
        verdict = "no"
    else:
        head = (f"The recommendations of {who} recorded in the graph do not all point the same "
                "way, so there is no single yes or no; the most recent, "
                f"{latest.body} {latest.year}, is '{latest.direction}'.")
        verdict = None
    return replace(result, verdict=verdict, explanation=f"{head}\n{result.explanation}")


def _contra(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer) -> Answer:
    target = r.bindings["concept"]
    label = kg.terms.label(target)
    concept = kg.terms.concept(target)
    if result.items:
        asked = _asked_strength(kg, u)
        kinds = {i.kind for i in result.items}
        if asked is not None and asked not in kinds and kinds <= {"absolute", "relative"}:
            # "is radicular pain an *absolute* contraindication?": recorded as a relative one
            first = result.items[0]
            lines = [f"No: the graph records {label} as {_a(first.kind or '')} "
                     f"{first.kind} contraindication"
                     + ("" if first.concept.iri == target else f" (as a kind of {first.label})")
                     + f", not {_a(asked)} {asked} one."]
            for item in result.items:
                lines.extend(_ask._item_line(item))
            return replace(result, verdict="no", explanation="\n".join(lines),
                           concepts=tuple(dict.fromkeys((concept, *result.concepts))))
        items = tuple(i for i in result.items if asked is None or i.kind == asked) \
            or result.items
        first = items[0]
        grammar = _a(first.kind or "")
        text = result.explanation.replace(f"an {result.items[0].kind} ",
                                          f"{_a(result.items[0].kind or '')} "
                                          f"{result.items[0].kind} ")
        if first is not result.items[0]:  # the kind asked for is the one confirmed
            text = (f"Yes: {label} is {grammar} {first.kind} contraindication"
                    + ("" if first.concept.iri == target else f" (as a kind of {first.label})")
                    + ".\n" + text.partition("\n")[2])
        return replace(result, verdict="yes", explanation=text,
                       concepts=tuple(dict.fromkeys((concept, *result.concepts))))
    other = kg.indications()
    # a "No" from the opposite role rests on the concept the question names, never on a
    # guess from one word of a longer name ("heart *disease*" is not a tumour)
    guessed = not any(target in sp.iris for sp in u.spans if sp.score >= 80)
    hit = _holds(kg, target, tuple(other)) if any("{" in m for m in r.matched) \
        and not guessed else None
    if hit is not None:
        lines = [f"No: the graph records {label} as an indication for percutaneous "
                 f"vertebroplasty, not as a contraindication."]
        lines.extend(_ask._item_line(hit))
        return replace(result, verdict="no", explanation="\n".join(lines),
                       concepts=(concept, hit.concept), items=(hit,))
    caused = _indication_caused_by(kg, target, tuple(other)) if any(
        "{" in m for m in r.matched) and not guessed else None
    if caused is not None:  # "is osteoporosis a contraindication?": it causes the indication
        edge, hit = caused
        kind = ("" if hit.concept.iri == edge.object else
                f" (a kind of {kg.terms.label(edge.object)}, which {label} can cause)")
        lines = [f"No: {label} is what leads to an indication — the graph records "
                 f"{hit.label}{kind} as an indication for percutaneous vertebroplasty, and does "
                 f"not record {label} as a contraindication.",
                 f"    because: {format_path((edge,))}"]
        lines.extend(_ask._item_line(hit))
        return replace(result, verdict="no", explanation="\n".join(lines),
                       concepts=tuple(dict.fromkeys((concept, kg.terms.concept(edge.object),
                                                     hit.concept))), items=(hit,))
    return replace(result, verdict=None, concepts=(concept,),
                   explanation=f"The graph does not record {label} as a contraindication, "
                               "nor as a kind of one; it neither confirms nor rules it out, "
                               "so there is no yes or no.")


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _asked_strength(kg: KnowledgeGraph, u: Understanding) -> str | None:
    """"absolute" or "relative" when the question asks for that kind of contraindication
    (the lexicon's word classes), else None (both, or neither)."""
    lexicon = index_for(kg).lexicon
    asked = [k for k in ("absolute", "relative") if lexicon.has(k, u.tokens)]
    return asked[0] if len(asked) == 1 else None


def _indication_caused_by(kg: KnowledgeGraph, target: str, indications: tuple[Item, ...]
                          ) -> tuple[Edge, Item] | None:
    """The recorded edge by which ``target`` causes an indication ("osteoporosis —causally
    upstream of→ osteoporotic compression fracture"), and that indication, or None."""
    for edge in kg.edges.out(target, str(CAUSALLY_UPSTREAM_OF)):
        hit = _holds(kg, edge.object, indications)
        if hit is not None:
            return edge, hit
    return None


def _findings(kg: KnowledgeGraph, u: Understanding, r: Reading,
              linked: tuple[Concept, ...]) -> Answer:
    iris = r.bindings["finding"].split(",")
    found = [kg.terms.finding(iri) for iri in iris]
    lines = [f"Findings ({len(found)}):"]
    lines.extend(f"- {_ask._finding_line(f).strip(' ·')}" for f in found)
    concepts = tuple(dict.fromkeys(_ask._finding_concepts(kg, found)))
    return Answer(question=u.question, intent="findings_about", concepts=concepts,
                  explanation="\n".join(lines), sources=_ask._sources([], found),
                  sparql=kg.queries["findings_about"].text, query="findings_about",
                  findings=tuple(found), linked=linked)


def _reading_text(kg: KnowledgeGraph, r: Reading) -> str:
    bound = ", ".join(kg.terms.label(v) for k, v in r.bindings.items() if k != "finding")
    return f"'{kg.queries[r.query].title}'" + (f" ({bound})" if bound else "")


def _annotate(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer,
              passed: list[tuple[Reading, str]] | None = None) -> Answer:
    title = kg.queries[r.query].title
    bound = ", ".join(f"{k} = {kg.terms.label(v)}" for k, v in r.bindings.items()
                      if k != "finding")
    how = f"Read as '{title}'"
    if r.matched:
        how += f" (matched: {'; '.join(repr(m) for m in r.matched[:3])})"
    if bound:
        how += f"; {bound}"
    alt = u.runner_up if r is u.best else None
    alternatives: tuple[str, ...] = ()
    note = ""
    if passed:
        note += "".join(f"\nI first read it as {_reading_text(kg, p)}, but {why}."
                        for p, why in passed[:2])
    if alt is not None:
        alternatives = (alt.query,)
        note += f"\nAnother close reading: '{kg.queries[alt.query].title}' — ask for it by name."
    elif r is not u.best and u.best is not None:
        alternatives = (u.best.query,)
    explanation = f"{result.explanation}\n({how}; confidence {u.confidence:.2f}.){note}"
    return replace(result, explanation=explanation, confidence=u.confidence,
                   matched=tuple(r.matched), alternatives=alternatives)


def path_line(item: Item) -> str:
    return format_path(item.via) if item.via else item.label

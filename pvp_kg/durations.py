"""Yes/no questions that state how long something takes, settled by a recorded time.

"Does the cement take days to harden?" states a time; the graph records the hardening time
as a finding (10–15 min, in a unit of time). The stated time is read with the lexicon's
units, phrases and bounds (``ontology/lexicon.ttl``, "Durations"), compared with the
recorded range, and the answer is "Yes" or "No" with that finding and its source — a number
the graph records either way, never an absence. When no recorded time is about what the
question names, or the findings disagree, there is no verdict here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from . import answer as _ask
from .model import Answer, Finding
from .nlu import Lexicon, Understanding, index_for, tokens

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

_WORDS = re.compile(r"\d+(?:\.\d+)?|[a-z]+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?$")
_RANGE_JOINS = frozenset(("to", "or", "and"))
#: How far a stated time may differ from a recorded one and still be "about" it.
SLACK = 0.25


@dataclass(frozen=True)
class Stated:
    """A time a question states, in minutes: ``low``–``high`` (``high`` None: open), and
    whether it bounds the recorded time from above (``at_most``) or below (``at_least``)."""

    low: float
    high: float | None
    text: str
    at_most: bool = False
    at_least: bool = False


def stated_time(lexicon: Lexicon, question: str) -> Stated | None:
    """The one time ``question`` states, or None (none, or more than one)."""
    words = _WORDS.findall(question.lower().replace("–", " to ").replace("-", " to "))
    found: list[tuple[int, int, float, float | None]] = []  # start, end, low, high (minutes)
    taken: set[int] = set()
    for phrase, minutes in lexicon.duration_phrases:
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i:i + n]) == phrase and not taken & set(range(i, i + n)):
                found.append((i, i + n, minutes, minutes))
                taken.update(range(i, i + n))
    for i, word in enumerate(words):
        unit = lexicon.duration_words.get(word)
        if unit is None or i in taken:
            continue
        j = i - 1
        if j >= 0 and _NUMBER.match(words[j]):
            high: float | None = float(words[j]) * unit
            low = float(words[j]) * unit
            if j >= 2 and words[j - 1] in _RANGE_JOINS and _NUMBER.match(words[j - 2]):
                low, j = float(words[j - 2]) * unit, j - 2  # "10 to 15 minutes"
            found.append((j, i + 1, low, high))
        elif j >= 0 and words[j] in ("a", "an", "one"):
            found.append((j, i + 1, unit, unit))
        elif word.endswith("s") and word.rstrip("s") in lexicon.duration_words:
            found.append((i, i + 1, 2 * unit, None))  # "days": more than one day
    if len(found) != 1:
        return None
    start, end, low, stated_high = found[0]
    before = words[max(0, start - 3):start]
    return Stated(low, stated_high, " ".join(words[start:end]),
                  at_most=lexicon.has("atMost", before),
                  at_least=lexicon.has("atLeast", before))


def asks_duration(lexicon: Lexicon, question: str) -> bool:
    """Whether ``question`` asks how long something takes: a phrase of the lexicon's word
    class "askDuration" ("how long", "how soon") or a unit of time ("how many minutes")."""
    words = _WORDS.findall(question.lower())
    return lexicon.has("askDuration", words) or any(w in lexicon.duration_words for w in words)


def timed_first(kg: KnowledgeGraph, findings: list[Finding], question: str = ""
                ) -> list[Finding]:
    """``findings`` with those recorded in a unit of time first, those in a unit the
    question names ("how many minutes") before the others (each group in its order)."""
    units = index_for(kg).lexicon.unit_minutes
    asked = {unit for unit in units if unit in tokens(question)}
    timed = sorted((f for f in findings if (f.unit or "") in units),
                   key=lambda f: f.unit not in asked)
    return timed + [f for f in findings if (f.unit or "") not in units]


def _recorded(kg: KnowledgeGraph, f: Finding) -> tuple[float, float] | None:
    minutes = index_for(kg).lexicon.unit_minutes.get(f.unit or "")
    if minutes is None:
        return None
    if f.min_value is None and f.max_value is None:
        if f.value is None:
            return None
        return f.value * minutes, f.value * minutes
    low = 0.0 if f.min_value is None else f.min_value * minutes
    high = float("inf") if f.max_value is None else f.max_value * minutes
    return low, high


def _verdict(stated: Stated, low: float, high: float) -> str | None:
    if stated.at_most:
        bound = stated.high if stated.high is not None else stated.low
        return "yes" if high <= bound * (1 + SLACK / 5) else "no" if low > bound else None
    if stated.at_least:
        return "yes" if low >= stated.low * (1 - SLACK / 5) else "no" if high < stated.low else None
    s_low = stated.low * (1 - SLACK)
    s_high = None if stated.high is None else stated.high * (1 + SLACK)
    overlaps = high >= s_low and (s_high is None or low <= s_high)
    return "yes" if overlaps else "no"


def settle_duration(kg: KnowledgeGraph, u: Understanding, result: Answer) -> Answer | None:
    """A Yes or No for a yes/no question that states a time, from the recorded times among
    the reading's findings (all agreeing); else None."""
    if not u.polar or result.verdict is not None:
        return None
    lexicon = index_for(kg).lexicon
    stated = stated_time(lexicon, u.question)
    if stated is None:
        return None
    # the reading's own findings: a time recorded about something else is not asked for
    timed = [(f, r) for f in result.findings if (r := _recorded(kg, f)) is not None
             and f.comparator_value is None]
    verdicts = {_verdict(stated, *r) for _, r in timed}
    if len(timed) == 0 or len(verdicts) != 1 or None in verdicts:
        return None
    verdict = verdicts.pop()
    assert verdict is not None
    findings = [f for f, _ in timed]
    head = ("Yes" if verdict == "yes" else "No") + (
        f": the graph records {findings[0].label} as {findings[0].quantity()}"
        if len(findings) == 1 else ": the graph records these times") + (
        f", and the question states {stated.text!r}.")
    lines = [head, *(f"- {_ask._finding_line(f).strip(' ·')}" for f in findings)]
    return replace(result, verdict=verdict,
                   explanation="\n".join(lines) + "\n" + result.explanation,
                   findings=tuple(dict.fromkeys((*findings, *result.findings))),
                   concepts=tuple(dict.fromkeys((*result.concepts,
                                                 *_ask._finding_concepts(kg, findings)))),
                   sources=tuple(dict.fromkeys((*result.sources,
                                                *(e.source for f in findings
                                                  for e in f.evidence)))))

"""Order questions: what comes first, what happens before or after a step.

The order is the graph's ``precedes`` (``obo:BFO_0000063``) edges — the restrictions that
order a procedure's own steps and the asserted order facts about care outside it
(conservative care first, biopsy before the cement, CT and monitoring after). A concept that
is not itself ordered stands for the steps that use it: the cement for the step that injects
it, the needle for the step that places it. A procedure stands for its own steps.

Answers keep to one procedure (vertebroplasty unless another is named): the steps of another
procedure (balloon inflation, for kyphoplasty) are left out, care outside any procedure stays.
Named queries: ``steps_after``, ``steps_before``, ``step_order``; typed calls
:func:`steps_after`, :func:`steps_before`, :func:`which_first`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from typing import TYPE_CHECKING

from .answer import _label, _make, _procedure, renders
from .errors import PVPKGError
from .explain import format_path
from .model import Answer, Concept, Edge, Item
from .sparql import NamedQuery
from .vocab import HAS_PART, OBO, PVP

if TYPE_CHECKING:
    from .graph import KnowledgeGraph
    from .nlu import Reading, Understanding

__all__ = ["steps_after", "steps_before", "which_first"]

_PRECEDES = str(OBO.BFO_0000063)
_HAS_PART = str(HAS_PART)
#: How a step uses a concept that stands for it: has input, uses device, guided by.
_USES = (str(OBO.RO_0002233), str(PVP.usesDevice), str(PVP.guidedBy))
_DEFAULT = str(PVP.PercutaneousVertebroplasty)


class _Order:
    """The precedes edges of the graph, restricted to one procedure's steps and outside care."""

    def __init__(self, kg: KnowledgeGraph, procedure: str) -> None:
        self.kg = kg
        self.procedure = procedure
        parts_of: dict[str, set[str]] = {}
        for e in kg.edges:
            if e.predicate == _HAS_PART and not _inverse(e):
                parts_of.setdefault(e.subject, set()).add(e.object)
        self.parts = parts_of.get(procedure, set())
        foreign = set().union(*parts_of.values()) - self.parts if parts_of else set()
        self.succ: dict[str, list[Edge]] = {}
        self.pred: dict[str, list[Edge]] = {}
        for e in kg.edges:
            if e.predicate != _PRECEDES or _inverse(e):
                continue
            if e.subject in foreign or e.object in foreign:
                continue
            self.succ.setdefault(e.subject, []).append(e)
            self.pred.setdefault(e.object, []).append(e)
        self.nodes = set(self.succ) | set(self.pred)

    def reach(self, start: str, forward: bool) -> set[str]:
        step = self.succ if forward else self.pred
        seen: set[str] = set()
        todo = [start]
        while todo:
            for e in step.get(todo.pop(), ()):
                nxt = e.object if forward else e.subject
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    def position(self, node: str) -> int:
        """How many ordered nodes come before ``node``."""
        return len(self.reach(node, forward=False))

    def path(self, start: str, end: str) -> tuple[Edge, ...]:
        """The shortest chain of precedes edges from ``start`` to ``end``, or ()."""
        back: dict[str, Edge] = {}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node == end:
                chain: list[Edge] = []
                while node != start:
                    edge = back[node]
                    chain.append(edge)
                    node = edge.subject
                return tuple(reversed(chain))
            for e in self.succ.get(node, ()):
                if e.object not in back and e.object != start:
                    back[e.object] = e
                    queue.append(e.object)
        return ()

    def anchors(self, iri: str) -> list[str]:
        """The ordered nodes ``iri`` stands for, earliest first (itself when ordered; the
        procedure's steps that use it otherwise)."""
        if iri in self.nodes:
            return [iri]
        users = {e.subject for e in self.kg.edges.into(iri) if e.predicate in _USES
                 and e.subject in self.nodes}
        if not users:  # a kind of something ordered ("PMMA" for the cement)
            for e in self.kg.edges.out(iri):
                if e.predicate == str(OBO.RO_0002233) or e.predicate.endswith("subClassOf"):
                    users |= {u.subject for u in self.kg.edges.into(e.object)
                              if u.predicate in _USES and u.subject in self.nodes}
        return sorted(users, key=lambda n: (self.position(n), n))

    def item(self, node: str, via: tuple[Edge, ...] = ()) -> Item:
        return Item(self.kg.terms.concept(node), via=via, kind=str(self.position(node) + 1))


def _inverse(edge: Edge) -> bool:
    return (edge.derived_by or "").startswith("inverse")


def _procedure_of(kg: KnowledgeGraph, procedure: str | None) -> str:
    return kg.index.iri(procedure) if procedure else _DEFAULT


def _around(kg: KnowledgeGraph, step: str, procedure: str | None, forward: bool
            ) -> tuple[_Order, list[str], list[Item]]:
    order = _Order(kg, _procedure_of(kg, procedure))
    iri = kg.index.iri(step)
    if iri != order.procedure and iri not in order.nodes and not order.anchors(iri) \
            and kg.edges.is_a(order.procedure, iri):
        iri = order.procedure  # a broader procedure ("vertebral augmentation") stands for it
    if iri == order.procedure:
        # the procedure stands for its own steps: what comes before or after all of them
        starts = [iri] if iri in order.nodes else []
        inner = order.parts | {iri}
        found = set(order.reach(iri, forward)) if iri in order.nodes else set()
        ahead: set[str] = set()
        behind: set[str] = set()
        for part in order.parts & order.nodes:
            ahead |= order.reach(part, forward)
            behind |= order.reach(part, not forward)
        found |= ahead - behind  # the biopsy, between two steps, is neither before nor after
        found -= inner
        anchors = starts or sorted(order.parts & order.nodes)
    else:
        anchors = order.anchors(iri)
        if not anchors:
            raise PVPKGError(f"the graph records no order for {kg.terms.label(iri)!r}")
        anchor = anchors[0] if forward else anchors[-1]
        found = order.reach(anchor, forward) - set(anchors)
        anchors = [anchor]
    items = []
    for node in sorted(found, key=lambda n: (order.position(n), n)):
        if forward:
            via = next((order.path(a, node) for a in anchors if order.path(a, node)), ())
        else:
            via = next((order.path(node, a) for a in anchors if order.path(node, a)), ())
        items.append(order.item(node, via))
    return order, anchors, items


def _owner(kg: KnowledgeGraph, iris: tuple[str, ...]) -> str | None:
    """The one procedure that has every one of ``iris`` as a part (the phases of
    anticoagulation for an embolus), when it is not the default one; else None."""
    owners = None
    for iri in iris:
        has = {e.subject for e in kg.edges.into(iri, _HAS_PART) if not _inverse(e)}
        owners = has if owners is None else owners & has
    owners = (owners or set()) - {_DEFAULT}
    return next(iter(owners)) if len(owners) == 1 else None


def steps_after(kg: KnowledgeGraph, step: str, procedure: str | None = None) -> list[Item]:
    """What the graph records as coming after ``step`` (a step, or a material, device or
    procedure standing for its steps), in order; ``kind`` is the position among all ordered
    steps (1-based), ``via`` the chain of 'precedes' edges from the step.

    :raises ConceptNotFoundError: an unknown term
    :raises PVPKGError: the graph records no order for the concept
    """
    return _around(kg, step, procedure, forward=True)[2]


def steps_before(kg: KnowledgeGraph, step: str, procedure: str | None = None) -> list[Item]:
    """What the graph records as coming before ``step``, in order (see :func:`steps_after`)."""
    return _around(kg, step, procedure, forward=False)[2]


def which_first(kg: KnowledgeGraph, one: str, other: str, procedure: str | None = None
                ) -> Item | None:
    """The one of ``one`` and ``other`` recorded as coming first, with the chain of
    'precedes' edges to the other as ``via``; None when the graph records no order between
    them.

    :raises ConceptNotFoundError: an unknown term
    :raises PVPKGError: the graph records no order for one of them
    """
    a, b = kg.index.iri(one), kg.index.iri(other)
    order = _Order(kg, _procedure_of(kg, procedure or _owner(kg, (a, b))))
    ends = []
    for iri in (a, b):
        anchors = order.anchors(iri)
        if not anchors:
            raise PVPKGError(f"the graph records no order for {kg.terms.label(iri)!r}")
        ends.append(anchors)
    found: list[Item] = []
    for x in ends[0]:
        for y in ends[1]:
            forward = order.path(x, y)
            if forward:
                found.append(Item(kg.terms.concept(a), via=forward, kind="first"))
            backward = order.path(y, x)
            if backward:
                found.append(Item(kg.terms.concept(b), via=backward, kind="first"))
    if len({i.concept.iri for i in found}) != 1:
        return None  # no order recorded, or one that depends on the step meant (the needle)
    return found[0]


# -- renderers -----------------------------------------------------------------------------------

def _bound_procedure(kg: KnowledgeGraph, query: NamedQuery, bound: dict[str, str]) -> str:
    return bound.get("procedure") or _procedure(kg, query, bound)


@renders("steps_after", "steps_before")
def _run_around(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
                linked: tuple[Concept, ...]) -> Answer:
    forward = query.name == "steps_after"
    step = bound["step"]
    proc = _bound_procedure(kg, query, bound)
    _, anchors, items = _around(kg, step, proc, forward)
    word = "after" if forward else "before"
    stands = ("" if anchors == [step] or not anchors else
              f" (the graph orders it as {', '.join(kg.terms.label(a) for a in anchors)})")
    header = f"What comes {word} {_label(kg, step)}{stands}, in order:"
    body = []
    nearest = [i.label for i in items if len(i.via) == 1]
    if nearest:
        body.append(f"Right {word} it: {', '.join(nearest)}.")
    for item in items:
        body.append(f"{item.kind}. {item.label}")
        if item.via:
            body.append(f"    because: {format_path(item.via)}")
    result = _make(kg, question, query, bound, items, [], linked, header, body,
                   empty=f"The graph records nothing {word} {_label(kg, step)!r} in "
                         f"{_label(kg, proc)}.")
    return result


@renders("step_order")
def _run_order(kg: KnowledgeGraph, question: str, query: NamedQuery, bound: dict[str, str],
               linked: tuple[Concept, ...]) -> Answer:
    one, other = bound["step"], bound["other_step"]
    first = which_first(kg, one, other, bound.get("procedure"))
    if first is None:
        return Answer(question=question, intent=query.name, linked=linked, sparql=query.text,
                      query=query.name,
                      explanation=f"The graph records no order between {_label(kg, one)} and "
                                  f"{_label(kg, other)}.")
    later = other if first.concept.iri == one else one
    header = f"{first.label} comes first, then {_label(kg, later)}."
    body = [f"because: {format_path(first.via)}"]
    result = _make(kg, question, query, bound, [first], [], linked, header, body)
    return replace(result, concepts=(first.concept,))


def settle_order(kg: KnowledgeGraph, u: Understanding, r: Reading, result: Answer) -> Answer:
    """"Is A done before B?": Yes or No from the recorded order; no verdict when the graph
    records none. "after" in the matched way of asking turns the question round."""
    if not result.items or "step" not in r.bindings:
        return replace(result, verdict=None)
    asked_after = any(" after " in f" {m} " for m in r.matched) and not any(
        " before " in f" {m} " or " first " in f" {m} " for m in r.matched)
    first = result.items[0].concept.iri
    one = r.bindings["step"]
    # the step the question names first is the one asked to come before ("is a balloon
    # blown up … before the cement goes in?"), whichever slot the template gave it
    where = {s.iri: s.start for s in sorted(u.spans, key=lambda s: -s.start)}
    other = r.bindings.get("other_step")
    if other is not None and one in where and other in where and where[other] < where[one]:
        one = other
    yes = (first == one) != asked_after
    head = "Yes" if yes else "No"
    return replace(result, verdict="yes" if yes else "no",
                   explanation=f"{head}: {result.explanation}")

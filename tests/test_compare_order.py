"""Comparison and order questions (issue 10): what is compared, what comes first, what
happens before or after a step, and yes/no only from a recorded fact."""

from __future__ import annotations

import pytest

import pvp_kg
from pvp_kg.errors import PVPKGError

from .helpers import curies

P = "https://w3id.org/pvp-kg/"


def labels(answer: pvp_kg.Answer) -> list[str]:
    return [c.label for c in answer.concepts]


# -- order: typed API ------------------------------------------------------------------------

def test_steps_after_a_step_are_in_order_and_keep_to_the_procedure(kg):
    after = kg.steps(after="cement injection")
    names = [i.label for i in after]
    assert names[:2] == ["cement hardening", "needle removal"]
    # care outside the procedure follows, from the Order facts
    assert {"post-procedure monitoring", "post-procedure CT of the spine and chest"} <= set(names)
    assert "patient positioning" not in names
    positions = [int(i.kind or 0) for i in after]
    assert positions == sorted(positions)
    # each item carries the 'precedes' chain from the step, with sources
    assert all(i.via and i.via[0].subject == P + "CementInjectionStep" for i in after)
    assert all(e.evidence for i in after for e in i.via)


def test_steps_before_leave_out_another_procedures_steps(kg):
    before = {i.label for i in kg.steps(before="cement injection")}
    assert {"needle insertion", "local anaesthesia", "patient positioning"} <= before
    assert "balloon inflation" not in before  # a kyphoplasty step
    bkp = {i.label for i in kg.steps("balloon kyphoplasty", before="cement injection")}
    assert "balloon inflation" in bkp


def test_a_material_stands_for_the_step_that_uses_it(kg):
    assert [i.label for i in kg.steps(after="bone cement")][:1] == ["cement hardening"]


def test_steps_between_two_steps(kg):
    between = [i.label for i in kg.steps(after="skin incision", before="cement injection")]
    assert between[0] == "needle insertion"
    assert "cement hardening" not in between and "skin incision" not in between


def test_what_comes_before_the_procedure_is_conservative_care(kg):
    before = kg.steps(before="percutaneous vertebroplasty")
    assert [i.concept.curie for i in before] == ["pvp:ConservativeTherapy"]
    assert {e.source.curie for e in before[0].via[0].evidence} >= {"src:NiceIpg12"}
    after = {i.concept.curie for i in kg.steps(after="percutaneous vertebroplasty")}
    # rest follows the observation of the first hours (seed), and the recovery-unit protocol
    # follows needle removal (facts4): both come after the procedure too
    assert after == {"pvp:PostProcedureMonitoring", "pvp:PostProcedureComputedTomography",
                     "pvp:RecoveryObservationProtocol", "pvp:RestAfterProcedure"}


def test_which_first(kg):
    first = kg.which_first("skin incision", "local anaesthesia")
    assert first is not None and first.concept.curie == "pvp:LocalAnaesthesiaStep"
    assert [e.object for e in first.via][-1] == P + "SkinIncisionStep"
    biopsy = kg.which_first("bone cement", "bone biopsy before cementing")
    assert biopsy is not None and biopsy.concept.curie == "pvp:PreProcedureBoneBiopsy"


def test_no_order_for_an_unordered_concept(kg):
    with pytest.raises(PVPKGError, match="no order"):
        kg.steps(after="osteoporosis")


# -- order: ask -------------------------------------------------------------------------------

def test_what_comes_first_names_the_first_with_the_order_as_reason(kg):
    a = kg.ask("Which comes first, the skin incision or the local anaesthesia?")
    assert a.query == "step_order" and a.verdict is None
    assert labels(a) == ["local anaesthesia"]
    assert a.explanation.startswith("local anaesthesia comes first, then skin incision")
    assert "precedes" in a.explanation


def test_what_happens_after_answers_the_steps_after_only(kg):
    a = kg.ask("What happens after the cement goes in?")
    assert a.query == "steps_after"
    assert labels(a)[:2] == ["cement hardening", "needle removal"]
    assert "needle insertion" not in labels(a) and "patient positioning" not in labels(a)
    assert "Right after it: cement hardening." in a.explanation


def test_what_happens_just_before_names_the_step_right_before(kg):
    a = kg.ask("What happens just before they inject the cement?")
    assert a.query == "steps_before"
    assert "Right before it: needle insertion" in a.explanation
    assert "cement hardening" not in labels(a)


@pytest.mark.parametrize("question, verdict", [
    ("Is the biopsy done before the cement?", "yes"),
    ("Is the biopsy done after the cement?", "no"),
    ("Is the local anaesthesia given before the skin incision?", "yes"),
    ("Does the skin incision come before the local anaesthesia?", "no"),
    ("Is the needle removed before the cement hardens?", "no"),
    ("Does the cement harden before the needle is removed?", "yes"),
])
def test_is_a_done_before_b_is_settled_from_the_recorded_order(kg, question, verdict):
    a = kg.ask(question)
    assert a.query == "step_order"
    assert a.verdict == verdict, a.explanation


def test_a_concept_the_order_cannot_place_gets_no_answer(kg):
    # fluoroscopy guides the needle (before the biopsy) and the injection (after it)
    assert kg.which_first("fluoroscopy", "bone biopsy before cementing") is None
    assert kg.which_first("fluoroscopy", "skin incision") is not None


def test_trying_other_treatments_first(kg):
    a = kg.ask("Do they try other treatments first before doing vertebroplasty?")
    assert a.query == "steps_before"
    assert "pvp:ConservativeTherapy" in curies(a.concepts)
    assert a.verdict is None


def test_post_procedure_ct_is_placed_after_the_needle_comes_out(kg):
    a = kg.ask("Where does post-procedure CT fit in the workflow?")
    assert a.query == "steps_before"
    assert "Right before it: needle removal." in a.explanation


# -- comparison -------------------------------------------------------------------------------

def test_comparison_of_two_procedures_shows_differences_and_findings(kg):
    c = kg.comparison("vertebroplasty", "balloon kyphoplasty")
    assert "pvp:BalloonInflationStep" in {i.concept.curie for i in c.only_other}
    assert "pvp:VertebralAugmentation" in {i.concept.curie for i in c.shared}
    assert "pvp:FindingKaviarLeakage" in {f.curie for f in c.findings}
    leak = next(d for d in c.directions if d.finding.curie == "pvp:FindingKaviarLeakage")
    assert leak.higher == P + "PercutaneousVertebroplasty"
    assert leak.lower == P + "BalloonKyphoplasty" and leak.significant is True


def test_comparison_of_two_approaches(kg):
    a = kg.ask("How does the unipedicular approach differ from the bipedicular approach?")
    assert a.query == "compare_concepts" and not a.declined
    assert {"pvp:UnipedicularApproach", "pvp:BipedicularApproach"} <= curies(a.concepts)
    assert "needle approach" in a.explanation


def test_incompatible_concepts_are_not_compared(kg):
    with pytest.raises(PVPKGError, match="comparable"):
        kg.comparison("cement leakage", "lidocaine")


def test_which_leaks_less_puts_the_leakage_finding_first(kg):
    a = kg.ask("vertebroplasty vs kyphoplasty: which one leaks less cement?")
    assert a.query == "compare_procedures"
    names = curies(a.concepts)
    assert {"pvp:PercutaneousVertebroplasty", "pvp:BalloonKyphoplasty",
            "pvp:FindingKaviarLeakage"} <= names
    direction = a.explanation.split("Which is higher", 1)[1].splitlines()[1]
    assert "cement extravasation" in direction and "higher with percutaneous" in direction


@pytest.mark.parametrize("question, verdict", [
    ("Is kyphoplasty less leaky than vertebroplasty?", "yes"),
    ("Is kyphoplasty more leaky than vertebroplasty?", "no"),
    ("Does vertebroplasty cause more cement leakage than kyphoplasty?", "yes"),
])
def test_yes_no_comparison_only_from_a_recorded_direction(kg, question, verdict):
    a = kg.ask(question)
    assert a.verdict == verdict, a.explanation
    assert "P = 0.047" in a.explanation


@pytest.mark.parametrize("question", [
    "Is kyphoplasty safer than vertebroplasty?",          # safer: not a recorded measure
    "Does vertebroplasty give more pain relief than kyphoplasty?",  # a benefit: no verdict
])
def test_yes_no_comparison_without_a_recorded_direction_has_no_verdict(kg, question):
    a = kg.ask(question)
    assert a.verdict is None
    assert not a.declined


def test_two_complications_without_a_head_to_head_finding_get_no_verdict(kg):
    a = kg.ask("Is pulmonary cement embolism more common than cardiac cement embolism?")
    assert a.query == "compare_concepts" and a.verdict is None
    assert "no finding records the two side by side" in a.explanation
    assert "alone (other studies; not a head-to-head comparison)" in a.explanation


@pytest.mark.parametrize("question, sides", [
    ("unipedicular vs bipedicular approach?",
     {"pvp:UnipedicularApproach", "pvp:BipedicularApproach"}),
    ("venous or intradiscal cement leakage: how do they differ?",
     {"pvp:VenousCementLeakage", "pvp:IntradiscalCementLeakage"}),
])
def test_a_name_shortened_before_vs_is_read_whole(kg, question, sides):
    a = kg.ask(question)
    assert a.query == "compare_concepts"
    assert sides <= curies(a.concepts[:2])


def test_two_concepts_bearing_on_the_same_one_are_compared_on_it(kg):
    a = kg.ask("High vs low viscosity cement - any difference in leakage?")
    assert a.query == "compare_concepts"
    on = a.explanation.split("On cement leakage:", 1)[1].splitlines()[1:3]
    assert any("has preventive measure" in line and "high-viscosity" in line for line in on)
    assert any("has risk factor" in line and "low-viscosity" in line for line in on)
    assert a.verdict is None


def test_steps_after_and_the_named_query_agree(kg):
    typed = {i.concept.iri for i in kg.steps(after="cement injection")}
    rows = kg.sparql("steps_after", step="pvp:CementInjectionStep")
    assert typed == {str(v) for v in rows.column("item")}  # type: ignore[union-attr]


def test_two_concepts_of_different_kinds_are_answered_with_the_findings_of_both(kg):
    """A level and a leak cannot be set side by side, but a finding speaks of both (canal
    leaks needing surgery, by level): it is shown, not a decline."""
    answer = kg.ask("thoracic vs lumbar canal leaks - outcome")
    assert not answer.declined
    assert "not two of a kind" in answer.explanation
    assert any("3 of 9" in (f.summary or "") for f in answer.findings)
    assert "src:S2" in {s.curie for s in answer.sources}


def test_two_concepts_of_different_kinds_with_no_shared_finding_still_decline(kg):
    answer = kg.ask("bone cement vs lung: differences?")
    assert answer.declined or not answer.findings


@pytest.mark.parametrize(("question", "verdict"), [
    ("Symptomatic PCE: heparin or coumarin first?", None),
    ("for symptomatic PCE is heparin given before coumarin?", "yes"),
])
def test_the_order_of_another_procedures_parts(kg, question, verdict):
    """The phases of anticoagulation for an embolus are ordered within that therapy, not
    within vertebroplasty: the procedure both are parts of is the one whose order is read;
    "heparin or coumarin" is two things, not the name "heparin then coumarin"; an opening
    phrase with no comma ("for symptomatic PCE is …") still makes a yes/no question."""
    answer = kg.ask(question)
    assert not answer.declined
    assert "initial heparin comes first, then about six months of coumarin" in answer.explanation
    assert answer.verdict == verdict


@pytest.mark.parametrize(("question", "verdict"), [
    ("Does balloon kyphoplasty take longer to perform than vertebroplasty?", "yes"),
    ("Does vertebroplasty take longer than kyphoplasty?", "no"),
    ("Is vertebroplasty quicker than kyphoplasty?", "yes"),
])
def test_a_time_compared_is_settled_by_the_recorded_times(kg, question, verdict):
    """The trial recorded a mean procedure time for each arm (31.8 against 40.0 min)."""
    answer = kg.ask(question)
    assert answer.verdict == verdict
    assert "31.8 min" in answer.explanation and "40 min" in answer.explanation


def test_a_time_word_without_recorded_times_gives_no_verdict(kg):
    answer = kg.ask("Does vertebroplasty give longer pain relief than kyphoplasty?")
    assert answer.verdict is None


@pytest.mark.parametrize(("question", "other"), [
    ("How is it different from open surgery?", "open spinal surgery"),
    ("how does it compare with kyphoplasty?", "balloon kyphoplasty"),
])
def test_one_procedure_named_is_set_against_vertebroplasty(kg, question, other):
    answer = kg.ask(question)
    assert answer.explanation.startswith(
        f"How percutaneous vertebroplasty compares with {other}")

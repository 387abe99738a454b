"""Which named query a question is read as (issue 10, "the reading"): the general causes of
misreads fixed on the evaluation splits, each asked here in other words than any eval
question."""

from __future__ import annotations


def test_a_yes_no_question_naming_an_outcome_is_read_as_that_outcome(kg):
    """"Does it <verb> X?" where X is recorded as an outcome (not a benefit, not a
    complication): the reading whose answer holds X settles it."""
    answer = kg.ask("Does kyphoplasty improve quality of life?")
    assert answer.intent == "outcomes"
    assert answer.verdict == "yes"
    assert "improved quality of life" in {c.label for c in answer.concepts}


def test_a_yes_no_question_with_no_complication_named_is_not_read_as_complications(kg):
    """A yes/no question naming only the procedure and an outcome is not answered with the
    list of complications (whose check could only say "not recorded")."""
    answer = kg.ask("Will vertebroplasty let me come off painkillers?")
    # reduced analgesic use is recorded both as a benefit and as an outcome: either reading
    assert answer.intent in {"outcomes", "benefits"} and answer.verdict == "yes"
    assert "reduced analgesic use" in {c.label for c in answer.concepts}


def test_before_or_after_asks_which_comes_first_not_what_follows(kg):
    """"Is A done before or after B?" is read as the order of the two (step_order), not as
    what follows B; it wants one of two answers, so no yes or no."""
    answer = kg.ask("Is the needle removed before or after the cement hardens?")
    assert answer.intent == "step_order"
    assert answer.verdict is None
    assert answer.explanation.startswith("cement hardening comes first, then needle removal")


def test_an_order_question_keeps_to_the_procedure_it_names(kg):
    """A step of kyphoplasty is ordered among kyphoplasty's steps when the question names it
    (vertebroplasty, the default, has no balloon)."""
    answer = kg.ask("With kyphoplasty, do they inflate the balloon before or after the cement?")
    assert answer.intent == "step_order" and not answer.declined
    assert [c.label for c in answer.concepts] == ["balloon inflation"]


def test_a_plain_before_question_still_gets_a_verdict(kg):
    answer = kg.ask("Is the needle removed before the cement hardens?")
    assert answer.intent == "step_order" and answer.verdict == "no"


def test_a_guideline_named_by_its_code_wins_over_its_issuers_others(kg):
    """"NICE CG75" names one document: the answer is that recommendation, not every NICE
    one (nor the newest)."""
    answer = kg.ask("What did NICE CG75 advise on vertebroplasty?")
    assert answer.intent == "recommendations"
    assert [r.label for r in answer.recommendations] == [
        "NICE CG75 (2008) on vertebral augmentation in spinal metastases"]


def test_a_named_guideline_settles_a_yes_no_on_its_eligibility_criteria(kg):
    """A recommendation applies to the patients its eligibility criteria describe; another
    document of the same body does not answer for it."""
    answer = kg.ask("Does NICE TA279 recommend vertebroplasty for a recent unhealed "
                    "vertebral fracture?")
    assert answer.verdict == "yes"
    assert [r.label for r in answer.recommendations] == [
        "NICE TA279 (2013) on vertebroplasty and kyphoplasty for osteoporotic fractures"]
    other = kg.ask("Does NICE TA279 recommend vertebroplasty for spinal metastases?")
    assert other.verdict is None  # CG75 is the NICE document on metastases, not TA279


def test_a_value_question_about_a_complication_reads_its_findings_not_aftercare(kg):
    """"<complication> incidence on post-op imaging after <procedure>?": the time words
    ("post-op", "after") do not turn a value question into an aftercare list."""
    answer = kg.ask("cement leakage incidence on post-op imaging after vertebroplasty?")
    assert answer.intent == "findings_about"
    assert answer.concepts[0].label == "cement leakage"


def test_a_value_question_naming_a_trial_is_answered_with_its_findings(kg):
    """A number question about a named trial reads as that trial's findings even when it
    uses trial words the graph has no term for ("spontaneously", "randomisation")."""
    answer = kg.ask("VERTOS II: what share improved spontaneously before randomisation, in %?")
    assert answer.intent == "findings_about" and not answer.declined
    assert answer.concepts[0].label == "VERTOS II trial"
    assert "53 %" in answer.explanation


def test_a_fake_operation_is_a_sham_so_the_question_asks_whether_it_works(kg):
    """"Better than a pretend operation?" compares with a sham (efficacy), not with surgery."""
    answer = kg.ask("Is vertebroplasty really better than a pretend operation?")
    assert answer.intent == "outcomes"
    assert "surgical decompression" not in {c.label for c in answer.concepts}
    assert "little or no clinically important benefit over sham" in {
        c.label for c in answer.concepts}


def test_then_after_a_comparative_is_read_as_than(kg):
    """"riskier then kyphoplasty" is a comparison (a common slip), not a complications list."""
    answer = kg.ask("Is vertebroplasty riskier then kyphoplasty for cement leakage?")
    assert answer.intent in ("compare_procedures", "compare_concepts")
    labels = {c.label for c in answer.concepts}
    assert {"percutaneous vertebroplasty", "balloon kyphoplasty"} <= labels


def test_what_comes_before_a_broader_procedure_is_what_comes_before_its_kind(kg):
    """"Vertebral augmentation" has no steps of its own: an order question about it is read
    through the procedure of its kinds the graph orders (conservative care first)."""
    answer = kg.ask("Before a vertebral augmentation, what do they try first?")
    assert answer.intent == "steps_before" and not answer.declined
    assert [c.label for c in answer.concepts][:1] == ["conservative therapy"]


def test_a_clause_after_a_dash_can_make_the_question_yes_no(kg):
    """"<topic> — is it …?": the clause after an em dash opens the yes/no question."""
    answer = kg.ask("Venous cement leakage \u2014 is it a complication of vertebroplasty?")
    assert answer.intent == "complications" and answer.verdict == "yes"


def test_what_comes_next_once_it_is_over_is_the_aftercare(kg):
    """"What comes next" after the procedure, at home, asks for the aftercare, not the
    steps of the procedure."""
    answer = kg.ask("once the procedure is over, what comes next for me at home?")
    assert answer.intent == "aftercare"


def test_does_it_work_on_a_procedure_with_no_recorded_outcome_gives_its_findings(kg):
    """No outcome is recorded on vertebral augmentation itself: the studies about it answer
    "does it work?" rather than a decline."""
    answer = kg.ask("is cement augmentation effective for older people?")
    assert answer.intent == "findings_about" and not answer.declined
    assert "Sanli 2020 systematic review of cement augmentation in the elderly" in {
        c.label for c in answer.concepts}


def test_what_must_be_done_before_a_step_lists_what_precedes_it(kg):
    answer = kg.ask("what has to be done before the cementing starts?")
    assert answer.intent == "steps_before"
    assert "bone biopsy before cementing" in {c.label for c in answer.concepts}


def test_a_unit_word_never_fills_a_slot(kg):
    """"What year …", "how many days …": the unit says how a number is given; it is never
    the concept asked about."""
    from pvp_kg.nlu import understand

    u = understand(kg, "What year was the first vertebroplasty reported?")
    assert u.readings
    assert not any(v.startswith("http://qudt.org/vocab/unit/")
                   for r in u.readings for v in r.bindings.values())


def test_a_finding_named_by_its_label_is_answered_with_that_finding(kg):
    answer = kg.ask("first reported vertebroplasty (1987): what year?")
    assert answer.intent == "findings_about"
    assert [f.label for f in answer.findings] == ["first reported vertebroplasty (1987)"]
    assert "1987" in answer.explanation


def test_a_cause_question_on_lay_leg_pain_reads_the_complication_with_causes(kg):
    """The lay words name the condition and the complication; the condition has no recorded
    cause, so the complication's causes answer."""
    answer = kg.ask("since my cement injection I get pain down my leg - what could be "
                    "causing that?")
    assert answer.intent == "causes_of" and not answer.declined
    assert "foraminal cement leakage" in {c.label for c in answer.concepts}


def test_what_a_procedure_is_meant_to_treat_is_its_indications(kg):
    answer = kg.ask("what is vertebroplasty supposed to treat?")
    assert answer.intent == "indications"
    assert "osteoporotic vertebral compression fracture" in {c.label for c in answer.concepts}


def test_a_benefit_asked_with_a_causal_verb_is_still_the_benefit_question(kg):
    """"Does it lead to / result in X?" where X is a recorded outcome: a yes, not the
    consequences of a complication."""
    answer = kg.ask("Does kyphoplasty result in improved quality of life?")
    # reduced analgesic use is recorded both as a benefit and as an outcome: either reading
    assert answer.intent in {"outcomes", "benefits"} and answer.verdict == "yes"


def test_the_topic_named_beats_a_generic_verb_phrase(kg):
    """"What imaging / which approach is used": the named topic chooses the query, not the
    generic "is used" / "used for" of the steps or the indications."""
    assert kg.ask("what imaging is used?").intent == "imaging_guidance"
    assert kg.ask("which approach is used for the needle?").intent == "needle_approaches"
    assert kg.ask("Which scans are used before kyphoplasty to plan it?").intent == \
        "pre_procedure_assessment"


def test_when_can_i_go_home_is_the_aftercare(kg):
    answer = kg.ask("how soon can i go home after the cement procedure?")
    assert answer.intent == "aftercare"
    assert "post-procedure monitoring" in {c.label for c in answer.concepts}


def test_a_terse_question_naming_a_trial_gets_its_findings(kg):
    """"<trial> <topic>" with no way of asking: the trial's findings on the topic."""
    answer = kg.ask("VAPOUR hospital stay")
    assert answer.intent == "findings_about" and not answer.declined
    assert "shorter hospital stay" in {c.label for c in answer.concepts}


def test_what_precedes_a_step(kg):
    answer = kg.ask("what precedes cement injection")
    assert answer.intent == "steps_before"
    assert "needle insertion" in {c.label for c in answer.concepts}


def test_a_guideline_named_by_code_with_a_word_of_selection(kg):
    answer = kg.ask("NICE TA279 eligibility")
    assert answer.intent == "recommendations" and not answer.declined
    assert [r.label for r in answer.recommendations] == [
        "NICE TA279 (2013) on vertebroplasty and kyphoplasty for osteoporotic fractures"]

"""The tryout's failing questions, and the rules of understanding (pvp_kg.nlu / respond).

``kg.ask()`` goes through ``pvp_kg.answer.answer`` → ``pvp_kg.respond.answer``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pvp_kg.answer import answer
from pvp_kg.explain import format_path
from pvp_kg.nlu import understand

ROOT = Path(__file__).resolve().parent.parent
PVP = "https://w3id.org/pvp-kg/"


def labels(a):  # type: ignore[no-untyped-def]
    return {c.label for c in a.concepts}


def test_complications_of_vertebroplasty_lists_them(kg):
    a = answer(kg, "What are the complications of vertebroplasty?")
    assert a.intent == "complications"
    assert {"cement leakage", "pulmonary cement embolism"} <= labels(a)


def test_risks_of_vertebroplasty_are_complications_not_risk_factors(kg):
    a = answer(kg, "What are the risks of vertebroplasty?")
    assert a.intent == "complications"
    assert "cement leakage" in labels(a)


def test_unknown_term_in_a_contraindication_question_is_never_no(kg):
    for q in ("Is anticoagulation a contraindication to PVP?",
              "Is pregnancy a contraindication to PVP?"):
        a = answer(kg, q)
        assert a.verdict is None, q
        assert not a.explanation.startswith("No:"), q
        assert "percutaneous vertebroplasty' as no contraindication" not in a.explanation


def test_pregnancy_is_declined_naming_the_term(kg):
    a = answer(kg, "Is pregnancy a contraindication to PVP?")
    assert a.declined and "pregnancy" in a.explanation


def test_contraindication_yes_with_the_subtype_path(kg):
    a = answer(kg, "Is osteomyelitis a contraindication?")
    assert a.verdict == "yes"
    assert "active infection" in a.explanation


def test_relieve_pain_is_a_benefit(kg):
    a = answer(kg, "Does vertebroplasty relieve pain?")
    assert a.intent == "benefits"
    assert "rapid pain relief" in labels(a)
    assert "no term for 'pain'" not in a.explanation


def test_injected_material_is_not_garbled(kg):
    a = answer(kg, "How much cement is injected?")
    assert a.intent == "injected_material"
    assert "Injected into the bone cement" not in a.explanation


def test_procedure_never_fills_a_condition_slot(kg):
    u = understand(kg, "Is vertebroplasty a contraindication?")
    for r in u.readings:
        assert r.bindings.get("concept") != PVP + "PercutaneousVertebroplasty"
        assert r.check != PVP + "PercutaneousVertebroplasty"


def test_yes_no_about_an_unused_concept_gives_no_verdict(kg):
    # "pain relief" is a recorded outcome, but the question is about cement volume: never
    # "yes" from the outcome; the verdict comes from the finding that looked for the link
    a = answer(kg, "Is a larger cement volume associated with better pain relief after PVP?")
    assert a.verdict == "no"
    assert [f.curie for f in a.findings] == ["pvp:FindingCementVolumeNotLinkedToPain"]
    assert a.explanation.startswith("No:") and "no association found" in a.explanation


def test_thoracic_level_is_a_risk_factor_of_pce(kg):
    a = answer(kg, "is a thoracic level a risk factor for pulmonary cement embolism?")
    assert a.verdict == "yes"
    assert "thoracic fracture level" in labels(a)


def test_typos_are_repaired(kg):
    a = answer(kg, "waht are the complicatons of vertabroplasty")
    assert a.intent == "complications"


def test_out_of_scope_declines_naming_the_unknown_words(kg):
    a = answer(kg, "What are the complications of a knee replacement?")
    assert a.declined and "knee" in a.explanation
    a = answer(kg, "Is vertebroplasty covered by my insurance?")
    assert a.declined


def test_answer_says_how_it_was_read(kg):
    a = answer(kg, "Which complications relate to cement leakage?")
    assert "Read as 'Complications related to a concept'" in a.explanation
    assert a.confidence > 0.5 and a.matched


def test_forms_are_detected(kg):
    cases = {"Is PMMA used?": "yesno", "how long does the cement take to harden": "value",
             "what causes pulmonary cement embolism": "cause",
             "what can cement leakage lead to": "consequence",
             "vertebroplasty vs kyphoplasty": "comparison",
             "what are the steps in order": "order", "What is sacroplasty?": "definition"}
    for q, form in cases.items():
        assert understand(kg, q).form == form, q


def test_explain_prefers_the_causal_chain(kg):
    paths = kg.explain("cement leakage", "pulmonary cement embolism")
    text = format_path(paths[0])
    assert "venous cement leakage" in text and "causally upstream of" in text
    assert "kyphoplasty" not in text and "part of" not in text


@pytest.mark.slow
def test_eval_does_not_regress(tmp_path):
    """`make eval`: dev figures at least what was reached; no confident wrong yes/no."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, str(ROOT / "tests/eval/run.py")], check=True, env=env,
                   capture_output=True, timeout=600)
    results = json.loads((ROOT / "tests/eval/results.json").read_text())
    dev, sealed = results["dev"], results["sealed"]
    assert dev["fully_right"] >= 0.78
    assert dev["false_decline"] <= 0.05
    assert results["new"]["fully_right"] >= 0.75
    assert results["fresh"]["fully_right"] >= 0.76
    assert results["fresh2"]["fully_right"] >= 0.63
    assert results["fresh3"]["fully_right"] >= 0.73
    assert results["fresh4"]["fully_right"] >= 0.69
    assert sealed["fully_right"] >= 0.59  # an aggregate only: the split is never read
    assert dev["oos_declined"] >= 0.95
    assert dev["confident_wrong_yesno"] == 0
    for split in (results["new"], results["fresh"], results["fresh2"], results["fresh3"],
                  results["fresh4"], sealed):
        assert split["confident_wrong_yesno"] == 0
        assert split["oos_declined"] >= 0.95


def test_guideline_question_lists_recommendations_with_body_year_direction_source(kg):
    a = answer(kg, "What do guidelines say about vertebroplasty?")
    assert a.query == "recommendations" and not a.declined
    text = a.explanation
    assert "NICE 2013" in text and "ASBMR 2019" in text
    assert "against" in text and "for selected patients only" in text
    assert "clinical practice guideline" in text and "src:NiceTa279" in text
    assert "Guidelines disagree" in text
    assert a.verdict is None


def test_a_named_body_shows_its_own_recommendation(kg):
    a = answer(kg, "what does the AAOS guideline say about vertebroplasty?")
    assert a.query == "recommendations"
    first = a.explanation.splitlines()[1]
    assert first.startswith("- AAOS 2010") and "against" in first
    assert "ASBMR 2019" not in a.explanation


def test_is_it_recommended_gives_no_yes_or_no_when_guidelines_differ(kg):
    a = answer(kg, "Is vertebroplasty recommended?")
    assert a.query == "recommendations" and a.verdict is None
    assert "Guidelines disagree" in a.explanation


def test_does_it_work_lists_strongest_evidence_first_then_weighs_it(kg):
    from pvp_kg.evidence import finding_rank

    a = answer(kg, "does vertebroplasty actually work?")
    assert not a.declined
    text = a.explanation
    assert "none is preferred" not in text
    lines = text.splitlines()
    start = lines.index("What the evidence found, strongest first:")
    shown = [ln for ln in lines[start + 1:] if ln.startswith("- [")]
    assert shown[0].startswith("- [systematic review]")
    ranks = [finding_rank(f) for f in a.findings]
    assert ranks == sorted(ranks) and len(ranks) == len(shown)
    weight = next(ln for ln in lines if ln.startswith("Weight of evidence:"))
    assert "strongest evidence here (systematic review" in weight
    assert "Weaker evidence" in weight


def test_findings_are_ordered_by_evidence_rank(kg):
    from pvp_kg.evidence import finding_rank

    a = answer(kg, "how common is cement leakage?")
    ranks = [finding_rank(f) for f in a.findings]
    assert len(ranks) > 2 and ranks == sorted(ranks)
    assert "Weight of evidence:" in a.explanation


@pytest.mark.parametrize("question, query, label", [
    ("What anaesthesia is used?", "steps", "local anaesthesia"),
    ("When should vertebroplasty not be done?", "contraindications", "active infection"),
    ("Is kyphoplasty better than vertebroplasty?", "compare_procedures", None),
    ("How common is pulmonary cement embolism?", "findings_about", "pulmonary cement embolism"),
    ("What findings are there about cement leakage?", "findings_about", "cement leakage"),
])
def test_tryout_questions_are_answered(kg, question, query, label):
    a = answer(kg, question)
    assert not a.declined and a.query == query
    if label:
        assert label in labels(a)


def test_a_trial_name_selects_its_findings(kg):
    a = answer(kg, "What did VAPOUR show?")
    assert a.query == "findings_about"
    assert a.findings and all("Vapour" in f.iri for f in a.findings)


# -- question forms and ways of asking, in wordings of our own (not from tests/eval) -----------

@pytest.mark.parametrize("question, form", [
    ("Why does cement sometimes leak out of the bone?", "cause"),
    ("what raises the chance of a cement leak", "cause"),
    ("What might a leak into the disc result in?", "consequence"),
    ("what does a leak into the spinal canal lead on to?", "consequence"),
    ("kyphoplasty versus vertebroplasty: which is safer?", "comparison"),
    ("Is kyphoplasty safer than vertebroplasty?", "comparison"),
    ("What do they do right before the cement goes in?", "order"),
    ("How many minutes until the cement sets?", "value"),
    ("what fraction of patients get a cement leak", "value"),
    ("Is vertebroplasty any better than a placebo operation?", "efficacy"),
    ("does the operation really work for back pain", "efficacy"),
    ("What does NICE advise about vertebroplasty?", "guideline"),
    ("Can PMMA leak out of the vertebra?", "yesno"),
    ("Does a vertebroplasty leave a scar?", "yesno"),
    ("What does kyphoplasty mean?", "definition"),
    ("What are the risks for my dad?", "list"),
])
def test_question_forms_in_other_words(kg, question, form):
    assert understand(kg, question).form == form


def test_function_words_survive_spelling_folding():
    from pvp_kg.lookup import normalise

    assert normalise("Does your four hours goes") == "does your four hours goes"
    assert normalise("oedema tumours haemorrhage") == "edema tumors hemorrhage"


@pytest.mark.parametrize("question, query, label", [
    ("Why does cement sometimes leak out of the bone?", "causes_of", "cement injection"),
    ("what raises the chance of a cement leak", "risk_factors", "low-viscosity cement"),
    ("what does a leak into the spinal canal lead on to?", "complications_related_to",
     "spinal cord compression"),
    ("what are the different kinds of cement leak?", "complications_related_to",
     "venous cement leakage"),
    ("What do they do right before the cement goes in?", "steps_before", "needle insertion"),
    ("How many minutes until the cement sets?", "injected_material", "cement hardening"),
    ("Is vertebroplasty any better than a placebo operation?", "outcomes", None),
    ("kyphoplasty versus vertebroplasty: which is safer?", "compare_procedures", None),
])
def test_ways_of_asking_in_other_words(kg, question, query, label):
    a = answer(kg, question)
    assert not a.declined and a.query == query, a.explanation
    if label:
        assert label in labels(a)


def test_a_reading_that_finds_nothing_gives_way_and_says_so(kg):
    # two procedures in the question: the blood thinner has no complications recorded, the
    # vertebroplasty has; the answer takes the one that answers and says what it passed over
    a = answer(kg, "I take blood thinners - what could go wrong if I have a vertebroplasty?")
    assert a.query == "complications" and not a.declined
    assert "cement leakage" in labels(a)


def test_a_fallback_never_drops_the_procedure_the_question_named(kg):
    # a procedure the graph knows but records no aftercare for: no PVP aftercare instead
    a = answer(kg, "What is the recovery like after radiofrequency ablation?")
    assert a.declined or all("vertebroplasty" not in c.label for c in a.concepts)


def test_trial_name_narrows_the_findings_of_a_concept(kg):
    a = answer(kg, "How much shorter was the hospital stay in VAPOUR?")
    assert a.query == "findings_about" and a.findings
    assert all("Vapour" in f.iri for f in a.findings)
    assert "5.5" in a.explanation


def test_lay_phrasings_of_a_complication_give_a_sourced_yes(kg):
    for q in ("Can bone cement reach the lungs?", "could the glue end up in my lungs?"):
        a = answer(kg, q)
        assert a.verdict == "yes", q
        assert "pulmonary cement embolism" in labels(a)


@pytest.mark.parametrize("question", [
    "Do all people with cement leakage feel pain from it?",   # what is asked is not understood
    "Is cement leakage usually painless?",
    "Can bone cement cause cancer?",
])
def test_no_verdict_when_the_question_asks_more_than_the_graph_records(kg, question):
    a = answer(kg, question)
    assert a.verdict is None
    assert not a.explanation.startswith(("Yes", "No"))


@pytest.mark.parametrize("question", [
    "What is the survival rate of pancreatic cancer?",      # unknown qualifier of 'rate'
    "How do you do a knee arthroscopy step by step?",
    "What is the recovery time after a hip replacement?",
    "What are the side effects of an epidural for labour pain?",
    "What's the success rate of laser eye surgery?",
])
def test_near_miss_out_of_scope_questions_decline(kg, question):
    a = answer(kg, question)
    assert a.declined, a.explanation


def test_can_i_have_it_if_asks_the_opposite_of_is_it_a_contraindication(kg):
    # a contraindication means "no, you cannot"; a recorded indication means "yes"
    a = answer(kg, "can i still have vertebroplasty if i have an infection?")
    assert a.verdict == "no" and "active infection" in labels(a)
    b = answer(kg, "Is active infection a contraindication to PVP?")
    assert b.verdict == "yes"
    c = answer(kg, "can i have vertebroplasty if i have an osteoporotic compression fracture?")
    assert c.verdict == "yes"


def test_one_word_two_types_the_slot_takes_the_reading_of_its_type(kg):
    # "infection" as a complication of the procedure vs as a condition that rules it out
    a = answer(kg, "Is there a chance of getting an infection from vertebroplasty?")
    assert a.verdict in ("yes", None) and "post-procedural infection" in labels(a)
    b = answer(kg, "Is an infection a contraindication to vertebroplasty?")
    assert b.verdict == "yes" and "active infection" in labels(b)


def test_contractions_and_inflections(kg):
    a = answer(kg, "who shouldn't have a vertebroplasty?")
    assert a.query == "contraindications" and not a.declined
    assert understand(kg, "what's a pulmonary cement embolism").form == "definition"


@pytest.mark.parametrize("question, query, label", [
    ("what can be done about cement in the lungs", "treatments", "watchful observation"),
    ("How do doctors deal with an infection after vertebroplasty?", "treatments",
     "antibiotic therapy"),
    ("how do they detect cement leaks?", "diagnosis", "post-procedure CT of the spine and chest"),
    ("which needle approaches are used in vertebroplasty?", "needle_approaches",
     "transpedicular approach"),
])
def test_treatments_diagnosis_and_needle_routes_are_asked_for(kg, question, query, label):
    a = answer(kg, question)
    assert not a.declined and a.query == query, a.explanation
    assert label in labels(a)


def test_what_a_risk_factor_leads_to_follows_the_risk_factor_edge_backwards(kg):
    # a risk factor, not a complication, in a "lead to" question: the complications it makes
    # more likely, each with the recorded risk-factor edge, instead of a decline
    a = answer(kg, "what can injecting too much cement cause?")
    assert not a.declined and a.query == "risk_factor_effects", a.explanation
    assert "pulmonary cement embolism" in labels(a)
    assert "has risk factor" in a.explanation
    # a complication in the same form still goes to its consequences
    b = answer(kg, "what can a pulmonary cement embolism lead to?")
    assert b.query == "complications_related_to"


def test_common_names_of_risk_factors_resolve(kg):
    a = answer(kg, "what are the risk factors of pulmonary cement embolism?")
    names = {n for c in a.concepts for n in (c.label, *c.synonyms)}
    assert "three or more treated vertebrae" in names
    assert kg.terms.concept(kg.index.iri("paravertebral venous leakage")).label == \
        "paravertebral venous plexus leakage"

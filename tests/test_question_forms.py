"""Question forms live in the lexicon (ontology/lexicon.ttl, "Question forms"), not in code;
the question's form and whether it wants a yes or no are detected apart (pvp_kg.nlu)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from pvp_kg import nlu
from pvp_kg.nlu import understand
from pvp_kg.resources import ontology_dir
from pvp_kg.vocab import LEX, RDF, RDFS

PREFIXES = """@prefix lex: <https://w3id.org/pvp-kg/lexicon/> .
@prefix pvp: <https://w3id.org/pvp-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
"""

# a body the bundled graph does not hold (a test individual, not a clinical fact)
NEW_BODY = PREFIXES + """
pvp:TestSpineBody a owl:NamedIndividual , pvp:IssuingBody ;
    rdfs:label "Spine Intervention Society"@en ;
    obo:IAO_0000115 "A body added by a test."@en ;
    pvp:abbreviation "SIS"@en .
"""

TALL = "How tall is the needle?"


def test_every_form_is_an_individual_of_the_lexicon_with_a_comment():
    graph = Graph().parse(ontology_dir() / "lexicon.ttl", format="turtle")
    forms = {str(graph.value(n, LEX.name)): n for n in graph.subjects(RDF.type, LEX.QuestionForm)}
    assert set(forms) == {"list", "yesno", "value", "definition", "cause", "consequence",
                          "comparison", "order", "efficacy", "guideline"}
    for name, node in forms.items():
        assert graph.value(node, RDFS.comment) is not None, name
        assert graph.value(node, LEX.priority) is not None, name


def test_a_cue_added_to_a_copy_of_the_lexicon_changes_detection(fresh_kg, tmp_path: Path,
                                                                   monkeypatch):
    assert understand(fresh_kg, TALL).form == "list"
    copy = tmp_path / "lexicon.ttl"
    copy.write_text((ontology_dir() / "lexicon.ttl").read_text(encoding="utf-8")
                    + '\nlex:valueForm lex:cue "how tall" .\n', encoding="utf-8")
    edited = Graph().parse(copy, format="turtle")
    monkeypatch.setattr(nlu, "bundled_lexicon_graph", lambda: edited)
    nlu.forget(fresh_kg)
    assert understand(fresh_kg, TALL).form == "value"


def test_a_priority_changed_in_a_copy_of_the_lexicon_changes_which_form_wins(
        fresh_kg, monkeypatch):
    q = "Is vertebroplasty better than kyphoplasty?"
    assert understand(fresh_kg, q).form == "comparison"  # comparison comes before yes/no
    edited = Graph().parse(ontology_dir() / "lexicon.ttl", format="turtle")
    edited.set((LEX.comparisonForm, LEX.priority, edited.value(LEX.causeForm, LEX.priority)))
    monkeypatch.setattr(nlu, "bundled_lexicon_graph", lambda: edited)
    nlu.forget(fresh_kg)
    u = understand(fresh_kg, q)
    assert u.form == "yesno" and u.polar


def test_a_form_cue_merged_into_the_graph_is_read(fresh_kg, tmp_path: Path):
    assert understand(fresh_kg, TALL).form == "list"
    path = tmp_path / "cue.ttl"
    path.write_text(PREFIXES + 'lex:valueForm lex:cue "how tall" .\n', encoding="utf-8")
    fresh_kg.merge(path)
    assert understand(fresh_kg, TALL).form == "value"


@pytest.mark.parametrize("question", [
    "What does the Spine Intervention Society say about vertebroplasty?",
    "What does SIS say about vertebroplasty?",
])
def test_an_issuing_body_merged_into_the_graph_is_recognised(fresh_kg, tmp_path: Path,
                                                             question: str):
    assert understand(fresh_kg, question).form != "guideline"  # asked before the merge
    path = tmp_path / "body.ttl"
    path.write_text(NEW_BODY, encoding="utf-8")
    fresh_kg.merge(path)
    u = understand(fresh_kg, question)
    assert u.form == "guideline" and not u.polar
    a = fresh_kg.ask(question)
    assert a.intent == "recommendations"
    assert "no recommendation of SIS" in a.explanation


@pytest.mark.parametrize("question", [
    "National Institute for Health and Care Excellence on vertebroplasty",  # a label
    "AAOS on vertebroplasty",  # an abbreviation
])
def test_the_bundled_bodies_names_are_guideline_cues(kg, question: str):
    assert understand(kg, question).form == "guideline"


@pytest.mark.parametrize("question", [
    "Does NICE recommend vertebroplasty?",
    "Is vertebroplasty recommended by NICE?",
    "For spinal metastases, does NICE recommend vertebroplasty?",  # a clause opens it
])
def test_a_guideline_question_can_also_be_a_yes_no_question(kg, question: str):
    u = understand(kg, question)
    assert (u.form, u.polar) == ("guideline", True)


@pytest.mark.parametrize("question, form", [
    ("What do guidelines say about vertebroplasty?", "guideline"),
    ("How long does the cement take to harden?", "value"),
    ("What are the complications of vertebroplasty?", "list"),
])
def test_a_wh_question_is_not_polar(kg, question: str, form: str):
    u = understand(kg, question)
    assert (u.form, u.polar) == (form, False)


@pytest.mark.parametrize("question, form", [
    ("Is osteomyelitis a contraindication?", "yesno"),
    ("How quickly does the pain get better after vertebroplasty, is it immediate?", "value"),
    ("Does vertebroplasty work better than a sham procedure?", "efficacy"),
])
def test_polarity_is_detected_apart_from_the_form(kg, question: str, form: str):
    u = understand(kg, question)
    assert (u.form, u.polar) == (form, True)


@pytest.mark.parametrize("question, polar", [
    ("thoracic level a risk factor for PCE?", True),
    ("discitis a contraindication?", True),
    ("vertebroplasty contraindicated in discitis?", True),
    ("risk factors for a cement leak?", False),
    ("what is thoracic level a risk factor for?", False),
    ("list what is a contraindication to vertebroplasty", False),
])
def test_an_elliptical_yes_no_question_is_polar(kg, question: str, polar: bool):
    """The auxiliary left out ("X a risk factor for Y?"): the yes/no form's lex:rule."""
    assert understand(kg, question).polar is polar


def test_an_elliptical_yes_no_question_is_answered(kg):
    answer = kg.ask("thoracic level a risk factor for PCE?")
    assert answer.verdict == "yes"
    assert "thoracic fracture level" in {c.label for c in answer.concepts}
    assert kg.ask("risk factors for a cement leak?").verdict is None


def test_the_polar_guideline_question_gets_a_verdict_and_the_open_one_none(kg):
    assert kg.ask("For spinal metastases, does NICE recommend vertebroplasty?").verdict == "yes"
    assert kg.ask("What do guidelines say about vertebroplasty?").verdict is None


@pytest.mark.parametrize("question, form", [
    ("How long is the first step?", "value"),           # order gives way to value
    ("Why does vertebroplasty not work for some people?", "cause"),  # efficacy gives way
    ("Is vertebroplasty better than a placebo?", "efficacy"),  # not a comparison
    ("What causes cement leakage?", "cause"),           # consequence does not open so
    ("What is vertebroplasty?", "definition"),          # a short 'what is'
    ("What is the risk of cement leakage after vertebroplasty?", "list"),
    ("Cement leakage in more than 30% of cases?", "value"),  # "more than": no comparison
    ("Is kyphoplasty more expensive than vertebroplasty?", "comparison"),  # more … than
])
def test_the_lexicons_conditions_hold(kg, question: str, form: str):
    assert understand(kg, question).form == form


@pytest.mark.parametrize(("question", "form"), [
    ("What is kyphoplasty? My surgeon mentioned it yesterday.", "definition"),
    ("What is the risk of cement leakage? I am worried.", "list"),  # "risk": not a definition
])
def test_a_remark_after_the_question_does_not_make_it_long(kg, question: str, form: str):
    """The short-"what is" rule counts the words of the first question, not of the remark
    after it."""
    assert understand(kg, question).form == form
    assert not kg.ask(question).declined


@pytest.mark.parametrize(("question", "verdict"), [
    ("Symptomatic vertebral haemangioma — indication for PVP?", "yes"),
    ("Symptomatic vertebral haemangioma - valid PVP indication?", "yes"),
    ("Uncorrectable coagulopathy: absolute CI for VP?", "yes"),
    ("Osteoporosis - contraindication to PVP?", "no"),
    ("thoracic level - risk factor for PCE?", "yes"),
])
def test_a_subject_a_mark_and_a_role_is_a_yes_no_question(kg, question, verdict):
    assert kg.ask(question).verdict == verdict


@pytest.mark.parametrize("question", ["PCE - risk factors?", "Absolute contraindicatons to VP?"])
def test_a_role_in_the_plural_after_a_mark_still_asks_for_a_list(kg, question):
    answer = kg.ask(question)
    assert answer.verdict is None and len(answer.items) > 2


def test_the_step_named_first_is_the_one_asked_to_come_before(kg):
    """The template's slots may hold the two steps either way round."""
    answer = kg.ask("In kyphoplasty is a balloon blown up inside the vertebra before the "
                    "cement goes in?")
    assert answer.verdict != "no"
    assert kg.ask("In kyphoplasty is the cement injected before the balloon is "
                  "inflated?").verdict == "no"


@pytest.mark.parametrize(("question", "title"), [
    ("Sequelae of a type C posterior leak into the canal?", "Complications related to"),
    ("If the cement leaks out of the bone, what could that do to me?",
     "Complications related to cement leakage"),
    ("risk factors for new fractures after vertebroplasty?",
     "Risk factors of new vertebral fracture after treatment"),
])
def test_more_ways_of_asking_what_follows_and_what_predicts(kg, question, title):
    answer = kg.ask(question)
    assert answer.verdict is None and answer.explanation.startswith(title)


def test_a_kind_of_needs_its_of_in_an_elliptical_question(kg):
    """"sequelae of a type C leak" is no "X a type of Y?" question."""
    assert kg.ask("Sequelae of a type C posterior leak into the canal?").verdict is None
    assert kg.ask("PMMA a kind of bone cement?").verdict == "yes"

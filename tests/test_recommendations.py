"""Guideline recommendations (issue 9): ``kg.recommendations()``, the ``Recommendation`` type,
and ``ask()`` on what guidelines say — a yes/no only from the named body's own recorded
recommendations."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import pvp_kg
from pvp_kg.cli import cli
from pvp_kg.vocab import EVIDENCE_RANK, PVP

BKP = "pvp:BalloonKyphoplasty"


def _by_curie(recs: list[pvp_kg.Recommendation]) -> dict[str, pvp_kg.Recommendation]:
    return {r.curie: r for r in recs}


def test_recommendation_is_public_and_typed(kg):
    assert "Recommendation" in pvp_kg.__all__ and pvp_kg.Recommendation is not None
    recs = kg.recommendations()
    assert all(isinstance(r, pvp_kg.Recommendation) for r in recs)
    ta279 = _by_curie(recs)["pvp:RecNiceTa279"]
    assert (ta279.body, ta279.year, ta279.direction) == ("NICE", 2013,
                                                         "for selected patients only")
    assert ta279.body_label == "National Institute for Health and Care Excellence"
    assert [s.curie for s in ta279.sources] == ["src:NiceTa279"]
    assert ta279.level == "clinical practice guideline"
    assert ta279.population and "unhealed fracture" in ta279.population
    assert ta279.statement and ta279.strength
    assert set(ta279.procedures) == {"pvp:PercutaneousVertebroplasty", BKP}
    assert ta279.conditions == ("pvp:PainfulUnhealedOsteoporoticFracture",)
    rank = kg.graph.value(PVP.ClinicalGuidelineEvidence, EVIDENCE_RANK)
    assert ta279.rank == int(rank) and ta279.evidence[0].rank == int(rank)
    assert repr(ta279) == "Recommendation(NICE 2013: for selected patients only)"
    assert ta279.describe().startswith("NICE 2013: for selected patients only — ")
    assert "[src:NiceTa279; clinical practice guideline]" in ta279.describe()


def test_every_recommendation_the_query_returns_is_there_with_its_direction(kg):
    recs = _by_curie(kg.recommendations())
    rows = {kg.terms.curie(str(r["recommendation"])) for r in kg.sparql("recommendations")}
    assert set(recs) == rows and len(rows) >= 7
    assert recs["pvp:RecAsbmr2019"].direction == "against"
    assert recs["pvp:RecAaos2010"].direction == "against"
    assert recs["pvp:RecNiceIpg12"].direction == "for"
    assert recs["pvp:RecAaos2010"].level == "expert opinion, unverified"


def test_recommendations_strongest_evidence_first_then_newest(kg):
    recs = kg.recommendations()
    keys = [(r.rank, -(r.year or 0)) for r in recs]
    assert keys == sorted(keys)
    assert recs[0].curie == "pvp:RecAsbmr2019"  # the newest of the guideline-level ones
    assert recs[-1].curie == "pvp:RecAaos2010"  # unverified: weakest


def test_recommendations_on_kyphoplasty_leave_out_the_vertebroplasty_only_ones(kg):
    bkp = _by_curie(kg.recommendations(BKP))
    assert "pvp:RecNiceTa279" in bkp and "pvp:RecAsbmr2019" in bkp
    assert "pvp:RecAaos2010" not in bkp and "pvp:RecSir2003" not in bkp


def test_recommendations_by_body(kg):
    nice = kg.recommendations(body="NICE")
    assert [r.curie for r in nice] == ["pvp:RecNiceTa279", "pvp:RecNiceCg75",
                                       "pvp:RecNiceIpg12"]
    assert kg.recommendations(body="American Society for Bone and Mineral Research")[0].body \
        == "ASBMR"
    assert kg.recommendations(BKP, body="AAOS") == []


def test_recommendations_min_level(kg):
    strong = kg.recommendations(min_level="clinical practice guideline")
    assert "pvp:RecAaos2010" not in _by_curie(strong) and len(strong) == len(
        kg.recommendations()) - 1
    assert kg.recommendations(min_level="systematic review") == []


def test_recommendations_bad_input(kg):
    with pytest.raises(pvp_kg.InvalidInputError, match="not an issuing body"):
        kg.recommendations(body="cement leakage")
    with pytest.raises(pvp_kg.ConceptNotFoundError):
        kg.recommendations(body="no such society")
    with pytest.raises(pvp_kg.InvalidInputError, match="not an evidence level"):
        kg.recommendations(min_level="gold")
    with pytest.raises(TypeError):
        kg.recommendations(3)  # type: ignore[arg-type]


def test_recommendation_to_dict_is_json_ready(kg):
    data = json.loads(json.dumps(kg.recommendations(body="ASBMR")[0].to_dict()))
    assert data["body"] == "ASBMR" and data["year"] == 2019 and data["direction"] == "against"
    assert data["level"] == "clinical practice guideline"
    assert data["evidence"][0]["source"]["curie"] == "src:Asbmr2019"


# -- ask() ------------------------------------------------------------------------------------
def test_what_do_guidelines_say_lists_every_recommendation_strongest_first(kg):
    a = kg.ask("What do guidelines say about vertebroplasty?")
    assert a.query == "recommendations" and not a.declined and a.verdict is None
    assert [r.curie for r in a.recommendations] == [r.curie for r in kg.recommendations()]
    lines = [ln for ln in a.explanation.splitlines() if ln.startswith("- ")]
    assert lines[0].startswith("- ASBMR 2019") and "against" in lines[0]
    assert "[src:Asbmr2019; clinical practice guideline]" in lines[0]
    assert lines[-1].startswith("- AAOS 2010") and "expert opinion, unverified" in lines[-1]
    assert "Guidelines disagree" in a.explanation


def test_is_it_recommended_by_nice_is_yes_from_nices_own_recommendations(kg):
    a = kg.ask("Is vertebroplasty recommended by NICE?")
    assert a.verdict == "yes"
    assert {r.body for r in a.recommendations} == {"NICE"}
    assert a.explanation.startswith("Yes, for selected patients only")
    assert "NICE 2013" in a.explanation and "src:NiceTa279" in a.explanation


def test_does_asbmr_recommend_it_is_no(kg):
    a = kg.ask("Does ASBMR recommend vertebroplasty?")
    assert a.verdict == "no" and a.explanation.startswith("No:")
    assert [r.curie for r in a.recommendations] == ["pvp:RecAsbmr2019"]
    assert "src:Asbmr2019" in a.explanation


def test_what_does_the_aaos_guideline_say(kg):
    a = kg.ask("What does the AAOS guideline say?")
    assert [r.curie for r in a.recommendations] == ["pvp:RecAaos2010"]
    assert "AAOS 2010" in a.explanation and "against" in a.explanation
    assert "expert opinion, unverified" in a.explanation


def test_a_body_with_no_recommendation_on_the_procedure_gets_no_verdict(kg):
    a = kg.ask("Is kyphoplasty recommended by AAOS?")
    assert a.verdict is None and not a.recommendations
    assert "holds no recommendation of AAOS on balloon kyphoplasty" in a.explanation
    assert "ASBMR" not in a.explanation  # other bodies' positions are not passed off as AAOS's


def test_an_unknown_body_is_named_not_guessed(kg):
    a = kg.ask("Is vertebroplasty recommended by the FDA?")
    assert a.declined and a.verdict is None
    assert "holds no recommendation of 'fda'" in a.explanation


def test_without_a_body_is_it_recommended_stays_without_verdict(kg):
    a = kg.ask("Is vertebroplasty recommended?")
    assert a.verdict is None and len(a.recommendations) == len(kg.recommendations())


def test_ask_min_level_drops_weaker_recommendations(kg):
    a = kg.ask("Does the AAOS recommend vertebroplasty?", min_level="clinical practice guideline")
    assert a.verdict is None and not a.recommendations
    assert "holds no recommendation of AAOS" in a.explanation


_NICE_AGAINST = """
@prefix pvp: <https://w3id.org/pvp-kg/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
pvp:RecTestNiceAgainst a pvp:GuidelineRecommendation ;
    rdfs:label "a test recommendation"@en ;
    pvp:issuedBy pvp:NICE ; pvp:recommendationYear "2030"^^xsd:integer ;
    pvp:recommendationDirection pvp:RecommendAgainst ;
    pvp:recommendsOn pvp:PercutaneousVertebroplasty ;
    dcterms:source pvp:TestSource ; pvp:evidenceLevel pvp:ClinicalGuidelineEvidence .
"""


def test_a_body_whose_recommendations_differ_gets_no_verdict(fresh_kg, tmp_path):
    path = tmp_path / "nice.ttl"
    path.write_text(_NICE_AGAINST, encoding="utf-8")
    fresh_kg.merge(path)
    assert fresh_kg.recommendations(body="NICE")[0].direction == "against"  # newest first
    a = fresh_kg.ask("Is vertebroplasty recommended by NICE?")
    assert a.verdict is None and "do not all point the same way" in a.explanation


def test_cli_ask_json_carries_the_recommendations_with_levels():
    out = CliRunner().invoke(cli, ["ask", "--json", "Does ASBMR recommend vertebroplasty?"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["verdict"] == "no"
    rec = data["recommendations"][0]
    assert rec["body"] == "ASBMR" and rec["level"] == "clinical practice guideline"


def test_the_patients_asked_about_narrow_the_recommendations(kg):
    a = kg.ask("Does NICE recommend vertebroplasty for spinal metastases?")
    assert a.verdict == "yes" and [r.curie for r in a.recommendations] == ["pvp:RecNiceCg75"]
    # ASBMR's position is on osteoporotic fractures: it says nothing on metastases
    b = kg.ask("Does ASBMR recommend vertebroplasty for spinal metastases?")
    assert b.verdict is None
    assert "recorded as applying to vertebral metastasis" in b.explanation
    c = kg.ask("Does ASBMR recommend vertebroplasty for osteoporotic compression fractures?")
    assert c.verdict == "no"


def test_patients_the_question_names_but_the_graph_cannot_place_give_no_verdict(kg):
    a = kg.ask("Does NICE recommend vertebroplasty for haemangioma?")
    assert a.verdict is None and "no yes or no" in a.explanation


def test_a_broader_procedure_is_answered_with_the_positions_on_its_kinds(kg):
    """No recommendation names vertebral augmentation itself; the ASBMR task force's position
    is recorded on its kinds (vertebroplasty, kyphoplasty) and is what the question wants."""
    assert kg.recommendations("vertebral augmentation") == []
    answer = kg.ask("What did the ASBMR task force conclude about vertebral augmentation?")
    assert not answer.declined
    assert {r.body for r in answer.recommendations} == {"ASBMR"}
    assert "on its kinds" in answer.explanation
    everyone = kg.ask("What do guidelines say about vertebral augmentation?")
    iris = [r.iri for r in everyone.recommendations]
    assert len(iris) == len(set(iris)) >= 2  # each position once, though it names both kinds
    ranks = [(r.rank, -(r.year or 0)) for r in everyone.recommendations]
    assert ranks == sorted(ranks)  # strongest evidence first, then newest

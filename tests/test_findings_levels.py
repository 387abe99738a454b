"""kg.findings() with and without ``about=``; ``min_level=`` on the typed methods and ask()."""

from __future__ import annotations

import pytest

import pvp_kg
from pvp_kg.evidence import level_filter, levels

from .helpers import labels


def _ranks(kg: pvp_kg.KnowledgeGraph) -> dict[str, int]:
    return {lv.iri: i for i, lv in enumerate(levels(kg))}


def test_findings_without_argument_lists_every_finding(kg):
    rows = kg.sparql("SELECT DISTINCT ?f WHERE { ?f a pvp:QuantitativeFinding }")
    every = kg.findings()
    assert {f.iri for f in every} == {str(r["f"]) for r in rows}
    assert len(every) == len(rows) > 20
    assert len({f.iri for f in every}) == len(every)
    assert all(isinstance(f, pvp_kg.Finding) for f in every)


def test_findings_about_a_procedure_include_the_studies_of_it(kg):
    rows = kg.sparql("SELECT DISTINCT ?f WHERE { ?f pvp:studiedIntervention "
                     "pvp:PercutaneousVertebroplasty }")
    studied = {str(r["f"]) for r in rows}
    assert studied, "the bundled graph records studies of PVP"
    about = {f.iri for f in kg.findings(about="percutaneous vertebroplasty")}
    assert studied <= about
    assert about <= {f.iri for f in kg.findings()}


def test_findings_about_narrows(kg):
    leak = kg.findings(about="cement leakage")
    assert 0 < len(leak) < len(kg.findings())
    assert any("pvp:CementLeakage" in f.about or f.about for f in leak)


def test_levels_strongest_first(kg):
    names = [lv.label for lv in levels(kg)]
    assert names.index("systematic review") < names.index("randomised controlled trial") < \
        names.index("observational study") < names.index("reference work")


@pytest.mark.parametrize("name", ["randomised controlled trial", "RCT",
                                  "pvp:RandomisedTrialEvidence",
                                  "https://w3id.org/pvp-kg/RandomisedTrialEvidence"])
def test_min_level_accepts_label_synonym_curie_iri(kg, name):
    found = kg.findings(min_level=name)
    assert found
    assert found == kg.findings(min_level="randomised controlled trial")


def test_min_level_keeps_only_evidence_that_strong(kg):
    ranks = _ranks(kg)
    floor = ranks[kg.concept("pvp:RandomisedTrialEvidence").iri]
    kept = kg.findings(min_level="RCT")
    dropped = [f for f in kg.findings() if f not in kept]
    assert kept and dropped
    for f in kept:
        assert any(ev.level_iri in ranks and ranks[ev.level_iri] <= floor for ev in f.evidence)
    for f in dropped:
        assert not any(ev.level_iri in ranks and ranks[ev.level_iri] <= floor
                       for ev in f.evidence)


def test_min_level_on_items_checks_every_edge(kg):
    ranks = _ranks(kg)
    floor = ranks[kg.concept("pvp:ObservationalStudyEvidence").iri]
    every = kg.complications(related_to="cement leakage")
    kept = kg.complications(related_to="cement leakage", min_level="observational study")
    assert 0 < len(kept) < len(every)
    assert labels(kept) <= labels(every)
    for item in kept:
        assert item.via or item.findings
        for edge in item.via:
            assert any(ranks.get(ev.level_iri or "", 99) <= floor for ev in edge.evidence), edge


def test_min_level_is_monotone(kg):
    counts = [len(kg.risk_factors("cement leakage", min_level=lv.curie)) for lv in levels(kg)]
    assert counts == sorted(counts)
    assert counts[-1] == len(kg.risk_factors("cement leakage"))


@pytest.mark.parametrize("method,args", [
    ("indications", ()), ("contraindications", ()), ("steps", ()), ("complications", ()),
    ("serious_complications", ()), ("benefits", ()), ("outcomes", ()), ("aftercare", ()),
    ("risk_factors", ("cement leakage",)), ("preventive_measures", ("cement leakage",)),
    ("causes", ("pulmonary cement embolism",)), ("imaging", ()),
    ("compare", ("PVP", "balloon kyphoplasty")), ("pre_procedure_assessment", ()),
])
def test_every_typed_method_takes_min_level(kg, method, args):
    every = getattr(kg, method)(*args)
    strong = getattr(kg, method)(*args, min_level="randomised controlled trial")
    weakest = getattr(kg, method)(*args, min_level="expert opinion, unverified")
    assert len(strong) <= len(weakest) <= len(every)
    assert {i.concept.iri for i in strong} <= {i.concept.iri for i in every}


def test_injected_material_min_level(kg):
    items, timing = kg.injected_material(min_level="systematic review")
    all_items, all_timing = kg.injected_material()
    assert len(items) <= len(all_items) and len(timing) <= len(all_timing)


def test_unknown_level_is_a_clear_error(kg):
    with pytest.raises(pvp_kg.InvalidInputError, match=r"not an evidence level.*systematic"):
        kg.findings(min_level="gold standard")
    with pytest.raises(pvp_kg.InvalidInputError, match="not an evidence level"):
        kg.complications(min_level="cement leakage")  # a concept, but no level
    with pytest.raises(pvp_kg.InvalidInputError):
        level_filter(kg, 3)  # type: ignore[arg-type]


def test_ask_with_min_level(kg):
    question = "Does vertebroplasty work?"
    full = kg.ask(question)
    strong = kg.ask(question, min_level="randomised controlled trial")
    assert strong.intent == full.intent
    assert "randomised controlled trial evidence or stronger" in strong.explanation
    floor = _ranks(kg)[kg.concept("RCT").iri]
    ranks = _ranks(kg)
    assert strong.findings or strong.items
    shown = [f for i in strong.items for f in i.findings] + list(strong.findings)
    assert shown
    for f in shown:
        assert any(ranks.get(ev.level_iri or "", 99) <= floor for ev in f.evidence)
    assert {s.curie for s in strong.sources} < {s.curie for s in full.sources}
    assert "src:seed" not in {s.curie for s in strong.sources} or any(
        "src:seed" in {e.source.curie for e in i.evidence} for i in strong.items)


def test_ask_with_too_high_a_level_says_so(kg):
    answer = kg.ask("What are the risk factors of cement leakage?",
                    min_level="systematic review")
    assert not answer.answered
    assert "systematic review evidence or stronger" in answer.explanation


def test_ask_without_min_level_is_unchanged_after_a_filtered_one(kg):
    before = kg.ask("What are the risk factors of cement leakage?")
    kg.ask("What are the risk factors of cement leakage?", min_level="RCT")
    after = kg.ask("What are the risk factors of cement leakage?")
    assert after == before


def test_cli_ask_min_level():
    from click.testing import CliRunner

    from pvp_kg.cli import cli

    ok = CliRunner().invoke(cli, ["ask", "--min-level", "RCT", "Does vertebroplasty work?"])
    assert ok.exit_code == 0, ok.output
    assert "randomised controlled trial evidence or stronger" in ok.output
    bad = CliRunner().invoke(cli, ["ask", "--min-level", "gold", "Does vertebroplasty work?"])
    assert bad.exit_code == 2 and "not an evidence level" in bad.output

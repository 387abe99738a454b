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


# -- ranks come from the graph, in one place (issue 9) -------------------------------------------
def _graph_ranks(kg: pvp_kg.KnowledgeGraph) -> dict[str, int]:
    from pvp_kg.vocab import EVIDENCE_RANK

    return {str(s): int(o) for s, o in kg.graph.subject_objects(EVIDENCE_RANK)}


def test_every_evidence_carries_its_levels_rank(kg):
    ranks = _graph_ranks(kg)
    evidence = [ev for f in kg.findings() for ev in f.evidence]
    evidence += [ev for e in kg.edges for ev in e.evidence]
    assert evidence and all(ev.rank == ranks.get(ev.level_iri or "") for ev in evidence)
    assert {ev.rank for ev in evidence} >= {1, 2, 3, 4, 5, 8, 9}


def test_findings_are_strongest_first_everywhere(kg):
    def ranks(found):  # type: ignore[no-untyped-def]
        return [f.rank for f in found]

    every = kg.findings()
    assert ranks(every) == sorted(ranks(every)) and every[0].level == "systematic review"
    about = kg.findings("significant pain relief")
    assert ranks(about) == sorted(ranks(about))
    assert about.index(next(f for f in about if f.curie == "pvp:FindingSeedPainRelief")) > \
        about.index(next(f for f in about if f.curie == "pvp:FindingInvestPainRelief"))
    for item in kg.complications():
        assert ranks(item.findings) == sorted(ranks(item.findings))
        assert [e.rank or 99 for e in item.evidence] == sorted(e.rank or 99
                                                               for e in item.evidence)


_RERANK = """
@prefix pvp: <https://w3id.org/pvp-kg/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
pvp:ReferenceWorkEvidence pvp:evidenceRank "0"^^xsd:integer .
"""


def test_a_graph_that_ranks_levels_otherwise_orders_by_its_ranks(fresh_kg, tmp_path):
    path = tmp_path / "rerank.ttl"
    path.write_text(_RERANK, encoding="utf-8")
    fresh_kg.merge(path)
    assert levels(fresh_kg)[0].label == "reference work"
    first = fresh_kg.findings("significant pain relief")[0]
    assert first.curie == "pvp:FindingSeedPainRelief" and first.rank == 0
    a = fresh_kg.ask("does vertebroplasty actually work?")
    assert "strongest evidence here (reference work" in a.explanation


def test_no_evidence_level_is_named_in_the_code():
    from .helpers import ROOT

    names = ("SystematicReviewEvidence", "RandomisedTrialEvidence", "ShamControlledTrialEvidence",
             "ObservationalStudyEvidence", "ClinicalGuidelineEvidence",
             "ReferenceWorkEvidence", "UnverifiedExpertOpinion")
    for path in sorted((ROOT / "pvp_kg").rglob("*.py")):
        code = _code_words(path.read_text(encoding="utf-8"))  # docstrings may give examples
        assert not [n for n in names if any(n in w for w in code)], path
        assert not {"_FALLBACK_ORDER", "fallback_rank"} & code, path


def _code_words(source: str) -> set[str]:
    """Identifiers, attribute names and string constants of ``source``, docstrings left out."""
    import ast

    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                       ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    words: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                id(node) not in docstrings):
            words.add(node.value)
        elif isinstance(node, ast.Name):
            words.add(node.id)
        elif isinstance(node, ast.Attribute):
            words.add(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            words.add(node.name)
    return words


def test_text_answers_give_each_items_level_in_words(kg):
    a = kg.ask("What are the complications of vertebroplasty?")
    lines = a.explanation.splitlines()
    for item in a.items:
        line = next(ln for ln in lines if ln.startswith(f"- {item.label}"))
        assert item.level and line.split(" — evidence: ")[1].startswith(item.level)
    assert any("[src:S1; observational study]" in ln for ln in lines)  # a finding's level


def test_ask_json_has_levels_of_items_and_findings():
    import json

    from click.testing import CliRunner

    from pvp_kg.cli import cli

    out = CliRunner().invoke(cli, ["ask", "--json", "What are the complications of PVP?"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    item = next(i for i in data["items"] if i["concept"]["curie"] == "pvp:CementLeakage")
    assert item["level"] == "observational study"
    assert [e["level"] for e in item["evidence"]][:1] == ["observational study"]
    assert all(f["level"] and f["rank"] for f in item["findings"])

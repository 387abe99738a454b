"""Finding terms: by label, synonym, abbreviation, CURIE and IRI; unknown terms; typos."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pvp_kg


@pytest.mark.parametrize("name", [
    "cement leakage",                                    # label
    "Cement Leakage",                                    # case
    "cement extravasation",                              # exact synonym
    "pvp:CementLeakage",                                 # CURIE
    "https://w3id.org/pvp-kg/CementLeakage",             # IRI
])
def test_concept_by_every_kind_of_name(kg, name):
    assert kg.concept(name).curie == "pvp:CementLeakage"


@pytest.mark.parametrize(("abbreviation", "curie"), [
    ("PVP", "pvp:PercutaneousVertebroplasty"),
    ("VP", "pvp:PercutaneousVertebroplasty"),
    ("BKP", "pvp:BalloonKyphoplasty"),
    ("PKP", "pvp:BalloonKyphoplasty"),
    ("PMMA", "pvp:PMMABoneCement"),
    ("PCE", "pvp:PulmonaryCementEmbolism"),
    ("OVCF", "pvp:OsteoporoticVertebralCompressionFracture"),
])
def test_concept_by_abbreviation(kg, abbreviation, curie):
    assert kg.concept(abbreviation).curie == curie


def test_british_and_american_spelling_meet(kg):
    assert kg.concept("local anesthesia step") == kg.concept("local anaesthesia step")
    assert kg.concept("vertebral hemangioma").curie == "pvp:VertebralHaemangioma"


def test_concept_carries_definition_synonyms_and_types(kg):
    c = kg.concept("PVP")
    assert c.label == "percutaneous vertebroplasty"
    assert c.definition and len(c.definition) > 30
    assert "PVP" in c.abbreviations
    assert "vertebroplasty" in c.synonyms
    assert "pvp:VertebralAugmentation" in c.types
    assert "percutaneous vertebroplasty" in repr(c)


def test_unknown_concept_names_closest_matches(kg):
    with pytest.raises(pvp_kg.ConceptNotFoundError) as info:
        kg.concept("cement leakge")
    assert isinstance(info.value, KeyError) and isinstance(info.value, pvp_kg.PVPKGError)
    assert "cement leakage" in str(info.value)
    assert "cement leakage" in info.value.suggestions


def test_unknown_concept_non_strict_returns_none(kg):
    assert kg.concept("flux capacitor", strict=False) is None


def test_unknown_curie_and_iri(kg):
    with pytest.raises(KeyError):
        kg.concept("pvp:NoSuchThing")
    with pytest.raises(KeyError):
        kg.concept("https://example.org/nothing")


@pytest.mark.parametrize(("typo", "expected"), [
    ("cemnt leak", "pvp:CementLeakage"),
    ("pulmonary cement embolsm", "pvp:PulmonaryCementEmbolism"),
    ("kyphoplsty", "pvp:BalloonKyphoplasty"),
    ("fluoroscopy", "pvp:Fluoroscopy"),
])
def test_search_tolerates_typos(kg, typo, expected):
    hits = kg.search(typo, limit=5)
    assert hits[0].concept.curie == expected
    assert hits == sorted(hits, key=lambda m: -m.score)


def test_search_rejects_bad_limit(kg):
    with pytest.raises(ValueError):
        kg.search("cement", limit=0)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_search_and_lookup_never_crash_on_any_text(kg, text):
    assert len(kg.search(text or "x", limit=3)) <= 3
    try:
        kg.concept(text)
    except pvp_kg.ConceptNotFoundError:
        pass

"""The uniform edge view: both modelling forms, provenance on every edge and number."""

from __future__ import annotations

import itertools

from rdflib import URIRef

from pvp_kg.vocab import OBO, PVP, QUANTITATIVE_FINDING, RDF

PVP_IRI = str(PVP.PercutaneousVertebroplasty)


def test_restriction_becomes_an_all_edge_and_a_triple(kg):
    edge = kg.edges.get(PVP_IRI, str(OBO.BFO_0000051), str(PVP.CementInjectionStep))
    assert edge is not None
    assert edge.quantifier == "all"
    assert edge.derived_by == "existential restriction"
    assert edge.evidence and edge.evidence[0].source.curie == "src:seed"
    # written back, so SPARQL sees it
    assert (URIRef(PVP_IRI), OBO.BFO_0000051, PVP.CementInjectionStep) in kg.graph


def test_punned_edge_is_a_some_edge_with_evidence(kg):
    edge = kg.edges.get(PVP_IRI, str(PVP.hasComplication), str(PVP.CementLeakage))
    assert edge is not None and edge.quantifier == "some"
    assert any(e.source.curie == "src:seed" for e in edge.evidence)
    assert all(e.level for e in edge.evidence)


def test_inverse_edges_are_derived(kg):
    down = kg.edges.get(str(PVP.PulmonaryCementEmbolism), str(OBO.RO_0002404),
                        str(PVP.VenousCementLeakage))
    up = kg.edges.get(str(PVP.VenousCementLeakage), str(OBO.RO_0002411),
                      str(PVP.PulmonaryCementEmbolism))
    assert down is not None and up is not None
    assert up.derived_by and up.derived_by.startswith("inverse")
    assert up.evidence == down.evidence


def test_every_knowledge_edge_is_sourced(kg):
    unsourced = [e for e in kg.edges if not e.evidence]
    assert not unsourced, unsourced[:5]


def test_every_number_is_a_node_with_value_unit_population_and_source(kg):
    nodes = list(kg.graph.subjects(RDF.type, QUANTITATIVE_FINDING))
    assert len(nodes) >= 15
    for node in nodes:
        f = kg.terms.finding(str(node))
        assert f.evidence, f"{f.label} has no source"
        assert f.about, f"{f.label} is about nothing"
        has_number = any(v is not None for v in (f.value, f.min_value, f.max_value,
                                                  f.numerator, f.sample_size))
        assert has_number or f.summary, f"{f.label} has neither a number nor a result"
        if f.value is not None or f.min_value is not None or f.max_value is not None:
            assert f.unit, f"{f.label} has a value but no unit"


def test_explain_gives_sourced_paths(kg):
    paths = kg.explain("PVP", "pulmonary cement embolism")
    assert paths
    for path in paths:
        assert path[0].subject == PVP_IRI
        assert path[-1].object == str(PVP.PulmonaryCementEmbolism) or (
            path[-1].subject == str(PVP.PulmonaryCementEmbolism))
        assert all(edge.evidence for edge in path)


def test_related_walks_both_directions(kg):
    near = kg.related("PMMA", depth=1)
    far = kg.related("PMMA", depth=2)
    assert near and len(far) > len(near)
    assert any(e.object == str(PVP.PMMABoneCement) or e.subject == str(PVP.PMMABoneCement)
               for e in near)


def test_networkx_view_carries_provenance(kg):
    g = kg.to_networkx()
    assert g.number_of_edges() == len(kg.edges)
    data = g.get_edge_data("pvp:PercutaneousVertebroplasty", "pvp:CementLeakage")
    assert data is not None
    attrs = next(iter(data.values()))
    assert attrs["sources"] and attrs["label"]
    assert g.nodes["pvp:PercutaneousVertebroplasty"]["label"] == "percutaneous vertebroplasty"
    assert g.nodes["pvp:PercutaneousVertebroplasty"]["iri"] == PVP_IRI


def test_networkx_marks_derived_edges(kg):
    g = kg.to_networkx()
    derived = {(e.subject, e.predicate, e.object): e.derived_by for e in kg.edges}
    curie = kg.terms.curie
    by_key = {(curie(s), curie(p), curie(o)): how for (s, p, o), how in derived.items()}
    marked = 0
    for s, o, key, attrs in g.edges(keys=True, data=True):
        assert attrs["derived_by"] == by_key[(s, key, o)]
        marked += attrs["derived_by"] is not None
    assert marked == sum(1 for how in derived.values() if how)
    plain = kg.to_networkx(derived=False)
    assert plain.number_of_edges() == len(derived) - marked
    assert all(a["derived_by"] is None for *_, a in plain.edges(keys=True, data=True))
    no_inverses = kg.to_networkx(inverses=False)
    hows = [a["derived_by"] for *_, a in no_inverses.edges(keys=True, data=True)]
    assert "existential restriction" in hows
    assert not any(h and h.startswith("inverse of") for h in hows)


def test_networkx_inverse_hops_can_be_seen_and_left_out(kg):
    import networkx as nx

    g = kg.to_networkx()
    path = nx.shortest_path(g, "pvp:CementLeakage", "pvp:CardiorespiratoryFailure")
    hops = [{d["derived_by"] for d in g.get_edge_data(a, b).values()}
            for a, b in itertools.pairwise(path)]
    inverse_hops = [h for h in hops if all((x or "").startswith("inverse of") for x in h)]
    without = kg.to_networkx(inverses=False)
    if inverse_hops:  # a path that needs an inverse edge is gone without them
        try:
            other = nx.shortest_path(without, "pvp:CementLeakage", "pvp:CardiorespiratoryFailure")
        except nx.NetworkXNoPath:
            return
        assert other != path


def test_networkx_nodes_have_the_graphml_keys(kg, tmp_path):
    import networkx as nx

    path = tmp_path / "g.graphml"
    kg.export("graphml", path)
    graphml = nx.read_graphml(path, force_multigraph=True)
    g = kg.to_networkx()
    assert set(g.nodes) == set(graphml.nodes)
    for node in ("pvp:CementLeakage", "pvp:FindingCementLeakageSaadSeries"):
        assert set(g.nodes[node]) == set(graphml.nodes[node])
    assert "pvp:AdverseEvent" in g.nodes["pvp:CementLeakage"]["types"] or \
        g.nodes["pvp:CementLeakage"]["types"]
    edge_keys = {k for *_, d in graphml.edges(data=True) for k in d} - {"id"}
    assert edge_keys <= {k for *_, d in g.edges(data=True) for k in d}


def test_explanation_cites_each_hop_with_its_own_sources(kg):
    from pvp_kg.explain import format_path

    item = next(i for i in kg.complications(related_to="cement leakage")
                if i.concept.curie == "pvp:PulmonaryCementEmbolism")
    text = format_path(item.via)
    for edge in item.via:
        cited = ", ".join(dict.fromkeys(e.source.curie for e in edge.evidence))
        assert f"{edge.predicate_label} [{cited}]" in text

"""The JSON-LD export is RDF in W3C DPV 2.x terms: parsed with rdflib, asked for its triples."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from notice.build import build_site
from tests import REPO_ROOT

REAL = REPO_ROOT / "tests" / "fixtures" / "registers-real"
DPV = Namespace("https://w3id.org/dpv#")
PD = Namespace("https://w3id.org/dpv/pd#")
GDPR = Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
LOC = Namespace("https://w3id.org/dpv/loc#")
DCT = Namespace("http://purl.org/dc/terms/")
VOCABULARIES = (str(DPV), str(PD), str(GDPR), str(LOC), str(DCT), str(RDF))


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Graph]:
    out = tmp_path_factory.mktemp("jsonld")
    result = {}
    for name, register in [
        ("municipality", "varhaiskasvatus"),
        ("webshop", "uutiskirje"),
        ("webshop", "asiakkaat"),
        ("employer", "rekrytointi"),
        ("charity", "members"),
    ]:
        if not (out / name).exists():
            build_site(REAL / name, out / name, pdf=False)
        graph = Graph()
        text = (out / name / "registers" / f"{register}.jsonld").read_text(encoding="utf-8")
        with warnings.catch_warnings():
            # rdflib 7's own JSON-LD parser calls its deprecated ConjunctiveGraph internally.
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(data=text, format="json-ld")
        result[register] = graph
    return result


def process(graph: Graph) -> URIRef:
    (node,) = graph.subjects(RDF.type, DPV.Process)
    assert isinstance(node, URIRef)
    return node


def purpose_bases(graph: Graph) -> set[object]:
    """Return every legal basis of every purpose of the graph's process."""
    return {
        basis
        for purpose in graph.objects(process(graph), DPV.hasPurpose)
        for basis in graph.objects(purpose, DPV.hasLegalBasis)
    }


def test_every_term_is_from_the_declared_vocabularies(graphs: dict[str, Graph]) -> None:
    for name, graph in graphs.items():
        assert len(graph) > 20, name
        for predicate in set(graph.predicates()):
            assert str(predicate).startswith(VOCABULARIES), (name, predicate)
        for kind in set(graph.objects(None, RDF.type)):
            assert str(kind).startswith((str(DPV), str(PD))), (name, kind)


def test_purposes_carry_every_legal_basis(graphs: dict[str, Graph]) -> None:
    graph = graphs["varhaiskasvatus"]
    assert purpose_bases(graph) == {GDPR["A6-1-e"], GDPR["A6-1-c"]}
    laws = list(graph.objects(None, DPV.hasApplicableLaw))
    assert any("540/2018" in str(law) for law in laws)


def test_special_category_data_has_its_art9_condition(graphs: dict[str, Graph]) -> None:
    graph = graphs["varhaiskasvatus"]
    (health,) = graph.subjects(RDF.type, PD.Health)
    assert (health, RDF.type, DPV.SpecialCategoryPersonalData) in graph
    assert (health, DPV.hasLegalBasis, GDPR["A9-2-g"]) in graph
    assert (process(graph), DPV.hasPersonalData, health) in graph
    assert (None, RDF.type, DPV.Child) in graph


def test_joint_controllers_and_dpo(graphs: dict[str, Graph]) -> None:
    graph = graphs["varhaiskasvatus"]
    (joint,) = graph.objects(process(graph), DPV.hasJointDataControllers)
    controllers = list(graph.objects(joint, DPV.hasDataController))
    assert len(controllers) == 2
    (dpo,) = graph.objects(process(graph), DPV.hasDataProtectionOfficer)
    assert (dpo, RDF.type, DPV.DataProtectionOfficer) in graph


def test_a_transfer_names_its_country_and_every_mechanism(graphs: dict[str, Graph]) -> None:
    graph = graphs["uutiskirje"]
    (recipient,) = graph.subjects(DPV.hasCountry, LOC.US)
    assert (recipient, RDF.type, DPV.DataProcessor) in graph
    assert set(graph.objects(recipient, DPV.hasLegalBasis)) == {GDPR["A45-3"], GDPR["A46-2-c"]}
    (purpose,) = graph.objects(process(graph), DPV.hasPurpose)
    assert (purpose, RDF.type, DPV.DirectMarketing) in graph


def test_automated_decisions_and_criminal_data(graphs: dict[str, Graph]) -> None:
    shop = graphs["asiakkaat"]
    (decision,) = shop.objects(process(shop), DPV.hasContext)
    assert (decision, RDF.type, DPV.AutomatedDecisionMaking) in shop
    assert list(shop.objects(decision, DPV.hasAlgorithmicLogic))
    employer = graphs["rekrytointi"]
    assert (None, RDF.type, PD.Criminal) in employer


def test_a_v1_register_exports_too(graphs: dict[str, Graph]) -> None:
    graph = graphs["members"]
    assert purpose_bases(graph) == {GDPR["A6-1-b"], GDPR["A6-1-c"], GDPR["A6-1-f"]}


def test_rights_that_apply_and_those_that_do_not(tmp_path: Path) -> None:
    # The portal's own register: legal obligation and legitimate interests; erasure restricted.
    build_site(REPO_ROOT / "content", tmp_path / "site", pdf=False)
    graph = Graph()
    data = (tmp_path / "site" / "registers" / "tietosuojapyynnot.jsonld").read_text("utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        graph.parse(data=data, format="json-ld")
    node = process(graph)
    assert set(graph.objects(node, DPV.hasRight)) == {
        GDPR.A15,
        GDPR.A16,
        GDPR.A17,
        GDPR.A18,
        GDPR.A21,
        GDPR.A77,
    }
    descriptions = {str(d) for d in graph.objects(GDPR.A17, DCT.description)}
    assert (
        "We do not erase a handled request before its retention period ends, because it shows "
        "that we answered as the law requires." in descriptions
    )
    assert {str(law) for law in graph.objects(GDPR.A17, DPV.hasApplicableLaw)} == {
        "tietosuoja-asetuksen 17 artiklan 3 kohdan b ja e alakohta",
        "artikel 17.3 b och e i dataskyddsförordningen",
        "GDPR Article 17(3)(b) and (e)",
    }
    refused = {
        graph.value(notice, DPV.hasRight): {str(d) for d in graph.objects(notice, DCT.description)}
        for notice in graph.objects(node, DPV.hasNotice)
        if (notice, RDF.type, DPV.RightNonFulfilmentNotice) in graph
    }
    assert set(refused) == {GDPR.A20, GDPR["A7-3"]}
    assert (
        "The processing rests on a legal obligation, not on consent or a contract."
        in (refused[GDPR.A20])
    )

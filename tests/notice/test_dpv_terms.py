"""Every DPV term the JSON-LD exports use exists in W3C DPV 2.3 (the vendored term list).

The list in tests/fixtures/dpv/ was built from the w3c/dpv release files (its header says which).
Three views: the terms written in the exporting modules' source, the values of the mapping tables,
and every DPV IRI in the parsed JSON-LD of built registers and records of real-kind fixtures.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from notice import export
from notice.build import build_site
from notice.loader import load_content
from notice.records.jsonld import DEROGATION, records_jsonld
from notice.records.rows import activities
from tests import REPO_ROOT

TERMS_FILE = REPO_ROOT / "tests" / "fixtures" / "dpv" / "dpv-2.3-terms.txt"
REAL = REPO_ROOT / "tests" / "fixtures" / "registers-real"
NAMESPACES = {
    "https://w3id.org/dpv#": "dpv",
    "https://w3id.org/dpv/pd#": "pd",
    "https://w3id.org/dpv/legal/eu/gdpr#": "eu-gdpr",
    "https://w3id.org/dpv/loc#": "loc",
}
SOURCES = [
    REPO_ROOT / "notice" / "export.py",
    REPO_ROOT / "notice" / "records" / "jsonld.py",
    REPO_ROOT / "portal" / "core" / "consent.py",
    REPO_ROOT / "portal" / "core" / "consent_receipt.py",
]
# `prefix:Term` in a string literal; a term built by an f-string (`loc:{code}`) is left to the
# graphs below, which see the finished IRI.
_WRITTEN = re.compile(r"""["'](dpv|pd|eu-gdpr|loc):([A-Za-z0-9-]+)(?![A-Za-z0-9{-])""")


def known_terms() -> frozenset[str]:
    lines = TERMS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def unknown(terms: set[str]) -> set[str]:
    """Return the terms that DPV 2.3 does not define."""
    return terms - known_terms()


def compact(iri: str) -> str | None:
    """Return a DPV IRI as `prefix:Term`, or None for an IRI outside DPV's namespaces."""
    for base, prefix in NAMESPACES.items():
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base) :]}"
    return None


def dpv_terms_of(graph: Graph) -> set[str]:
    found = set()
    for triple in graph:
        for node in triple:
            if isinstance(node, URIRef) and (term := compact(str(node))) is not None:
                found.add(term)
    return found


def parse(text: str) -> Graph:
    graph = Graph()
    with warnings.catch_warnings():
        # rdflib 7's own JSON-LD parser calls its deprecated ConjunctiveGraph internally.
        warnings.simplefilter("ignore", DeprecationWarning)
        graph.parse(data=text, format="json-ld")
    return graph


def test_the_list_holds_the_release_and_its_source() -> None:
    text = TERMS_FILE.read_text(encoding="utf-8")
    assert "https://github.com/w3c/dpv at commit f01a55c3c0983e35cdfdf80593ece3353faba7b8" in text
    terms = known_terms()
    assert {"dpv:Process", "dpv:hasApplicableLaw", "eu-gdpr:A6-1-f", "pd:Health", "loc:FI"} <= terms
    assert len(terms) > 1500


def test_an_unknown_term_is_reported() -> None:
    # Terms the exports used before they were checked: none is in DPV 2.3.
    assert unknown({"dpv:hasLaw", "dpv:hasLegitimateInterest", "eu-gdpr:A49-1", "dpv:Purpose"}) == {
        "dpv:hasLaw",
        "dpv:hasLegitimateInterest",
        "eu-gdpr:A49-1",
    }


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_terms_written_in_the_source_exist(path: Path) -> None:
    written = {f"{m[1]}:{m[2]}" for m in _WRITTEN.finditer(path.read_text(encoding="utf-8"))}
    assert written, f"{path.name} writes no DPV term: the pattern is stale"
    assert unknown(written) == set()


def test_mapping_tables_name_existing_terms() -> None:
    tables = [
        export.DPV_LEGAL_BASES,
        export.DPV_ART9,
        export.DPV_TRANSFERS,
        export.DPV_DEROGATIONS,
        export.DPV_SPECIAL,
        export.DPV_RECIPIENTS,
        export.DPV_RIGHTS,
    ]
    values = {value for table in tables for value in table.values()} | {DEROGATION}
    assert len(values) > 40
    assert unknown(values) == set()


KINDS = ["study", "clinic", "housing-company", "municipality", "webshop", "employer", "saas"]


@pytest.mark.parametrize("name", KINDS)
def test_built_registers_and_records_use_only_existing_terms(name: str, tmp_path: Path) -> None:
    build_site(REAL / name, tmp_path, pdf=False)
    files = sorted((tmp_path / "registers").glob("*.jsonld"))
    assert files
    used: set[str] = set()
    for path in files:
        used |= dpv_terms_of(parse(path.read_text(encoding="utf-8")))
    content = load_content(REAL / name)
    records = records_jsonld(activities(content), base="https://example.fi/", title="Records")
    used |= dpv_terms_of(parse(records))
    assert "dpv:Process" in used or "dpv:PersonalDataHandling" in used
    assert unknown(used) == set()

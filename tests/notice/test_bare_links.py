"""A bare address in a content text is a link on the page and in the PDF, as a reader expects.

The transfers text of the shipped content names the EU adequacy decision and the Data Privacy
Framework list by their addresses; before, they were plain text on the register pages, the cookie
page and in the PDFs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from notice.build import build_site
from tests import REPO_ROOT

DECISION = "https://eur-lex.europa.eu/eli/dec_impl/2023/1795/oj"
DPF = "https://www.dataprivacyframework.gov"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bare-links")
    content = Path(shutil.copytree(REPO_ROOT / "content", root / "content"))
    out = root / "out"
    build_site(content, out, jobs=1, cache_dir=root / "cache")
    return out


@pytest.mark.parametrize(
    "page",
    ["en/customer-register/index.html", "sv/kundregister/index.html", "en/cookies/index.html"],
)
def test_the_transfer_addresses_are_links_on_the_page(built: Path, page: str) -> None:
    soup = BeautifulSoup((built / page).read_text("utf-8"), "lxml")
    links = {a["href"]: a.get_text() for a in soup.find_all("a", href=True)}
    assert links.get(DECISION) == DECISION
    assert links.get(DPF) == DPF  # the sentence's full stop is not part of the address
    assert f"{DPF}." in soup.get_text()


def test_the_transfer_addresses_are_links_in_the_pdf(built: Path) -> None:
    pdf = PdfReader(built / "en" / "customer-register" / "customer-register.pdf")
    uris = {
        annotation.get_object()["/A"]["/URI"]
        for page in pdf.pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object() and "/URI" in annotation.get_object()["/A"]
    }
    assert {DECISION, DPF} <= uris

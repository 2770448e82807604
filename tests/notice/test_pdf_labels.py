"""Headers and short labels of a notice PDF are never hyphenated: on paper "Cat‐egory" over two
lines of a narrow column reads as two words. Running text may be hyphenated; a label may break
only between words (or at a hyphen of its own, as in "e-postadress").

The labels are read from the built page (the PDF is made from the same templates), and the PDF is
read back with pypdf, as a person (or a screen reader) gets it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from notice.build import build_site
from tests import REPO_ROOT

HYPHENS = ("\u2010", "\u00ad")  # what WeasyPrint's hyphenation leaves in the text, and a soft one


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("labels") / "site"
    build_site(REPO_ROOT / "content", out, pdf=True, jobs=1)
    return out


def _labels(page: Path) -> set[str]:
    """Every word of the page's column and row headers, captions, terms and the cookie table's
    short cells (party, category, duration)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    cells = main.select("th, caption, dt")
    for row in main.select(".cookie-table tbody tr"):
        tds = row.find_all("td", recursive=False)
        cells += [tds[1], tds[2], tds[4]]  # party, category, duration (after the provider)
    return {word for cell in cells for word in cell.get_text(" ").split()}


def _runs(pdf: Path) -> list[tuple[str, str]]:
    """(font, text) of every run of text the PDF shows: a run is one line of one cell or term."""
    runs: list[tuple[str, str]] = []

    def visit(text: str, _cm: object, _tm: object, font: dict | None, _size: float) -> None:
        if text.strip():
            runs.append((str((font or {}).get("/BaseFont", "")), text.strip()))

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return runs


def _broken_labels(runs: list[tuple[str, str]], labels: set[str]) -> list[str]:
    """Runs that are hyphenated labels: set in bold (headers, captions, terms), or made of label
    words only and ending in a hyphenated part of one ("Ne‐" of Necessary, "12 må‐" of månader)."""
    broken = []
    for font, text in runs:
        if not text.endswith(HYPHENS):
            continue
        *whole, part = text.split()
        part = part.rstrip("".join(HYPHENS))
        if font.endswith("Bold") or (
            all(word in labels for word in whole)
            and any(label.startswith(part) and label != part for label in labels)
        ):
            broken.append(text)
    return broken


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_headers_and_labels_come_back_whole_from_the_pdf(site: Path, lang: str) -> None:
    pdfs = sorted((site / lang).glob("*/*.pdf"))
    assert len(pdfs) == 2  # the customer register (with the cookie table) and the requests one
    seen_cookie_table = False
    for pdf in pdfs:
        labels = _labels(pdf.parent / "index.html")
        runs = _runs(pdf)
        assert _broken_labels(runs, labels) == [], pdf.name
        # Every label word is in the PDF whole (a break at a word's own hyphen joined back).
        text = re.sub(r"(?<=\w)-\n", "-", "\n".join(text for _, text in runs))
        assert sorted(labels - set(text.split())) == [], pdf.name
        seen_cookie_table |= any(
            w in labels for w in ("Category", "Kategori", "Luokka", "Necessary", "Nödvändig")
        )
    assert seen_cookie_table

"""A list marker reads with its item when a notice PDF's text is read back.

WeasyPrint paints an outside `::marker` after the rest of the page, so pypdf (and copy and
paste) got the items, then "1. 2. 3." and "•" alone after the page's last line. print.css and
letters.css draw the markers as the start of each item instead (the letters are pinned by the
golden letters, `tests/golden/letters/`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from notice.build import build_site
from tests.notice.test_register_controller import _content

FIRST = {
    "fi": ("• Hoitopaikat", "1. Laatimispäivä", "2. Rekisterinpitäjä"),
    "sv": ("• Platser", "1. Datum för upprättande", "2. Personuppgiftsansvarig"),
    "en": ("• Places", "1. Date prepared", "2. Controller"),
}
BARE_MARKER = re.compile(r"^\s*(•|–|◦|\d+\.)\s*$")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("markers")
    out = root / "out"
    build_site(_content(root / "c"), out, jobs=1, cache_dir=root / "cache", allow_errors=True)
    return out


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_markers_read_with_their_items(built: Path, lang: str) -> None:
    pdf = PdfReader(next((built / lang / "r").glob("*.pdf")))
    lines = [line for page in pdf.pages for line in page.extract_text().splitlines()]
    assert [line for line in lines if BARE_MARKER.match(line)] == []
    bullet, first, second = FIRST[lang]
    assert bullet in lines
    assert lines[lines.index(first) + 1] == second
